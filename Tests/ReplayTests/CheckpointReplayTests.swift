import Checkpoint
import DMASim
import Foundation
import Journal
import OpScript
import Replay
import Snapshot
import TestSupport
import Testing
import Workloads

/// Replay from a checkpoint reaches the same outcomes as replay from op 0: for every
/// workload, from every checkpoint a recording took, and for scripts whose `verify` ops
/// name the ops that wrote memory (the last-writer map travels in the checkpoint).
@Suite struct CheckpointReplayTests {
    /// Records `ops` through a keeper that stores snapshots in the journal, taking a
    /// checkpoint `auto:SEQ` after every `every` ops (as `record --checkpoint-every`).
    static func record(_ ops: [Op], checkpointEvery every: Int) throws -> String {
        var recording = try JournalRecording(path: JournalRecording.temporaryPath("ckpt-replay"), batchSize: 1000, checkpointEvery: every)
        try recording.record(ops)
        return try recording.finish()
    }

    static func workloadOps(_ kind: WorkloadKind) throws -> [Op] {
        let injections = kind == .rdmaODP ? [] : [try InjectionSpec(parsing: "late-access@0.002")]
        let options = WorkloadOptions(seed: 3, opCount: 2500, injections: injections)
        return try kind.generator.steps(options).map(\.op)
    }

    /// Replays from each checkpoint; each must agree with the journal to its end.
    static func expectEveryCheckpointReplaysIdentically(_ path: String) throws {
        let reader = try JournalReader(path: path)
        let loader = try CheckpointLoader(reader: reader)
        let names = try loader.snapshotNames(kind: .checkpoint)
        #expect(!names.isEmpty)
        for name in names {
            let start = try loader.position(atCheckpoint: name)
            let first = start.sequence
            let result = try Replayer(reader: reader).replay(from: start)
            #expect(result.divergence == nil, "from \(name): \(result.divergence.map(String.init(describing:)) ?? "")")
            #expect(result.replayedCount == reader.opCount - first - 1, "from \(name)")
        }
        #expect(try Replayer(reader: reader).replay().divergence == nil)
    }

    @Test(arguments: WorkloadKind.allCases)
    func everyWorkloadReplaysFromEveryCheckpoint(_ kind: WorkloadKind) throws {
        try Self.expectEveryCheckpointReplaysIdentically(try Self.record(try Self.workloadOps(kind), checkpointEvery: 700))
    }

    /// Scripts with checkpoint and verify ops: the verify findings (runs and their last
    /// writers) replay identically from each checkpoint the script took.
    @Test(arguments: ["memory-mismatch.ops", "cpu-write-after-checkpoint.ops", "dirty-lines-are-not-memory.ops", "bounce-copy.ops"])
    func verifyFindingsReplayFromEveryCheckpoint(_ name: String) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fixtures/scripts/snapshots/\(name)")
        let script = try ScriptParser().parse(String(contentsOf: url, encoding: .utf8), fileName: name)
        let path = try Self.record(script.lines.map(\.op), checkpointEvery: .max)
        let reader = try JournalReader(path: path)
        #expect(try reader.readAll().contains { $0.outcome.findings.contains { $0.misuse == .memoryMismatch } })
        try Self.expectEveryCheckpointReplaysIdentically(path)
    }

    /// The loader picks the latest checkpoint at or before the op asked for.
    @Test func theLoaderStartsFromTheLatestCheckpointAtOrBeforeTheOp() throws {
        let ops = try Self.workloadOps(.nvme)
        let path = try Self.record(ops, checkpointEvery: 1000)
        let loader = try CheckpointLoader(reader: JournalReader(path: path))
        #expect(try loader.engine(atOrBefore: 998).sequence == -1)
        #expect(try loader.engine(atOrBefore: 999).sequence == 999)
        #expect(try loader.engine(atOrBefore: 1998).sequence == 999)
        #expect(try loader.engine(atOrBefore: .max).sequence == ops.count / 1000 * 1000 - 1)
        #expect(try loader.engine(atOrBefore: 1500).engine.appliedCount == 1000)
    }
}
