/// The checker's view of block PTEs. `iommu_unmap()` "cannot subdivide a mapping created
/// by iommu_map()": a `dma_iova_unlink` or `dma_iova_destroy` of part of what one link
/// mapped as a 2 MiB or 1 GiB block either clears the whole block (the range ends inside
/// it) or clears nothing from where it starts inside one (drivers/iommu/generic_pt/
/// iommu_pt.h, `__unmap_range()`). Either way dma-iommu WARNs (`WARN_ON(unmapped !=
/// size)`) and the state's PTEs no longer match what the driver believes is linked.
extension Engine {
    /// Reports an unlink of `[iova, iova + sizeBytes)` that a block PTE made unmap more or
    /// less than asked. Returns whether it did.
    @discardableResult
    func noteBlockSplit(state index: Int, domain: DMADomain, iova: UInt64, sizeBytes: UInt64, unmapped: UInt64,
                        into outcome: inout Outcome) -> Bool {
        let handle = states[index].handle
        if unmapped > sizeBytes {
            outcome.findings.append(Finding(.unlinkSplitsBlock, handle: handle,
                "unlink of 0x\(hex(sizeBytes)) bytes at iova 0x\(hex(iova)) ends inside a block PTE: the page table cleared whole PTEs, 0x\(hex(unmapped)) bytes, so 0x\(hex(unmapped - sizeBytes)) bytes past the range are unmapped too"))
            return true
        }
        guard unmapped < sizeBytes, let block = domain.blockStraddling(iova &+ unmapped) else { return false }
        let blockIOVA = domain.granule.address(ofPfn: block.firstGranule)
        let blockBytes = domain.granule.address(ofPfn: block.pageGranules)
        outcome.findings.append(Finding(.unlinkSplitsBlock, handle: handle,
            "unlink reaches iova 0x\(hex(iova &+ unmapped)) inside the 0x\(hex(blockBytes))-byte block PTE at 0x\(hex(blockIOVA)): the page table unmaps nothing from there (-EINVAL), so 0x\(hex(sizeBytes - unmapped)) bytes stay mapped"))
        return true
    }
}
