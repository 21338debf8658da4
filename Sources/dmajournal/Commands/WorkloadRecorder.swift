import DMASim
import Foundation
import OpScript
import Pipeline
import Snapshot
import Workloads

/// The record pipe: workload stream → engine → claim check → sink, until the stream ends
/// or Ctrl-C. The injected-misuse mark travels with the step for reporting only; nothing
/// here uses it to judge an outcome.
///
/// Every `checkpointEvery` ops the keeper takes a checkpoint named `auto:SEQ` (memory
/// snapshot and engine state) after op SEQ, before the op goes to the sink: its rows join
/// the op's batch, so a crash keeps both or neither.
struct WorkloadRecorder {
    let stream: WorkloadStream
    var keeper = SnapshotKeeper()
    /// 0: no automatic checkpoints.
    var checkpointEvery = 0

    struct Summary {
        var ops = 0
        var faults = 0
        var findings = 0
        /// Ops whose claims failed, and of those the ones whose data did not come back as
        /// the driver expected (`bytes=`, `digest=`, `iova=`): the rest failed on a status
        /// or a finding (an access the driver believed `ok` that the checker reported).
        var failedClaims = 0
        var failedDataClaims = 0
        var firstFailure: Int?
        /// What the first failing op claimed and what it did, for the closing message.
        var firstFailureDetail = ""
        var injected = 0
        var interrupted = false
        var checkpoints = 0
        var checkpointSeconds = 0.0
        let workload: String
        let seed: UInt64

        /// The summary as one JSON object (`record --format json`).
        func json(journal: String, seconds: Double) -> JSONObject {
            let bytes = (try? FileManager.default.attributesOfItem(atPath: journal)[.size] as? Int) ?? 0
            return JSONObject([("workload", .string(workload)), ("seed", .string(String(seed))), ("ops", .int(ops)),
                               ("faults", .int(faults)), ("findings", .int(findings)), ("failed_claims", .int(failedClaims)),
                               ("failed_data_claims", .int(failedDataClaims)), ("first_failure", firstFailure.map(JSONValue.int) ?? .null),
                               ("injected", .int(injected)), ("interrupted", .bool(interrupted)), ("checkpoints", .int(checkpoints)),
                               ("journal", .string(journal)), ("journal_bytes", .int(bytes)), ("seconds", .double(seconds))])
        }

        func line(journal: String, seconds: Double) -> String {
            let bytes = (try? FileManager.default.attributesOfItem(atPath: journal)[.size] as? Int) ?? 0
            let perOp = ops > 0 ? bytes / ops : 0
            let rate = seconds > 0 ? Int(Double(ops) / seconds) : 0
            let stop = interrupted ? "interrupted: journal holds ops 0…\(ops - 1); " : ""
            let share = seconds > 0 ? 100 * checkpointSeconds / seconds : 0
            let checkpointText = checkpoints == 0 ? ""
                : String(format: "; %d checkpoints in %.2f s (%.1f %%)", checkpoints, checkpointSeconds, share)
            return "\(stop)recorded \(ops) ops of \(workload) (seed \(seed)): \(faults) faults, \(findings) findings, "
                + "\(failedClaims) failed claims (\(failedDataClaims) on data), \(injected) injected; journal \(journal) \(bytes / 1024) KiB "
                + "(\(perOp) B/op); \(String(format: "%.1f", seconds)) s, \(rate) ops/s" + checkpointText
        }
    }

    /// Runs the stream through the pipeline, handing each result and its injected-misuse
    /// mark to `sink`. A failed claim does not stop a recording: the summary counts it.
    func record(_ sink: (ScriptExecutor.LineResult, MisuseInjection?) throws -> Void) throws -> Summary {
        let executor = ScriptExecutor(keeper: keeper)
        var summary = Summary(workload: stream.kind.rawValue, seed: stream.options.seed)
        var steps = stream.makeIterator()
        var injected: MisuseInjection?
        var interrupted = false
        func next() -> ScriptLine? {
            if InterruptFlag.isRaised { interrupted = true; return nil }
            guard let step = steps.next() else { return nil }
            injected = step.injected
            return step.scriptLine(number: 0)
        }
        _ = try executor.run(next: next, stopping: .never) { result in
            if checkpointEvery > 0 && (result.sequence + 1) % checkpointEvery == 0 {
                try takeCheckpoint(of: executor.engine, after: result.sequence, summary: &summary)
            }
            try sink(result, injected)
            summary.count(result.outcome, failed: result.failedClaims, claims: result.line.claims, at: result.sequence, injected: injected != nil)
        }
        summary.interrupted = interrupted
        return summary
    }

    private func takeCheckpoint(of engine: Engine, after sequence: Int, summary: inout Summary) throws {
        let start = ContinuousClock.now
        try keeper.capture(engine, name: "auto:\(sequence)", kind: .checkpoint, afterSequence: sequence)
        summary.checkpoints += 1
        summary.checkpointSeconds += ProgressReporter.seconds(ContinuousClock.now - start)
    }
}

extension WorkloadRecorder.Summary {
    mutating func count(_ outcome: Outcome, failed: [Claim], claims: [Claim], at sequence: Int, injected: Bool) {
        ops += 1
        if outcome.fault != nil { faults += 1 }
        findings += outcome.findings.count
        if injected { self.injected += 1 }
        guard !failed.isEmpty else { return }
        failedClaims += 1
        if failed.contains(where: \.isDataClaim) { failedDataClaims += 1 }
        if firstFailure == nil {
            firstFailure = sequence
            firstFailureDetail = "claimed '\(Claim.text(of: claims))', got '\(OutcomeDescriber().describe(outcome))'"
        }
    }
}
