import DMASim
import OpScript
import Testing
@testable import Workloads

/// `record --swiotlb SIZE` and `--swiotlb-force`: the pool is the stream's `swiotlb` line
/// (so a replay of the journal runs on it), and the generator knows what dma-direct does
/// with it: `dma_direct_map_phys()` bounces through `swiotlb_map()` →
/// `swiotlb_tbl_map_single()`, whose copy from the shared region (no direct map) oopses.
@Suite struct SwiotlbOptionTests {
    @Test func thePoolIsDeclaredInTheTopology() throws {
        var options = WorkloadOptions(seed: 2, opCount: 100)
        options.swiotlbBytes = 8 << 20
        #expect(try WorkloadKind.nvme.generator.steps(options).topology.ops.contains(.swiotlb(SwiotlbSpec(sizeBytes: 8 << 20))))
        options.swiotlbForce = true
        #expect(try WorkloadKind.nvme.generator.steps(options).topology.ops.contains(.swiotlb(SwiotlbSpec(sizeBytes: 8 << 20, force: true))))
        options.swiotlbBytes = nil
        #expect(try WorkloadKind.nvme.generator.steps(options).topology.ops.contains(.swiotlb(SwiotlbSpec(sizeBytes: 64 << 20, force: true))))
        // Without either, nvme declares none (the kernel's boot default: none under 4 GiB of RAM).
        #expect(try !WorkloadKind.nvme.generator.steps(WorkloadOptions(seed: 2, opCount: 100)).topology.ops.contains { $0.kind == .swiotlb })
    }

    @Test(arguments: [UInt64(0), 300 << 10, 2 << 30])
    func aPoolSizeTheKernelCannotHaveIsRefused(_ bytes: UInt64) {
        var options = WorkloadOptions(seed: 2, opCount: 100)
        options.swiotlbBytes = bytes
        #expect(throws: WorkloadError.self) { try WorkloadKind.nvme.generator.steps(options) }
    }

    /// `swiotlb=force`: every map of the dma-direct controller (nvme3) bounces and never
    /// returns; its request ends there (the task died), so no later op names the mapping.
    /// The two-step devices behind the IOMMU are untouched (`dev_use_swiotlb()` ignores force).
    @Test func underForceEveryDirectMapOopsAndEndsItsRequest() throws {
        var options = WorkloadOptions(seed: 4, opCount: 3000)
        options.swiotlbForce = true
        let run = WorkloadRun(try WorkloadKind.nvme.generator.steps(options), keepSteps: true)
        var oopsed: Set<String> = []
        for failure in run.failures {
            if case .map(let map) = failure.step.op.call, failure.outcome.status == .oops {
                #expect(map.device == "nvme3")
                #expect(failure.outcome.findings.map(\.misuse) == [.bounceOutsideDirectMap])
                oopsed.insert(map.mapping)
            }
        }
        #expect(oopsed.count > 10)
        let later = run.steps.filter { step in
            switch step.op.call {
            case .mappingError(let op): return oopsed.contains(op.mapping)
            case .unmap(let op): return oopsed.contains(op.mapping)
            default: return false
            }
        }
        #expect(later.isEmpty)
        // Only nvme3's maps (and the leak of their earlier mappings at detach) fail claims.
        #expect(run.failures.allSatisfy { $0.step.op.kind == .map || $0.step.op.kind == .detach })
    }
}
