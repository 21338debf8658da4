/// The page walk `dmajournal state --address` prints. The model keeps leaves as runs of
/// PTEs, not table pages, so the levels are derived the way the hardware indexes them: a
/// table of 2^(granule shift - 3) eight-byte entries per level (512 for 4 KiB: VT-d's
/// second-stage tables, io-pgtable-arm's LPAE, the generic page table's `pt_table_pa`
/// levels), as many levels as the aperture's input bits need (48 bits, 4 KiB: 4, as
/// `agaw` 48 and `ARM_LPAE_MAX_LEVELS`). An upper entry is shown as a table while any leaf
/// under it is present; a kernel may keep an emptied table page (io-pgtable-arm frees
/// none on unmap), which the model does not show.
extension DMADomain {
    /// Levels, top first, down to the leaf or the first empty entry.
    func walk(_ address: UInt64) -> [PageWalkLevel] {
        let bitsPerLevel = Int(granule.shift) - 3
        let inputBits = max(iommu.apertureBits, Int(granule.shift) + 1)
        let levelCount = (inputBits - Int(granule.shift) + bitsPerLevel - 1) / bitsPerLevel
        let pfn = granule.pfn(address)
        let leaf = pageTable.leaf(pfn)
        var levels: [PageWalkLevel] = []
        for level in stride(from: levelCount, through: 1, by: -1) {
            let lowBit = Int(granule.shift) + (level - 1) * bitsPerLevel
            let highBit = min(lowBit + bitsPerLevel, 64) - 1
            let index = (address >> UInt64(lowBit)) & ((UInt64(1) << UInt64(highBit - lowBit + 1)) - 1)
            let entryGranules = UInt64(1) << UInt64((level - 1) * bitsPerLevel)
            let entry: PageWalkLevel.Entry
            if let leaf, leaf.pageGranules == entryGranules {
                entry = .leaf(view(of: leaf))
            } else if level > 1, pageTable.anyPresent(from: pfn & ~(entryGranules - 1), count: entryGranules) {
                entry = .table
            } else {
                entry = .none
            }
            levels.append(PageWalkLevel(level: level, highBit: highBit, lowBit: lowBit, index: index,
                                        entryBytes: granule.address(ofPfn: entryGranules), entry: entry))
            if case .table = entry { continue }
            break
        }
        return levels
    }
}
