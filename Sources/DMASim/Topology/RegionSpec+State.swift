extension RegionKind: StateTagged {
    static let stateOrder: [RegionKind] = [.ram, .shared, .mmio]
}

extension RegionSpec {
    func encode(to writer: inout StateWriter) {
        writer.string(name)
        writer.varint(base)
        writer.varint(sizeBytes)
        kind.encode(to: &writer)
    }

    /// The values only; `PhysicalMemory` checks that the region fits beside the others.
    init(from reader: inout StateReader) throws(EngineStateError) {
        self.init(name: try reader.string("region name"), base: try reader.varint("region base"),
                  sizeBytes: try reader.varint("region size"), kind: try RegionKind(from: &reader, "region kind"))
    }
}
