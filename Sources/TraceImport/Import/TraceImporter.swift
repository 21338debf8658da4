import DMASim
import Journal
import OpScript
import Pipeline

/// `dmajournal import`: reads kernel traces and logs and journals their DMA and IOMMU
/// calls as ops, checked by the model, so the journal's views answer the same questions
/// as on a simulation.
///
///     let importer = try TraceImporter(paths: ["trace.txt", "dmesg.txt"])
///     let summary = try importer.run(into: writer)
///
/// Pipeline, per file: `LineReader` (1 MiB blocks; `-` is stdin, `.gz` is read through
/// gzip) → `LineJoiner` (mail quotes and wrapped lines) → the line's prefix (ftrace,
/// dmesg, syslog, QEMU) → the parser for its format → `ParsedEvent`s, and the machine's
/// facts (`MachineFactsReader`) from header and boot lines. `SourceMerger` interleaves the
/// files by time since boot; `CallAssembler` folds the events of one kernel call into one
/// and rebuilds two-step requests; `EventJournaler` turns each call into the op it is,
/// as the kernel did it (`ImportedOp`); `TraceSimulation` makes the ops the model runs of
/// it, with the machine declared as needed; the engine runs them, and its checker's
/// findings are the journal's. Each op is journaled with what the kernel did as its
/// claims (`ops.claims`), which `dmajournal replay` checks the model against.
public final class TraceImporter {
    public let paths: [String]
    /// Events between two `progress` calls.
    public static let progressInterval = 1 << 16
    private let sources: [TraceSource]
    private let facts: MachineFactsReader

    /// Opens every file first, so a missing one fails before anything is written.
    public init(paths: [String]) throws(TraceImportError) {
        let devices = DeviceDirectory()
        let facts = MachineFactsReader(devices: devices)
        var sources: [TraceSource] = []
        for path in paths {
            guard let source = TraceSource(path: path, devices: devices, facts: facts) else { throw .unreadable(path: path) }
            sources.append(source)
        }
        self.paths = paths
        self.sources = sources
        self.facts = facts
    }

    /// Physical lines read so far, over all files.
    public var linesRead: Int { sources.reduce(0) { $0 + $1.linesRead } }

    /// Imports every file into `writer` (which the caller finishes). Throws `noEvents`
    /// after writing when a file held no event: the caller discards the journal.
    /// `stopRequested` is polled between events (Ctrl-C): when it says so, the import ends
    /// there, with the machine declared and the sources' totals so far, a valid journal
    /// of the events read. `progress` is called every `progressInterval` events with the
    /// lines read and the ops journaled so far (a long import's progress line).
    public func run(into writer: JournalWriter, stopRequested: () -> Bool = { false },
                    progress: (_ lines: Int, _ ops: Int) -> Void = { _, _ in }) throws(TraceImportError) -> ImportSummary {
        let journaler = EventJournaler()
        var merger: SourceMerger
        var run = SimulatedRun()
        do {
            let ids = try paths.map { path throws(JournalError) -> Int64 in try writer.addImportSource(path: path) }
            merger = SourceMerger(sources)
            let assembler = CallAssembler()
            func journalSettled() throws(JournalError) {
                while let (event, index) = assembler.next() {
                    for record in journaler.journal(event, sourceID: ids[index]) {
                        try run.record(record, facts: facts.facts, into: writer)
                    }
                }
            }
            var events = 0
            while !stopRequested(), let (event, index) = merger.next() {
                assembler.strictIOMMU = facts.facts.strict == true
                assembler.feed(event, source: index)
                try journalSettled()
                events += 1
                if events % Self.progressInterval == 0 { progress(linesRead, run.opCount) }
            }
            assembler.finish()
            try journalSettled()
            try run.finish(into: writer)
            try writer.addImportAssumptions(run.simulation?.summaryOfAssumptions ?? [])
            for (index, source) in sources.enumerated() { try writer.completeImportSource(id: ids[index], totals: source.tally.totals) }
        } catch {
            throw .journal(error)
        }
        if let empty = sources.first(where: { $0.tally.events == 0 }) {
            let tally = empty.tally
            if let failure = tally.readFailure { throw .damaged(path: empty.path, afterLine: tally.lines, reason: failure) }
            if tally.notUnderstoodLines > 0, let first = tally.notUnderstood.first {
                throw .noneUnderstood(path: empty.path, lines: tally.notUnderstoodLines, first: first)
            }
            throw .noEvents(path: empty.path, lines: tally.lines, skipped: tally.skipped, firstSkip: tally.skipExamples.first)
        }
        return ImportSummary(
            sources: sources.map {
                ImportSummary.Source(path: $0.path, totals: $0.tally.totals, eventsByKind: $0.tally.eventsByKind, eventLines: $0.tally.eventLines,
                                     notUnderstoodLines: $0.tally.notUnderstoodLines, notUnderstood: $0.tally.notUnderstood,
                                     readFailure: $0.tally.readFailure)
            },
            opCount: run.opCount, opsByKind: run.opsByKind, findingCount: run.findingCount,
            mergedByTime: merger.mergesByTime, disagreements: run.disagreements, firstDisagreement: run.firstDisagreement,
            assumptions: run.simulation?.summaryOfAssumptions ?? [])
    }
}

/// The trace running on the model as it is journaled: each kernel call's simulation
/// steps go through the engine; the call is journaled with the engine's findings (and
/// those of the steps the simulation added for it), and its claims are checked.
struct SimulatedRun {
    private(set) var simulation: TraceSimulation?
    /// The model the trace runs on. A trace has no `checkpoint` or `verify`, so its keeper
    /// never takes a snapshot.
    private let executor = ScriptExecutor()
    private var engine: Engine { executor.engine }
    /// Simulation steps applied so far (the pipeline's sequence; a call may take several).
    private var stepCount = 0
    private(set) var opCount = 0
    private(set) var opsByKind: [OpKind: Int] = [:]
    private(set) var findingCount = 0
    private(set) var disagreements = 0
    private(set) var firstDisagreement: String?
    /// Findings of the steps added for the next record (a stand-in map's).
    private var pendingFindings: [Finding] = []
    /// The machine as the simulation declared it: journaled after the calls, so that a
    /// call's seq is its place among the trace's calls.
    private var topology: [Op] = []
    /// The records read but not yet run: the trace ahead of the one running.
    private var ahead = LookaheadRecords(capacity: SimulatedRun.lookahead)
    /// How many records the import reads ahead of the one the model runs: enough for the
    /// kernel to hand out again the IOVAs a flush-queue timer run freed.
    static let lookahead = 32768

    /// Takes the next record in call order; it runs once `lookahead` more have come (or at `finish`).
    mutating func record(_ record: ImportedOp, facts: MachineFacts, into writer: JournalWriter) throws(JournalError) {
        ahead.append(record, facts: facts)
        while ahead.isOverfull { try runOldest(into: writer) }
    }

    /// Runs the oldest record read; a traced timer run that came inside the call after it
    /// goes after that call (`FlushTimerPlacement.callInterrupted`), and another task's
    /// untraced try_alloc that the IOVAs show ran before it goes before it
    /// (`UntracedAllocationOrder`).
    private mutating func runOldest(into writer: JournalWriter) throws(JournalError) {
        guard let oldest = ahead.removeFirst() else { return }
        if let offset = UntracedAllocationOrder.allocationBefore(oldest.record, engine: engine, ahead: ahead.pending) {
            var earlier = ahead.remove(pendingAt: offset)
            let note = earlier.record.provenance?.note.map { $0 + "; " } ?? ""
            earlier.record.provenance?.note = note + UntracedAllocationOrder.note(movedBefore: oldest.record)
            try run(earlier.record, facts: earlier.facts, into: writer)
        }
        if let offset = FlushTimerPlacement.callInterrupted(by: oldest.record, engine: engine, ahead: ahead.pending) {
            let call = ahead.remove(pendingAt: offset)
            try run(call.record, facts: call.facts, into: writer)
        }
        try run(oldest.record, facts: oldest.facts, into: writer)
    }

    private mutating func run(_ record: ImportedOp, facts: MachineFacts, into writer: JournalWriter) throws(JournalError) {
        var record = record
        if case .flush(let call) = record.op.call {
            // A traced expiry names no device yet; the flushes placed here name theirs.
            if call.device == nil {
                record = FlushTimerPlacement.attributed(record, engine: engine)
            }
        } else {
            for flush in FlushTimerPlacement.inferredFlushes(before: record, engine: engine, ahead: ahead) {
                try run(flush, facts: facts, into: writer)
            }
        }
        if simulation == nil { simulation = TraceSimulation(facts: facts) } else { simulation!.facts = facts }
        let steps = simulation!.steps(for: record)
        if !steps.contains(where: { $0.record != nil }) {
            // A call the simulation cannot run (it names no device, it unmapped nothing) is
            // journaled all the same, as the trace has it (a dma-debug report keeps its class).
            try journal(record, claims: nil, writer)
        }
        let first = stepCount, executor = executor
        stepCount += steps.count
        do {
            let lines = steps.lazy.map { ScriptLine(lineNumber: 0, op: $0.op, claims: $0.claims) }
            _ = try executor.run(lines, stopping: .never, from: first) { result in try take(result, of: steps[result.sequence - first], writer) }
        } catch let error as JournalError {
            throw error
        } catch {
            throw JournalError.invalidRecord(path: writer.path, seq: Int64(opCount), reason: "the model could not run it: \(error)")
        }
    }

    /// One simulation step's result: a kernel call is journaled with its findings (and
    /// those of the steps added for it) and its claims judged; a declaration waits for
    /// `finish`; an added step's findings wait for the next call.
    private mutating func take(_ result: ScriptExecutor.LineResult, of step: TraceSimulation.Step, _ writer: JournalWriter) throws(JournalError) {
        if let kernel = step.record {
            var journaled = kernel
            journaled.op.cpu = step.op.cpu
            journaled.op.time = step.op.time
            journaled.outcome.findings = pendingFindings + result.outcome.findings
            pendingFindings = []
            try journal(journaled, claims: step.claims, writer)
            if !result.failedClaims.isEmpty { noteDisagreement(step, result.outcome, result.failedClaims) }
        } else if step.op.kind.isTopology {
            topology.append(step.op)
        } else {
            pendingFindings += result.outcome.findings
        }
    }

    /// Journals the machine the calls ran on.
    mutating func finish(into writer: JournalWriter) throws(JournalError) {
        while !ahead.isEmpty { try runOldest(into: writer) }
        for op in topology { try journal(ImportedOp(op: op, outcome: .ok, provenance: nil), claims: nil, writer) }
        topology = []
    }

    private mutating func journal(_ op: ImportedOp, claims: [Claim]?, _ writer: JournalWriter) throws(JournalError) {
        try writer.record(op, sequence: opCount, claims: claims.flatMap { $0.isEmpty ? nil : Claim.text(of: $0) })
        opCount += 1
        opsByKind[op.op.kind, default: 0] += 1
        findingCount += op.outcome.findings.count
    }

    private mutating func noteDisagreement(_ step: TraceSimulation.Step, _ outcome: Outcome, _ failed: [Claim]) {
        disagreements += 1
        guard firstDisagreement == nil, let provenance = step.record?.provenance else { return }
        firstDisagreement = "seq \(opCount - 1) (line \(provenance.line) \(provenance.kernelNaming)): the kernel \(Claim.text(of: failed)), the model \(OutcomeDescriber().describe(outcome))"
    }
}
