#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A claim on a journal file that other dmajournal processes respect: `flock(2)` on the
/// file itself. A recording holds it exclusively from the moment it creates the file until
/// it is sealed, so `record --force`, `import --force` and `recover` refuse a journal that
/// is still being written (naming the writer's pid) instead of deleting or sealing it under
/// the writer's feet. `snapshot` holds it shared: two snapshots may run at once (SQLite
/// serialises their transactions), but not during a recording or a recovery.
///
/// Readers take no lock: a query or a replay never blocks a writer here.
///
/// Why `flock` and not SQLite's own locks: SQLite's `fcntl` locks come and go with its
/// transactions, so between two of them a journal being recorded looks idle. `flock`
/// locks belong to the open file description: they are independent of SQLite's `fcntl`
/// locks on Linux, and nothing SQLite does releases them. The one rule that follows: this
/// descriptor must outlive the SQLite connection on the same file, because closing any
/// descriptor of a file drops the process's `fcntl` locks on it (POSIX), SQLite's included.
/// Owners release the lock only after closing their connection.
final class JournalLock {
    private let descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { close(descriptor) }

    /// Locks the existing file at `path`; nil when the file cannot be opened (no such
    /// file, no permission), where SQLite's own open will say what is wrong. A file locked
    /// by another process is `JournalError.inUse`, whose message ends with `refusal`.
    static func acquire(_ path: String, exclusive: Bool, refusal: String) throws(JournalError) -> JournalLock? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)
        guard descriptor >= 0 else { return nil }
        let lock = JournalLock(descriptor: descriptor)
        try lock.take(exclusive: exclusive, path: path, refusal: refusal)
        return lock
    }

    /// Creates the file at `path` (which must not exist) and locks it exclusively, in that
    /// order and before SQLite sees it, so no other process can claim the new journal
    /// first. SQLite takes an empty file for a new database.
    static func create(_ path: String) throws(JournalError) -> JournalLock {
        let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0o644)
        guard descriptor >= 0 else {
            if errno == EEXIST { throw .alreadyExists(path: path) }
            throw .cannotWrite(path: path, reason: FileSystem.lastError)
        }
        let lock = JournalLock(descriptor: descriptor)
        try lock.take(exclusive: true, path: path, refusal: "refusing to write it")
        return lock
    }

    /// Refuses, naming the holder, when another process has `path` locked exclusively (a
    /// recording) or at all when `exclusive`; the file is left untouched either way.
    static func checkFree(_ path: String, exclusive: Bool, refusal: String) throws(JournalError) {
        _ = try acquire(path, exclusive: exclusive, refusal: refusal)
    }

    private func take(exclusive: Bool, path: String, refusal: String) throws(JournalError) {
        while flock(descriptor, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            guard errno == EWOULDBLOCK else { return }  // a file system without flock: no claim, no refusal
            let holders = FileLockHolders.describe(FileLockHolders.pids(.flock, on: path))
            throw .inUse(path: path, holder: holders, refusal: refusal)
        }
    }
}
