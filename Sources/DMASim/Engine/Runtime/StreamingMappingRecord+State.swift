extension StreamingMappingRecord.Life: StateTagged {
    static let stateOrder: [StreamingMappingRecord.Life] = [.mapped, .failed, .unmapped]
}

/// One streaming mapping record (dma-debug's entry). The device is named by its index in
/// the name-sorted device table.
extension StreamingMappingRecord {
    func encode(to writer: inout StateWriter, links: EncodingLinks) {
        writer.recordHead(handle: handle, device: device, links: links)
        writer.varint(serial)
        writer.varint(dmaAddress)
        writer.varint(phys)
        writer.varint(length)
        direction.encode(to: &writer)
        writer.varint(UInt64(attributes.rawValue))
        life.encode(to: &writer)
        writer.flags(errorChecked, throughIOMMU, hasDebugEntry, tracked)
        writer.optional(bounceAddress) { $0.varint($1) }
        writer.optional(ownershipID) { $0.varint($1) }
    }

    /// `slot`: where a version-3 record sat, which was its serial.
    init(from reader: inout StateReader, links: DecodingLinks, slot: Int) throws(EngineStateError) {
        let (handle, device) = try reader.recordHead("mapping handle", "mapping device", links: links)
        let serial = links.version == 3 ? slot : try reader.int("mapping serial", in: 0...Int.max)
        let dmaAddress = try reader.varint("mapping dma address")
        let phys = try reader.varint("mapping phys")
        let length = try reader.varint("mapping length")
        let direction = try DMADirection(from: &reader, "mapping direction")
        // Any attribute bits: an imported trace may carry ones the simulator has no name for.
        let attributes = DMAAttributes(rawValue: UInt32(try reader.int("mapping attrs", in: 0...Int(UInt32.max))))
        let life = try Life(from: &reader, "mapping life")
        // Version 7 added hasDebugEntry (before, an entry lived exactly while mapped);
        // version 8 `tracked` (every mapping was before).
        let count = links.version >= EngineStateFormat.perCPUVersion ? 4 : links.version >= EngineStateFormat.kernel73Version ? 3 : 2
        let flags = try reader.flags("mapping flags", count: count)
        self.init(handle: handle, device: device.spec.name, serial: serial, dmaAddress: dmaAddress, phys: phys, length: length,
                  direction: direction, attributes: attributes, life: life, throughIOMMU: flags[1])
        errorChecked = flags[0]
        hasDebugEntry = count >= 3 ? flags[2] : life == .mapped
        if count >= 4 { tracked = flags[3] }
        bounceAddress = try reader.optional("mapping bounce address") { reader throws(EngineStateError) in
            try reader.varint("mapping bounce address")
        }
        ownershipID = try reader.optional("mapping ownership id") { reader throws(EngineStateError) in
            try reader.liveOwnershipID("mapping ownership id", links: links)
        }
    }
}

/// An ended mapping's epitaph, under its handle.
extension MappingEpitaph {
    func encode(handle: String, to writer: inout StateWriter, links: EncodingLinks) {
        writer.recordHead(handle: handle, device: runtime.spec.name, links: links)
        writer.varint(dmaAddress)
        life.encode(to: &writer)
    }

    static func decoding(from reader: inout StateReader, links: DecodingLinks) throws(EngineStateError)
        -> (handle: String, epitaph: MappingEpitaph) {
        let start = reader.offset
        let (handle, device) = try reader.recordHead("ended mapping handle", "ended mapping device", links: links)
        let epitaph = MappingEpitaph(runtime: device, dmaAddress: try reader.varint("ended mapping dma address"),
                                     life: try StreamingMappingRecord.Life(from: &reader, "ended mapping life"))
        guard epitaph.life != .mapped else { throw reader.invalid("ended mapping", "\(handle) is still mapped", at: start) }
        return (handle, epitaph)
    }
}
