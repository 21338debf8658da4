import Foundation
import Testing
@testable import Journal

@Suite struct QueryRunnerTests {
    static let writes = [
        "INSERT INTO ops (seq, kind, status) VALUES (999, 1, 0)",
        "UPDATE ops SET length = 0",
        "DELETE FROM ops",
        "DROP TABLE ops",
        "DROP VIEW op_log",
        "CREATE TABLE mine (x)",
        "CREATE TEMP TABLE mine (x)",
        "ATTACH DATABASE 'DIR/other.db' AS other",
        "DETACH DATABASE main",
        "PRAGMA user_version = 7",
        "PRAGMA query_only = 0",
        "PRAGMA journal_mode = WAL",
        "VACUUM",
        "VACUUM INTO 'DIR/copy.db'",
        "ANALYZE",
        "REINDEX",
        "BEGIN IMMEDIATE",
    ]

    /// Writes of every kind fail with one clear line, and the file's bytes do not change
    /// (nor does anything appear beside it). DIR stands for the journal's directory.
    @Test(arguments: writes)
    func writesAreRefusedAndTheFileIsUnchanged(_ template: String) throws {
        let directory = TemporaryDirectory()
        let sql = template.replacingOccurrences(of: "DIR", with: directory.path)
        let path = directory.file("journal.db")
        try Recording.record(Scenarios.everyKind, to: path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let runner = try QueryRunner(path: path)
        let error = try #require(throws: JournalError.self) { try runner.run(sql) }
        #expect(error == .readOnly(path: path, sql: sql))
        #expect(error.description == "\(path): journals are opened read-only; refused: \(sql)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["journal.db"])
    }

    @Test func readsReturnTypedValues() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("journal.db")
        try Recording.record(Scenarios.machine, to: path)
        let result = try QueryRunner(path: path).run("SELECT seq, kind, 1.5 AS r, NULL AS n, x'00ff' AS b FROM op_log WHERE seq < 2")
        #expect(result.columns == ["seq", "kind", "r", "n", "b"])
        #expect(result.rows == [
            [.integer(0), .text("region"), .real(1.5), .null, .blob([0, 255])],
            [.integer(1), .text("region"), .real(1.5), .null, .blob([0, 255])],
        ])
    }

    @Test func oneStatementPerQuery() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("journal.db")
        try Recording.record(Scenarios.machine, to: path)
        let runner = try QueryRunner(path: path)
        #expect(try runner.run("SELECT 1; -- trailing comment\n").rows == [[.integer(1)]])
        let sql = "SELECT 1; DELETE FROM ops"
        #expect(throws: JournalError.multipleStatements(path: path, sql: sql)) { try runner.run(sql) }
        #expect(throws: JournalError.emptyQuery(path: path)) { try runner.run("  -- nothing\n") }
    }

    @Test func namedQueriesBindTheirParameters() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("journal.db")
        try Recording.record(Scenarios.everyKind, to: path)
        let runner = try QueryRunner(path: path)
        let names = try runner.namedQueries().map(\.name)
        #expect(names == ["faults", "faults-after-unmap", "leaks", "mapped-at", "mapped-at-phys", "mapping-lifetimes",
                          "per-device", "reuse-distance", "snapshot-changes", "state-lifetimes"])
        #expect(throws: JournalError.missingParameter(path: path, name: "iova")) { try runner.named("mapped-at") }
        #expect(throws: JournalError.unknownNamedQuery(path: path, name: "nope", known: names)) { try runner.named("nope") }

        // s1 linked 16 KiB at 0xffff0000 at seq 12 and unlinked it at seq 17.
        let iova = SQLValue(parsing: "0xffff1000")
        let during = try runner.named("mapped-at", parameters: ["iova": iova, "seq": .integer(16)])
        #expect(during.rows.map { $0[0] } == [.integer(12)])
        let after = try runner.named("mapped-at", parameters: ["iova": iova, "seq": .integer(17)])
        #expect(after.rows.isEmpty)
        let phys = try runner.named("mapped-at-phys", parameters: ["phys": SQLValue(parsing: "0x100000002000"), "seq": .integer(16)])
        #expect(phys.rows.map { $0[0] } == [.integer(12)])
    }

    @Test func parametersParseLikeACommandLine() {
        #expect(SQLValue(parsing: "42") == .integer(42))
        #expect(SQLValue(parsing: "-1") == .integer(-1))
        #expect(SQLValue(parsing: "0xffffffffffffffff") == .integer(-1))
        #expect(SQLValue(parsing: "nvme0") == .text("nvme0"))
    }
}
