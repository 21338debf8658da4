/// CPU loads and stores by physical address: the kernel's linear map, or
/// `kmap_local_phys()` for memory with no `struct page`. They go through the CPU cache
/// model when there is one, and the checker looks at whose buffer they touch.
extension Engine {
    func cpuWrite(_ access: CPUWriteOp) -> Outcome {
        if let refused = cpuAccessRejection("cpu-write", length: access.length) { return refused }
        if let problem = outsideMemory(access.phys, access.length) { return problem }
        var outcome = Outcome()
        noteCPUAccess(phys: access.phys, length: access.length, isWrite: true, into: &outcome)
        cpuStore(phys: access.phys, length: access.length, fill: access.fill)
        return outcome
    }

    func cpuRead(_ access: CPUReadOp) -> Outcome {
        if let refused = cpuAccessRejection("cpu-read", length: access.length) { return refused }
        if let problem = outsideMemory(access.phys, access.length) { return problem }
        var outcome = Outcome()
        noteCPUAccess(phys: access.phys, length: access.length, isWrite: false, into: &outcome)
        var hasher = XXH64()
        cpuLoad(phys: access.phys, length: access.length, into: &hasher)
        outcome.digest = hasher.finalize()
        return outcome
    }

    /// -EFAULT for a CPU access that is not inside one region.
    private func outsideMemory(_ phys: UInt64, _ length: UInt64) -> Outcome? {
        guard memory.region(containing: phys, length: length) == nil else { return nil }
        var outcome = Outcome(status: .errno(.EFAULT))
        outcome.warnings.append("CPU access to [0x\(hex(phys)), +0x\(hex(length))) outside every region")
        return outcome
    }
}
