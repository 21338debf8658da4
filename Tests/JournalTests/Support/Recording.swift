import DMASim
@testable import Journal

/// Runs ops through a fresh engine into a new journal; returns the live outcomes.
enum Recording {
    static let run = RunInfo(toolVersion: "0.0.0-test", seed: 42, source: "tests", createdAt: "2026-11-01T12:00:00Z")

    @discardableResult
    static func record(_ ops: [Op], to path: String, batchSize: Int = JournalWriter.defaultBatchSize,
                       sourceLines: Bool = false, claims: (Int) -> String? = { _ in nil }, finish: Bool = true) throws -> [Outcome] {
        let engine = Engine()
        let writer = try JournalWriter(path: path, run: run, batchSize: batchSize)
        var outcomes: [Outcome] = []
        for (sequence, op) in ops.enumerated() {
            let outcome = engine.apply(op)
            outcomes.append(outcome)
            try writer.record(op, outcome: outcome, sequence: sequence, sourceLine: sourceLines ? sequence + 1 : nil,
                             claims: claims(sequence))
        }
        if finish { try writer.finish() }
        return outcomes
    }
}
