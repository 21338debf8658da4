import Checkpoint
import Journal
import Snapshot

/// Runs work that goes through a snapshot keeper, turning a damaged or missing snapshot
/// (or any journal error) into the CLI's one-line bad-input failure about `path` (a tool
/// failure for I/O errors and a full disk, `ToolFailureKind`). The
/// tool's own failures pass through.
func snapshotCall<T>(path: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let failure as CLIFailure {
        throw failure
    } catch let error as JournalError {
        throw CLIFailure.from(error, message: error.description)
    } catch let error as SnapshotError {
        throw CLIFailure.badInput(JournalError(error, path: path).description)
    } catch {
        throw CLIFailure.badInput("\(path): \(error)")
    }
}
