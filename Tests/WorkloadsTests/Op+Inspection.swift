import DMASim

/// What the tests ask of an op.
extension Op {
    /// A region, swiotlb, iommu or device declaration.
    var isTopology: Bool {
        switch self {
        case .region, .iommu, .device, .swiotlb: return true
        default: return false
        }
    }

    /// The device a data access is made by.
    var device: String? {
        switch self {
        case .deviceRead(let access): return access.device
        case .deviceWrite(let access): return access.device
        default: return nil
        }
    }

    /// The IOVA state a two-step call or an access names.
    var stateHandle: String? {
        switch self {
        case .alloc(let call): return call.state
        case .link(let call): return call.state
        case .sync(let call): return call.state
        case .unlink(let call): return call.state
        case .destroy(let call): return call.state
        case .free(let call): return call.state
        case .deviceRead(let access): return access.address.handle
        case .deviceWrite(let access): return access.address.handle
        default: return nil
        }
    }
}
