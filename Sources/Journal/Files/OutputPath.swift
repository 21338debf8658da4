#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a file the tool writes really goes: the path given, with symbolic links followed
/// to the file they name, and a refusal when that is not a regular file.
///
/// Every writer (journals, `-o` outputs) replaces its file by writing beside it and
/// renaming. Done on the link itself, that would turn `out.html -> /srv/report.html` into a
/// regular file and leave the target stale; done on `/dev/full` or a FIFO it would replace a
/// device node with a file (as root, even `/dev/null`). So the link is followed first,
/// and anything that is not a regular file (or not there yet) is refused.
package struct OutputPath: Sendable, Equatable {
    /// The path the user gave.
    package let requested: String
    /// The file that will be written: `requested` with every symbolic link followed.
    package let resolved: String
    /// The permission bits of the regular file being replaced; nil for a new file.
    package let existingPermissions: mode_t?

    /// Links followed before giving up, as the kernel's own `MAXSYMLINKS` (40).
    static let maximumLinks = 40

    package init(_ path: String) throws(OutputPathError) {
        requested = path
        var current = path
        for _ in 0...Self.maximumLinks {
            var status = stat()
            guard lstat(current, &status) == 0 else {
                let failure = errno
                guard failure == ENOENT else { throw .cannotResolve(path: path, reason: String(cString: strerror(failure))) }
                resolved = current
                existingPermissions = nil
                return
            }
            switch status.st_mode & S_IFMT {
            case S_IFLNK:
                current = try Self.target(ofLink: current, requested: path)
            case S_IFREG:
                resolved = current
                existingPermissions = status.st_mode & 0o7777
                return
            default:
                throw .notRegularFile(path: path, kind: FileSystem.kindName(status.st_mode))
            }
        }
        throw .cannotResolve(path: path, reason: "more than \(Self.maximumLinks) symbolic links")
    }

    /// The path link `link` points to; a relative target is relative to the link's folder.
    private static func target(ofLink link: String, requested: String) throws(OutputPathError) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink(link, &buffer, buffer.count - 1)
        guard length >= 0 else { throw .cannotResolve(path: requested, reason: String(cString: strerror(errno))) }
        let target = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard !target.hasPrefix("/"), let slash = link.lastIndex(of: "/") else { return target }
        return String(link[...slash]) + target
    }

    /// A fresh path beside the resolved file for writing before the rename:
    /// `NAME.partial-PID`, so a leftover names the process that wrote it.
    package var stagingPath: String { "\(resolved).partial-\(getpid())" }
}

/// Why a path cannot be written, as one line.
package enum OutputPathError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The path names a directory, a device node, a FIFO or a socket.
    case notRegularFile(path: String, kind: String)
    /// A link that cannot be read, or too many links.
    case cannotResolve(path: String, reason: String)

    package var path: String {
        switch self {
        case .notRegularFile(let path, _), .cannotResolve(let path, _): return path
        }
    }

    /// The problem without the path, for messages that name the path themselves.
    package var reason: String {
        switch self {
        case .notRegularFile(_, let kind): return "it is \(kind), not a regular file; refusing to replace it"
        case .cannotResolve(_, let reason): return "cannot follow the path: \(reason)"
        }
    }

    package var description: String { "\(path): cannot write: \(reason)" }
}
