import Foundation
import Journal

/// Writes a journal beside its final path and moves it there only when complete, so a
/// failed import leaves no half-written journal (and an existing one untouched).
enum JournalFile {
    /// Creates a journal recording `source`, fills it with `body`, and puts it at `path`.
    static func write<Result>(_ path: String, source: String, _ body: (JournalWriter) throws -> Result) throws -> Result {
        let temporary = path + ".importing"
        let files = FileManager.default
        do {
            let writer = try libraryCall { () throws(JournalError) -> JournalWriter in
                try JournalWriter(path: temporary, force: true, run: RecordingOrigin.runInfo(source: source))
            }
            let result = try body(writer)
            try libraryCall { () throws(JournalError) in try writer.finish() }
            if files.fileExists(atPath: path) { try files.removeItem(atPath: path) }
            try files.moveItem(atPath: temporary, toPath: path)
            return result
        } catch {
            for suffix in ["", "-wal", "-shm"] { try? files.removeItem(atPath: temporary + suffix) }
            if error is CLIFailure { throw error }
            throw CLIFailure.badInput("\(path): cannot write the journal: \(error.localizedDescription)")
        }
    }
}
