import DMASim
import Foundation
import Testing
@testable import Journal

@Suite struct JournalSchemaTests {
    /// The binary carries schema/ verbatim: same files, same order, same bytes.
    @Test func embeddedSchemaEqualsTheSQLFiles() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: SourceTree.path("schema"))
            .filter { $0.hasSuffix(".sql") }.sorted()
        #expect(JournalSchema.migrations.map(\.file) == files, "run schema/embed.sh")
        for migration in JournalSchema.migrations {
            #expect(migration.sql == (try SourceTree.read("schema/" + migration.file)), "\(migration.file) differs: run schema/embed.sh")
        }
    }

    /// Migration n is file `00n-…` and leaves `user_version` at n. Numbers rise; they may
    /// have gaps (a number another change reserved).
    @Test func migrationsAreNumberedAndSetTheirVersion() {
        let versions = JournalSchema.migrations.map(\.version)
        #expect(versions.first == 1)
        #expect(versions == versions.sorted() && Set(versions).count == versions.count, "\(versions)")
        for migration in JournalSchema.migrations {
            #expect(migration.file.hasPrefix(String(format: "%03d-", migration.version)))
            #expect(migration.sql.contains("PRAGMA user_version = \(migration.version);"))
        }
    }

    /// Every enum case the writer stores has a code, and the tables that mirror kernel
    /// values agree with DMASim.
    @Test func lookupTablesCoverTheEnginesEnums() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("codes.db")
        try Recording.record([], to: path)
        let runner = try QueryRunner(path: path)
        let reader = try JournalReader(path: path)
        #expect(reader.codes.missing.isEmpty)

        let directions = try runner.run("SELECT code, name FROM direction ORDER BY code").rows
        #expect(directions == DMADirection.allCases.sorted { $0.kernelValue < $1.kernelValue }
            .map { [.integer(Int64($0.kernelValue)), .text($0.rawValue)] })
        let attributes = try runner.run("SELECT bit, name FROM dma_attr ORDER BY bit").rows
        #expect(attributes == DMAAttributes.namedFlags.map { [.integer(Int64($0.flag.rawValue)), .text($0.name)] })
        let errnos = try runner.run("SELECT code, name FROM errno_name ORDER BY code").rows
        #expect(errnos == Errno.allCases.sorted { $0.number < $1.number }.map { [.integer(Int64($0.number)), .text($0.rawValue)] })
        let statuses = try runner.run("SELECT name FROM status_kind ORDER BY code").rows
        #expect(statuses == StatusKind.allCases.map { [.text($0.rawValue)] })
    }
}
