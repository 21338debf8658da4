import Foundation
import Testing
@testable import Export

/// Output files appear whole or not at all, and unwritable places fail with one line.
@Suite struct TextOutputTests {
    @Test func theFileAppearsOnlyWhenClosed() throws {
        let path = TestJournal.temporaryPath("out.txt")
        let output = try TextOutput(path: path)
        output.write("hello\n")
        #expect(!FileManager.default.fileExists(atPath: path))
        try output.close()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "hello\n")
    }

    @Test func anAbandonedOutputLeavesNothing() throws {
        let path = TestJournal.temporaryPath("abandoned.txt")
        do {
            let output = try TextOutput(path: path)
            output.write("half")
        }
        let directory = (path as NSString).deletingLastPathComponent
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix((path as NSString).lastPathComponent) }
        #expect(leftovers == [])
    }

    @Test func unwritablePlacesAreOneLineErrors() {
        #expect(throws: ExportError.cannotWrite(path: "/nonexistent-dir/x.json", reason: "No such file or directory")) {
            try TextOutput(path: "/nonexistent-dir/x.json")
        }
        let directory = NSTemporaryDirectory()
        #expect(throws: ExportError.cannotWrite(path: directory, reason: "is a directory")) { try TextOutput(path: directory) }
    }
}
