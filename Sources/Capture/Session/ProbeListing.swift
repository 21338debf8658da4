/// Lines of `dynamic_events` / `kprobe_events` as the kernel reads them back:
/// `f:dmajournal/dma_iova_link dma_iova_link state=state:x64 …`, `r10:GROUP/EVENT …`
/// (a kretprobe shows its maxactive).
public enum ProbeListing {
    public static func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { !$0.trimmingCharacters().isEmpty }
    }

    /// `GROUP/EVENT` of a line.
    public static func name(of line: String) -> String? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let rest = line[line.index(after: colon)...]
        return String(rest.prefix { $0 != " " })
    }

    public static func group(of line: String) -> String? {
        name(of: line).map { String($0.prefix { $0 != "/" }) }
    }
}
