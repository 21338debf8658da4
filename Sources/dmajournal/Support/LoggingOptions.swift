import ArgumentParser
import Logging

/// `--log-level`, shared by every subcommand: diagnostics go to stderr through swift-log,
/// never mixed into the results on stdout.
struct LoggingOptions: ParsableArguments {
    @Option(name: .long, help: "Diagnostics on stderr: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .warning

    /// A logger for `label`, at the level the user asked for.
    func logger(_ label: String) -> Logger {
        var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = logLevel
        return logger
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
