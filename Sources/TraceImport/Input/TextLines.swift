/// Lines of a text in memory, for parsing a pasted excerpt (and for tests).
final class TextLines: LineProvider {
    private let lines: [[UInt8]]
    private(set) var lineNumber = 0

    init(_ text: String) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.utf8) }
        if lines.last?.isEmpty == true { lines.removeLast() }
        self.lines = lines
    }

    func next() -> [UInt8]? {
        guard lineNumber < lines.count else { return nil }
        lineNumber += 1
        return lines[lineNumber - 1]
    }
}
