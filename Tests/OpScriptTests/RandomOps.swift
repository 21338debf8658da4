import DMASim

/// Seeded random ops covering every verb and every field, with the values the format can
/// express: valid names, non-empty patterns, granules that are powers of two, and so on.
/// Used to check `parse(print(ops)) == ops` far beyond the hand-written scripts.
struct RandomOps {
    private var random: SeededGenerator

    init(seed: UInt64) { random = SeededGenerator(seed: seed) }

    /// Names that exercise the handle-kind rule (`m…` vs others) and the odd characters.
    static let names = ["s1", "s2", "m1", "m2", "buf", "mx", "q.0", "_t:1-a", "nvme0", "mapping"]

    mutating func ops(count: Int) -> [Op] {
        (0..<count).map { _ in op() }
    }

    mutating func op() -> Op {
        let kind = OpKind.allCases.randomElement(using: &random)!
        var op = kind.isTopology ? topology(kind) : call(kind)
        op.cpu = pick([0, 0, 1, 7, MachineSpec.maxCPUCount - 1])
        op.time = bool() ? nil : time()
        return op
    }

    /// Whole seconds, milliseconds, microseconds, odd nanoseconds and the extremes.
    private mutating func time() -> UInt64 {
        switch UInt64.random(in: 0...4, using: &random) {
        case 0: return pick([0, 1, 999, 1_000, UInt64.max])
        case 1: return UInt64.random(in: 0...100_000, using: &random) * pick([1_000, 1_000_000, 1_000_000_000] as [UInt64])
        default: return random.next() >> UInt64.random(in: 0...40, using: &random)
        }
    }

    private mutating func topology(_ kind: OpKind) -> Op {
        switch kind {
        case .machine:
            return .machine(MachineSpec(arch: pick(Architecture.allCases), kernel: pick(KernelVersion.allCases),
                                        cpuCount: Int.random(in: 1...MachineSpec.maxCPUCount, using: &random),
                                        hz: pick(MachineSpec.hzChoices)))
        case .region:
            return .region(RegionSpec(name: name(), base: number(), sizeBytes: number(), kind: pick(RegionKind.allCases)))
        case .iommu:
            return .iommu(IOMMUSpec(
                name: name(), mode: pick(IOMMUMode.allCases), granuleBytes: 1 << UInt64.random(in: 12...30, using: &random),
                apertureBits: Int.random(in: 1...64, using: &random), needsSyncMap: bool(),
                flushQueueSlots: Int.random(in: 1...65536, using: &random), forceDAC: bool(), reservedRanges: ranges()))
        case .device:
            return .device(DeviceSpec(
                name: name(), iommu: bool() ? nil : name(), dmaBits: Int.random(in: 1...64, using: &random),
                coherent: bool(), untrusted: bool(), bus: pick(DeviceBus.allCases), group: bool() ? nil : name(),
                untrustedAtProbe: bool() && bool()))
        default:
            let size = number()
            // Size 0 is `swiotlb noforce`, which has no base or force.
            return .swiotlb(size == 0 ? .noForce : SwiotlbSpec(sizeBytes: size, base: bool() ? SwiotlbSpec.defaultBase : number(), force: bool()))
        }
    }

    private mutating func call(_ kind: OpKind) -> Op {
        switch kind {
        case .alloc: return .alloc(AllocOp(state: name(), device: name(), phys: number(), sizeBytes: number()))
        case .link:
            return .link(LinkOp(state: name(), offset: number(), phys: number(), length: number(),
                                direction: direction(), attributes: attributes()))
        case .sync: return .sync(SyncOp(state: name(), offset: number(), length: number()))
        case .unlink:
            return .unlink(UnlinkOp(state: name(), offset: number(), length: number(), direction: direction(), attributes: attributes()))
        case .destroy:
            return .destroy(DestroyOp(state: name(), mappedLength: number(), direction: direction(), attributes: attributes()))
        case .free: return .free(FreeOp(state: name()))
        case .map:
            return .map(MapOp(mapping: name(), device: name(), phys: number(), length: number(),
                              direction: direction(), attributes: attributes()))
        case .unmap: return .unmap(UnmapOp(mapping: name(), length: number(), direction: direction(), attributes: attributes()))
        case .syncForCPU: return .syncForCPU(streamingSync())
        case .syncForDevice: return .syncForDevice(streamingSync())
        case .mappingError: return .mappingError(MappingErrorOp(mapping: name()))
        default: return access(kind)
        }
    }

    private mutating func access(_ kind: OpKind) -> Op {
        switch kind {
        case .cpuWrite: return .cpuWrite(CPUWriteOp(phys: number(), length: number(), fill: fill()))
        case .cpuRead: return .cpuRead(CPUReadOp(phys: number(), length: number()))
        case .deviceWrite: return .deviceWrite(DeviceWriteOp(device: name(), address: address(), length: number(), fill: fill()))
        case .deviceRead: return .deviceRead(DeviceReadOp(device: name(), address: address(), length: number()))
        case .flush: return .flush(FlushOp(iommu: name()))
        case .detach: return .detach(DetachOp(device: name()))
        case .checkpoint: return .checkpoint(CheckpointOp(name: name()))
        case .advance: return .advance(AdvanceOp(nanoseconds: bool() ? 0 : time()))
        default: return .verify(VerifyOp(name: name()))
        }
    }

    private mutating func streamingSync() -> StreamingSyncOp {
        StreamingSyncOp(mapping: name(), offset: number(), length: number(), direction: direction())
    }

    private mutating func bool() -> Bool { Bool.random(using: &random) }

    private mutating func pick<T>(_ values: [T]) -> T { values.randomElement(using: &random)! }

    private mutating func name() -> String { pick(Self.names) }

    /// Zero, the extremes, exact K/M/G/T multiples, and odd values, in equal measure.
    private mutating func number() -> UInt64 {
        switch UInt64.random(in: 0...4, using: &random) {
        case 0: return pick([0, 1, 1023, 1024, 1536, UInt64.max, UInt64.max - 1023])
        case 1: return UInt64.random(in: 1...64, using: &random) << pick([10, 20, 30, 40] as [UInt64])
        case 2: return UInt64.random(in: 0...0xFFFF_FFFF, using: &random)
        default: return random.next()
        }
    }

    private mutating func direction() -> DMADirection { pick(DMADirection.allCases) }

    private mutating func attributes() -> DMAAttributes {
        DMAAttributes.namedFlags.filter { _ in bool() }.reduce(into: []) { $0.insert($1.flag) }
    }

    private mutating func fill() -> Fill {
        switch UInt64.random(in: 0...3, using: &random) {
        case 0: return .seed(random.next())
        case 1: return .byte(UInt8.random(in: 0...255, using: &random))
        case 2: return .pattern((0..<Int.random(in: 1...8, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) })
        default: return .zero
        }
    }

    private mutating func address() -> DeviceAddress {
        switch UInt64.random(in: 0...2, using: &random) {
        case 0: return .absolute(number())
        case 1: return .state(name(), offset: bool() ? 0 : number())
        default: return .mapping(name(), offset: bool() ? 0 : number())
        }
    }

    private mutating func ranges() -> [ClosedRange<UInt64>] {
        (0..<Int.random(in: 0...3, using: &random)).map { _ in
            let (low, high) = (number(), number())
            return min(low, high)...max(low, high)
        }
    }
}
