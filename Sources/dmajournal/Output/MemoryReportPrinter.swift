import DMASim
import Replay

/// Prints what `verify` and `diff` found: one line per differing run on stdout, then
/// either a line saying the two sides are equal or the one-line failure (exit 1).
struct MemoryReportPrinter {
    let journal: String

    func print(_ report: MemoryAudit.Report, subject: String) throws {
        let older = "snapshot \(report.older.name) (after seq \(report.older.sequence))"
        if let divergence = report.divergence {
            throw CLIFailure.expectationFailed("\(journal): replay diverged, so the writers are unknown\n\(divergence)")
        }
        for difference in report.differences { Swift.print(difference) }
        let origin = report.startCheckpoint.map { "checkpoint \($0)" } ?? "op 0"
        guard report.differences.isEmpty else {
            throw CLIFailure.expectationFailed("\(journal): \(subject) differs from \(older): \(report.differences.count) runs, "
                                               + "0x\(String(report.differingBytes, radix: 16)) bytes")
        }
        Swift.print("\(subject) equals \(older); replayed \(report.replayedCount) ops from \(origin)")
    }
}
