import DMASim

/// Finds the bytes where memory differs from a snapshot, or one snapshot from another,
/// as runs: ranges that start and end with a differing byte, ascending, merged across
/// chunk borders and across gaps of fewer than `RunCollector.mergedGapBytes` equal bytes.
///
/// Only chunks that can differ are read: those either side holds. A chunk of memory whose
/// XXH3 hash equals the one the snapshot stored is equal without decompressing anything;
/// every chunk that is decompressed is checked against its hash first, so damaged data is
/// a `SnapshotError`, never a difference.
public final class MemoryComparer {
    private let expected = ChunkReader()
    private let other = ChunkReader()
    private var current = [UInt8](repeating: 0, count: SnapshotManifest.chunkBytes)

    public init() {}

    /// The runs where `engine`'s memory differs from the snapshot `manifest`.
    public func differences(of engine: Engine, from manifest: SnapshotManifest, in store: some ChunkStore) throws -> [PhysRange] {
        var runs = RunCollector()
        let indexes = Set(manifest.chunks.keys).union(engine.touchedChunks()).sorted()
        for index in indexes {
            let now: ChunkHash? = current.withUnsafeMutableBytes { bytes in
                engine.copyChunk(index, into: bytes)
                return Snapshotter.isZero(UnsafeRawBufferPointer(bytes)) ? nil : ChunkHash(of: UnsafeRawBufferPointer(bytes))
            }
            let then = manifest.chunks[index]
            if now == then { continue }
            do {
                try expected.withChunk(then, from: store) { thenBytes in
                    current.withUnsafeBytes { runs.addDifferences(thenBytes, $0, phys: SnapshotManifest.phys(ofChunk: index)) }
                }
            } catch let error as SnapshotError {
                throw error.at(chunk: index)
            }
        }
        return runs.runs
    }

    /// The runs where snapshot `newer` differs from snapshot `older`, both in `store`.
    public func differences(between older: SnapshotRecord, and newer: SnapshotRecord, in store: some ChunkStore) throws -> [PhysRange] {
        var runs = RunCollector()
        let indexes = Set(older.manifest.chunks.keys).union(newer.manifest.chunks.keys).sorted()
        for index in indexes where older.manifest.chunks[index] != newer.manifest.chunks[index] {
            try Self.placing(older, index) {
                try expected.withChunk(older.manifest.chunks[index], from: store) { olderBytes in
                    try Self.placing(newer, index) {
                        try other.withChunk(newer.manifest.chunks[index], from: store) { newerBytes in
                            runs.addDifferences(olderBytes, newerBytes, phys: SnapshotManifest.phys(ofChunk: index))
                        }
                    }
                }
            }
        }
        return runs.runs
    }

    /// Runs `body`, placing a `SnapshotError` it throws in `record` at chunk `index`.
    private static func placing(_ record: SnapshotRecord, _ index: UInt64, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as SnapshotError {
            throw error.at(chunk: index).in(snapshot: record.name, sequence: record.sequence)
        }
    }
}

/// Differing bytes gathered into ascending, merged runs.
struct RunCollector {
    /// Runs closer than this are one run. A DMA of random bytes over other random bytes
    /// leaves, by chance, one equal byte in 256; without merging, one 4 KiB write would
    /// read as sixteen runs. Sixteen equal bytes in a row by chance are a 2^-128 event:
    /// a gap that long is a real gap.
    static let mergedGapBytes: UInt64 = 16

    private(set) var runs: [PhysRange] = []

    /// Adds the bytes where `a` and `b` (same length) differ; `phys` is where they start.
    mutating func addDifferences(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer, phys: UInt64) {
        var index = 0
        while index < a.count {
            // Skip equal words fast; look byte by byte only inside a differing word.
            if index + 8 <= a.count,
               a.loadUnaligned(fromByteOffset: index, as: UInt64.self) == b.loadUnaligned(fromByteOffset: index, as: UInt64.self) {
                index += 8
                continue
            }
            let end = min(index + 8, a.count)
            for byte in index..<end where a[byte] != b[byte] { add(phys + UInt64(byte)) }
            index = end
        }
    }

    /// Adds one differing byte at `address`, extending the last run when it is near.
    private mutating func add(_ address: UInt64) {
        if let last = runs.last, address - (last.phys + last.length) < Self.mergedGapBytes {
            runs[runs.count - 1].length = address + 1 - last.phys
        } else {
            runs.append(PhysRange(phys: address, length: 1))
        }
    }
}
