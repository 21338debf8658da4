/// A device: its declaration, its domain by number in the domain table (so devices of
/// one IOMMU group share one object again after decoding), and what changed since it was
/// declared (the 32-bit-first workaround turned off, a detach).
extension DeviceRuntime {
    func encode(to writer: inout StateWriter, links: EncodingLinks) {
        spec.encode(to: &writer)
        // 0 for dma-direct, else domain index + 1.
        writer.varint(domain.map { links.index(of: $0) + 1 } ?? 0)
        writer.flags(pci32BitWorkaround, driverWasReleased, skipsSync)
    }

    static func decoding(from reader: inout StateReader, links: DecodingLinks) throws(EngineStateError) -> DeviceRuntime {
        let spec = try DeviceSpec(from: &reader, version: links.version)
        let domainStart = reader.offset
        let domainNumber = try reader.index("device domain", below: links.domains.count + 1)
        let domain = domainNumber == 0 ? nil : links.domains[domainNumber - 1]
        if let domain, domain.iommu.name != spec.iommu {
            throw reader.invalid("device domain", "\(spec.name) sits behind \(spec.iommu ?? "no iommu"), its domain behind \(domain.iommu.name)",
                                 at: domainStart)
        }
        // Version 8 added dma_skip_sync; before, a device's coherence gave it.
        let flags = try reader.flags("device flags", count: links.version >= EngineStateFormat.perCPUVersion ? 3 : 2)
        let device = DeviceRuntime(spec: spec, domain: domain, forceDAC: false)
        device.pci32BitWorkaround = flags[0]
        device.driverWasReleased = flags[1]
        if links.version >= EngineStateFormat.perCPUVersion { device.skipsSync = flags[2] }
        return device
    }
}
