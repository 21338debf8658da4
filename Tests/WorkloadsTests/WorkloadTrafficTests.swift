import DMASim
import OpScript
import Testing
@testable import Workloads

/// Every workload, run short through the engine with nothing injected, keeps every claim:
/// with its own topology and with each override that changes how the engine behaves.
@Suite struct WorkloadTrafficTests {
    @Test(arguments: WorkloadKind.allCases)
    func everyClaimHolds(_ kind: WorkloadKind) throws {
        let run = WorkloadRun(try kind.generator.steps(WorkloadOptions(seed: 7, opCount: 3000)))
        #expect(run.failures.isEmpty, "\(run.failures.prefix(3))")
        #expect(run.detections.isEmpty, "\(run.detections.prefix(3))")
        #expect(run.stepCount >= 3000)
    }

    struct Override: CustomTestStringConvertible, Sendable {
        var name: String
        var apply: @Sendable (inout WorkloadOptions) -> Void
        var testDescription: String { name }
    }

    static let overrides: [Override] = [
        Override(name: "passthrough: every request falls back") { $0.iommuMode = .passthrough },
        Override(name: "needs-sync-map") { $0.needsSyncMap = true },
        Override(name: "64K granule") { $0.granuleBytes = 64 << 10 },
        Override(name: "32-bit masks: dma-direct maps fail") { $0.dmaBits = 32 },
        Override(name: "one device, a 1 GiB region") { $0.deviceCount = 1; $0.regionSizeBytes = 1 << 30 },
    ]

    @Test(arguments: WorkloadKind.allCases, overrides)
    func everyClaimHoldsWithOverrides(_ kind: WorkloadKind, _ override: Override) throws {
        var options = WorkloadOptions(seed: 3, opCount: 600, inFlightPerDevice: 1)
        override.apply(&options)
        let run = WorkloadRun(try kind.generator.steps(options))
        if kind == .hiddenMemory && options.dmaBits == 32 {
            // The addressing limit that makes the kernel bounce: with hidden-memory's pool,
            // edu2's maps beyond its mask go through `swiotlb_map()` and never return
            // (or fail for want of slots, or beyond the 256 KiB a bounce can take).
            #expect(!run.failures.isEmpty)
            #expect(run.failures.allSatisfy { failure in
                guard case .map(let map) = failure.step.op.call else { return failure.step.op.kind == .detach }
                return map.device == "edu2" && ["oops", "mapping-error"].contains(failure.outcome.status.name)
            }, "\(run.failures.prefix(3))")
            return
        }
        #expect(run.failures.isEmpty, "\(run.failures.prefix(3))")
        #expect(run.detections.filter { $0.outcome.status.name != "mapping-error" }.isEmpty, "\(run.detections.prefix(3))")
    }

    @Test func nvmeFallsBackOnItsDirectController() throws {
        let steps = Array(try WorkloadKind.nvme.generator.steps(WorkloadOptions(opCount: 2000)))
        #expect(steps.contains { $0.claims == [.fallback] })
        #expect(steps.contains { if case .map = $0.op.call { return true } else { return false } })
    }

    @Test func anUnreachableBufferFailsItsRequestAtTheFirstMap() throws {
        let steps = Array(try WorkloadKind.nvme.generator.steps(WorkloadOptions(opCount: 2000, dmaBits: 32)))
        #expect(steps.contains { $0.claims == [.mappingError] })
        // nvme3, on dma-direct with a 32-bit mask, never gets to move data.
        #expect(!steps.contains { $0.op.device == "nvme3" })
    }

    @Test func noBudgetMeansNoTraffic() throws {
        let steps = try WorkloadKind.mixed.generator.steps(WorkloadOptions(opCount: 0))
        #expect(steps.allSatisfy { step in
            if case .detach = step.op.call { return true }
            return step.op.isTopology
        })
    }

    @Test(arguments: WorkloadKind.allCases)
    func theStreamEndsByDetachingEveryDevice(_ kind: WorkloadKind) throws {
        let stream = try kind.generator.steps(WorkloadOptions(opCount: 500, inFlightPerDevice: 1))
        let detached = Array(stream).reversed().prefix { if case .detach = $0.op.call { return true } else { return false } }
        #expect(detached.count == stream.topology.devices.count)
    }
}
