/// What the engine keeps of an ended IOVA state once only its handle names it (no IOVA
/// owner span, no ownership entry): what a later call through the handle acts on. The
/// kernel goes ahead on `state->addr` and `size` after destroy or free (a link after free
/// maps again, an unlink after free unmaps and compares directions), so these stay; the
/// rest of the record is read only while the state is live (unlinked granules, a failed
/// link) or by no check at all (linked bytes), and a revived record starts them empty.
///
/// 40 bytes, and a handle-keyed dictionary entry: handles are never reused by the
/// workloads or trace imports, so every ended handle costs this for the rest of the run.
struct IOVAStateEpitaph {
    let runtime: DeviceRuntime
    let addr: UInt64
    let sizeBytes: UInt64
    let life: IOVAStateRecord.Life
    let usesSwiotlb: Bool
    let linkSignatures: LinkSignatures
}

/// What the engine keeps of an ended streaming mapping: an unmap, sync or device access
/// through the handle acts on the DMA address it was given, and dma-debug's checks look
/// only at whether it failed or was unmapped. 24 bytes, and the dictionary entry.
struct MappingEpitaph {
    let runtime: DeviceRuntime
    let dmaAddress: UInt64
    let life: StreamingMappingRecord.Life
}

extension IOVAStateRecord {
    /// Retires an ended record: it must not be live or own bytes.
    var epitaph: IOVAStateEpitaph {
        precondition(!isLive && ownershipIDs.isEmpty, "retiring a state record that is still live or owns bytes")
        return IOVAStateEpitaph(runtime: runtime, addr: addr, sizeBytes: sizeBytes, life: life, usesSwiotlb: usesSwiotlb,
                                linkSignatures: linkSignatures)
    }

    /// A full record again, for an op that names the handle.
    init(handle: String, serial: Int, epitaph: IOVAStateEpitaph) {
        self.init(handle: handle, device: epitaph.runtime, serial: serial, addr: epitaph.addr, sizeBytes: epitaph.sizeBytes,
                  life: epitaph.life)
        usesSwiotlb = epitaph.usesSwiotlb
        linkSignatures = epitaph.linkSignatures
    }
}

extension StreamingMappingRecord {
    /// Retires an ended record: it must not be mapped or own bytes.
    func epitaph(runtime: DeviceRuntime) -> MappingEpitaph {
        precondition(life != .mapped && ownershipID == nil, "retiring a mapping record that is still mapped")
        return MappingEpitaph(runtime: runtime, dmaAddress: dmaAddress, life: life)
    }

    /// A full record again, for an op that names the handle. What only a mapped record
    /// needs (buffer, direction, attributes) is not known any more and is not read.
    init(handle: String, serial: Int, epitaph: MappingEpitaph) {
        self.init(handle: handle, device: epitaph.runtime.spec.name, serial: serial, dmaAddress: epitaph.dmaAddress,
                  phys: 0, length: 0, direction: .none, attributes: [], life: epitaph.life,
                  throughIOMMU: epitaph.runtime.domain != nil)
    }
}
