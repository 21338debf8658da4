import CSQLite
import DMASim

/// Records ops and their outcomes into a new journal file: the `EventSink` the recording
/// pipeline hands each applied op to.
///
///     let writer = try JournalWriter(path: "run.db", force: false, run: info)
///     for (sequence, op) in ops.enumerated() {
///         try writer.record(op, outcome: engine.apply(op), sequence: sequence, sourceLine: nil)
///     }
///     try writer.finish()
///
/// While recording, the database is in WAL mode with `synchronous=NORMAL`, and ops are
/// committed `batchSize` at a time: a process killed mid-recording leaves a valid
/// database holding every committed batch (`JournalReader` reports where it stopped).
/// `finish()` commits the rest, checkpoints the WAL and switches back to
/// `journal_mode=DELETE`, so one self-contained file remains.
///
/// After a thrown error the writer should be abandoned: the ops committed so far stay
/// readable, the open batch is rolled back when the connection closes.
public final class JournalWriter {
    /// Ops a transaction commits at a time unless the caller says otherwise.
    public static let defaultBatchSize = 10_000

    /// The journal file being written.
    public let path: String
    /// Ops per committed transaction.
    public let batchSize: Int
    // @exclusivity(unchecked) on the per-op state: see NameInterner.
    /// Ops recorded so far, committed or not.
    @exclusivity(unchecked) public private(set) var recordedCount = 0

    @exclusivity(unchecked) private var statements: WriterStatements?
    /// Snapshot tables on this connection, made on first use (JournalWriter+Snapshots).
    var openSnapshotTables: SnapshotTables?
    /// The open connection; nil after `finish()`.
    var openDatabase: Database? { statements?.database }
    /// The open batch's ranges and events, inserted by `commitBatch` (see `PendingChildRows`).
    @exclusivity(unchecked) var pendingChildRows = PendingChildRows()
    @exclusivity(unchecked) private var opsInBatch = 0
    @exclusivity(unchecked) private var maxRangeBytes: UInt64 = 0
    private var storedMaxRangeBytes: UInt64 = 0

    /// Creates the journal at `path`. An existing file is an error unless `force`, which
    /// replaces it (and any `-wal`/`-shm` beside it) — unless another process is still
    /// writing it (`JournalError.inUse`, naming the process). A symbolic link is followed:
    /// the journal is written where it points. Anything but a regular file is refused.
    ///
    /// The file stays locked (`JournalLock`) until `finish()`, so no other dmajournal
    /// process replaces, recovers or snapshots it meanwhile.
    public init(path: String, force: Bool = false, run: RunInfo, batchSize: Int = JournalWriter.defaultBatchSize) throws(JournalError) {
        precondition(batchSize > 0, "batchSize must be positive")
        let file: String
        do { file = try OutputPath(path).resolved } catch { throw .cannotWrite(path: path, reason: error.reason) }
        if FileSystem.exists(file) {
            guard force else { throw .alreadyExists(path: path) }
            try JournalLock.checkFree(file, exclusive: true, refusal: "refusing to replace it: let that process finish, or write another file")
            FileSystem.removeJournal(at: file)
        }
        let lock = try JournalLock.create(file)
        // Files beside a journal that is no longer there belong to no one; SQLite would
        // take a stale -wal for this new file's.
        FileSystem.removeJournalSidecars(of: file)
        self.path = path
        self.batchSize = batchSize
        let database = try Database(path: file, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        database.lock = lock
        // WAL: a commit appends to the -wal file, and a killed process loses only the open
        // batch. NORMAL: no fsync per commit (a process crash loses nothing committed;
        // only a power cut can lose the last batches). Checkpoints every 10,000 WAL pages
        // (~40 MB) instead of 1,000: each one waits for two fsyncs, and at the default a 1M-op
        // recording spent ~1 s of wall clock in ~30 of them (issue #8); how often the WAL
        // is copied into the file changes nothing a crash keeps. The page cache stays at
        // SQLite's default while recording, since appends touch only the right edge of each
        // B-tree (seal() enlarges it for the index builds).
        try database.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=10000")
        try SchemaMigrator.migrate(database)
        try Self.insertRun(run, batchSize: batchSize, into: database)
        let statements = try WriterStatements(database)
        let missing = statements.codes.missing
        precondition(missing.isEmpty, "schema/ has no code for \(missing.joined(separator: ", "))")
        self.statements = statements
        try statements.begin.execute()
    }

    private static func insertRun(_ run: RunInfo, batchSize: Int, into database: Database) throws(JournalError) {
        let insert = try database.prepare("""
            INSERT INTO run (id, tool_version, schema_version, seed, source, created_at, batch_size, journal_id, host, command_line)
            VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insert.bind(run.toolVersion, at: 1)
        insert.bind(SchemaMigrator.latestVersion, at: 2)
        insert.bind(run.seed, at: 3)
        insert.bind(run.source, at: 4)
        insert.bind(run.createdAt, at: 5)
        insert.bind(batchSize, at: 6)
        insert.bind(run.journalID ?? JournalID.random(), at: 7)
        insert.bind(run.host, at: 8)
        insert.bind(run.commandLine, at: 9)
        try insert.execute()
    }

    /// Records op number `sequence` and its outcome. Sequences must be distinct; they are
    /// normally 0, 1, 2, … in apply order. `claims` is the op-script text after `=>` the
    /// op was run with, if any.
    public func record(_ op: Op, outcome: Outcome, sequence: Int, sourceLine: Int?, claims: String?) throws(JournalError) {
        let statements = openStatements
        try insert(OpFields(op), op, outcome: outcome, sequence: sequence, sourceLine: sourceLine, claims: claims, statements)
        try countRecorded(statements)
    }

    /// The statements of the open journal; recording after `finish()` is a programming error.
    var openStatements: WriterStatements {
        guard let statements else { preconditionFailure("JournalWriter used after finish()") }
        return statements
    }

    /// Writes one op's rows: `ops`, its `topology` row for a declaration (with NULL in
    /// `unknownTopology`), and its findings, warnings and rejection; keeps its ranges and
    /// events for the batch's commit; and counts it in its device's totals.
    func insert(_ fields: OpFields, _ op: Op, outcome: Outcome, sequence: Int, sourceLine: Int?, claims: String? = nil,
                unknownTopology: [TopologyColumn] = [], _ statements: WriterStatements) throws(JournalError) {
        let seq = Int64(sequence)
        let device = try insertOp(fields, outcome: outcome, seq: seq, sourceLine: sourceLine, claims: claims, statements)
        statements.deviceTally.count(op.kind, length: fields.length, outcome: outcome, device: device)
        if op.kind.isTopology {
            TopologyRecord.bind(op, seq: sequence, to: statements.insertTopology)
            for column in unknownTopology { statements.insertTopology.bind(nil as Int64?, at: column.rawValue) }
            try statements.insertTopology.execute()
        }
        try insertChildren(of: outcome, seq: seq, statements)
    }

    /// Counts one recorded op and commits the batch when it is full.
    func countRecorded(_ statements: WriterStatements) throws(JournalError) {
        recordedCount += 1
        opsInBatch += 1
        if opsInBatch >= batchSize { try commitBatch(statements, thenBegin: true) }
    }

    /// Marks op `sequence` (already recorded) as the place where a workload committed an
    /// injected misuse of `injectionClass` on `handle`. Only tests and curious users read
    /// the mark; replay, bisect and minimise never do.
    public func markInjection(sequence: Int, injectionClass: String, handle: String) throws(JournalError) {
        let statements = openStatements
        statements.insertInjection.bind(Int64(sequence), at: 1)
        statements.insertInjection.bind(injectionClass, at: 2)
        statements.insertInjection.bind(handle, at: 3)
        try statements.insertInjection.execute()
    }

    /// Records an op that claimed nothing.
    public func record(_ op: Op, outcome: Outcome, sequence: Int, sourceLine: Int?) throws(JournalError) {
        try record(op, outcome: outcome, sequence: sequence, sourceLine: sourceLine, claims: nil)
    }

    /// Commits what is left, builds the secondary indexes, checkpoints the WAL into the
    /// file, switches to `journal_mode=DELETE` and closes: one self-contained file remains.
    /// `interruptedBy` is the signal that cut the recording short (SIGINT, SIGTERM), kept
    /// in `run.interrupted`; 0 when it ran to its end.
    ///
    /// Readers do not make it fail: it waits for them as `waiting` says (see
    /// `SealWaiting`) and returns how it left the file.
    @discardableResult
    public func finish(interruptedBy signal: Int32, waiting: SealWaiting = SealWaiting()) throws(JournalError) -> SealResult {
        guard let statements else { return .singleFile }
        try commitBatch(statements, thenBegin: false)
        openSnapshotTables = nil
        let result = try Self.seal(statements.database, marking: .finished(interruptedBy: signal), waiting: waiting)
        self.statements = nil
        return result
    }

    /// Seals a recording that ran to its end, waiting for readers the default time.
    public func finish() throws(JournalError) {
        try finish(interruptedBy: 0)
    }

    /// Completes the journal of a recording that was killed or abandoned: builds its
    /// secondary indexes and leaves one self-contained file, as `finish()` would have. The
    /// ops stay as they were committed, and the journal still says it did not finish.
    /// An interrupted write an earlier process left (a hot `-journal`) is rolled back
    /// first, as any read-write open does. Refuses a journal another process is still
    /// writing (`JournalError.inUse`).
    @discardableResult
    public static func recover(path: String, waiting: SealWaiting = SealWaiting()) throws(JournalError) -> SealResult {
        let lock = try JournalLock.acquire(path, exclusive: true, refusal: "recover is for a recording that was killed: let that process finish")
        let database = try JournalOpener.open(path, readOnly: false).database
        database.lock = lock
        return try seal(database, marking: .recovered, waiting: waiting)
    }

    /// Refuses, naming the writer, when another process is writing the journal at `path`
    /// (`JournalError.inUse`); for a command about to replace it by other means (`import
    /// --force` renames a finished journal over it).
    public static func checkReplaceable(_ path: String) throws(JournalError) {
        try JournalLock.checkFree(path, exclusive: true, refusal: "refusing to replace it: let that process finish, or write another file")
    }

    /// Ends the open transaction. The batch's ranges and events, `max_range_bytes` and the
    /// device totals are written inside it, so whatever a crash leaves behind is consistent
    /// with the ops it holds.
    private func commitBatch(_ statements: WriterStatements, thenBegin: Bool) throws(JournalError) {
        try insertPendingChildRows(statements)
        try statements.deviceTally.store()
        if maxRangeBytes != storedMaxRangeBytes {
            statements.updateMaxRange.bind(maxRangeBytes, at: 1)
            try statements.updateMaxRange.execute()
            storedMaxRangeBytes = maxRangeBytes
        }
        try statements.commit.execute()
        opsInBatch = 0
        if thenBegin { try statements.begin.execute() }
    }

    /// Notes a range's length for the `max_range_bytes` bound.
    func noteRange(lengthBytes: UInt64) {
        if lengthBytes > maxRangeBytes { maxRangeBytes = lengthBytes }
    }
}
