#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where tracefs is, read from `/proc/mounts`: its own mount (`/sys/kernel/tracing`, 4.1+),
/// or the copy debugfs mounts at `/sys/kernel/debug/tracing`. When neither is mounted and
/// the caller may mount, `/sys/kernel/tracing` gets a tracefs mount (recorded, and
/// unmounted when the capture ends).
public struct TracefsLocation: Equatable, Sendable {
    public enum How: Equatable, Sendable {
        /// Already mounted there.
        case mounted
        /// debugfs's automount of tracefs.
        case debugfs
        /// Not mounted: a tracefs mount is to be made at `path`.
        case needsMount
        /// Named by the user (`--tracefs`).
        case given
    }

    public var path: String
    public var how: How

    public init(path: String, how: How) {
        self.path = path
        self.how = how
    }

    public static let standardPath = "/sys/kernel/tracing"
    public static let debugfsPath = "/sys/kernel/debug/tracing"

    /// Finds tracefs among the mounts `/proc/mounts` lists (`mounts` is its text).
    public static func find(mounts: String, directoryExists: (String) -> Bool) -> TracefsLocation? {
        var tracefs: [String] = []
        var debugfs: [String] = []
        for line in mounts.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 3 else { continue }
            let point = unescapeMountPath(String(fields[1]))
            switch fields[2] {
            case "tracefs": tracefs.append(point)
            case "debugfs": debugfs.append(point)
            default: continue
            }
        }
        if tracefs.contains(standardPath) { return TracefsLocation(path: standardPath, how: .mounted) }
        if let first = tracefs.first(where: { !$0.hasSuffix("/debug/tracing") }) { return TracefsLocation(path: first, how: .mounted) }
        if let debug = debugfs.first, directoryExists(debug + "/tracing/events") {
            return TracefsLocation(path: debug + "/tracing", how: .debugfs)
        }
        if let nested = tracefs.first { return TracefsLocation(path: nested, how: .mounted) }
        if directoryExists(standardPath) { return TracefsLocation(path: standardPath, how: .needsMount) }
        return nil
    }

    /// `/proc/mounts` writes a space in a path as `\040` (`mangle()` in fs/proc_namespace.c).
    static func unescapeMountPath(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        var out = ""
        var chars = Array(text)
        var index = 0
        while index < chars.count {
            if chars[index] == "\\", index + 3 < chars.count,
               let code = UInt8(String(chars[(index + 1)...(index + 3)]), radix: 8) {
                out.append(Character(UnicodeScalar(code)))
                index += 4
            } else {
                out.append(chars[index])
                index += 1
            }
        }
        chars.removeAll()
        return out
    }

    /// Mounts tracefs at `path` (`mount -t tracefs nodev PATH`); the errno on failure.
    public static func mountTracefs(at path: String) -> Int32? {
        mount("nodev", path, "tracefs", 0, nil) == 0 ? nil : errno
    }

    /// Unmounts what `mountTracefs` or `mountSecurityfs` mounted; the errno on failure.
    public static func unmount(_ path: String) -> Int32? {
        umount2(path, 0) == 0 ? nil : errno
    }
}
