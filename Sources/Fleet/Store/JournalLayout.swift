import Foundation
import Journal

/// What a journal of this build holds, read from the journal itself rather than written
/// down a second time: its tables (columns, declared types, primary keys), its indexes,
/// its views and its named queries, as `schema/` made them. The PostgreSQL store is built
/// from it (`StoreSchema`), so a new schema file reaches the store with no change here.
public struct JournalLayout: Sendable {
    public struct Column: Sendable, Hashable {
        public let name: String
        public let declaredType: String
        public let notNull: Bool

        /// The PostgreSQL type for SQLite's declared type, by SQLite's affinity rules.
        public var storeType: StoreType {
            let type = declaredType.uppercased()
            if type.contains("INT") { return .int8 }
            if type.contains("CHAR") || type.contains("CLOB") || type.contains("TEXT") { return .text }
            if type.contains("REAL") || type.contains("FLOA") || type.contains("DOUB") { return .float8 }
            if type.isEmpty || type.contains("BLOB") { return .bytea }
            return .text
        }
    }

    public enum StoreType: String, Sendable { case int8, text, bytea, float8 }

    public struct Table: Sendable {
        public let name: String
        public let columns: [Column]
        public let primaryKey: [String]
    }

    public struct View: Sendable {
        public let name: String
        /// The SELECT after `CREATE VIEW name AS`.
        public let body: String
    }

    public struct Index: Sendable {
        public let name: String
        public let table: String
        /// `CREATE INDEX …` as SQLite holds it.
        public let sql: String
    }

    public let schemaVersion: Int
    public let tables: [Table]
    public let views: [View]
    public let indexes: [Index]
    public let namedQueries: [NamedQuery]

    /// The layout of the journals this build writes: an empty journal is written to a
    /// temporary file, sealed, read and removed. The file goes to /dev/shm where there is
    /// one: making and sealing a journal syncs the disk several times (WAL, checkpoint,
    /// the switch back to DELETE mode), 0.1 to 0.3 s of every `push` command on a busy
    /// disk, and nothing in memory.
    public static func current() throws(FleetError) -> JournalLayout {
        let directory = FileManager.default.isWritableFile(atPath: "/dev/shm") ? "/dev/shm/" : NSTemporaryDirectory()
        let path = directory + "dmajournal-layout-\(getpid())-\(JournalID.random()).db"
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let writer = try JournalWriter(path: path, run: RunInfo(toolVersion: "layout", source: "layout", createdAt: ""))
            try writer.finish()
        } catch {
            throw .journal("cannot write a template journal at \(path): \(error)")
        }
        return try read(SQLiteFile(path: path))
    }

    static func read(_ file: SQLiteFile) throws(FleetError) -> JournalLayout {
        let version = Int(try file.textRows("PRAGMA user_version").first?.first??.description ?? "0") ?? 0
        let objects = try file.textRows("""
            SELECT type, name, tbl_name, sql FROM sqlite_schema
             WHERE name NOT LIKE 'sqlite_%' AND sql IS NOT NULL ORDER BY rowid
            """)
        var tables: [Table] = []
        var views: [View] = []
        var indexes: [Index] = []
        for object in objects {
            guard let type = object[0], let name = object[1], let sql = object[3] else { continue }
            switch type {
            case "table": tables.append(try table(name, in: file))
            case "view": views.append(View(name: name, body: viewBody(sql)))
            case "index": indexes.append(Index(name: name, table: object[2] ?? "", sql: sql))
            default: break
            }
        }
        let named = try file.textRows("SELECT name, parameters, description, sql FROM named_queries ORDER BY name").map { row in
            NamedQuery(name: row[0] ?? "", parameters: (row[1] ?? "").split(separator: ",").map(String.init),
                       description: row[2] ?? "", sql: row[3] ?? "")
        }
        return JournalLayout(schemaVersion: version, tables: tables, views: views, indexes: indexes, namedQueries: named)
    }

    /// The tables of the journal `file` (in the order they were made), without its views,
    /// indexes and named queries: what a push of it copies.
    static func tables(in file: SQLiteFile) throws(FleetError) -> [Table] {
        var tables: [Table] = []
        for row in try file.textRows("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid") {
            if let name = row[0] { tables.append(try table(name, in: file)) }
        }
        return tables
    }

    private static func table(_ name: String, in file: SQLiteFile) throws(FleetError) -> Table {
        let rows = try file.textRows("SELECT name, type, \"notnull\", pk FROM pragma_table_info('\(name)') ORDER BY cid")
        let columns = rows.map { Column(name: $0[0] ?? "", declaredType: $0[1] ?? "", notNull: $0[2] == "1") }
        let key = rows.filter { ($0[3].flatMap { Int($0) } ?? 0) > 0 }
            .sorted { Int($0[3] ?? "0")! < Int($1[3] ?? "0")! }
            .map { $0[0] ?? "" }
        return Table(name: name, columns: columns, primaryKey: key)
    }

    /// The SELECT of a `CREATE VIEW name AS SELECT …` statement.
    static func viewBody(_ sql: String) -> String {
        let tokens = SQLTokenizer.tokens(sql)
        guard let asIndex = tokens.firstIndex(where: { $0.isKeyword("AS") }) else { return sql }
        return tokens[(asIndex + 1)...].map(\.text).joined().trimmingSpaces
    }
}
