@testable import Fleet
import Journal
import Testing

/// `dmajournal query a.db b.db …`: one question over many journal files, no server.
@Suite struct JournalSetQueryTests {
    let scratch = ScratchDirectory()

    /// Twelve journals, of two scripts in turn (each file's rows differ from its neighbours').
    private func journals() throws -> [String] {
        let scripts = ["fixtures/scripts/quickstart.ops", "fixtures/scripts/kernel/lazy-unmap-stale-iotlb.ops"]
        return try (0..<12).map { index in
            let path = scratch.file("j\(index).db")
            try FleetFixtures.record(FleetFixtures.path(scripts[index % 2]), to: path)
            return path
        }
    }

    @Test func aNamedQueryOverManyFilesGivesEachFilesOwnRowsLedByItsName() throws {
        let paths = try journals()
        let set = try JournalSetQuery(paths: paths)
        let all = ResultCollector()
        try set.runNamed("per-device", parameters: [:], into: .collecting(into: all))
        #expect(all.columns.first == "journal")
        // Two lanes answer two files at a time; the rows still come file by file, in order.
        let order = all.rows.compactMap { row in paths.firstIndex { row[0] == .text($0) } }
        #expect(order.count == all.rows.count && order == order.sorted() && Set(order).count == paths.count)
        for path in paths {
            let alone = try QueryRunner(path: path).named("per-device")
            #expect(all.rows.filter { $0[0] == .text(path) }.map { Array($0.dropFirst()) } == alone.rows, "\(path)")
        }
    }

    @Test func ownSQLRunsOnEachFileAndCannotWrite() throws {
        let paths = Array(try journals().prefix(2))
        let set = try JournalSetQuery(paths: paths)
        let counts = ResultCollector()
        try set.run("SELECT count(*) FROM ops o JOIN names n ON n.id = o.device", parameters: [:], into: .collecting(into: counts))
        let expected = try paths.map { path in [SQLValue.text(path)] + (try QueryRunner(path: path).run("SELECT count(*) FROM ops o JOIN names n ON n.id = o.device").rows[0]) }
        #expect(counts.rows == expected)
        #expect(throws: FleetError.self) {
            try set.run("DELETE FROM ops", parameters: [:], into: .collecting(into: ResultCollector()))
        }
        #expect(try JournalReader(path: paths[0]).opCount > 0)
    }
}
