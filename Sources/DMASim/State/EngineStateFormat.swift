/// The envelope around an encoded engine state: a fixed 28-byte header, then the payload
/// the components wrote.
///
///     offset  size  field
///          0     8  magic "DMAJSTAT"
///          8     4  format version, little-endian (`version`)
///         12     8  payload length in bytes, little-endian
///         20     8  XXH64 of the payload, little-endian
///         28     …  payload (docs/checkpoints.md lists its order)
///
/// The magic says what the bytes are, the version which reader they need, and the length
/// and checksum turn a cut-off or damaged copy into an error before any field is read (as
/// TigerBeetle's AOF entries defend themselves). Only then does the payload reader run, and
/// it still checks every field, because bytes that hash right can still be from a bug.
enum EngineStateFormat {
    static let magic: [UInt8] = Array("DMAJSTAT".utf8)
    /// Bump whenever any component's encoding changes. Version 4: record slots with holes
    /// and epitaphs of ended handles (bookkeeping bounded by live state). Version 5: the
    /// machine, the clock, the current CPU and the armed kernel timers, at the end.
    /// Version 6: block PTEs (issue 15): each IOMMU's page sizes, the page table as runs
    /// of PTEs of one size, IOTLB entries with their page size, unlinked granules as spans.
    /// Version 7: a device's `min_align_mask`, each domain's own type (strict for an
    /// untrusted group), dma-debug's cacheline marks, whether boot is over (the default
    /// swiotlb pool made), and the `dev_warn_once()` sites that have printed, at the end.
    /// Version 8: per-CPU rcache magazines, a flush queue per CPU with the flush counts and
    /// the flush timer's state, the depot-reclaim timers, the machine's dma-debug and tick
    /// phase, each device's `dma_skip_sync` and whether dma-debug tracks each mapping.
    /// Version 9: an IOMMU's `fq-timer=explicit` (a third IOMMU flag).
    static let version: UInt32 = 9
    /// Older versions still read, for the checkpoints in existing journals: version 3
    /// kept every record ever made, at index = creation order; versions 3 to 5 mapped
    /// every PTE as one granule.
    static let readableVersions: ClosedRange<UInt32> = 3...version
    /// The first version with page sizes, runs of PTEs and block IOTLB entries.
    static let blockPTEsVersion: UInt32 = 6
    /// The first version with min_align_mask, domain types, cacheline marks, boot and
    /// warn-once sites (the 7.3 model).
    static let kernel73Version: UInt32 = 7
    /// The first version with per-CPU caches and queues, timers of the IOVA code, dma-debug.
    static let perCPUVersion: UInt32 = 8
    /// The first version with the IOMMU's explicit flush timer.
    static let explicitTimerVersion: UInt32 = 9
    static let headerBytes = 28

    /// Header + `payload`.
    static func seal(_ payload: [UInt8]) -> [UInt8] {
        var bytes = magic
        bytes.reserveCapacity(headerBytes + payload.count)
        appendLittleEndian(UInt64(version), byteCount: 4, to: &bytes)
        appendLittleEndian(UInt64(payload.count), byteCount: 8, to: &bytes)
        appendLittleEndian(XXH64.digest(payload), byteCount: 8, to: &bytes)
        bytes.append(contentsOf: payload)
        return bytes
    }

    /// Checks the header and returns a reader over the payload and the payload's version.
    static func openPayload(_ bytes: [UInt8]) throws(EngineStateError) -> (reader: StateReader, version: UInt32) {
        let prefix = min(bytes.count, magic.count)
        guard bytes[0..<prefix].elementsEqual(magic[0..<prefix]) else { throw EngineStateError(.notAnEngineState, at: 0) }
        guard bytes.count >= headerBytes else { throw EngineStateError(.truncated(field: "header"), at: bytes.count) }
        let found = UInt32(littleEndian(bytes, at: 8, byteCount: 4))
        guard readableVersions.contains(found) else { throw EngineStateError(.unsupportedVersion(found: found, supported: version), at: 8) }
        let payloadBytes = littleEndian(bytes, at: 12, byteCount: 8)
        let present = UInt64(bytes.count - headerBytes)
        guard payloadBytes <= present else { throw EngineStateError(.truncated(field: "payload (\(payloadBytes) bytes)"), at: bytes.count) }
        guard payloadBytes == present else { throw EngineStateError(.trailingBytes(count: Int(present - payloadBytes)), at: headerBytes + Int(payloadBytes)) }
        let stored = littleEndian(bytes, at: 20, byteCount: 8)
        var hasher = XXH64()
        bytes.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[headerBytes...])) }
        let computed = hasher.finalize()
        guard stored == computed else { throw EngineStateError(.checksumMismatch(stored: stored, computed: computed), at: 20) }
        return (StateReader(bytes, from: headerBytes, to: bytes.count), found)
    }

    private static func appendLittleEndian(_ value: UInt64, byteCount: Int, to bytes: inout [UInt8]) {
        for index in 0..<byteCount { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(index)))) }
    }

    private static func littleEndian(_ bytes: [UInt8], at offset: Int, byteCount: Int) -> UInt64 {
        (0..<byteCount).reduce(0) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
    }
}
