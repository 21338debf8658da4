import Checkpoint
import DMASim
import Journal
import Snapshot

/// `dmajournal verify` and `dmajournal diff`: which bytes of memory differ from a stored
/// snapshot (or between two), as runs, each with the ops that last wrote it.
///
/// The runs come from the stored chunks; the writers from a replay that tracks every
/// memory write after the older side: it starts at the latest checkpoint at or before the
/// older snapshot, replays up to it, starts tracking, and replays on to the newer side.
/// Replay compares outcomes as it goes, so an engine that no longer reproduces the journal
/// is reported instead of a wrong attribution.
public struct MemoryAudit {
    /// What differs, between what.
    public struct Report: Sendable {
        /// The older side: the snapshot compared against.
        public var older: SnapshotRecord
        /// The newer side: a snapshot (diff), or nil for memory after `newerSequence` (verify).
        public var newer: SnapshotRecord?
        /// The op after which the newer side stands.
        public var newerSequence: Int
        public var differences: [MemoryDifference]
        /// Where the attributing replay started (a checkpoint name), and how many ops it ran.
        public var startCheckpoint: String?
        public var replayedCount: Int
        /// The replay disagreed with the journal here: writers after it are unknown.
        public var divergence: Divergence?

        public var differingBytes: UInt64 { differences.reduce(0) { $0 + $1.length } }
    }

    private let reader: JournalReader
    private let loader: CheckpointLoader

    public init(reader: JournalReader) throws(JournalError) {
        self.reader = reader
        loader = try CheckpointLoader(reader: reader)
    }

    /// Memory after op `sequence` (the last op when nil) against the latest snapshot
    /// `name` taken at or before it.
    public func verify(against name: String, at sequence: Int? = nil) throws(JournalError) -> Report {
        let last = min(sequence ?? Int.max, reader.lastCommittedSequence ?? -1)
        let older = try loader.snapshot(named: name, atOrBefore: last)
        let (position, replay) = try replayTrackingWrites(after: older, through: last)
        let runs = try JournalError.mapping(path: reader.path) {
            try SnapshotKeeper(storage: loader.storage).differences(of: position.engine, from: older)
        }
        return Report(older: older, newer: nil, newerSequence: position.sequence, differences: position.engine.describe(runs),
                      startCheckpoint: position.checkpoint, replayedCount: replay.replayedCount, divergence: replay.divergence)
    }

    /// The latest snapshots `a` and `b` against each other, the older one first.
    public func diff(_ a: String, _ b: String) throws(JournalError) -> Report {
        let first = try loader.snapshot(named: a), second = try loader.snapshot(named: b)
        let (older, newer) = first.sequence <= second.sequence ? (first, second) : (second, first)
        let runs = try JournalError.mapping(path: reader.path) {
            try SnapshotKeeper(storage: loader.storage).differences(between: older, and: newer)
        }
        let (position, replay) = try replayTrackingWrites(after: older, through: newer.sequence)
        return Report(older: older, newer: newer, newerSequence: newer.sequence, differences: position.engine.describe(runs),
                      startCheckpoint: position.checkpoint, replayedCount: replay.replayedCount, divergence: replay.divergence)
    }

    /// Replays from the latest checkpoint at or before `older` through op `last`, tracking
    /// every memory write after `older`.
    private func replayTrackingWrites(after older: SnapshotRecord, through last: Int) throws(JournalError) -> (ReplayPosition, Replayer.Result) {
        let replayer = Replayer(reader: reader)
        let (position, before) = try replayer.position(after: older.sequence)
        position.engine.startTrackingWriters()
        guard before.divergence == nil else { return (position, before) }
        let after = try replayer.replay(from: position, through: last)
        return (position, Replayer.Result(replayedCount: before.replayedCount + after.replayedCount, divergence: after.divergence))
    }
}
