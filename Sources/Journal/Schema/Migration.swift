/// One numbered schema file: `schema/NNN-name.sql`, applied once, in order. Each file ends
/// by setting `PRAGMA user_version` to its number.
///
/// A file may end with a deferred section, after the line `-- @deferred-indexes`: the
/// secondary indexes, which a recording builds when it finishes rather than keeping them
/// up to date op by op (see schema/001-journal.sql).
struct Migration: Sendable {
    static let deferredMarker = "-- @deferred-indexes"

    let version: Int
    let file: String
    let sql: String

    /// What runs when the migration is applied: everything before the marker.
    var immediateSQL: String { split.immediate }

    /// What runs when a recording finishes: everything after the marker.
    var deferredSQL: String { split.deferred }

    /// The indexes the deferred section creates (`CREATE INDEX IF NOT EXISTS name …`).
    var deferredIndexNames: [String] {
        let prefix = "CREATE INDEX IF NOT EXISTS "
        return deferredSQL.split(separator: "\n")
            .filter { $0.hasPrefix(prefix) }
            .compactMap { $0.dropFirst(prefix.count).split(separator: " ").first.map(String.init) }
    }

    /// What the migration creates first, which a journal has exactly when the migration
    /// applied (each applies in one transaction): its first `ALTER TABLE t ADD COLUMN c`
    /// or `CREATE TABLE t`, whichever comes first. Nil when it creates neither.
    enum Marker: Equatable { case table(String), column(table: String, column: String) }

    var marker: Marker? {
        for line in immediateSQL.split(separator: "\n") {
            if let match = line.firstMatch(of: /^ALTER TABLE (\w+) ADD COLUMN (\w+)/) {
                return .column(table: String(match.1), column: String(match.2))
            }
            if let match = line.firstMatch(of: /^CREATE TABLE (?:IF NOT EXISTS )?(\w+)/) { return .table(String(match.1)) }
        }
        return nil
    }

    private var split: (immediate: String, deferred: String) {
        guard let marker = sql.firstRange(of: "\n" + Self.deferredMarker + "\n") else { return (sql, "") }
        return (String(sql[..<marker.lowerBound]) + "\n", String(sql[marker.upperBound...]))
    }
}
