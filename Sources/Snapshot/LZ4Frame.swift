import CLZ4
import CXXHash

/// Bytes as a standalone LZ4 frame (LZ4 Frame Format 1.6.x) written around the fast
/// block API: magic, a descriptor saying "independent 64 KiB blocks, content size given,
/// no checksums", the blocks (each stored raw when it does not compress), the end mark.
/// The stock `lz4 -d` reads it. A snapshot chunk is one block, and its XXH3 hash, kept
/// beside it, is its checksum; a checkpoint's engine state is as many blocks as it needs.
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
    public static let maxBlockBytes = 64 * 1024

    private let state: UnsafeMutableRawPointer

    public init() {
        state = UnsafeMutableRawPointer.allocate(byteCount: Int(LZ4_sizeofState()), alignment: 16)
    }

    deinit { state.deallocate() }

    /// The frame for `bytes`: one block per 64 KiB.
    public func encode(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        let blockCount = (bytes.count + Self.maxBlockBytes - 1) / Self.maxBlockBytes
        let worstBlock = 4 + Int(LZ4_compressBound(Int32(min(bytes.count, Self.maxBlockBytes))))
        let capacity = Self.headerBytes + blockCount * worstBlock + 4
        return [UInt8](unsafeUninitializedCapacity: capacity) { buffer, used in
            let frame = UnsafeMutableRawBufferPointer(buffer)
            var cursor = writeHeader(into: frame, contentSize: UInt64(bytes.count))
            var start = 0
            while start < bytes.count {
                let end = min(start + Self.maxBlockBytes, bytes.count)
                cursor = writeBlock(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), into: frame, at: cursor)
                start = end
            }
            frame.storeBytes(of: UInt32(0).littleEndian, toByteOffset: cursor, as: UInt32.self)
            used = cursor + 4
        }
    }

    /// The frame for `bytes`.
    public func encode(_ bytes: [UInt8]) -> [UInt8] { bytes.withUnsafeBytes { encode($0) } }

    private func writeHeader(into frame: UnsafeMutableRawBufferPointer, contentSize: UInt64) -> Int {
        frame.storeBytes(of: Self.magic.littleEndian, toByteOffset: 0, as: UInt32.self)
        frame[4] = Self.flags
        frame[5] = Self.blockDescriptor
        frame.storeBytes(of: contentSize.littleEndian, toByteOffset: 6, as: UInt64.self)
        // Header checksum: second byte of XXH32 over the descriptor (FLG … content size).
        frame[14] = UInt8(truncatingIfNeeded: XXH32(frame.baseAddress! + 4, 10, 0) >> 8)
        return Self.headerBytes
    }

    private func writeBlock(_ block: UnsafeRawBufferPointer, into frame: UnsafeMutableRawBufferPointer, at offset: Int) -> Int {
        let data = frame.baseAddress! + offset + 4
        let room = Int32(frame.count - offset - 8)
        let compressed = LZ4_compress_fast_extState(state, block.baseAddress, data, Int32(block.count), room, 1)
        if compressed > 0 && Int(compressed) < block.count {
            frame.storeBytes(of: UInt32(compressed).littleEndian, toByteOffset: offset, as: UInt32.self)
            return offset + 4 + Int(compressed)
        }
        // Incompressible: store the bytes raw, flagged in the block size.
        data.copyMemory(from: block.baseAddress!, byteCount: block.count)
        frame.storeBytes(of: (UInt32(block.count) | Self.uncompressedBit).littleEndian, toByteOffset: offset, as: UInt32.self)
        return offset + 4 + block.count
    }
}

/// Why bytes are not a frame this codec can read; the caller says whose bytes they were.
public struct LZ4FrameError: Error, Equatable, Sendable, CustomStringConvertible {
    public let reason: String
    init(_ reason: String) { self.reason = reason }
    public var description: String { "corrupt LZ4 frame: \(reason)" }
}

extension LZ4FrameCodec {
    /// Decodes a frame of the layout `encode` writes into `destination`, which must hold
    /// its content size. Returns the content size. Never reads or writes out of bounds,
    /// whatever the bytes are.
    public static func decode(_ frame: [UInt8], into destination: UnsafeMutableRawBufferPointer) throws(LZ4FrameError) -> Int {
        // Array's closure APIs rethrow untyped errors: carry the typed one out in a Result.
        try frame.withUnsafeBytes { bytes in
            Result { () throws(LZ4FrameError) -> Int in
                let contentSize = try contentSize(of: bytes)
                guard contentSize <= destination.count else { throw LZ4FrameError("content size \(contentSize) exceeds \(destination.count) bytes") }
                try readBlocks(bytes, contentSize: contentSize, into: destination)
                return contentSize
            }
        }.get()
    }

    /// Decodes a whole frame into a new array of its content size (at most `limit` bytes).
    public static func decode(_ frame: [UInt8], limit: Int = 1 << 30) throws(LZ4FrameError) -> [UInt8] {
        let size = try frame.withUnsafeBytes { bytes in Result { () throws(LZ4FrameError) -> Int in try contentSize(of: bytes) } }.get()
        guard size <= limit else { throw LZ4FrameError("content size \(size) exceeds \(limit) bytes") }
        var output = [UInt8](repeating: 0, count: size)
        _ = try output.withUnsafeMutableBytes { destination in
            Result { () throws(LZ4FrameError) -> Int in try decode(frame, into: destination) }
        }.get()
        return output
    }

    private static func contentSize(of bytes: UnsafeRawBufferPointer) throws(LZ4FrameError) -> Int {
        guard bytes.count >= headerBytes + 4 else { throw LZ4FrameError("truncated frame (\(bytes.count) bytes)") }
        guard UInt32(littleEndian: bytes.loadUnaligned(as: UInt32.self)) == magic else {
            throw LZ4FrameError("not an LZ4 frame (bad magic)")
        }
        guard bytes[4] == flags, bytes[5] == blockDescriptor else { throw LZ4FrameError("unexpected frame descriptor") }
        guard bytes[14] == UInt8(truncatingIfNeeded: XXH32(bytes.baseAddress! + 4, 10, 0) >> 8) else {
            throw LZ4FrameError("frame header checksum mismatch")
        }
        let size = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 6, as: UInt64.self))
        guard size <= UInt64(Int32.max) else { throw LZ4FrameError("content size \(size) is implausible") }
        return Int(size)
    }

    /// Reads blocks until the end mark; together they must fill exactly `contentSize`.
    private static func readBlocks(_ bytes: UnsafeRawBufferPointer, contentSize: Int,
                                   into destination: UnsafeMutableRawBufferPointer) throws(LZ4FrameError) {
        var cursor = headerBytes
        var produced = 0
        while true {
            guard cursor + 4 <= bytes.count else { throw LZ4FrameError("truncated frame: no end mark") }
            let word = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: cursor, as: UInt32.self))
            cursor += 4
            if word == 0 { break }
            let blockBytes = Int(word & ~uncompressedBit)
            guard blockBytes <= maxBlockBytes, cursor + blockBytes <= bytes.count else { throw LZ4FrameError("truncated block") }
            let room = min(maxBlockBytes, contentSize - produced)
            let source = UnsafeRawBufferPointer(rebasing: bytes[cursor..<cursor + blockBytes])
            produced += try readBlock(source, raw: word & uncompressedBit != 0, into: destination.baseAddress! + produced, room: room)
            cursor += blockBytes
        }
        guard produced == contentSize else { throw LZ4FrameError("blocks decompress to \(produced) bytes, not \(contentSize)") }
    }

    private static func readBlock(_ block: UnsafeRawBufferPointer, raw: Bool, into target: UnsafeMutableRawPointer,
                                  room: Int) throws(LZ4FrameError) -> Int {
        if raw {
            guard block.count <= room else { throw LZ4FrameError("raw block larger than the content left") }
            target.copyMemory(from: block.baseAddress!, byteCount: block.count)
            return block.count
        }
        let produced = LZ4_decompress_safe(block.baseAddress, target, Int32(block.count), Int32(room))
        guard produced >= 0 else { throw LZ4FrameError("block does not decompress (LZ4 error \(produced))") }
        return Int(produced)
    }
}
