import Capture
import Foundation

/// Progress of a running capture on stderr: a line redrawn each second on a terminal,
/// one line every ten seconds in a log.
struct CaptureProgress {
    private let terminal = isatty(STDERR_FILENO) != 0
    private var lastLogged = -10.0
    private(set) var drawn = false

    mutating func show(_ progress: CaptureRun.Progress) {
        let line = String(format: "capture: %.0f s, %d events (%.0f/s), %d lost", progress.seconds, progress.events, progress.eventsPerSecond, progress.lostEvents)
        if terminal {
            FileHandle.standardError.write(Data("\r\(line)\u{1B}[K".utf8))
            drawn = true
        } else if progress.seconds - lastLogged >= 10 {
            StandardError.write(line)
            lastLogged = progress.seconds
        }
    }

    /// Clears the redrawn line before other output.
    mutating func clear() {
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)); drawn = false }
    }
}
