/// `verify NAME`: the engine's half. The layer that keeps snapshots (`SnapshotKeeper` in
/// the Snapshot module) compares memory with checkpoint NAME's snapshot and hands the
/// differing byte runs in; the engine turns them into the outcome — a `memory-mismatch`
/// finding per run, naming the region and the ops that last wrote it. No I/O here, and
/// the outcome depends only on memory and the op history, so replay reproduces it.
///
/// "Memory" is RAM, what a DRAM dump (and a non-coherent device) sees: a CPU store still
/// in a dirty line of the cache model is not memory until maintenance writes it back,
/// and then the writeback is its writer.
extension Engine {
    /// At most this many runs are listed one by one; the rest are summed up in one more
    /// finding, so a verify after a large overwrite stays a readable outcome.
    public static let listedDifferenceLimit = 64

    /// Whether a `checkpoint` op has declared `name`.
    public func hasCheckpoint(_ name: String) -> Bool { checkpointNames.contains(name) }

    /// Starts recording who writes memory, unless it already does: from now on every RAM
    /// write notes its op. The first `checkpoint` op starts it. What was recorded is kept,
    /// because `verify` outcomes depend on it: a byte that differs from a snapshot was
    /// last written after it, so older entries never name the wrong op.
    public func startTrackingWriters() {
        if memory.lastWriters == nil { memory.lastWriters = LastWriterMap() }
    }

    /// Whether it keeps which op last wrote each byte (from the first checkpoint on).
    public var isTrackingWriters: Bool { memory.lastWriters != nil }

    /// The runs as differences: split at region borders, each with its last writers.
    public func describe(_ runs: [PhysRange]) -> [MemoryDifference] {
        runs.flatMap(splitAtRegionBorders).map { piece in
            let (writers, untracked) = memory.lastWriters?.writers(of: piece) ?? ([], true)
            return MemoryDifference(region: regionLabel(at: piece.phys), phys: piece.phys, length: piece.length,
                                    writers: writers, hasUntrackedBytes: untracked)
        }
    }

    private func splitAtRegionBorders(_ run: PhysRange) -> [PhysRange] {
        var pieces: [PhysRange] = []
        var start = run.phys
        let end = run.phys + run.length
        while start < end {
            let pieceEnd = min(end, region(at: start)?.end ?? end)
            pieces.append(PhysRange(phys: start, length: pieceEnd - start))
            start = pieceEnd
        }
        return pieces
    }

    private func region(at phys: UInt64) -> RegionSpec? {
        memory.regions.first { $0.base <= phys && $0.end.map { phys < $0 } ?? true }
    }

    /// The region's name, marked when the address is in the swiotlb pool.
    private func regionLabel(at phys: UInt64) -> String {
        let name = region(at: phys)?.name ?? "(no region)"
        guard let pool = swiotlb, pool.base <= phys, phys - pool.base < pool.sizeBytes else { return name }
        return name + " (swiotlb pool)"
    }

    /// Applies a `verify NAME` op given the runs where memory differs from checkpoint NAME
    /// (its CPU and time count as for any op).
    public func verify(_ op: Op, differingRuns runs: [PhysRange]) -> Outcome {
        appliedCount += 1
        return runInTime(op) { call in
            guard case .verify(let verify) = call else { return .rejected("not a verify op: \(call.kind.rawValue)") }
            return self.verify(verify, differingRuns: runs)
        }
    }

    private func verify(_ call: VerifyOp, differingRuns runs: [PhysRange]) -> Outcome {
        guard checkpointNames.contains(call.name) else { return .rejected("unknown checkpoint \(call.name)") }
        var outcome = Outcome()
        let differences = describe(runs)
        for difference in differences.prefix(Self.listedDifferenceLimit) {
            let latest = difference.writers.max { $0.sequence < $1.sequence }
            outcome.findings.append(Finding(.memoryMismatch, handle: latest?.handle,
                "memory differs from checkpoint \(call.name) at \(difference)"))
        }
        let unlisted = differences.dropFirst(Self.listedDifferenceLimit)
        if !unlisted.isEmpty {
            let bytes = unlisted.reduce(UInt64(0)) { $0 + $1.length }
            outcome.findings.append(Finding(.memoryMismatch, handle: nil,
                "memory differs from checkpoint \(call.name) in \(unlisted.count) more runs (0x\(hex(bytes)) bytes) not listed"))
        }
        return outcome
    }
}
