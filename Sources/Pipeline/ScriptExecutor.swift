import DMASim
import OpScript
import Snapshot

/// The one loop every way of running ops goes through (`run`, `record`, the replay of an
/// imported trace, `minimize`'s candidates and reproducer, `import`, the oracle's model
/// side): each line's op goes to the engine by way of a `SnapshotKeeper` (which runs
/// `checkpoint` and `verify`), the line's claims are checked against the outcome, and the
/// result goes to a `LineSink`. It does no I/O of its own.
///
/// The keeper keeps snapshots in memory by default; give it journal storage to keep them
/// in a journal. (Replaying a journal compares with recorded outcomes instead of claims:
/// `Replayer`, on a `ReplayPosition`'s keeper.)
public struct ScriptExecutor {
    /// One executed line.
    public struct LineResult: Sendable {
        /// 0-based position of the op in apply order.
        public var sequence: Int
        /// The line as it ran: its op and the claims it was checked against.
        public var line: ScriptLine
        /// What the engine returned and caused.
        public var outcome: Outcome
        /// Claims of the line that did not hold; empty when it passed or had none.
        public var failedClaims: [Claim]

        /// A result as the pipeline makes one (callers that make their own: tests).
        public init(sequence: Int, line: ScriptLine, outcome: Outcome, failedClaims: [Claim]) {
            self.sequence = sequence; self.line = line; self.outcome = outcome; self.failedClaims = failedClaims
        }

        /// The op could not run and the line did not expect that.
        public var isUnexpectedRejection: Bool {
            if case .rejected = outcome.status { return !line.claims.contains(.rejected) }
            return false
        }
    }

    /// Why a run ended.
    public enum Ending: Sendable {
        /// Every line ran (and, when stopping at the first failure, none failed).
        case completed
        /// The first line whose claims did not hold.
        case claimFailed(LineResult)
        /// The first op that could not run at all (unknown handle, bad topology).
        case rejected(LineResult)
    }

    /// Whether a run ends at the first line that failed (a claim that did not hold, an op
    /// that could not run and did not claim `rejected`) or runs every line and leaves the
    /// judging to the sink (`record` counts failed claims, `import` disagreements).
    public enum Stopping: Sendable {
        /// End the run at the first failed line, with `claimFailed` or `rejected`.
        case atFirstFailure
        /// Run every line; the run ends `completed`.
        case never
    }

    /// The engine the lines run on; it stays as the last line left it.
    public let engine: Engine
    /// What runs `checkpoint` and `verify` and keeps their snapshots.
    public let keeper: SnapshotKeeper

    /// A pipeline on `engine` (a fresh one by default), keeping snapshots in `keeper`
    /// (in memory by default).
    public init(engine: Engine = Engine(), keeper: SnapshotKeeper = SnapshotKeeper()) {
        self.engine = engine
        self.keeper = keeper
    }

    /// Applies `lines` in order, handing each result to `sink`; `sequence` numbers the
    /// first (a caller that runs its ops in several calls continues the count). Throws what
    /// the sink throws, and a keeper's storage failure.
    public func run(_ lines: some Sequence<ScriptLine>, into sink: inout some LineSink,
                    stopping: Stopping = .atFirstFailure, from sequence: Int = 0) throws -> Ending {
        var iterator = lines.makeIterator()
        return try loop(next: { iterator.next() }, from: sequence, stopping: stopping) { try sink.take($0) }
    }

    /// The same, for lines read as they run (`next` returns nil after the last): a replay
    /// of a long imported trace never holds its script.
    public func run(next: () throws -> ScriptLine?, into sink: inout some LineSink,
                    stopping: Stopping = .atFirstFailure) throws -> Ending {
        try loop(next: next, from: 0, stopping: stopping) { try sink.take($0) }
    }

    /// `lines` into a closure in place of a sink.
    public func run(_ lines: some Sequence<ScriptLine>, stopping: Stopping = .atFirstFailure, from sequence: Int = 0,
                    _ body: (LineResult) throws -> Void) throws -> Ending {
        var iterator = lines.makeIterator()
        return try loop(next: { iterator.next() }, from: sequence, stopping: stopping, body)
    }

    /// A script's lines into a closure, stopping at the first failure.
    public func run(_ script: Script, _ body: (LineResult) throws -> Void) throws -> Ending {
        try run(script.lines, body)
    }

    /// Lines read as they run into a closure.
    public func run(next: () throws -> ScriptLine?, stopping: Stopping = .atFirstFailure,
                    _ body: (LineResult) throws -> Void) throws -> Ending {
        try loop(next: next, from: 0, stopping: stopping, body)
    }

    /// The loop itself: apply through the keeper, check the claims, hand the result on.
    private func loop(next: () throws -> ScriptLine?, from first: Int, stopping: Stopping,
                     _ body: (LineResult) throws -> Void) throws -> Ending {
        var sequence = first
        while let line = try next() {
            defer { sequence += 1 }
            let outcome = try keeper.apply(line.op, to: engine, sequence: sequence)
            let failed = Claim.check(line.claims, outcome: outcome, op: line.op)
            let result = LineResult(sequence: sequence, line: line, outcome: outcome, failedClaims: failed)
            try body(result)
            guard stopping == .atFirstFailure else { continue }
            if result.isUnexpectedRejection { return .rejected(result) }
            if !failed.isEmpty { return .claimFailed(result) }
        }
        return .completed
    }
}
