import Foundation
import Testing
import CSQLite
@testable import Journal

/// A journal written while migrations were numbered out of order: the release before
/// 009-011 landed had 001-008 and 012, so its files say version 12 without them.
@Suite struct SkippedMigrationTests {
    static func layout(_ database: Database) throws -> Set<String> {
        var names: Set<String> = []
        let objects = try database.prepare("SELECT type, name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'")
        var tables: [String] = []
        while try objects.step() {
            let type = objects.text(at: 0) ?? "", name = objects.text(at: 1) ?? ""
            names.insert("\(type) \(name)")
            if type == "table" { tables.append(name) }
        }
        for table in tables {
            let columns = try database.prepare("SELECT name FROM pragma_table_info('\(table)')")
            while try columns.step() { names.insert("column \(table).\(columns.text(at: 0) ?? "")") }
        }
        return names
    }

    static func database(_ directory: TemporaryDirectory, _ name: String) throws -> Database {
        try Database(path: directory.file(name), flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
    }

    @Test func aVersion12JournalWithout009To011GetsThemAndEndsLikeAFreshOne() throws {
        let directory = TemporaryDirectory()
        let old = try Self.database(directory, "old.db")
        for migration in JournalSchema.migrations where migration.version <= 8 || migration.version == 12 {
            try old.execute(migration.immediateSQL)
        }
        #expect(try old.integer("PRAGMA user_version") == 12)
        #expect(JournalSchema.migrations.filter { [9, 10, 11].contains($0.version) }.allSatisfy { $0.marker != nil })

        try SchemaMigrator.migrate(old)
        let fresh = try Self.database(directory, "fresh.db")
        try SchemaMigrator.migrate(fresh)

        #expect(try old.integer("PRAGMA user_version") == Int64(SchemaMigrator.latestVersion))
        let missing = try Self.layout(fresh).subtracting(try Self.layout(old))
        #expect(missing.isEmpty, "\(missing.sorted())")
        // The views 009-011 redefine work on the old file.
        _ = try old.integer("SELECT count(*) FROM topology_lines")
        _ = try old.integer("SELECT count(*) FROM run_info")
    }

    /// A journal that had every migration gets none again (a second `ALTER TABLE … ADD
    /// COLUMN` would fail).
    @Test func aCurrentJournalIsLeftAlone() throws {
        let directory = TemporaryDirectory()
        let database = try Self.database(directory, "j.db")
        try SchemaMigrator.migrate(database)
        try SchemaMigrator.migrate(database)
        #expect(try database.integer("PRAGMA user_version") == Int64(SchemaMigrator.latestVersion))
    }
}
