import Journal

#if canImport(Glibc)
import Glibc
#endif

/// Removes the staging files writers keep beside their outputs (`TemporaryFiles`) when a
/// trap or a crash ends the process — a Swift trap is SIGILL or SIGTRAP, `abort` SIGABRT —
/// then lets the crash go on exactly as before: the handler that was there (Swift's
/// backtracer, which prints the crash) gets the signal next. SIGKILL cannot be caught;
/// only it can leave a staging file behind.
enum CrashCleanup {
    static let signals: [Int32] = [SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGSEGV, SIGFPE]

    /// The actions installed before ours, by position in `signals`, restored by the handler.
    nonisolated(unsafe) private static let previous: UnsafeMutablePointer<sigaction> = {
        let actions = UnsafeMutablePointer<sigaction>.allocate(capacity: 6)
        actions.initialize(repeating: sigaction(), count: 6)
        return actions
    }()

    static func install() {
        for (index, number) in signals.enumerated() {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = handler
            sigemptyset(&action.sa_mask)
            sigaction(number, &action, previous + index)
        }
    }

    /// Async-signal-safe: unlink, sigaction and raise only; no Swift array is read.
    private static let handler: @convention(c) (Int32) -> Void = { number in
        TemporaryFiles.removeAll()
        let index: Int
        switch number {
        case SIGILL: index = 0
        case SIGTRAP: index = 1
        case SIGABRT: index = 2
        case SIGBUS: index = 3
        case SIGSEGV: index = 4
        default: index = 5
        }
        sigaction(number, CrashCleanup.previous + index, nil)
        // Pending until this handler returns, then delivered to the restored handler (a
        // fault would also recur on its own when the instruction runs again).
        raise(number)
    }
}
