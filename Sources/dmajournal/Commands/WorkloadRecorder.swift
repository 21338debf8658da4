import DMASim
import Foundation
import OpScript
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
        var failedClaims = 0
        var firstFailure: Int?
        var injected = 0
        var interrupted = false
        var checkpoints = 0
        var checkpointSeconds = 0.0
        let workload: String
        let seed: UInt64

        func line(journal: String, seconds: Double) -> String {
            let bytes = (try? FileManager.default.attributesOfItem(atPath: journal)[.size] as? Int) ?? 0
            let perOp = ops > 0 ? bytes / ops : 0
            let rate = seconds > 0 ? Int(Double(ops) / seconds) : 0
            let stop = interrupted ? "interrupted: journal holds ops 0…\(ops - 1); " : ""
            let share = seconds > 0 ? 100 * checkpointSeconds / seconds : 0
            let checkpointText = checkpoints == 0 ? ""
                : String(format: "; %d checkpoints in %.2f s (%.1f %%)", checkpoints, checkpointSeconds, share)
            return "\(stop)recorded \(ops) ops of \(workload) (seed \(seed)): \(faults) faults, \(findings) findings, "
                + "\(failedClaims) failed data claims, \(injected) injected; journal \(journal) \(bytes / 1024) KiB "
                + "(\(perOp) B/op); \(String(format: "%.1f", seconds)) s, \(rate) ops/s" + checkpointText
        }
    }

    func record(_ sink: (ScriptExecutor.LineResult, MisuseInjection?) throws -> Void) throws -> Summary {
        let engine = Engine()
        var summary = Summary(workload: stream.kind.rawValue, seed: stream.options.seed)
        for (sequence, step) in stream.enumerated() {
            if InterruptFlag.isRaised { summary.interrupted = true; break }
            let outcome = try keeper.apply(step.op, to: engine, sequence: sequence)
            if checkpointEvery > 0 && (sequence + 1) % checkpointEvery == 0 {
                try takeCheckpoint(of: engine, after: sequence, summary: &summary)
            }
            let failed = Claim.check(step.claims, outcome: outcome, op: step.op)
            let line = ScriptLine(lineNumber: 0, op: step.op, claims: step.claims)
            try sink(ScriptExecutor.LineResult(sequence: sequence, line: line, outcome: outcome, failedClaims: failed), step.injected)
            summary.count(outcome, failed: !failed.isEmpty, at: sequence, injected: step.injected != nil)
        }
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
    mutating func count(_ outcome: Outcome, failed: Bool, at sequence: Int, injected: Bool) {
        ops += 1
        if outcome.fault != nil { faults += 1 }
        findings += outcome.findings.count
        if injected { self.injected += 1 }
        if failed {
            failedClaims += 1
            if firstFailure == nil { firstFailure = sequence }
        }
    }
}
