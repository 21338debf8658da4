import Foundation

/// A long import's progress on stderr — lines read, lines/s, ops journaled, time so far —
/// redrawn at most twice a second and only when stderr is a terminal (logs and pipes stay
/// clean). The total is unknown up front (a pipe, a `.gz`), so there is no ETA.
struct ImportProgress {
    private let enabled: Bool
    private let start = ContinuousClock.now
    private var lastDraw = ContinuousClock.now
    private var drawn = false

    init(enabled: Bool = isatty(STDERR_FILENO) != 0) {
        self.enabled = enabled
    }

    mutating func update(lines: Int, ops: Int) {
        guard enabled else { return }
        let now = ContinuousClock.now
        guard now - lastDraw > .milliseconds(500) else { return }
        lastDraw = now
        drawn = true
        FileHandle.standardError.write(Data(Self.line(lines: lines, ops: ops, seconds: ProgressReporter.seconds(now - start)).utf8))
    }

    /// `\r1048576 lines, 183000 lines/s, 993001 ops, 5.7 s`, padded over the last one.
    static func line(lines: Int, ops: Int, seconds: Double) -> String {
        let rate = Double(lines) / max(seconds, 1e-9)
        return String(format: "\r%d lines, %.0f lines/s, %d ops, %.1f s   ", lines, rate, ops, seconds)
    }

    /// Clears the progress line before the summary is printed.
    func finish() {
        guard drawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
