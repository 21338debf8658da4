import DMASim
import OpScript
import Pipeline
import Replay
import TraceImport

/// An imported journal's scenario (`TraceScenarioStream`: the topology first, then the
/// kernel's calls with the flush-queue timer runs the import inferred) running on the
/// model, changed by `--with`, up to an op. `replay` and `state` of an imported journal
/// both run it, so the machine `state` shows is the one `replay` checked.
struct TraceScenarioRun {
    let journal: String
    let overrides: [TopologyOverride]
    /// Stop after this imported op (journal seq).
    let lastSequence: Int?
    /// The pipeline the lines run on; its engine stays as the last line left it.
    let executor = ScriptExecutor()

    /// Runs the scenario, handing `each` every line's result with the scenario line it
    /// came from; returns how it ended and the last line run. One call's lines are in
    /// memory at a time.
    func run(_ each: (ScriptExecutor.LineResult, TraceScenario.Line) throws -> Void) throws
        -> (ending: ScriptExecutor.Ending, last: TraceScenario.Line?) {
        let scenario = try importCall { () throws(TraceImportError) in try TraceScenarioStream(journalPath: journal) }
        var current: TraceScenario.Line?
        func nextLine() throws -> ScriptLine? {
            guard var line = try importCall({ () throws(TraceImportError) in try scenario.next() }) else { return nil }
            // Calls come in seq order, the topology (partOf nil) first: past the last one asked for, the rest is too.
            if let lastSequence, let partOf = line.partOf, partOf > lastSequence { return nil }
            line.line.op = overrides.apply(to: line.line.op)
            current = line
            return line.line
        }
        let ending = try executor.run(next: nextLine) { result in
            if let line = current { try each(result, line) }
        }
        return (ending, current)
    }

    /// The lines of the scenario at the given executor sequences (the numbers the engine
    /// gives ops), read again from the journal: what `state` names an IOTLB fill by.
    func lines(at sequences: Set<Int>) throws -> [Int: TraceScenario.Line] {
        guard let last = sequences.max() else { return [:] }
        let scenario = try importCall { () throws(TraceImportError) in try TraceScenarioStream(journalPath: journal) }
        var found: [Int: TraceScenario.Line] = [:]
        var sequence = 0
        while sequence <= last, let line = try importCall({ () throws(TraceImportError) in try scenario.next() }) {
            if sequences.contains(sequence) { found[sequence] = line }
            sequence += 1
        }
        return found
    }

    /// Where and how the model parted from the kernel, as `replay` says it.
    func disagreement(at result: ScriptExecutor.LineResult, line: TraceScenario.Line?, replayed: Int) -> String {
        let machine = overrides.isEmpty ? "" : " with \(overrides.map(\.description).joined(separator: ", "))"
        let place = line?.sequence.map { "seq \($0) (\(line?.origin ?? "added by the scenario"))" }
            ?? "script line \(result.sequence + 1), which the scenario adds"
        var writer = ScriptLineWriter()
        return """
            \(journal): the model\(machine) disagrees with the kernel at \(place) after \(replayed) ops
              op:     \(writer.line(result.line.op, claims: []))
              kernel: \(result.line.claims.isEmpty ? "(nothing: the trace does not show this op)" : result.line.claims.map(\.description).joined(separator: ", "))
              model:  \(OutcomeDescriber().describe(result.outcome))
            """
    }
}
