import Testing
@testable import DMASim

/// The read digest is XXH64 with seed 0, the value libxxhash and Python's `xxhash` give.
@Suite struct XXH64Tests {
    @Test func knownVectors() {
        #expect(XXH64.digest([]) == 0xEF46_DB37_51D8_E999)
        #expect(XXH64.digest(Array("abc".utf8)) == 0x44BC_2CF5_AD77_0999)
        // python3 -c "import xxhash; print(hex(xxhash.xxh64_intdigest(bytes(range(256))*17)))"
        #expect(XXH64.digest((0..<17).flatMap { _ in (0...255).map(UInt8.init) }) == 0xD79C_4688_35B1_5209)
    }

    @Test func streamingInPiecesEqualsOneShot() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        var hasher = XXH64()
        for start in stride(from: 0, to: bytes.count, by: 13) {
            bytes[start..<min(start + 13, bytes.count)].withUnsafeBytes { hasher.update($0) }
        }
        #expect(hasher.finalize() == XXH64.digest(bytes))
    }

    /// A seed fill's digest is computed from its words without rendering them; it must
    /// equal the digest of the rendered bytes at every length, stripe-aligned or not.
    @Test(arguments: [0, 1, 7, 8, 31, 32, 33, 63, 64, 100, 4096, 4099, 65_537] as [UInt64])
    func seedDigestEqualsTheDigestOfTheRenderedBytes(length: UInt64) {
        for seed: UInt64 in [0, 7, .max] {
            var bytes = [UInt8](repeating: 0, count: Int(length))
            bytes.withUnsafeMutableBytes { Fill.seed(seed).render(into: $0, from: 0) }
            #expect(Fill.seed(seed).digest(length: length) == XXH64.digest(bytes), "seed \(seed) length \(length)")
        }
    }
}
