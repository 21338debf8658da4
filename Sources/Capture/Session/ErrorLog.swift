/// tracefs `error_log`: the kernel's reason for refusing a command, three lines per entry
/// (`tracing_log_err()`):
///
///     [   14.461558] trace_fprobe: error: This variable is not found at this probe point
///       Command: f:dmajournal/bad2 dma_iova_link nosucharg
///                                                ^
public enum ErrorLog {
    /// The last entry, its lines joined with ` | ` (the caret line dropped), or nil.
    public static func lastEntry(_ text: String) -> String? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        guard let start = lines.lastIndex(where: { $0.hasPrefix("[") }) else { return nil }
        return lines[start...]
            .filter { !$0.trimmingCharacters().allSatisfy { $0 == "^" } }
            .map { $0.trimmingCharacters() }
            .joined(separator: " | ")
    }
}
