import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Set by SIGINT (Ctrl-C): long commands check it between ops and stop cleanly, so the
/// journal keeps everything up to the last op instead of losing the open batch.
enum InterruptFlag {
    private static let raised = Atomic<Bool>(false)

    static var isRaised: Bool { raised.load(ordering: .relaxed) }

    /// Routes SIGINT to the flag. A second Ctrl-C still stops the process at once.
    static func install() {
        signal(SIGINT) { _ in
            if InterruptFlag.raised.exchange(true, ordering: .relaxed) { _exit(130) }
        }
        // A parent may start us with SIGINT blocked (Foundation's Process does): a
        // blocked signal never reaches the handler, so unblock it.
        var interrupt = sigset_t()
        sigemptyset(&interrupt)
        sigaddset(&interrupt, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &interrupt, nil)
    }
}
