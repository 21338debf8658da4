import DMASim
import Testing
@testable import Snapshot

/// Capture and restore run on worker threads; what they store, in which order, and what
/// memory holds afterwards must not depend on how many workers there are. Restore leaves
/// the zero pages of a restored chunk without backing.
@Suite struct ParallelSnapshotTests {
    /// Remembers every `put`, in order, so two captures can be compared call by call.
    final class RecordingChunkStore: ChunkStore {
        let frames = InMemoryChunkStore()
        private(set) var puts: [(hash: ChunkHash, frame: [UInt8])] = []

        func contains(_ hash: ChunkHash) -> Bool { frames.contains(hash) }

        func put(_ hash: ChunkHash, frame: [UInt8], rawBytes: Int) {
            puts.append((hash, frame))
            frames.put(hash, frame: frame, rawBytes: rawBytes)
        }

        func frame(_ hash: ChunkHash) throws -> [UInt8] { try frames.frame(hash) }
    }

    /// 600 chunks (three capture batches) page-mixed: random, patterned, zero and untouched pages,
    /// with chunks repeated at other addresses (deduplicated across and within batches)
    /// and whole zero chunks.
    static func mixedEngine() -> Engine {
        let engine = SnapshotterTests.engine()
        let record = (0..<64).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        for page in UInt64(0)..<600 * 16 where page % 5 != 4 {
            let chunk = page / 16
            let fill: Fill = switch page % 5 {
            case 0: .seed(page)
            case 1: .pattern(record)
            case 2: chunk % 11 == 0 ? .zero : .seed(page &* 31)
            default: .zero
            }
            SnapshotterTests.write(engine, at: page * 4096, length: 4096, fill: fill)
        }
        for chunk in stride(from: UInt64(3), to: 600, by: 7) {  // one content, 86 addresses
            SnapshotterTests.write(engine, at: chunk * 65536, length: 65536, fill: .seed(99))
        }
        SnapshotterTests.write(engine, at: 700 * 65536, length: 4 * 65536, fill: .zero)
        return engine
    }

    @Test func captureStoresTheSameFramesInTheSameOrderWithOneOrTwoWorkers() throws {
        let single = RecordingChunkStore(), double = RecordingChunkStore()
        let (one, oneStatistics) = try Snapshotter(workers: 1).capture(Self.mixedEngine(), into: single)
        let (two, twoStatistics) = try Snapshotter(workers: 2).capture(Self.mixedEngine(), into: double)
        #expect(one == two)
        #expect(oneStatistics == twoStatistics)
        #expect(oneStatistics.zeroChunks == 4)
        #expect(oneStatistics.chunksStored == 600 - 86 + 1)  // the repeated chunk is stored once
        #expect(single.puts.map(\.hash) == double.puts.map(\.hash))
        #expect(single.puts.map(\.frame) == double.puts.map(\.frame))
    }

    @Test(arguments: [1, 2])
    func restoreGivesBackEveryPageAndBacksNoZeroPage(workers: Int) throws {
        let original = Self.mixedEngine()
        let store = InMemoryChunkStore()
        let (manifest, _) = try Snapshotter(workers: workers).capture(original, into: store)
        let copy = SnapshotterTests.engine()
        try Snapshotter(workers: workers).restore(manifest, from: store, into: copy)
        let nonZeroPages = original.touchedPages().filter { !SnapshotterTests.pageIsZero(original, $0) }
        #expect(copy.touchedPages() == nonZeroPages)
        for page in nonZeroPages {
            #expect(Self.bytes(copy, page) == Self.bytes(original, page))
        }
    }

    /// Over memory that has backing everywhere, a restore clears the pages the snapshot
    /// holds as zero and keeps them backed (it never frees backing).
    @Test func restoreOverBackedMemoryClearsZeroPages() throws {
        let original = Self.mixedEngine()
        let store = InMemoryChunkStore()
        let (manifest, _) = try Snapshotter().capture(original, into: store)
        let target = SnapshotterTests.engine()
        SnapshotterTests.write(target, at: 0, length: 600 * 65536, fill: .byte(0xA5))
        try Snapshotter().restore(manifest, from: store, into: target)
        #expect(target.touchedPages().count == 600 * 16)
        for page in original.touchedPages() {
            #expect(Self.bytes(target, page) == Self.bytes(original, page))
        }
    }

    /// Memory backed in part: pages with backing are overwritten in place (cleared where
    /// the snapshot holds zeros), pages without get backing only if not zero.
    @Test func restoreOverPartlyBackedMemory() throws {
        let original = Self.mixedEngine()
        let store = InMemoryChunkStore()
        let (manifest, _) = try Snapshotter().capture(original, into: store)
        let target = SnapshotterTests.engine()
        let backedBefore = stride(from: UInt64(0), to: 600 * 16, by: 3).map { $0 }
        for page in backedBefore { SnapshotterTests.write(target, at: page * 4096, length: 4096, fill: .byte(0x5A)) }
        try Snapshotter().restore(manifest, from: store, into: target)
        let nonZero = original.touchedPages().filter { !SnapshotterTests.pageIsZero(original, $0) }
        let firstPage = SnapshotterTests.base / 4096
        #expect(target.touchedPages() == Set(nonZero).union(backedBefore.map { firstPage + $0 }).sorted())
        for page in target.touchedPages() {
            #expect(Self.bytes(target, page) == Self.bytes(original, page))
        }
    }

    /// With two damaged chunks, the error names the lower one, whichever worker saw
    /// which first.
    @Test(arguments: [1, 2])
    func theFirstDamagedChunkInAddressOrderIsReported(workers: Int) throws {
        let store = InMemoryChunkStore()
        let (manifest, _) = try Snapshotter().capture(Self.mixedEngine(), into: store)
        let indexes = manifest.sortedChunkIndexes
        let (first, second) = (manifest.chunks[indexes[65]]!, manifest.chunks[indexes[64]]!)
        #expect(first != second)
        for hash in [first, second] { store.overwrite(hash, with: Array(try store.frame(hash).prefix(12))) }
        #expect(throws: SnapshotError(.corruptFrame("truncated frame (12 bytes)"), hash: second.value, chunkIndex: indexes[64])) {
            try Snapshotter(workers: workers).restore(manifest, from: store, into: SnapshotterTests.engine())
        }
    }

    @Test func workersReturnResultsInJobOrder() {
        let squares = Workers(count: 2).map(1000) { job, worker in (job * job, worker) }
        #expect(squares.map(\.0) == (0..<1000).map { $0 * $0 })
        #expect(Set(squares.map(\.1)).isSubset(of: [0, 1]))
    }

    static func bytes(_ engine: Engine, _ page: UInt64) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: Engine.memoryPageBytes)
        _ = bytes.withUnsafeMutableBytes { engine.copyPage(page, into: $0.baseAddress!) }
        return bytes
    }
}
