import DMASim

/// The layer between a pipe (script run, recording, replay) and the engine that owns
/// memory snapshots: it runs `checkpoint NAME` and `verify NAME` the engine cannot run
/// alone, because the engine does no I/O and keeps no copies of memory.
///
///     let keeper = SnapshotKeeper()                   // in memory; or journal storage
///     let outcome = try keeper.apply(op, to: engine, sequence: seq)
///
/// - `checkpoint NAME`: the engine notes the name (and starts tracking who writes memory),
///   then the keeper captures memory into its storage, after this op.
/// - `verify NAME`: the keeper compares memory with the latest snapshot called NAME and
///   hands the differing runs to `Engine.verify(_:differingRuns:)`, which makes the
///   outcome: a `memory-mismatch` finding per run, naming the ops that last wrote it.
///   The outcome depends only on memory, so replay reproduces it.
///
/// Every other op goes straight to the engine. Failures of the storage (a damaged chunk)
/// are thrown: they are the tool's problem, never an outcome.
public final class SnapshotKeeper {
    public let storage: any SnapshotStorage
    private let snapshotter = Snapshotter()
    private let comparer = MemoryComparer()
    /// The last manifest captured or restored for `baseEngine`: the next capture of the
    /// same engine re-reads only chunks written since.
    private weak var baseEngine: Engine?
    private var baseManifest: SnapshotManifest?

    public init(storage: any SnapshotStorage = InMemorySnapshotStorage()) {
        self.storage = storage
    }

    /// Applies op number `sequence` to `engine`.
    public func apply(_ op: Op, to engine: Engine, sequence: Int) throws -> Outcome {
        switch op.call {
        case .checkpoint(let call):
            let outcome = engine.apply(op)
            if outcome.status == .ok { try capture(engine, name: call.name, kind: .checkpoint, afterSequence: sequence) }
            return outcome
        case .verify(let call) where engine.hasCheckpoint(call.name):
            let (_, runs) = try differences(of: engine, from: call.name, atOrBefore: sequence - 1)
            return engine.verify(op, differingRuns: runs)
        default:
            return engine.apply(op)
        }
    }

    /// Captures `engine`'s memory as snapshot `name`, taken after op `afterSequence`.
    @discardableResult
    public func capture(_ engine: Engine, name: String, kind: SnapshotRecord.Kind, afterSequence: Int) throws -> SnapshotRecord {
        let base = baseEngine === engine ? baseManifest : nil
        let (manifest, statistics) = try snapshotter.capture(engine, into: storage, base: base)
        let record = SnapshotRecord(name: name, sequence: afterSequence, kind: kind, manifest: manifest, statistics: statistics)
        try storage.save(record, of: engine)
        remember(manifest, of: engine)
        return record
    }

    /// Writes snapshot `record` back into `engine`'s memory.
    public func restore(_ record: SnapshotRecord, into engine: Engine) throws {
        do {
            remember(try snapshotter.restore(record.manifest, from: storage, into: engine), of: engine)
        } catch let error as SnapshotError {
            throw error.in(snapshot: record.name, sequence: record.sequence)
        }
    }

    /// The runs where `engine`'s memory differs from the latest snapshot `name` taken
    /// after an op at or before `sequence`.
    public func differences(of engine: Engine, from name: String, atOrBefore sequence: Int) throws -> (SnapshotRecord, [PhysRange]) {
        let record = try snapshot(named: name, atOrBefore: sequence)
        return (record, try differences(of: engine, from: record))
    }

    /// The runs where `engine`'s memory differs from snapshot `record` (in this storage).
    public func differences(of engine: Engine, from record: SnapshotRecord) throws -> [PhysRange] {
        do {
            return try comparer.differences(of: engine, from: record.manifest, in: storage)
        } catch let error as SnapshotError {
            throw error.in(snapshot: record.name, sequence: record.sequence)
        }
    }

    /// The runs where snapshot `newer` differs from snapshot `older`.
    public func differences(between older: SnapshotRecord, and newer: SnapshotRecord) throws -> [PhysRange] {
        try comparer.differences(between: older, and: newer, in: storage)
    }

    /// The latest snapshot `name` taken after an op at or before `sequence`.
    public func snapshot(named name: String, atOrBefore sequence: Int) throws -> SnapshotRecord {
        guard let record = try storage.latestSnapshot(named: name, atOrBefore: sequence) else {
            throw SnapshotError(.unknownSnapshot, snapshot: name)
        }
        return record
    }

    private func remember(_ manifest: SnapshotManifest, of engine: Engine) {
        baseEngine = engine
        baseManifest = manifest
    }
}
