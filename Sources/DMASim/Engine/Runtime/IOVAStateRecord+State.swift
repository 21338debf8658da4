extension IOVAStateRecord.Life: StateTagged {
    static let stateOrder: [IOVAStateRecord.Life] = [.allocated, .failed, .destroyed, .freed]
}

/// One state record: the kernel's `dma_iova_state` and the checker's shadow of it. The
/// device is named by its index in the name-sorted device table.
extension IOVAStateRecord {
    func encode(to writer: inout StateWriter, links: EncodingLinks) {
        writer.recordHead(handle: handle, device: device, links: links)
        writer.varint(addr)
        writer.varint(sizeBytes)
        life.encode(to: &writer)
        writer.flags(usesSwiotlb, hasFailedLink)
        writer.varint(linkedBytes)
        writer.varint(unlinkedGranules.count)
        var previous: UInt64?
        for granule in unlinkedGranules.sorted() { writer.ascendingKey(granule, after: &previous) }
        writer.array(linkSignatures) { $1.encode(to: &$0) }
        writer.array(ownershipIDs) { $0.varint($1) }
    }

    init(from reader: inout StateReader, links: DecodingLinks) throws(EngineStateError) {
        let (handle, device) = try reader.recordHead("state handle", "state device", links: links)
        self.init(handle: handle, device: device, addr: try reader.varint("state addr"), sizeBytes: try reader.varint("state size"),
                  life: try Life(from: &reader, "state life"))
        let flags = try reader.flags("state flags", count: 2)
        usesSwiotlb = flags[0]
        hasFailedLink = flags[1]
        linkedBytes = try reader.varint("state linked bytes")
        let granuleCount = try reader.count("state unlinked granules")
        var previous: UInt64?
        for _ in 0..<granuleCount { unlinkedGranules.insert(try reader.ascendingKey("state unlinked granule", after: &previous)) }
        linkSignatures = try reader.array("state link signatures") { reader throws(EngineStateError) in try LinkSignature(from: &reader) }
        ownershipIDs = try reader.array("state ownership ids") { reader throws(EngineStateError) in
            try reader.liveOwnershipID("state ownership id", links: links)
        }
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
