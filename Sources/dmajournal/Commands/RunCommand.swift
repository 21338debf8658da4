import ArgumentParser
import DMASim
import OpScript
import Pipeline

/// `dmajournal run SCRIPT`: execute an op script, print each line's outcome, check its
/// `=>` expectations.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an op script and print each line's outcome; check its => expectations.",
        discussion: """
            Exit status: 0 when every expectation held, 1 at the first that did not \
            (naming the line, what was expected and what happened), 2 for bad input \
            (unreadable file, syntax error, an op that cannot run).

            EXAMPLES:
              dmajournal run fixtures/scripts/quickstart.ops
              dmajournal run fixtures/scripts/quickstart.ops --quiet --journal quickstart.db
              dmajournal run repro.ops --format json
            """
    )

    @Argument(help: "The op script to run (see docs/op-script.md).")
    var script: String

    @Option(help: "Output format: text or json (one JSON object per op).")
    var format: OutputFormat = .text

    @Flag(help: "Print only failures and the summary.")
    var quiet = false

    @Option(help: "Record every op and outcome in this SQLite journal (see docs/queries.md).")
    var journal: String?

    @Flag(help: "Overwrite an existing journal.")
    var force = false

    @OptionGroup var logging: LoggingOptions

    func run() throws {
        try CLIFailure.rendering {
            let log = logging.logger("dmajournal.run")
            let parsed = try ScriptFile.load(script)
            log.debug("parsed \(parsed.fileName): \(parsed.script.lines.count) ops")
            var printer = OutcomePrinter(format: format, quiet: quiet, fileName: parsed.fileName)
            let sink = try JournalSink(path: journal, force: force, source: parsed.fileName)
            // With a journal, Ctrl-C stops between ops and seals what ran; without one it
            // simply ends the run.
            if journal != nil { InterruptFlag.stopBetweenOps() }
            let executor = ScriptExecutor(keeper: try sink.makeKeeper())
            var opsRun = 0
            let ending: ScriptExecutor.Ending?
            do {
                ending = try snapshotCall(path: sink.path) {
                    try executor.run(parsed.script) { result in
                        try printer.print(result)
                        try sink.record(result)
                        opsRun += 1
                        if InterruptFlag.isRaised { throw CLIFailure.interrupted("") }
                    }
                }
            } catch CLIFailure.interrupted {
                ending = nil
            }
            // The journal keeps every op that ran, also when the run stopped early.
            try sink.finish()
            guard let ending else { throw CLIFailure.interrupted(JournalSink.interruptedLine(path: journal, opsKept: opsRun)) }
            printer.printSummary(ending)
            try ending.exitStatus(fileName: parsed.fileName)
        }
    }
}

extension ScriptExecutor.Ending {
    /// Throws the failure the CLI reports for this ending; returns for a completed run.
    func exitStatus(fileName: String) throws {
        switch self {
        case .completed:
            return
        case .claimFailed(let result):
            let expected = Claim.text(of: result.line.claims)
            let actual = OutcomeDescriber().describe(result.outcome)
            throw CLIFailure.expectationFailed("\(fileName):\(result.line.lineNumber): expected '\(expected)', got '\(actual)'")
        case .rejected(let result):
            guard case .rejected(let reason) = result.outcome.status else { return }
            throw CLIFailure.badInput("\(fileName):\(result.line.lineNumber): \(reason)")
        }
    }
}
