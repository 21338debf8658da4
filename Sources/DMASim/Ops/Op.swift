/// One operation: a kernel DMA API call, a device or CPU access, a topology declaration or
/// a policy event. Ops name IOVA states and mappings by handle (`s1`, `m7`), never by an
/// address only the engine knows, so the same op list runs anywhere and replays exactly.
public enum Op: Sendable, Hashable {
    // Topology
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

    // Policy, teardown, verification
    case flush(FlushOp)
    case detach(DetachOp)
    case checkpoint(CheckpointOp)
    case verify(VerifyOp)
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

/// Drains a lazy IOMMU's flush queues now: what the 10 ms `fq_timer` does.
public struct FlushOp: Sendable, Hashable {
    public var iommu: String
    public init(iommu: String) { self.iommu = iommu }
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
