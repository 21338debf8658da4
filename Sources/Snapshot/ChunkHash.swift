import CXXHash

/// The XXH3-64 hash a chunk is stored under; it doubles as the chunk's checksum.
public struct ChunkHash: Hashable, Sendable, Comparable {
    public let value: UInt64

    public init(_ value: UInt64) { self.value = value }

    /// XXH3-64 of `bytes`, seed 0.
    public init(of bytes: UnsafeRawBufferPointer) {
        value = XXH3_64bits(bytes.baseAddress, bytes.count)
    }

    public var hex: String { "0x" + String(value, radix: 16) }

    public static func < (lhs: ChunkHash, rhs: ChunkHash) -> Bool { lhs.value < rhs.value }
}
