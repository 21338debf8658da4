import DMASim
import Foundation
@testable import Journal

/// Damages journal files the ways disks, hands and half-finished tools do: a column set to
/// an edge value, a row deleted or repeated under another key, a seq moved, bytes of the
/// file overwritten. Every change is a plain SQL statement or a byte write, chosen by a
/// seeded generator, so a failing input is reproduced by its seed and index.
struct JournalMutator {
    private var random: SeededGenerator

    init(seed: UInt64) { random = SeededGenerator(seed: seed) }

    static let tables = ["ops", "ops", "ops", "topology", "mapped_ranges", "events", "findings", "warnings", "rejections", "names", "run",
                         "snapshots", "snapshot_chunks", "chunks", "checkpoints", "range_ends", "device_totals", "named_queries",
                         "op_kind", "status_kind", "fault_kind", "event_kind", "direction", "dma_attr", "errno_name"]
    static let values = ["NULL", "0", "1", "-1", "2", "7", "255", "4096", "-4096", "65536", "281474976710656", "4611686018427387904",
                         "9223372036854775807", "-9223372036854775808", "3.5", "'x'", "''", "x'00'", "x'ffffffffffffffff'"]

    /// What it did, for the failure message.
    private(set) var log: [String] = []

    mutating func damage(_ path: String) throws {
        log = []
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            if Int.random(in: 0..<8, using: &random) == 0 { try overwriteBytes(path) } else { try changeRows(path) }
        }
    }

    private mutating func changeRows(_ path: String) throws {
        let database = try Database(path: path, flags: 0x2 /* SQLITE_OPEN_READWRITE */)
        let table = pick(Self.tables)
        guard let rows = try? database.integer("SELECT count(*) FROM \(table)"), rows > 0 else { return }
        let columns = try database.columnNames(of: table).sorted()
        let row = "(SELECT rowid FROM \(table) LIMIT 1 OFFSET \(Int.random(in: 0..<Int(rows), using: &random)))"
        let sql: String
        switch Int.random(in: 0..<5, using: &random) {
        case 0: sql = "DELETE FROM \(table) WHERE rowid = \(row)"
        case 1:
            let key = columns.contains("seq") ? "seq" : pick(columns)
            sql = "CREATE TEMP TABLE copy AS SELECT * FROM \(table) WHERE rowid = \(row); UPDATE copy SET \(key) = \(pick(Self.values)); "
                + "INSERT OR IGNORE INTO \(table) SELECT * FROM copy"
        default: sql = "UPDATE OR IGNORE \(table) SET \(pick(columns)) = \(pick(Self.values)) WHERE rowid = \(row)"
        }
        log.append(sql)
        // A change SQLite refuses (a constraint, a WITHOUT ROWID table) is no damage.
        try? database.execute(sql)
    }

    private mutating func overwriteBytes(_ path: String) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        let size = try handle.seekToEnd()
        guard size > 0 else { return }
        for _ in 0..<Int.random(in: 1...8, using: &random) {
            let offset = UInt64.random(in: 0..<size, using: &random)
            try handle.seek(toOffset: offset)
            let bytes = (0..<Int.random(in: 1...16, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            handle.write(Data(bytes))
            log.append("\(bytes.count) bytes at \(offset)")
        }
    }

    private mutating func pick<T>(_ values: [T]) -> T { values[Int.random(in: 0..<values.count, using: &random)] }
}
