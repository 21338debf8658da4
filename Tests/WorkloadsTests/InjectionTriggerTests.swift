import DMASim
import Testing
@testable import Workloads

/// `@SEQ` fires once, on the first request starting at or after step SEQ; `@RATE` on
/// that share of the requests that can commit the misuse.
@Suite struct InjectionTriggerTests {
    @Test func aStepTriggerFiresOnceOnARequestStartingAtOrAfterIt() throws {
        let options = WorkloadOptions(opCount: 3000, injections: [InjectionSpec(.lateAccess, trigger: .atStep(1000))])
        let steps = Array(try WorkloadKind.nvme.generator.steps(options))
        let marks = steps.indices.filter { steps[$0].injected != nil }
        #expect(marks.count == 1)
        let handle = try #require(steps[marks[0]].injected?.handle)
        let start = try #require(steps.firstIndex { step in
            if case .cpuWrite = step.op.call { return false }
            return step.op.stateHandle == handle
        })
        #expect(start >= 1000 && start < marks[0])
    }

    @Test func aRateTriggerFiresOnThatShareOfRequests() throws {
        let options = WorkloadOptions(opCount: 8000, injections: [InjectionSpec(.doubleFree, trigger: .rate(0.1))])
        let run = WorkloadRun(try WorkloadKind.nvme.generator.steps(options), keepSteps: true)
        // Requests with an IOVA state: try_alloc claimed to succeed.
        let requests = Double(run.steps.count { step in
            if case .alloc = step.op.call { return step.claims == [.ok] } else { return false }
        })
        let share = Double(run.injected.count) / requests
        #expect(share > 0.05 && share < 0.15, "\(run.injected.count) of \(requests)")
        // Each mark is a second destroy the checker reports.
        let reported = Set(run.detections.filter { $0.outcome.reports(.doubleFree) }.map(\.index))
        #expect(run.injected.allSatisfy { reported.contains($0.index) })
    }

    @Test func severalInjectionsAllFire() throws {
        let options = WorkloadOptions(opCount: 3000, inFlightPerDevice: 2, injections: [
            InjectionSpec(.missingSync, trigger: .atStep(0)),
            InjectionSpec(.useAfterUnlink, trigger: .atStep(0)),
            InjectionSpec(.leakedState, trigger: .atStep(0)),
        ])
        let marks = try WorkloadKind.mixed.generator.steps(options).compactMap { $0.injected?.injectionClass }
        #expect(Set(marks) == [.missingSync, .useAfterUnlink, .leakedState])
    }
}
