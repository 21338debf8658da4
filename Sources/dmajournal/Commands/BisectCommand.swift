import ArgumentParser
import Foundation
import Journal
import Replay

/// `dmajournal bisect FILE --until PREDICATE`: the first op after which it holds.
struct BisectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bisect",
        abstract: "Find the first op of a journal after which a predicate holds, with its context.",
        discussion: """
            --until \(BisectPredicate.syntax) (violation[=CLASS] is finding[=CLASS]). \
            Event predicates replay forward and stop at the first op whose replayed \
            outcome shows the event: for finding and fault from the last checkpoint before \
            it (record with --checkpoint-every N to have them), otherwise from op 0, a \
            forward scan (one replay is the fastest answer there). mismatch uses the => \
            claims the ops were recorded with; divergence compares with the recording \
            (use it with --with). --run CMD judges reproducer scripts of prefixes by \
            binary search instead: CMD gets the script as $1 and exits 0 good, 125 skip, \
            1-127 bad except 126/127 (cannot run, not found), which stop the bisect; \
            anything else aborts. Both ends are judged first: the whole journal must be \
            bad and the machine declarations alone good. Each step is printed on stderr \
            ("N ops left, about k steps"); --log FILE keeps them. Exit 0 with the op \
            found, 1 when the predicate never holds or the answer is inconclusive, 2 for \
            bad input.

            EXAMPLES:
              dmajournal bisect nvme.db --until finding
              dmajournal bisect nvme.db --until violation=use-after-destroy --format json
              dmajournal bisect nvme.db --until divergence --with iommu-mode=strict
              dmajournal bisect nvme.db --run 'dmajournal run "$1" --quiet' --log bisect.log
            """
    )

    @Argument(help: "The journal file.")
    var journal: String

    @OptionGroup var badRun: BadRunOptions<BisectCommand>

    @OptionGroup var machine: MachineChangeOptions

    @Option(help: ArgumentHelp("Also write each --run step to FILE.", valueName: "file"))
    var log: String?

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() throws {
        try CLIFailure.rendering {
            let predicate = try badRun.predicate()
            let changes = try machine.parsed()
            try ReplayCommand.refuseImported(journal, command: "bisect")
            let reader = try libraryCall { () throws(JournalError) -> JournalReader in try JournalReader(path: journal) }
            let bisector = try libraryCall { () throws(ReplayError) -> Bisector in try Bisector(reader: reader, overrides: changes) }
            let clock = ContinuousClock()
            let started = clock.now
            var progress = ProgressReporter(total: reader.opCount)
            var stepLog = BisectStepLog(path: log, journal: journal, predicate: predicate)
            let result: BisectResult
            do throws(ReplayError) {
                result = try bisector.bisect(predicate, progress: { progress.update(done: $0 + 1) }, step: { stepLog.record($0) })
            } catch {
                progress.finish()
                stepLog.close(ending: error.description)
                throw Self.failure(error)
            }
            progress.finish()
            stepLog.close(ending: "done")
            let seconds = (clock.now - started) / .seconds(1)
            try report(result, predicate: predicate, reader: reader, seconds: seconds)
        }
    }

    /// Nothing found is an answer, not bad input: exit 1.
    static func failure(_ error: ReplayError) -> CLIFailure {
        switch error {
        case .neverHolds, .holdsAtStart, .commandAborted: return .expectationFailed(error.description)
        default: return .from(error, message: error.description)
        }
    }

    /// How the answer was reached, in words: a bisection, a replay from a checkpoint, or
    /// a forward scan from op 0 (with what would make it shorter).
    static func method(of result: BisectResult, predicate: BisectPredicate, seconds: Double) -> String {
        let time = String(format: "%.2f s", seconds)
        if case .command = predicate { return "\(result.steps) steps of a binary search, \(time)" }
        if let checkpoint = result.startCheckpoint {
            return "replayed \(result.replayedOps) ops from checkpoint \(checkpoint) (after seq \(result.startedAfter), "
                + "found in \(result.checkpointProbes) checkpoint probes), \(time)"
        }
        let hint: String
        switch predicate {
        case .finding, .fault:
            hint = "no checkpoint before it; record with --checkpoint-every N to start nearer"
        default:
            hint = "\(predicate) needs every outcome from op 0"
        }
        return "a forward scan: replayed \(result.replayedOps) ops from op 0, \(time); \(hint)"
    }

    private func report(_ result: BisectResult, predicate: BisectPredicate, reader: JournalReader, seconds: Double) throws {
        let method = Self.method(of: result, predicate: predicate, seconds: seconds)
        switch result.verdict {
        case .firstBad(let seq):
            let context = try libraryCall { () throws(JournalError) -> [String] in
                try BisectContext(reader: reader).describe(seq: seq, replayed: result.replayedOutcome)
            }
            if format == .json {
                print(JSONObject([("predicate", .string("\(predicate)")), ("verdict", .string("first-bad")), ("seq", .int(seq)),
                                  ("method", .string(method)), ("steps", .int(result.steps)), ("replayed_ops", .int(result.replayedOps)),
                                  ("start_checkpoint", result.startCheckpoint.map(JSONValue.string) ?? .null),
                                  ("seconds", .double(seconds)), ("context", .array(context.map(JSONValue.string)))]).text)
                return
            }
            print("first op where \(predicate) holds: seq \(seq) (\(method))")
            context.forEach { print($0) }
        case .inconclusive(let range):
            if format == .json {
                print(JSONObject([("predicate", .string("\(predicate)")), ("verdict", .string("inconclusive")),
                                  ("first_seq", .int(range.lowerBound)), ("last_seq", .int(range.upperBound)),
                                  ("skipped", .array(result.skipped.map(JSONValue.int))), ("steps", .int(result.steps)),
                                  ("seconds", .double(seconds))]).text)
            } else {
                print("inconclusive: the first op where \(predicate) holds is one of seq \(range.lowerBound)…\(range.upperBound); "
                      + "\(result.skipped.count) prefixes were skipped (\(method))")
            }
            throw CLIFailure.expectationFailed("bisect was inconclusive")
        }
    }
}

extension BisectCommand: BadRunJudging {
    static let commandName = "bisect"
    static let runHelp = "Judge prefixes with this shell command instead (git bisect run exit codes)."
}
