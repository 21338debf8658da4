import DMASim
import Journal

/// What `push` needs to know about a journal before copying it, and the checks that
/// keep a journal out of the store: it must be sealed (a killed recording is not finished
/// until `dmajournal recover`), of the schema the store mirrors, and carry its id.
struct JournalFacts {
    let journalID: String
    let opCount: Int
    let values: [String?]

    static let insertSQL = """
        INSERT INTO \(StoreSchema.name).journals
            (journal, host, workload, source, seed, arch, kernel, cpus, hz, tool_version, schema_version, command_line,
             created_at, op_count, last_seq, file)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
        RETURNING id
        """

    static func read(path: String, expecting schemaVersion: Int) throws(FleetError) -> JournalFacts {
        let reader: JournalReader
        do { reader = try JournalReader(path: path) } catch { throw .journal(error.description) }
        guard reader.schemaVersion == schemaVersion else {
            throw .unpushable(path: path, reason: "journal schema \(reader.schemaVersion), but the store takes schema \(schemaVersion) journals (those this dmajournal writes, which carry the journal id a store keys rows by): record it again, or export it and run the script with this dmajournal")
        }
        guard reader.isFinished else {
            throw .unpushable(path: path, reason: "the recording did not finish (killed, or still being written): `dmajournal recover \(path)` seals it, then push it")
        }
        guard let journalID = reader.run.journalID, JournalID.isWellFormed(journalID) else {
            throw .unpushable(path: path, reason: "the journal has no journal id (run.journal_id)")
        }
        let machine = try machineLine(path: path, reader: reader)
        let run = reader.run
        let values: [String?] = [
            journalID, run.host, workload(run.source), run.source, run.seed.map { String(Int64(bitPattern: $0)) },
            machine.arch, machine.kernel, machine.cpus, machine.hz,
            run.toolVersion, String(reader.schemaVersion), run.commandLine, run.createdAt,
            String(reader.opCount), reader.lastCommittedSequence.map(String.init), fileName(path),
        ]
        return JournalFacts(journalID: journalID, opCount: reader.opCount, values: values)
    }

    /// The machine the journal ran on: its `machine` line, or the defaults a journal
    /// without one ran on (`JournalReader.defaultMachine`).
    private static func machineLine(path: String, reader: JournalReader) throws(FleetError) -> (arch: String?, kernel: String?, cpus: String?, hz: String?) {
        let rows = try SQLiteFile(path: path).textRows("""
            SELECT t.arch, t.kernel, t.cpus, t.hz FROM topology t JOIN ops o ON o.seq = t.seq
             WHERE t.kind = 'machine' AND o.status = 0 ORDER BY t.seq LIMIT 1
            """)
        if let row = rows.first { return (row[0], row[1], row[2], row[3]) }
        let machine = reader.defaultMachine
        return (machine.arch.rawValue, machine.kernel.rawValue, String(machine.cpuCount), String(machine.hz))
    }

    /// `record --workload nvme` writes run.source "workload nvme": the store's workload
    /// column says "nvme", so `--where "workload = 'nvme'"` finds it. A script's path
    /// (or an import's source) stays as it is.
    static func workload(_ source: String?) -> String? {
        guard let source, source.hasPrefix("workload ") else { return source }
        return String(source.dropFirst("workload ".count))
    }

    private static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
