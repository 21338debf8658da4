import DMASim

/// What the tests ask of an op.
extension Op {
    /// A region, swiotlb, iommu or device declaration.
    var isTopology: Bool {
        switch call {
        case .region, .iommu, .device, .swiotlb: return true
        default: return false
        }
    }

    /// The device a data access is made by.
    var device: String? {
        switch call {
        case .deviceRead(let access): return access.device
        case .deviceWrite(let access): return access.device
        default: return nil
        }
    }

    /// The IOVA state a two-step call or an access names (streaming calls name none).
    var stateHandle: String? {
        switch call {
        case .map, .unmap, .syncForCPU, .syncForDevice, .mappingError: return nil
        default: return handleName
        }
    }
}
