extension Op.Call {
    /// The call as a kernel that defines only `known` sees it: the other `DMA_ATTR_*` bits
    /// are set in the caller's argument but tested nowhere (6.16 and `DMA_ATTR_MMIO`).
    func recognizing(_ known: DMAAttributes) -> Op.Call {
        switch self {
        case .link(var call) where !known.isSuperset(of: call.attributes):
            call.attributes.formIntersection(known); return .link(call)
        case .unlink(var call) where !known.isSuperset(of: call.attributes):
            call.attributes.formIntersection(known); return .unlink(call)
        case .destroy(var call) where !known.isSuperset(of: call.attributes):
            call.attributes.formIntersection(known); return .destroy(call)
        case .map(var call) where !known.isSuperset(of: call.attributes):
            call.attributes.formIntersection(known); return .map(call)
        case .unmap(var call) where !known.isSuperset(of: call.attributes):
            call.attributes.formIntersection(known); return .unmap(call)
        default:
            return self
        }
    }
}
