#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How long sealing a journal waits for other processes that have it open, and what it
/// tells the user meanwhile.
///
/// A reader in the middle of a query (or a replay, which reads for as long as it runs)
/// pins the WAL: the last commits cannot be copied into the file until it is done. A
/// reader merely connected stops the switch back to `journal_mode=DELETE`. Neither may
/// make the recording fail: the writer waits, polling, and gives up only after `limit`
/// or when `shouldStop` says so (Ctrl-C) — losing nothing either way (`SealResult`).
public struct SealWaiting {
    /// How long to wait for readers at most.
    public var limit: Duration
    /// Called once, after a second of waiting, with a line naming the readers.
    public var notice: (String) -> Void
    /// Polled between attempts: true stops waiting (the journal stays complete, in WAL mode).
    public var shouldStop: () -> Bool

    /// Waiting of at most `limit`, telling `notice`, stopping when `shouldStop` says so.
    public init(limit: Duration = .seconds(60), notice: @escaping (String) -> Void = { _ in }, shouldStop: @escaping () -> Bool = { false }) {
        self.limit = limit
        self.notice = notice
        self.shouldStop = shouldStop
    }
}

/// How sealing left the file. In every case the journal is complete and committed; the
/// cases differ in which files make it up.
public enum SealResult: Equatable, Sendable {
    /// One self-contained file in `journal_mode=DELETE`.
    case singleFile
    /// Every commit is in the file, whose header still says WAL because `readers` had it
    /// open: the file alone is the whole journal (SQLite opens it as it is), though a
    /// read-only folder cannot serve it to read-only readers.
    case walModeKept(readers: String?)
    /// `readers` kept reading an older snapshot until the wait ended: the last commits are
    /// still in `PATH-wal`, which must stay beside the file (`dmajournal recover` folds it
    /// in once they are done).
    case walHoldsCommits(readers: String?)
}

extension JournalWriter {
    /// What sealing writes into `run`.
    enum SealMark {
        /// `finish()`: the run is finished, cut short by `interruptedBy` when not 0.
        case finished(interruptedBy: Int32)
        /// `recover`: the journal still says it did not finish.
        case recovered
    }

    /// Builds the deferred indexes, stores the range ends and the op count (and marks the
    /// run finished) in one transaction, then moves the WAL into the file and leaves WAL
    /// mode. A crash in the middle leaves the journal as it was before: WAL readers never
    /// see an uncommitted transaction.
    static func seal(_ database: Database, marking mark: SealMark, waiting: SealWaiting) throws(JournalError) -> SealResult {
        // A 64 MiB cache keeps the index builds in memory for journals of a few million ops.
        try database.execute("PRAGMA cache_size=-65536")
        let columns = try database.columnNames(of: "run")
        try SchemaMigrator.inTransaction(database) { () throws(JournalError) in
            if case .finished(let signal) = mark {
                try database.execute("UPDATE run SET finished = 1 WHERE id = 1")
                if signal != 0, columns.contains("interrupted") { try database.execute("UPDATE run SET interrupted = \(signal) WHERE id = 1") }
            }
            if columns.contains("sealed_op_count") {
                try database.execute("UPDATE run SET sealed_op_count = (SELECT count(*) FROM ops) WHERE id = 1")
            }
            try SchemaMigrator.buildDeferredIndexes(database)
            try RangeEndSweep.store(database)
        }
        return try leaveWAL(database, waiting: waiting)
    }

    /// Checkpoints the WAL into the file and switches to `journal_mode=DELETE`, retrying
    /// every 100 ms while other connections stand in the way, up to `waiting.limit`.
    private static func leaveWAL(_ database: Database, waiting: SealWaiting) throws(JournalError) -> SealResult {
        let clock = ContinuousClock()
        let start = clock.now
        var noticed = false
        while true {
            let checkpointed = try database.checkpointWithoutWaiting()
            if checkpointed, try switchToDelete(database) { return .singleFile }
            let waited = clock.now - start
            if waited >= waiting.limit || waiting.shouldStop() {
                let readers = FileLockHolders.describe(FileLockHolders.pids(.posix, on: database.path))
                return checkpointed ? .walModeKept(readers: readers) : .walHoldsCommits(readers: readers)
            }
            if !noticed, waited >= .seconds(1) {
                noticed = true
                let readers = FileLockHolders.describe(FileLockHolders.pids(.posix, on: database.path)) ?? "another process"
                waiting.notice("\(database.path): waiting for \(readers) to stop reading it before sealing it into one file "
                               + "(up to \(waiting.limit.components.seconds) s; Ctrl-C stops waiting and loses nothing)")
            }
            var pause = timespec(tv_sec: 0, tv_nsec: 100_000_000)
            nanosleep(&pause, nil)
        }
    }

    /// One attempt at leaving WAL mode; false while another connection has the file open.
    private static func switchToDelete(_ database: Database) throws(JournalError) -> Bool {
        do {
            return try database.text("PRAGMA journal_mode=DELETE") == "delete"
        } catch .busy {
            return false
        }
    }
}
