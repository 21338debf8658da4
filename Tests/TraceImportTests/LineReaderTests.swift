import Foundation
import Testing
@testable import TraceImport

/// The file reader: line endings, a last line without one, lines longer than its block.
@Suite struct LineReaderTests {
    static func lines(_ text: String, blockBytes: Int) throws -> [String] {
        let path = try ImportFixture.write(text, named: "lines.txt", in: ImportFixture.directory())
        let reader = try #require(LineReader(path: path, blockBytes: blockBytes))
        var lines: [String] = []
        while let line = reader.next() { lines.append(String(decoding: line, as: UTF8.self)) }
        #expect(reader.lineNumber == lines.count)
        return lines
    }

    @Test(arguments: [4, 16, 1 << 20]) func readsEveryLineWhateverTheBlockSize(_ blockBytes: Int) throws {
        let long = String(repeating: "x", count: 50)
        #expect(try Self.lines("one\r\n\(long)\n\nlast", blockBytes: blockBytes) == ["one", long, "", "last"])
        #expect(try Self.lines("a\nb\n", blockBytes: blockBytes) == ["a", "b"])
    }

    @Test func aDirectoryOrAMissingFileIsNotRead() {
        #expect(LineReader(path: ImportFixture.directory().path) == nil)
        #expect(LineReader(path: "/no/such/file") == nil)
    }
}
