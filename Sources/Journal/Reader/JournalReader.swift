import DMASim

/// Reads a journal back: the run, the machine, and every op with its outcome, in order.
///
///     let reader = try JournalReader(path: "run.db")
///     print(reader.stopDescription)
///     let cursor = try reader.makeCursor()
///     while let recorded = try cursor.next() { … recorded.op, recorded.outcome … }
///
/// The file is opened read-only; nothing a reader does changes its bytes. A journal
/// whose recording was killed opens like any other: it holds every committed batch, and
/// `isFinished` / `lastCommittedSequence` say where it stopped.
public final class JournalReader {
    /// The journal file as the caller named it.
    public let path: String
    /// `PRAGMA user_version`: the schema the file is at.
    public let schemaVersion: Int
    /// What the journal says about its recording (the `run` row).
    public let run: RunInfo
    /// The writer's `finish()` ran; false for a recording that was killed or abandoned.
    public let isFinished: Bool
    /// How many ops the journal holds.
    public let opCount: Int
    /// The last op the journal holds: after a crash, the last one committed.
    public let lastCommittedSequence: Int?
    /// Secondary indexes the journal lacks: all of them when the recording never finished
    /// and was not recovered. Queries still give the same answers, more slowly.
    public let missingIndexes: [String]
    /// The signal that cut the recording short (2 SIGINT, 15 SIGTERM); 0 when it ran to
    /// its end, was killed, or the journal predates schema 12.
    public let interruptedBy: Int32
    /// The command that made the journal, when it was stored (schema 12).
    public let commandLine: String?
    /// `run.schema_version`: the schema the recording build wrote, which migrations of
    /// the file later do not change.
    public let recordedSchemaVersion: Int
    /// Whether the recording journaled IOTLB fills (`iotlb-fill` events) and named the fill
    /// and the unmap in stale-iotlb-hit messages: a build at schema 17 or later did.
    public var journalsIOTLBFills: Bool { recordedSchemaVersion >= Self.iotlbFillsSchemaVersion }
    /// The first schema whose recordings journaled IOTLB fills.
    public static let iotlbFillsSchemaVersion = 17
    /// The schema this build writes (and migrates journals to).
    package static var currentSchemaVersion: Int { SchemaMigrator.latestVersion }

    let database: Database
    let codes: JournalCodes
    /// The columns this journal's tables have (an older schema lacks later ones).
    let columns: JournalColumns

    /// Opens `path` read-only and checks its structure (`JournalStructure`): a journal
    /// whose ops are missing, repeated or out of order is `JournalError.damaged`.
    public init(path: String) throws(JournalError) {
        let (database, version) = try JournalOpener.openReadOnly(path)
        self.path = path
        self.database = database
        schemaVersion = version
        codes = try JournalCodes(database)
        columns = try JournalColumns(database)
        let runColumns = try database.columnNames(of: "run")
        // Columns added by later schemas (012: interrupted, command_line; 016: journal_id,
        // host) read as NULL in an older journal.
        let optional = ["interrupted", "command_line", "journal_id", "host"].map { runColumns.contains($0) ? $0 : "NULL" }
        let statement = try database.prepare("""
            SELECT tool_version, seed, source, created_at, finished, (SELECT count(*) FROM ops), (SELECT max(seq) FROM ops),
                   \(optional.joined(separator: ", ")), schema_version
            FROM run WHERE id = 1
            """)
        guard try statement.step() else { throw .notAJournal(path: path, reason: "the run table is empty") }
        interruptedBy = Int32(truncatingIfNeeded: statement.int64(at: 7) ?? 0)
        commandLine = statement.text(at: 8)
        recordedSchemaVersion = statement.int(at: 11) ?? 0
        run = RunInfo(toolVersion: statement.text(at: 0) ?? "", seed: statement.uint64(at: 1),
                      source: statement.text(at: 2) ?? "", createdAt: statement.text(at: 3) ?? "",
                      journalID: statement.text(at: 9), host: statement.text(at: 10), commandLine: commandLine)
        isFinished = statement.int(at: 4) == 1
        opCount = statement.int(at: 5) ?? 0
        lastCommittedSequence = statement.int(at: 6)
        missingIndexes = try SchemaMigrator.missingIndexes(database)
        try JournalStructure.check(database, opCount: opCount, lastSequence: lastCommittedSequence)
    }

    /// The machine the journal's ops ran on until a `machine` op says otherwise: the
    /// engine's defaults, except for a journal written before schema 8 (no `ops.cpu`),
    /// whose build followed 6.16's `dma_iova_destroy`, the only one it knew.
    public var defaultMachine: MachineSpec {
        columns.ops.contains(OpsColumn.cpu.name) ? MachineSpec() : MachineSpec(kernel: .v6_16)
    }

    /// One line on how the recording ended, for `dmajournal` to print.
    public var stopDescription: String {
        let extent = lastCommittedSequence.map { "\(opCount) ops, last seq \($0)" } ?? "no ops"
        let indexes = missingIndexes.isEmpty ? "" : "; indexes not built yet (recover the journal to build them)"
        if interruptedBy != 0 {
            return "\(path): interrupted recording (stopped by \(Self.signalName(interruptedBy)); \(extent))\(indexes)"
        }
        return isFinished
            ? "\(path): complete recording (\(extent))\(indexes)"
            : "\(path): recording did not finish; it stops after the last committed batch (\(extent))\(indexes)"
    }

    /// "SIGINT", "SIGTERM", or "signal N".
    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case 1: return "SIGHUP"
        case 2: return "SIGINT"
        case 15: return "SIGTERM"
        default: return "signal \(signal)"
        }
    }

    /// A cursor over the ops with `seq >= sequence`, in order.
    public func makeCursor(fromSequence sequence: Int = 0) throws(JournalError) -> RecordedOpCursor {
        try RecordedOpCursor(database, codes: codes, columns: columns, from: Int64(sequence))
    }

    /// Every op, in order. For long journals prefer `makeCursor()`.
    public func readAll() throws(JournalError) -> [RecordedOp] {
        try makeCursor().all()
    }

    /// The topology ops that were accepted (a rejected duplicate declaration is left out),
    /// in declaration order: what a replay declares before anything else.
    public func topology() throws(JournalError) -> [Op] {
        let statement = try database.prepare("""
            SELECT \(TopologyColumn.selectList(present: columns.topology)) FROM topology JOIN ops ON ops.seq = topology.seq
            WHERE ops.status = 0 ORDER BY topology.seq
            """)
        var result: [Op] = []
        while try statement.step() {
            do throws(OpFieldsProblem) {
                result.append(try TopologyRecord.op(from: statement))
            } catch {
                throw .invalidRecord(path: path, seq: statement.int64(at: 0) ?? -1, reason: error.reason)
            }
        }
        return result
    }

    /// The topology as op-script lines (the `topology_lines` view).
    public func topologyText() throws(JournalError) -> String {
        let statement = try database.prepare("SELECT line FROM topology_lines ORDER BY seq")
        var lines: [String] = []
        while try statement.step() { lines.append(statement.text(at: 0) ?? "") }
        return lines.joined(separator: "\n")
    }
}
