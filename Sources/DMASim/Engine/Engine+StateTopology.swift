/// The machine part of an engine state: IOMMUs with their domains, IOMMU groups, devices,
/// the swiotlb pool and the CPU cache. Every hashed collection goes out sorted by key;
/// each domain is written once, in the list of its IOMMU, and named by number afterwards.
extension Engine {
    func encodeTopology(to writer: inout StateWriter) -> EncodingLinks {
        var links = EncodingLinks()
        let iommuNames = iommus.keys.sorted()
        writer.array(iommuNames) { writer, name in
            // Invariant: `name` comes from iommus.keys.
            iommus[name]!.encode(to: &writer)
            writer.array(domainsOfIOMMU[name] ?? []) { writer, domain in
                links.domainIndex[ObjectIdentifier(domain)] = links.domainIndex.count
                domain.encode(to: &writer)
            }
        }
        writer.array(domainOfGroup.sorted { $0.key < $1.key }) { writer, group in
            writer.string(group.key)
            writer.varint(links.index(of: group.value))
        }
        let deviceNames = devices.keys.sorted()
        for (index, name) in deviceNames.enumerated() { links.deviceIndex[name] = index }
        // Invariant: deviceNames are devices.keys.
        writer.array(deviceNames) { devices[$1]!.encode(to: &$0, links: links) }
        writer.optional(swiotlb) { $1.encode(to: &$0) }
        writer.optional(swiotlbPool) { $1.encode(to: &$0) }
        writer.optional(cache) { $1.encode(to: &$0) }
        return links
    }

    func decodeTopology(from reader: inout StateReader, links: inout DecodingLinks) throws(EngineStateError) {
        let iommuCount = try reader.count("iommus")
        for _ in 0..<iommuCount { try decodeIOMMU(from: &reader, links: &links) }
        let groupCount = try reader.count("iommu groups")
        for _ in 0..<groupCount {
            let key = try reader.string("iommu group")
            domainOfGroup[key] = links.domains[try reader.index("iommu group domain", below: links.domains.count)]
        }
        let deviceCount = try reader.count("devices")
        for _ in 0..<deviceCount {
            let start = reader.offset
            let device = try DeviceRuntime.decoding(from: &reader, links: links)
            // Strictly ascending names: unique, and in the order records number them by.
            guard links.devices.last.map({ $0.spec.name < device.spec.name }) ?? true else {
                throw reader.invalid("device", "\(device.spec.name) is out of name order or repeated", at: start)
            }
            devices[device.spec.name] = device
            links.devices.append(device)
        }
        try decodeSwiotlb(from: &reader)
        cache = try reader.optional("cache") { [memory] reader throws(EngineStateError) in try CPUCache(memory: memory, from: &reader) }
    }

    /// One IOMMU, checked as its declaration was, then its domains in creation order.
    private func decodeIOMMU(from reader: inout StateReader, links: inout DecodingLinks) throws(EngineStateError) {
        let start = reader.offset
        let spec = try IOMMUSpec(from: &reader, version: links.version)
        if case .rejected(let reason) = declareIOMMU(spec).status { throw reader.invalid("iommu", reason, at: start) }
        let domainCount = try reader.count("iommu domains")
        var domains: [DMADomain] = []
        for _ in 0..<domainCount {
            let domain = try DMADomain.decoding(on: spec, from: &reader, links: links)
            domain.context = context
            domains.append(domain)
        }
        domainsOfIOMMU[spec.name] = domains
        links.domains += domains
    }

    /// The pool must be the declared one: its slots were read, its place checked when declared.
    private func decodeSwiotlb(from reader: inout StateReader) throws(EngineStateError) {
        let start = reader.offset
        swiotlb = try reader.optional("swiotlb") { reader throws(EngineStateError) in try SwiotlbSpec(from: &reader) }
        swiotlbPool = try reader.optional("swiotlb pool") { reader throws(EngineStateError) in try SwiotlbPool(from: &reader) }
        guard swiotlb?.isNoForce == true ? swiotlbPool == nil
                : (swiotlb?.base == swiotlbPool?.base && swiotlb?.sizeBytes == swiotlbPool?.sizeBytes) else {
            throw reader.invalid("swiotlb", "the pool is not the one declared", at: start)
        }
    }
}
