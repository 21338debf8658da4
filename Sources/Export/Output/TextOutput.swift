#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where an export writes: a file or standard output, through one large stdio buffer, so
/// an exporter can hand over text a line at a time and memory stays flat.
///
/// A file is written beside its final path (`OUT.partial-PID`) and renamed into place by
/// `close()`, so an export that fails half-way never leaves a file that looks complete.
/// Paths that are not regular files (`/dev/stdout`, a FIFO) are written in place.
public final class TextOutput {
    /// The path shown in messages: the file, or "standard output".
    public let displayPath: String
    private let file: UnsafeMutablePointer<FILE>
    /// Where the bytes go until `close()` renames them to `finalPath`; nil when written in place.
    private let stagingPath: String?
    private let finalPath: String?
    private var isClosed = false

    /// Standard output.
    public init() {
        displayPath = "standard output"
        // A stdio stream of its own over descriptor 1 (the global `stdout` is shared
        // mutable state to Swift 6); it is flushed, never closed.
        file = fdopen(STDOUT_FILENO, "w")
        // A terminal sees each line as it is written; a pipe or file gets large writes.
        if isatty(STDOUT_FILENO) != 0 { setvbuf(file, nil, _IOLBF, 1 << 16) } else { setvbuf(file, nil, _IOFBF, 1 << 20) }
        stagingPath = nil
        finalPath = nil
    }

    /// Creates (or replaces) the file at `path`.
    public init(path: String) throws(ExportError) {
        displayPath = path
        finalPath = path
        let inPlace = Self.exists(path) && !Self.isRegularFile(path)
        if Self.isDirectory(path) { throw .cannotWrite(path: path, reason: "is a directory") }
        stagingPath = inPlace ? nil : "\(path).partial-\(getpid())"
        guard let opened = fopen(stagingPath ?? path, "w") else {
            throw .cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        file = opened
        setvbuf(file, nil, _IOFBF, 1 << 20)
    }

    deinit {
        guard !isClosed, finalPath != nil else { return }
        fclose(file)
        if let stagingPath { unlink(stagingPath) }
    }

    /// Appends `text`. Write errors are collected by stdio and reported by `close()`.
    public func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in _ = fwrite(bytes.baseAddress, 1, bytes.count, file) }
    }

    /// Hands what is buffered to the kernel now: a reader of a pipe sees the first rows of
    /// a long answer at once rather than when a megabyte has gathered.
    public func flush() { fflush(file) }

    /// Flushes, closes and renames the file into place; throws if any write failed.
    public func close() throws(ExportError) {
        guard !isClosed else { return }
        isClosed = true
        let failed = fflush(file) != 0 || ferror(file) != 0
        let reason = String(cString: strerror(errno))
        guard finalPath != nil else {
            if failed { throw .cannotWrite(path: displayPath, reason: reason) }
            return
        }
        let closeFailed = fclose(file) != 0
        guard !failed, !closeFailed else {
            if let stagingPath { unlink(stagingPath) }
            throw .cannotWrite(path: displayPath, reason: reason)
        }
        if let stagingPath, let finalPath, rename(stagingPath, finalPath) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(stagingPath)
            throw .cannotWrite(path: finalPath, reason: reason)
        }
    }

    static func exists(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0
    }

    static func isRegularFile(_ path: String) -> Bool { mode(of: path) == S_IFREG }

    static func isDirectory(_ path: String) -> Bool { mode(of: path) == S_IFDIR }

    private static func mode(of path: String) -> mode_t? {
        var status = stat()
        return stat(path, &status) == 0 ? status.st_mode & S_IFMT : nil
    }
}
