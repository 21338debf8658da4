import Foundation
import Testing
@testable import Journal

/// Journal size per op on an NVMe-like script, indexes included (target: under 120 B/op).
@Suite struct JournalSizeTests {
    @Test func nvmeLikeJournalStaysUnder120BytesPerOp() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("nvme.db")
        let ops = Scenarios.nvmeLike(ios: 5000)
        try Recording.record(ops, to: path)
        let fileBytes = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        // dbstat: the bytes of the pages each table and index occupies. The recording's
        // own tables and indexes, without the fixed cost of schema and lookup tables.
        let stat = try sqlite3(path, """
            SELECT sum(pgsize) FROM dbstat
            WHERE name IN ('ops', 'names', 'sqlite_autoindex_names_1', 'topology', 'mapped_ranges', 'events', 'findings',
                           'warnings', 'rejections', 'ops_by_handle', 'ops_faults', 'mapped_ranges_by_iova', 'mapped_ranges_by_phys')
            """)
        let recordingBytes = try #require(Int(stat.trimmingCharacters(in: .whitespacesAndNewlines)))
        let perOp = Double(recordingBytes) / Double(ops.count)
        let filePerOp = Double(fileBytes) / Double(ops.count)
        print("journal size: \(ops.count) ops, \(fileBytes) bytes on disk (\(filePerOp) B/op), tables and indexes \(perOp) B/op")
        #expect(perOp < 120)
        #expect(filePerOp < 120)
    }
}
