import Testing
@testable import DMASim

/// IOTLB fills are journaled (`iotlb-fill`) and each entry keeps the op that filled it and
/// the unmap that left it stale, so a stale hit names both. The kernel keeps neither: the
/// IOTLB is hardware. What it does decide is when an entry outlives its PTE —
/// `__iommu_dma_unmap()` in lazy mode gathers with `iotlb_gather.queued` and skips
/// `iommu_iotlb_sync()`, leaving the invalidation to the flush queue (`queue_iova()`).
@Suite struct IOTLBProvenanceTests {
    /// A miss walks the page table and caches the leaf: one `iotlb-fill` per contiguous
    /// run an access filled (two pages, one event); a hit fills nothing.
    @Test func aMissIsJournaledAsOneFillPerContiguousRun() {
        let machine = TestMachine(mode: .lazy)
        let iova = machine.alloc("s1", size: 12288).address!
        machine.link("s1", len: 12288)
        machine.sync("s1", len: 12288)
        let first = machine.devWrite(.s("s1"), len: 8192, fill: .seed(1))
        #expect(first.events == [SideEvent(.iotlbFill, address: iova, length: 8192, target: TestMachine.shared)])
        #expect(machine.devRead(.s("s1"), len: 8192).events.isEmpty)
        // The third page continues the run: its own fill, at its own IOVA and address.
        #expect(machine.devRead(.s("s1"), len: 12288).events
                == [SideEvent(.iotlbFill, address: iova + 8192, length: 4096, target: TestMachine.shared + 8192)])
    }

    /// A fault fills nothing: the walk found no PTE (`.notPresent`).
    @Test func aFaultFillsNothing() {
        let machine = TestMachine(mode: .strict)
        let faulted = machine.devWrite(.absolute(0xFFFF_F000), len: 4096, fill: .seed(1))
        #expect(faulted.status.faultKind == .notPresent)
        #expect(faulted.events.isEmpty)
        #expect(machine.engine.machineState().domains[0].iotlbCount == 0)
    }

    /// misuse/stale-iotlb-hit.ops on 6.16: destroy queues the flush (seq of the destroy
    /// clears the PTE), free gives the IOVA back, s2 reuses it and its write hits s1's
    /// stale entry. The finding names the fill and the destroy by seq.
    @Test func aStaleHitNamesTheFillAndTheUnmap() {
        let machine = TestMachine(mode: .lazy, kernel: .v6_16)
        machine.alloc("s1", size: 4096)
        machine.link("s1", len: 4096)
        let fillSeq = machine.engine.appliedCount
        machine.devWrite(.s("s1"), len: 4096, fill: .seed(1))
        let destroySeq = machine.engine.appliedCount
        machine.destroy("s1", mapped: 4096)
        machine.free("s1")
        machine.alloc("s2", phys: TestMachine.shared + 0x10000, size: 4096)
        machine.link("s2", phys: TestMachine.shared + 0x10000, len: 4096)
        let hit = machine.devWrite(.s("s2"), len: 4096, fill: .seed(7))
        #expect(TestMachine.classes(hit) == [.staleIOTLBHit])
        #expect(hit.findings[0].message == "device used a stale IOTLB entry for iova 0xfffff000: the page table no longer maps it, "
                + "so the access went through a translation the IOTLB should have dropped "
                + "(filled at seq \(fillSeq); its PTE cleared at seq \(destroySeq), no IOTLB invalidation since)")
        #expect(!hit.events.contains { $0.kind == .iotlbFill })
    }

    /// `state`'s view of the lazy window: the entry still translates to the old page, the
    /// page table has nothing there, and the flush queue holds the range with the flush
    /// count it was queued at (`fq_ring_add()`: `fq_flush_start_cnt`). After the queue's
    /// flush (`fq_flush_iotlb()` → `flush_iotlb_all()`) the IOTLB is empty and the IOVA is
    /// in the rcache (`fq_ring_free_locked()` → `free_iova_fast()`).
    @Test func theLazyWindowAsStateShowsIt() throws {
        let machine = TestMachine(mode: .lazy)
        let iova = machine.map("m1", phys: TestMachine.shared, len: 4096, dir: .fromDevice).address!
        machine.checkError("m1")
        let fillSeq = machine.engine.appliedCount
        machine.devWrite(.m("m1"), len: 4096, fill: .seed(1))
        let unmapSeq = machine.engine.appliedCount
        machine.unmap("m1", len: 4096, dir: .fromDevice)
        let domain = try #require(machine.engine.machineState().domains.first)
        #expect(domain.iotlb.items == [IOTLBEntryView(
            iova: iova, pageBytes: 4096, cached: PTEView(phys: TestMachine.shared, prot: [.write, .cache], visible: true), current: nil,
            isStale: true, filledAt: fillSeq, staleSince: unmapSeq)])
        #expect(domain.flushQueues == [FlushQueueView(cpu: 0, capacity: 255, entries: [
            FlushQueueEntryView(iova: iova, bytes: 4096, counter: 0, isFlushed: false)])])
        #expect(domain.flushTimerCPU == 0)
        #expect(domain.rangeCaches.isEmpty)
        machine.flush()
        let flushed = try #require(machine.engine.machineState().domains.first)
        #expect(flushed.iotlbCount == 0)
        #expect(flushed.flushQueues[0].entries.isEmpty)
        #expect((flushed.flushStartCount, flushed.flushFinishCount) == (1, 1))
        #expect(flushed.rangeCaches == [RangeCacheView(order: 0, cpus: [CPUMagazinesView(cpu: 0, loaded: [iova], previous: [])], depot: [])])
    }

    /// Strict mode invalidates in the same call (`iommu_iotlb_sync()`): no stale entry
    /// outlives the unmap, so nothing is left to mark.
    @Test func strictUnmapLeavesNoStaleEntry() throws {
        let machine = TestMachine(mode: .strict)
        machine.map("m1", phys: TestMachine.shared, len: 4096)
        machine.checkError("m1")
        machine.devWrite(.m("m1"), len: 4096, fill: .seed(1))
        #expect(try #require(machine.engine.machineState().domains.first).iotlbCount == 1)
        machine.unmap("m1", len: 4096)
        #expect(try #require(machine.engine.machineState().domains.first).iotlbCount == 0)
    }

    /// A checkpoint keeps the provenance (engine state version 10), so a replay from it
    /// names the same ops; a state of an older version reads back with it unknown.
    @Test func provenanceSurvivesACheckpoint() throws {
        let machine = TestMachine(mode: .lazy)
        machine.map("m1", phys: TestMachine.shared, len: 4096)
        machine.checkError("m1")
        machine.devWrite(.m("m1"), len: 4096, fill: .seed(1))
        machine.unmap("m1", len: 4096)
        let restored = try Engine.decodingState(machine.engine.encodeState())
        #expect(restored.machineState().domains[0].iotlb.items == machine.engine.machineState().domains[0].iotlb.items)
        #expect(restored.machineState().domains[0].iotlb.items[0].staleSince != nil)
    }
}
