extension StreamingMappingRecord.Life: StateTagged {
    static let stateOrder: [StreamingMappingRecord.Life] = [.mapped, .failed, .unmapped]
}

/// One streaming mapping record (dma-debug's entry). The device is named by its index in
/// the name-sorted device table.
extension StreamingMappingRecord {
    func encode(to writer: inout StateWriter, links: EncodingLinks) {
        writer.recordHead(handle: handle, device: device, links: links)
        writer.varint(dmaAddress)
        writer.varint(phys)
        writer.varint(length)
        direction.encode(to: &writer)
        writer.varint(UInt64(attributes.rawValue))
        life.encode(to: &writer)
        writer.flags(errorChecked, throughIOMMU)
        writer.optional(bounceAddress) { $0.varint($1) }
        writer.optional(ownershipID) { $0.varint($1) }
    }

    init(from reader: inout StateReader, links: DecodingLinks) throws(EngineStateError) {
        let (handle, device) = try reader.recordHead("mapping handle", "mapping device", links: links)
        let dmaAddress = try reader.varint("mapping dma address")
        let phys = try reader.varint("mapping phys")
        let length = try reader.varint("mapping length")
        let direction = try DMADirection(from: &reader, "mapping direction")
        // Any attribute bits: an imported trace may carry ones the simulator has no name for.
        let attributes = DMAAttributes(rawValue: UInt32(try reader.int("mapping attrs", in: 0...Int(UInt32.max))))
        let life = try Life(from: &reader, "mapping life")
        let flags = try reader.flags("mapping flags", count: 2)
        self.init(handle: handle, device: device.spec.name, dmaAddress: dmaAddress, phys: phys, length: length,
                  direction: direction, attributes: attributes, life: life, throughIOMMU: flags[1])
        errorChecked = flags[0]
        bounceAddress = try reader.optional("mapping bounce address") { reader throws(EngineStateError) in
            try reader.varint("mapping bounce address")
        }
        ownershipID = try reader.optional("mapping ownership id") { reader throws(EngineStateError) in
            try reader.liveOwnershipID("mapping ownership id", links: links)
        }
    }
}
