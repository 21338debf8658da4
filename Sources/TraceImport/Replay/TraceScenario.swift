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
    }

    public private(set) var lines: [Line] = []
    /// Comment lines (without `#`) stating what the trace did not say and how it was filled.
    public private(set) var assumptions: [String] = []
    public var script: Script { Script(lines: lines.map(\.line)) }

    public init(journalPath: String) throws(TraceImportError) {
        let journal: ImportedJournal
        do { journal = try ImportedJournal(path: journalPath) } catch { throw .journal(error) }
        var names = ScriptNames.Renaming()
        let simulation = TraceSimulation(topology: journal.topology)
        for op in journal.topology { append(op, claims: [], origin: nil, sequence: nil, partOf: nil, &names) }
        for call in journal.calls {
            for step in simulation.steps(for: call.record) {
                var claims = step.claims
                if step.record != nil, let text = call.claims {
                    do {
                        claims = try ScriptParser().parseClaims(text, fileName: "\(journalPath) seq \(call.seq) claims")
                    } catch {
                        throw .badClaims(path: journalPath, seq: call.seq, text: text)
                    }
                }
                let isRecord = step.record != nil
                append(step.op, claims: claims, origin: isRecord ? call.origin : nil, sequence: isRecord ? call.seq : nil,
                       partOf: call.seq, &names)
            }
        }
        for index in lines.indices { lines[index].line.lineNumber = index + 1 }
        assumptions = journal.assumptions + names.renamed.map { "\($0.script) is \($0.kernel) in the trace" }
    }

    /// True when the journal holds a kernel trace (`dmajournal import`) rather than a recording.
    public static func isImported(journalPath: String) throws(TraceImportError) -> Bool {
        do { return !(try JournalReader(path: journalPath).importedSources().isEmpty) } catch { throw .journal(error) }
    }

    private mutating func append(_ op: Op, claims: [Claim], origin: String?, sequence: Int?, partOf: Int?,
                                 _ names: inout ScriptNames.Renaming) {
        lines.append(Line(line: ScriptLine(lineNumber: 0, op: names.scriptOp(op), claims: claims), origin: origin,
                          sequence: sequence, partOf: partOf))
    }
}
