extension IOVAStateRecord.Life: StateTagged {
    static let stateOrder: [IOVAStateRecord.Life] = [.allocated, .failed, .destroyed, .freed]
}

/// One state record: the kernel's `dma_iova_state` and the checker's shadow of it. The
/// device is named by its index in the name-sorted device table. Version 3 had no serial:
/// its records sat at index = creation order.
extension IOVAStateRecord {
    func encode(to writer: inout StateWriter, links: EncodingLinks) {
        writer.recordHead(handle: handle, device: device, links: links)
        writer.varint(serial)
        writer.varint(addr)
        writer.varint(sizeBytes)
        life.encode(to: &writer)
        writer.flags(usesSwiotlb, hasFailedLink)
        writer.varint(linkedBytes)
        var previous: UInt64?
        writer.array(unlinkedGranules.elements) { $0.disjointRange($1.first, $1.last, after: &previous) }
        linkSignatures.encode(to: &writer)
        writer.array(ownershipIDs) { $0.varint($1) }
    }

    /// `slot`: where a version-3 record sat, which was its serial.
    init(from reader: inout StateReader, links: DecodingLinks, slot: Int) throws(EngineStateError) {
        let (handle, device) = try reader.recordHead("state handle", "state device", links: links)
        let serial = links.version == 3 ? slot : try reader.int("state serial", in: 0...Int.max)
        self.init(handle: handle, device: device, serial: serial, addr: try reader.varint("state addr"),
                  sizeBytes: try reader.varint("state size"), life: try Life(from: &reader, "state life"))
        let flags = try reader.flags("state flags", count: 2)
        usesSwiotlb = flags[0]
        hasFailedLink = flags[1]
        linkedBytes = try reader.varint("state linked bytes")
        unlinkedGranules = try Self.unlinkedGranules(from: &reader, version: links.version)
        linkSignatures = try LinkSignatures(from: &reader)
        ownershipIDs = try reader.array("state ownership ids") { reader throws(EngineStateError) in
            try reader.liveOwnershipID("state ownership id", links: links)
        }
    }
}

extension IOVAStateRecord {
    /// Version 6 writes spans of granules; versions 3 to 5 wrote each granule.
    private static func unlinkedGranules(from reader: inout StateReader, version: UInt32) throws(EngineStateError) -> SpanSet {
        var set = SpanSet()
        var previous: UInt64?
        if version < EngineStateFormat.blockPTEsVersion {
            let granuleCount = try reader.count("state unlinked granules")
            for _ in 0..<granuleCount {
                let granule = try reader.ascendingKey("state unlinked granule", after: &previous)
                set.insert(first: granule, last: granule)
            }
        } else {
            let spanCount = try reader.count("state unlinked spans", minimumBytes: 2)
            for _ in 0..<spanCount {
                let span = try reader.disjointRange("state unlinked span", after: &previous)
                set.insert(first: span.lowerBound, last: span.upperBound)
            }
        }
        return set
    }
}

extension LinkSignature {
    func encode(to writer: inout StateWriter) {
        direction.encode(to: &writer)
        writer.flags(skipCPUSync, mmio)
    }

    init(from reader: inout StateReader) throws(EngineStateError) {
        let direction = try DMADirection(from: &reader, "link signature direction")
        let flags = try reader.flags("link signature flags", count: 2)
        var attributes: DMAAttributes = []
        if flags[0] { attributes.insert(.skipCPUSync) }
        if flags[1] { attributes.insert(.mmio) }
        self.init(direction: direction, attributes: attributes)
    }
}

/// An ended state's epitaph, under its handle; the device by number as in a record.
extension IOVAStateEpitaph {
    func encode(handle: String, to writer: inout StateWriter, links: EncodingLinks) {
        writer.recordHead(handle: handle, device: runtime.spec.name, links: links)
        writer.varint(addr)
        writer.varint(sizeBytes)
        life.encode(to: &writer)
        writer.bool(usesSwiotlb)
        linkSignatures.encode(to: &writer)
    }

    static func decoding(from reader: inout StateReader, links: DecodingLinks) throws(EngineStateError)
        -> (handle: String, epitaph: IOVAStateEpitaph) {
        let start = reader.offset
        let (handle, device) = try reader.recordHead("ended state handle", "ended state device", links: links)
        let epitaph = IOVAStateEpitaph(runtime: device, addr: try reader.varint("ended state addr"),
                                       sizeBytes: try reader.varint("ended state size"),
                                       life: try IOVAStateRecord.Life(from: &reader, "ended state life"),
                                       usesSwiotlb: try reader.bool("ended state swiotlb"),
                                       linkSignatures: try LinkSignatures(from: &reader))
        guard epitaph.life != .allocated else { throw reader.invalid("ended state", "\(handle) is still allocated", at: start) }
        return (handle, epitaph)
    }
}

/// As many signatures as links used, in the order they first did (version 3 wrote the
/// same bytes from an array).
extension LinkSignatures {
    func encode(to writer: inout StateWriter) {
        writer.array(Array(self)) { $1.encode(to: &$0) }
    }

    init(from reader: inout StateReader) throws(EngineStateError) {
        let start = reader.offset
        let signatures = try reader.array("state link signatures") { reader throws(EngineStateError) in try LinkSignature(from: &reader) }
        self.init(signatures)
        guard count == signatures.count else { throw reader.invalid("state link signatures", "has one twice", at: start) }
    }
}
