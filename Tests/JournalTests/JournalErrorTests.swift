import Foundation
import Testing
@testable import Journal

/// Each problem with a journal file is one line that names the file.
@Suite struct JournalErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        /// Makes the file at the path (or leaves it missing).
        let make: @Sendable (String) throws -> Void
        let expected: @Sendable (String) -> String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "missing file", make: { _ in }, expected: { "\($0): no such file" }),
        Case(name: "text file", make: { try "region shm0\n".write(toFile: $0, atomically: true, encoding: .utf8) },
             expected: { "\($0): not a dmajournal journal (file is not a database)" }),
        Case(name: "another SQLite database", make: { try sqlite3($0, "CREATE TABLE t (x)") },
             expected: { "\($0): not a dmajournal journal (application_id is 0x0, not 0x444d414a)" }),
        Case(name: "journal marks without tables", make: { try sqlite3($0, "PRAGMA application_id = 1145913674; PRAGMA user_version = 1") },
             expected: { "\($0): not a dmajournal journal (no table 'run')" }),
        Case(name: "newer schema", make: { try Recording.record([], to: $0); try sqlite3($0, "PRAGMA user_version = 99") },
             expected: { "\($0): journal schema version 99 is newer than this tool reads (up to \(SchemaMigrator.latestVersion)); use a newer dmajournal" }),
    ]

    @Test(arguments: cases)
    func openingFailsWithOneClearLine(_ example: Case) throws {
        let directory = TemporaryDirectory()
        let path = directory.file("journal.db")
        try example.make(path)
        for open in [{ _ = try JournalReader(path: path) }, { _ = try QueryRunner(path: path) }] as [() throws -> Void] {
            let error = try #require(throws: JournalError.self, performing: open)
            #expect(error.description == example.expected(path))
        }
    }

    @Test func badSQLCarriesSQLitesMessage() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("journal.db")
        try Recording.record(Scenarios.machine, to: path)
        let runner = try QueryRunner(path: path)
        let syntax = try #require(throws: JournalError.self) { try runner.run("SELEC seq\nFROM ops") }
        #expect(syntax.description == "\(path): SQL error: near \"SELEC\": syntax error in: SELEC seq FROM ops")
        let table = try #require(throws: JournalError.self) { try runner.run("SELECT * FROM opz") }
        #expect(table.description == "\(path): SQL error: no such table: opz in: SELECT * FROM opz")
    }

    /// A journal whose pages were overwritten reads as corrupt, not as a crash.
    @Test func corruptPagesAreReported() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("journal.db")
        try Recording.record(Scenarios.nvmeLike(ios: 500), to: path)
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        let size = try handle.seekToEnd()
        // Keep page 1 (header and schema) intact, scribble over everything else.
        try handle.seek(toOffset: 4096)
        try handle.write(contentsOf: Data(repeating: 0xA5, count: Int(size) - 4096))
        try handle.close()
        let error = try #require(throws: JournalError.self) {
            let reader = try JournalReader(path: path)
            _ = try reader.readAll()
        }
        guard case .corrupt = error else { Issue.record("expected .corrupt, got \(error)"); return }
        #expect(error.description.hasPrefix("\(path): corrupt database: "))
        #expect(!error.description.contains("\n"))
    }

    @Test func longSQLStaysOnOneLine() {
        let sql = "SELECT\n" + Array(repeating: "seq", count: 100).joined(separator: ",\n") + "\nFROM ops"
        let line = JournalError.badSQL(path: "j.db", message: "boom", sql: sql).description
        #expect(!line.contains("\n"))
        #expect(line.hasSuffix("…"))
    }
}

/// Runs the stock sqlite3 shell on `path`.
@discardableResult
func sqlite3(_ path: String, _ sql: String, arguments: [String] = []) throws -> String {
    try run("/usr/bin/sqlite3", arguments + [path, sql])
}
