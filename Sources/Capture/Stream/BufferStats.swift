/// A trace array's per-CPU ring-buffer counters (`per_cpu/cpuN/stats`,
/// `tracing_stats_read()`): events lost to a full buffer are `overrun` (overwritten before
/// they were read) plus `commit overrun` and `dropped events` (not written at all).
public struct BufferStats: Equatable, Sendable {
    public var entries = 0
    public var overrun = 0
    public var commitOverrun = 0
    public var droppedEvents = 0

    public init() {}

    public var lost: Int { overrun + commitOverrun + droppedEvents }

    /// Reads one `stats` file: `entries: 0`, `overrun: 0`, `commit overrun: 0`, …
    public static func parse(_ text: String) -> BufferStats {
        var stats = BufferStats()
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon]
            let value = Int(line[line.index(after: colon)...].trimmingCharacters()) ?? 0
            switch key {
            case "entries": stats.entries = value
            case "overrun": stats.overrun = value
            case "commit overrun": stats.commitOverrun = value
            case "dropped events": stats.droppedEvents = value
            default: continue
            }
        }
        return stats
    }

    /// The sum over CPUs.
    public static func total(_ files: TracefsFiles, paths: [String]) -> BufferStats {
        var sum = BufferStats()
        for path in paths {
            guard let text = try? files.read(path) else { continue }
            let one = parse(text)
            sum.entries += one.entries
            sum.overrun += one.overrun
            sum.commitOverrun += one.commitOverrun
            sum.droppedEvents += one.droppedEvents
        }
        return sum
    }
}

extension Substring {
    func trimmingCharacters() -> String { String(self).trimmingCharacters() }
}
