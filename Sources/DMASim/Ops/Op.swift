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
    /// What the op does: the kernel call, access or declaration and its arguments.
    public var call: Call
    /// The CPU the call ran on (`smp_processor_id()`): 0 … `machine cpus=` - 1.
    public var cpu: Int
    /// When the call ran, in nanoseconds since boot (ftrace's clock); nil when not known.
    public var time: UInt64?

    /// An op of `call` on CPU `cpu`, at `time` when known.
    public init(_ call: Call, cpu: Int = 0, time: UInt64? = nil) {
        self.call = call; self.cpu = cpu; self.time = time
    }

    /// What the op does. Every case has a factory of the same name on `Op`.
    public enum Call: Sendable, Hashable {
        // Topology
        /// The machine: architecture, kernel version, CPUs, HZ (`MachineSpec`).
        case machine(MachineSpec)
        /// A region of physical memory (`RegionSpec`).
        case region(RegionSpec)
        /// An IOMMU and its domain policy (`IOMMUSpec`).
        case iommu(IOMMUSpec)
        /// A device: its IOMMU, DMA mask and coherence (`DeviceSpec`).
        case device(DeviceSpec)
        /// The swiotlb bounce pool (`SwiotlbSpec`).
        case swiotlb(SwiotlbSpec)

        // Two-step API (drivers/iommu/dma-iommu.c)
        /// `dma_iova_try_alloc(dev, state, phys, size)`.
        case alloc(AllocOp)
        /// `dma_iova_link(dev, state, phys, offset, size, dir, attrs)`.
        case link(LinkOp)
        /// `dma_iova_sync(dev, state, offset, size)`.
        case sync(SyncOp)
        /// `dma_iova_unlink(dev, state, offset, size, dir, attrs)`.
        case unlink(UnlinkOp)
        /// `dma_iova_destroy(dev, state, mapped_len, dir, attrs)`.
        case destroy(DestroyOp)
        /// `dma_iova_free(dev, state)`.
        case free(FreeOp)

        // Streaming fallback (kernel/dma/mapping.c)
        /// `dma_map_phys(dev, phys, size, dir, attrs)` (`dma_map_page_attrs` before 6.18).
        case map(MapOp)
        /// `dma_unmap_phys(dev, addr, size, dir, attrs)`.
        case unmap(UnmapOp)
        /// `dma_sync_single_for_cpu(dev, addr + offset, size, dir)`.
        case syncForCPU(StreamingSyncOp)
        /// `dma_sync_single_for_device(dev, addr + offset, size, dir)`.
        case syncForDevice(StreamingSyncOp)
        /// `dma_mapping_error(dev, addr)`: the check dma-debug wants before any unmap.
        case mappingError(MappingErrorOp)

        // Data
        /// A CPU store through the kernel's linear or `kmap_local_phys` view.
        case cpuWrite(CPUWriteOp)
        /// A CPU load; the outcome carries the digest of the bytes read.
        case cpuRead(CPUReadOp)
        /// A device DMA write through its IOMMU (or straight to memory without one).
        case deviceWrite(DeviceWriteOp)
        /// A device DMA read; the outcome carries the digest, or a fault.
        case deviceRead(DeviceReadOp)

        // Policy, teardown, verification, time
        /// Drains a lazy IOMMU's flush queues now, as the 10 ms `fq_timer` does.
        case flush(FlushOp)
        /// Driver unbind / device removal: live states and mappings are reported as leaks.
        case detach(DetachOp)
        /// A named point to snapshot memory and engine state.
        case checkpoint(CheckpointOp)
        /// Compare memory now with checkpoint `name`.
        case verify(VerifyOp)
        /// Lets time pass with nothing else happening; the timers due on the way fire.
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
    /// An op of this call on CPU 0 with no time (set `cpu` and `time` after).
    public static func machine(_ spec: MachineSpec) -> Op { Op(.machine(spec)) }
    /// An op of this call on CPU 0 with no time (set `cpu` and `time` after).
    public static func region(_ spec: RegionSpec) -> Op { Op(.region(spec)) }
    /// An op of this call on CPU 0 with no time (set `cpu` and `time` after).
    public static func iommu(_ spec: IOMMUSpec) -> Op { Op(.iommu(spec)) }
    /// An op of this call on CPU 0 with no time (set `cpu` and `time` after).
    public static func device(_ spec: DeviceSpec) -> Op { Op(.device(spec)) }
    /// An op of this call on CPU 0 with no time (set `cpu` and `time` after).
    public static func swiotlb(_ spec: SwiotlbSpec) -> Op { Op(.swiotlb(spec)) }
    /// An op of this call on CPU 0 with no time (set `cpu` and `time` after).
    public static func alloc(_ call: AllocOp) -> Op { Op(.alloc(call)) }
    /// An op of this call on CPU 0 with no time (set `cpu` and `time` after).
    public static func link(_ call: LinkOp) -> Op { Op(.link(call)) }
    /// An op of this call on CPU 0 with no time (set `cpu` and `time` after).
    public static func sync(_ call: SyncOp) -> Op { Op(.sync(call)) }
    /// An op of this call on CPU 0 with no time (set `cpu` and `time` after).
    public static func unlink(_ call: UnlinkOp) -> Op { Op(.unlink(call)) }
    /// An op of this call on CPU 0 with no time (set `cpu` and `time` after).
    public static func destroy(_ call: DestroyOp) -> Op { Op(.destroy(call)) }
    /// An op of this call on CPU 0 with no time (set `cpu` and `time` after).
    public static func free(_ call: FreeOp) -> Op { Op(.free(call)) }
    /// An op of this call on CPU 0 with no time (set `cpu` and `time` after).
    public static func map(_ call: MapOp) -> Op { Op(.map(call)) }
    /// An op of this call on CPU 0 with no time (set `cpu` and `time` after).
    public static func unmap(_ call: UnmapOp) -> Op { Op(.unmap(call)) }
    /// An op of this call on CPU 0 with no time (set `cpu` and `time` after).
    public static func syncForCPU(_ call: StreamingSyncOp) -> Op { Op(.syncForCPU(call)) }
    /// An op of this call on CPU 0 with no time (set `cpu` and `time` after).
    public static func syncForDevice(_ call: StreamingSyncOp) -> Op { Op(.syncForDevice(call)) }
    /// An op of this call on CPU 0 with no time (set `cpu` and `time` after).
    public static func mappingError(_ call: MappingErrorOp) -> Op { Op(.mappingError(call)) }
    /// An op of this call on CPU 0 with no time (set `cpu` and `time` after).
    public static func cpuWrite(_ access: CPUWriteOp) -> Op { Op(.cpuWrite(access)) }
    /// An op of this call on CPU 0 with no time (set `cpu` and `time` after).
    public static func cpuRead(_ access: CPUReadOp) -> Op { Op(.cpuRead(access)) }
    /// An op of this call on CPU 0 with no time (set `cpu` and `time` after).
    public static func deviceWrite(_ access: DeviceWriteOp) -> Op { Op(.deviceWrite(access)) }
    /// An op of this call on CPU 0 with no time (set `cpu` and `time` after).
    public static func deviceRead(_ access: DeviceReadOp) -> Op { Op(.deviceRead(access)) }
    /// An op of this call on CPU 0 with no time (set `cpu` and `time` after).
    public static func flush(_ call: FlushOp) -> Op { Op(.flush(call)) }
    /// An op of this call on CPU 0 with no time (set `cpu` and `time` after).
    public static func detach(_ call: DetachOp) -> Op { Op(.detach(call)) }
    /// An op of this call on CPU 0 with no time (set `cpu` and `time` after).
    public static func checkpoint(_ call: CheckpointOp) -> Op { Op(.checkpoint(call)) }
    /// An op of this call on CPU 0 with no time (set `cpu` and `time` after).
    public static func verify(_ call: VerifyOp) -> Op { Op(.verify(call)) }
    /// An op of this call on CPU 0 with no time (set `cpu` and `time` after).
    public static func advance(_ call: AdvanceOp) -> Op { Op(.advance(call)) }
}

/// `dma_iova_try_alloc(dev, state, phys, size)`.
public struct AllocOp: Sendable, Hashable {
    /// The IOVA state's handle (`s1`): the driver's `struct dma_iova_state`.
    public var state: String
    /// The device, by the name its `device` line declared.
    public var device: String
    /// The physical address (`phys`).
    public var phys: UInt64
    /// How much IOVA space to reserve, in bytes (`size`).
    public var sizeBytes: UInt64
    /// The call with these arguments.
    public init(state: String, device: String, phys: UInt64, sizeBytes: UInt64) {
        self.state = state; self.device = device; self.phys = phys; self.sizeBytes = sizeBytes
    }
}

/// `dma_iova_link(dev, state, phys, offset, size, dir, attrs)`.
public struct LinkOp: Sendable, Hashable {
    /// The IOVA state's handle (`s1`): the driver's `struct dma_iova_state`.
    public var state: String
    /// Where in the IOVA state it starts, in bytes (`offset`).
    public var offset: UInt64
    /// The physical address (`phys`).
    public var phys: UInt64
    /// How many bytes (`size`).
    public var length: UInt64
    /// The DMA direction (`dir`).
    public var direction: DMADirection
    /// The `DMA_ATTR_*` flags (`attrs`).
    public var attributes: DMAAttributes
    /// The call with these arguments.
    public init(state: String, offset: UInt64, phys: UInt64, length: UInt64, direction: DMADirection, attributes: DMAAttributes = []) {
        self.state = state; self.offset = offset; self.phys = phys; self.length = length
        self.direction = direction; self.attributes = attributes
    }
}

/// `dma_iova_sync(dev, state, offset, size)`.
public struct SyncOp: Sendable, Hashable {
    /// The IOVA state's handle (`s1`): the driver's `struct dma_iova_state`.
    public var state: String
    /// Where in the IOVA state it starts, in bytes (`offset`).
    public var offset: UInt64
    /// How many bytes (`size`).
    public var length: UInt64
    /// The call with these arguments.
    public init(state: String, offset: UInt64, length: UInt64) {
        self.state = state; self.offset = offset; self.length = length
    }
}

/// `dma_iova_unlink(dev, state, offset, size, dir, attrs)`.
public struct UnlinkOp: Sendable, Hashable {
    /// The IOVA state's handle (`s1`): the driver's `struct dma_iova_state`.
    public var state: String
    /// Where in the IOVA state it starts, in bytes (`offset`).
    public var offset: UInt64
    /// How many bytes (`size`).
    public var length: UInt64
    /// The DMA direction (`dir`).
    public var direction: DMADirection
    /// The `DMA_ATTR_*` flags (`attrs`).
    public var attributes: DMAAttributes
    /// The call with these arguments.
    public init(state: String, offset: UInt64, length: UInt64, direction: DMADirection, attributes: DMAAttributes = []) {
        self.state = state; self.offset = offset; self.length = length
        self.direction = direction; self.attributes = attributes
    }
}

/// `dma_iova_destroy(dev, state, mapped_len, dir, attrs)`.
public struct DestroyOp: Sendable, Hashable {
    /// The IOVA state's handle (`s1`): the driver's `struct dma_iova_state`.
    public var state: String
    /// How many bytes the state had linked (`mapped_len`).
    public var mappedLength: UInt64
    /// The DMA direction (`dir`).
    public var direction: DMADirection
    /// The `DMA_ATTR_*` flags (`attrs`).
    public var attributes: DMAAttributes
    /// The call with these arguments.
    public init(state: String, mappedLength: UInt64, direction: DMADirection, attributes: DMAAttributes = []) {
        self.state = state; self.mappedLength = mappedLength; self.direction = direction; self.attributes = attributes
    }
}

/// `dma_iova_free(dev, state)`.
public struct FreeOp: Sendable, Hashable {
    /// The IOVA state's handle (`s1`): the driver's `struct dma_iova_state`.
    public var state: String
    /// The call with these arguments.
    public init(state: String) { self.state = state }
}

/// `dma_map_phys(dev, phys, size, dir, attrs)` (`dma_map_page_attrs` before 6.18).
public struct MapOp: Sendable, Hashable {
    /// The streaming mapping's handle (`m1`): the `dma_addr_t` the map returned.
    public var mapping: String
    /// The device, by the name its `device` line declared.
    public var device: String
    /// The physical address (`phys`).
    public var phys: UInt64
    /// How many bytes (`size`).
    public var length: UInt64
    /// The DMA direction (`dir`).
    public var direction: DMADirection
    /// The `DMA_ATTR_*` flags (`attrs`).
    public var attributes: DMAAttributes
    /// The call with these arguments.
    public init(mapping: String, device: String, phys: UInt64, length: UInt64, direction: DMADirection, attributes: DMAAttributes = []) {
        self.mapping = mapping; self.device = device; self.phys = phys; self.length = length
        self.direction = direction; self.attributes = attributes
    }
}

/// `dma_unmap_phys(dev, addr, size, dir, attrs)`.
public struct UnmapOp: Sendable, Hashable {
    /// The streaming mapping's handle (`m1`): the `dma_addr_t` the map returned.
    public var mapping: String
    /// How many bytes (`size`).
    public var length: UInt64
    /// The DMA direction (`dir`).
    public var direction: DMADirection
    /// The `DMA_ATTR_*` flags (`attrs`).
    public var attributes: DMAAttributes
    /// The call with these arguments.
    public init(mapping: String, length: UInt64, direction: DMADirection, attributes: DMAAttributes = []) {
        self.mapping = mapping; self.length = length; self.direction = direction; self.attributes = attributes
    }
}

/// `dma_sync_single_for_cpu/device(dev, addr + offset, size, dir)`.
public struct StreamingSyncOp: Sendable, Hashable {
    /// The streaming mapping's handle (`m1`): the `dma_addr_t` the map returned.
    public var mapping: String
    /// Where in the mapping the synced part starts, in bytes.
    public var offset: UInt64
    /// How many bytes (`size`).
    public var length: UInt64
    /// The DMA direction (`dir`).
    public var direction: DMADirection
    /// The call with these arguments.
    public init(mapping: String, offset: UInt64, length: UInt64, direction: DMADirection) {
        self.mapping = mapping; self.offset = offset; self.length = length; self.direction = direction
    }
}

/// `dma_mapping_error(dev, addr)`: the check dma-debug wants before any unmap.
public struct MappingErrorOp: Sendable, Hashable {
    /// The streaming mapping's handle (`m1`): the `dma_addr_t` the map returned.
    public var mapping: String
    /// The call with these arguments.
    public init(mapping: String) { self.mapping = mapping }
}

/// A CPU store through the kernel's linear or `kmap_local_phys` view.
public struct CPUWriteOp: Sendable, Hashable {
    /// The physical address (`phys`).
    public var phys: UInt64
    /// How many bytes (`size`).
    public var length: UInt64
    /// What the bytes written hold.
    public var fill: Fill
    /// The call with these arguments.
    public init(phys: UInt64, length: UInt64, fill: Fill) { self.phys = phys; self.length = length; self.fill = fill }
}

/// A CPU load; the outcome carries the digest of the bytes read.
public struct CPUReadOp: Sendable, Hashable {
    /// The physical address (`phys`).
    public var phys: UInt64
    /// How many bytes (`size`).
    public var length: UInt64
    /// The call with these arguments.
    public init(phys: UInt64, length: UInt64) { self.phys = phys; self.length = length }
}

/// A device DMA write through its IOMMU (or straight to memory without one).
public struct DeviceWriteOp: Sendable, Hashable {
    /// The device, by the name its `device` line declared.
    public var device: String
    /// Where the device points: an IOVA or DMA address, or a handle and offset resolved when the op runs.
    public var address: DeviceAddress
    /// How many bytes (`size`).
    public var length: UInt64
    /// What the bytes written hold.
    public var fill: Fill
    /// The call with these arguments.
    public init(device: String, address: DeviceAddress, length: UInt64, fill: Fill) {
        self.device = device; self.address = address; self.length = length; self.fill = fill
    }
}

/// A device DMA read; the outcome carries the digest, or a fault.
public struct DeviceReadOp: Sendable, Hashable {
    /// The device, by the name its `device` line declared.
    public var device: String
    /// Where the device points: an IOVA or DMA address, or a handle and offset resolved when the op runs.
    public var address: DeviceAddress
    /// How many bytes (`size`).
    public var length: UInt64
    /// The call with these arguments.
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
    /// The IOMMU, by the name its `iommu` line declared.
    public var iommu: String
    /// Only this device's domain; nil for every domain of the IOMMU.
    public var device: String?
    /// When the timer ran, ns since boot; nil when at the op's own time.
    public var ranAt: UInt64?
    /// The call with these arguments.
    public init(iommu: String, device: String? = nil, ranAt: UInt64? = nil) {
        self.iommu = iommu; self.device = device; self.ranAt = ranAt
    }
}

/// Driver unbind / device removal: live states and mappings are reported as leaks.
public struct DetachOp: Sendable, Hashable {
    /// The device being unbound.
    public var device: String
    /// The call with these arguments.
    public init(device: String) { self.device = device }
}

/// A named point to snapshot memory and engine state.
public struct CheckpointOp: Sendable, Hashable {
    /// The checkpoint's name.
    public var name: String
    /// The call with these arguments.
    public init(name: String) { self.name = name }
}

/// Compare memory now with checkpoint `name`.
public struct VerifyOp: Sendable, Hashable {
    /// The checkpoint to compare with.
    public var name: String
    /// The call with these arguments.
    public init(name: String) { self.name = name }
}

/// Lets time pass with nothing else happening: the clock moves `nanoseconds` forward (after
/// moving to the op's own `time`, if it has one) and the timers due on the way fire.
public struct AdvanceOp: Sendable, Hashable {
    /// How long passes, in nanoseconds.
    public var nanoseconds: UInt64
    /// The call with these arguments.
    public init(nanoseconds: UInt64) { self.nanoseconds = nanoseconds }
}
