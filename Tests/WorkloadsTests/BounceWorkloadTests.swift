import DMASim
import OpScript
import Testing
@testable import Workloads

/// The two bounce workloads. `thunderbolt`: untrusted NVMe whose sector-aligned buffers
/// dma-iommu bounces at both ends (`dma_iova_link()` → `iommu_dma_iova_link_swiotlb()`,
/// head and tail through `swiotlb_tbl_map_single()`, copied back by
/// `swiotlb_tbl_unmap_single()` at unlink), on RAM, so every claim holds. `hidden-memory`:
/// the same kind of machine on memory outside the direct map, where the first bounce
/// never returns.
@Suite struct BounceWorkloadTests {
    @Test func thunderboltBouncesUnalignedEndsAndKeepsEveryClaim() throws {
        let run = WorkloadRun(try WorkloadKind.thunderbolt.generator.steps(WorkloadOptions(seed: 3, opCount: 4000)), keepSteps: true)
        #expect(run.failures.isEmpty, "\(run.failures.prefix(3))")
        #expect(run.findings.isEmpty)
        #expect(run.steps.contains { $0.op == .region(RegionSpec(name: "ram0", base: WorkloadTopology.sharedBase, sizeBytes: 1 << 40, kind: .ram)) })
        // The untrusted controllers' first links start inside a granule; the trusted one's never.
        let unaligned = run.steps.compactMap { step -> String? in
            guard case .link(let link) = step.op.call, link.phys % 4096 != 0 else { return nil }
            return link.state
        }
        #expect(unaligned.count > 50)
        let devices = Dictionary(run.steps.compactMap { step -> (String, String)? in
            guard case .alloc(let alloc) = step.op.call else { return nil }
            return (alloc.state, alloc.device)
        }, uniquingKeysWith: { first, _ in first })
        #expect(Set(unaligned.compactMap { devices[$0] }).allSatisfy { $0.hasPrefix("tbnvme") })
    }

    /// Each bounce is a CPU copy the engine reports: into the slot at link, back out at
    /// destroy for data the device wrote.
    @Test func thunderboltBouncesBothWays() throws {
        let engine = Engine()
        var toDevice = 0, toCPU = 0
        for step in try WorkloadKind.thunderbolt.generator.steps(WorkloadOptions(seed: 3, opCount: 2000)) {
            for event in engine.apply(step.op).events {
                if event.kind == .bounceToDevice { toDevice += 1 }
                if event.kind == .bounceToCPU { toCPU += 1 }
            }
        }
        #expect(toDevice > 50 && toCPU > 20)
    }

    @Test func hiddenMemoryRunsCleanWithoutABounce() throws {
        let run = WorkloadRun(try WorkloadKind.hiddenMemory.generator.steps(WorkloadOptions(seed: 3, opCount: 4000)))
        #expect(run.failures.isEmpty, "\(run.failures.prefix(3))")
        #expect(run.detections.isEmpty)
    }

    /// `--inject unaligned-bounce`: the untrusted device's request starts some sectors
    /// into a granule; its first link oopses and the request ends (the task died), so the
    /// state is never destroyed and detach reports it.
    @Test func anUnalignedBufferForTheUntrustedDeviceOopsAtItsLink() throws {
        let options = WorkloadOptions(seed: 3, opCount: 4000, injections: [try InjectionSpec(parsing: "unaligned-bounce@1500")])
        let run = WorkloadRun(try WorkloadKind.hiddenMemory.generator.steps(options), keepSteps: true)
        let mark = try #require(run.injected.first)
        let oops = try #require(run.failures.first)
        #expect(oops.outcome.status == .oops)
        #expect(oops.outcome.findings.map(\.misuse) == [.bounceOutsideDirectMap])
        #expect(oops.outcome.warnings.contains { $0.hasPrefix("BUG: unable to handle page fault") })
        guard case .link(let link) = oops.step.op.call else { Issue.record("oops at \(oops.step.op)"); return }
        #expect(link.phys % 4096 != 0)
        #expect(run.steps[mark.index].op.handleName == link.state)
        #expect(!run.steps[(oops.index + 1)...].contains { $0.op.handleName == link.state })
        #expect(run.failures.dropFirst().allSatisfy { $0.outcome.findings.map(\.misuse) == [.leakAtDetach] })
    }

    /// `--swiotlb-force`: the dma-direct device's maps bounce (`dma_direct_map_phys()` →
    /// `swiotlb_map()`), the IOMMU devices' do not (`dev_use_swiotlb()` ignores force).
    @Test func forceOopsOnlyTheDirectDevice() throws {
        var options = WorkloadOptions(seed: 3, opCount: 3000)
        options.swiotlbForce = true
        let run = WorkloadRun(try WorkloadKind.hiddenMemory.generator.steps(options))
        let oopsed = run.failures.filter { $0.outcome.status == .oops }
        #expect(!oopsed.isEmpty)
        #expect(oopsed.allSatisfy { if case .map(let map) = $0.step.op.call { map.device == "edu2" } else { false } })
    }

    /// On RAM a dma-direct bounce copies: `thunderbolt` with every IOMMU passthrough (the
    /// trusted controller then maps through dma-direct) under `swiotlb=force` bounces its
    /// maps through `swiotlb_map()` and keeps every claim; only segments over the 256 KiB
    /// one allocation holds fail (`error mapping`, as the driver expects).
    @Test func forceOnRAMBouncesAndKeepsTheClaims() throws {
        var options = WorkloadOptions(seed: 3, opCount: 3000)
        options.swiotlbForce = true
        options.iommuMode = .passthrough
        let engine = Engine()
        var bounced = 0
        var failures: [String] = []
        for step in try WorkloadKind.thunderbolt.generator.steps(options) {
            let outcome = engine.apply(step.op)
            if case .map = step.op.call, outcome.events.contains(where: { $0.kind == .bounceToDevice }) { bounced += 1 }
            if !Claim.check(step.claims, outcome: outcome, op: step.op).isEmpty { failures.append("\(step.op): \(outcome.status)") }
        }
        #expect(failures.isEmpty, "\(failures.prefix(3))")
        #expect(bounced > 20)
    }

    /// Without an untrusted device on hidden memory the class is not offered.
    @Test func onlyWorkloadsWithAnUntrustedDeviceOnHiddenMemoryOfferIt() {
        #expect(WorkloadKind.hiddenMemory.generator.supportedInjections.contains(.unalignedBounce))
        #expect(WorkloadKind.mixed.generator.supportedInjections.contains(.unalignedBounce))
        #expect(!WorkloadKind.thunderbolt.generator.supportedInjections.contains(.unalignedBounce))
        #expect(!WorkloadKind.nvme.generator.supportedInjections.contains(.unalignedBounce))
    }
}
