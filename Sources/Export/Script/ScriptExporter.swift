import DMASim
import Journal
import OpScript
import TraceImport

/// `dmajournal export --format script`: the journal as an op script, each op followed by
/// `=> claims` that describe its recorded outcome exactly (`OutcomeDescriber`). Running
/// the script replays the recording and checks every outcome: `dmajournal run` exits 0
/// on it, and its ops parse back to the journal's ops.
///
/// Streams: one op is read, printed and dropped at a time.
public struct ScriptExporter {
    public let journalPath: String

    public init(journalPath: String) {
        self.journalPath = journalPath
    }

    /// Writes the script; returns the number of op lines.
    public func export(to output: TextOutput) throws(ExportError) -> Int {
        if try tracing({ () throws(TraceImportError) in try TraceScenario.isImported(journalPath: journalPath) }) {
            return try exportTrace(to: output)
        }
        let reader = try reading { () throws(JournalError) in try JournalReader(path: journalPath) }
        try checkNames()
        output.write(header(reader))
        let cursor = try reading { () throws(JournalError) in try reader.makeCursor() }
        var writer = ScriptLineWriter()
        // A journal from before schema 8 ran on 6.16's semantics without saying so.
        if reader.defaultMachine != MachineSpec() { output.write(writer.line(.machine(reader.defaultMachine)) + "\n") }
        let describer = OutcomeDescriber()
        var count = 0
        while let recorded = try reading({ () throws(JournalError) in try cursor.next() }) {
            output.write(writer.line(recorded.op, claims: describer.claims(for: recorded.outcome.outcome)) + "\n")
            count += 1
        }
        try output.close()
        return count
    }

    /// An imported kernel trace: the simulation `TraceScenario` makes of it, each line
    /// followed by the trace record it stands for.
    private func exportTrace(to output: TextOutput) throws(ExportError) -> Int {
        let scenario = try tracing { () throws(TraceImportError) in try TraceScenario(journalPath: journalPath) }
        let notes = ["exported by dmajournal export --format script from \(journalPath), imported from a kernel trace",
                     "each line's claims after => are what the kernel did; `dmajournal run` checks the model against them"]
            + scenario.assumptions
        output.write(notes.map { "# " + Self.oneLine($0) + "\n" }.joined())
        var writer = ScriptLineWriter()
        for line in scenario.lines {
            let origin = line.origin.map { "  # " + Self.oneLine($0) } ?? ""
            output.write(writer.line(line.line.op, claims: line.line.claims) + origin + "\n")
        }
        try output.close()
        return scenario.lines.count
    }

    /// Comment lines saying where the script came from; the script parser skips them.
    private func header(_ reader: JournalReader) -> String {
        let run = reader.run
        let seed = run.seed.map { ", seed 0x" + String($0, radix: 16) } ?? ""
        let lines = [
            "exported by dmajournal export --format script from \(journalPath)",
            "recorded from \(run.source)\(seed) by dmajournal \(run.toolVersion) at \(run.createdAt)",
            reader.stopDescription,
            "each line's claims after => are the outcome the journal recorded; `dmajournal run` checks them",
        ]
        return lines.map { "# " + Self.oneLine($0) + "\n" }.joined()
    }

    /// Every name a line could print must be one the script format can spell.
    private func checkNames() throws(ExportError) {
        let names = try QueryRunner.opening(journalPath).rows("SELECT kind, name FROM names ORDER BY id")
        while try names.advance() {
            let name = names.text(at: 1) ?? ""
            guard ScriptLineWriter.canWrite(name: name) else {
                throw .unscriptableName(path: journalPath, kind: names.text(at: 0) ?? "", name: name)
            }
        }
    }

    /// Runs a call on an imported trace, its error as an export error.
    private func tracing<T>(_ body: () throws(TraceImportError) -> T) throws(ExportError) -> T {
        do { return try body() } catch { throw .importedTrace(error.description) }
    }

    private static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}
