import Foundation
import Testing
@testable import Journal

/// Where writers put their bytes (issue 21 item 2: `minimize -o` replaced device nodes,
/// FIFOs and symlinks with a regular file; as root it replaced /dev/full).
@Suite struct OutputPathTests {
    @Test func aNewFileIsItself() throws {
        let directory = TemporaryDirectory()
        let target = try OutputPath(directory.file("new.txt"))
        #expect(target.resolved == directory.file("new.txt"))
        #expect(target.existingPermissions == nil)
    }

    @Test func aRegularFileKeepsItsPermissions() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("old.txt")
        FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o640])
        #expect(try OutputPath(path).existingPermissions == 0o640)
    }

    @Test func linksAreFollowedRelativeToTheirFolder() throws {
        let directory = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.file("sub"), withIntermediateDirectories: false)
        FileManager.default.createFile(atPath: directory.file("sub/target.txt"), contents: nil)
        try FileManager.default.createSymbolicLink(atPath: directory.file("sub/link"), withDestinationPath: "target.txt")
        try FileManager.default.createSymbolicLink(atPath: directory.file("top"), withDestinationPath: directory.file("sub/link"))
        #expect(try OutputPath(directory.file("top")).resolved == directory.file("sub/target.txt"))
        // A dangling link names the file to create.
        try FileManager.default.createSymbolicLink(atPath: directory.file("dangling"), withDestinationPath: "later.txt")
        #expect(try OutputPath(directory.file("dangling")).resolved == directory.file("later.txt"))
    }

    @Test func specialFilesAreRefused() throws {
        let directory = TemporaryDirectory()
        #expect(mkfifo(directory.file("fifo"), 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: directory.file("to-fifo"), withDestinationPath: "fifo")
        let cases = [(directory.path, "a directory"), (directory.file("fifo"), "a FIFO"), (directory.file("to-fifo"), "a FIFO"),
                     ("/dev/null", "a character device")]
        for (path, kind) in cases {
            #expect(throws: OutputPathError.notRegularFile(path: path, kind: kind)) { try OutputPath(path) }
        }
        #expect(OutputPathError.notRegularFile(path: "/dev/full", kind: "a character device").description
            == "/dev/full: cannot write: it is a character device, not a regular file; refusing to replace it")
    }

    @Test func aLinkLoopIsRefused() throws {
        let directory = TemporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: directory.file("a"), withDestinationPath: "b")
        try FileManager.default.createSymbolicLink(atPath: directory.file("b"), withDestinationPath: "a")
        #expect(throws: OutputPathError.cannotResolve(path: directory.file("a"), reason: "more than 40 symbolic links")) {
            try OutputPath(directory.file("a"))
        }
    }

    /// What a signal handler removes.
    @Test func registeredFilesAreRemovedUntilReleased() throws {
        let directory = TemporaryDirectory()
        let kept = directory.file("kept"), removed = directory.file("removed")
        for path in [kept, removed] { FileManager.default.createFile(atPath: path, contents: nil) }
        let registrations = [kept, removed].map(TemporaryFiles.register)
        registrations[0].release()
        TemporaryFiles.removeAll()
        registrations[1].release()
        #expect(FileManager.default.fileExists(atPath: kept))
        #expect(!FileManager.default.fileExists(atPath: removed))
    }

    /// A scratch folder registered before the files in it (bisect --run's prefix scripts)
    /// goes too: the files first, then the folder they emptied.
    @Test func aRegisteredFolderIsRemovedWithItsFiles() throws {
        let directory = TemporaryDirectory()
        let folder = directory.file("scratch"), script = directory.file("scratch/prefix-3.ops")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        #expect(FileManager.default.createFile(atPath: script, contents: Data("free h\n".utf8)))
        let registrations = [folder, script].map(TemporaryFiles.register)
        TemporaryFiles.removeAll()
        registrations.forEach { $0.release() }
        #expect(!FileManager.default.fileExists(atPath: script))
        #expect(!FileManager.default.fileExists(atPath: folder))
    }
}
