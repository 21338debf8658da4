#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// SIGINT, SIGTERM and SIGHUP while a capture runs: each is noted, never fatal, so the
/// capture stops and tears tracefs down whatever ended it. The first asks to stop; a
/// second asks to hurry (no draining, no waiting for the importer). SIGPIPE is ignored,
/// so a dead importer is an error returned by `write`, not the end of the process.
/// Handlers are process-wide: one capture at a time.
public enum StopSignals {
    private static let first = Atomic<Int32>(0)
    private static let count = Atomic<Int>(0)
    private static let watched: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    private static let saved = Mutex<[Int32: sigaction]>([:])

    /// The first signal received since `install()`, or nil.
    public static var received: Int32? {
        let value = first.load(ordering: .acquiring)
        return value == 0 ? nil : value
    }

    /// How many were received.
    public static var receivedCount: Int { count.load(ordering: .acquiring) }

    /// Routes the signals to the flags, saving the old dispositions.
    public static func install() {
        first.store(0, ordering: .releasing)
        count.store(0, ordering: .releasing)
        var old: [Int32: sigaction] = [:]
        for signal in watched {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                _ = StopSignals.first.compareExchange(expected: 0, desired: number, ordering: .acquiringAndReleasing)
                StopSignals.count.add(1, ordering: .acquiringAndReleasing)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0   // no SA_RESTART: a blocked read or waitpid returns EINTR
            var previous = sigaction()
            sigaction(signal, &action, &previous)
            old[signal] = previous
        }
        saved.withLock { $0 = old }
        Glibc.signal(SIGPIPE, SIG_IGN)
        // A parent may start us with these blocked (Foundation's Process blocks SIGINT).
        var set = sigset_t()
        sigemptyset(&set)
        for signal in watched { sigaddset(&set, signal) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// Puts the old dispositions back.
    public static func restore() {
        let old = saved.withLock { saved in defer { saved = [:] }; return saved }
        for (signal, action) in old {
            var previous = action
            sigaction(signal, &previous, nil)
        }
    }

    /// `SIGINT`, `SIGTERM`, … for messages.
    public static func name(_ number: Int32) -> String {
        switch number {
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        case SIGHUP: return "SIGHUP"
        case SIGKILL: return "SIGKILL"
        default: return "signal \(number)"
        }
    }
}
