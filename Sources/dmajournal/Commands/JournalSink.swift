import Checkpoint
import DMASim
import Journal
import OpScript
import Snapshot
import Workloads

/// Hands each executed line to a journal, when the user asked for one.
struct JournalSink {
    private let writer: JournalWriter?

    /// Opens `path` for recording `source`; nil path records nothing.
    init(path: String?, force: Bool, source: String, seed: UInt64? = nil) throws {
        guard let path else { writer = nil; return }
        do {
            writer = try JournalWriter(path: path, force: force, run: RecordingOrigin.runInfo(source: source, seed: seed))
        } catch {
            throw CLIFailure.badInput(error.description)
        }
    }

    /// Records one executed line; `injection` marks a workload's injected misuse.
    func record(_ result: ScriptExecutor.LineResult, injection: MisuseInjection? = nil) throws {
        do {
            let sourceLine = result.line.lineNumber > 0 ? result.line.lineNumber : nil
            let claims = result.line.claims.isEmpty ? nil : Claim.text(of: result.line.claims)
            try writer?.record(result.line.op, outcome: result.outcome, sequence: result.sequence, sourceLine: sourceLine, claims: claims)
            if let injection {
                try writer?.markInjection(sequence: result.sequence, injectionClass: injection.injectionClass.rawValue, handle: injection.handle)
            }
        } catch {
            throw CLIFailure.badInput(error.description)
        }
    }

    /// The keeper of the run's snapshots: in the journal (inside its open batch) when
    /// there is one, else in memory.
    func makeKeeper() throws -> SnapshotKeeper {
        guard let writer else { return SnapshotKeeper() }
        let tables = try libraryCall { () throws(JournalError) -> SnapshotTables in try writer.snapshotTables() }
        return SnapshotKeeper(storage: JournalSnapshotStorage(tables: tables))
    }

    /// The journal's path, or what a run without one calls its in-memory snapshots.
    var path: String { writer?.path ?? "(memory)" }

    /// Commits the last batch and leaves one self-contained file.
    func finish() throws {
        do { try writer?.finish() } catch { throw CLIFailure.badInput(error.description) }
    }
}
