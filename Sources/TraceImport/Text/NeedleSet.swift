/// Several byte strings looked for in one pass: a table of their first bytes lets the
/// scan skip every position no needle can start at, so checking a line for a dozen
/// markers costs one walk over it, not a dozen.
struct NeedleSet {
    let needles: [[UInt8]]
    /// For each byte value, the needles starting with it.
    private let byFirstByte: [[Int]]

    init(_ texts: [String]) {
        needles = texts.map { Array($0.utf8) }
        var table = [[Int]](repeating: [], count: 256)
        for (index, needle) in needles.enumerated() where !needle.isEmpty { table[Int(needle[0])].append(index) }
        byFirstByte = table
    }

    /// The indexes of the needles found in `range` (each once), in the order found.
    func found(in bytes: [UInt8], _ range: Range<Int>) -> [Int] {
        var found: [Int] = []
        var position = range.lowerBound
        while position < range.upperBound {
            for index in byFirstByte[Int(bytes[position])] where !found.contains(index) {
                let needle = needles[index]
                if position + needle.count <= range.upperBound, bytes.hasPrefix(needle, at: position) { found.append(index) }
            }
            position += 1
        }
        return found
    }

    /// Where the first needle found in `range` starts, and which it is.
    func first(in bytes: [UInt8], _ range: Range<Int>) -> (index: Int, position: Int)? {
        var position = range.lowerBound
        while position < range.upperBound {
            for index in byFirstByte[Int(bytes[position])] {
                let needle = needles[index]
                if position + needle.count <= range.upperBound, bytes.hasPrefix(needle, at: position) { return (index, position) }
            }
            position += 1
        }
        return nil
    }
}
