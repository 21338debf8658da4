import Foundation
import Testing
@testable import TraceImport

/// Gzip input: recognised by its first bytes whatever the name, inflated as it is read
/// (members one after another read as one text, as `gzip -dc` does), and damaged or
/// truncated data ending the lines with a failure that says so instead of a trap or a
/// silent short read.
@Suite struct GzipLinesTests {
    static func gzip(_ text: String, named name: String) throws -> (plain: String, compressed: String) {
        let directory = ImportFixture.directory()
        let plain = try ImportFixture.write(text, named: name, in: directory)
        let compressed = plain + ".gz"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "gzip -c '\(plain)' > '\(compressed)'"]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return (plain, compressed)
    }

    static func read(_ path: String, blockBytes: Int = 1 << 20) throws -> (lines: [String], failure: String?) {
        let reader = try #require(LineReader(path: path, blockBytes: blockBytes))
        var lines: [String] = []
        while let line = reader.next() { lines.append(String(decoding: line, as: UTF8.self)) }
        return (lines, reader.failure)
    }

    static let text = (1...2000).map { "line \($0) " + String(repeating: "x", count: $0 % 97) }.joined(separator: "\n") + "\n"

    @Test(arguments: [16, 4096, 1 << 20]) func aGzipFileReadsAsItsText(_ blockBytes: Int) throws {
        let files = try Self.gzip(Self.text, named: "plain.txt")
        let plain = try Self.read(files.plain, blockBytes: blockBytes)
        let inflated = try Self.read(files.compressed, blockBytes: blockBytes)
        #expect(inflated.failure == nil)
        #expect(inflated.lines == plain.lines)
        #expect(inflated.lines.count == 2000)
    }

    @Test func membersOneAfterAnotherReadAsOneText() throws {
        let first = try Self.gzip("a\nb\n", named: "first.txt")
        let second = try Self.gzip("c\n", named: "second.txt")
        let joined = first.compressed + "-joined.gz"
        var data = try Data(contentsOf: URL(fileURLWithPath: first.compressed))
        data.append(try Data(contentsOf: URL(fileURLWithPath: second.compressed)))
        try data.write(to: URL(fileURLWithPath: joined))
        let read = try Self.read(joined)
        #expect(read.lines == ["a", "b", "c"])
        #expect(read.failure == nil)
    }

    @Test func truncatedDataEndsTheLinesWithAFailure() throws {
        let files = try Self.gzip(Self.text, named: "cut.txt")
        let data = try Data(contentsOf: URL(fileURLWithPath: files.compressed))
        let cut = files.compressed + "-cut.gz"
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: cut))
        let read = try Self.read(cut)
        #expect(read.failure == "the gzip data ends in the middle (a truncated file?)")
        #expect(read.lines.count > 10 && read.lines.count < 2000)
        // What was read is the text's beginning (the last line may be cut short).
        let whole = Self.text.split(separator: "\n").map(String.init)
        #expect(Array(read.lines.dropLast()) == Array(whole.prefix(read.lines.count - 1)))
    }

    @Test func damagedDataEndsTheLinesWithAFailure() throws {
        let files = try Self.gzip(Self.text, named: "damaged.txt")
        var data = try Data(contentsOf: URL(fileURLWithPath: files.compressed))
        for index in stride(from: data.count / 3, to: data.count / 3 + 64, by: 1) { data[index] ^= 0x5a }
        let damaged = files.compressed + "-damaged.gz"
        try data.write(to: URL(fileURLWithPath: damaged))
        let read = try Self.read(damaged)
        #expect(read.failure?.hasPrefix("damaged gzip data near compressed byte ") == true)
    }
}
