#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `dmajournal capture --cleanup`: undoes what a killed capture left — the changes its
/// record lists, then anything of ours still in tracefs that the record missed (the
/// `dmajournal` instance, probes of the `dmajournal` group).
public enum Cleanup {
    public struct Report: Equatable, Sendable {
        /// What was undone, one line each.
        public var done: [String] = []
        /// What could not be.
        public var problems: [String] = []
    }

    /// Refuses while the record's owner is alive: it tears down itself.
    public static func liveOwner(of contents: ChangeRecord.Contents) -> Int32? {
        let pid = contents.ownerPID
        guard pid > 0, pid != getpid(), kill(pid, 0) == 0 || errno == EPERM else { return nil }
        let comm = SystemFacts.readText("/proc/\(pid)/comm")?.trimmingCharacters() ?? ""
        return comm.contains("dmajournal") ? pid : nil
    }

    /// Undoes `contents` (if any) on `files`, then removes leftovers of `options`' names.
    public static func run(files: TracefsFiles, contents: ChangeRecord.Contents?, options: CaptureOptions,
                           unmount: (String) -> Int32? = TracefsLocation.unmount) -> Report {
        var report = Report()
        if let contents {
            report.problems += Teardown.undo(contents.changes, files: files, unmount: unmount)
            report.done.append("undid the \(contents.changes.count) changes recorded by capture pid \(contents.ownerPID)")
        }
        let instance = "instances/\(options.instanceName)"
        if files.exists(instance) {
            if let problem = Teardown.undoOne(.createdInstance(path: instance), files: files, unmount: unmount) {
                report.problems.append(problem)
            } else {
                report.done.append("removed \(files.root)/\(instance)")
            }
        }
        let definitions = files.exists("dynamic_events") ? "dynamic_events" : "kprobe_events"
        let listing = (try? files.read(definitions)) ?? ""
        for line in ProbeListing.lines(listing) where ProbeListing.group(of: line) == options.probeGroup {
            guard let name = ProbeListing.name(of: line), let slash = name.firstIndex(of: "/") else { continue }
            let event = String(name[name.index(after: slash)...])
            // Enabled in the top level by someone? Turn it off first, else removal is EBUSY.
            try? files.write("events/\(options.probeGroup)/\(event)/enable", "0")
            if let problem = Teardown.undoOne(.definedProbe(group: options.probeGroup, event: event), files: files, unmount: unmount) {
                report.problems.append(problem)
            } else {
                report.done.append("removed the probe \(name)")
            }
        }
        return report
    }
}
