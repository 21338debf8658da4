#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Undoes a capture's changes, last first. Every change is attempted whatever failed
/// before it; a change already undone (`ENOENT`: the probe or instance is gone) counts as
/// done. A probe or instance still busy is tried again for a moment: `EBUSY` lasts while
/// an event is enabled somewhere or a reader still holds the instance's `trace_pipe`.
public enum Teardown {
    /// How long a busy removal is retried, in 50 ms steps.
    static let busyRetries = 20

    /// The changes that could not be undone, one line each.
    public static func undo(_ changes: [Change], files: TracefsFiles, unmount: (String) -> Int32?) -> [String] {
        var problems: [String] = []
        for change in changes.reversed() {
            if let problem = undoOne(change, files: files, unmount: unmount) { problems.append(problem) }
        }
        return problems
    }

    /// Undoes one change; nil when done.
    static func undoOne(_ change: Change, files: TracefsFiles, unmount: (String) -> Int32?) -> String? {
        switch change {
        case .setValue(let path, let old):
            do { try files.write(path, old) } catch {
                if error.errno == ENOENT { return nil }   // its instance is gone with it
                return "could not put back \(files.root)/\(path) (\(old)): \(Errno.name(error.errno))"
            }
            return nil
        case .definedProbe(let group, let event):
            let file = files.exists("dynamic_events") ? "dynamic_events" : "kprobe_events"
            return retryingBusy("could not remove the probe \(group)/\(event)") { () throws(TracefsError) in
                try files.append(file, ProbeDefinitions.removal(group: group, event: event))
            }
        case .createdInstance(let path):
            return retryingBusy("could not remove the instance \(files.root)/\(path)") { () throws(TracefsError) in
                try files.removeDirectory(path)
            }
        case .mounted(let path):
            guard let error = unmount(path), error != EINVAL else { return nil }   // EINVAL: not mounted
            return "could not unmount \(path): \(Errno.name(error))"
        }
    }

    private static func retryingBusy(_ what: String, _ body: () throws(TracefsError) -> Void) -> String? {
        var attempt = 0
        while true {
            do {
                try body()
                return nil
            } catch {
                if error.errno == ENOENT { return nil }
                attempt += 1
                if error.errno != EBUSY || attempt > busyRetries { return "\(what): \(Errno.name(error.errno))" }
                usleep(50_000)
            }
        }
    }
}
