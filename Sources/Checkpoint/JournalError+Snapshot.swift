import Journal
import Snapshot

extension JournalError {
    /// A snapshot that cannot be read back, as corruption of the journal table that holds
    /// the damage.
    public init(_ error: SnapshotError, path: String) {
        switch error.problem {
        case .corruptFrame, .checksumMismatch, .missingChunk:
            self = .corruptSnapshot(path: path, table: "chunks", detail: error.description)
        case .incompleteManifest, .chunkOutOfRange:
            self = .corruptSnapshot(path: path, table: "snapshot_chunks", detail: error.description)
        case .unknownSnapshot:
            // Asked for by a verify op the journal recorded: its checkpoint's row is gone.
            self = .corruptSnapshot(path: path, table: "snapshots", detail: error.description)
        }
    }

    /// Runs `body`, turning what the snapshot layer throws into journal errors about `path`.
    public static func mapping<T>(path: String, _ body: () throws -> T) throws(JournalError) -> T {
        do {
            return try body()
        } catch let error as JournalError {
            throw error
        } catch let error as SnapshotError {
            throw JournalError(error, path: path)
        } catch let error as ReplayPosition.OutOfOrder {
            throw .damaged(path: path, detail: error.description)
        } catch {
            throw .corruptSnapshot(path: path, table: "checkpoints", detail: String(describing: error))
        }
    }
}
