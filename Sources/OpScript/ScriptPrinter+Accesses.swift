import DMASim

// CPU and device accesses, then the policy, teardown and verification events.
extension ScriptPrinter {
    func accessFields(of op: Op, handles: HandleKinds) -> [String?] {
        switch op.call {
        case .cpuWrite(let write):
            return [hex("phys", write.phys), size("len", write.length), fill(write.fill)]
        case .cpuRead(let read):
            return [hex("phys", read.phys), size("len", read.length)]
        case .deviceWrite(let write):
            return [write.device, address(write.address, handles), size("len", write.length), fill(write.fill)]
        case .deviceRead(let read):
            return [read.device, address(read.address, handles), size("len", read.length)]
        case .advance(let advance):
            // `advance time=T` alone when the op only moves the clock to its own time.
            return [advance.nanoseconds == 0 && op.time != nil ? nil : DurationText.text(of: advance.nanoseconds)]
        case .flush(let flush):
            return [flush.iommu, flush.device.map { "dev=" + $0 }, flush.ranAt.map { "at=" + DurationText.text(of: $0) }]
        default:
            return [policyName(of: op)]
        }
    }

    private func address(_ address: DeviceAddress, _ handles: HandleKinds) -> String {
        "addr=" + AddressSyntax.text(of: address, handles: handles)
    }

    private func policyName(of op: Op) -> String {
        switch op.call {
        case .flush(let flush): return flush.iommu
        case .detach(let detach): return detach.device
        case .checkpoint(let checkpoint): return checkpoint.name
        case .verify(let verify): return verify.name
        default: preconditionFailure("not a policy op: \(op.kind)")
        }
    }
}
