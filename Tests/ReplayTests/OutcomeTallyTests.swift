import DMASim
import Testing
import Workloads

/// The engine's running tally of faults and findings (what bisect reads from a
/// checkpoint) is exactly what the outcomes said, by kind and class.
@Suite struct OutcomeTallyTests {
    @Test func theTallyCountsEveryFaultAndFindingByKind() throws {
        var options = WorkloadOptions(seed: 4, opCount: 3000, injections: [try InjectionSpec(parsing: "late-access@500"),
                                                                           try InjectionSpec(parsing: "double-free@1500")])
        options.iommuMode = .strict
        let engine = Engine()
        var faults: [FaultKind: Int] = [:], findings: [MisuseClass: Int] = [:]
        for step in try WorkloadKind.nvme.generator.steps(options) {
            let outcome = engine.apply(step.op)
            if let fault = outcome.fault { faults[fault.kind, default: 0] += 1 }
            for finding in outcome.findings { findings[finding.misuse, default: 0] += 1 }
        }
        #expect(engine.tally.faultCount() > 0 && engine.tally.findingCount(.doubleFree) > 0)
        #expect(engine.tally.faults == faults)
        #expect(engine.tally.findings == findings)
        #expect(engine.tally.findingCount() == findings.values.reduce(0, +))
    }
}
