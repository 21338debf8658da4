/// CPU loads and stores by physical address: the kernel's linear map, or
/// `kmap_local_phys()` for memory with no `struct page`.
extension Engine {
    func cpuWrite(_ access: CPUWriteOp) -> Outcome {
        if let problem = outsideMemory(access.phys, access.length) { return problem }
        memory.write(phys: access.phys, length: access.length, fill: access.fill, fillPosition: 0)
        return .ok
    }

    func cpuRead(_ access: CPUReadOp) -> Outcome {
        if let problem = outsideMemory(access.phys, access.length) { return problem }
        var hasher = XXH64()
        memory.hash(phys: access.phys, length: access.length, into: &hasher)
        return Outcome(digest: hasher.finalize())
    }

    /// -EFAULT for a CPU access that is not inside one region.
    private func outsideMemory(_ phys: UInt64, _ length: UInt64) -> Outcome? {
        guard memory.region(containing: phys, length: length) == nil else { return nil }
        var outcome = Outcome(status: .errno(.EFAULT))
        outcome.warnings.append("CPU access to [0x\(hex(phys)), +0x\(hex(length))) outside every region")
        return outcome
    }
}
