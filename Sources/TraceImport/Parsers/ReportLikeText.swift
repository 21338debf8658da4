/// Whether a kernel message no parser read still looks like a DMA or IOMMU report: a log
/// line (a time or tag before it, or a `name:` / `driver device:` prefix) holding a
/// dma-debug or swiotlb complaint, or a fault with an IOMMU word and an address. The
/// summary lists such lines as not understood (with their line numbers) instead of
/// counting them with the rest of the log, and a file holding nothing else is an error,
/// not "no events". Prose about faults is no report, and call trace frames
/// (`swiotlb_tbl_map_single+0x214/0x240`) only name the functions.
enum ReportLikeText {
    enum Kind { case report, fault, iommu, hex }

    /// Every marker, looked for in one pass (`NeedleSet`), with what it says.
    static let markers: [(String, Kind)] = [
        ("DMA-API", .report), ("swiotlb buffer", .report), ("SW-IOMMU", .report), ("Event logged [", .report),
        ("bounce map", .report), ("Request device [", .report),
        ("fault", .fault), ("Fault", .fault), ("FAULT", .fault),
        ("iommu", .iommu), ("IOMMU", .iommu), ("smmu", .iommu), ("SMMU", .iommu), ("DMAR", .iommu), ("dmar", .iommu),
        ("AMD-Vi", .iommu), ("iova", .iommu), ("IOVA", .iommu), ("DMA", .iommu), ("0x", .hex),
    ]
    static let needles = NeedleSet(markers.map(\.0))
    static let frameOffset = utf8("+0x"), frameSize = utf8("/0x")

    static func looksLikeReport(_ record: TraceRecord) -> Bool {
        let bytes = record.text
        let range = record.message
        guard !range.isEmpty, record.prefix.hasHeader || RecordStart.startsWithLogPrefix(bytes, at: range.lowerBound),
              !isCallTraceFrame(bytes, range) else { return false }
        let kinds = Set(needles.found(in: bytes, range).map { markers[$0].1 })
        return kinds.contains(.report) || (kinds.contains(.fault) && kinds.contains(.iommu) && kinds.contains(.hex))
    }

    /// `func+0x1a/0x2b` (maybe after `? ` or `[<addr>] `): a stack frame.
    private static func isCallTraceFrame(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        guard let plus = TextScanner.find(frameOffset, in: bytes, from: range.lowerBound, to: range.upperBound) else { return false }
        return TextScanner.find(frameSize, in: bytes, from: plus, to: min(range.upperBound, plus + 24)) != nil
    }
}
