#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The command a capture traces (`capture -- COMMAND ARGS`): spawned with the default
/// signal dispositions and an empty signal mask (whatever the capture set for itself),
/// in the capture's process group, so a terminal's Ctrl-C reaches both.
public final class ChildProcess {
    public let pid: pid_t
    public let arguments: [String]
    public private(set) var exitStatus: Int32?
    /// The signal that ended it, when one did.
    public private(set) var terminatingSignal: Int32?

    /// Starts `arguments[0]` (looked up in PATH) with `arguments`.
    public init(arguments: [String], newProcessGroup: Bool = false, standardInput: Int32? = nil) throws(CaptureError) {
        guard let program = arguments.first else { throw .command("no command given") }
        self.arguments = arguments
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var flags = Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
        if newProcessGroup {
            flags |= Int16(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        posix_spawnattr_setflags(&attributes, flags)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let standardInput { posix_spawn_file_actions_adddup2(&actions, standardInput, 0) }
        var cArguments = arguments.map { strdup($0) }
        cArguments.append(nil)
        defer { for argument in cArguments { free(argument) } }
        var spawned = pid_t()
        let status = posix_spawnp(&spawned, program, &actions, &attributes, cArguments, environ)
        guard status == 0 else { throw .command("cannot run \(program): \(Errno.name(status))") }
        pid = spawned
    }

    /// Whether it has ended (reaps it once).
    public func poll() -> Bool {
        if exitStatus != nil || terminatingSignal != nil { return true }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        guard result == pid else { return false }
        record(status)
        return true
    }

    /// Waits until it ends, sending `SIGTERM` after `graceMilliseconds` and `SIGKILL`
    /// two seconds later.
    public func terminate(graceMilliseconds: Int) {
        let start = monotonicMilliseconds()
        var sentTerm = false
        while !poll() {
            let waited = monotonicMilliseconds() - start
            if !sentTerm && waited >= graceMilliseconds { kill(pid, SIGTERM); sentTerm = true }
            if waited >= graceMilliseconds + 2000 { kill(pid, SIGKILL) }
            usleep(20_000)
        }
    }

    public func signal(_ number: Int32) { if !poll() { kill(pid, number) } }

    private func record(_ status: Int32) {
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import (macros).
        let low = status & 0x7f
        if low == 0 { exitStatus = (status >> 8) & 0xff } else { terminatingSignal = low }
    }

    /// "exited with status 0", "was killed by SIGTERM".
    public var ending: String {
        if let exitStatus { return "exited with status \(exitStatus)" }
        if let terminatingSignal { return "was killed by \(StopSignals.name(terminatingSignal))" }
        return "is still running"
    }
}
