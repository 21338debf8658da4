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

    /// The IOVA state a two-step call or an access names (streaming calls name none).
    var stateHandle: String? {
        switch self {
        case .map, .unmap, .syncForCPU, .syncForDevice, .mappingError: return nil
        default: return handleName
        }
    }
}
