#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The crash-safe record of what a capture changed: a text file written ahead of each
/// change (the line is on disk, `fsync`ed, before the change is made), so that when the
/// capture is killed (SIGKILL, a crash, a power-off of a VM's console) `dmajournal capture
/// --cleanup` knows what to undo. A change recorded but never made is harmless to undo
/// (removing a probe that is not there is `ENOENT`, taken as done). Removed when the
/// teardown has undone everything.
///
///     dmajournal-capture-record 1
///     pid 4711
///     tracefs /sys/kernel/tracing
///     probe dmajournal/dma_iova_try_alloc
///     instance instances/dmajournal
///     value instances/dmajournal/tracing_on 1
public final class ChangeRecord {
    public static let magic = "dmajournal-capture-record 1"
    public static let defaultDirectory = "/run/dmajournal"
    public static let fileName = "capture.record"

    public let path: String
    public let ownerPID: Int32
    public let tracefsRoot: String
    public private(set) var changes: [Change]
    private var descriptor: Int32 = -1

    /// What an existing record says.
    public struct Contents: Equatable, Sendable {
        public var ownerPID: Int32
        public var tracefsRoot: String
        public var changes: [Change]
    }

    /// Starts a new record at `path`; fails (EEXIST) when one is there: another capture is
    /// running or a killed one was not cleaned up.
    public init(creating path: String, tracefsRoot: String, ownerPID: Int32 = getpid()) throws(CaptureError) {
        self.path = path
        self.ownerPID = ownerPID
        self.tracefsRoot = tracefsRoot
        changes = []
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST { throw .recordExists(path: path) }
            throw .environment("cannot create the change record \(path): \(Errno.name(errno))")
        }
        try writeLine(Self.magic)
        try writeLine("pid \(ownerPID)")
        try writeLine("tracefs \(Change.escape(tracefsRoot))")
    }

    /// Adds a record line for `change` and syncs it to disk; call before making the change.
    public func note(_ change: Change) throws(CaptureError) {
        try writeLine(change.line)
        changes.append(change)
    }

    /// Forgets a change undone early (a probe set given up for another style).
    public func forget(_ change: Change) throws(CaptureError) {
        guard let index = changes.lastIndex(of: change) else { return }
        changes.remove(at: index)
        try writeLine("undone \(change.line)")
    }

    /// Removes the record: everything in it was undone.
    public func remove() {
        close()
        unlink(path)
    }

    /// Closes the file and leaves it for `--cleanup`.
    public func close() {
        if descriptor >= 0 { Glibc.close(descriptor); descriptor = -1 }
    }

    private func writeLine(_ text: String) throws(CaptureError) {
        let bytes = Array((text + "\n").utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else {
            throw .environment("cannot write the change record \(path): \(Errno.name(errno))")
        }
    }

    /// Reads a record; `undone` lines cancel the change they repeat.
    public static func load(_ text: String, path: String) throws(CaptureError) -> Contents {
        var lines = text.split(separator: "\n").map(String.init)[...]
        guard lines.first == magic else { throw .environment("\(path): not a dmajournal capture record") }
        lines = lines.dropFirst()
        var contents = Contents(ownerPID: 0, tracefsRoot: "", changes: [])
        for line in lines {
            if line.hasPrefix("pid "), let pid = Int32(line.dropFirst(4)) {
                contents.ownerPID = pid
            } else if line.hasPrefix("tracefs ") {
                contents.tracefsRoot = Change.unescape(String(line.dropFirst(8)))
            } else if line.hasPrefix("undone "), let change = Change(line: String(line.dropFirst(7))),
                      let index = contents.changes.lastIndex(of: change) {
                contents.changes.remove(at: index)
            } else if let change = Change(line: line) {
                contents.changes.append(change)
            }
            // A torn last line (killed mid-write) matches nothing and is skipped: its
            // change was never made, since the line is written first.
        }
        return contents
    }
}
