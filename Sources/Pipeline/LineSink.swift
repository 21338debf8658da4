import DMASim

/// Where a run's results go: the journal, the printed outcomes, a recording's summary, a
/// reproducer's text, the outcomes a caller compares. `ScriptExecutor.run` hands each
/// line's result to one sink, in apply order; the engine never calls a sink itself (it
/// does no I/O).
///
/// A sink that throws stops the run: what it throws comes out of `run`.
public protocol LineSink {
    /// Takes the result of the line just run.
    mutating func take(_ result: ScriptExecutor.LineResult) throws
}

/// The outcomes of a run, in apply order: for callers that compare them afterwards.
public struct OutcomeList: LineSink {
    /// Every outcome taken, in apply order.
    public private(set) var outcomes: [Outcome] = []

    /// An empty list.
    public init() {}

    /// Keeps the result's outcome.
    public mutating func take(_ result: ScriptExecutor.LineResult) throws {
        outcomes.append(result.outcome)
    }
}
