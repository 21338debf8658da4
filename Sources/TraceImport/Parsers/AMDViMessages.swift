import DMASim

/// AMD-Vi I/O page faults (drivers/iommu/amd/iommu.c `amd_iommu_report_page_fault`):
///
///     ahci 0000:28:00.0: AMD-Vi: Event logged [IO_PAGE_FAULT domain=0x0035 address=0x7fffff00000 flags=0x0000]
///     AMD-Vi: Event logged [IO_PAGE_FAULT device=0a:00.0 domain=0x001d address=0x… flags=0x0000]
///     iommu ivhd0: AMD-Vi: Event logged [IO_PAGE_FAULT device=0000:03:00.0 domain=0x0010 address=0x… flags=0x0020]
///
/// The device is the `device=` field when there is one (the line is then printed for the
/// IOMMU, or for no device), else the `dev_err` prefix. `flags` is the event's flag field:
/// RW (0x020) set for a write, PR (0x010) set when the page was present, so the fault was
/// a permission fault rather than a missing translation.
enum AMDViMessages {
    static let eventLogged = utf8("Event logged ["), ioPageFault = utf8("IO_PAGE_FAULT")
    static let device = utf8("device"), domain = utf8("domain"), address = utf8("address"), flags = utf8("flags")
    static let flagWrite: UInt64 = 0x020, flagPresent: UInt64 = 0x010

    /// Nil when the message is not an AMD-Vi event report.
    static func parse(_ record: TraceRecord, _ range: Range<Int>, devices: DeviceDirectory) -> LineResult? {
        let bytes = record.text
        guard let logged = TextScanner.find(eventLogged, in: bytes, from: range.lowerBound, to: range.upperBound) else { return nil }
        let body = (logged + eventLogged.count)..<range.upperBound
        guard bytes.hasPrefix(ioPageFault, at: body.lowerBound) else { return .skipped(.faultWithoutAddress) }
        let values = KeyValueFields(bytes, body)
        var event = record.event(.fault, "amd_iommu_io_page_fault")
        if let name = values.text(device) {
            event.device = devices.canonical(name.trimmingSuffix("]"))
        } else if let prefix = DevicePrefix.parse(bytes, range.lowerBound..<logged) {
            event.device = devices.canonical(bytes.text(prefix.device))
        }
        guard event.device != nil else { return .skipped(.malformed(event.naming, missing: "device")) }
        guard let faultAddress = values.hex(address) else { return .skipped(.malformed(event.naming, missing: "address")) }
        event.address = faultAddress
        if let flagBits = values.hex(flags) {
            event.isWrite = flagBits & flagWrite != 0
            event.faultKind = flagBits & flagPresent != 0 ? .permission : .notPresent
        }
        if let domainID = values.hex(domain) { event.reason = "domain \(String(format2: domainID))" }
        return .event(event)
    }
}
