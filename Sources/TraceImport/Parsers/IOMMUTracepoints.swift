/// The `iommu:*` tracepoints (include/trace/events/iommu.h). `map` and `unmap` name no
/// device: they happen in whatever domain the caller passed. Three spellings of map
/// exist; the naming kept says which one the line used:
///
///     map: IOMMU: iova=0x0000000ffff36000 paddr=0x00000001164d8000 size=4096              iommu_map_old
///     map: IOMMU: iova=0x00003fffffc00000 - 0x0000400000000000 paddr=0x… size=4194304    iommu_map
///     map: IOMMU: dev=1d84000.ufshc iova=0x… paddr=0x… size=4096                         iommu_map_dev (a 2021 patch)
///     unmap: IOMMU: iova=0x… [- 0x…] size=4096 unmapped_size=4096
///     io_page_fault: IOMMU:xhci_hcd 0000:00:14.0 iova=0x00000000fff00000 flags=0x0000
///     attach_device_to_domain: IOMMU: device=0000:00:14.0
///     add_device_to_group: IOMMU: groupID=5 device=0000:00:14.0
enum IOMMUTracepoints {
    static let names: Set<String> = [
        "map", "unmap", "io_page_fault", "attach_device_to_domain", "detach_device_from_domain",
        "add_device_to_group", "remove_device_from_group",
    ]

    static let marker = utf8("IOMMU:")
    static let iova = utf8("iova"), paddr = utf8("paddr"), size = utf8("size"), unmappedSize = utf8("unmapped_size")
    static let dev = utf8("dev"), device = utf8("device"), flags = utf8("flags"), groupID = utf8("groupID"), rangeDash = utf8(" - 0x")

    static func parse(_ name: String, fields: Range<Int>, _ record: TraceRecord, devices: DeviceDirectory) -> LineResult {
        let bytes = record.text
        var scanner = TextScanner(bytes, from: fields.lowerBound, to: fields.upperBound)
        scanner.skipSpaces()
        guard scanner.skip(marker) else { return .skipped(.malformed(name, missing: "IOMMU: marker")) }
        let rest = scanner.position..<fields.upperBound
        let values = KeyValueFields(bytes, rest)
        switch name {
        case "map", "unmap": return mapping(name, values, bytes, rest, record, devices)
        case "io_page_fault": return fault(values, &scanner, record, devices)
        default: return deviceEvent(name, values, record, devices)
        }
    }

    private static func mapping(_ name: String, _ values: KeyValueFields, _ bytes: [UInt8], _ rest: Range<Int>,
                                _ record: TraceRecord, _ devices: DeviceDirectory) -> LineResult {
        let device = values.text(dev)
        let isRange = TextScanner.find(rangeDash, in: bytes, from: rest.lowerBound, to: rest.upperBound) != nil
        let naming = "iommu_" + name + (device != nil ? "_dev" : (isRange ? "" : "_old"))
        var event = record.event(name == "map" ? .map : .unmap, naming)
        event.device = device.map(devices.canonical)
        event.address = values.hex(iova)
        event.sizeBytes = values.decimal(size)
        guard event.address != nil else { return .skipped(.malformed(naming, missing: "iova")) }
        guard event.sizeBytes != nil else { return .skipped(.malformed(naming, missing: "size")) }
        if name == "map" {
            event.phys = values.hex(paddr)
            guard event.phys != nil else { return .skipped(.malformed(naming, missing: "paddr")) }
        } else {
            event.unmappedBytes = values.decimal(unmappedSize)
        }
        return .event(event)
    }

    /// `IOMMU:%s %s iova=0x%016llx flags=0x%04x`: driver, device. `flags` is
    /// IOMMU_FAULT_READ (0) or IOMMU_FAULT_WRITE (1).
    private static func fault(_ values: KeyValueFields, _ scanner: inout TextScanner, _ record: TraceRecord,
                              _ devices: DeviceDirectory) -> LineResult {
        var event = record.event(.fault, "io_page_fault")
        _ = scanner.word()
        scanner.skipSpaces()
        let deviceRange = scanner.word()
        guard !deviceRange.isEmpty, !record.text[deviceRange].contains(.equals) else {
            return .skipped(.malformed("io_page_fault", missing: "device"))
        }
        event.device = devices.canonical(record.text.text(deviceRange))
        event.address = values.hex(iova)
        guard event.address != nil else { return .skipped(.malformed("io_page_fault", missing: "iova")) }
        event.isWrite = values.hex(flags).map { $0 & 1 != 0 }
        return .event(event)
    }

    private static func deviceEvent(_ name: String, _ values: KeyValueFields, _ record: TraceRecord, _ devices: DeviceDirectory) -> LineResult {
        let kind: TraceEventKind
        switch name {
        case "attach_device_to_domain": kind = .attach
        case "detach_device_from_domain": kind = .detach
        case "add_device_to_group": kind = .groupAdd
        default: kind = .groupRemove
        }
        var event = record.event(kind, name)
        guard let device = values.text(device), !device.isEmpty else { return .skipped(.malformed(name, missing: "device")) }
        event.device = devices.canonical(device)
        event.groupID = values.decimal(groupID)?.asInt
        return .event(event)
    }
}
