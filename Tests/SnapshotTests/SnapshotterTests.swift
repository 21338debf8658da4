import DMASim
import Foundation
import Testing
@testable import Snapshot

/// restore(snapshot(x)) == x, zero elision, dedup, incremental capture, and corruption
/// reported as corruption.
@Suite struct SnapshotterTests {
    static let base: UInt64 = 0x1000_0000_0000

    static func engine() -> Engine {
        let engine = Engine()
        _ = engine.apply(.region(RegionSpec(name: "shm0", base: base, sizeBytes: 1 << 40, kind: .shared)))
        return engine
    }

    static func write(_ engine: Engine, at offset: UInt64, length: UInt64, fill: Fill) {
        let outcome = engine.apply(.cpuWrite(CPUWriteOp(phys: base + offset, length: length, fill: fill)))
        precondition(outcome.status == .ok)
    }

    static func digest(_ engine: Engine, at offset: UInt64, length: UInt64) -> UInt64? {
        engine.apply(.cpuRead(CPUReadOp(phys: base + offset, length: length))).digest
    }

    struct MemoryCase: CustomTestStringConvertible, Sendable {
        let name: String
        let writes: [(offset: UInt64, length: UInt64, fill: Fill)]
        var testDescription: String { name }
    }

    @Test(arguments: [
        MemoryCase(name: "sparse: three pages far apart in 1 TiB",
                   writes: [(0x10, 100, .seed(1)), (0x40_0000_0000, 4096, .seed(2)), ((1 << 40) - 4096, 4096, .byte(9))]),
        MemoryCase(name: "dense: 4 MiB of mixed random, pattern and zero",
                   writes: [(0, 2 << 20, .seed(3)), (2 << 20, 1 << 20, .pattern([1, 2, 3])), (3 << 20, 1 << 20, .zero)]),
    ])
    func restoreOfASnapshotGivesBackTheSameBytes(_ example: MemoryCase) throws {
        let original = Self.engine()
        for write in example.writes { Self.write(original, at: write.offset, length: write.length, fill: write.fill) }
        let store = InMemoryChunkStore()
        let (manifest, _) = try Snapshotter().capture(original, into: store)
        let copy = Self.engine()
        try Snapshotter().restore(manifest, from: store, into: copy)
        for write in example.writes {
            #expect(Self.digest(copy, at: write.offset, length: write.length) == write.fill.digest(length: write.length))
        }
        // Page by page, the copy holds exactly the non-zero pages of the original.
        let nonZeroPages = original.touchedPages().filter { !Self.pageIsZero(original, $0) }
        #expect(copy.touchedPages().filter { !Self.pageIsZero(copy, $0) } == nonZeroPages)
    }

    @Test func zeroChunksAreElided() throws {
        let engine = Self.engine()
        Self.write(engine, at: 0, length: 1 << 20, fill: .zero)
        Self.write(engine, at: 4 << 20, length: 16, fill: .byte(1))
        let store = InMemoryChunkStore()
        let (manifest, statistics) = try Snapshotter().capture(engine, into: store)
        #expect(statistics.chunksExamined == 17)
        #expect(statistics.zeroChunks == 16)
        #expect(manifest.chunks.count == 1)
        #expect(store.count == 1)
    }

    /// The second of two identical snapshots adds no chunk.
    @Test func identicalSnapshotsShareEveryChunk() throws {
        let engine = Self.engine()
        Self.write(engine, at: 0, length: 1 << 20, fill: .seed(5))
        let store = InMemoryChunkStore()
        let snapshotter = Snapshotter()
        let (first, firstStatistics) = try snapshotter.capture(engine, into: store)
        let (second, secondStatistics) = try snapshotter.capture(engine, into: store)
        #expect(firstStatistics.chunksStored == 16)
        #expect(secondStatistics.chunksStored == 0)
        #expect(first.chunks == second.chunks)
    }

    /// Identical content at different addresses is stored once.
    @Test func equalChunksAtDifferentAddressesAreStoredOnce() throws {
        let engine = Self.engine()
        Self.write(engine, at: 0, length: 64 << 10, fill: .seed(7))
        Self.write(engine, at: 1 << 30, length: 64 << 10, fill: .seed(7))
        let store = InMemoryChunkStore()
        let (manifest, _) = try Snapshotter().capture(engine, into: store)
        #expect(manifest.chunks.count == 2)
        #expect(store.count == 1)
    }

    /// An incremental snapshot reads only chunks written since the base.
    @Test func incrementalSnapshotsExamineOnlyDirtiedChunks() throws {
        let engine = Self.engine()
        Self.write(engine, at: 0, length: 8 << 20, fill: .seed(1))
        let store = InMemoryChunkStore()
        let snapshotter = Snapshotter()
        let (first, _) = try snapshotter.capture(engine, into: store)
        Self.write(engine, at: 3 << 20, length: 100, fill: .byte(0xEE))
        Self.write(engine, at: 20 << 20, length: 4096, fill: .seed(9))
        let (second, statistics) = try snapshotter.capture(engine, into: store, base: first)
        #expect(statistics.chunksExamined == 2)
        #expect(statistics.chunksStored == 2)
        #expect(second.chunks.count == first.chunks.count + 1)
        #expect(second.changes(since: first).changed.count == 2)
        let copy = Self.engine()
        try snapshotter.restore(second, from: store, into: copy)
        #expect(Self.digest(copy, at: 3 << 20, length: 100) == Fill.byte(0xEE).digest(length: 100))
    }

    /// Restoring over memory that changed puts the snapshot back, zeroing pages it lacks.
    @Test func restoreOverChangedMemoryZeroesWhatTheSnapshotLacks() throws {
        let engine = Self.engine()
        Self.write(engine, at: 0, length: 4096, fill: .seed(1))
        let store = InMemoryChunkStore()
        let (manifest, _) = try Snapshotter().capture(engine, into: store)
        Self.write(engine, at: 0, length: 4096, fill: .seed(2))
        Self.write(engine, at: 1 << 30, length: 4096, fill: .seed(3))
        try Snapshotter().restore(manifest, from: store, into: engine)
        #expect(Self.digest(engine, at: 0, length: 4096) == Fill.seed(1).digest(length: 4096))
        #expect(Self.digest(engine, at: 1 << 30, length: 4096) == Fill.zero.digest(length: 4096))
    }

    @Test func corruptAndTruncatedChunksAreCorruptionNotDifferences() throws {
        let engine = Self.engine()
        Self.write(engine, at: 0, length: 64 << 10, fill: .seed(4))
        let store = InMemoryChunkStore()
        let (manifest, _) = try Snapshotter().capture(engine, into: store)
        let hash = manifest.chunks[manifest.sortedChunkIndexes[0]]!
        var flipped = try store.frame(hash)
        flipped[flipped.count / 2] ^= 0x40
        store.overwrite(hash, with: flipped)
        #expect(throws: SnapshotError.self) { try Snapshotter().restore(manifest, from: store, into: Self.engine()) }
        store.overwrite(hash, with: Array(flipped.prefix(10)))
        let chunk = manifest.sortedChunkIndexes[0]
        #expect(throws: SnapshotError(.corruptFrame("truncated frame (10 bytes)"), hash: hash.value, chunkIndex: chunk)) {
            try Snapshotter().restore(manifest, from: store, into: Self.engine())
        }
        #expect(throws: SnapshotError(.missingChunk, hash: hash.value, chunkIndex: chunk)) {
            try Snapshotter().restore(manifest, from: InMemoryChunkStore(), into: Self.engine())
        }
    }

    /// Every length around the 64-byte steps, with one non-zero byte at every place.
    @Test func isZeroSeesEveryNonZeroByte() {
        for length in [0, 1, 7, 8, 63, 64, 65, 127, 128, 130, 4096] {
            var bytes = [UInt8](repeating: 0, count: length)
            #expect(bytes.withUnsafeBytes { Snapshotter.isZero($0) })
            for place in 0..<length {
                bytes[place] = 0x80
                #expect(!bytes.withUnsafeBytes { Snapshotter.isZero($0) }, "length \(length), byte \(place)")
                bytes[place] = 0
            }
        }
    }

    @Test func chunkHashIsXXH3() {
        let abc = Array("abc".utf8).withUnsafeBytes { ChunkHash(of: $0) }
        #expect(abc.value == 0x78AF_5F94_892F_3950)  // python3: xxhash.xxh3_64_intdigest(b"abc")
    }

    static func pageIsZero(_ engine: Engine, _ page: UInt64) -> Bool {
        var bytes = [UInt8](repeating: 0, count: Engine.memoryPageBytes)
        _ = bytes.withUnsafeMutableBytes { engine.copyPage(page, into: $0.baseAddress!) }
        return bytes.allSatisfy { $0 == 0 }
    }
}
