import Testing
@testable import DMASim

/// Checkpoints: an engine restored from its encoded state (plus the pages it wrote) goes on
/// exactly as the original, and the encoding is canonical.
@Suite struct EngineStateTests {
    /// The seeded workloads of DeterminismTests: lazy flush queues, rcache reuse, stale
    /// IOTLB hits and misuse on one side; swiotlb bouncing, the CPU cache model and
    /// ownership on the other.
    static let workloads: [(name: String, ops: [Op])] = [
        ("two-step lazy", DeterminismTests.workload(seed: 42)),
        ("bounce and cache", DeterminismTests.bounceWorkload(seed: 7)),
    ]

    @Test(arguments: workloads.indices)
    func restoredEnginesGiveTheSameOutcomesAtEverySplit(_ index: Int) {
        let ops = Self.workloads[index].ops
        let splits = Array(stride(from: 0, through: ops.count, by: 13)) + [ops.count]
        let divergence = CheckpointVerifier.firstDivergence(in: ops, splittingAfter: splits)
        #expect(divergence == nil, "\(Self.workloads[index].name): \(divergence.map(String.init(describing:)) ?? "")")
    }

    @Test func anEmptyEngineRoundTrips() throws {
        let bytes = Engine().encodeState()
        let decoded = try Engine.decodingState(bytes)
        #expect(decoded.encodeState() == bytes)
        #expect(decoded.appliedCount == 0)
    }

    @Test func theDecodedEngineHasRegionsButNoPages() throws {
        let engine = Engine()
        _ = engine.apply(Self.workloads[1].ops)
        let decoded = try Engine.decodingState(engine.encodeState())
        #expect(decoded.appliedCount == engine.appliedCount)
        #expect(decoded.memoryRegions == engine.memoryRegions)
        #expect(!engine.touchedPages().isEmpty)
        #expect(decoded.touchedPages().isEmpty)
    }

    /// Snapshots end write epochs; a restored engine goes on counting, so pages written
    /// after the restore are newer than any snapshot taken before the checkpoint.
    @Test func theWriteEpochGoesOn() throws {
        let engine = TestMachine().engine
        let before = engine.startMemoryEpoch()
        engine.startMemoryEpoch()
        let restored = try engine.checkpointCopy()
        #expect(restored.memoryEpoch == engine.memoryEpoch)
        _ = restored.apply(.cpuWrite(CPUWriteOp(phys: TestMachine.ram, length: 8, fill: .byte(1))))
        #expect(restored.touchedPages(writtenSince: before + 1) == [TestMachine.ram >> 12])
    }

    /// Hashed collections go out sorted, so the bytes do not depend on the process's hash
    /// seed: this digest is the same in every run. A change here is a format change, and
    /// needs `EngineStateFormat.version` bumped.
    @Test func theStateOfASeededRunIsPinned() {
        let engine = Engine()
        // The second run's pool first: swiotlb is set up at boot, before the first call.
        let isPool = { (op: Op) -> Bool in if case .swiotlb = op.call { true } else { false } }
        let isRegion = { (op: Op) -> Bool in if case .region = op.call { true } else { false } }
        _ = engine.apply(Self.workloads[1].ops.filter(isPool))
        _ = engine.apply(Self.workloads[0].ops)
        _ = engine.apply(Self.workloads[1].ops.filter { !isRegion($0) && !isPool($0) })
        let bytes = engine.encodeState()
        #expect(XXH64.digest(bytes) == Self.pinnedDigest, "digest is now \(XXH64.digest(bytes)), \(bytes.count) bytes")
    }

    static let pinnedDigest: UInt64 = 14_990_177_260_627_556_640  // format 9: the IOMMU's fq-timer flag, each queued range's time; format 8: page sizes, runs of PTEs, block IOTLB entries (6); min_align_mask, domain type, cacheline marks, boot, warned-once sites (7); per-CPU magazines and flush queues, flush counts, dma-debug, tick phase (8); 7.3 destroy

    /// Devices of one IOMMU group share one domain object, and state records hold the
    /// device object itself; both links survive decoding.
    @Test func sharedObjectsAreSharedAgainAfterDecoding() throws {
        let engine = Engine()
        _ = engine.apply([
            .region(RegionSpec(name: "shm0", base: 0x1000_0000_0000, sizeBytes: 1 << 40, kind: .shared)),
            .iommu(IOMMUSpec(name: "mmu0", mode: .lazy)),
            .device(DeviceSpec(name: "fn0", iommu: "mmu0", group: "g")),
            .device(DeviceSpec(name: "fn1", iommu: "mmu0", group: "g")),
            .device(DeviceSpec(name: "solo", iommu: "mmu0")),
            .alloc(AllocOp(state: "s1", device: "fn1", phys: 0x1000_0000_0000, sizeBytes: 8192)),
        ])
        let decoded = try Engine.decodingState(engine.encodeState())
        let fn0 = try #require(decoded.devices["fn0"]), fn1 = try #require(decoded.devices["fn1"])
        let solo = try #require(decoded.devices["solo"])
        #expect(fn0.domain === fn1.domain)
        #expect(fn0.domain !== solo.domain)
        #expect(decoded.domainOfGroup["mmu0/g"] === fn0.domain)
        #expect(decoded.domainsOfIOMMU["mmu0"]?.count == 2)
        #expect(decoded.states[0].runtime === fn1)
    }

    /// A size-33 allocation is 64-aligned and leaves a gap above it; the next allocation
    /// walks down from the cached node (the size-33 one) and lands below it. An allocator
    /// restored without its cached node would walk from the anchor and fill the gap.
    @Test func theAllocatorsCachedNodeSurvives() throws {
        let granules: (UInt64) -> UInt64 = { $0 * 4096 }
        let ops: [Op] = [
            .region(RegionSpec(name: "shm0", base: 0x1000_0000_0000, sizeBytes: 1 << 40, kind: .shared)),
            .iommu(IOMMUSpec(name: "mmu0")),
            .device(DeviceSpec(name: "d0", iommu: "mmu0", bus: .platform)),
            .alloc(AllocOp(state: "big", device: "d0", phys: 0x1000_0000_0000, sizeBytes: granules(33))),
            .alloc(AllocOp(state: "small", device: "d0", phys: 0x1000_0000_0000, sizeBytes: granules(16))),
        ]
        let outcomes = Engine().apply(ops)
        let big = try #require(outcomes[3].address), small = try #require(outcomes[4].address)
        #expect(small < big, "the second IOVA is not below the first: the walk did not start at the cached node")
        let divergence = CheckpointVerifier.firstDivergence(in: ops, splittingAfter: [4])
        #expect(divergence == nil, "\(divergence.map(String.init(describing:)) ?? "")")
    }

    /// Fields no outcome may show (`max32_alloc_size` only skips a search that would fail)
    /// are restored all the same.
    @Test func everyAllocatorFieldSurvives() throws {
        let engine = Engine()
        _ = engine.apply(Self.workloads[0].ops)
        _ = engine.apply(.device(DeviceSpec(name: "small", iommu: "mmu0", dmaBits: 32)))
        // Fill the 32-bit space so a request fails and sets max32_alloc_size.
        for index in 0..<3 {
            _ = engine.apply(.alloc(AllocOp(state: "huge\(index)", device: "small", phys: 0x1000_0000_0000, sizeBytes: 1 << 31)))
        }
        let decoded = try Engine.decodingState(engine.encodeState())
        for (original, restored) in zip(engine.domainsOfIOMMU["mmu0"]!, decoded.domainsOfIOMMU["mmu0"]!) {
            let (a, b) = (original.allocator, restored.allocator)
            #expect(a.max32AllocSize == b.max32AllocSize)
            #expect(a.cachedNodeKey == b.cachedNodeKey && a.cached32NodeKey == b.cached32NodeKey)
            #expect(a.tree.elements == b.tree.elements)
            #expect((0..<IOVAAllocator.rangeCacheMaxOrder).map(a.cachedPfns(order:)) == (0..<IOVAAllocator.rangeCacheMaxOrder).map(b.cachedPfns(order:)))
            #expect(original.queuedEntries == restored.queuedEntries)
            #expect(original.flushStartCount == restored.flushStartCount && original.flushTimerOn == restored.flushTimerOn)
        }
        let allocator = engine.devices["small"]!.domain!.allocator
        #expect(allocator.max32AllocSize < allocator.dma32BitPfn, "no 32-bit request failed")
    }

    /// `verify` names a checkpoint taken before it, maybe before the engine was restored.
    @Test func checkpointNamesSurvive() throws {
        let ops: [Op] = [.checkpoint(CheckpointOp(name: "boot")), .verify(VerifyOp(name: "boot"))]
        #expect(Engine().apply(ops)[1] != Engine().apply([ops[1]])[0])
        let divergence = CheckpointVerifier.firstDivergence(in: ops, splittingAfter: [1])
        #expect(divergence == nil, "\(divergence.map(String.init(describing:)) ?? "")")
    }

    /// Lines the CPU wrote and memory has not seen live only in the cache model: a
    /// checkpoint carries their bytes, and a later clean writes them to memory.
    @Test func dirtyCacheLinesKeepTheirBytes() throws {
        let machine = TestMachine(iommu: nil, devices: [DeviceSpec(name: "dsp0", iommu: nil, coherent: false)])
        let phys = TestMachine.ram + 0x1040
        machine.cpuWrite(phys, len: 100, fill: .seed(3))
        let restored = try machine.engine.checkpointCopy()
        #expect(restored.cache?.dataLineCount == machine.engine.cache?.dataLineCount)
        let map = Op.map(MapOp(mapping: "m1", device: "dsp0", phys: phys, length: 100, direction: .toDevice))
        let read = Op.deviceRead(DeviceReadOp(device: "dsp0", address: .mapping("m1", offset: 0), length: 100))
        #expect(restored.apply(map) == machine.engine.apply(map))
        let expected = machine.engine.apply(read)
        #expect(restored.apply(read) == expected)
        #expect(expected.digest == Fill.seed(3).digest(length: 100))
    }
}
