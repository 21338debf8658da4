#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where `LineReader` gets a file's bytes: the file as it is (`FileBytes`), or inflated
/// (`GzipBytes`, for a gzip file or stream).
protocol ByteSource: AnyObject {
    /// Fills up to `count` bytes at `buffer`; 0 at the end (or after a failure, which
    /// `failure` then describes).
    func fill(_ buffer: UnsafeMutableRawPointer, count: Int) -> Int
    /// What stopped the bytes short of the end, in words for the user; nil while all is well.
    var failure: String? { get }
}

/// A file descriptor's bytes. `-` is standard input, which is read but never closed.
final class FileBytes: ByteSource {
    let descriptor: Int32
    private let owned: Bool
    private(set) var failure: String?

    init(descriptor: Int32, owned: Bool) {
        self.descriptor = descriptor
        self.owned = owned
    }

    /// Opens `path` (`-`: standard input); nil when it cannot be read or is a directory.
    static func opening(_ path: String) -> FileBytes? {
        if path == "-" { return FileBytes(descriptor: STDIN_FILENO, owned: false) }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) != S_IFDIR else {
            close(descriptor)
            return nil
        }
        return FileBytes(descriptor: descriptor, owned: true)
    }

    deinit { if owned { close(descriptor) } }

    func fill(_ buffer: UnsafeMutableRawPointer, count: Int) -> Int {
        while true {
            let got = read(descriptor, buffer, count)
            if got >= 0 { return got }
            if errno == EINTR { continue }
            failure = "read failed: \(String(cString: strerror(errno)))"
            return 0
        }
    }
}
