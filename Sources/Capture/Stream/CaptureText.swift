#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The capture's text file: a header of `#` facts, the trace lines as `trace_pipe` gave
/// them, a trailer. It is the crash-safe copy of the capture — a killed capture's text is
/// complete up to the kill, and `dmajournal import` reads it — and the importer follows
/// it as it grows (`follow(into:)`), so the kernel's buffer is drained at the speed of
/// the disk, not of the importer.
public final class CaptureText: @unchecked Sendable {
    public let path: String
    private let descriptor: Int32
    /// Bytes written so far, published after each write.
    private let committed = Atomic<Int>(0)
    private let complete = Atomic<Bool>(false)

    /// Creates (or replaces) the file.
    public init(path: String) throws(CaptureError) {
        self.path = path
        descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .environment("cannot create \(path): \(Errno.name(errno))") }
    }

    deinit { close(descriptor) }

    public var byteCount: Int { committed.load(ordering: .acquiring) }

    /// Appends bytes; one writer at a time (the header, then the pump, then the trailer).
    public func append(_ bytes: UnsafeRawBufferPointer) throws(CaptureError) {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw .environment("cannot write \(path): \(Errno.name(errno))")
            }
            offset += written
        }
        committed.add(bytes.count, ordering: .releasing)
    }

    public func append(_ text: String) throws(CaptureError) {
        let bytes = Array(text.utf8)
        var failure: CaptureError?
        bytes.withUnsafeBytes { raw in
            do throws(CaptureError) { try append(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// No more bytes will come: followers end when they have read everything.
    public func finish() {
        fsync(descriptor)
        complete.store(true, ordering: .releasing)
    }

    /// Copies the file to `descriptor` as it grows, until `finish()` and everything was
    /// copied (true), the reader went away (`EPIPE`, false), or `abandon()` says to stop.
    public func follow(into target: Int32, abandon: () -> Bool) -> Bool {
        var offset = 0
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while !abandon() {
            let done = complete.load(ordering: .acquiring)
            let end = committed.load(ordering: .acquiring)
            if offset >= end {
                if done { return true }
                usleep(20_000)
                continue
            }
            let count = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, min($0.count, end - offset), off_t(offset)) }
            if count <= 0 { usleep(20_000); continue }
            var sent = 0
            while sent < count {
                let written = chunk.withUnsafeBytes { Glibc.write(target, $0.baseAddress! + sent, count - sent) }
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                sent += written
            }
            offset += count
        }
        return false
    }
}
