#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Moves `trace_pipe` into the capture text on a thread of its own: reads what the ring
/// buffer holds (non-blocking), appends it, waits on `poll()` for more. Stopping is
/// `stopTracing()` on the session first, then `stop()`: the pump reads until the pipe is
/// empty and returns, so nothing recorded before tracing went off is left behind.
public final class TracePump: @unchecked Sendable {
    private let pipe: TracePipe
    private let text: CaptureText
    private let stopRequested = Atomic<Bool>(false)
    private let lineCount = Atomic<Int>(0)
    private let lostReported = Atomic<Int>(0)
    private let failure = Mutex<String?>(nil)
    private var thread: BackgroundThread?

    public init(pipe: TracePipe, text: CaptureText) {
        self.pipe = pipe
        self.text = text
    }

    /// Trace lines read so far (one event each).
    public var events: Int { lineCount.load(ordering: .relaxed) }
    /// Events the kernel said it lost, from `CPU:N [LOST M EVENTS]` lines in the pipe.
    public var lostInPipe: Int { lostReported.load(ordering: .relaxed) }
    /// A read or write that failed and ended the pump.
    public var error: String? { failure.withLock { $0 } }

    public func start() {
        thread = BackgroundThread { [self] in run() }
    }

    /// Asks the pump to drain the pipe and end; waits until it has.
    public func stop() {
        stopRequested.store(true, ordering: .releasing)
        thread?.join()
        thread = nil
    }

    private func run() {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            switch pipe.read(into: &buffer) {
            case .data(let count):
                tally(buffer, count)
                var problem: CaptureError?
                buffer.withUnsafeBytes { raw in
                    do throws(CaptureError) { try text.append(UnsafeRawBufferPointer(rebasing: raw[0..<count])) } catch { problem = error }
                }
                if let problem {
                    failure.withLock { $0 = problem.description }
                    return
                }
            case .empty:
                if stopRequested.load(ordering: .acquiring) { return }
                let before = monotonicMilliseconds()
                pipe.wait(milliseconds: 100)
                // poll() on trace_pipe may wake before the buffer has a full line
                // (ring_buffer_poll_wait()'s watermark); never spin on it.
                if monotonicMilliseconds() - before < 5 { usleep(20_000) }
            case .failed(let code):
                failure.withLock { $0 = "reading trace_pipe failed: \(Errno.name(code))" }
                return
            }
        }
    }

    /// Counts lines and the kernel's `[LOST N EVENTS]` notes in a chunk
    /// (`tracing_read_pipe()` hands out whole lines).
    private func tally(_ buffer: [UInt8], _ length: Int) {
        var lines = 0
        var lost = 0
        var lineStart = 0
        for index in 0..<length where buffer[index] == UInt8(ascii: "\n") {
            lines += 1
            lost += Self.lostEvents(buffer[lineStart..<index])
            lineStart = index + 1
        }
        lineCount.add(lines, ordering: .relaxed)
        if lost > 0 { lostReported.add(lost, ordering: .relaxed) }
    }

    /// `CPU:2 [LOST 1234 EVENTS]` → 1234 (`print_trace_line()`); 0 for any other line.
    static func lostEvents(_ line: ArraySlice<UInt8>) -> Int {
        guard line.count < 64, line.first == UInt8(ascii: "C") else { return 0 }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("CPU:"), let open = text.firstRange(of: "[LOST "), let end = text.firstRange(of: " EVENTS]") else { return 0 }
        return Int(text[open.upperBound..<end.lowerBound]) ?? 0
    }
}

func monotonicMilliseconds() -> Int {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return now.tv_sec * 1000 + now.tv_nsec / 1_000_000
}
