/// Whether a kernel message no parser read still looks like a DMA or IOMMU report: a log
/// line (a time or tag before it, or a `name:` / `driver device:` prefix) holding a
/// dma-debug or swiotlb complaint, or a fault with an IOMMU word and an address. The
/// summary lists such lines as not understood (with their line numbers) instead of
/// counting them with the rest of the log, and a file holding nothing else is an error,
/// not "no events". Prose about faults is no report, and call trace frames
/// (`swiotlb_tbl_map_single+0x214/0x240`) only name the functions.
enum ReportLikeText {
    static let faultWords: [[UInt8]] = ["fault", "Fault", "FAULT"].map { Array($0.utf8) }
    static let iommuWords: [[UInt8]] = ["iommu", "IOMMU", "smmu", "SMMU", "DMAR", "dmar", "AMD-Vi", "iova", "IOVA", "DMA"].map { Array($0.utf8) }
    static let reportWords: [[UInt8]] = ["DMA-API", "swiotlb buffer", "SW-IOMMU", "Event logged [", "bounce map", "Request device ["]
        .map { Array($0.utf8) }

    static func looksLikeReport(_ record: TraceRecord) -> Bool {
        let bytes = record.text
        let range = record.message
        guard !range.isEmpty, record.prefix.hasHeader || RecordStart.startsWithLogPrefix(bytes, at: range.lowerBound),
              !isCallTraceFrame(bytes, range) else { return false }
        if reportWords.contains(where: { contains($0, bytes, range) }) { return true }
        return faultWords.contains { contains($0, bytes, range) } && iommuWords.contains { contains($0, bytes, range) }
            && contains(.hexPrefix, bytes, range)
    }

    /// `func+0x1a/0x2b` (maybe after `? ` or `[<addr>] `): a stack frame.
    private static func isCallTraceFrame(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        guard let plus = TextScanner.find(utf8("+0x"), in: bytes, from: range.lowerBound, to: range.upperBound) else { return false }
        return TextScanner.find(utf8("/0x"), in: bytes, from: plus, to: min(range.upperBound, plus + 24)) != nil
    }

    private static func contains(_ needle: [UInt8], _ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        TextScanner.find(needle, in: bytes, from: range.lowerBound, to: range.upperBound) != nil
    }
}
