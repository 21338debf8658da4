/// The verb of an op, as op scripts and the journal spell it.
public enum OpKind: String, Sendable, CaseIterable, Hashable {
    case region, iommu, device, swiotlb
    case alloc, link, sync, unlink, destroy, free
    case map, unmap
    case syncForCPU = "sync-for-cpu"
    case syncForDevice = "sync-for-device"
    case mappingError = "mapping-error"
    case cpuWrite = "cpu-write"
    case cpuRead = "cpu-read"
    case deviceWrite = "dev-write"
    case deviceRead = "dev-read"
    case flush, detach, checkpoint, verify
    case machine, advance

    /// Topology lines declare the machine; they are not calls.
    public var isTopology: Bool {
        switch self {
        case .machine, .region, .iommu, .device, .swiotlb: return true
        default: return false
        }
    }
}

extension Op {
    public var kind: OpKind { call.kind }

    /// The IOVA state or streaming mapping the op names, if any.
    public var handle: String? { call.handle }
}

extension Op.Call {
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
