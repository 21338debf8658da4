/// The shape every journal's rows have, checked whenever one is opened for reading: the
/// ops are seq 0, 1, 2, … with nothing missing, repeated or out of range; a sealed journal
/// still holds the number of ops it was sealed with; every snapshot was taken after an op
/// the journal holds.
///
/// Replay and bisect rely on that shape, and damage that breaks it would otherwise show
/// up as something it is not: a deleted tail as "complete, all identical", a hole as a
/// model divergence (and bisect then names the wrong op), a repeated seq as a trap. So it
/// is reported here, as damage, in one line naming the first place it was found.
///
/// Cost: one count (which the reader makes anyway), two primary-key lookups and a look at
/// the snapshots table; the searches that locate a hole run only once damage is known.
/// Rows changed in place (an op's length edited) keep the shape: replay finds those as a
/// divergence at that op.
enum JournalStructure {
    static func check(_ database: Database, opCount: Int, lastSequence: Int?) throws(JournalError) {
        let path = database.path
        func damaged(_ detail: String) -> JournalError { .damaged(path: path, detail: detail) }
        // Without its key the searches below would be quadratic; the table was rebuilt by hand.
        if try !seqIsPrimaryKey(database) {
            if let repeated = try database.integer("SELECT seq FROM ops GROUP BY seq HAVING count(*) > 1 ORDER BY seq LIMIT 1") {
                throw damaged("op seq \(repeated) appears more than once (the ops table lost its primary key)")
            }
            throw damaged("the ops table lost its primary key on seq (rebuilt by hand?)")
        }
        let first = try database.integer("SELECT min(seq) FROM ops")
        if let first, first != 0 {
            throw damaged(first < 0 ? "an op at seq \(first), before the first op (seq 0)" : "ops 0…\(first - 1) are missing (the first op is seq \(first))")
        }
        if let lastSequence, lastSequence != opCount - 1 {
            let hole = try database.integer("SELECT seq + 1 FROM ops o WHERE NOT EXISTS (SELECT 1 FROM ops n WHERE n.seq = o.seq + 1) ORDER BY seq LIMIT 1") ?? 0
            let end = try database.integer("SELECT min(seq) - 1 FROM ops WHERE seq > \(hole)") ?? hole
            throw damaged("\(hole == end ? "op \(hole) is" : "ops \(hole)…\(end) are") missing (\(opCount) ops between seq 0 and \(lastSequence))")
        }
        let columns = try database.columnNames(of: "run")
        if columns.contains("sealed_op_count"), let sealed = try database.integer("SELECT sealed_op_count FROM run WHERE id = 1"), sealed != opCount {
            throw damaged(sealed > opCount
                ? "it was sealed with \(sealed) ops and holds \(opCount): ops \(opCount)…\(sealed - 1) were deleted"
                : "it was sealed with \(sealed) ops and holds \(opCount): ops were added after it was sealed")
        }
        try checkSnapshots(database, lastSequence: lastSequence, damaged: damaged)
    }

    /// Every snapshot and checkpoint stands after an op the journal holds.
    private static func checkSnapshots(_ database: Database, lastSequence: Int?, damaged: (String) -> JournalError) throws(JournalError) {
        guard try database.integer("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'snapshots'") == 1 else { return }
        let last = Int64(lastSequence ?? -1)
        let outside = try database.prepare("SELECT name, kind, seq FROM snapshots WHERE seq IS NULL OR seq < 0 OR seq > ? ORDER BY id LIMIT 1")
        outside.bind(last, at: 1)
        guard try outside.step() else { return }
        let name = outside.text(at: 0) ?? "", kind = outside.text(at: 1) ?? "snapshot"
        let seq = outside.int64(at: 2).map { "after seq \($0)" } ?? "with no seq"
        throw damaged("\(kind) '\(name)' was taken \(seq), outside the ops the journal holds (0…\(last))")
    }

    /// Whether `ops.seq` is still the table's INTEGER PRIMARY KEY (the rowid), which keeps
    /// seqs unique without a scan.
    private static func seqIsPrimaryKey(_ database: Database) throws(JournalError) -> Bool {
        let statement = try database.prepare("SELECT type, pk FROM pragma_table_info('ops') WHERE name = 'seq'")
        guard try statement.step() else { return false }
        return statement.text(at: 0)?.uppercased() == "INTEGER" && statement.int(at: 1) == 1
    }
}
