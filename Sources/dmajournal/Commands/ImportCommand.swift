import ArgumentParser
import Foundation
import Journal
import TraceImport

/// `dmajournal import FILE... --journal J.db`: real kernel traces and logs into a journal.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Journal real kernel traces: ftrace dma/iommu events, dmesg/syslog IOMMU faults, dma-debug warnings, QEMU IOMMU trace events.",
        discussion: """
            Mail quoting ('>') and lines a mail client wrapped are undone first. Several \
            files are interleaved by their time since boot when each has one. Lines that \
            are not DMA or IOMMU events are counted and shown on stderr (the first few of \
            each reason), and per file how many lines were read as events and how many look \
            like DMA or IOMMU reports but were not understood (with their line numbers); \
            the journal keeps them too (import_skips). The summary line goes to stdout. \
            Exit status 0; 2 for bad input: a file that cannot be read or holds no DMA or \
            IOMMU event (or only reports none could be read), or an existing journal \
            without --force. A file whose data ends early (damaged or truncated gzip \
            data, a read error) is also exit 2, after its lines up to there are \
            journaled. On a terminal, a long import shows its progress on stderr. See \
            docs/import.md.

            EXAMPLES:
              dmajournal import trace.txt dmesg.log --journal j.db
              dmajournal import trace.txt.gz --journal j.db
              trace-cmd report | dmajournal import - --journal j.db
              dmajournal import fixtures/traces/13-dmesg-T-amdvi-io-page-fault-ahci-asm1061-43bit.txt --journal j.db --format json
              dmajournal query j.db --named faults-after-unmap
            """
    )

    @Argument(help: "Trace and log files (ftrace/trace-cmd text, dmesg, syslog, QEMU trace output, mail excerpts); gzip-compressed ones are read as they are; - is standard input.")
    var files: [String]

    @Option(help: "The journal file to write.")
    var journal: String

    @Flag(help: "Overwrite an existing journal.")
    var force = false

    @Flag(help: "No report of skipped lines on stderr: only the summary, and the lines that look like DMA or IOMMU reports but were not understood.")
    var quiet = false

    @Option(help: "Output format of the summary: text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one trace or log file") }
    }

    func run() throws {
        try CLIFailure.rendering {
            if FileManager.default.fileExists(atPath: journal), !force {
                throw CLIFailure.badInput(JournalError.alreadyExists(path: journal).description)
            }
            let importer = try importCall { () throws(TraceImportError) -> TraceImporter in try TraceImporter(paths: files) }
            InterruptFlag.stopBetweenOps()
            var progress = ImportProgress()
            let summary = try JournalFile.write(journal, source: files.joined(separator: " "), interruptedBy: { InterruptFlag.signal }) { writer in
                try importCall { () throws(TraceImportError) -> ImportSummary in
                    try importer.run(into: writer, stopRequested: { InterruptFlag.isRaised }) { progress.update(lines: $0, ops: $1) }
                }
            }
            progress.finish()
            ImportReport.perFile(summary, quiet: quiet).forEach(StandardError.write)
            print(format == .json ? ImportReport.json(summary, journal: journal).text : ImportReport.summaryLine(summary, journal: journal))
            if let line = ImportReport.disagreementLine(summary) { StandardError.write(line) }
            if InterruptFlag.isRaised { throw CLIFailure.interrupted(JournalSink.interruptedLine(path: journal, opsKept: summary.opCount)) }
            if let damaged = summary.firstReadFailure {
                throw CLIFailure.badInput("\(damaged.description); the lines before it are imported into \(journal)")
            }
        }
    }
}

/// Runs an import call, turning its error into the CLI's one-line bad-input failure.
func importCall<T>(_ body: () throws(TraceImportError) -> T) throws -> T {
    do { return try body() } catch { throw CLIFailure.from(error, message: error.description) }
}
