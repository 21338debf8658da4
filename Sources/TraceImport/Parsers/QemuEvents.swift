import DMASim

/// QEMU's IOMMU trace events (hw/i386/trace-events, hw/virtio/trace-events,
/// hw/arm/trace-events), after the `PID@SECONDS.MICROS:` prefix or on their own:
///
///     vtd_dmar_fault sid 0xb00 fault 6 addr 0x1187a9000 write 0
///     vtd_dmar_translate pasid 0xffffffff: dev 0b:00.00 iova 0x800000000 -> gpa 0x1f2556000 mask 0xfff
///     virtio_iommu_map domain=1 virt_start=0xfffff000 virt_end=0xffffffff phys_start=0x4d3000 flags=3
///     virtio_iommu_unmap domain=1 virt_start=0xfffff000 virt_end=0xffffffff
///     virtio_iommu_attach domain=1 endpoint=8
///     virtio_iommu_translate_out 0xfffff000 -> 0x4d3000 for sid=8
///     virtio_iommu_report_fault FAULT reason=2 flags=2 endpoint=8 address =0xdead000
///     smmuv3_translate_success smmuv3-iommu-memory-region-0-0 sid=0x8 iova=0x… translated=0x… perm=0x3
///     smmuv3_translate_abort smmuv3-iommu-memory-region-0-0 sid=0x8 abort on iova:0x… is_write=1
///
/// Source IDs, endpoint IDs and SMMUv3 stream IDs are PCI requester IDs in QEMU
/// (bus << 8 | devfn), so the device is named `BB:DD.F` from them. Events that only
/// repeat another's work (`vtd_dmar_slpte`, the page-walk and IOTLB events) are context.
enum QemuEvents {
    static let prefixes: [[UInt8]] = ["vtd_", "virtio_iommu_", "smmuv3_", "smmu_"].map { Array($0.utf8) }
    static let contextEvents: Set<String> = [
        "vtd_dmar_slpte", "virtio_iommu_translate", "virtio_iommu_unmap_done", "smmuv3_translate_bypass", "smmuv3_translate_disable",
    ]

    /// Whether `bytes` at `start` is `vtd_…`/`virtio_iommu_…`/`smmuv3_…` followed by a space.
    static func startsWithEventName(_ bytes: [UInt8], at start: Int) -> Bool {
        guard prefixes.contains(where: { bytes.hasPrefix($0, at: start) }) else { return false }
        var index = start
        while index < bytes.count, bytes[index].isLetter || bytes[index].isDigit || bytes[index] == .underscore { index += 1 }
        return index < bytes.count && bytes[index] == .space
    }

    static func parse(_ record: TraceRecord, devices: DeviceDirectory) -> LineResult {
        let bytes = record.text
        var scanner = TextScanner(bytes, from: record.message.lowerBound)
        scanner.skipSpaces()
        guard startsWithEventName(bytes, at: scanner.position) else { return .skipped(.qemuMessage) }
        let name = bytes.text(scanner.word())
        let args = scanner.position..<bytes.count
        if contextEvents.contains(name) { return .context }
        let values = KeyValueFields(bytes, args)
        switch name {
        case "vtd_dmar_fault": return vtdFault(record, values, devices)
        case "vtd_dmar_translate": return vtdTranslate(record, args, devices)
        case "virtio_iommu_map", "virtio_iommu_unmap": return virtioMapping(name, record, values)
        case "virtio_iommu_attach", "virtio_iommu_detach": return virtioAttach(name, record, values, devices)
        case "virtio_iommu_translate_out": return virtioTranslateOut(record, args, devices)
        case "virtio_iommu_report_fault": return virtioFault(record, values, devices)
        case "smmuv3_translate_success", "smmuv3_translate_abort": return smmuTranslate(name, record, values, args, devices)
        default: return .skipped(name.hasPrefix("smmu") || name.hasPrefix("vtd_") || name.hasPrefix("virtio_iommu") ? .unknownEvent : .notDMA)
        }
    }

    /// `vtd_dmar_fault sid 0x%x fault %d addr 0x%x write %d`: the fault reason is VT-d's.
    private static func vtdFault(_ record: TraceRecord, _ values: KeyValueFields, _ devices: DeviceDirectory) -> LineResult {
        var event = record.event(.fault, "vtd_dmar_fault")
        let words = SpacedWords(record.text, record.message)
        guard let sid = words.number(after: "sid"), let address = words.number(after: "addr") else {
            return .skipped(.malformed(event.naming, missing: "sid or addr"))
        }
        event.device = devices.canonical(DeviceDirectory.shortName(requesterID: sid))
        event.address = address
        event.isWrite = words.number(after: "write").map { $0 != 0 }
        if let code = words.number(after: "fault") {
            event.reason = "fault reason \(String(format2: code))"
            event.faultKind = IntelDMARMessages.faultKind(reasonCode: code)
        }
        return .event(event)
    }

    /// `[pasid 0x%x: ]dev %02x:%02x.%02x iova 0x… -> gpa 0x… mask 0x…`: a translation the
    /// device used, so an access whose direction the event does not give.
    private static func vtdTranslate(_ record: TraceRecord, _ args: Range<Int>, _ devices: DeviceDirectory) -> LineResult {
        var event = record.event(.access, "vtd_dmar_translate")
        let words = SpacedWords(record.text, args)
        guard let device = words.word(after: "dev"), let iova = words.number(after: "iova") else {
            return .skipped(.malformed(event.naming, missing: "dev or iova"))
        }
        event.device = devices.canonical(device)
        event.address = iova
        event.phys = words.number(after: "gpa")
        event.pasid = words.number(after: "pasid")
        return .event(event)
    }

    /// `domain=%d virt_start=0x… virt_end=0x… [phys_start=0x… flags=%d]`: `virt_end` is
    /// inclusive; flags are VIRTIO_IOMMU_MAP_F_READ (1), _WRITE (2), _MMIO (4).
    private static func virtioMapping(_ name: String, _ record: TraceRecord, _ values: KeyValueFields) -> LineResult {
        var event = record.event(name == "virtio_iommu_map" ? .map : .unmap, name)
        guard let domain = values.decimal(utf8("domain")), let start = values.hex(utf8("virt_start")),
              let end = values.hex(utf8("virt_end")), end >= start else {
            return .skipped(.malformed(name, missing: "domain, virt_start or virt_end"))
        }
        event.space = "virtio-iommu-domain-\(domain)"
        event.address = start
        event.sizeBytes = end &- start &+ 1
        if event.kind == .map {
            guard let phys = values.hex(utf8("phys_start")) else { return .skipped(.malformed(name, missing: "phys_start")) }
            event.phys = phys
            event.prot = values.decimal(utf8("flags")).map { flags in
                var prot: IOMMUProt = []
                if flags & 1 != 0 { prot.insert(.read) }
                if flags & 2 != 0 { prot.insert(.write) }
                if flags & 4 != 0 { prot.insert(.mmio) }
                return prot
            }
        }
        return .event(event)
    }

    private static func virtioAttach(_ name: String, _ record: TraceRecord, _ values: KeyValueFields, _ devices: DeviceDirectory) -> LineResult {
        var event = record.event(name == "virtio_iommu_attach" ? .attach : .detach, name)
        guard let domain = values.decimal(utf8("domain")), let endpoint = values.decimal(utf8("endpoint")) else {
            return .skipped(.malformed(name, missing: "domain or endpoint"))
        }
        event.space = "virtio-iommu-domain-\(domain)"
        event.device = devices.canonical(DeviceDirectory.shortName(requesterID: endpoint))
        return .event(event)
    }

    /// `0x… -> 0x… for sid=%d`
    private static func virtioTranslateOut(_ record: TraceRecord, _ args: Range<Int>, _ devices: DeviceDirectory) -> LineResult {
        var event = record.event(.access, "virtio_iommu_translate_out")
        var scanner = TextScanner(record.text, from: args.lowerBound, to: args.upperBound)
        scanner.skipSpaces()
        let iova = scanner.number()
        let values = KeyValueFields(record.text, args)
        guard let iova, let sid = values.decimal(utf8("sid")) else { return .skipped(.malformed(event.naming, missing: "address or sid")) }
        event.address = iova
        event.phys = SpacedWords(record.text, args).number(after: "->")
        event.device = devices.canonical(DeviceDirectory.shortName(requesterID: sid))
        return .event(event)
    }

    /// `FAULT reason=%d flags=%d endpoint=%d address =0x…`: reason 1 (DOMAIN) and 2
    /// (MAPPING) are missing translations; flags F_READ (1), F_WRITE (2).
    private static func virtioFault(_ record: TraceRecord, _ values: KeyValueFields, _ devices: DeviceDirectory) -> LineResult {
        var event = record.event(.fault, "virtio_iommu_report_fault")
        guard let endpoint = values.decimal(utf8("endpoint")), let address = values.hex(utf8("address")) else {
            return .skipped(.malformed(event.naming, missing: "endpoint or address"))
        }
        event.device = devices.canonical(DeviceDirectory.shortName(requesterID: endpoint))
        event.address = address
        if let flags = values.decimal(utf8("flags")) {
            event.isWrite = flags & 2 != 0 ? true : (flags & 1 != 0 ? false : nil)
        }
        if let reason = values.decimal(utf8("reason")) {
            event.reason = "reason \(reason)"
            if reason == 1 || reason == 2 { event.faultKind = .notPresent }
        }
        return .event(event)
    }

    /// `%s sid=%d iova=0x… translated=0x… perm=0x%x` (perm: IOMMU_RO 1, IOMMU_WO 2, RW 3)
    /// or `%s sid=%d abort on iova:0x… is_write=%d`.
    private static func smmuTranslate(_ name: String, _ record: TraceRecord, _ values: KeyValueFields, _ args: Range<Int>,
                                      _ devices: DeviceDirectory) -> LineResult {
        let isAbort = name == "smmuv3_translate_abort"
        var event = record.event(isAbort ? .fault : .access, name)
        let iova = isAbort ? SpacedWords(record.text, args).number(after: "on", prefix: "iova:") : values.hex(utf8("iova"))
        guard let sid = values.number(utf8("sid")), let iova else { return .skipped(.malformed(name, missing: "sid or iova")) }
        event.device = devices.canonical(DeviceDirectory.shortName(requesterID: sid))
        event.address = iova
        if isAbort {
            event.isWrite = values.decimal(utf8("is_write")).map { $0 != 0 }
        } else {
            event.phys = values.hex(utf8("translated"))
            if let perm = values.hex(utf8("perm")), perm == 1 || perm == 2 { event.isWrite = perm == 2 }
        }
        return .event(event)
    }
}
