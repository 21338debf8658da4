#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file operations the journal needs, without Foundation.
enum FileSystem {
    static func exists(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0
    }

    static func isRegularFile(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
    }

    /// The size of the file at `path`; 0 when there is none.
    static func size(_ path: String) -> Int64 {
        var status = stat()
        return stat(path, &status) == 0 ? Int64(status.st_size) : 0
    }

    /// Removes a journal and the files SQLite keeps beside it (`-wal`, `-shm`, `-journal`),
    /// so a forced re-record never meets a stale write-ahead log.
    static func removeJournal(at path: String) {
        unlink(path)
        removeJournalSidecars(of: path)
    }

    /// Removes the files SQLite keeps beside a journal, leaving the journal itself.
    static func removeJournalSidecars(of path: String) {
        for suffix in ["-wal", "-shm", "-journal"] { unlink(path + suffix) }
    }

    /// Whether the SQLite file at `path` says it is in WAL mode (header bytes 18 and 19 are
    /// 2) while no `-wal` file stands beside it (or an empty one, which opening the file
    /// creates): whatever was committed after the last checkpoint is missing.
    static func isWALModeWithoutLog(_ path: String) -> Bool {
        guard size(path + "-wal") == 0 else { return false }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var header = [UInt8](repeating: 0, count: 20)
        guard read(descriptor, &header, 20) == 20 else { return false }
        return header[0..<16].elementsEqual("SQLite format 3\0".utf8) && header[18] == 2 && header[19] == 2
    }

    /// What a file of mode `mode` is, with its article: "a directory", "a FIFO", …
    static func kindName(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: return "a directory"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        case S_IFLNK: return "a symbolic link"
        default: return "a special file"
        }
    }

    /// The text of the current `errno`.
    static var lastError: String { String(cString: strerror(errno)) }
}
