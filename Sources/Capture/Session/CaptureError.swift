/// Why a capture could not start or go on: each one line, naming the place.
public enum CaptureError: Error, Equatable, CustomStringConvertible {
    /// A tracefs operation failed.
    case tracefs(TracefsError)
    /// A change record is already there.
    case recordExists(path: String)
    /// What this capture would create is already in tracefs (another capture, a killed one).
    case leftovers(String)
    /// The machine does not allow it: not root, lockdown, no tracefs.
    case environment(String)
    /// The command to run could not be started.
    case command(String)

    public var description: String {
        switch self {
        case .tracefs(let error): return error.description
        case .recordExists(let path):
            return "\(path) exists: another capture is running, or a killed one left its changes; `dmajournal capture --cleanup` undoes them"
        case .leftovers(let what): return "\(what): another capture is running, or a killed one left it; `dmajournal capture --cleanup` removes it"
        case .environment(let text), .command(let text): return text
        }
    }
}
