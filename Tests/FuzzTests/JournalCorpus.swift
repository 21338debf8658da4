import Checkpoint
import DMASim
import Foundation
import Journal
import OpScript
import Snapshot

/// The seed journals of the journal fuzz test: fixture scripts recorded as `run --journal`
/// records them (checkpoint and verify ops store snapshots in the journal), plus a
/// checkpoint taken every few ops, so every table has rows to damage.
enum JournalCorpus {
    static let fixtures = ScriptFuzzTests.fixtures
    static let scripts = ["quickstart.ops", "snapshots/memory-mismatch.ops", "misuse/double-free.ops", "bounce/link-head-middle-tail.ops",
                          "cache/missing-invalidate.ops", "kernel/lazy-destroy-holds-iova-until-flush-6.16.ops", "misuse/leak-at-detach.ops"]

    /// Records every script into `directory`; returns the journals' paths.
    static func record(into directory: URL) throws -> [String] {
        try scripts.map { name in
            let text = try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
            let ops = try ScriptParser().parse(text, fileName: name).ops
            let path = directory.appendingPathComponent(name.replacingOccurrences(of: "/", with: "-") + ".db").path
            let writer = try JournalWriter(path: path, run: RunInfo(toolVersion: "fuzz", source: name, createdAt: "2026-12-01T00:00:00Z"), batchSize: 8)
            let keeper = SnapshotKeeper(storage: JournalSnapshotStorage(tables: try writer.snapshotTables()))
            let engine = Engine()
            for (sequence, op) in ops.enumerated() {
                let outcome = try keeper.apply(op, to: engine, sequence: sequence)
                if sequence % 7 == 6 { try keeper.capture(engine, name: "fuzz:\(sequence)", kind: .checkpoint, afterSequence: sequence) }
                try writer.record(op, outcome: outcome, sequence: sequence, sourceLine: nil)
            }
            try writer.finish()
            return path
        }
    }
}
