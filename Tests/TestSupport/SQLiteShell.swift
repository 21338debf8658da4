import Foundation

/// The `sqlite3` shell as another process using a journal: it reads statements from a
/// pipe kept open, so a transaction it begins stays open until the shell is killed. Tests
/// use it to hold a journal locked, and to leave a hot rollback journal behind exactly as a
/// `snapshot` killed during its commit does.
public final class SQLiteShell {
    private let process = Process()
    private let input = Pipe()

    /// Starts `sqlite3 path` and sends it `statements`.
    public init(_ path: String, running statements: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [path]
        process.standardInput = input
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        try process.run()
        input.fileHandleForWriting.write(Data(statements.utf8))
    }

    /// SIGKILL, as a crash would end it.
    public func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Leaves `path-journal` hot: with a one-page cache, changed pages spill into the file
    /// before commit, so the shell deleting `tables` inside a transaction it never commits,
    /// then killed, leaves the file half-changed and the journal of the old pages beside it.
    public static func leaveHotJournal(_ path: String, deletingFrom tables: [String]) throws {
        let deletes = tables.map { "DELETE FROM \($0);\n" }.joined()
        let shell = try SQLiteShell(path, running: "PRAGMA cache_size=1;\nBEGIN;\n" + deletes)
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, journalBytes(path) < 8192 { Thread.sleep(forTimeInterval: 0.05) }
        Thread.sleep(forTimeInterval: 0.3)
        shell.kill()
    }

    public static func journalBytes(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path + "-journal")[.size] as? Int) ?? 0
    }
}
