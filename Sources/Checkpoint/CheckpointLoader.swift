import DMASim
import Journal
import Snapshot

/// Puts an engine where a journal's checkpoint stands: the checkpoint's engine state
/// decoded, its memory snapshot restored. Replay, verify, diff, snapshot and bisect start
/// from the latest checkpoint at or before the op they need instead of op 0.
///
///     let loader = try CheckpointLoader(reader: reader)
///     let (engine, sequence) = try loader.engine(atOrBefore: 750_000)  // then apply sequence+1…
///
/// Every failure is a `JournalError`: damaged chunk or state data is
/// `.corruptSnapshot` naming the table, snapshot and chunk; an unknown name is
/// `.unknownSnapshot`.
public struct CheckpointLoader {
    public let reader: JournalReader
    public let storage: JournalSnapshotStorage

    public init(reader: JournalReader) throws(JournalError) {
        self.reader = reader
        storage = JournalSnapshotStorage(tables: try reader.snapshotTables())
    }

    private var path: String { reader.path }

    /// A fresh engine and the sequence of the last op its state includes (-1: none):
    /// the latest checkpoint taken after an op at or before `sequence`, or a new engine.
    public func engine(atOrBefore sequence: Int) throws(JournalError) -> (engine: Engine, sequence: Int) {
        let position = try self.position(atOrBefore: sequence)
        return (position.engine, position.sequence)
    }

    /// Like `engine(atOrBefore:)`, with the keeper a replay from there goes on with.
    public func position(atOrBefore sequence: Int) throws(JournalError) -> ReplayPosition {
        guard let row = try storage.tables.latestCheckpoint(atOrBefore: sequence) else { return freshPosition() }
        return try load(row)
    }

    /// The position of the latest checkpoint called `name`.
    public func position(atCheckpoint name: String) throws(JournalError) -> ReplayPosition {
        let row = try snapshotRow(named: name)
        guard row.kind == SnapshotRecord.Kind.checkpoint.rawValue else {
            throw .notACheckpoint(path: path, name: name, checkpoints: try snapshotNames(kind: .checkpoint))
        }
        return try load(row)
    }

    /// A new engine before op 0 (`engine`: one on a changed default machine, for `--with
    /// kernel=`).
    public func freshPosition(engine: Engine = Engine()) -> ReplayPosition {
        ReplayPosition(engine: engine, sequence: -1, keeper: SnapshotKeeper(storage: LayeredSnapshotStorage(over: storage)))
    }

    /// The latest snapshot or checkpoint called `name` taken after an op at or before
    /// `sequence`.
    public func snapshot(named name: String, atOrBefore sequence: Int = .max) throws(JournalError) -> SnapshotRecord {
        let row = try snapshotRow(named: name, atOrBefore: sequence)
        return try JournalError.mapping(path: path) { try storage.record(of: row) }
    }

    /// The names of the journal's snapshots (of one kind), in the order they were taken.
    public func snapshotNames(kind: SnapshotRecord.Kind? = nil) throws(JournalError) -> [String] {
        var names: [String] = []
        for row in try storage.tables.snapshots() where kind.map({ row.kind == $0.rawValue }) ?? true && !names.contains(row.name) {
            names.append(row.name)
        }
        return names
    }

    private func snapshotRow(named name: String, atOrBefore sequence: Int = .max) throws(JournalError) -> SnapshotRow {
        guard let row = try storage.tables.latestSnapshot(named: name, atOrBefore: sequence) else {
            throw .unknownSnapshot(path: path, name: name, known: try snapshotNames(), atOrBefore: sequence == .max ? nil : sequence)
        }
        return row
    }

    /// Decodes the checkpoint's state and restores its memory.
    private func load(_ row: SnapshotRow) throws(JournalError) -> ReplayPosition {
        guard let id = row.id, let state = try storage.tables.checkpointState(snapshotID: id) else {
            throw .corruptSnapshot(path: path, table: "checkpoints", detail: "checkpoint '\(row.name)' (after seq \(row.seq)) has no engine state")
        }
        let engine: Engine
        do {
            engine = try CheckpointState.engine(from: state)
        } catch {
            throw .corruptSnapshot(path: path, table: "checkpoints",
                                   detail: "checkpoint '\(row.name)' (after seq \(row.seq)): engine state: \(error)")
        }
        let keeper = SnapshotKeeper(storage: LayeredSnapshotStorage(over: storage))
        try JournalError.mapping(path: path) { try keeper.restore(try storage.record(of: row), into: engine) }
        return ReplayPosition(engine: engine, sequence: row.seq, keeper: keeper, checkpoint: row.name)
    }
}
