import CSQLite

/// What went wrong with a journal file, as one line that names the file and the problem.
/// The command-line tool prints `description` and exits non-zero.
///
/// These are the tool's own failures. A simulated kernel error (`-EIO`, a fault) is data
/// in an `Outcome` and is recorded, never thrown.
public enum JournalError: Error, Sendable, Hashable, CustomStringConvertible {
    /// There is no file at `path`.
    case missingFile(path: String)
    /// A writer refused to replace an existing file (pass `force`).
    case alreadyExists(path: String)
    /// SQLite could not open the file at all (a directory, no permission).
    case cannotOpen(path: String, message: String)
    /// A readable file that is not a dmajournal journal: not SQLite, or SQLite without
    /// the journal's marks and tables.
    case notAJournal(path: String, reason: String)
    /// The journal was written by a newer tool than this one.
    case newerSchema(path: String, found: Int, supported: Int)
    /// SQLite reported the database as damaged.
    case corrupt(path: String, message: String)
    /// The user's SQL did not compile or failed while running.
    case badSQL(path: String, message: String, sql: String)
    /// The user's SQL would change the journal; queries are read-only.
    case readOnly(path: String, sql: String)
    /// More than one statement in one query.
    case multipleStatements(path: String, sql: String)
    /// The query text held no statement.
    case emptyQuery(path: String)
    /// `query --named` asked for a query the journal does not carry; `known` are the ones it does.
    case unknownNamedQuery(path: String, name: String, known: [String])
    /// A `:name` parameter the query uses was not given.
    case missingParameter(path: String, name: String)
    /// A value was given for a parameter the query does not have.
    case unknownParameter(path: String, name: String, known: [String])
    /// The query was stopped by its `--timeout` or by Ctrl-C (`QueryWatchdog`).
    case queryStopped(path: String, reason: QueryWatchdog.Reason)
    /// A row that cannot be turned back into an op (unknown code, missing column).
    case invalidRecord(path: String, seq: Int64, reason: String)
    /// Any other SQLite failure, with SQLite's message.
    case sqlite(path: String, code: Int32, message: String)
    /// The file cannot be created or replaced: not a regular file, no permission, a
    /// read-only file system.
    case cannotWrite(path: String, reason: String)
    /// Another dmajournal process holds the journal (`JournalLock`): a recording still
    /// running, a snapshot or a recovery. `holder` names it when /proc/locks does;
    /// `refusal` says what this process did not do and what to do instead.
    case inUse(path: String, holder: String?, refusal: String)
    /// SQLite waited its busy timeout for another connection's lock and gave up.
    case busy(path: String, holders: String?)
    /// The file system is full (SQLITE_FULL, ENOSPC).
    case diskFull(path: String)
    /// The operating system failed a read or write (SQLITE_IOERR).
    case ioError(path: String, message: String)
    /// A write was interrupted (a killed `snapshot`) and left `PATH-journal`, which only a
    /// connection that may write can roll back (SQLITE_READONLY_ROLLBACK).
    case hotJournal(path: String)
    /// The file was deleted or replaced while this process had it open for writing
    /// (SQLITE_READONLY_DBMOVED): what `record --force` by another process used to do.
    case fileReplaced(path: String)
    /// The journal's structure is broken: ops missing, duplicated or out of range,
    /// snapshots outside the ops, a chunk outside memory (`JournalStructure`). Damage,
    /// never a model divergence.
    case damaged(path: String, detail: String)
    /// Snapshot or checkpoint data that cannot be read back: a damaged or missing chunk,
    /// an incomplete snapshot, an engine state that does not decode. `table` is where the
    /// damage is, `detail` names the snapshot and chunk. Never a difference in memory.
    case corruptSnapshot(path: String, table: String, detail: String)
    /// No snapshot or checkpoint of that name (taken at or before op `atOrBefore`).
    case unknownSnapshot(path: String, name: String, known: [String], atOrBefore: Int? = nil)
    /// A replay was asked to start at a snapshot that has no engine state.
    case notACheckpoint(path: String, name: String, checkpoints: [String])

    /// One line, always: SQLite quotes damaged schema text and file names may hold
    /// anything, so control characters are written as escapes (`\n`, `\x1b`).
    public var description: String { VisibleText.oneLine(text) }

    private var text: String {
        switch self {
        case .missingFile(let path):
            return "\(path): no such file"
        case .alreadyExists(let path):
            return "\(path): already exists; refusing to overwrite it without --force"
        case .cannotOpen(let path, let message):
            return "\(path): cannot open: \(message)"
        case .notAJournal(let path, let reason):
            return "\(path): not a dmajournal journal (\(reason))"
        case .newerSchema(let path, let found, let supported):
            return "\(path): journal schema version \(found) is newer than this tool reads (up to \(supported)); use a newer dmajournal"
        case .corrupt(let path, let message):
            return "\(path): corrupt database: \(message)"
        case .badSQL(let path, let message, let sql):
            return "\(path): SQL error: \(message) in: \(Self.oneLine(sql))"
        case .readOnly(let path, let sql):
            return "\(path): journals are opened read-only; refused: \(Self.oneLine(sql))"
        case .multipleStatements(let path, let sql):
            return "\(path): one statement per query, found more in: \(Self.oneLine(sql))"
        case .emptyQuery(let path):
            return "\(path): the query is empty"
        case .unknownNamedQuery(let path, let name, let known):
            let renamed = name == "lifetimes" ? " (since schema 13: mapping-lifetimes; state-lifetimes is the other)" : ""
            return "\(path): no named query '\(name)'\(renamed); known: \(known.joined(separator: ", "))"
        case .missingParameter(let path, let name):
            return "\(path): the query needs parameter :\(name)"
        case .unknownParameter(let path, let name, let known):
            let list = known.isEmpty ? "it has none" : "it has " + known.map { ":" + $0 }.joined(separator: ", ")
            return "\(path): the query has no parameter :\(name); \(list)"
        case .queryStopped(let path, .timeout(let seconds)):
            return "\(path): the query ran past its --timeout of \(seconds) s and was stopped"
        case .queryStopped(let path, .interrupted):
            return "\(path): the query was interrupted"
        case .invalidRecord(let path, let seq, let reason):
            return "\(path): op \(seq) cannot be read back: \(reason)"
        case .sqlite(let path, let code, let message):
            return "\(path): SQLite failed: \(message) (result code \(code))"
        case .cannotWrite(let path, let reason):
            return "\(path): cannot write: \(reason)"
        case .inUse(let path, let holder, let refusal):
            return "\(path): in use by \(holder ?? "another dmajournal process"); \(refusal)"
        case .busy(let path, let holders):
            return "\(path): locked by \(holders ?? "another process") for longer than \(Database.busyTimeoutMilliseconds / 1000) s; "
                + "try again when it has finished"
        case .diskFull(let path):
            return "\(path): no space left on the device (SQLite: database or disk is full)"
        case .ioError(let path, let message):
            return "\(path): I/O error: \(message)"
        case .hotJournal(let path):
            return "\(path): an interrupted write (a killed snapshot?) left \(path)-journal, which only a writer can roll back: "
                + "run `dmajournal recover \(path)`, as a user who may write to its folder"
        case .fileReplaced(let path):
            return "\(path): the file was deleted or replaced by another process while this one wrote it; what was written is lost with it"
        case .damaged(let path, let detail):
            return "\(path): damaged journal: \(detail)"
        case .corruptSnapshot(let path, let table, let detail):
            return "\(path): corrupt journal: table \(table): \(detail)"
        case .unknownSnapshot(let path, let name, let known, let sequence):
            let list = known.isEmpty ? "the journal holds none" : "known: \(known.joined(separator: ", "))"
            return "\(path): no snapshot or checkpoint named '\(name)'\(sequence.map { " taken at or before seq \($0)" } ?? ""); \(list)"
        case .notACheckpoint(let path, let name, let checkpoints):
            let list = checkpoints.isEmpty ? "the journal holds none" : "checkpoints: \(checkpoints.joined(separator: ", "))"
            return "\(path): '\(name)' is a snapshot without engine state, not a checkpoint; \(list)"
        }
    }

    /// SQL as one line, cut short: an error message stays one line however long the query.
    static func oneLine(_ sql: String, limit: Int = 120) -> String {
        let words = sql.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" })
        let line = words.joined(separator: " ")
        return line.count > limit ? String(line.prefix(limit)) + "…" : line
    }
}

extension JournalError {
    /// Classifies a failed SQLite call. `sql` is the statement involved, when the failure
    /// is about a statement (so a syntax error reads as bad SQL).
    init(sqliteCode code: Int32, message: String, path: String, sql: String?) {
        switch SQLiteCode.primary(code) {
        case SQLITE_CORRUPT:
            self = .corrupt(path: path, message: message)
        case SQLITE_NOTADB:
            self = .notAJournal(path: path, reason: message)
        case SQLITE_AUTH:
            // Only QueryRunner's authorizer denies anything.
            self = .readOnly(path: path, sql: sql ?? "")
        case SQLITE_ERROR where sql != nil:
            self = .badSQL(path: path, message: message, sql: sql ?? "")
        case SQLITE_BUSY, SQLITE_LOCKED:
            self = .busy(path: path, holders: FileLockHolders.describe(FileLockHolders.pids(.posix, on: path)))
        case SQLITE_FULL:
            self = .diskFull(path: path)
        case SQLITE_IOERR:
            self = .ioError(path: path, message: message)
        case SQLITE_READONLY where code == SQLiteCode.readOnlyRollback:
            self = .hotJournal(path: path)
        case SQLITE_READONLY where code == SQLiteCode.readOnlyMoved:
            self = .fileReplaced(path: path)
        case SQLITE_READONLY:
            self = .cannotWrite(path: path, reason: "the file or its folder is read-only (\(message))")
        case SQLITE_CANTOPEN:
            self = .cannotOpen(path: path, message: message)
        default:
            self = .sqlite(path: path, code: code, message: message)
        }
    }
}
