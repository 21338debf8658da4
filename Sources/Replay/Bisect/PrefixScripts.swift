import DMASim
import Foundation
import Journal
import OpScript

/// Reproducer scripts of journal prefixes, for `bisect --run`: the whole journal is
/// printed once, as an op script with each op's recorded `=>` claims, to a scratch file
/// beside the byte offset where each op's line ends; the prefix through op `seq` is then
/// one copy of the file's head, not a re-read of the journal. The folder and every
/// script in it are registered in `TemporaryFiles`, so Ctrl-C or SIGTERM leaves none of
/// them behind (the full script of a large journal is gigabytes).
final class PrefixScripts {
    let directory: URL
    private let fullScript: URL
    /// The folder and the full script, removed by a signal until `deinit` removed them.
    private let scratch: [TemporaryFiles.Registration]
    /// Byte offset just past each op's line, by seq; the header's length first.
    private var lineEnds: [Int] = []
    /// How many ops the journal opens with that only declare the machine.
    private(set) var leadingDeclarations = 0

    init(reader: JournalReader, progress: (Int) -> Void) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("dmajournal-bisect-\(UUID().uuidString)")
        fullScript = directory.appendingPathComponent("journal.ops")
        // Registered before they exist: a signal at any moment from here removes them.
        scratch = [directory, fullScript].map { TemporaryFiles.register($0.path) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: fullScript.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: fullScript.path])
        }
        let output = try FileHandle(forWritingTo: fullScript)
        defer { try? output.close() }
        var printer = ScriptLineWriter()
        var buffer = "# prefix of \(reader.path), replayed by dmajournal bisect\n"
        // A journal from before schema 8 ran on 6.16's semantics without saying so.
        if reader.defaultMachine != MachineSpec() { buffer += printer.line(.machine(reader.defaultMachine)) + "\n" }
        var written = 0
        let cursor = try reader.makeCursor()
        while let recorded = try cursor.next() {
            precondition(recorded.seq == lineEnds.count, "journal seqs must be 0, 1, 2, …")
            let claims = try recorded.claims.map { try ScriptParser().parseClaims($0, fileName: reader.path) } ?? []
            buffer += printer.line(recorded.op, claims: claims) + "\n"
            lineEnds.append(written + buffer.utf8.count)
            if recorded.op.kind.isTopology, leadingDeclarations == recorded.seq { leadingDeclarations += 1 }
            if buffer.utf8.count > 1 << 20 {
                output.write(Data(buffer.utf8))
                written += buffer.utf8.count
                buffer = ""
            }
            progress(recorded.seq)
        }
        output.write(Data(buffer.utf8))
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
        scratch.forEach { $0.release() }
    }

    /// Writes the script of ops 0…`seq`; the caller removes it once judged.
    func writePrefix(through seq: Int) throws -> PrefixScript {
        let script = PrefixScript(path: directory.appendingPathComponent("prefix-\(seq).ops").path)
        do {
            let input = try FileHandle(forReadingFrom: fullScript)
            defer { try? input.close() }
            let data = try input.read(upToCount: lineEnds[seq]) ?? Data()
            guard FileManager.default.createFile(atPath: script.path, contents: data) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: script.path])
            }
        } catch {
            script.remove()
            throw error
        }
        return script
    }
}

/// One prefix script, registered in `TemporaryFiles` from before it is written until
/// `remove()`.
struct PrefixScript {
    let path: String
    private let registration: TemporaryFiles.Registration

    init(path: String) {
        self.path = path
        registration = TemporaryFiles.register(path)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
        registration.release()
    }
}
