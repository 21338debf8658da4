import Foundation
import TraceImport

/// What `dmajournal import` prints: the skipped lines per file and reason on stderr, and
/// one summary line on stdout.
enum ImportReport {
    /// `FILE: N of M lines not imported`, then one line per reason with its first lines.
    static func skippedLines(_ summary: ImportSummary) -> [String] {
        var lines: [String] = []
        for source in summary.sources where source.totals.skipped > 0 {
            let totals = source.totals
            lines.append("\(source.path): \(totals.skipped) of \(totals.lines) lines not imported")
            for (reason, count) in totals.skipCounts.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
                let examples = totals.skipExamples.filter { $0.reason == reason }
                    .map { "line \($0.line) '\(TraceImportError.cut($0.text.trimmingCharacters(in: .whitespaces), limit: 60))'" }
                lines.append("  \(count) \(reason): " + examples.joined(separator: ", "))
            }
        }
        return lines
    }

    /// `imported 2 files, 1234 lines: 40 events (12 map, …) as 45 ops, 2 findings; 1190 lines skipped; journal J.db`
    static func summaryLine(_ summary: ImportSummary, journal: String) -> String {
        let order = summary.sources.count > 1 ? (summary.mergedByTime ? " merged by time since boot" : " in the order given") : ""
        return "imported \(counted(summary.sources.count, "file"))\(order), \(counted(summary.lineCount, "line")): "
            + "\(counted(summary.eventCount, "event")) (\(summary.eventsByKindText)) as \(counted(summary.opCount, "op")), "
            + "\(counted(summary.findingCount, "finding")); \(counted(summary.skippedCount, "line")) skipped; journal \(journal)"
    }

    /// `the model disagrees with the kernel at N ops, first at seq …`, when it does.
    static func disagreementLine(_ summary: ImportSummary) -> String? {
        guard summary.disagreements > 0, let first = summary.firstDisagreement else { return nil }
        return "the model disagrees with the kernel at \(counted(summary.disagreements, "op")), first at \(first); dmajournal replay shows it"
    }

    private static func counted(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}
