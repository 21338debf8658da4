import Foundation
import Testing

/// journal-corruptions.sh (fixtures/reliability), end to end: every command that reads a
/// damaged journal says so in one line and exits 2 — never a trap, never "complete, all
/// identical", never a model divergence — and leaves the file as it was. `report`,
/// `export --format perfetto|csv` and `query` show the rows as they are (a warning line
/// first for the first two): that is how one looks at the damage.
@Suite struct DamagedJournalCommandTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let damage: String
        let arguments: [String]
        /// What the one stderr line holds.
        let message: String
        var testDescription: String { "\(damage): \(arguments.first ?? "")" }
    }

    static let damages: [String: String] = [
        "dupseq": """
            PRAGMA legacy_alter_table=ON; CREATE TABLE ops2 AS SELECT * FROM ops; INSERT INTO ops2 SELECT * FROM ops WHERE seq = 10;
            DROP TABLE ops; ALTER TABLE ops2 RENAME TO ops;
            """,
        "chunkidx": "UPDATE snapshot_chunks SET chunk_index = 4611686018427387904 + chunk_index;",
        "tail": "DELETE FROM ops WHERE seq > 5;",
        // (The script lists the columns; a copy of the row keeps working as columns are added.)
        "negseq": "CREATE TEMP TABLE copy AS SELECT * FROM ops WHERE seq = 10; UPDATE copy SET seq = -5; INSERT INTO ops SELECT * FROM copy;",
        "gap": "DELETE FROM ops WHERE seq = 4;",
    ]

    static let dupseq = "damaged journal: op seq 10 appears more than once (the ops table lost its primary key)"
    static let chunk = "corrupt journal: table snapshot_chunks: snapshot 'c1' (after seq 7), chunk 4611686018695823360: the chunk index lies beyond 64-bit physical memory"
    static let tail = "damaged journal: it was sealed with 15 ops and holds 6: ops 6…14 were deleted"
    static let negseq = "damaged journal: an op at seq -5, before the first op (seq 0)"
    static let gap = "damaged journal: op 4 is missing (14 ops between seq 0 and 14)"

    static let cases: [Case] = [
        Case(damage: "dupseq", arguments: ["replay"], message: dupseq),
        Case(damage: "dupseq", arguments: ["verify", "--against", "c1"], message: dupseq),
        Case(damage: "dupseq", arguments: ["bisect", "--until", "finding"], message: dupseq),
        Case(damage: "dupseq", arguments: ["minimize", "--until", "finding"], message: dupseq),
        Case(damage: "dupseq", arguments: ["export", "--format", "script"], message: dupseq),
        Case(damage: "dupseq", arguments: ["snapshot", "--at", "3"], message: dupseq),
        Case(damage: "chunkidx", arguments: ["replay", "--from", "c1"], message: chunk),
        Case(damage: "chunkidx", arguments: ["verify", "--against", "c1"], message: chunk),
        Case(damage: "chunkidx", arguments: ["diff", "c1", "c1"], message: chunk),
        Case(damage: "tail", arguments: ["replay"], message: tail),
        Case(damage: "tail", arguments: ["replay", "--from", "c1"], message: tail),
        Case(damage: "negseq", arguments: ["replay"], message: negseq),
        Case(damage: "gap", arguments: ["replay"], message: gap),
        Case(damage: "gap", arguments: ["bisect", "--until", "finding"], message: gap),
    ]

    static func damagedJournal(_ damage: String) throws -> String {
        let path = ExportCommandTests.temporary("\(damage).db")
        let run = try ToolRun.run(["run", "fixtures/scripts/snapshots/memory-mismatch.ops", "--journal", path, "--quiet"])
        precondition(run.status == 1 || run.status == 0, run.stderr)
        _ = try SnapshotCommandTests.sqlite(path, damages[damage]!)
        return path
    }

    @Test(arguments: cases)
    func theDamageIsOneLineAndExitTwo(_ damage: Case) throws {
        let path = try Self.damagedJournal(damage.damage)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let run = try ToolRun.run([damage.arguments[0], path] + damage.arguments.dropFirst())
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr == "dmajournal: \(path): \(damage.message)\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test(arguments: ["dupseq", "tail", "gap"])
    func reportAndExportShowTheRowsWithAWarning(_ damage: String) throws {
        let path = try Self.damagedJournal(damage)
        for arguments in [["report", path, "-o", path + ".html"], ["export", path, "--format", "perfetto", "-o", path + ".json"]] {
            let run = try ToolRun.run(arguments)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stderr.hasPrefix("dmajournal: warning: \(path): damaged journal: "), "\(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count == 1)
        }
        let query = try ToolRun.run(["query", path, "SELECT count(*) FROM ops", "--format", "csv"])
        #expect(query.status == 0)
    }
}
