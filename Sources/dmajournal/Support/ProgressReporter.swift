import Foundation

/// Progress of a long run on stderr — ops done, ops/s, ETA — redrawn at most twice a
/// second, and only when stderr is a terminal (logs and pipes stay clean).
struct ProgressReporter {
    private let total: Int
    private let enabled: Bool
    private let start = ContinuousClock.now
    private var lastDraw = ContinuousClock.now

    init(total: Int) {
        self.total = total
        enabled = isatty(STDERR_FILENO) != 0
    }

    mutating func update(done: Int) {
        guard enabled, done % 1024 == 0 else { return }
        let now = ContinuousClock.now
        guard now - lastDraw > .milliseconds(500) else { return }
        lastDraw = now
        let rate = Double(done) / max(Self.seconds(now - start), 1e-9)
        let eta = rate > 0 ? Double(max(total - done, 0)) / rate : 0
        FileHandle.standardError.write(Data(String(format: "\r%d / %d ops, %.0f ops/s, ETA %.0f s   ", done, total, rate, eta).utf8))
    }

    /// Clears the progress line before the summary is printed.
    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    var elapsedSeconds: Double { Self.seconds(ContinuousClock.now - start) }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
