import ArgumentParser
import Journal
import Replay

/// `dmajournal bisect FILE --until PREDICATE`: the first op after which it holds.
struct BisectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bisect",
        abstract: "Find the first op of a journal after which a predicate holds, with its context.",
        discussion: """
            --until \(BisectPredicate.syntax). Event predicates replay forward and \
            stop at the first op whose replayed outcome shows the event; mismatch uses \
            the => claims the ops were recorded with; divergence compares with the \
            recording (use it with --with). --run CMD instead judges reproducer scripts \
            of prefixes by binary search: CMD gets the script as $1 and exits 0 good, \
            125 skip, 1-127 bad, anything else aborts (git bisect run's rules). \
            Exit 0 with the op found, 1 when the predicate never holds or the answer \
            is inconclusive, 2 for bad input.
            """
    )

    @Argument(help: "The journal file.")
    var journal: String

    @Option(help: "What makes the run bad: \(BisectPredicate.syntax).")
    var until: String?

    @Option(name: .customLong("run"), help: "Judge prefixes with this shell command instead (git bisect run exit codes).")
    var command: String?

    @Option(name: .customLong("with"), help: "Replay on a changed machine: KEY=VALUE; repeatable.")
    var overrides: [String] = []

    func run() throws {
        try CLIFailure.rendering {
            let predicate = try predicate()
            let changes = try ReplayCommand.parse(overrides)
            try ReplayCommand.refuseImported(journal, command: "bisect")
            let reader = try libraryCall { () throws(JournalError) -> JournalReader in try JournalReader(path: journal) }
            let bisector = try libraryCall { () throws(ReplayError) -> Bisector in try Bisector(reader: reader, overrides: changes) }
            let clock = ContinuousClock()
            let started = clock.now
            var progress = ProgressReporter(total: reader.opCount)
            let result: BisectResult
            do throws(ReplayError) {
                result = try bisector.bisect(predicate) { progress.update(done: $0 + 1) }
            } catch {
                progress.finish()
                throw Self.failure(error)
            }
            progress.finish()
            let seconds = (clock.now - started) / .seconds(1)
            try report(result, predicate: predicate, reader: reader, seconds: seconds)
        }
    }

    private func predicate() throws -> BisectPredicate {
        switch (until, command) {
        case (nil, let command?): return .command(command)
        case (let text?, nil): return try libraryCall { () throws(ReplayError) -> BisectPredicate in try BisectPredicate(parsing: text) }
        default: throw CLIFailure.badInput("bisect: give exactly one of --until PREDICATE and --run CMD")
        }
    }

    /// Nothing found is an answer, not bad input: exit 1.
    static func failure(_ error: ReplayError) -> CLIFailure {
        switch error {
        case .neverHolds, .holdsAtStart, .commandAborted: return .expectationFailed(error.description)
        default: return .badInput(error.description)
        }
    }

    private func report(_ result: BisectResult, predicate: BisectPredicate, reader: JournalReader, seconds: Double) throws {
        let origin = result.startCheckpoint.map { " from checkpoint \($0) (after seq \(result.startedAfter), found in \(result.checkpointProbes) checkpoint probes)" } ?? ""
        let cost = "\(result.steps) steps, \(result.replayedOps) ops replayed\(origin), \(String(format: "%.2f", seconds)) s"
        switch result.verdict {
        case .firstBad(let seq):
            print("first op where \(predicate) holds: seq \(seq) (\(cost))")
            let context = try libraryCall { () throws(JournalError) -> [String] in
                try BisectContext(reader: reader).describe(seq: seq, replayed: result.replayedOutcome)
            }
            context.forEach { print($0) }
        case .inconclusive(let range):
            print("inconclusive: the first op where \(predicate) holds is one of seq \(range.lowerBound)…\(range.upperBound); "
                  + "\(result.skipped.count) prefixes were skipped (\(cost))")
            throw CLIFailure.expectationFailed("bisect was inconclusive")
        }
    }
}
