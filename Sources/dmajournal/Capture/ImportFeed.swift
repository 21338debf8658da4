import Capture
import Foundation
import Synchronization

/// The importer, as its own process, reading the capture text as it grows: `dmajournal
/// import` with its standard input on a pipe that a thread fills from the text
/// (`CaptureText.follow`). Its own process, so nothing the importer does — however it
/// fails — can stop the capture from taking tracefs down; its own process group, so a
/// terminal's Ctrl-C stops the capture but not the import of what was captured.
final class ImportFeed: @unchecked Sendable {
    /// What `dmajournal import` is given as its input: its standard input, by the name
    /// every such tool gives it.
    static let standardInputPath = "-"

    private let child: ChildProcess
    private var feeder: BackgroundThread?
    private let writeEnd: Int32
    private let abandoned = Atomic<Bool>(false)

    /// Starts `dmajournal import` into `journal` and the thread feeding it `text`.
    init(text: CaptureText, journal: String, quiet: Bool) throws {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw CLIFailure.badInput("cannot make a pipe for the importer: errno \(errno)") }
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)   // the child gets it as its fd 0 only
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var arguments = [executable, "import", Self.standardInputPath, "--journal", journal, "--force"]
        if quiet { arguments.append("--quiet") }
        do {
            child = try ChildProcess(arguments: arguments, newProcessGroup: true, standardInput: ends[0])
        } catch {
            close(ends[0]); close(ends[1])
            throw CLIFailure.badInput("cannot start the importer: \(error.description)")
        }
        close(ends[0])
        writeEnd = ends[1]
        feeder = BackgroundThread { [self] in
            _ = text.follow(into: writeEnd) { self.abandoned.load(ordering: .relaxed) }
            close(writeEnd)
        }
    }

    /// Waits for the importer to read everything and finish; its exit status.
    func finish() -> Int32 {
        feeder?.join()
        while !child.poll() { usleep(50_000) }
        return child.exitStatus ?? 128 + (child.terminatingSignal ?? 0)
    }

    /// Stops feeding and ends the importer (a second Ctrl-C): the journal is not written.
    func abandon() {
        abandoned.store(true, ordering: .relaxed)
        child.signal(SIGTERM)
    }

    var isRunning: Bool { !child.poll() }
}
