/// How parts of the engine that point at each other survive encoding. Objects shared by
/// reference are written once and named by number afterwards: domains (one per IOMMU
/// group, held by every device in it) by their position in the domain table, devices
/// (held by IOVA state records) by their position in the name-sorted device table. IOVA
/// state and mapping records are named by their slot in the engine's tables already.
struct EncodingLinks {
    var domainIndex: [ObjectIdentifier: Int] = [:]
    var deviceIndex: [String: Int] = [:]

    // Invariant: Engine.encode numbers every domain of every IOMMU before any record names one.
    func index(of domain: DMADomain) -> Int { domainIndex[ObjectIdentifier(domain)]! }
}

extension StateWriter {
    /// What every record starts with: its handle, and its device by number.
    mutating func recordHead(handle: String, device: String, links: EncodingLinks) {
        string(handle)
        // Invariant: Engine.encode numbers every declared device first, and records name only those.
        varint(links.deviceIndex[device]!)
    }
}

extension StateReader {
    /// What `StateWriter.recordHead` wrote, the device re-linked.
    mutating func recordHead(_ handleField: StaticString, _ deviceField: StaticString, links: DecodingLinks)
        throws(EngineStateError) -> (handle: String, device: DeviceRuntime) {
        let handle = try string(handleField)
        return (handle, links.devices[try index(deviceField, below: links.devices.count)])
    }

    /// An ownership-map id that holds an entry (`OwnershipMap`'s subscript unwraps it).
    mutating func liveOwnershipID(_ field: StaticString, links: DecodingLinks) throws(EngineStateError) -> Int {
        let start = offset
        let id = try int(field, in: 0...Int.max)
        guard links.liveOwnershipIDs.contains(id) else { throw invalid(field, "id \(id) has no ownership entry", at: start) }
        return id
    }
}

/// What decoding a part needs from the parts before it: the objects to re-link to, and
/// the sizes that indexes into later parts must stay below.
struct DecodingLinks {
    /// The format version being read (`EngineStateFormat.readableVersions`).
    var version = EngineStateFormat.version
    /// Record slot counts, written first, so that owners named before the records
    /// themselves (the checker's maps) are checked as they are read; that the slot holds a
    /// record is checked once the records are read.
    var stateCount = 0
    var mappingCount = 0
    var domains: [DMADomain] = []
    var devices: [DeviceRuntime] = []
    /// Ownership-map ids that hold an entry, for the records that name them.
    var liveOwnershipIDs: Set<Int> = []
}
