import Journal
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where an export writes: a file or standard output, through one large stdio buffer, so
/// an exporter can hand over text a line at a time and memory stays flat.
///
/// A file is written beside its final path (`OUT.partial-PID`) and renamed into place by
/// `close()`, so an export that fails half-way never leaves a file that looks complete,
/// and a replaced file keeps its permissions. The path is followed through symbolic links
/// (`OutputPath`): the link stays, its target gets the new bytes. A path that is not a
/// regular file (a device node, a FIFO, a directory) is refused: `-o` replaces files,
/// and standard output is where a pipe or a terminal gets the text. The staging file is
/// removed on failure, and by the signal handler if Ctrl-C comes first (`TemporaryFiles`).
public final class TextOutput {
    /// The path shown in messages: the file, or "standard output".
    public let displayPath: String
    private let file: UnsafeMutablePointer<FILE>
    /// Where the bytes go until `close()` renames them to `finalPath`; nil for standard output.
    private let stagingPath: String?
    private let finalPath: String?
    private let staging: TemporaryFiles.Registration?
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
        staging = nil
    }

    /// Creates (or replaces) the regular file at `path`, or the one its links point to.
    public init(path: String) throws(ExportError) {
        displayPath = path
        let target: OutputPath
        do { target = try OutputPath(path) } catch { throw .cannotWrite(path: path, reason: error.reason) }
        finalPath = target.resolved
        let staged = target.stagingPath
        let registration = TemporaryFiles.register(staged)
        let descriptor = open(staged, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0o666)
        guard descriptor >= 0, let opened = fdopen(descriptor, "w") else {
            let reason = String(cString: strerror(errno))
            if descriptor >= 0 { Glibc.close(descriptor); unlink(staged) }
            registration.release()
            throw .cannotWrite(path: path, reason: reason)
        }
        if let permissions = target.existingPermissions { fchmod(descriptor, permissions) }
        stagingPath = staged
        staging = registration
        file = opened
        setvbuf(file, nil, _IOFBF, 1 << 20)
    }

    deinit {
        guard !isClosed, let stagingPath else { return }
        fclose(file)
        unlink(stagingPath)
        staging?.release()
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
        errno = 0
        let failed = fflush(file) != 0 || ferror(file) != 0
        var reason = errno != 0 ? String(cString: strerror(errno)) : "write error"
        guard let stagingPath, let finalPath else {
            if failed { throw .writeFailed(path: displayPath, reason: reason) }
            return
        }
        defer { staging?.release() }
        let closeFailed = fclose(file) != 0
        if closeFailed, !failed { reason = String(cString: strerror(errno)) }
        guard !failed, !closeFailed else {
            unlink(stagingPath)
            throw .writeFailed(path: displayPath, reason: reason)
        }
        if rename(stagingPath, finalPath) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(stagingPath)
            throw .writeFailed(path: displayPath, reason: reason)
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
