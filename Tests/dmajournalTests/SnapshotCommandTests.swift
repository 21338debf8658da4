import Foundation
import Testing

/// `dmajournal verify`, `diff`, `snapshot`, `replay --from` and `record --checkpoint-every`,
/// end to end on the journal of fixtures/scripts/snapshots/memory-mismatch.ops: c1 is
/// taken after seq 7, seq 8 and seq 10 write into it, seq 12 writes its bytes back.
@Suite struct SnapshotCommandTests {
    static let runOfSeq8 = "shm0 phys 0x100000000f00 len 0x200: last written by seq 8 dev-write by nvme0 through s1 at 0xffffef00"

    static func recordFixture() throws -> String {
        try ToolRun.journal(of: "snapshots/memory-mismatch.ops", prefix: "snapshots")
    }

    static func sqlite(_ path: String, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [path, sql]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func verifyPrintsEachDifferingRunWithItsWritersAndExitsOne() throws {
        let journal = try Self.recordFixture()
        let differs = try ToolRun.run(["verify", journal, "--against", "c1", "--at", "9"])
        #expect(differs.status == 1)
        #expect(differs.stdout == Self.runOfSeq8 + "\n")
        #expect(differs.stderr == "dmajournal: \(journal): memory after seq 9 differs from snapshot c1 (after seq 7): 1 runs, 0x200 bytes\n")
        let equal = try ToolRun.run(["verify", journal, "--against", "c1"])
        #expect(equal.status == 0, "\(equal.stderr)")
        #expect(equal.stdout == "memory after seq 14 equals snapshot c1 (after seq 7); replayed 7 ops from checkpoint c1\n")
    }

    @Test func snapshotAddsOneSnapshotAndChangesNothingElse() throws {
        let journal = try Self.recordFixture()
        let dumpOfTheRest = { () throws -> String in
            try Self.sqlite(journal, ".dump").split(separator: "\n").filter { line in
                !["chunks", "snapshots", "snapshot_chunks", "checkpoints"].contains { line.hasPrefix("INSERT INTO \($0) ") }
            }.joined(separator: "\n")
        }
        let before = try dumpOfTheRest()
        let snapshot = try ToolRun.run(["snapshot", journal, "--at", "10", "--name", "late"])
        #expect(snapshot.status == 0, "\(snapshot.stderr)")
        #expect(snapshot.stdout.hasPrefix("snapshot late after seq 10: 1 non-zero chunks (64 KiB), 1 of them new ("))
        #expect(snapshot.stdout.hasSuffix("bytes compressed); replayed from checkpoint c1\n"))
        #expect(try dumpOfTheRest() == before)
        #expect(try Self.sqlite(journal, "SELECT name, seq, kind FROM snapshots ORDER BY id") == "c1|7|checkpoint\nlate|10|snapshot\n")

        let diff = try ToolRun.run(["diff", journal, "c1", "late"])
        #expect(diff.status == 1)
        #expect(diff.stdout == Self.runOfSeq8 + "; seq 10 dev-write by nvme0 through s1 at 0xfffff000\n")
        // Named in the order given (issue 17 item 5: they were swapped into seq order).
        #expect(diff.stderr == "dmajournal: \(journal): snapshot c1 (after seq 7) differs from snapshot late (after seq 10): 1 runs, 0x200 bytes\n")
        let swapped = try ToolRun.run(["diff", journal, "late", "c1"])
        #expect(swapped.stderr == "dmajournal: \(journal): snapshot late (after seq 10) differs from snapshot c1 (after seq 7): 1 runs, 0x200 bytes\n")
        let same = try ToolRun.run(["diff", journal, "c1", "c1"])
        #expect(same.status == 0)
    }

    @Test func replayCanStartAtACheckpoint() throws {
        let journal = try Self.recordFixture()
        let replay = try ToolRun.run(["replay", journal, "--from", "c1"])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stdout.hasPrefix("7 ops replayed from checkpoint c1 (after seq 7), all outcomes identical; "))
        let unknown = try ToolRun.run(["replay", journal, "--from", "nope"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr == "dmajournal: \(journal): no snapshot or checkpoint named 'nope'; known: c1\n")
    }

    /// A name that does not exist, one taken after the op asked about, a snapshot with no
    /// engine state to start a replay from, an op the journal does not have: bad input.
    @Test func namesAndSequencesThatDoNotFitAreBadInput() throws {
        let journal = try Self.recordFixture()
        _ = try ToolRun.run(["snapshot", journal, "--at", "11", "--name", "plain"])
        let cases: [([String], String)] = [
            (["verify", journal, "--against", "c1", "--at", "5"],
             "no snapshot or checkpoint named 'c1' taken at or before seq 5; known: c1, plain"),
            (["replay", journal, "--from", "plain"], "'plain' is a snapshot without engine state, not a checkpoint; checkpoints: c1"),
            (["diff", journal, "c1", "nope"], "no snapshot or checkpoint named 'nope'; known: c1, plain"),
            (["snapshot", journal, "--at", "15"], "--at 15 is not an op of the journal (0…14)"),
        ]
        for (arguments, message) in cases {
            let run = try ToolRun.run(arguments)
            #expect(run.status == 2)
            #expect(run.stderr == "dmajournal: \(journal): \(message)\n")
        }
    }

    @Test func aDamagedChunkIsOneLineAboutTheJournalNotADifference() throws {
        let journal = try Self.recordFixture()
        _ = try Self.sqlite(journal, "UPDATE chunks SET frame = substr(frame, 1, 10)")
        for arguments in [["verify", journal, "--against", "c1", "--at", "9"], ["replay", journal, "--from", "c1"]] {
            let run = try ToolRun.run(arguments)
            #expect(run.status == 2)
            #expect(run.stdout.isEmpty)
            #expect(run.stderr.hasPrefix("dmajournal: \(journal): corrupt journal: table chunks: snapshot 'c1' (after seq 7), "
                                         + "chunk 268435456 (phys 0x100000000000), hash 0x"), "\(run.stderr)")
            #expect(run.stderr.hasSuffix(": corrupt LZ4 frame: truncated frame (10 bytes)\n"))
        }
    }

    @Test func recordTakesACheckpointEveryNOps() throws {
        let journal = FileManager.default.temporaryDirectory.appendingPathComponent("auto-\(UUID().uuidString).db").path
        let record = try ToolRun.run(["record", "--workload", "nvme", "--ops", "3000", "--journal", journal, "--quiet",
                                      "--checkpoint-every", "1000"])
        #expect(record.status == 0, "\(record.stderr)")
        let ops = try #require(Int(record.stdout.split(separator: " ")[1]))
        #expect(record.stdout.contains("; \(ops / 1000) checkpoints in "))
        let names = try Self.sqlite(journal, "SELECT group_concat(name) FROM snapshots WHERE kind = 'checkpoint'")
        #expect(names == (1...(ops / 1000)).map { "auto:\($0 * 1000 - 1)" }.joined(separator: ",") + "\n")
        let replay = try ToolRun.run(["replay", journal, "--from", "auto:1999"])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stdout.contains(" ops replayed from checkpoint auto:1999 (after seq 1999), all outcomes identical; "))
        let none = try ToolRun.run(["record", "--workload", "nvme", "--ops", "100", "--journal", journal, "--force", "--quiet",
                                    "--checkpoint-every", "0"])
        #expect(!none.stdout.contains("checkpoints"))
    }
}
