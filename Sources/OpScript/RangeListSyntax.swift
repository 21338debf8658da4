/// `reserve=LO-HI[,LO-HI...]`: inclusive IOVA ranges an IOMMU domain reserves (MSI
/// windows, host-bridge windows), written as hex on output.
enum RangeListSyntax {
    static let expectedRange = "a range LO-HI with LO <= HI"

    static func read(_ token: Token) throws(TokenError) -> [ClosedRange<UInt64>] {
        var ranges: [ClosedRange<UInt64>] = []
        for piece in token.pieces(separatedBy: ",") {
            ranges.append(try range(piece))
        }
        return ranges
    }

    static func text(of ranges: [ClosedRange<UInt64>]) -> String {
        ranges.map { ScriptNumber.hex($0.lowerBound) + "-" + ScriptNumber.hex($0.upperBound) }
            .joined(separator: ",")
    }

    private static func range(_ piece: Token) throws(TokenError) -> ClosedRange<UInt64> {
        let ends = piece.pieces(separatedBy: "-")
        guard ends.count == 2 else { throw .expected(expectedRange, found: piece) }
        let low = try ScriptNumber.read(ends[0])
        let high = try ScriptNumber.read(ends[1])
        guard low <= high else { throw .expected(expectedRange, found: piece) }
        return low...high
    }
}
