#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The kernel's tracefs at `root`, through plain POSIX calls: one `open`/`write`/`close`
/// per value, as `echo VALUE > FILE` does, so the kernel's errno for a refused value
/// (`-EINVAL` for a bad probe, `-EBUSY` for a probe still enabled) reaches the caller.
public final class LiveTracefs: TracefsFiles {
    public let root: String

    public init(root: String) { self.root = root }

    private func full(_ path: String) -> String { path.isEmpty ? root : root + "/" + path }

    public func read(_ path: String) throws(TracefsError) -> String {
        let descriptor = open(full(path), O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw TracefsError(.read, path: path, errno: errno) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw TracefsError(.read, path: path, errno: errno)
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    public func write(_ path: String, _ text: String) throws(TracefsError) {
        try put(path, text, flags: O_WRONLY, operation: .write)
    }

    public func append(_ path: String, _ text: String) throws(TracefsError) {
        try put(path, text, flags: O_WRONLY | O_APPEND, operation: .append)
    }

    /// One `write()` of the whole text: tracefs parses each write as a unit (a probe
    /// definition split across two writes would be two bad commands).
    private func put(_ path: String, _ text: String, flags: Int32, operation: TracefsError.Operation) throws(TracefsError) {
        let descriptor = open(full(path), flags | O_CLOEXEC)
        guard descriptor >= 0 else { throw TracefsError(operation, path: path, errno: errno, text: text) }
        defer { close(descriptor) }
        let line = Array((text.hasSuffix("\n") ? text : text + "\n").utf8)
        var written = -1
        repeat {
            written = line.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        } while written < 0 && errno == EINTR
        if written < 0 { throw TracefsError(operation, path: path, errno: errno, text: text) }
        if written != line.count { throw TracefsError(operation, path: path, errno: EIO, text: text) }
    }

    public func exists(_ path: String) -> Bool { access(full(path), F_OK) == 0 }

    public func list(_ path: String) -> [String]? {
        guard let directory = opendir(full(path)) else { return nil }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    public func makeDirectory(_ path: String) throws(TracefsError) {
        if mkdir(full(path), 0o750) != 0 { throw TracefsError(.mkdir, path: path, errno: errno) }
    }

    public func removeDirectory(_ path: String) throws(TracefsError) {
        if rmdir(full(path)) != 0 { throw TracefsError(.rmdir, path: path, errno: errno) }
    }

    public func openPipe(_ path: String) throws(TracefsError) -> TracePipe {
        // O_NONBLOCK: tracing_wait_pipe() returns -EAGAIN on an empty buffer instead of
        // sleeping, so the reader can notice a stop request between reads.
        let descriptor = open(full(path), O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw TracefsError(.open, path: path, errno: errno) }
        return LiveTracePipe(descriptor: descriptor)
    }
}

/// `trace_pipe` on a file descriptor opened non-blocking.
final class LiveTracePipe: TracePipe {
    private var descriptor: Int32

    init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { close() }

    func read(into buffer: inout [UInt8]) -> TracePipeRead {
        guard descriptor >= 0 else { return .failed(EBADF) }
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 { return .data(count) }
            if count == 0 { return .empty }
            switch errno {
            case EINTR: continue
            case EAGAIN: return .empty
            default: return .failed(errno)
            }
        }
    }

    func wait(milliseconds: Int32) {
        guard descriptor >= 0 else { return }
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        _ = poll(&entry, 1, milliseconds)
    }

    func close() {
        if descriptor >= 0 { _ = Glibc.close(descriptor); descriptor = -1 }
    }
}
