import Testing
@testable import DMASim

/// Bytes that are not a state this build wrote throw `EngineStateError`, placed at a byte,
/// and never trap.
@Suite struct EngineStateErrorTests {
    /// A state with something in every part: domains, swiotlb, cache lines, records.
    static let richState: [UInt8] = {
        let engine = Engine()
        _ = engine.apply(DeterminismTests.bounceWorkload(seed: 7))
        return engine.encodeState()
    }()

    static func error(decoding bytes: [UInt8]) -> EngineStateError? {
        do {
            _ = try Engine.decodingState(bytes)
            return nil
        } catch {
            return error
        }
    }

    /// Header + `payload`, checksum recomputed: what a bug in a writer, rather than damage
    /// in storage, would produce. Only the payload reader's own checks stand in the way.
    static func resealed(_ payload: some Collection<UInt8>) -> [UInt8] { EngineStateFormat.seal(Array(payload)) }

    static var richPayload: ArraySlice<UInt8> { richState[EngineStateFormat.headerBytes...] }

    @Test func foreignBytesAreNotAnEngineState() {
        let error = Self.error(decoding: Array("SQLite format 3\0 and then some".utf8))
        #expect(error == EngineStateError(.notAnEngineState, at: 0))
        #expect(Self.error(decoding: [])?.problem == .truncated(field: "header"))
    }

    @Test func anotherVersionIsRefusedAtTheVersionField() {
        var bytes = Self.richState
        bytes[8] &+= 1
        let error = Self.error(decoding: bytes)
        #expect(error == EngineStateError(.unsupportedVersion(found: EngineStateFormat.version + 1, supported: EngineStateFormat.version), at: 8))
        #expect(error?.description == "engine state, byte 8: format version 10, but this build reads version 9")
    }

    /// Version 3 is still read (checkpoints in existing journals); version 2 is not.
    @Test func aVersionBeforeTheOldestReadableIsRefused() {
        var bytes = Self.richState
        bytes[8] = UInt8(EngineStateFormat.readableVersions.lowerBound - 1)
        #expect(Self.error(decoding: bytes) == EngineStateError(.unsupportedVersion(found: 2, supported: EngineStateFormat.version), at: 8))
    }

    @Test func aCutOffCopyIsTruncated() {
        let bytes = Array(Self.richState.dropLast(10))
        let error = Self.error(decoding: bytes)
        #expect(error?.problem == .truncated(field: "payload (\(Self.richState.count - EngineStateFormat.headerBytes) bytes)"))
        #expect(error?.offset == bytes.count)
    }

    @Test func aFlippedBitFailsTheChecksum() throws {
        var bytes = Self.richState
        bytes[bytes.count / 2] ^= 0x10
        let error = try #require(Self.error(decoding: bytes))
        guard case .checksumMismatch = error.problem else {
            Issue.record("expected a checksum mismatch, got \(error)")
            return
        }
        #expect(error.offset == 20)
        #expect(error.description.hasPrefix("engine state, byte 20: checksum mismatch"))
    }

    @Test func bytesAfterThePayloadAreReported() {
        let error = Self.error(decoding: Self.richState + [0])
        #expect(error == EngineStateError(.trailingBytes(count: 1), at: Self.richState.count))
        let inner = Self.error(decoding: Self.resealed(Self.richPayload + [0]))
        #expect(inner == EngineStateError(.trailingBytes(count: 1), at: Self.richState.count))
    }

    /// The payload starts with the applied count, then the record counts, then the first
    /// region's name; a region kind past the last one is a bad tag at that byte.
    @Test func anUnknownTagIsPlacedAtItsByte() throws {
        let engine = Engine()
        _ = engine.apply(.region(RegionSpec(name: "r", base: 0x1000, sizeBytes: 0x1000, kind: .mmio)))
        var payload = Array(engine.encodeState()[EngineStateFormat.headerBytes...])
        // applied 1, states 0, mappings 0, regions 1, name "r" (2 bytes), base (2), size (2), kind.
        let kindOffset = 3 + 1 + 2 + 2 + 2
        #expect(payload[kindOffset] == 2)
        payload[kindOffset] = 7
        let error = Self.error(decoding: Self.resealed(payload))
        #expect(error == EngineStateError(.badTag(field: "region kind", value: 7), at: EngineStateFormat.headerBytes + kindOffset))
        #expect(error?.description == "engine state, byte \(EngineStateFormat.headerBytes + kindOffset): region kind: unknown value 7")
    }

    @Test func aRecordNamingAMissingDeviceIsInvalid() throws {
        let engine = Engine()
        _ = engine.apply([
            .region(RegionSpec(name: "r", base: 0x1000_0000, sizeBytes: 1 << 30, kind: .ram)),
            .device(DeviceSpec(name: "d", iommu: nil)),
            .map(MapOp(mapping: "m", device: "d", phys: 0x1000_0000, length: 64, direction: .toDevice)),
        ])
        var payload = Array(engine.encodeState()[EngineStateFormat.headerBytes...])
        // The mapping record's device index follows its handle "m" near the end.
        let handle = try #require(payload.lastIndex(of: UInt8(ascii: "m")))
        #expect(payload[handle + 1] == 0)
        payload[handle + 1] = 1
        let error = try #require(Self.error(decoding: Self.resealed(payload)))
        #expect(error.problem == .invalid(field: "mapping device", reason: "index 1 is not below 1"))
        #expect(error.offset == EngineStateFormat.headerBytes + handle + 1)
    }

    /// Damage in storage: cut-off copies and flipped bits, a few hundred of each.
    @Test func truncationsAndBitFlipsThrow() {
        var random = SeededGenerator(seed: 11)
        let bytes = Self.richState
        for _ in 0..<300 {
            let cut = Int.random(in: 0..<bytes.count, using: &random)
            #expect(Self.error(decoding: Array(bytes[..<cut])) != nil, "cut at \(cut)")
            var flipped = bytes
            let position = Int.random(in: 0..<bytes.count, using: &random)
            flipped[position] ^= 1 << UInt8.random(in: 0..<8, using: &random)
            #expect(Self.error(decoding: flipped) != nil, "bit flip at \(position)")
        }
    }

    /// Past the checksum: a payload cut anywhere and sealed again must still be refused by
    /// the field reads themselves (every read checks its bounds), never trap. 2,000 cuts
    /// spread evenly over the payload reach into every part of it.
    @Test func resealedTruncationsThrow() {
        let payload = Self.richPayload
        for cut in stride(from: 0, to: payload.count, by: max(1, payload.count / 2000)) {
            #expect(Self.error(decoding: Self.resealed(payload.prefix(cut))) != nil, "payload cut at \(cut)")
        }
    }

    /// Resealed bit flips may decode (a flipped address is still an address) but must not
    /// trap; the few that decode still re-encode.
    @Test func resealedBitFlipsNeverTrap() {
        var random = SeededGenerator(seed: 12)
        var payload = Array(Self.richPayload)
        var refused = 0
        for _ in 0..<300 {
            let position = Int.random(in: 0..<payload.count, using: &random)
            let bit = UInt8(1) << UInt8.random(in: 0..<8, using: &random)
            payload[position] ^= bit
            if let decoded = try? Engine.decodingState(Self.resealed(payload)) {
                _ = decoded.encodeState()
            } else {
                refused += 1
            }
            payload[position] ^= bit
        }
        #expect(refused > 0)
    }
}
