import DMASim
import Testing
@testable import Snapshot

/// The keeper runs `checkpoint` and `verify` for the engine, and a layered storage lets a
/// replay keep its own snapshots over stored ones.
@Suite struct SnapshotKeeperTests {
    static let write = Op.cpuWrite(CPUWriteOp(phys: SnapshotterTests.base + 0x40, length: 8, fill: .byte(7)))

    @Test func checkpointThenVerifyFindsTheWriteBetween() throws {
        let engine = SnapshotterTests.engine()
        let keeper = SnapshotKeeper()
        #expect(try keeper.apply(.checkpoint(CheckpointOp(name: "c1")), to: engine, sequence: 1) == .ok)
        #expect(try keeper.apply(.verify(VerifyOp(name: "c1")), to: engine, sequence: 2) == .ok)
        _ = try keeper.apply(Self.write, to: engine, sequence: 3)
        let outcome = try keeper.apply(.verify(VerifyOp(name: "c1")), to: engine, sequence: 4)
        #expect(outcome.findings.map(\.message) == ["memory differs from checkpoint c1 at shm0 phys 0x100000000040 len 0x8: last written by seq 3 cpu-write"])
        #expect(try keeper.apply(.verify(VerifyOp(name: "c2")), to: engine, sequence: 5).status == .rejected("unknown checkpoint c2"))
        #expect(engine.appliedCount == 6)
    }

    /// A second capture of the same engine reads only what changed since the first.
    @Test func capturesOfOneEngineAreIncremental() throws {
        let engine = SnapshotterTests.engine()
        SnapshotterTests.write(engine, at: 0, length: 1 << 20, fill: .seed(1))
        let keeper = SnapshotKeeper()
        #expect(try keeper.capture(engine, name: "a", kind: .snapshot, afterSequence: 1).statistics.chunksExamined == 16)
        SnapshotterTests.write(engine, at: 0, length: 8, fill: .seed(2))
        #expect(try keeper.capture(engine, name: "b", kind: .snapshot, afterSequence: 2).statistics.chunksExamined == 1)
        #expect(try keeper.capture(SnapshotterTests.engine(), name: "c", kind: .snapshot, afterSequence: 3).statistics.chunksExamined == 0)
    }

    @Test func aLayeredStorageFindsTheLaterSnapshotOfAName() throws {
        let lower = InMemorySnapshotStorage()
        let engine = SnapshotterTests.engine()
        let stored = SnapshotRecord(name: "c1", sequence: 5, kind: .checkpoint, manifest: SnapshotManifest())
        lower.save(stored, of: engine)
        let layered = LayeredSnapshotStorage(over: lower)
        #expect(try layered.latestSnapshot(named: "c1", atOrBefore: 9) == stored)
        #expect(try layered.latestSnapshot(named: "c1", atOrBefore: 4) == nil)
        let retaken = SnapshotRecord(name: "c1", sequence: 8, kind: .checkpoint, manifest: SnapshotManifest())
        layered.save(retaken, of: engine)
        #expect(try layered.latestSnapshot(named: "c1", atOrBefore: 9) == retaken)
        #expect(try layered.latestSnapshot(named: "c1", atOrBefore: 7) == stored)
        #expect(lower.records == [stored])
    }

    @Test func verifyingASnapshotNeverTakenIsAnError() {
        #expect(throws: SnapshotError(.unknownSnapshot, snapshot: "ghost")) {
            try SnapshotKeeper().differences(of: SnapshotterTests.engine(), from: "ghost", atOrBefore: 10)
        }
    }
}
