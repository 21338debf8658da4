import DMASim
import Journal
import OpScript
import Pipeline

/// Shrinks a journal to a short op script that still makes a predicate hold.
///
/// 1. Bisect to the first bad op; later ops cannot matter.
/// 2. Try the slice first: the machine plus the lives of the handle the bad op used.
///    When the bug is there, delta debugging starts from a handful of groups.
/// 3. ddmin over op groups (a handle's alloc … free together, so candidates stay valid
///    scripts), then over single ops (dropping part of a life may itself be the bug),
///    then shrink data-access lengths.
/// 4. Print the survivors with claims describing their outcomes: a self-checking
///    reproducer.
///
/// Like replay and bisect, it never reads the injected-misuse mark.
public struct Minimizer {
    /// Data accesses are shrunk no further than this.
    static let smallestAccess: UInt64 = 64

    private let reader: JournalReader
    private let overrides: [TopologyOverride]

    public init(reader: JournalReader, overrides: [TopologyOverride] = []) throws(ReplayError) {
        _ = try Replayer(reader: reader, overrides: overrides)
        self.reader = reader
        self.overrides = overrides
    }

    /// Minimises towards `predicate`. `progress` gets the seq the bisect reached;
    /// `improved` the op count and candidates run each time a shorter reproducer is found.
    /// When `isInterrupted` turns true (Ctrl-C) the shortest reproducer found so far is
    /// returned, marked `interrupted`.
    public func minimize(_ predicate: BisectPredicate, progress: (Int) -> Void = { _ in },
                         improved: @escaping (Int, Int) -> Void = { _, _ in },
                         isInterrupted: @escaping () -> Bool = { false }) throws(ReplayError) -> Reproducer {
        let bisected = try Bisector(reader: reader, overrides: overrides).bisect(predicate, progress: progress)
        guard case .firstBad(let firstBad) = bisected.verdict else {
            throw .commandAborted("bisect was inconclusive, so there is no first bad op to minimise towards")
        }
        let prefix = try readPrefix(through: firstBad)
        let target = Self.specialise(predicate, by: bisected.replayedOutcome)
        var judge = CandidateJudge(predicate: target, original: target.isEvent ? bisected.replayedOutcome : nil, overrides: overrides,
                                   reference: ReferenceOutcomes(prefix: prefix, overrides: overrides), isInterrupted: isInterrupted)
        judge.onImprovement = improved
        judge.firstBad = firstBad
        var lines = prefix
        var interrupted = false
        do {
            lines = try shrink(prefix, judge: &judge)
        } catch .interrupted {
            interrupted = true
            lines = judge.best ?? prefix
        }
        return Reproducer(script: try describe(lines, predicate: target, firstBad: firstBad, interrupted: interrupted), opCount: lines.count,
                          prefixOpCount: firstBad + 1, firstBad: firstBad, candidatesRun: judge.runs, interrupted: interrupted)
    }

    /// Steps 2 to 5: the slice, ddmin over groups then single ops, shorter accesses.
    /// `machine`, `region`, `swiotlb` and `advance` lines are never removed (`isPinned`):
    /// they say what machine and memory the kept ops run on and when, and a reproducer
    /// without them reads as a different machine even where no outcome changes.
    private func shrink(_ prefix: [ScriptLine], judge: inout CandidateJudge) throws(ReplayError) -> [ScriptLine] {
        let pinned = prefix.indices.filter { Self.isPinned(prefix[$0].op.kind) }
        let groups = OpGroups(prefix.map(\.op)).groups.filter { !$0.allSatisfy(pinned.contains) }
        var start = groups
        let slice = Self.slice(groups, prefix: prefix, firstBad: prefix.count - 1)
        if slice.count < groups.count, try judge.holds(Self.lines(pinned + slice.flatMap { $0 }, prefix)) { start = slice }
        let keptGroups = try DeltaDebugger.minimise(start) { (candidate) throws(ReplayError) in
            try judge.holds(Self.lines(pinned + candidate.flatMap { $0 }, prefix))
        }
        let keptOps = try DeltaDebugger.minimise(keptGroups.flatMap { $0 }.sorted()) { (candidate) throws(ReplayError) in
            try judge.holds(Self.lines(pinned + candidate, prefix))
        }
        var lines = Self.lines(pinned + keptOps, prefix)
        try shrinkAccesses(&lines, judge: &judge)
        return lines
    }

    /// A loose predicate made as specific as the bug found: `finding` becomes the class
    /// the first bad op reported, `fault` its kind, so shrinking cannot wander to a
    /// different bug.
    static func specialise(_ predicate: BisectPredicate, by outcome: Outcome?) -> BisectPredicate {
        switch predicate {
        case .finding(nil): return outcome?.findings.first.map { .finding($0.misuse) } ?? predicate
        case .fault(nil): return outcome?.fault.map { .fault($0.kind) } ?? predicate
        default: return predicate
        }
    }

    /// Ops every reproducer keeps: the machine line (architecture, kernel, CPUs, HZ), the
    /// declarations of its memory (regions, the swiotlb pool), and `advance`, which moves
    /// the clock that fires kernel timers (the flush queue's fq_flush_timeout).
    static func isPinned(_ kind: OpKind) -> Bool { [.machine, .region, .swiotlb, .advance].contains(kind) }

    /// Topology declarations plus every life of the handle the bad op used.
    static func slice(_ groups: [[Int]], prefix: [ScriptLine], firstBad: Int) -> [[Int]] {
        let handle = prefix[firstBad].op.handleName
        return groups.filter { group in
            let op = prefix[group[0]].op
            return op.kind.isTopology || group.contains(firstBad) || (handle != nil && op.handleName == handle)
        }
    }

    static func lines(_ indexes: [Int], _ prefix: [ScriptLine]) -> [ScriptLine] {
        indexes.sorted().map { prefix[$0] }
    }

    private func readPrefix(through last: Int) throws(ReplayError) -> [ScriptLine] {
        var lines: [ScriptLine] = []
        do {
            let cursor = try reader.makeCursor()
            while let recorded = try cursor.next(), recorded.seq <= last {
                lines.append(ScriptLine(lineNumber: recorded.seq, op: recorded.op, claims: try Bisector.claims(of: recorded, path: reader.path)))
            }
        } catch let error as JournalError {
            throw .journal(error)
        } catch {
            throw .journal(.invalidRecord(path: reader.path, seq: -1, reason: "\(error)"))
        }
        return Self.declaringTheMachine(lines, default: reader.defaultMachine, overrides: overrides)
    }

    /// The prefix with its machine as a first line when the journal has none and the
    /// engine's defaults would not be it (a journal from before schema 8, or a `--with
    /// kernel=`): candidates then run, and the reproducer checks itself, on the machine
    /// the journal ran on (overridden like any declaration). Its line number is -1.
    static func declaringTheMachine(_ lines: [ScriptLine], default machine: MachineSpec,
                                    overrides: [TopologyOverride]) -> [ScriptLine] {
        let changesMachine = overrides.contains { $0.targetKind == .machine }
        guard !lines.contains(where: { $0.op.kind == .machine }), machine != MachineSpec() || changesMachine else { return lines }
        return [ScriptLine(lineNumber: -1, op: .machine(machine))] + lines
    }

    /// Halves each data access while the bug still shows.
    private func shrinkAccesses(_ lines: inout [ScriptLine], judge: inout CandidateJudge) throws(ReplayError) {
        for index in lines.indices {
            while let length = lines[index].op.accessLength, length > Self.smallestAccess,
                  let shorter = lines[index].op.withAccessLength(length / 2) {
                var candidate = lines
                candidate[index].op = shorter
                guard try judge.holds(candidate) else { break }
                lines = candidate
            }
        }
    }

    /// The script: a header saying where it came from, then the kept ops as they run on
    /// the machine minimised for (`ReproducerText`).
    private func describe(_ lines: [ScriptLine], predicate: BisectPredicate, firstBad: Int, interrupted: Bool) throws(ReplayError) -> String {
        let executor = ScriptExecutor(engine: overrides.freshEngine())
        let header = """
            # Reproducer minimised by dmajournal from \(reader.path)
            # until \(predicate)\(overrides.isEmpty ? "" : " with " + overrides.map(\.description).joined(separator: " "))
            # \(lines.count) of the \(firstBad + 1) ops up to seq \(firstBad), where it first held.\(interrupted ? "\n# Interrupted: the shortest reproducer found so far, not a minimal one." : "")

            """
        var reproducer = ReproducerText(header: header, engine: executor.engine, predicate: predicate,
                                        declaresBootPool: overrides.bootSwiotlb != nil && !lines.contains { $0.op.kind == .swiotlb })
        // On a changed machine the script declares that machine, so it checks itself. The
        // keeper applies each op itself: a snapshot failure is an error, never a second
        // apply (a checkpoint's op has run by the time its capture fails).
        let changed = lines.map { line in ScriptLine(lineNumber: line.lineNumber, op: overrides.apply(to: line.op), claims: line.claims) }
        do { _ = try executor.run(changed, into: &reproducer, stopping: .never) } catch { throw .snapshot("\(error)") }
        return reproducer.text
    }
}
