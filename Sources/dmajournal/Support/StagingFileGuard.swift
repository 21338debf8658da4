#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Removes a half-written file (and SQLite's `-wal`, `-shm`, `-journal` beside it) when
/// the process dies before it could: on SIGINT, SIGTERM, SIGHUP, SIGQUIT, and on the
/// signals a Swift trap or a crash raises (SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGSEGV,
/// SIGFPE). The handler only calls `unlink` (async-signal-safe) on paths copied to C
/// memory beforehand, then lets the signal take its default course. SIGKILL cannot be
/// caught: `JournalFile.removeStaleStagingFiles` removes what such a run left, next time.
enum StagingFileGuard {
    static let suffixes = ["", "-wal", "-shm", "-journal"]
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGSEGV, SIGFPE]

    /// The C strings the handler unlinks: a fixed array the handler reads, never resized.
    nonisolated(unsafe) private static var paths: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let array = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: suffixes.count)
        array.initialize(repeating: nil, count: suffixes.count)
        return array
    }()

    /// Guards `path` until `release()`; one file at a time.
    static func guardFile(_ path: String) {
        for (index, suffix) in suffixes.enumerated() {
            paths[index] = strdup(path + suffix)
        }
        for number in signals {
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = handler
            #else
            action.__sigaction_u.__sa_handler = handler
            #endif
            action.sa_flags = Int32(truncatingIfNeeded: SA_RESETHAND)   // 0x80000000: past Int32.max
            sigemptyset(&action.sa_mask)
            sigaction(number, &action, nil)
        }
        // A parent may start us with these blocked (Foundation's Process blocks every
        // signal in its children): a blocked SIGTERM would never reach the handler.
        var handled = sigset_t()
        sigemptyset(&handled)
        for number in signals { sigaddset(&handled, number) }
        pthread_sigmask(SIG_UNBLOCK, &handled, nil)
    }

    /// Stops guarding: the file was moved into place or removed.
    static func release() {
        for number in signals { signal(number, SIG_DFL) }
        for index in suffixes.indices {
            let path = paths[index]
            paths[index] = nil
            free(path)
        }
    }

    private static let handler: @convention(c) (Int32) -> Void = { signal in
        for index in 0..<StagingFileGuard.suffixes.count {
            if let path = StagingFileGuard.paths[index] { unlink(path) }
        }
        // SA_RESETHAND restored the default action: raising again ends the process as the
        // signal would have (a trap returns to the faulting instruction and faults again).
        raise(signal)
    }
}
