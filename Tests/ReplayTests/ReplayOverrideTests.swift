import DMASim
import Journal
import Replay
import Testing
import Workloads

/// `replay --with`: the same ops on a changed machine. A misuse that was latent in the
/// recording becomes a divergence at the op that commits it.
@Suite struct ReplayOverrideTests {
    /// Lazy mode: after dma_iova_destroy the IOVA waits in the flush queue and the IOTLB
    /// still translates, so a late device access lands (§7.2). In strict mode destroy
    /// unmaps and invalidates at once (`__iommu_dma_unmap` with `iommu_iotlb_sync`), and the
    /// same access faults: the first behavioural divergence is the injected op.
    @Test func aLateAccessThatLandedInLazyModeFaultsInStrictMode() throws {
        var options = WorkloadOptions(seed: 3, opCount: 3000, injections: [try InjectionSpec(parsing: "late-access@1200")])
        options.iommuMode = .lazy
        let (path, injected) = try ReplayerTests.recordWithMarks(.nvme, options: options)
        let marked = try #require(injected.first)
        let reader = try JournalReader(path: path)
        #expect(try Replayer(reader: reader).replay().divergence == nil)
        let result = try Replayer(reader: reader, overrides: [.iommuMode(.strict)]).replay()
        let divergence = try #require(result.divergence)
        #expect(divergence.sequence == marked)
        #expect(divergence.differingFields.contains("status"))
        guard case .fault = divergence.replayed.status else { Issue.record("expected a fault, got \(divergence.replayed.status)"); return }
    }

    @Test func overridesParseAndReject() throws {
        #expect(try TopologyOverride(parsing: "iommu-mode=strict") == .iommuMode(.strict))
        #expect(try TopologyOverride(parsing: "needs-sync-map=on") == .needsSyncMap(true))
        #expect(try TopologyOverride(parsing: "granule=16K") == .granule(16384))
        #expect(try TopologyOverride(parsing: "dma-bits=32") == .dmaBits(32))
        #expect(throws: TopologyOverrideError.self) { try TopologyOverride(parsing: "iommu-mode=fast") }
        #expect(throws: TopologyOverrideError.self) { try TopologyOverride(parsing: "colour=blue") }
        #expect(throws: TopologyOverrideError.self) { try TopologyOverride(parsing: "dma-bits") }
    }

    /// nvme declares no swiotlb: an override of it would silently change nothing.
    @Test func anOverrideWithNothingToChangeIsRefused() throws {
        let path = try ReplayerTests.record(.nvme, opCount: 200)
        #expect(throws: ReplayError.self) { try Replayer(reader: JournalReader(path: path), overrides: [.swiotlbSize(1 << 20)]) }
    }
}
