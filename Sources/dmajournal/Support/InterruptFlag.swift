import Journal
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// What SIGINT (Ctrl-C), SIGTERM and SIGHUP do to the tool.
///
/// Every command: the signal removes the temporary files writers keep beside their
/// outputs (`TemporaryFiles`) and exits 128 + the signal's number (130 for Ctrl-C, 143
/// for SIGTERM), as a shell reports a process it stopped.
///
/// Commands that record (`record`, `run --journal`, `import`) call `stopBetweenOps()`:
/// the first signal only raises the flag, which they check between ops; they seal the
/// journal with every op so far, mark it interrupted and exit 128 + N themselves. A
/// second signal exits at once, leaving a journal of every committed batch that
/// `dmajournal recover` completes. `query` (its watchdog interrupts SQLite, and the rows
/// already out stay valid output) and `minimize` (it writes the shortest reproducer
/// found so far) stop the same way.
enum InterruptFlag {
    /// The signal that arrived; 0 while none has.
    private static let received = Atomic<Int32>(0)
    private static let graceful = Atomic<Bool>(false)

    static var isRaised: Bool { received.load(ordering: .relaxed) != 0 }

    /// The signal that raised the flag (SIGINT, SIGTERM, SIGHUP); 0 when none did.
    static var signal: Int32 { received.load(ordering: .relaxed) }

    /// The exit status for a run the signal stopped: 128 + its number.
    static var exitStatus: Int32 { 128 + signal }

    static let handled: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// Installs the handler for every command. Called once, before the command runs.
    static func install() {
        for number in handled {
            Glibc.signal(number) { number in
                if InterruptFlag.graceful.load(ordering: .relaxed),
                   InterruptFlag.received.compareExchange(expected: 0, desired: number, ordering: .relaxed).exchanged {
                    return
                }
                // Only async-signal-safe calls from here on.
                TemporaryFiles.removeAll()
                _exit(128 + number)
            }
        }
        // A parent may start us with these signals blocked (Foundation's Process blocks
        // SIGINT): a blocked signal never reaches the handler, so unblock them.
        var set = sigset_t()
        sigemptyset(&set)
        for number in handled { sigaddset(&set, number) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// From now on the first signal only raises the flag; the command stops between ops.
    static func stopBetweenOps() {
        graceful.store(true, ordering: .relaxed)
    }
}
