/// printk's rate-limit note, `FUNCTION: N callbacks suppressed` (lib/ratelimit.c
/// `___ratelimit`), for a DMA or IOMMU reporter (`amd_iommu_report_page_fault`,
/// `dmar_fault`, `swiotlb_tbl_map_single`, `arm_smmu_context_fault`, …): N reports the
/// kernel did not print, so the log holds fewer events than happened.
enum RateLimitNote {
    static let suppressed = utf8(" callbacks suppressed")
    static let reporterWords: [[UInt8]] = ["iommu", "dmar", "smmu", "swiotlb", "dma", "DMAR", "AMD-Vi"].map { Array($0.utf8) }

    static func isIOMMURateLimit(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        let trimmed = bytes.trimmed(range)
        guard trimmed.count > suppressed.count, bytes.hasPrefix(suppressed, at: trimmed.upperBound - suppressed.count),
              let colon = bytes[trimmed].firstIndex(of: .colon) else { return false }
        let name = trimmed.lowerBound..<colon
        return reporterWords.contains { TextScanner.find($0, in: bytes, from: name.lowerBound, to: name.upperBound) != nil }
    }
}
