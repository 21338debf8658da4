import DMASim

extension Op {
    /// Whether the op starts a new life of its handle (`alloc` or `map`).
    var declaresHandle: Bool {
        switch call {
        case .alloc, .map: return true
        default: return false
        }
    }

    /// The op with a data access shrunk to `length` bytes (same CPU and time); nil for
    /// ops that move no data.
    func withAccessLength(_ length: UInt64) -> Op? {
        switch call {
        case .cpuWrite(var access): access.length = length; return with(.cpuWrite(access))
        case .cpuRead(var access): access.length = length; return with(.cpuRead(access))
        case .deviceWrite(var access): access.length = length; return with(.deviceWrite(access))
        case .deviceRead(var access): access.length = length; return with(.deviceRead(access))
        default: return nil
        }
    }

    /// The length of a data access.
    var accessLength: UInt64? {
        switch call {
        case .cpuWrite(let access): return access.length
        case .cpuRead(let access): return access.length
        case .deviceWrite(let access): return access.length
        case .deviceRead(let access): return access.length
        default: return nil
        }
    }
}
