// stdio's `stdout` is a C global, which Swift 6 treats as shared mutable state; this file
// only flushes it once, on the main thread, after the command has run.
@preconcurrency import Glibc

/// Standard output, checked once at exit: `print` hands text to stdio, which reports a
/// failed write (a full disk, `/dev/full`, a closed pipe's EIO) only through `ferror` and
/// the final flush. Unchecked, a command whose output was lost exited 0.
enum StandardOutput {
    /// Flushes standard output; nil when every byte was written, else why not.
    static func flush() -> String? {
        errno = 0
        let failed = fflush(stdout) != 0 || ferror(stdout) != 0
        guard failed else { return nil }
        return errno != 0 ? String(cString: strerror(errno)) : "write error"
    }
}
