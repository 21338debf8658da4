import DMASim
import OpScript
import Pipeline

/// What each op of the journal's prefix did in the original run, which every op a
/// reproducer keeps must still do: the same observable status (ok, the errno, the fault
/// kind) and no misuse the original op did not report.
///
/// Without this, shrinking found "cheaper" ways to make the predicate hold (issue 17):
/// dropping the `region` line turned every access into a bus error, and dropping a second
/// `destroy` argument made a double-free reproducer report `destroy-length-mismatch` too.
/// The prefix is judged twice: on the machine being minimised for, and on the same machine
/// with `needs-sync-map=on`, where the checker enforces the rule Documentation/core-api/
/// dma-api.rst states for every machine ("dma_iova_sync … Must be called to sync the IOMMU
/// page tables for IOVA-range mapped by one or more calls to dma_iova_link()"). So a
/// reproducer is also a legal use of the API apart from the bug: it keeps the
/// `dma_iova_sync` a virtio-iommu would need even when the machine it runs on does not.
struct ReferenceOutcomes {
    struct Observed: Equatable {
        var status: String
        var misuses: Set<MisuseClass>

        init(_ outcome: Outcome) {
            status = OutcomeComparison.observable(outcome.status)
            misuses = Set(outcome.findings.map(\.misuse))
        }

        /// Whether `other`, a candidate's outcome of the same op, keeps to this one.
        func admits(_ other: Observed) -> Bool {
            other.status == status && other.misuses.isSubset(of: misuses)
        }
    }

    /// The two machines: as minimised for, and that one with needs-sync-map on.
    let machines: [[TopologyOverride]]
    /// By machine, then by seq: what the op did in the original prefix.
    private let observed: [[Int: Observed]]

    init(prefix: [ScriptLine], overrides: [TopologyOverride]) {
        machines = [overrides, overrides + [.needsSyncMap(true)]]
        observed = machines.map { machine in
            var bySeq: [Int: Observed] = [:]
            for (line, outcome) in zip(prefix, Self.run(prefix, on: machine)) { bySeq[line.lineNumber] = Observed(outcome) }
            return bySeq
        }
    }

    /// The outcomes of `lines` on `machine`, through the pipeline as `dmajournal run` runs
    /// them (`checkpoint` and `verify` by way of a snapshot keeper). Their claims are left
    /// out: what counts here is the outcome itself. An op the keeper cannot run (a snapshot
    /// it cannot take) counts as rejected, which makes a candidate invalid, so the lines
    /// after it need not run.
    static func run(_ lines: [ScriptLine], on machine: [TopologyOverride]) -> [Outcome] {
        var outcomes = OutcomeList()
        let unclaimed = lines.map { ScriptLine(lineNumber: $0.lineNumber, op: machine.apply(to: $0.op)) }
        do {
            _ = try ScriptExecutor(engine: machine.freshEngine()).run(unclaimed, into: &outcomes, stopping: .never)
        } catch {
            return outcomes.outcomes + [Outcome(status: .rejected("the op could not run"))]
        }
        return outcomes.outcomes
    }

    /// The outcomes of `lines` on the first machine when every kept op keeps to the
    /// original on both machines; nil when one does not (the candidate is invalid).
    func check(_ lines: [ScriptLine]) -> [Outcome]? {
        var first: [Outcome] = []
        for (index, machine) in machines.enumerated() {
            let outcomes = Self.run(lines, on: machine)
            for (line, outcome) in zip(lines, outcomes) {
                if case .rejected = outcome.status { return nil }
                guard let original = observed[index][line.lineNumber], original.admits(Observed(outcome)) else { return nil }
            }
            if index == 0 { first = outcomes }
        }
        return first
    }
}
