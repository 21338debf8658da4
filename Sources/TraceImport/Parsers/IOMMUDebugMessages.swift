/// drivers/iommu/iommu.c's own debug lines (`pr_debug`, pr_fmt `iommu: `), seen when
/// dynamic debug is on for the module (`module iommu +p`). Like the `iommu:map` event
/// they name no device:
///
///     iommu: map: iova 0x6e200000 pa 0x00000004f4800000 size 0x400000
///     iommu: mapping: iova 0x6e200000 pa 0x00000004f4800000 pgsize 0x200000 count 2     (per page size: context)
///     iommu: unmap this: iova 0x6e200000 size 0x400000
///     iommu: unmapped: iova 0x6e200000 size 0x200000                                  (per page: context)
enum IOMMUDebugMessages {
    static let prefix = utf8("iommu:"), map = utf8("map:"), unmap = utf8("unmap this:")
    static let mapping = utf8("mapping:"), unmapped = utf8("unmapped:")
    static let iova = utf8("iova"), pa = utf8("pa"), size = utf8("size")

    /// Nil when the message is not one of these lines.
    static func parse(_ record: TraceRecord, _ range: Range<Int>) -> LineResult? {
        let bytes = record.text
        var scanner = TextScanner(bytes, from: range.lowerBound, to: range.upperBound)
        guard scanner.skip(prefix) else { return nil }
        scanner.skipSpaces()
        if scanner.startsWith(mapping) || scanner.startsWith(unmapped) { return .context }
        let isMap = scanner.skip(map)
        guard isMap || scanner.skip(unmap) else { return nil }
        var event = record.event(isMap ? .map : .unmap, isMap ? "iommu_map_pr_debug" : "iommu_unmap_pr_debug")
        event.address = value(after: iova, &scanner)
        if isMap { event.phys = value(after: pa, &scanner) }
        event.sizeBytes = value(after: size, &scanner)
        guard event.address != nil, event.sizeBytes != nil, !isMap || event.phys != nil else {
            return .skipped(.malformed(event.naming, missing: "iova, pa or size"))
        }
        return .event(event)
    }

    /// `word 0x…`: the number after the next `word`.
    private static func value(after word: [UInt8], _ scanner: inout TextScanner) -> UInt64? {
        while !scanner.isAtEnd {
            scanner.skipSpaces()
            let token = scanner.word()
            if token.count == word.count, scanner.bytes.hasPrefix(word, at: token.lowerBound) {
                scanner.skipSpaces()
                return scanner.number()
            }
        }
        return nil
    }
}
