/// What a write puts in memory. Every fill is a pure function of the byte's position
/// inside the write, so `bytes=seed:7` can be checked against any read of the same length
/// wherever it landed.
public enum Fill: Sendable, Hashable {
    /// SplitMix64 words seeded with N, little-endian: word k is `mix(N + (k+1)·γ)`,
    /// so any position is computed directly.
    case seed(UInt64)
    /// One byte repeated.
    case byte(UInt8)
    /// A byte pattern repeated over the length.
    case pattern([UInt8])
    /// All zero.
    case zero

    /// The byte this fill writes at `position` bytes into the write.
    @inlinable
    public func byte(at position: UInt64) -> UInt8 {
        switch self {
        case .seed(let seed):
            let word = SplitMix64.word(seed: seed, index: position >> 3)
            return UInt8(truncatingIfNeeded: word >> ((position & 7) * 8))
        case .byte(let value):
            return value
        case .pattern(let bytes):
            return bytes.isEmpty ? 0 : bytes[Int(position % UInt64(bytes.count))]
        case .zero:
            return 0
        }
    }

    /// Writes `count` bytes of the fill, starting `position` bytes into the write.
    @inlinable
    public func render(into destination: UnsafeMutableRawBufferPointer, from position: UInt64) {
        switch self {
        case .byte(let value):
            destination.initializeMemory(as: UInt8.self, repeating: value)
        case .zero:
            destination.initializeMemory(as: UInt8.self, repeating: 0)
        case .seed(let seed):
            renderSeed(seed, into: destination, from: position)
        case .pattern:
            for index in 0..<destination.count {
                destination[index] = byte(at: position + UInt64(index))
            }
        }
    }

    @inlinable
    func renderSeed(_ seed: UInt64, into destination: UnsafeMutableRawBufferPointer, from position: UInt64) {
        var index = 0
        var cursor = position
        // Unaligned head byte by byte, then whole words, then the tail.
        while index < destination.count && cursor & 7 != 0 {
            destination[index] = byte(at: cursor); index += 1; cursor += 1
        }
        // Whole words through a raw pointer: one unaligned store each, no per-word bounds
        // check (this loop renders every byte a workload writes and every `bytes=` claim).
        let words = (destination.count - index) / 8
        if words > 0, let base = destination.baseAddress {
            let first = cursor >> 3
            for word in 0..<words {
                let value = SplitMix64.word(seed: seed, index: first + UInt64(word)).littleEndian
                (base + index + word * 8).storeBytes(of: value, as: UInt64.self)
            }
            index += words * 8; cursor += UInt64(words * 8)
        }
        while index < destination.count {
            destination[index] = byte(at: cursor); index += 1; cursor += 1
        }
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014), the generator Java's `SplittableRandom` uses.
/// Random access: the k-th output depends only on the seed and k.
public enum SplitMix64 {
    /// The golden-ratio increment between outputs.
    public static let gamma: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// The `index`-th output for `seed`.
    @inlinable
    public static func word(seed: UInt64, index: UInt64) -> UInt64 {
        mix(seed &+ (index &+ 1) &* gamma)
    }

    /// The output function: mixes one 64-bit state into a word.
    @inlinable
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A seeded sequential generator for workloads and tests (never used by the engine).
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var index: UInt64 = 0
    /// The seed it draws from.
    public let seed: UInt64
    /// A generator at its first output for `seed`.
    public init(seed: UInt64) { self.seed = seed }
    public mutating func next() -> UInt64 {
        defer { index &+= 1 }
        return SplitMix64.word(seed: seed, index: index)
    }
}
