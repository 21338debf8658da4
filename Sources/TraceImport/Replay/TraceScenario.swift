import DMASim
import Journal
import OpScript

/// An imported kernel trace as the script the simulator runs: the same simulation the
/// import ran (`TraceSimulation`), on the machine the import declared, each line claiming
/// what the kernel did — `=> fault not-present` where it reported a fault, `=> completed
/// iova=0x…` where a call returned that address, `=> violation CLASS` where its dma-debug
/// reported misuse, `=> error` where a map failed. Running it (`dmajournal replay` of the
/// imported journal, or `dmajournal run` of the exported script) asks whether the model
/// agrees with the kernel, op by op, on a machine that `--with` can change.
///
/// Names the script format cannot spell (`0000:00:01.0`) get a `dev-` or `group-` prefix
/// (`ScriptNames`); the header says which.
public struct TraceScenario {
    public struct Line: Sendable {
        public var line: ScriptLine
        /// `file:line event` of the trace record; nil for lines the simulation adds.
        public var origin: String?
        /// The journal seq of the imported op; nil for lines the simulation adds.
        public var sequence: Int?
        /// The imported op this line is, or serves when the simulation adds it (a
        /// stand-in map, a `mapping-error` check); nil for the topology, which serves them all.
        public var partOf: Int?

        init(line: ScriptLine, origin: String?, sequence: Int?, partOf: Int?) {
            self.line = line; self.origin = origin; self.sequence = sequence; self.partOf = partOf
        }
    }

    public private(set) var lines: [Line] = []
    /// Comment lines (without `#`) stating what the trace did not say and how it was filled.
    public private(set) var assumptions: [String] = []
    public var script: Script { Script(lines: lines.map(\.line)) }

    /// The whole scenario in memory (an exported script); a replay reads it line by line
    /// through `TraceScenarioStream` instead.
    public init(journalPath: String) throws(TraceImportError) {
        let stream = try TraceScenarioStream(journalPath: journalPath)
        while let line = try stream.next() { lines.append(line) }
        assumptions = stream.assumptions
    }

    /// True when the journal holds a kernel trace (`dmajournal import`) rather than a recording.
    public static func isImported(journalPath: String) throws(TraceImportError) -> Bool {
        do { return !(try JournalReader(path: journalPath).importedSources().isEmpty) } catch { throw .journal(error) }
    }
}
