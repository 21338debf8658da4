import ArgumentParser
import Foundation

/// The tool's own failures, each rendered as one line on stderr with its exit status:
/// 1 when the simulated run disagreed with what was expected, 2 for bad input, 124 when
/// a `--timeout` ran out (as timeout(1) exits), 130 on Ctrl-C (128 + SIGINT, as shells
/// report it).
enum CLIFailure: Error {
    case expectationFailed(String)
    case badInput(String)
    case timedOut(String)
    case interrupted(String)

    var message: String {
        switch self {
        case .expectationFailed(let text), .badInput(let text), .timedOut(let text), .interrupted(let text): return text
        }
    }

    var exitCode: ExitCode {
        switch self {
        case .expectationFailed: return ExitCode(1)
        case .badInput: return ExitCode(2)
        case .timedOut: return ExitCode(124)
        case .interrupted: return ExitCode(130)
        }
    }

    /// Runs `body`, turning any failure into its one error line and exit status. The one
    /// place errors are rendered.
    static func rendering(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let failure as CLIFailure {
            StandardError.write("dmajournal: \(failure.message)")
            throw failure.exitCode
        }
    }
}

enum StandardError {
    static func write(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
