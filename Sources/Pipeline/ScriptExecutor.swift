import DMASim
import OpScript
import Snapshot

/// Runs a script's ops through an engine in order and checks each line's claims:
/// the "run" pipe, `text → parser → engine → outcomes`, with no I/O of its own.
///
/// Ops go through a `SnapshotKeeper`, which runs `checkpoint` and `verify`: by default it
/// keeps snapshots in memory; give it journal storage to keep them in a journal.
public struct ScriptExecutor {
    /// One executed line.
    public struct LineResult: Sendable {
        /// 0-based position of the op in apply order.
        public var sequence: Int
        public var line: ScriptLine
        public var outcome: Outcome
        /// Claims of the line that did not hold; empty when it passed or had none.
        public var failedClaims: [Claim]

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
        case completed
        /// The first line whose claims did not hold.
        case claimFailed(LineResult)
        /// The first op that could not run at all (unknown handle, bad topology).
        case rejected(LineResult)
    }

    public let engine: Engine
    public let keeper: SnapshotKeeper

    public init(engine: Engine = Engine(), keeper: SnapshotKeeper = SnapshotKeeper()) {
        self.engine = engine
        self.keeper = keeper
    }

    /// Applies every line, handing each result to `body`; stops at the first rejection or
    /// failed claim. Throws what `body` throws, and a keeper's storage failure.
    public func run(_ script: Script, _ body: (LineResult) throws -> Void) throws -> Ending {
        var lines = script.lines.makeIterator()
        return try run(next: { lines.next() }, body)
    }

    /// The same, for lines read as they run (`next` returns nil after the last): a replay
    /// of a long imported trace never holds its script.
    public func run(next: () throws -> ScriptLine?, _ body: (LineResult) throws -> Void) throws -> Ending {
        var sequence = 0
        while let line = try next() {
            defer { sequence += 1 }
            let outcome = try keeper.apply(line.op, to: engine, sequence: sequence)
            let failed = Claim.check(line.claims, outcome: outcome, op: line.op)
            let result = LineResult(sequence: sequence, line: line, outcome: outcome, failedClaims: failed)
            try body(result)
            if result.isUnexpectedRejection { return .rejected(result) }
            if !failed.isEmpty { return .claimFailed(result) }
        }
        return .completed
    }
}
