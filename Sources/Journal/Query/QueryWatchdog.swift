import CSQLite

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Stops a running query when its time is up or the user asked (Ctrl-C): SQLite calls
/// `sqlite3_progress_handler` every few thousand virtual-machine steps, and a non-zero
/// answer makes the running `sqlite3_step` return SQLITE_INTERRUPT. So a query that
/// sorts 10 M rows before its first one is stopped within milliseconds, not after.
///
/// The watchdog remembers why it stopped the query, so the error names the reason
/// (`JournalError.queryStopped`) instead of SQLite's "interrupted".
public final class QueryWatchdog {
    /// Why it stopped a query: its time was up, or the user interrupted it.
    public enum Reason: Sendable, Hashable {
        /// The query ran longer than its timeout, in seconds.
        case timeout(seconds: Double)
        /// The user asked it to stop (Ctrl-C).
        case interrupted
    }

    /// When the query must stop, on the monotonic clock; nil for never.
    private let deadline: timespec?
    private let timeoutSeconds: Double?
    /// Polled with the clock: true once the user asked to stop (the CLI's SIGINT flag).
    private let isInterrupted: @Sendable () -> Bool
    /// Why it stopped the last query it stopped; nil when it stopped none.
    public private(set) var stopReason: Reason?

    /// `timeout` in seconds (nil: none); `isInterrupted` is polled as the query runs.
    public init(timeout: Double?, isInterrupted: @escaping @Sendable () -> Bool = { false }) {
        timeoutSeconds = timeout
        self.isInterrupted = isInterrupted
        guard let timeout else { deadline = nil; return }
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let whole = timeout.rounded(.down)
        var end = timespec(tv_sec: now.tv_sec + Int(whole), tv_nsec: now.tv_nsec + Int((timeout - whole) * 1e9))
        if end.tv_nsec >= 1_000_000_000 { end.tv_sec += 1; end.tv_nsec -= 1_000_000_000 }
        deadline = end
    }

    /// Checks the clock and the flag; records and returns the reason to stop, if any.
    /// Also called between rows, where no SQLite step is running.
    public func shouldStop() -> Bool {
        if stopReason != nil { return true }
        if isInterrupted() { stopReason = .interrupted; return true }
        guard let deadline, let timeoutSeconds else { return false }
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        if now.tv_sec > deadline.tv_sec || (now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec) {
            stopReason = .timeout(seconds: timeoutSeconds)
            return true
        }
        return false
    }

    /// Installs the watchdog on `database` (replacing any other progress handler). The
    /// connection keeps an unretained pointer: the runner holds the watchdog as long.
    func install(on database: Database) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        // 1,000 VM instructions is a few microseconds: cheap, and fine-grained enough.
        sqlite3_progress_handler(database.handle, 1000, { context in
            guard let context else { return 0 }
            return Unmanaged<QueryWatchdog>.fromOpaque(context).takeUnretainedValue().shouldStop() ? 1 : 0
        }, context)
    }
}
