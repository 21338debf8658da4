/// One operation: a kernel DMA API call, a device or CPU access, a topology declaration or
/// a policy event (`call`), with the CPU it ran on and, when known, the kernel's timestamp.
/// Ops name IOVA states and mappings by handle (`s1`, `m7`), never by an address only the
/// engine knows, so the same op list runs anywhere and replays exactly.
///
/// Build one with the static factories, which read like the calls they stand for, then set
/// where and when it ran; match on `call`:
///
///     var op = Op.link(LinkOp(state: "s1", phys: 0x1000, length: 4096, direction: .toDevice))
///     op.cpu = 1; op.time = 12_094_264_000      // cpu=1 time=12.094264s
///     switch op.call { case .link(let link): … default: … }
///
/// `time` is an input, never a clock: the engine moves its clock to it before the call
/// runs (firing the timers due by then) and rejects a time before its clock.
public struct Op: Sendable, Hashable {
    public var call: Call
    /// The CPU the call ran on (`smp_processor_id()`): 0 … `machine cpus=` - 1.
    public var cpu: Int
    /// When the call ran, in nanoseconds since boot (ftrace's clock); nil when not known.
    public var time: UInt64?

    public init(_ call: Call, cpu: Int = 0, time: UInt64? = nil) {
        self.call = call; self.cpu = cpu; self.time = time
    }

    /// What the op does. Every case has a factory of the same name on `Op`.
    public enum Call: Sendable, Hashable {
        // Topology
        case machine(MachineSpec)
        case region(RegionSpec)
        case iommu(IOMMUSpec)
        case device(DeviceSpec)
        case swiotlb(SwiotlbSpec)

        // Two-step API (drivers/iommu/dma-iommu.c)
        case alloc(AllocOp)
        case link(LinkOp)
        case sync(SyncOp)
        case unlink(UnlinkOp)
        case destroy(DestroyOp)
        case free(FreeOp)

        // Streaming fallback (kernel/dma/mapping.c)
        case map(MapOp)
        case unmap(UnmapOp)
        case syncForCPU(StreamingSyncOp)
        case syncForDevice(StreamingSyncOp)
        case mappingError(MappingErrorOp)

        // Data
        case cpuWrite(CPUWriteOp)
        case cpuRead(CPUReadOp)
        case deviceWrite(DeviceWriteOp)
        case deviceRead(DeviceReadOp)

        // Policy, teardown, verification, time
        case flush(FlushOp)
        case detach(DetachOp)
        case checkpoint(CheckpointOp)
        case verify(VerifyOp)
        case advance(AdvanceOp)
    }

    /// The same op with another call: where and when it ran stay.
    public func with(_ call: Call) -> Op {
        var op = self
        op.call = call
        return op
    }
}

// Factories: `.link(LinkOp(…))` builds an op on CPU 0 with no time, as before ops had them.
extension Op {
    public static func machine(_ spec: MachineSpec) -> Op { Op(.machine(spec)) }
    public static func region(_ spec: RegionSpec) -> Op { Op(.region(spec)) }
    public static func iommu(_ spec: IOMMUSpec) -> Op { Op(.iommu(spec)) }
    public static func device(_ spec: DeviceSpec) -> Op { Op(.device(spec)) }
    public static func swiotlb(_ spec: SwiotlbSpec) -> Op { Op(.swiotlb(spec)) }
    public static func alloc(_ call: AllocOp) -> Op { Op(.alloc(call)) }
    public static func link(_ call: LinkOp) -> Op { Op(.link(call)) }
    public static func sync(_ call: SyncOp) -> Op { Op(.sync(call)) }
    public static func unlink(_ call: UnlinkOp) -> Op { Op(.unlink(call)) }
    public static func destroy(_ call: DestroyOp) -> Op { Op(.destroy(call)) }
    public static func free(_ call: FreeOp) -> Op { Op(.free(call)) }
    public static func map(_ call: MapOp) -> Op { Op(.map(call)) }
    public static func unmap(_ call: UnmapOp) -> Op { Op(.unmap(call)) }
    public static func syncForCPU(_ call: StreamingSyncOp) -> Op { Op(.syncForCPU(call)) }
    public static func syncForDevice(_ call: StreamingSyncOp) -> Op { Op(.syncForDevice(call)) }
    public static func mappingError(_ call: MappingErrorOp) -> Op { Op(.mappingError(call)) }
    public static func cpuWrite(_ access: CPUWriteOp) -> Op { Op(.cpuWrite(access)) }
    public static func cpuRead(_ access: CPUReadOp) -> Op { Op(.cpuRead(access)) }
    public static func deviceWrite(_ access: DeviceWriteOp) -> Op { Op(.deviceWrite(access)) }
    public static func deviceRead(_ access: DeviceReadOp) -> Op { Op(.deviceRead(access)) }
    public static func flush(_ call: FlushOp) -> Op { Op(.flush(call)) }
    public static func detach(_ call: DetachOp) -> Op { Op(.detach(call)) }
    public static func checkpoint(_ call: CheckpointOp) -> Op { Op(.checkpoint(call)) }
    public static func verify(_ call: VerifyOp) -> Op { Op(.verify(call)) }
    public static func advance(_ call: AdvanceOp) -> Op { Op(.advance(call)) }
}

/// `dma_iova_try_alloc(dev, state, phys, size)`.
public struct AllocOp: Sendable, Hashable {
    public var state: String
    public var device: String
    public var phys: UInt64
    public var sizeBytes: UInt64
    public init(state: String, device: String, phys: UInt64, sizeBytes: UInt64) {
        self.state = state; self.device = device; self.phys = phys; self.sizeBytes = sizeBytes
    }
}

/// `dma_iova_link(dev, state, phys, offset, size, dir, attrs)`.
public struct LinkOp: Sendable, Hashable {
    public var state: String
    public var offset: UInt64
    public var phys: UInt64
    public var length: UInt64
    public var direction: DMADirection
    public var attributes: DMAAttributes
    public init(state: String, offset: UInt64, phys: UInt64, length: UInt64, direction: DMADirection, attributes: DMAAttributes = []) {
        self.state = state; self.offset = offset; self.phys = phys; self.length = length
        self.direction = direction; self.attributes = attributes
    }
}

/// `dma_iova_sync(dev, state, offset, size)`.
public struct SyncOp: Sendable, Hashable {
    public var state: String
    public var offset: UInt64
    public var length: UInt64
    public init(state: String, offset: UInt64, length: UInt64) {
        self.state = state; self.offset = offset; self.length = length
    }
}

/// `dma_iova_unlink(dev, state, offset, size, dir, attrs)`.
public struct UnlinkOp: Sendable, Hashable {
    public var state: String
    public var offset: UInt64
    public var length: UInt64
    public var direction: DMADirection
    public var attributes: DMAAttributes
    public init(state: String, offset: UInt64, length: UInt64, direction: DMADirection, attributes: DMAAttributes = []) {
        self.state = state; self.offset = offset; self.length = length
        self.direction = direction; self.attributes = attributes
    }
}

/// `dma_iova_destroy(dev, state, mapped_len, dir, attrs)`.
public struct DestroyOp: Sendable, Hashable {
    public var state: String
    public var mappedLength: UInt64
    public var direction: DMADirection
    public var attributes: DMAAttributes
    public init(state: String, mappedLength: UInt64, direction: DMADirection, attributes: DMAAttributes = []) {
        self.state = state; self.mappedLength = mappedLength; self.direction = direction; self.attributes = attributes
    }
}

/// `dma_iova_free(dev, state)`.
public struct FreeOp: Sendable, Hashable {
    public var state: String
    public init(state: String) { self.state = state }
}

/// `dma_map_phys(dev, phys, size, dir, attrs)` (`dma_map_page_attrs` before 6.18).
public struct MapOp: Sendable, Hashable {
    public var mapping: String
    public var device: String
    public var phys: UInt64
    public var length: UInt64
    public var direction: DMADirection
    public var attributes: DMAAttributes
    public init(mapping: String, device: String, phys: UInt64, length: UInt64, direction: DMADirection, attributes: DMAAttributes = []) {
        self.mapping = mapping; self.device = device; self.phys = phys; self.length = length
        self.direction = direction; self.attributes = attributes
    }
}

/// `dma_unmap_phys(dev, addr, size, dir, attrs)`.
public struct UnmapOp: Sendable, Hashable {
    public var mapping: String
    public var length: UInt64
    public var direction: DMADirection
    public var attributes: DMAAttributes
    public init(mapping: String, length: UInt64, direction: DMADirection, attributes: DMAAttributes = []) {
        self.mapping = mapping; self.length = length; self.direction = direction; self.attributes = attributes
    }
}

/// `dma_sync_single_for_cpu/device(dev, addr + offset, size, dir)`.
public struct StreamingSyncOp: Sendable, Hashable {
    public var mapping: String
    public var offset: UInt64
    public var length: UInt64
    public var direction: DMADirection
    public init(mapping: String, offset: UInt64, length: UInt64, direction: DMADirection) {
        self.mapping = mapping; self.offset = offset; self.length = length; self.direction = direction
    }
}

/// `dma_mapping_error(dev, addr)`: the check dma-debug wants before any unmap.
public struct MappingErrorOp: Sendable, Hashable {
    public var mapping: String
    public init(mapping: String) { self.mapping = mapping }
}

/// A CPU store through the kernel's linear or `kmap_local_phys` view.
public struct CPUWriteOp: Sendable, Hashable {
    public var phys: UInt64
    public var length: UInt64
    public var fill: Fill
    public init(phys: UInt64, length: UInt64, fill: Fill) { self.phys = phys; self.length = length; self.fill = fill }
}

/// A CPU load; the outcome carries the digest of the bytes read.
public struct CPUReadOp: Sendable, Hashable {
    public var phys: UInt64
    public var length: UInt64
    public init(phys: UInt64, length: UInt64) { self.phys = phys; self.length = length }
}

/// A device DMA write through its IOMMU (or straight to memory without one).
public struct DeviceWriteOp: Sendable, Hashable {
    public var device: String
    public var address: DeviceAddress
    public var length: UInt64
    public var fill: Fill
    public init(device: String, address: DeviceAddress, length: UInt64, fill: Fill) {
        self.device = device; self.address = address; self.length = length; self.fill = fill
    }
}

/// A device DMA read; the outcome carries the digest, or a fault.
public struct DeviceReadOp: Sendable, Hashable {
    public var device: String
    public var address: DeviceAddress
    public var length: UInt64
    public init(device: String, address: DeviceAddress, length: UInt64) {
        self.device = device; self.address = address; self.length = length
    }
}

/// Drains a lazy IOMMU's flush queues now: what the 10 ms `fq_timer` does
/// (`fq_flush_timeout()`), on the op's CPU. With `device`, only that device's domain (each
/// domain has its own timer); else every domain of the IOMMU.
///
/// `ranAt` (script `at=`, ns since boot, not after the op's time) says the timer ran then,
/// though the op comes later (an import learns it from a later IOVA): only the ranges
/// queued by then are freed; those queued since stay, as queued after the flush, and the
/// first of them armed the timer again.
public struct FlushOp: Sendable, Hashable {
    public var iommu: String
    public var device: String?
    public var ranAt: UInt64?
    public init(iommu: String, device: String? = nil, ranAt: UInt64? = nil) {
        self.iommu = iommu; self.device = device; self.ranAt = ranAt
    }
}

/// Driver unbind / device removal: live states and mappings are reported as leaks.
public struct DetachOp: Sendable, Hashable {
    public var device: String
    public init(device: String) { self.device = device }
}

/// A named point to snapshot memory and engine state.
public struct CheckpointOp: Sendable, Hashable {
    public var name: String
    public init(name: String) { self.name = name }
}

/// Compare memory now with checkpoint `name`.
public struct VerifyOp: Sendable, Hashable {
    public var name: String
    public init(name: String) { self.name = name }
}

/// Lets time pass with nothing else happening: the clock moves `nanoseconds` forward (after
/// moving to the op's own `time`, if it has one) and the timers due on the way fire.
public struct AdvanceOp: Sendable, Hashable {
    public var nanoseconds: UInt64
    public init(nanoseconds: UInt64) { self.nanoseconds = nanoseconds }
}
