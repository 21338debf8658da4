/// `topology.reserved`: an IOMMU's reserved IOVA ranges as `0xLO-0xHI,...` (inclusive, the
/// op script's `reserve=` spelling); empty text for none.
enum ReservedRangesText {
    static func text(of ranges: [ClosedRange<UInt64>]) -> String {
        ranges.map { "0x" + String($0.lowerBound, radix: 16) + "-0x" + String($0.upperBound, radix: 16) }
            .joined(separator: ",")
    }

    static func ranges(from text: String) -> [ClosedRange<UInt64>]? {
        guard !text.isEmpty else { return [] }
        var ranges: [ClosedRange<UInt64>] = []
        for piece in text.split(separator: ",", omittingEmptySubsequences: false) {
            let ends = piece.split(separator: "-", omittingEmptySubsequences: false)
            guard ends.count == 2, let low = hex(ends[0]), let high = hex(ends[1]), low <= high else { return nil }
            ranges.append(low...high)
        }
        return ranges
    }

    private static func hex(_ text: Substring) -> UInt64? {
        guard text.hasPrefix("0x") else { return nil }
        return UInt64(text.dropFirst(2), radix: 16)
    }
}
