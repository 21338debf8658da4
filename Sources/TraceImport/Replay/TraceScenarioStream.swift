import DMASim
import Journal
import OpScript

/// `TraceScenario`'s lines one at a time, as the imported journal's calls are read: the
/// topology first, then each call's simulation steps. What it holds is the simulation's
/// state and one call's steps, so replaying a 10 M-line trace takes the memory of a 10 K-line one.
///
///     let stream = try TraceScenarioStream(journalPath: "trace.db")
///     while let line = try stream.next() { run(line.line) }
public final class TraceScenarioStream {
    private let journalPath: String
    private let journal: ImportedJournal
    private let calls: ImportedJournal.CallCursor
    private let simulation: TraceSimulation
    private var names = ScriptNames.Renaming()
    private var pending: [TraceScenario.Line] = []
    private var pendingIndex = 0
    /// Lines handed out so far: the next one's script line number less one.
    private var produced = 0

    public init(journalPath: String) throws(TraceImportError) {
        self.journalPath = journalPath
        do {
            journal = try ImportedJournal(path: journalPath)
            calls = try journal.calls()
        } catch {
            throw .journal(error)
        }
        simulation = TraceSimulation(topology: journal.topology)
        for op in journal.topology { enqueue(op, claims: [], origin: nil, sequence: nil, partOf: nil) }
    }

    /// Comment lines (without `#`) stating what the trace did not say and how it was
    /// filled; complete once `next()` has returned nil (names are renamed as they come).
    public var assumptions: [String] {
        journal.assumptions + names.renamed.map { "\($0.script) is \($0.kernel) in the trace" }
    }

    /// The next line; nil after the last.
    public func next() throws(TraceImportError) -> TraceScenario.Line? {
        while pendingIndex == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingIndex = 0
            let call: ImportedJournal.Call?
            do { call = try calls.next() } catch { throw .journal(error) }
            guard let call else { return nil }
            try enqueueSteps(of: call)
        }
        defer { pendingIndex += 1 }
        return pending[pendingIndex]
    }

    private func enqueueSteps(of call: ImportedJournal.Call) throws(TraceImportError) {
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
            enqueue(step.op, claims: claims, origin: isRecord ? call.origin : nil, sequence: isRecord ? call.seq : nil, partOf: call.seq)
        }
    }

    private func enqueue(_ op: Op, claims: [Claim], origin: String?, sequence: Int?, partOf: Int?) {
        produced += 1
        pending.append(TraceScenario.Line(line: ScriptLine(lineNumber: produced, op: names.scriptOp(op), claims: claims), origin: origin,
                                          sequence: sequence, partOf: partOf))
    }
}
