/// The writer's open connection and its prepared statements, compiled once at open.
final class WriterStatements {
    let database: Database
    let codes: JournalCodes
    let names: NameInterner
    let insertOp: Statement
    let insertTopology: Statement
    let insertRange: Statement
    let insertEvent: Statement
    let insertFinding: Statement
    let insertWarning: Statement
    let insertRejection: Statement
    let insertInjection: Statement
    let begin: Statement
    let commit: Statement
    let updateMaxRange: Statement
    let deviceTally: DeviceTally
    let imports: ImportStatements

    init(_ database: Database) throws(JournalError) {
        self.database = database
        codes = try JournalCodes(database)
        names = try NameInterner(database)
        insertOp = try database.prepare(OpsColumn.insertSQL)
        insertTopology = try database.prepare(TopologyColumn.insertSQL)
        insertRange = try database.prepare(
            "INSERT INTO mapped_ranges (seq, idx, iova, phys, length, prot, bounced) VALUES (?, ?, ?, ?, ?, ?, ?)")
        insertEvent = try database.prepare("INSERT INTO events (seq, idx, kind, address, length, target) VALUES (?, ?, ?, ?, ?, ?)")
        insertFinding = try database.prepare("INSERT INTO findings (seq, idx, class, handle, message) VALUES (?, ?, ?, ?, ?)")
        insertWarning = try database.prepare("INSERT INTO warnings (seq, idx, text) VALUES (?, ?, ?)")
        insertRejection = try database.prepare("INSERT INTO rejections (seq, reason) VALUES (?, ?)")
        insertInjection = try database.prepare("INSERT INTO injections (seq, class, handle) VALUES (?, ?, ?)")
        begin = try database.prepare("BEGIN IMMEDIATE")
        commit = try database.prepare("COMMIT")
        updateMaxRange = try database.prepare("UPDATE run SET max_range_bytes = ? WHERE id = 1")
        deviceTally = try DeviceTally(database)
        imports = try ImportStatements(database)
    }
}
