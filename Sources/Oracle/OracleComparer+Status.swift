import DMASim
import OpScript

/// The status aspect: what the call returned, or whether the access faulted.
extension OracleComparer {
    func checkStatus(_ line: ScriptLine, _ kernel: KernelOutcome, _ model: Outcome, _ tracking: Tracking, _ check: inout LineCheck) {
        switch (kernel.status, model.status) {
        case (.ok, .ok), (.fallback, .fallback), (.mappingError, .mappingError):
            return
        case (.errno(let k), .errno(let m)) where Int(m.number) == k:
            return
        case (.fault(let address, let isWrite), .fault(let fault)):
            if isWrite != fault.isWrite { check.differ("fault direction") }
            if address & ~0xfff != fault.address & ~0xfff { check.differ("fault address") }
            return
        case (.ok, .fault) where silentlyBlocked(line.op, kernel, tracking):
            if isDirect(line.op) {
                check.details.append("kernel: the access reached no memory and nothing reported it (QEMU drops DMA to an address where nothing is)")
            } else if !kernel.faultsObservable {
                check.details.append("kernel: blocked (memory unchanged, or zeros read); this guest's IOMMU faults are not read, only their effect")
            } else {
                check.details.append("kernel: blocked without a fault record (QEMU's VT-d takes a cached translation from its IOTLB without checking R/W again, so it records no fault; hardware does)")
            }
            return
        case (.oops, _) where model.status.name == "oops":
            return
        case (.harness(let why), _):
            check.differ("harness: " + why)
        default:
            check.differ("status")
        }
    }

    /// Whether the access is by a device whose DMA addresses are physical.
    private func isDirect(_ op: Op) -> Bool {
        let name: String
        switch op.call {
        case .deviceWrite(let access): name = access.device
        case .deviceRead(let access): name = access.device
        default: return false
        }
        return plan.devices.first { $0.name == name }?.isDirect ?? false
    }

    /// A device access QEMU refused without a fault record: a write that left memory as it
    /// was, a read that returned zeros (unassigned memory reads as 0).
    private func silentlyBlocked(_ op: Op, _ kernel: KernelOutcome, _ tracking: Tracking) -> Bool {
        switch op.call {
        case .deviceWrite:
            return !kernel.memory.isEmpty && kernel.memory.allSatisfy { tracking.kernelMemory[$0.key] == $0.value }
        case .deviceRead(let access):
            return kernel.digest == Fill.zero.digest(length: access.length)
        default:
            return false
        }
    }
}
