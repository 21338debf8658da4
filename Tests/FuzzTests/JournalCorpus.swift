import Checkpoint
import DMASim
import Foundation
import Journal
import OpScript
import Snapshot
import TestSupport

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
            var recording = try JournalRecording(path: path, run: RunInfo(toolVersion: "fuzz", source: name, createdAt: "2026-12-01T00:00:00Z"),
                                                 batchSize: 8, checkpointEvery: 7)
            recording.checkpointPrefix = "fuzz:"
            try recording.record(ops)
            return try recording.finish()
        }
    }
}
