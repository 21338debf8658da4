import DMASim
import Foundation
import Testing
@testable import Journal

@Suite struct JournalWriterTests {
    @Test func refusesAnExistingFileUnlessForced() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("run.db")
        try Recording.record(Scenarios.machine, to: path)
        #expect(throws: JournalError.alreadyExists(path: path)) {
            try JournalWriter(path: path, run: Recording.run)
        }
        #expect(try JournalReader(path: path).opCount == Scenarios.machine.count)

        let writer = try JournalWriter(path: path, force: true, run: Recording.run)
        try writer.finish()
        #expect(try JournalReader(path: path).opCount == 0)
    }

    /// finish() leaves one self-contained file in rollback-journal mode.
    @Test func finishLeavesOneSelfContainedFile() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("run.db")
        try Recording.record(Scenarios.nvmeLike(ios: 50), to: path, batchSize: 64)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(files == ["run.db"])
        #expect(try JournalReader(path: path).missingIndexes.isEmpty)
        // Header bytes 18 and 19 (file format write/read version): 1 = rollback journal,
        // 2 = WAL. A file left in WAL mode would need its -wal beside it.
        let header = try Data(contentsOf: URL(fileURLWithPath: path)).prefix(20)
        #expect(Array(header.suffix(2)) == [1, 1])
        let run = try QueryRunner(path: path).run("SELECT batch_size, finished, schema_version, max_range_bytes FROM run")
        #expect(run.rows == [[.integer(64), .integer(1), .integer(Int64(SchemaMigrator.latestVersion)), .integer(4096)]])
    }

    /// The columns hold what the op and its outcome said, readable with plain SQL.
    @Test func outcomeFieldsAreStoredInTheirColumns() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("every.db")
        let outcomes = try Recording.record(Scenarios.everyKind, to: path)
        let runner = try QueryRunner(path: path)

        // seq 14: dev-write through a to-device link faults with a permission fault.
        let fault = try runner.run("SELECT kind, status, fault_kind, fault_address, fill FROM op_log WHERE seq = 14")
        #expect(fault.rows == [[.text("dev-write"), .text("fault"), .text("permission"), .integer(0xffff_0200), .text("seed:7")]])
        // seq 16: the unaligned second link returns -EIO with a kernel warning.
        let error = try runner.run("SELECT o.errno, w.text FROM op_log o JOIN warnings w USING (seq) WHERE seq = 16")
        #expect(error.rows == [[.text("EIO"), .text("WARN_ON_ONCE(iova_start_pad && offset > 0)")]])
        // seq 12: the link's range, prot READ|CACHE.
        let range = try runner.run("SELECT iova, phys, length, prot, bounced FROM mapped_ranges WHERE seq = 12")
        let linked = outcomes[12].ranges[0]
        #expect(range.rows == [[.integer(Int64(linked.iova)), .integer(Int64(linked.phys)), .integer(4096 * 4), .integer(5), .integer(0)]])
        // Digests and seeds above 2^63 are stored by bit pattern; the table format shows them
        // as unsigned hex.
        let digest = try runner.run("SELECT digest FROM op_log WHERE seq = 15")
        #expect(digest.rows == [[.integer(Int64(bitPattern: outcomes[15].digest!))]])
        #expect(digest.formatted(as: .table).hasSuffix("0x" + hex16(outcomes[15].digest!) + "\n"))
        #expect(try runner.run("SELECT fill FROM ops WHERE seq = 34").rows == [[.text("seed:18446744073709551615")]])
        // Findings and rejections keep their text.
        let findings = try runner.run("SELECT seq, class, handle FROM findings WHERE class = 'leak-at-detach'")
        #expect(findings.rows == [[.integer(40), .text("leak-at-detach"), .text("s3")]])
        let rejected = try runner.run("SELECT reason FROM rejections WHERE seq = 10")
        #expect(rejected.rows == [[.text("device nvme0 is already declared")]])
        // A link names no device; the journal keeps the state's device for it.
        #expect(try runner.run("SELECT device FROM op_log WHERE seq = 23").rows == [[.text("nic0")]])
    }

    private func hex16(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
