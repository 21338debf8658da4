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
        #expect(throws: ExportError.cannotWrite(path: directory, reason: "it is a directory, not a regular file; refusing to replace it")) {
            try TextOutput(path: directory)
        }
    }

    /// Issue 21 item 2: `-o` follows a symbolic link to its target (the link stays), keeps a
    /// replaced file's permissions, and refuses device nodes and FIFOs without touching them.
    @Test func linksAreWrittenThroughAndSpecialFilesRefused() throws {
        let target = TestJournal.temporaryPath("target.txt"), link = TestJournal.temporaryPath("link.txt")
        _ = FileManager.default.createFile(atPath: target, contents: Data("old".utf8), attributes: [.posixPermissions: 0o600])
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let output = try TextOutput(path: link)
        output.write("new")
        try output.close()
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "new")
        #expect(try FileManager.default.attributesOfItem(atPath: target)[.posixPermissions] as? Int == 0o600)
        let fifo = TestJournal.temporaryPath("fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        for (path, kind) in [(fifo, "a FIFO"), ("/dev/null", "a character device")] {
            #expect(throws: ExportError.cannotWrite(path: path, reason: "it is \(kind), not a regular file; refusing to replace it")) {
                try TextOutput(path: path)
            }
        }
    }

    /// A rename that fails (the folder went away while writing) is an error, not silence.
    @Test func aFailedRenameIsAnError() throws {
        let directory = TestJournal.temporaryPath("gone")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        let output = try TextOutput(path: directory + "/out.txt")
        output.write("text")
        try FileManager.default.removeItem(atPath: directory)
        #expect(throws: ExportError.self) { try output.close() }
    }
}
