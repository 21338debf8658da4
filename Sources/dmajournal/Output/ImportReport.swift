import Foundation
import TraceImport

/// What `dmajournal import` prints: per file on stderr, how its lines were read (as
/// events, not understood, skipped) with the first lines of each reason; and one summary
/// line on stdout.
enum ImportReport {
    static let exampleWidth = 60

    /// Per file: `FILE: N lines: E read as K events; S skipped[, of which U … not understood]`,
    /// then the not-understood lines and one line per skip reason with its first lines.
    /// `quiet` keeps only what was not understood.
    static func perFile(_ summary: ImportSummary, quiet: Bool) -> [String] {
        var lines: [String] = []
        for source in summary.sources where !quiet || source.notUnderstoodLines > 0 {
            lines.append(headline(source))
            if source.notUnderstoodLines > 0 {
                let examples = source.notUnderstood.map { "line \($0.line) '\(excerpt($0.text))' (\($0.reason))" }
                lines.append("  \(source.notUnderstoodLines) not understood: " + examples.joined(separator: ", "))
            }
            guard !quiet else { continue }
            let totals = source.totals
            let understood = totals.skipCounts.filter { !ImportSummary.isNotUnderstood(reason: $0.key) }
            for (reason, count) in understood.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
                let examples = totals.skipExamples.filter { $0.reason == reason }.map { "line \($0.line) '\(excerpt($0.text))'" }
                lines.append("  \(count) \(reason): " + examples.joined(separator: ", "))
            }
        }
        return lines
    }

    /// `FILE: 21 lines: 19 read as 5 events; 2 skipped`.
    static func headline(_ source: ImportSummary.Source) -> String {
        let totals = source.totals
        var line = "\(source.path): \(counted(totals.lines, "line")): \(source.eventLines) read as \(counted(totals.events, "event"))"
        line += "; \(totals.skipped) skipped"
        if source.notUnderstoodLines > 0 {
            let one = source.notUnderstoodLines == 1
            line += ", of which \(source.notUnderstoodLines) " + (one ? "looks like a DMA or IOMMU report but was" : "look like DMA or IOMMU reports but were")
                + " not understood"
        }
        return line
    }

    /// `imported 2 files, 1234 lines: 40 events (12 map, …) as 45 ops, 2 findings; 1190 lines skipped; journal J.db`
    static func summaryLine(_ summary: ImportSummary, journal: String) -> String {
        let order = summary.sources.count > 1 ? (summary.mergedByTime ? " merged by time since boot" : " in the order given") : ""
        let unread = summary.notUnderstoodCount > 0 ? " (\(summary.notUnderstoodCount) not understood)" : ""
        return "imported \(counted(summary.sources.count, "file"))\(order), \(counted(summary.lineCount, "line")): "
            + "\(counted(summary.eventCount, "event")) (\(summary.eventsByKindText)) as \(counted(summary.opCount, "op")), "
            + "\(counted(summary.findingCount, "finding")); \(counted(summary.skippedCount, "line")) skipped\(unread); journal \(journal)"
    }

    private static func excerpt(_ text: String) -> String {
        TraceImportError.cut(text.trimmingCharacters(in: .whitespaces), limit: exampleWidth)
    }

    /// `the model disagrees with the kernel at N ops, first at seq …`, when it does.
    static func disagreementLine(_ summary: ImportSummary) -> String? {
        guard summary.disagreements > 0, let first = summary.firstDisagreement else { return nil }
        return "the model disagrees with the kernel at \(counted(summary.disagreements, "op")), first at \(first); dmajournal replay shows it"
    }

    /// The summary as one JSON object: files with their line, event, skip and not-understood
    /// counts, then the totals.
    static func json(_ summary: ImportSummary, journal: String) -> JSONObject {
        let files = summary.sources.map { source -> JSONValue in
            .object([("path", .string(source.path)), ("lines", .int(source.totals.lines)), ("events", .int(source.totals.events)),
                     ("skipped", .int(source.totals.skipped)), ("not_understood", .int(source.notUnderstoodLines))])
        }
        return JSONObject([("journal", .string(journal)), ("files", .array(files)), ("merged_by_time", .bool(summary.mergedByTime)),
                           ("lines", .int(summary.lineCount)), ("events", .int(summary.eventCount)), ("ops", .int(summary.opCount)),
                           ("findings", .int(summary.findingCount)), ("skipped", .int(summary.skippedCount)),
                           ("not_understood", .int(summary.notUnderstoodCount))])
    }

    private static func counted(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}
