import DMASim
import Testing
@testable import Snapshot

/// Differences come out as exact runs: merged across page and chunk borders, split where
/// equal bytes intervene, found between memory and a snapshot or between two snapshots.
@Suite struct MemoryComparerTests {
    static let base = SnapshotterTests.base

    static func run(_ offset: UInt64, _ length: UInt64) -> PhysRange { PhysRange(phys: base + offset, length: length) }

    @Test func aWriteAcrossAChunkBorderIsOneRun() throws {
        let engine = SnapshotterTests.engine()
        SnapshotterTests.write(engine, at: 0, length: 0x20000, fill: .seed(1))
        let store = InMemoryChunkStore()
        let (manifest, _) = try Snapshotter().capture(engine, into: store)
        SnapshotterTests.write(engine, at: 0xfff0, length: 0x20, fill: .byte(0xee))
        #expect(try MemoryComparer().differences(of: engine, from: manifest, in: store) == [Self.run(0xfff0, 0x20)])
    }

    /// A fill that writes some of the bytes already there: sixteen equal bytes or more
    /// split runs, fewer do not (random bytes match by chance one time in 256).
    @Test func sixteenEqualBytesSplitRunsAndFewerDoNot() throws {
        let engine = SnapshotterTests.engine()
        SnapshotterTests.write(engine, at: 0, length: 256, fill: .byte(0x11))
        let store = InMemoryChunkStore()
        let (manifest, _) = try Snapshotter().capture(engine, into: store)
        let pattern = [UInt8](repeating: 0x22, count: 4) + [UInt8](repeating: 0x11, count: 15) + [0x22]
            + [UInt8](repeating: 0x11, count: 16) + [0x22, 0x22] + [UInt8](repeating: 0x11, count: 28)
        SnapshotterTests.write(engine, at: 0, length: 64, fill: .pattern(pattern))
        let runs = try MemoryComparer().differences(of: engine, from: manifest, in: store)
        #expect(runs == [Self.run(0, 20), Self.run(36, 2)])
    }

    /// Memory written where the snapshot had an elided (zero) chunk, and zeros written
    /// over a stored chunk, both differ.
    @Test func zeroChunksOnEitherSideCompareAsZeros() throws {
        let engine = SnapshotterTests.engine()
        SnapshotterTests.write(engine, at: 0x10000, length: 0x100, fill: .byte(3))
        let store = InMemoryChunkStore()
        let (manifest, _) = try Snapshotter().capture(engine, into: store)
        SnapshotterTests.write(engine, at: 0x10000, length: 0x100, fill: .zero)
        SnapshotterTests.write(engine, at: 0x50000, length: 4, fill: .byte(1))
        #expect(try MemoryComparer().differences(of: engine, from: manifest, in: store) == [Self.run(0x10000, 0x100), Self.run(0x50000, 4)])
    }

    @Test func twoSnapshotsCompareWithoutAnEngine() throws {
        let engine = SnapshotterTests.engine()
        SnapshotterTests.write(engine, at: 0, length: 0x30000, fill: .seed(4))
        let store = InMemoryChunkStore()
        let snapshotter = Snapshotter()
        let (first, _) = try snapshotter.capture(engine, into: store)
        SnapshotterTests.write(engine, at: 0x21000, length: 0x10, fill: .byte(9))
        let (second, _) = try snapshotter.capture(engine, into: store, base: first)
        let older = SnapshotRecord(name: "a", sequence: 1, kind: .snapshot, manifest: first)
        let newer = SnapshotRecord(name: "b", sequence: 2, kind: .snapshot, manifest: second)
        #expect(try MemoryComparer().differences(between: older, and: newer, in: store) == [Self.run(0x21000, 0x10)])
        #expect(try MemoryComparer().differences(between: older, and: older, in: store).isEmpty)
    }

    /// A chunk whose memory hashes as stored is equal without being read; one that must be
    /// read and is damaged is an error placed at its chunk, never a run.
    @Test func damagedDataIsAnErrorAtItsChunk() throws {
        let engine = SnapshotterTests.engine()
        SnapshotterTests.write(engine, at: 0, length: 0x20000, fill: .seed(2))
        let store = InMemoryChunkStore()
        let (manifest, _) = try Snapshotter().capture(engine, into: store)
        for hash in manifest.chunks.values { store.overwrite(hash, with: [1, 2, 3]) }
        #expect(try MemoryComparer().differences(of: engine, from: manifest, in: store).isEmpty)
        SnapshotterTests.write(engine, at: 0x10010, length: 1, fill: .byte(0))
        let chunk = (Self.base + 0x10000) / 0x10000
        #expect(throws: SnapshotError(.corruptFrame("truncated frame (3 bytes)"), hash: manifest.chunks[chunk]!.value, chunkIndex: chunk)) {
            try MemoryComparer().differences(of: engine, from: manifest, in: store)
        }
    }
}
