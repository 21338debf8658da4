import Capture
import Foundation

/// The checks `capture` makes before it changes anything, each one line on stderr:
/// permissions, where tracefs is (mounting it when it is not and we may), lockdown, and
/// what the kernel supports. Throws the first that makes a capture impossible.
struct CapturePreflight {
    var tracefs: LiveTracefs
    var support: KernelSupport
    /// Filesystems this run mounted (tracefs, securityfs): unmounted at teardown.
    var mounted: [String] = []

    static func run(tracefsPath: String?, systems: [String], say: (String) -> Void) throws -> CapturePreflight {
        let root = geteuid() == 0
        var mounted: [String] = []
        let location: TracefsLocation
        if let tracefsPath {
            location = TracefsLocation(path: tracefsPath, how: .given)
        } else {
            let mounts = (try? String(contentsOfFile: "/proc/mounts", encoding: .utf8)) ?? ""
            guard let found = TracefsLocation.find(mounts: mounts, directoryExists: { FileManager.default.fileExists(atPath: $0) }) else {
                throw CLIFailure.badInput("tracefs: not mounted, and no /sys/kernel/tracing to mount it on (CONFIG_TRACING?)")
            }
            location = found
        }
        if location.how == .needsMount {
            guard root else { throw CLIFailure.badInput("tracefs: not mounted at \(location.path), and only root may mount it") }
            if let error = TracefsLocation.mountTracefs(at: location.path) {
                throw CLIFailure.badInput("tracefs: mount -t tracefs nodev \(location.path) failed: errno \(error)")
            }
            mounted.append(location.path)
            say("tracefs: \(location.path) (mounted it; unmounted again at the end)")
        } else {
            say("tracefs: \(location.path)\(location.how == .debugfs ? " (through debugfs)" : "")")
        }
        let tracefs = LiveTracefs(root: location.path)
        guard tracefs.exists("events") else { throw CLIFailure.badInput("tracefs: \(location.path) has no events/ directory: not a tracefs mount") }

        let writable = access(location.path + "/events", W_OK) == 0
        if root {
            say("permissions: root")
        } else if writable {
            say("permissions: uid \(geteuid()), tracefs writable (probe definitions still need root: CAP_SYS_ADMIN)")
        } else {
            throw CLIFailure.badInput("permissions: uid \(geteuid()) cannot write \(location.path); capture needs root (sudo dmajournal capture …)")
        }

        let lockdown = readLockdown(root: root, mounted: &mounted)
        say(lockdown.line)
        guard lockdown.allowsTracing else { throw CLIFailure.badInput(lockdown.line) }

        let functions = (try? tracefs.read("available_filter_functions")) ?? (try? String(contentsOfFile: "/proc/kallsyms", encoding: .utf8))
        let support = KernelSupport.detect(tracefs, btfPresent: FileManager.default.fileExists(atPath: "/sys/kernel/btf/vmlinux"),
                                           functionList: functions, machine: SystemFacts.read(kernelLog: nil).machine, systems: systems)
        return CapturePreflight(tracefs: tracefs, support: support, mounted: mounted)
    }

    /// The lockdown level; securityfs is mounted for the look when it is not (and
    /// unmounted with the rest at the end).
    private static func readLockdown(root: Bool, mounted: inout [String]) -> Lockdown {
        if let text = try? String(contentsOfFile: Lockdown.path, encoding: .utf8) { return Lockdown.parse(text) }
        let security = "/sys/kernel/security"
        guard root, FileManager.default.fileExists(atPath: security), mount("securityfs", security, "securityfs", 0, nil) == 0 else {
            return .unknown("\(Lockdown.path) is not there")
        }
        mounted.append(security)
        guard let text = try? String(contentsOfFile: Lockdown.path, encoding: .utf8) else {
            return .unknown("no lockdown LSM in this kernel")
        }
        return Lockdown.parse(text)
    }
}
