import ArgumentParser
import Export

/// `dmajournal report FILE -o report.html`: one self-contained HTML page about a journal.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one self-contained HTML report of a journal: run, IOVA occupancy, histograms, main queries.",
        discussion: """
            No script and nothing fetched: inline CSS and SVG only, so the file can be attached \
            to a bug report. Without -o the page goes to standard output. Exit status 2 for \
            bad input. See docs/export.md; scripts/render-report.sh takes a screenshot with \
            headless Chromium.

            EXAMPLES:
              dmajournal report nvme.db -o report.html
            """
    )

    @Argument(help: "The journal file.")
    var journal: String

    @Option(name: [.short, .customLong("output")], help: "The HTML file to write.")
    var output: String?

    func run() throws {
        try CLIFailure.rendering {
            let page = try exportCall { () throws(ExportError) in try output.map { path throws(ExportError) in try TextOutput(path: path) } ?? TextOutput() }
            DamageWarning.check(journal)
            let builder = ReportBuilder(journalPath: journal)
            let summary = try exportCall { () throws(ExportError) in try builder.write(to: page) }
            if let output {
                print("wrote \(output): \(summary.devicesCharted) devices charted, \(summary.svgElements) SVG elements")
            }
        }
    }
}
