extension Op {
    /// The IOVA state or streaming mapping the op works on, if any: what ties a
    /// driver's alloc … link … destroy … free together.
    public var handleName: String? {
        switch self {
        case .alloc(let call): return call.state
        case .link(let call): return call.state
        case .sync(let call): return call.state
        case .unlink(let call): return call.state
        case .destroy(let call): return call.state
        case .free(let call): return call.state
        case .map(let call): return call.mapping
        case .unmap(let call): return call.mapping
        case .syncForCPU(let call), .syncForDevice(let call): return call.mapping
        case .mappingError(let call): return call.mapping
        case .deviceWrite(let access): return access.address.handle
        case .deviceRead(let access): return access.address.handle
        default: return nil
        }
    }
}
