import Testing
@testable import DMASim

/// `dma_iova_unlink`, `dma_iova_destroy`, `dma_iova_free` (docs/kernel-model.md "Followed call by call") and the misuse
/// they make possible (`use-after-unlink`, `destroy-length-mismatch`, `free-with-linked-ranges`, `double-free`).
@Suite struct TeardownTests {
    static let base = TestMachine.shared

    /// Unlink is always a synchronous IOTLB invalidation, even in lazy (DMA-FQ) mode, and
    /// it does not free the IOVA.
    @Test(arguments: [IOMMUMode.strict, .lazy])
    func unlinkInvalidatesTheIOTLBAtOnce(mode: IOMMUMode) {
        let machine = TestMachine(mode: mode)
        let addr = machine.alloc("s1", size: 8192).address!
        machine.link("s1", len: 8192)
        machine.devWrite(.s("s1"), len: 8192, fill: .seed(1))  // caches both granules
        let unlinked = machine.unlink("s1", off: 4096, len: 4096)
        #expect(unlinked == Outcome(events: [SideEvent(.iotlbInvalidate, address: addr + 4096, length: 4096)]))
        let late = machine.devRead(.s("s1", 4096), len: 4096)
        #expect(late.status == .fault(Fault(kind: .notPresent, address: addr + 4096, isWrite: false)))
        #expect(TestMachine.classes(late) == [.useAfterUnlink])
        // The first granule is still linked and the IOVA still belongs to s1.
        #expect(machine.devRead(.s("s1"), len: 4096).status == .ok)
        #expect(machine.alloc("s2", size: 8192).address != addr)
    }

    /// A plain not-present fault on a never-linked granule of a live state (an ODP page
    /// fault) is not misuse.
    @Test func faultOnANeverLinkedGranuleHasNoFinding() {
        let machine = TestMachine()
        machine.alloc("s1", size: 8192)
        machine.link("s1", len: 4096)
        let outcome = machine.devRead(.s("s1", 4096), len: 4096)
        #expect(outcome.status.faultKind == .notPresent)
        #expect(outcome.findings.isEmpty)
    }

    @Test func unlinkOfUnlinkedGranulesWarns() {
        let machine = TestMachine()
        machine.alloc("s1", size: 8192)
        machine.link("s1", len: 4096)
        let outcome = machine.unlink("s1", len: 8192)
        #expect(TestMachine.classes(outcome) == [.unlinkNotLinked])
        #expect(outcome.warnings.first?.hasPrefix("WARN_ON(unmapped != size)") == true)
    }

    /// Strict destroy: unmap, `iotlb_sync`, `free_iova_fast` — the IOVA is reusable at once
    /// and a late access faults.
    @Test func strictDestroyInvalidatesAndFreesImmediately() {
        let machine = TestMachine(mode: .strict)
        let addr = machine.alloc("s1", size: 8192).address!
        machine.link("s1", len: 8192)
        machine.devWrite(.s("s1"), len: 4096, fill: .seed(0))
        let destroyed = machine.destroy("s1", mapped: 8192)
        #expect(destroyed.events == [
            SideEvent(.iotlbInvalidate, address: addr, length: 8192),
            SideEvent(.iovaFreed, address: addr, length: 8192),
        ])
        let late = machine.devWrite(.s("s1"), len: 4096, fill: .seed(1))
        #expect(late.status.faultKind == .notPresent)
        #expect(TestMachine.classes(late) == [.useAfterDestroy])
        #expect(machine.alloc("s2", size: 8192).address == addr)
    }

    /// `destroy-length-mismatch`: mapped_len larger than what is linked: the unmap stops at the first hole and
    /// WARNs; the whole allocation is still freed.
    @Test func destroyWithTooLargeMappedLength() {
        let machine = TestMachine()
        machine.alloc("s1", size: 16384)
        machine.link("s1", len: 4096)
        let outcome = machine.destroy("s1", mapped: 16384)
        #expect(TestMachine.classes(outcome) == [.destroyLengthMismatch])
        #expect(outcome.events.contains(SideEvent(.kernelWarning, address: 0xFFFF_C000, length: 16384)))
    }

    /// `destroy-length-mismatch`: mapped_len smaller than what is linked leaves PTEs over freed IOVA; the next
    /// user of that IOVA meets them.
    @Test func destroyWithTooSmallMappedLengthLeavesStalePTEs() {
        let machine = TestMachine()
        machine.alloc("s1", size: 8192)
        machine.link("s1", len: 8192)
        #expect(TestMachine.classes(machine.destroy("s1", mapped: 4096)) == [.destroyLengthMismatch])
        // destroy freed iova_align(4096) = one granule into the order-0 rcache;
        // a one-granule alloc gets it back, and linking it is fine…
        machine.alloc("s2", size: 4096)
        #expect(machine.link("s2", len: 4096).status == .ok)
        // …but the second granule's stale PTE is still there for the device to use.
        #expect(machine.devRead(.absolute(0xFFFF_F000), len: 4096).status == .ok)
    }

    /// `free-with-linked-ranges`: free without unlink: no unmap and no flush, so the PTEs keep working.
    @Test func freeWithLinkedRangesKeepsStalePTEsReachable() {
        let machine = TestMachine()
        machine.alloc("s1", size: 4096)
        machine.link("s1", len: 4096)
        let freed = machine.free("s1")
        #expect(TestMachine.classes(freed) == [.freeWithLinkedRanges])
        #expect(freed.events == [SideEvent(.iovaFreed, address: 0xFFFF_F000, length: 4096)])
        let late = machine.devWrite(.s("s1"), len: 4096, fill: .byte(7))
        #expect(late.status == .ok)
        #expect(TestMachine.classes(late) == [.useAfterFree])
        // The next user of the IOVA cannot link over the stale PTE: 7.3's generic page
        // table (__map_range_leaf()) says -EADDRINUSE.
        machine.alloc("s2", size: 4096)
        #expect(machine.link("s2", len: 4096).status == .errno(.EADDRINUSE))
    }

    /// destroy(0) is `dma_iova_free` only: the documented path after a failed first link.
    @Test func destroyWithZeroLengthOnlyFrees() {
        let machine = TestMachine()
        machine.alloc("s1", size: 8192)
        let outcome = machine.destroy("s1", mapped: 0)
        #expect(outcome == Outcome(events: [SideEvent(.iovaFreed, address: 0xFFFF_E000, length: 8192)]))
    }

    @Test func doubleDestroyIsFlagged() {
        let machine = TestMachine()
        machine.alloc("s1", size: 4096)
        machine.link("s1", len: 4096)
        machine.destroy("s1", mapped: 4096)
        #expect(TestMachine.classes(machine.destroy("s1", mapped: 4096)).contains(.doubleFree))
    }

    @Test func linkAfterDestroyIsFlagged() {
        let machine = TestMachine()
        machine.alloc("s1", size: 4096)
        machine.destroy("s1", mapped: 0)
        #expect(TestMachine.classes(machine.link("s1", len: 4096)) == [.useAfterDestroy])
    }

    @Test func detachReportsLiveStatesAndMappingsInCreationOrder() {
        let machine = TestMachine()
        machine.alloc("s1", size: 4096)
        machine.alloc("s2", size: 4096)
        machine.destroy("s1", mapped: 0)
        machine.map("m1", phys: TestMachine.ram, len: 4096)
        let outcome = machine.run(.detach(DetachOp(device: "nvme0")))
        #expect(outcome.findings.map(\.handle) == ["s2", "m1"])
        #expect(TestMachine.classes(outcome) == [.leakAtDetach, .leakAtDetach])
    }

    /// Unbind reclaims nothing (`dma_debug_device_change()` only reports; the device and its
    /// domain outlive the driver): a driver bound again maps, may unmap what the last one
    /// leaked, and the next unbind reports what is still pending.
    @Test func aDriverBoundAgainAfterDetachMapsAndTheNextDetachReportsWhatIsStillPending() {
        let machine = TestMachine()
        machine.alloc("s1", size: 4096)
        machine.map("m1", phys: TestMachine.ram, len: 4096)
        machine.checkError("m1")
        machine.map("m2", phys: TestMachine.ram + 0x10000, len: 4096)
        #expect(machine.run(.detach(DetachOp(device: "nvme0"))).findings.map(\.handle) == ["s1", "m1", "m2"])
        #expect(machine.alloc("s3", size: 4096).status == .ok)
        #expect(TestMachine.classes(machine.unmap("m1", len: 4096)).isEmpty)
        #expect(machine.run(.detach(DetachOp(device: "nvme0"))).findings.map(\.handle) == ["s1", "s3", "m2"])
    }

    /// `unlink-attribute-mismatch`: an unlink or destroy whose direction or skip-cpu-sync/mmio matches no link
    /// of the state; one that matches is clean.
    @Test func unlinkWithOtherArgumentsThanTheLinkIsFlagged() {
        let machine = TestMachine()
        machine.alloc("s1", size: 8192)
        machine.link("s1", len: 8192, dir: .fromDevice)
        #expect(TestMachine.classes(machine.unlink("s1", len: 4096, dir: .fromDevice, attrs: .skipCPUSync)) == [.unlinkAttributeMismatch])
        #expect(TestMachine.classes(machine.unlink("s1", off: 4096, len: 4096, dir: .fromDevice)).isEmpty)
        machine.link("s1", len: 4096, dir: .fromDevice)
        #expect(TestMachine.classes(machine.destroy("s1", mapped: 4096, dir: .bidirectional)) == [.unlinkAttributeMismatch])
    }

    /// `__iommu_dma_iova_unlink()` through `iommu_unmap_fast()`: a mapped_len past the
    /// state's allocation with no hole unmaps the next state's PTEs, `unmapped == size`,
    /// no WARN; the checker names the neighbour.
    @Test func destroyPastTheAllocationNamesTheNeighbourItUnmapped() {
        let machine = TestMachine()
        machine.alloc("s1", phys: Self.base, size: 4096)                 // 0xfffff000
        machine.alloc("s2", phys: Self.base + 0x10_0000, size: 4096)     // 0xffffe000, just below
        machine.link("s1", phys: Self.base, len: 4096)
        machine.link("s2", phys: Self.base + 0x10_0000, len: 4096)
        let outcome = machine.destroy("s2", mapped: 8192)
        #expect(outcome.warnings.isEmpty)
        #expect(TestMachine.classes(outcome) == [.destroyLengthMismatch])
        #expect(outcome.findings[0].message.contains("the PTEs of s1 went too"))
        #expect(machine.devRead(.s("s1"), len: 64).status.faultKind == .notPresent)
        // A mapped_len that ends at the state's own last granule is no finding.
        machine.alloc("s3", phys: Self.base, size: 8192)
        machine.link("s3", phys: Self.base, len: 8192)
        #expect(machine.destroy("s3", mapped: 8192).findings.isEmpty)
    }
}
