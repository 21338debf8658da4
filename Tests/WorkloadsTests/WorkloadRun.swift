import DMASim
import OpScript
@testable import Workloads

/// A workload stream run through a fresh engine, the way `record` will run it, keeping
/// what the tests look at: where claims failed, where the checker or the IOMMU first
/// noticed anything, and where misuse was injected.
struct WorkloadRun {
    struct Failure: CustomStringConvertible {
        var index: Int
        var step: WorkloadStep
        var outcome: Outcome
        var failedClaims: [Claim]

        var description: String {
            "step \(index): \(ScriptPrinter().line(step.op, claims: step.claims)) failed \(Claim.text(of: failedClaims)); got "
                + OutcomeDescriber().describe(outcome)
        }
    }

    var stepCount = 0
    var steps: [WorkloadStep] = []
    var failures: [Failure] = []
    /// Steps with a finding, a fault, a rejection or a failed claim, in order.
    var detections: [Failure] = []
    var injected: [(index: Int, mark: MisuseInjection)] = []
    var engine = Engine()

    /// Runs `stream` to its end, or until an outcome reports `stopClass`; keeps every
    /// step when `keepSteps`.
    init(_ stream: WorkloadStream, until stopClass: MisuseClass? = nil, keepSteps: Bool = false) {
        for (index, step) in stream.enumerated() {
            stepCount += 1
            if keepSteps { steps.append(step) }
            if let mark = step.injected { injected.append((index, mark)) }
            let outcome = engine.apply(step.op)
            record(index, step, outcome)
            if let stopClass, outcome.reports(stopClass) { break }
        }
    }

    private mutating func record(_ index: Int, _ step: WorkloadStep, _ outcome: Outcome) {
        let failed = Claim.check(step.claims, outcome: outcome, op: step.op)
        let failure = Failure(index: index, step: step, outcome: outcome, failedClaims: failed)
        if !failed.isEmpty { failures.append(failure) }
        if !failed.isEmpty || !outcome.findings.isEmpty || outcome.fault != nil || outcome.status.name == "rejected" {
            detections.append(failure)
        }
    }

    var findings: [MisuseClass] { detections.flatMap { $0.outcome.findings.map(\.misuse) } }
}
