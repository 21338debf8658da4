#if canImport(Glibc)
import Glibc
#endif

/// Resident memory of this process from /proc/self/status: VmRSS, and VmPTE (the
/// kernel page tables, which a sparse layout can hide), in KiB.
public enum ProcStatus {
    public static func residentKiB() -> (rss: Int, pte: Int) {
        guard let file = fopen("/proc/self/status", "r") else { return (0, 0) }
        defer { fclose(file) }
        var rss = 0, pte = 0
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let value = Int(text.split(separator: " ").dropFirst().first.map { String($0.filter { !$0.isWhitespace }) } ?? "") ?? 0
            if text.hasPrefix("VmRSS:") { rss = value }
            if text.hasPrefix("VmPTE:") { pte = value }
        }
        return (rss, pte)
    }
}
