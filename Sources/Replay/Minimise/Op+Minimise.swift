import DMASim

extension Op {
    /// The IOVA state or streaming mapping the op works on, if any: what ties a
    /// driver's alloc … link … destroy … free together.
    var handleName: String? {
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

    /// Whether the op starts a new life of its handle (`alloc` or `map`).
    var declaresHandle: Bool {
        switch self {
        case .alloc, .map: return true
        default: return false
        }
    }

    /// The op with a data access shrunk to `length` bytes; nil for ops that move no data.
    func withAccessLength(_ length: UInt64) -> Op? {
        switch self {
        case .cpuWrite(var access): access.length = length; return .cpuWrite(access)
        case .cpuRead(var access): access.length = length; return .cpuRead(access)
        case .deviceWrite(var access): access.length = length; return .deviceWrite(access)
        case .deviceRead(var access): access.length = length; return .deviceRead(access)
        default: return nil
        }
    }

    /// The length of a data access.
    var accessLength: UInt64? {
        switch self {
        case .cpuWrite(let access): return access.length
        case .cpuRead(let access): return access.length
        case .deviceWrite(let access): return access.length
        case .deviceRead(let access): return access.length
        default: return nil
        }
    }
}
