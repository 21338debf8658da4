import ArgumentParser
import Foundation

/// The tool's own failures, each rendered as one line on stderr with its exit status:
/// 1 when the simulated run disagreed with what was expected, 2 for bad input, 3 when the
/// tool could not do its work although the input was fine (an I/O error, a full disk, a
/// journal or output that cannot be written or renamed into place), 124 when
/// a `--timeout` ran out (as timeout(1) exits), 128 + N when signal N stopped the command
/// (130 for Ctrl-C, 143 for SIGTERM, as shells report it; a recording still sealed its
/// journal).
enum CLIFailure: Error {
    case expectationFailed(String)
    case badInput(String)
    /// The machine failed the tool, not the user: EIO, ENOSPC, a failed write or rename.
    /// Retrying elsewhere may succeed; fixing the input will not.
    case toolFailure(String)
    case timedOut(String)
    /// A command cut short by SIGINT/SIGTERM/SIGHUP: what it kept, exit 128 + the signal.
    case interrupted(String)

    var message: String {
        switch self {
        case .expectationFailed(let text), .badInput(let text), .toolFailure(let text), .timedOut(let text), .interrupted(let text): return text
        }
    }

    var exitCode: ExitCode {
        switch self {
        case .expectationFailed: return ExitCode(1)
        case .badInput: return ExitCode(2)
        case .toolFailure: return ExitCode(3)
        case .timedOut: return ExitCode(124)
        case .interrupted: return ExitCode(InterruptFlag.isRaised ? InterruptFlag.exitStatus : 130)
        }
    }

    /// Runs `body`, turning any failure into its one error line and exit status.
    static func rendering(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let failure as CLIFailure {
            throw failure.rendered()
        }
    }

    /// Writes the failure's one line on stderr and returns its exit status: the one place
    /// the tool's own failures are rendered.
    func rendered() -> ExitCode {
        StandardError.write("dmajournal: \(message)")
        return exitCode
    }
}

extension CLIFailure {
    /// Runs the whole command and returns its exit status, rendering every failure as one
    /// line on stderr: the tool's own (`CLIFailure`, already printed by `rendering`), the
    /// argument parser's (a usage error: one line and where to read more, not a dump of
    /// the usage), and a failed write to standard output (exit 3, a tool failure, when the
    /// command had succeeded: its output was lost).
    static func exitStatus(_ body: () throws -> Void) -> Int32 {
        var status: Int32
        do {
            try body()
            status = 0
        } catch let failure as CLIFailure {
            status = failure.rendered().rawValue
        } catch {
            status = renderParserError(error)
        }
        if let reason = StandardOutput.flush() {
            StandardError.write("dmajournal: standard output: cannot write: \(reason)")
            if status == 0 { status = CLIFailure.toolFailure("").exitCode.rawValue }
        }
        return status
    }

    /// `--help` prints the help (exit 0); an `ExitCode` was rendered where it was thrown;
    /// anything else is a usage error: one line naming the subcommand and its help, exit 2
    /// as for every other kind of bad input (not the parser's multi-line usage and 64).
    private static func renderParserError(_ error: Error) -> Int32 {
        let code = DMAJournal.exitCode(for: error)
        let full = DMAJournal.fullMessage(for: error)
        if code == .success {
            if !full.isEmpty { print(full) }
            return 0
        }
        let message = DMAJournal.message(for: error)
        guard !message.isEmpty else { return code.rawValue }
        let line = message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: "; ")
        let command = commandName(in: full)
        StandardError.write("\(command): \(line.hasPrefix("Error: ") ? String(line.dropFirst(7)) : line) (see '\(command) --help')")
        return code == .validationFailure ? 2 : code.rawValue
    }

    /// The command the parser's full message points to ("See 'dmajournal record --help'
    /// for more information." gives "dmajournal record"), or the tool's name.
    private static func commandName(in full: String) -> String {
        guard let start = full.range(of: "See '"), let end = full[start.upperBound...].range(of: " --help'") else { return "dmajournal" }
        return String(full[start.upperBound..<end.lowerBound])
    }
}

enum StandardError {
    static func write(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
