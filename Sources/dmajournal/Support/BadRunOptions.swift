import ArgumentParser
import Replay

/// What `--run` judges, in the words of the command's help (bisect judges prefixes,
/// minimize judges candidates).
protocol BadRunJudging {
    static var commandName: String { get }
    static var runHelp: String { get }
}

/// `--until PREDICATE` and `--run CMD`, shared by `bisect` and `minimize`: what makes a
/// run bad, given as a predicate on the replay or as a shell command (git bisect run's
/// exit codes). Exactly one of them.
struct BadRunOptions<Judging: BadRunJudging>: ParsableArguments {
    @Option(help: "What makes the run bad: \(BisectPredicate.syntax).")
    var until: String?

    @Option(name: .customLong("run"), help: ArgumentHelp(Judging.runHelp))
    var command: String?

    /// The predicate the flags give; neither or both is bad input.
    func predicate() throws -> BisectPredicate {
        switch (until, command) {
        case (nil, let command?): return .command(command)
        case (let text?, nil): return try libraryCall { () throws(ReplayError) -> BisectPredicate in try BisectPredicate(parsing: text) }
        default: throw CLIFailure.badInput("\(Judging.commandName): give exactly one of --until PREDICATE and --run CMD")
        }
    }
}
