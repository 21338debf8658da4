import ArgumentParser
import Foundation

/// The tool's own failures, each rendered as one line on stderr with its exit status:
/// 1 when the simulated run disagreed with what was expected, 2 for bad input.
enum CLIFailure: Error {
    case expectationFailed(String)
    case badInput(String)

    var message: String {
        switch self {
        case .expectationFailed(let text), .badInput(let text): return text
        }
    }

    var exitCode: ExitCode {
        switch self {
        case .expectationFailed: return ExitCode(1)
        case .badInput: return ExitCode(2)
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
