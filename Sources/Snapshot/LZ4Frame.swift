import CLZ4
import CXXHash

/// One chunk as a standalone LZ4 frame (LZ4 Frame Format 1.6.x) written around the fast
/// block API: magic, a descriptor saying "independent 64 KiB blocks, content size given,
/// no checksums", one block (stored raw when it does not compress), the end mark. The
/// stock `lz4 -d` reads it; the chunk's XXH3 hash, kept beside it, is its checksum.
///
/// Building the frame by hand instead of `LZ4F_compressFrame` keeps one compression state
/// for every chunk: the frame API allocates a context per call.
public final class LZ4FrameCodec {
    static let magic: UInt32 = 0x184D_2204
    /// Version 01, independent blocks, content size present, no block or content checksum.
    static let flags: UInt8 = 0b0110_1000
    /// Block maximum size id 4: 64 KiB.
    static let blockDescriptor: UInt8 = 0x40
    static let uncompressedBit: UInt32 = 1 << 31
    static let headerBytes = 4 + 1 + 1 + 8 + 1
    public static let maxChunkBytes = 64 * 1024

    private let state: UnsafeMutableRawPointer

    public init() {
        state = UnsafeMutableRawPointer.allocate(byteCount: Int(LZ4_sizeofState()), alignment: 16)
    }

    deinit { state.deallocate() }

    /// The frame for `chunk` (at most 64 KiB).
    public func encode(_ chunk: UnsafeRawBufferPointer) -> [UInt8] {
        precondition(chunk.count <= Self.maxChunkBytes)
        let capacity = Self.headerBytes + 4 + Int(LZ4_compressBound(Int32(chunk.count))) + 4
        return [UInt8](unsafeUninitializedCapacity: capacity) { buffer, used in
            let frame = UnsafeMutableRawBufferPointer(buffer)
            var cursor = writeHeader(into: frame, contentSize: UInt64(chunk.count))
            cursor = writeBlock(chunk, into: frame, at: cursor)
            frame.storeBytes(of: UInt32(0).littleEndian, toByteOffset: cursor, as: UInt32.self)
            used = cursor + 4
        }
    }

    private func writeHeader(into frame: UnsafeMutableRawBufferPointer, contentSize: UInt64) -> Int {
        frame.storeBytes(of: Self.magic.littleEndian, toByteOffset: 0, as: UInt32.self)
        frame[4] = Self.flags
        frame[5] = Self.blockDescriptor
        frame.storeBytes(of: contentSize.littleEndian, toByteOffset: 6, as: UInt64.self)
        // Header checksum: second byte of XXH32 over the descriptor (FLG … content size).
        frame[14] = UInt8(truncatingIfNeeded: XXH32(frame.baseAddress! + 4, 10, 0) >> 8)
        return Self.headerBytes
    }

    private func writeBlock(_ chunk: UnsafeRawBufferPointer, into frame: UnsafeMutableRawBufferPointer, at offset: Int) -> Int {
        let data = frame.baseAddress! + offset + 4
        let room = Int32(frame.count - offset - 8)
        let compressed = LZ4_compress_fast_extState(state, chunk.baseAddress, data, Int32(chunk.count), room, 1)
        if compressed > 0 && Int(compressed) < chunk.count {
            frame.storeBytes(of: UInt32(compressed).littleEndian, toByteOffset: offset, as: UInt32.self)
            return offset + 4 + Int(compressed)
        }
        // Incompressible: store the bytes raw, flagged in the block size.
        data.copyMemory(from: chunk.baseAddress!, byteCount: chunk.count)
        frame.storeBytes(of: (UInt32(chunk.count) | Self.uncompressedBit).littleEndian, toByteOffset: offset, as: UInt32.self)
        return offset + 4 + chunk.count
    }

    /// Decodes a frame this codec wrote (or any single-block frame of the same layout)
    /// into `destination`, which must hold the content size. Returns the content size.
    public static func decode(_ frame: [UInt8], into destination: UnsafeMutableRawBufferPointer, hash: UInt64) throws -> Int {
        try frame.withUnsafeBytes { bytes in
            let contentSize = try readHeader(bytes, hash: hash)
            guard contentSize <= destination.count else { throw SnapshotError.corruptChunk(hash: hash, reason: "content size \(contentSize) exceeds a chunk") }
            try readBlock(bytes, contentSize: contentSize, into: destination, hash: hash)
            return contentSize
        }
    }

    private static func readHeader(_ bytes: UnsafeRawBufferPointer, hash: UInt64) throws(SnapshotError) -> Int {
        guard bytes.count >= headerBytes + 8 else { throw .corruptChunk(hash: hash, reason: "truncated frame (\(bytes.count) bytes)") }
        guard UInt32(littleEndian: bytes.loadUnaligned(as: UInt32.self)) == magic else {
            throw .corruptChunk(hash: hash, reason: "not an LZ4 frame (bad magic)")
        }
        guard bytes[4] == flags, bytes[5] == blockDescriptor else { throw .corruptChunk(hash: hash, reason: "unexpected frame descriptor") }
        guard bytes[14] == UInt8(truncatingIfNeeded: XXH32(bytes.baseAddress! + 4, 10, 0) >> 8) else {
            throw .corruptChunk(hash: hash, reason: "frame header checksum mismatch")
        }
        return Int(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 6, as: UInt64.self)))
    }

    private static func readBlock(_ bytes: UnsafeRawBufferPointer, contentSize: Int, into destination: UnsafeMutableRawBufferPointer,
                                  hash: UInt64) throws(SnapshotError) {
        let word = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: headerBytes, as: UInt32.self))
        let blockBytes = Int(word & ~uncompressedBit)
        let start = headerBytes + 4
        guard start + blockBytes + 4 <= bytes.count else { throw .corruptChunk(hash: hash, reason: "truncated block") }
        if word & uncompressedBit != 0 {
            guard blockBytes == contentSize else { throw .corruptChunk(hash: hash, reason: "raw block size differs from content size") }
            destination.baseAddress!.copyMemory(from: bytes.baseAddress! + start, byteCount: blockBytes)
            return
        }
        let produced = LZ4_decompress_safe(bytes.baseAddress! + start, destination.baseAddress!, Int32(blockBytes), Int32(destination.count))
        guard produced == contentSize else { throw .corruptChunk(hash: hash, reason: "block decompresses to \(produced) bytes, not \(contentSize)") }
    }
}
