import Foundation
import Journal

/// Writes a journal beside its final path and moves it there only when complete, so a
/// failed import leaves no half-written journal (and an existing one untouched).
///
/// The final path is followed through symbolic links and must be a regular file (or not
/// exist); one that another process is still writing is refused. The staging file and
/// SQLite's files beside it are removed if a signal ends the process.
enum JournalFile {
    /// Creates a journal recording `source`, fills it with `body`, and puts it at `path`.
    /// `interruptedBy` (read after `body`) marks a journal a signal cut short.
    static func write<Result>(_ path: String, source: String, interruptedBy: () -> Int32 = { 0 },
                              _ body: (JournalWriter) throws -> Result) throws -> Result {
        let target = try libraryCall { () throws(JournalError) -> String in
            do throws(OutputPathError) { return try OutputPath(path).resolved } catch { throw .cannotWrite(path: path, reason: error.reason) }
        }
        try libraryCall { () throws(JournalError) in try JournalWriter.checkReplaceable(target) }
        let temporary = target + ".importing"
        let staged = ["", "-wal", "-shm", "-journal"].map { TemporaryFiles.register(temporary + $0) }
        defer { staged.forEach { $0.release() } }
        let files = FileManager.default
        do {
            let writer = try libraryCall { () throws(JournalError) -> JournalWriter in
                try JournalWriter(path: temporary, force: true, run: RecordingOrigin.runInfo(source: source))
            }
            let result = try body(writer)
            let signal = interruptedBy()
            _ = try libraryCall { () throws(JournalError) in try writer.finish(interruptedBy: signal, waiting: SealWaiting()) }
            try libraryCall { () throws(JournalError) in try JournalWriter.checkReplaceable(target) }
            if rename(temporary, target) != 0 { throw CLIFailure.toolFailure("\(path): cannot write the journal: \(String(cString: strerror(errno)))") }
            return result
        } catch {
            for suffix in ["", "-wal", "-shm", "-journal"] { try? files.removeItem(atPath: temporary + suffix) }
            if error is CLIFailure { throw error }
            throw CLIFailure.toolFailure("\(path): cannot write the journal: \(error.localizedDescription)")
        }
    }
}
