import Foundation
import Journal

/// Writes a journal beside its final path and moves it there only when complete, so a
/// failed import leaves no half-written journal (and an existing one untouched).
///
/// The staging file is `J.importing-PID`: a crash (a trap, SIGSEGV, SIGTERM, Ctrl-C)
/// removes it on the way out (`StagingFileGuard`), and a run killed outright leaves one
/// the next import of the same journal removes, once no process of that PID is alive.
enum JournalFile {
    static let stagingMarker = ".importing"

    /// Creates a journal recording `source`, fills it with `body`, and puts it at `path`.
    static func write<Result>(_ path: String, source: String, _ body: (JournalWriter) throws -> Result) throws -> Result {
        let temporary = path + stagingMarker + "-\(getpid())"
        let files = FileManager.default
        removeStaleStagingFiles(of: path)
        StagingFileGuard.guardFile(temporary)
        defer { StagingFileGuard.release() }
        do {
            let writer = try libraryCall { () throws(JournalError) -> JournalWriter in
                try JournalWriter(path: temporary, force: true, run: RunInfo(
                    toolVersion: ToolVersion.current, source: source, createdAt: ToolVersion.timestamp()))
            }
            let result = try body(writer)
            try libraryCall { () throws(JournalError) in try writer.finish() }
            if files.fileExists(atPath: path) { try files.removeItem(atPath: path) }
            try files.moveItem(atPath: temporary, toPath: path)
            return result
        } catch {
            removeStaging(temporary)
            if error is CLIFailure { throw error }
            throw CLIFailure.badInput("\(path): cannot write the journal: \(error.localizedDescription)")
        }
    }

    /// Staging files of `path` a dead process left: `J.importing` (before PIDs were in
    /// the name) and `J.importing-PID` whose process is gone, with SQLite's files beside.
    static func removeStaleStagingFiles(of path: String) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        let prefix = url.lastPathComponent + stagingMarker
        for name in entries(of: directory.path, startingWith: prefix) {
            var rest = name.dropFirst(prefix.count)
            for suffix in StagingFileGuard.suffixes.dropFirst() where rest.hasSuffix(suffix) { rest = rest.dropLast(suffix.count) }
            let isLegacy = rest.isEmpty
            let isDead = rest.hasPrefix("-") && Int32(rest.dropFirst()).map { !isAlive($0) } == true
            if isLegacy || isDead { removeStaging(directory.appendingPathComponent(name).path, withSidecars: false) }
        }
    }

    /// The names in `directory` that start with `prefix`, read with readdir(3) so a
    /// directory of thousands (a busy /tmp) costs no String per entry.
    private static func entries(of directory: String, startingWith prefix: String) -> [String] {
        guard let stream = opendir(directory.isEmpty ? "." : directory) else { return [] }
        defer { closedir(stream) }
        var names: [String] = []
        let wanted = Array(prefix.utf8CString.dropLast())
        while let entry = readdir(stream) {
            let matches = withUnsafePointer(to: entry.pointee.d_name) { name in
                name.withMemoryRebound(to: CChar.self, capacity: wanted.count + 1) { strncmp($0, wanted, wanted.count) == 0 }
            }
            guard matches else { continue }
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            names.append(name)
        }
        return names
    }

    private static func removeStaging(_ path: String, withSidecars: Bool = true) {
        for suffix in withSidecars ? StagingFileGuard.suffixes : [""] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// Whether a process with this PID exists (`kill(pid, 0)` fails with ESRCH when not).
    private static func isAlive(_ pid: Int32) -> Bool {
        pid > 0 && (kill(pid, 0) == 0 || errno == EPERM)
    }
}
