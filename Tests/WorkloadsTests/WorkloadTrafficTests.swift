import DMASim
import OpScript
import Testing
@testable import Workloads

/// Every workload, run short through the engine with nothing injected, keeps every claim.
@Suite struct WorkloadTrafficTests {
    @Test(arguments: WorkloadKind.allCases)
    func everyClaimHolds(_ kind: WorkloadKind) throws {
        let stream = try kind.generator.steps(WorkloadOptions(seed: 7, opCount: 4000))
        let run = WorkloadRun(stream)
        #expect(run.failures.isEmpty, "\(run.failures.prefix(3))")
        #expect(run.detections.isEmpty, "\(run.detections.prefix(3))")
        #expect(run.stepCount >= 4000)
    }
}
