/// Checker: an unlink or destroy that reaches past its own allocation.
///
/// `__iommu_dma_iova_unlink()` unmaps `[addr - pad, iova_align(size + pad))` with
/// `iommu_unmap_fast()`, which stops only at the first hole. When `mapped_len` (or an
/// unlink's offset + size) is longer than what the state linked and the IOVA just after
/// its allocation is another state's or mapping's, linked, that neighbour's PTEs go too,
/// `unmapped == size`, and no WARN fires: the neighbour's device faults later with
/// nothing in the log to say why.
extension Engine {
    func noteUnmapPastAllocation(_ index: Int, domain: DMADomain, from iova: UInt64, unmappedBytes: UInt64,
                                 misuse: MisuseClass, call: String, into outcome: inout Outcome) {
        let allocation = allocation(of: states[index], in: domain)
        let allocationEnd = allocation.iova &+ allocation.sizeBytes
        let (end, overflow) = iova.addingReportingOverflow(unmappedBytes)
        guard !overflow, end > allocationEnd else { return }
        let victims = owners(in: max(iova, allocationEnd)..<end, of: domain).map(ownerName).filter { $0 != states[index].handle }
        let whose = victims.isEmpty ? "IOVA it does not own" : "the PTEs of " + victims.joined(separator: ", ")
        outcome.findings.append(Finding(misuse, handle: states[index].handle,
            "\(call) unmapped [0x\(hex(iova)), 0x\(hex(end))), past \(states[index].handle)'s allocation ending at "
                + "0x\(hex(allocationEnd)): \(whose) went too, with no WARN (iommu_unmap_fast stops only at a hole)"))
    }

    /// The owners of the IOVA spans that meet `range`, in address order, each once.
    private func owners(in range: Range<UInt64>, of domain: DMADomain) -> [IOVAOwner] {
        var found: [IOVAOwner] = []
        for span in domain.owners.spans(meeting: range) where !found.contains(span.owner) { found.append(span.owner) }
        return found
    }
}
