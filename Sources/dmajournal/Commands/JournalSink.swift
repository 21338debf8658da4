import Checkpoint
import Foundation
import DMASim
import Journal
import OpScript
import Pipeline
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
            throw CLIFailure.from(error, message: error.description)
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
            throw CLIFailure.from(error, message: error.description)
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

    /// Commits the last batch and leaves one self-contained file, marked interrupted when a
    /// signal stopped the run. Readers still open make it wait (saying so on stderr), never
    /// fail; when they outlast the wait, a line says which files make up the journal.
    func finish() throws {
        guard let writer else { return }
        // A signal during the wait stops it; one that already stopped the run does not (a
        // second one exits at once, the journal intact).
        let raisedBefore = InterruptFlag.isRaised
        let waiting = SealWaiting(notice: StandardError.write, shouldStop: { !raisedBefore && InterruptFlag.isRaised })
        let result: SealResult
        do { result = try writer.finish(interruptedBy: InterruptFlag.signal, waiting: waiting) } catch { throw CLIFailure.from(error, message: error.description) }
        if let note = Self.note(on: result, path: writer.path) { StandardError.write("dmajournal: " + note) }
    }

    /// What the user must know about a journal that did not end as one file; nil when it did.
    static func note(on result: SealResult, path: String) -> String? {
        switch result {
        case .singleFile:
            return nil
        case .walModeKept(let readers):
            return "\(path) is complete; \(readers ?? "another process") still had it open, so it stays in WAL mode "
                + "(it reads as it is; `dmajournal recover \(path)` makes it a single rollback-mode file once they are done)"
        case .walHoldsCommits(let readers):
            return "\(path) is complete, but \(readers ?? "a reader") kept reading it, so its last commits are still in \(path)-wal: "
                + "keep that file beside it, or run `dmajournal recover \(path)` once the reader is done"
        }
    }

    /// The line a recording stopped by a signal ends with, naming what the journal kept.
    static func interruptedLine(path: String?, opsKept: Int) -> String {
        let signal = InterruptFlag.signal == SIGTERM ? "SIGTERM" : InterruptFlag.signal == SIGHUP ? "SIGHUP" : "Ctrl-C"
        guard let path else { return "stopped by \(signal) after \(opsKept) ops" }
        return "stopped by \(signal): \(path) holds ops 0…\(opsKept - 1), marked as an interrupted recording"
    }
}
