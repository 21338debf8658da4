#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which processes hold locks on a file, read from Linux's `/proc/locks`, so a refusal can
/// name the other process ("pid 4242, dmajournal record --workload nvme …") instead of
/// saying only that the file is busy. Elsewhere, or when `/proc` is not mounted, the list
/// is empty and messages fall back to "another process".
enum FileLockHolders {
    /// The kind of lock: `flock(2)` (dmajournal's writer lock) or POSIX `fcntl` (SQLite's
    /// own locks, one per open connection to the file).
    enum Kind: String {
        case flock = "FLOCK"
        case posix = "POSIX"
    }

    /// The processes other than this one holding a lock of `kind` on `path`, in the
    /// order the kernel lists them, each once.
    static func pids(_ kind: Kind, on path: String) -> [Int32] {
        var status = stat()
        guard stat(path, &status) == 0, let table = contents(of: "/proc/locks") else { return [] }
        let device = UInt64(status.st_dev)
        let major = ((device >> 8) & 0xfff) | ((device >> 32) & ~0xfff)
        let minor = (device & 0xff) | ((device >> 12) & ~0xff)
        let file = String(format2: major) + ":" + String(format2: minor) + ":" + String(status.st_ino)
        var pids: [Int32] = []
        for line in table.split(separator: "\n") {
            // "1: FLOCK  ADVISORY  WRITE 4242 fd:01:393218 0 EOF"; a waiter has "->" after the number.
            let fields = line.split(separator: " ").filter { $0 != "->" }
            guard fields.count >= 6, fields[1] == kind.rawValue, fields[5] == file,
                  let pid = Int32(fields[4]), pid > 0, pid != getpid(), !pids.contains(pid) else { continue }
            pids.append(pid)
        }
        return pids
    }

    /// "pid 4242 (dmajournal record --workload nvme …)", or "pid 4242" when its command
    /// line cannot be read.
    static func describe(_ pid: Int32) -> String {
        guard let raw = contents(of: "/proc/\(pid)/cmdline"), !raw.isEmpty else { return "pid \(pid)" }
        var words = raw.split(separator: "\0").map(String.init)
        if let program = words.first, let slash = program.lastIndex(of: "/") { words[0] = String(program[program.index(after: slash)...]) }
        let text = words.joined(separator: " ")
        return "pid \(pid) (\(text.count > 60 ? String(text.prefix(60)) + "…" : text))"
    }

    /// The processes in `pids` described and joined: "pid 1 (…), pid 2 (…)".
    static func describe(_ pids: [Int32]) -> String? {
        pids.isEmpty ? nil : pids.prefix(3).map { describe($0) }.joined(separator: ", ") + (pids.count > 3 ? " and \(pids.count - 3) more" : "")
    }

    /// A small file's whole text (those under /proc report a size of 0, so read to the end).
    private static func contents(of path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            bytes.append(contentsOf: buffer[..<count])
            if bytes.count > 1 << 22 { break }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

private extension String {
    /// `%02x`, as /proc/locks prints device numbers.
    init(format2 value: UInt64) {
        let hex = String(value, radix: 16)
        self = hex.count < 2 ? "0" + hex : hex
    }
}
