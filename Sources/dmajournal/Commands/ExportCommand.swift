import ArgumentParser
import Export
import TraceImport

/// `dmajournal export FILE --format perfetto|script|csv [-o OUT]`: a journal in another
/// tool's format.
struct ExportCommand: ParsableCommand {
    enum Format: String, CaseIterable {
        case perfetto, script, csv
    }

    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a journal as a Perfetto trace, an op script with => outcomes, or CSV tables.",
        discussion: """
            perfetto: Chrome/Perfetto trace-event JSON (open it in ui.perfetto.dev or chrome://tracing); \
            one track per IOVA state or mapping with its mapped ranges nested, faults with a flow arrow \
            from the mapping that last covered their address; ops at the kernel's time where they carry \
            one (imported traces, time=), else at their seq (1 op = 1 ns): --time; --from-seq/--to-seq export a window. \
            script: an op script whose claims are the recorded outcomes; `dmajournal run` passes on it. \
            csv: one file per table into the directory -o names, or --table NAME to -o FILE or standard output. \
            Tables: \(CSVTable.all.map(\.name).joined(separator: ", ")). \
            Without -o, perfetto and script go to standard output. Exit status 2 for bad input. See docs/export.md.

            EXAMPLES:
              dmajournal export nvme.db --format perfetto -o trace.json
              dmajournal export nvme.db --format script -o nvme.ops
              dmajournal export nvme.db --format csv --table findings
            """
    )

    @Argument(help: "The journal file.")
    var journal: String

    @Option(help: "Output format: perfetto, script or csv.")
    var format: String

    @Option(name: [.short, .customLong("output")], help: "Output file (a directory for csv without --table).")
    var output: String?

    @Option(help: "csv: write only this table.")
    var table: String?

    @Option(help: "perfetto: first seq to export.")
    var fromSeq: Int64?

    @Option(help: "perfetto: last seq to export.")
    var toSeq: Int64?

    @Option(help: "perfetto: when each op happened: auto (the kernel's clock where ops carry it, else op order), kernel, ops.")
    var time: String = TimeBaseChoice.automatic.rawValue

    func validate() throws {
        if let fromSeq, fromSeq < 0 { throw ValidationError("--from-seq \(fromSeq): must be 0 or more") }
        if let toSeq, toSeq < 0 { throw ValidationError("--to-seq \(toSeq): must be 0 or more") }
    }

    func run() throws {
        try CLIFailure.rendering {
            let format = try parsedFormat()
            try checkOptions(for: format)
            if format != .script { DamageWarning.check(journal) }
            switch format {
            case .perfetto: try exportPerfetto()
            case .script: try exportScript()
            case .csv: try exportCSV()
            }
        }
    }

    private func parsedFormat() throws -> Format {
        guard let parsed = Format(rawValue: format) else {
            throw CLIFailure.badInput("--format '\(format)': expected \(Format.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return parsed
    }

    private func checkOptions(for format: Format) throws {
        if table != nil, format != .csv { throw CLIFailure.badInput("--table goes with --format csv") }
        if fromSeq != nil || toSeq != nil, format != .perfetto { throw CLIFailure.badInput("--from-seq and --to-seq go with --format perfetto") }
        if time != TimeBaseChoice.automatic.rawValue, format != .perfetto { throw CLIFailure.badInput("--time goes with --format perfetto") }
        if format == .csv, table == nil, output == nil {
            throw CLIFailure.badInput("--format csv needs -o DIRECTORY (one file per table) or --table NAME")
        }
        if let fromSeq, let toSeq, fromSeq > toSeq { throw CLIFailure.badInput(ExportError.emptyWindow(from: Int(fromSeq), to: Int(toSeq)).description) }
    }

    private func exportPerfetto() throws {
        let window = (fromSeq != nil || toSeq != nil) ? (fromSeq ?? 0)...(toSeq ?? Int64.max) : nil
        let exporter = PerfettoExporter(journalPath: journal, time: try TimeOption.parse(time), window: window)
        let summary = try exportCall { () throws(ExportError) in try exporter.export(to: try openOutput()) }
        if window != nil, summary.window == nil { StandardError.write("dmajournal: note: no op of \(journal) lies in the --from-seq/--to-seq window") }
        report("\(summary.events) trace events: \(summary.mappingSlices) mapped-range slices and \(summary.lifeSlices) IOVA-state and mapping lives on \(summary.handleTracks) tracks, "
            + "\(summary.faults) faults (\(summary.faultFlows) with a flow arrow from their last mapping), \(summary.findings) findings, \(summary.warnings) kernel warnings, \(summary.sideEvents) side events")
    }

    private func exportScript() throws {
        let count = try exportCall { () throws(ExportError) in try ScriptExporter(journalPath: journal).export(to: try openOutput()) }
        let trace = try importCall { () throws(TraceImportError) in try TraceScenario.isImported(journalPath: journal) }
        report(trace ? "\(count) op lines of the trace's simulation, claiming what the kernel did"
                     : "\(count) op lines with their recorded outcomes")
    }

    private func exportCSV() throws {
        let exporter = CSVExporter(journalPath: journal)
        if let table {
            let rows = try exportCall { () throws(ExportError) in try exporter.export(try CSVTable.named(table), to: try openOutput()) }
            return report("table \(table): \(rows) rows")
        }
        let directory = output ?? "."
        let written = try exportCall { () throws(ExportError) in try exporter.exportAll(toDirectory: directory) }
        print("wrote \(directory): " + written.map { "\($0.table.name).csv (\($0.rows) rows)" }.joined(separator: ", "))
    }

    private func openOutput() throws(ExportError) -> TextOutput {
        guard let output, output != "-" else { return TextOutput() }
        return try TextOutput(path: output)
    }

    /// A summary line on stdout, unless stdout is where the export went.
    private func report(_ line: String) {
        guard let output, output != "-" else { return }
        print("wrote \(output): \(line)")
    }
}

/// Runs an export, turning its error into the CLI's one-line bad-input failure.
func exportCall<T>(_ body: () throws(ExportError) -> T) throws -> T {
    do { return try body() } catch { throw CLIFailure.from(error, message: error.description) }
}
