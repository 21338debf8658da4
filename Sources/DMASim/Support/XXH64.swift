/// XXH64 (Yann Collet, xxHash spec 0.8), streaming, seed 0: the content digest the engine
/// reports for every read. Written in plain Swift so the engine stays dependency-free; the
/// value equals `XXH64()` from libxxhash (a test checks known vectors).
public struct XXH64: Sendable {
    @usableFromInline static let p1: UInt64 = 0x9E37_79B1_85EB_CA87
    @usableFromInline static let p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    @usableFromInline static let p3: UInt64 = 0x1656_67B1_9E37_79F9
    @usableFromInline static let p4: UInt64 = 0x85EB_CA77_C2B2_AE63
    @usableFromInline static let p5: UInt64 = 0x27D4_EB2F_1656_67C5

    @usableFromInline var v1: UInt64, v2: UInt64, v3: UInt64, v4: UInt64
    @usableFromInline var totalLength: UInt64 = 0
    @usableFromInline var buffer: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    @usableFromInline var bufferedBytes = 0
    let seed: UInt64

    /// A hash of no bytes yet, with `seed`.
    public init(seed: UInt64 = 0) {
        self.seed = seed
        v1 = seed &+ Self.p1 &+ Self.p2
        v2 = seed &+ Self.p2
        v3 = seed
        v4 = seed &- Self.p1
    }

    @inlinable static func round(_ acc: UInt64, _ input: UInt64) -> UInt64 {
        var acc = acc &+ input &* p2
        acc = (acc << 31) | (acc >> 33)
        return acc &* p1
    }

    @inlinable static func merge(_ acc: UInt64, _ value: UInt64) -> UInt64 {
        let acc = acc ^ round(0, value)
        return acc &* p1 &+ p4
    }

    @inlinable mutating func consumeStripe(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64) {
        v1 = Self.round(v1, a); v2 = Self.round(v2, b); v3 = Self.round(v3, c); v4 = Self.round(v4, d)
    }

    /// Feeds bytes.
    @inlinable
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var index = 0
        let count = bytes.count
        totalLength &+= UInt64(count)
        // Top up a partial 32-byte stripe first.
        if bufferedBytes > 0 {
            withUnsafeMutableBytes(of: &buffer) { stripe in
                let take = min(32 - bufferedBytes, count)
                stripe.baseAddress!.advanced(by: bufferedBytes).copyMemory(from: bytes.baseAddress!, byteCount: take)
                bufferedBytes += take
                index = take
            }
            if bufferedBytes < 32 { return }
            consumeStripe(buffer.0.littleEndian, buffer.1.littleEndian, buffer.2.littleEndian, buffer.3.littleEndian)
            bufferedBytes = 0
        }
        while count - index >= 32 {
            consumeStripe(
                bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self).littleEndian,
                bytes.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self).littleEndian,
                bytes.loadUnaligned(fromByteOffset: index + 16, as: UInt64.self).littleEndian,
                bytes.loadUnaligned(fromByteOffset: index + 24, as: UInt64.self).littleEndian)
            index += 32
        }
        if index < count {
            let rest = count - index
            withUnsafeMutableBytes(of: &buffer) { stripe in
                stripe.baseAddress!.copyMemory(from: bytes.baseAddress!.advanced(by: index), byteCount: rest)
            }
            bufferedBytes = rest
        }
    }

    /// The digest of everything fed so far.
    public func finalize() -> UInt64 {
        var hash: UInt64
        if totalLength >= 32 {
            hash = ((v1 << 1) | (v1 >> 63)) &+ ((v2 << 7) | (v2 >> 57))
                &+ ((v3 << 12) | (v3 >> 52)) &+ ((v4 << 18) | (v4 >> 46))
            hash = Self.merge(hash, v1); hash = Self.merge(hash, v2)
            hash = Self.merge(hash, v3); hash = Self.merge(hash, v4)
        } else {
            hash = seed &+ Self.p5
        }
        hash &+= totalLength
        var tail = buffer
        let remaining = bufferedBytes
        withUnsafeBytes(of: &tail) { bytes in
            var index = 0
            while remaining - index >= 8 {
                let k1 = Self.round(0, bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self).littleEndian)
                hash ^= k1
                hash = ((hash << 27) | (hash >> 37)) &* Self.p1 &+ Self.p4
                index += 8
            }
            if remaining - index >= 4 {
                let word = UInt64(bytes.loadUnaligned(fromByteOffset: index, as: UInt32.self).littleEndian)
                hash ^= word &* Self.p1
                hash = ((hash << 23) | (hash >> 41)) &* Self.p2 &+ Self.p3
                index += 4
            }
            while index < remaining {
                hash ^= UInt64(bytes[index]) &* Self.p5
                hash = ((hash << 11) | (hash >> 53)) &* Self.p1
                index += 1
            }
        }
        hash ^= hash >> 33
        hash = hash &* Self.p2
        hash ^= hash >> 29
        hash = hash &* Self.p3
        hash ^= hash >> 32
        return hash
    }

    /// One-shot digest of a byte array.
    public static func digest(_ bytes: [UInt8]) -> UInt64 {
        var hasher = XXH64()
        bytes.withUnsafeBytes { hasher.update($0) }
        return hasher.finalize()
    }
}

extension Fill {
    /// The digest a read of `length` bytes returns when it reads exactly this fill:
    /// what `=> bytes=seed:7` compares against.
    public func digest(length: UInt64) -> UInt64 {
        if case .seed(let seed) = self { return Self.seedDigest(seed, length: length) }
        var hasher = XXH64()
        // Rendered a chunk at a time into scratch no larger than the read: a 4 KiB read
        // (the common case) used to zero a 64 KiB buffer first, 16 % of `record`'s time.
        let chunkBytes = Int(min(length, 64 * 1024))
        var scratch = [UInt8](unsafeUninitializedCapacity: chunkBytes) { _, count in count = chunkBytes }
        var position: UInt64 = 0
        while position < length {
            let take = Int(min(UInt64(chunkBytes), length - position))
            scratch.withUnsafeMutableBytes { buffer in
                let slice = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<take])
                render(into: slice, from: position)
                hasher.update(UnsafeRawBufferPointer(slice))
            }
            position += UInt64(take)
        }
        return hasher.finalize()
    }

    /// A seed fill's digest without rendering it. Word k of the fill is SplitMix64 output k,
    /// stored little-endian at byte 8k, which is how XXH64 reads its lanes: each 32-byte
    /// stripe is four words fed straight to the accumulators. Only the last partial stripe
    /// is rendered. Every `bytes=seed:N` claim comes here, one read of data each.
    static func seedDigest(_ seed: UInt64, length: UInt64) -> UInt64 {
        var hasher = XXH64()
        let stripes = length / 32
        var word: UInt64 = 0
        for _ in 0..<stripes {
            hasher.consumeStripe(SplitMix64.word(seed: seed, index: word), SplitMix64.word(seed: seed, index: word + 1),
                                 SplitMix64.word(seed: seed, index: word + 2), SplitMix64.word(seed: seed, index: word + 3))
            word += 4
        }
        hasher.totalLength = stripes * 32
        let rest = Int(length % 32)
        if rest > 0 {
            var tail: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
            withUnsafeMutableBytes(of: &tail) { bytes in
                let slice = UnsafeMutableRawBufferPointer(rebasing: bytes[0..<rest])
                Fill.seed(seed).render(into: slice, from: stripes * 32)
                hasher.update(UnsafeRawBufferPointer(slice))
            }
        }
        return hasher.finalize()
    }
}
