import Export
import Journal

/// Sorts a library's error into the CLI's two failure kinds: the input was bad (exit 2:
/// a missing or corrupt journal, a path that is a directory) or the machine failed the
/// tool (exit 3: SQLite's SQLITE_FULL / SQLITE_IOERR, a write or rename that failed after
/// the output was opened). The libraries word their errors; only the CLI decides exits.
protocol ToolFailureKind {
    /// True when the error is the machine's (I/O, disk full), not the input's.
    var isToolFailure: Bool { get }
}

extension JournalError: ToolFailureKind {
    var isToolFailure: Bool {
        switch self {
        case .diskFull, .ioError: return true
        default: return false
        }
    }
}

extension ExportError: ToolFailureKind {
    var isToolFailure: Bool {
        switch self {
        case .journal(let error): return error.isToolFailure
        case .writeFailed: return true
        default: return false
        }
    }
}

extension CLIFailure {
    /// The failure for a library error worded as `message`: a tool failure when the error
    /// says so, bad input otherwise.
    static func from(_ error: Error, message: String) -> CLIFailure {
        if let kind = error as? ToolFailureKind, kind.isToolFailure { return .toolFailure(message) }
        return .badInput(message)
    }
}
