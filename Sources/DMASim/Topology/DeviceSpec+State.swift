extension DeviceBus: StateTagged {
    static let stateOrder: [DeviceBus] = [.pci, .platform]
}

extension DeviceSpec {
    func encode(to writer: inout StateWriter) {
        writer.string(name)
        writer.optional(iommu) { $0.string($1) }
        writer.varint(dmaBits)
        writer.flags(coherent, untrusted, untrustedAtProbe)
        bus.encode(to: &writer)
        writer.optional(group) { $0.string($1) }
        writer.varint(minAlignMask)
    }

    /// Version 6 added `minAlignMask`; older states had none (0, the kernel's default).
    init(from reader: inout StateReader, version: UInt32) throws(EngineStateError) {
        let name = try reader.string("device name")
        let iommu = try reader.optional("device iommu") { reader throws(EngineStateError) in try reader.string("device iommu") }
        // The range a `device` declaration accepts: `DMA_BIT_MASK` of anything else traps.
        let dmaBits = try reader.int("device dma bits", in: 12...64)
        // Version 9 added the third, `untrustedAtProbe`.
        let flags = try reader.flags("device flags", count: version >= EngineStateFormat.untrustedAtProbeVersion ? 3 : 2)
        let bus = try DeviceBus(from: &reader, "device bus")
        let group = try reader.optional("device group") { reader throws(EngineStateError) in try reader.string("device group") }
        var minAlignMask: UInt64 = 0
        if version >= EngineStateFormat.kernel73Version {
            let start = reader.offset
            minAlignMask = try reader.varint("device min_align_mask")
            guard DeviceSpec.isValidMinAlignMask(minAlignMask) else {
                throw reader.invalid("device min_align_mask", "0x\(hex(minAlignMask)) is not a mask of low bits below 2^32", at: start)
            }
        }
        self.init(name: name, iommu: iommu, dmaBits: dmaBits, coherent: flags[0], untrusted: flags[1], bus: bus, group: group,
                  minAlignMask: minAlignMask, untrustedAtProbe: flags[2])
    }
}

extension SwiotlbSpec {
    func encode(to writer: inout StateWriter) {
        writer.varint(sizeBytes)
        writer.varint(base)
        writer.bool(force)
    }

    init(from reader: inout StateReader) throws(EngineStateError) {
        self.init(sizeBytes: try reader.varint("swiotlb size"), base: try reader.varint("swiotlb base"),
                  force: try reader.bool("swiotlb force"))
    }
}
