/// The verb of an op, as op scripts and the journal spell it.
public enum OpKind: String, Sendable, CaseIterable, Hashable {
    /// A region of physical memory.
    case region
    /// An IOMMU.
    case iommu
    /// A device.
    case device
    /// The swiotlb pool.
    case swiotlb
    /// `dma_iova_try_alloc`.
    case alloc
    /// `dma_iova_link`.
    case link
    /// `dma_iova_sync`.
    case sync
    /// `dma_iova_unlink`.
    case unlink
    /// `dma_iova_destroy`.
    case destroy
    /// `dma_iova_free`.
    case free
    /// `dma_map_phys`.
    case map
    /// `dma_unmap_phys`.
    case unmap
    /// `dma_sync_single_for_cpu`.
    case syncForCPU = "sync-for-cpu"
    /// `dma_sync_single_for_device`.
    case syncForDevice = "sync-for-device"
    /// `dma_mapping_error`.
    case mappingError = "mapping-error"
    /// A CPU store.
    case cpuWrite = "cpu-write"
    /// A CPU load.
    case cpuRead = "cpu-read"
    /// A device DMA write.
    case deviceWrite = "dev-write"
    /// A device DMA read.
    case deviceRead = "dev-read"
    /// The flush-queue timer running now (`fq_flush_timeout`).
    case flush
    /// A driver unbind.
    case detach
    /// A named snapshot of memory and engine state.
    case checkpoint
    /// A comparison of memory with a checkpoint.
    case verify
    /// The machine: architecture, kernel, CPUs, HZ.
    case machine
    /// Time passing with nothing else happening.
    case advance

    /// Topology lines declare the machine; they are not calls.
    public var isTopology: Bool {
        switch self {
        case .machine, .region, .iommu, .device, .swiotlb: return true
        default: return false
        }
    }
}

extension Op {
    /// The op's verb.
    public var kind: OpKind { call.kind }

    /// The IOVA state or streaming mapping the op names, if any.
    public var handle: String? { call.handle }
}

extension Op.Call {
    /// The op's verb.
    public var kind: OpKind {
        switch self {
        case .machine: return .machine
        case .region: return .region
        case .iommu: return .iommu
        case .device: return .device
        case .swiotlb: return .swiotlb
        case .alloc: return .alloc
        case .link: return .link
        case .sync: return .sync
        case .unlink: return .unlink
        case .destroy: return .destroy
        case .free: return .free
        case .map: return .map
        case .unmap: return .unmap
        case .syncForCPU: return .syncForCPU
        case .syncForDevice: return .syncForDevice
        case .mappingError: return .mappingError
        case .cpuWrite: return .cpuWrite
        case .cpuRead: return .cpuRead
        case .deviceWrite: return .deviceWrite
        case .deviceRead: return .deviceRead
        case .flush: return .flush
        case .detach: return .detach
        case .checkpoint: return .checkpoint
        case .verify: return .verify
        case .advance: return .advance
        }
    }

    /// The IOVA state or streaming mapping the op names, if any.
    public var handle: String? {
        switch self {
        case .alloc(let op): return op.state
        case .link(let op): return op.state
        case .sync(let op): return op.state
        case .unlink(let op): return op.state
        case .destroy(let op): return op.state
        case .free(let op): return op.state
        case .map(let op): return op.mapping
        case .unmap(let op): return op.mapping
        case .syncForCPU(let op), .syncForDevice(let op): return op.mapping
        case .mappingError(let op): return op.mapping
        case .deviceWrite(let op): return op.address.handle
        case .deviceRead(let op): return op.address.handle
        default: return nil
        }
    }
}
