/// Which columns a journal's op tables have. A journal keeps the schema it was written
/// with, so one from before schema 5 has no `ops.claims` and one from before 8 no
/// `ops.cpu`, `ops.time_ns` or machine columns in `topology`; readers select NULL for
/// those. Asking the file, not comparing version numbers, keeps this right whichever
/// numbered schema files a build has (the numbers may have gaps).
struct JournalColumns: Sendable {
    let ops: Set<String>
    let topology: Set<String>

    init(_ database: Database) throws(JournalError) {
        ops = try database.columnNames(of: OpsColumn.table)
        topology = try database.columnNames(of: TopologyColumn.table)
    }
}
