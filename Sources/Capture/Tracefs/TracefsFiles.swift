/// The files of a tracefs mount, as `dmajournal capture` uses them: read a file, write a
/// value, append a command, make and remove an instance, open `trace_pipe`. Paths are
/// relative to the mount (`events/dma/enable`, `instances/dmajournal/trace_pipe`).
///
/// `LiveTracefs` is the kernel's tracefs; the tests use a fake directory that behaves
/// like it. Nothing here ever opens a file with `O_TRUNC`: on tracefs a truncating open
/// is a command of its own — `dynamic_events` and `kprobe_events` drop *every* dynamic
/// event (`dyn_event_open()` calls `dyn_events_release_all(NULL)`), `set_event` disables
/// every event (`ftrace_event_set_open()`), `trace` clears the buffer — so values are
/// written without it and commands are appended.
public protocol TracefsFiles: AnyObject {
    /// Where the files are (`/sys/kernel/tracing`), for messages and printed commands.
    var root: String { get }
    /// The whole file; throws when it cannot be read.
    func read(_ path: String) throws(TracefsError) -> String
    /// Writes `text` as one `write()` from the start of the file, without truncating.
    func write(_ path: String, _ text: String) throws(TracefsError)
    /// Writes `text` as one `write()` at the end (`>>` in a shell): commands to
    /// `dynamic_events`.
    func append(_ path: String, _ text: String) throws(TracefsError)
    func exists(_ path: String) -> Bool
    /// The names in a directory, sorted; nil when it is not one.
    func list(_ path: String) -> [String]?
    /// `mkdir` (a new tracefs instance under `instances/`).
    func makeDirectory(_ path: String) throws(TracefsError)
    /// `rmdir` (removes an instance: its buffer, its event settings).
    func removeDirectory(_ path: String) throws(TracefsError)
    /// Opens `trace_pipe` for reading without blocking.
    func openPipe(_ path: String) throws(TracefsError) -> TracePipe
}

/// One failed tracefs operation: what, where, and the errno the kernel returned.
public struct TracefsError: Error, Equatable, CustomStringConvertible {
    public enum Operation: String, Sendable {
        case read, write, append, mkdir, rmdir, open
    }

    public let operation: Operation
    public let path: String
    public let errno: Int32
    /// What was written, for a failed write or append.
    public let text: String?

    public init(_ operation: Operation, path: String, errno: Int32, text: String? = nil) {
        self.operation = operation
        self.path = path
        self.errno = errno
        self.text = text
    }

    public var description: String {
        let what: String
        switch operation {
        case .read: what = "cannot read \(path)"
        case .write, .append: what = "writing '\(text ?? "")' to \(path) failed"
        case .mkdir: what = "cannot create \(path)"
        case .rmdir: what = "cannot remove \(path)"
        case .open: what = "cannot open \(path)"
        }
        return "\(what): \(Errno.name(errno))"
    }
}

/// A `trace_pipe` opened for reading: consuming reads of the ring buffer, one event per
/// line (`tracing_read_pipe()`).
public protocol TracePipe: AnyObject {
    /// Reads what the buffer holds now into `buffer`, without waiting.
    func read(into buffer: inout [UInt8]) -> TracePipeRead
    /// Waits up to `milliseconds` for the pipe to have data (`poll()`); returns early when
    /// it has, or at once when it cannot tell.
    func wait(milliseconds: Int32)
    func close()
}

public enum TracePipeRead: Equatable {
    /// This many bytes were read into the buffer's front.
    case data(Int)
    /// Nothing to read now (`EAGAIN`).
    case empty
    /// The read failed with this errno.
    case failed(Int32)
}
