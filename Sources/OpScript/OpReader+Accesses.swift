import DMASim

// CPU and device accesses, then the policy, teardown and verification events.
extension OpReader {
    func accessOp() throws(TokenError) -> Op {
        switch kind {
        case .cpuWrite:
            return .cpuWrite(CPUWriteOp(phys: try number("phys"), length: try number("len"), fill: try fill()))
        case .cpuRead:
            return .cpuRead(CPUReadOp(phys: try number("phys"), length: try number("len")))
        case .deviceWrite:
            return .deviceWrite(DeviceWriteOp(device: name, address: try address(), length: try number("len"), fill: try fill()))
        default:
            return .deviceRead(DeviceReadOp(device: name, address: try address(), length: try number("len")))
        }
    }

    /// These take nothing but their name, which the reader has already checked (and
    /// `flush` a device, `dev=`, whose domain alone it flushes, and `at=`, when its timer ran).
    func policyOp() throws(TokenError) -> Op {
        switch kind {
        case .flush:
            let device = try fields.optional("dev") { (token) throws(TokenError) in try NameSyntax.read(token, as: .device) }
            let ranAt = try fields.optional("at", as: Self.time)
            return .flush(FlushOp(iommu: name, device: device, ranAt: ranAt))
        case .detach: return .detach(DetachOp(device: name))
        case .checkpoint: return .checkpoint(CheckpointOp(name: name))
        default: return .verify(VerifyOp(name: name))
        }
    }

    /// `advance DURATION`, `advance time=T` or both: at least one says how far to go.
    func advanceOp() throws(TokenError) -> Op {
        guard let durationToken else {
            guard fields.hasKey("time") else {
                throw TokenError(column: verbColumn, message: "missing a duration (advance 10ms) or time= for 'advance'")
            }
            return .advance(AdvanceOp(nanoseconds: 0))
        }
        return .advance(AdvanceOp(nanoseconds: try Self.time(durationToken)))
    }
}
