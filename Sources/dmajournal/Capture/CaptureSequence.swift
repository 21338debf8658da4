import ArgumentParser
import Capture
import Foundation

/// One `dmajournal capture` run: the checks, the capture, the import, the report.
struct CaptureSequence {
    let command: CaptureCommand
    let options: CaptureOptions

    func run() throws {
        let files = FileManager.default
        for path in [command.journal, command.textPath] where files.fileExists(atPath: path) && !command.force {
            throw CLIFailure.badInput("\(path) exists (--force overwrites it)")
        }
        let say: (String) -> Void = { StandardError.write("capture: \($0)") }
        let preflight = try CapturePreflight.run(tracefsPath: command.tracefs, systems: options.events.map(\.system), say: say)
        try? files.createDirectory(atPath: command.stateDir, withIntermediateDirectories: true)

        var request = CaptureRun.Request(recordPath: command.recordPath)
        request.options = options
        request.command = command.command
        request.durationSeconds = command.duration
        request.toolVersion = "dmajournal \(ToolVersion.current)"
        request.mounted = preflight.mounted
        let facts = SystemFacts.read(kernelLog: SystemFacts.kernelLog())

        let text: CaptureText
        do { text = try CaptureText(path: command.textPath) } catch { throw CLIFailure.badInput(error.description) }
        let feed = command.deferImport ? nil : try ImportFeed(text: text, journal: command.journal, quiet: command.quiet)
        var progress = CaptureProgress()
        let run = CaptureRun(files: preflight.tracefs, support: preflight.support, facts: facts, request: request,
                             say: { line in progress.clear(); say(line) }, progress: { progress.show($0) })
        let outcome = run.run(into: text)
        progress.clear()
        report(outcome)

        var importStatus: Int32 = 0
        if outcome.error != nil && outcome.events == 0 {
            // Nothing was captured: no journal to make.
            if let feed { feed.abandon(); _ = feed.finish() }
        } else if let feed {
            say("importing the rest of \(command.textPath) into \(command.journal) (Ctrl-C again abandons the import; the text stays)")
            importStatus = waitForImport(feed)
        } else {
            importStatus = importNow(text: command.textPath)
        }

        if let error = outcome.error { throw CLIFailure.badInput(error.description) }
        if !outcome.teardownProblems.isEmpty {
            throw CLIFailure.badInput("tracefs is not as it was (\(outcome.teardownProblems.count) changes left); `dmajournal capture --cleanup` retries")
        }
        if importStatus != 0 { throw ExitCode(importStatus) }
        if let status = outcome.commandStatus, status != 0 { throw ExitCode(status) }
    }

    private func report(_ outcome: CaptureRun.Outcome) {
        let say: (String) -> Void = { StandardError.write("capture: \($0)") }
        say("stopped: \(outcome.stopReason.text) after \(String(format: "%.1f", outcome.seconds)) s; \(outcome.events) trace lines, \(outcome.lostEvents) events lost; text in \(command.textPath)")
        if outcome.lostEvents > 0 { say("events were lost: a larger --buffer-kb, or --defer-import on a busy machine, keeps them") }
        if outcome.teardownProblems.isEmpty {
            say("tracefs is as it was: probes removed, events and settings put back")
        } else {
            outcome.teardownProblems.forEach { say("teardown: \($0)") }
        }
    }

    /// Waits for the importer; a further signal abandons it.
    private func waitForImport(_ feed: ImportFeed) -> Int32 {
        StopSignals.install()
        defer { StopSignals.restore() }
        while feed.isRunning {
            if StopSignals.received != nil {
                feed.abandon()
                StandardError.write("capture: import abandoned; `dmajournal import \(command.textPath) --journal \(command.journal)` makes the journal")
                break
            }
            usleep(50_000)
        }
        return feed.finish()
    }

    /// `--defer-import`: the importer on the finished text.
    private func importNow(text: String) -> Int32 {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var arguments = [executable, "import", text, "--journal", command.journal, "--force"]
        if command.quiet { arguments.append("--quiet") }
        guard let child = try? ChildProcess(arguments: arguments) else { return 2 }
        while !child.poll() { usleep(50_000) }
        return child.exitStatus ?? 2
    }
}
