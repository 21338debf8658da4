import Testing
@testable import DMASim

/// Lazy (DMA-FQ) mode: a streaming unmap queues the IOTLB flush and the IOVA free
/// (`__iommu_dma_unmap` → `iommu_dma_free_iova` → `queue_iova`, drivers/iommu/dma-iommu.c),
/// on 7.3 as on 6.16; 6.16's `dma_iova_destroy` queued too (DestroyByKernelTests has both
/// kernels' destroy side by side).
@Suite struct LazyFlushQueueTests {
    /// The op-script spec's example, on 6.16: a stale write after destroy lands in memory
    /// through the cached translation, silently, and the checker reports it
    /// (`__iommu_dma_iova_unlink(…, free_iova = true)` leaves `iotlb_gather.queued` set).
    @Test func staleIOTLBWindowAfterDestroyOn6_16() {
        let machine = TestMachine(mode: .lazy, device: DeviceSpec(name: "nic0", iommu: "mmu0"), kernel: .v6_16)
        machine.alloc("s1", dev: "nic0", size: 8192)
        machine.link("s1", len: 8192, dir: .fromDevice)
        machine.sync("s1", len: 8192)
        machine.devWrite("nic0", .s("s1"), len: 4096, fill: .seed(0))
        let destroyed = machine.destroy("s1", mapped: 8192, dir: .fromDevice)
        #expect(destroyed.events == [SideEvent(.flushQueued, address: 0xFFFF_E000, length: 8192)])
        let late = machine.devWrite("nic0", .s("s1"), len: 4096, fill: .seed(1))
        #expect(late.status == .ok)
        #expect(TestMachine.classes(late) == [.useAfterDestroy])
        #expect(machine.cpuRead(TestMachine.shared, len: 4096).digest == Fill.seed(1).digest(length: 4096))
        // The second granule was never used, so nothing is cached: it faults.
        #expect(machine.devWrite("nic0", .s("s1", 4096), len: 4096, fill: .seed(2)).status.faultKind == .notPresent)
    }

    /// The same window after `dma_unmap_phys`, which 7.3 still defers (measured: a device
    /// write right after the unmap lands in the old page until the flush queue's flush).
    @Test func staleIOTLBWindowAfterStreamingUnmap() {
        let machine = TestMachine(mode: .lazy, device: DeviceSpec(name: "nic0", iommu: "mmu0"))
        let addr = machine.map("m1", dev: "nic0", phys: TestMachine.shared, len: 8192, dir: .fromDevice).address!
        machine.checkError("m1")
        machine.devWrite("nic0", .m("m1"), len: 4096, fill: .seed(0))
        let unmapped = machine.unmap("m1", len: 8192, dir: .fromDevice)
        #expect(unmapped.events == [SideEvent(.flushQueued, address: addr, length: 8192)])
        let late = machine.devWrite("nic0", .m("m1"), len: 4096, fill: .seed(1))
        #expect(late.status == .ok)
        #expect(TestMachine.classes(late) == [.useAfterUnmap])
        #expect(machine.cpuRead(TestMachine.shared, len: 4096).digest == Fill.seed(1).digest(length: 4096))
        #expect(machine.devWrite("nic0", .m("m1", 4096), len: 4096, fill: .seed(2)).status.faultKind == .notPresent)
        machine.flush()
        #expect(machine.devWrite("nic0", .m("m1"), len: 4096, fill: .seed(3)).status.faultKind == .notPresent)
    }

    /// The IOVA is not reusable until the queue drains; after a flush the stale entry is
    /// gone and the IOVA comes back from the rcache.
    @Test func iovaIsFreedOnlyWhenTheQueueDrains() {
        let machine = TestMachine(mode: .lazy)
        let addr = machine.map("m1", phys: TestMachine.shared, len: 4096).address!
        machine.checkError("m1")
        machine.devWrite(.m("m1"), len: 4096, fill: .seed(0))
        machine.unmap("m1", len: 4096)
        #expect(machine.map("m2", phys: TestMachine.shared, len: 4096).address != addr)
        let flushed = machine.flush()
        #expect(flushed.events == [
            SideEvent(.iotlbFlushAll),
            SideEvent(.iovaFreed, address: addr, length: 4096),
            SideEvent(.flushQueueDrained, length: 1),
        ])
        #expect(machine.devWrite(.m("m1"), len: 4096, fill: .seed(1)).status.faultKind == .notPresent)
        #expect(machine.map("m3", phys: TestMachine.shared, len: 4096).address == addr)
    }

    /// `fq_full()` keeps one of the 256 slots empty: 255 ranges fit, and queueing the
    /// 256th flushes and frees the 255 first.
    @Test func fullQueueFlushesBeforeQueueingMore() {
        let machine = TestMachine(mode: .lazy)
        for index in 0..<256 {
            machine.map("m\(index)", phys: TestMachine.shared, len: 4096)
            machine.checkError("m\(index)")
        }
        for index in 0..<255 {
            #expect(!machine.unmap("m\(index)", len: 4096).events.contains { $0.kind == .iotlbFlushAll })
        }
        let overflowing = machine.unmap("m255", len: 4096)
        #expect(overflowing.events.first == SideEvent(.iotlbFlushAll))
        #expect(overflowing.events.contains(SideEvent(.flushQueueDrained, length: 255)))
        #expect(overflowing.events.last?.kind == .flushQueued)
    }

    @Test func flushWithNothingQueuedDoesNothing() {
        let machine = TestMachine(mode: .lazy)
        #expect(machine.flush() == .ok)
    }

    /// Lazy streaming unmap queues as well (`__iommu_dma_unmap`).
    @Test func streamingUnmapIsQueuedInLazyMode() {
        let machine = TestMachine(mode: .lazy)
        let addr = machine.map("m1", phys: TestMachine.ram, len: 4096).address!
        machine.run(.mappingError(MappingErrorOp(mapping: "m1")))
        let unmapped = machine.unmap("m1", len: 4096)
        #expect(unmapped == Outcome(events: [SideEvent(.flushQueued, address: addr, length: 4096)]))
    }
}
