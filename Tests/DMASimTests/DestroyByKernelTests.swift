import Testing
@testable import DMASim

/// `dma_iova_destroy` (drivers/iommu/dma-iommu.c) on the two kernels the engine knows.
///
/// 7.3: `dma_iova_unlink(dev, state, 0, mapped_len, …)` — `iommu_unmap_fast` then
/// `iommu_iotlb_sync` — then `dma_iova_free(dev, state)` — `iommu_dma_free_iova` of the
/// whole `dma_iova_size(state)` with no gather, so `free_iova_fast` at once. Measured on
/// Debian's 7.3.4 in lazy mode: the next `dma_iova_try_alloc` gets the destroyed IOVA
/// 0.3 ms later, and a device write right after destroy is blocked (DMAR fault).
///
/// 6.16: `__iommu_dma_iova_unlink(…, free_iova = true)` sets `iotlb_gather.queued` on a
/// flush-queue domain, skips the IOTLB sync and hands `iova_align(mapped_len + pad)` to
/// `iommu_dma_free_iova`, which queues it (`queue_iova`); `dma_iova_free` only for
/// `mapped_len == 0`.
@Suite struct DestroyByKernelTests {
    /// Alloc, link and sync 8 KiB FROM_DEVICE, and let the device write the first page
    /// so the IOTLB holds its translation.
    static func usedState(mode: IOMMUMode, kernel: KernelVersion, size: UInt64 = 8192, linked: UInt64 = 8192) -> (TestMachine, UInt64) {
        let machine = TestMachine(mode: mode, kernel: kernel)
        let addr = machine.alloc("s1", size: size).address!
        machine.link("s1", len: linked, dir: .fromDevice)
        machine.sync("s1", len: linked)
        #expect(machine.devWrite(.s("s1"), len: 4096, fill: .seed(0)).status == .ok)
        return (machine, addr)
    }

    @Test func onLazy7_3DestroySyncsTheIOTLBAndFreesTheIOVAAtOnce() {
        let (machine, addr) = Self.usedState(mode: .lazy, kernel: .v7_3)
        let destroyed = machine.destroy("s1", mapped: 8192, dir: .fromDevice)
        #expect(destroyed == Outcome(events: [SideEvent(.iotlbInvalidate, address: addr, length: 8192),
                                              SideEvent(.iovaFreed, address: addr, length: 8192)]))
        // No stale window: the late completion write faults, and the checker names it.
        let late = machine.devWrite(.s("s1"), len: 4096, fill: .seed(1))
        #expect(late.status == .fault(Fault(kind: .notPresent, address: addr, isWrite: true)))
        #expect(TestMachine.classes(late) == [.useAfterDestroy])
        #expect(machine.cpuRead(TestMachine.shared, len: 4096).digest == Fill.seed(0).digest(length: 4096))
        // The IOVA came back to the rcache at once: the next request of that size gets it.
        #expect(machine.alloc("s2", size: 8192).address == addr)
        #expect(machine.flush() == .ok)
    }

    @Test func onLazy6_16DestroyQueuesTheIOVAAndLeavesTheIOTLB() {
        let (machine, addr) = Self.usedState(mode: .lazy, kernel: .v6_16)
        let destroyed = machine.destroy("s1", mapped: 8192, dir: .fromDevice)
        #expect(destroyed == Outcome(events: [SideEvent(.flushQueued, address: addr, length: 8192)]))
        let late = machine.devWrite(.s("s1"), len: 4096, fill: .seed(1))
        #expect(late.status == .ok)
        #expect(TestMachine.classes(late) == [.useAfterDestroy])
        #expect(machine.cpuRead(TestMachine.shared, len: 4096).digest == Fill.seed(1).digest(length: 4096))
        #expect(machine.alloc("s2", size: 8192).address != addr)
        #expect(machine.flush().events.contains(SideEvent(.iovaFreed, address: addr, length: 8192)))
        #expect(machine.alloc("s3", size: 8192).address == addr)
    }

    /// Strict mode syncs on both kernels; what differs is the size freed when
    /// `mapped_len` is short of the allocation: 7.3's `dma_iova_free` frees all of it,
    /// 6.16's unlink frees `iova_align(mapped_len + pad)` and leaves the rest allocated.
    @Test(arguments: [(KernelVersion.v7_3, UInt64(16384)), (.v6_16, 8192)])
    func aShortMappedLengthFreesWhatTheKernelFrees(_ kernel: KernelVersion, _ freed: UInt64) {
        let (machine, addr) = Self.usedState(mode: .strict, kernel: kernel, size: 16384, linked: 8192)
        let destroyed = machine.destroy("s1", mapped: 8192, dir: .fromDevice)
        #expect(destroyed.events == [SideEvent(.iotlbInvalidate, address: addr, length: 8192),
                                     SideEvent(.iovaFreed, address: addr, length: freed)])
        #expect(machine.devWrite(.s("s1"), len: 4096, fill: .seed(1)).status.faultKind == .notPresent)
    }

    /// `mapped_len == 0` ("the first call to dma_iova_link() failed"): just `dma_iova_free`.
    @Test(arguments: KernelVersion.allCases)
    func nothingLinkedIsJustAFree(_ kernel: KernelVersion) {
        let machine = TestMachine(mode: .lazy, kernel: kernel)
        let addr = machine.alloc("s1", size: 8192).address!
        #expect(machine.destroy("s1", mapped: 0).events == [SideEvent(.iovaFreed, address: addr, length: 8192)])
        #expect(machine.alloc("s2", size: 8192).address == addr)
    }
}
