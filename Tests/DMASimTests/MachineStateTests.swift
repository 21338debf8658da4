import Testing
@testable import DMASim

/// `Engine.machineState`, the values `dmajournal state` prints: the page walk, the PTEs
/// around an address, the rcache magazines per CPU, the swiotlb pool's used slots and the
/// handles. IOTLB and flush-queue views are in IOTLBProvenanceTests.
@Suite struct MachineStateTests {
    /// A 4 KiB-granule, 48-bit table is walked in 4 levels of 9 bits (512 eight-byte
    /// entries: VT-d's agaw 48, LPAE's 4 levels): 0xffffc000 is index 0, 3, 0x1ff, 0x1fc.
    /// An address with nothing under its level-3 entry stops the walk there.
    @Test func theWalkIndexesEachLevelAndEndsAtTheLeafOrAHole() throws {
        let machine = TestMachine()
        let iova = try #require(machine.alloc("s1", size: 12288).address)
        #expect(iova == 0xFFFF_C000)
        machine.link("s1", len: 12288, dir: .toDevice)
        let walk = machine.engine.machineState(MachineStateRequest(address: iova + 0x10)).domains[0].walk
        #expect(walk.map(\.level) == [4, 3, 2, 1])
        #expect(walk.map(\.index) == [0, 3, 0x1FF, 0x1FC])
        #expect(walk.map { "\($0.highBit):\($0.lowBit)" } == ["47:39", "38:30", "29:21", "20:12"])
        #expect(walk.dropLast().allSatisfy { $0.entry == .table })
        let leaf = PageView(iova: iova, pageBytes: 4096, count: 1, pte: PTEView(phys: TestMachine.shared, prot: [.read, .cache], visible: true))
        #expect(walk.last?.entry == .leaf(leaf))
        let hole = machine.engine.machineState(MachineStateRequest(address: 0x1_0000_0000)).domains[0].walk
        #expect(hole.map(\.level) == [4, 3])
        #expect(hole.last?.entry == PageWalkLevel.Entry.none)
    }

    /// A 2 MiB block is a leaf at level 2: the walk ends there (`iommu_pgsize()` chose it).
    @Test func aBlockIsALeafAboveTheLastLevel() throws {
        let machine = TestMachine()
        let twoMiB: UInt64 = 2 << 20
        let iova = try #require(machine.alloc("s1", size: twoMiB).address)
        machine.link("s1", len: twoMiB)
        let walk = machine.engine.machineState(MachineStateRequest(address: iova + 0x1234)).domains[0].walk
        #expect(walk.map(\.level) == [4, 3, 2])
        guard case .leaf(let page) = walk.last?.entry else { Issue.record("no leaf: \(walk)"); return }
        #expect(page.iova == iova && page.pageBytes == twoMiB && page.pte?.phys == TestMachine.shared)
    }

    /// `--around N`: one line per leaf (a block once) and per unmapped granule, N granules
    /// either side; without an address, the runs of PTEs.
    @Test func pagesAroundAnAddressAndTheRunsWithoutOne() throws {
        let machine = TestMachine()
        let iova = try #require(machine.alloc("s1", size: 8192).address)
        machine.link("s1", len: 8192)
        let around = machine.engine.machineState(MachineStateRequest(address: iova, around: 1)).domains[0].pages.items
        #expect(around.map(\.iova) == [iova - 4096, iova, iova + 4096])
        #expect(around.map { $0.pte?.phys } == [nil, TestMachine.shared, TestMachine.shared + 4096])
        let runs = machine.engine.machineState().domains[0].pages
        #expect(runs.items.map { [$0.iova, $0.pageBytes, $0.count] } == [[iova, 4096, 2]])
        #expect(runs.omitted == 0)
        #expect(machine.engine.machineState(MachineStateRequest(limit: 0)).domains[0].pages.omitted == 1)
    }

    /// `free_iova_fast()` puts a freed IOVA in the freeing CPU's loaded magazine
    /// (`__iova_rcache_insert()` on `raw_cpu_ptr(rcache->cpu_rcaches)`): a free on cpu 1
    /// is in cpu 1's magazine of its order, not cpu 0's.
    @Test func magazinesArePerCPUAndPerOrder() throws {
        let machine = TestMachine(machine: MachineSpec(cpuCount: 2), iommu: IOMMUSpec(name: "mmu0", mode: .strict))
        let small = try #require(machine.map("m1", phys: TestMachine.shared, len: 4096).address)
        let large = try #require(machine.map("m2", phys: TestMachine.shared + 0x10000, len: 16384).address)
        machine.checkError("m1")
        machine.checkError("m2")
        machine.unmap("m1", len: 4096)
        var onCPU1 = Op.unmap(UnmapOp(mapping: "m2", length: 16384, direction: .bidirectional))
        onCPU1.cpu = 1
        machine.run(onCPU1)
        #expect(machine.engine.machineState().domains[0].rangeCaches == [
            RangeCacheView(order: 0, cpus: [CPUMagazinesView(cpu: 0, loaded: [small], previous: [])], depot: []),
            RangeCacheView(order: 2, cpus: [CPUMagazinesView(cpu: 1, loaded: [large], previous: [])], depot: []),
        ])
    }

    /// `swiotlb_tbl_map_single()` for an untrusted device's unaligned buffer: the slots
    /// of one allocation, with `orig_addr` and `alloc_size` (the mapping's size less the
    /// min_align_mask offset); released at unmap (`swiotlb_release_slots()`).
    @Test func swiotlbShowsEachAllocationsSlots() throws {
        let machine = TestMachine(iommu: IOMMUSpec(name: "mmu0", mode: .strict),
                                  devices: [DeviceSpec(name: "tb0", iommu: "mmu0", untrusted: true, minAlignMask: 0xFFF)])
        machine.swiotlb(size: 256 * 1024, base: TestMachine.ram)
        let orig = TestMachine.bounceRAM + 0x100
        machine.map("m1", dev: "tb0", phys: orig, len: 0x200)
        let pool = try #require(machine.engine.machineState().swiotlb)
        #expect((pool.slotCount, pool.usedSlots) == (128, 2))
        #expect(pool.allocations.items == [SwiotlbAllocationView(firstSlot: 0, slotCount: 2, tlbAddress: TestMachine.ram,
                                                                 origAddress: orig, allocBytes: 4096 - 0x100, padSlots: 0)])
        let mapping = try #require(machine.engine.machineState().mappings.first)
        #expect(mapping.bounceAddress == TestMachine.ram + 0x100 && mapping.life == "mapped")
        machine.checkError("m1")
        machine.unmap("m1", len: 0x200)
        #expect(machine.engine.machineState().swiotlb?.allocations.items.isEmpty == true)
    }

    /// Handles in the order they were made, with their life.
    @Test func handlesInCreationOrder() throws {
        let machine = TestMachine(mode: .strict)
        machine.alloc("s1", size: 4096)
        machine.map("m1", phys: TestMachine.shared + 0x10000, len: 4096)
        machine.checkError("m1")
        machine.unmap("m1", len: 4096)
        let state = machine.engine.machineState()
        #expect(state.states.map { [$0.handle, $0.device, $0.life] } == [["s1", "nvme0", "allocated"]])
        #expect(state.mappings.map { [$0.handle, $0.life] } == [["m1", "unmapped"]])
    }
}
