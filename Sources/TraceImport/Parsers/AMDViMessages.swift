import DMASim

/// AMD-Vi event reports (drivers/iommu/amd/iommu.c `iommu_print_event`,
/// `amd_iommu_report_page_fault`). The I/O page fault over the kernel's history:
///
///     AMD-Vi: Event logged [IO_PAGE_FAULT device=00:14.2 domain=0x0000 address=0x000000007fda0000 flags=0x0010]   (2.6.3x–3.x: two printks, one line)
///     AMD-Vi: Event logged [                                                                                       (4.9–4.13: the second printk,
///     IO_PAGE_FAULT device=05:00.0 domain=0x0012 address=0x00000000ff6101b0 flags=0x0070]                          without KERN_CONT, on its own line)
///     ahci 0000:28:00.0: AMD-Vi: Event logged [IO_PAGE_FAULT domain=0x0035 address=0x7fffff00000 flags=0x0000]   (4.14+: pci_err for a known device)
///     AMD-Vi: Event logged [IO_PAGE_FAULT device=0a:00.0 domain=0x001d address=0x… flags=0x0000]                  (4.14+: no dev_data)
///     iommu ivhd0: AMD-Vi: Event logged [IO_PAGE_FAULT device=0000:03:00.0 domain=0x0010 address=0x… flags=0x0020]  (5.19+: with the PCI segment)
///
/// The device is the `device=` field when there is one (the line is then printed for the
/// IOMMU, or for no device), else the `dev_err` prefix. `flags` is the event's flag field:
/// RW (0x020) set for a write, PR (0x010) set when the page was present (a permission
/// fault rather than a missing translation), I (0x008) set for an interrupt request, not
/// a memory access (`IS_IOMMU_MEM_TRANSACTION`). The other event types (ILLEGAL_DEV_TABLE_ENTRY,
/// IOTLB_INV_TIMEOUT, INVALID_DEVICE_REQUEST, …) are IOMMU errors, not device accesses.
enum AMDViMessages {
    static let eventLogged = utf8("Event logged ["), ioPageFault = utf8("IO_PAGE_FAULT")
    static let device = utf8("device"), domain = utf8("domain"), address = utf8("address"), flags = utf8("flags")
    static let flagWrite: UInt64 = 0x020, flagPresent: UInt64 = 0x010, flagInterrupt: UInt64 = 0x008

    /// The event names `iommu_print_event` has printed after `Event logged [`.
    static let eventNames: [[UInt8]] = [
        "IO_PAGE_FAULT", "ILLEGAL_DEV_TABLE_ENTRY", "DEV_TAB_HARDWARE_ERROR", "PAGE_TAB_HARDWARE_ERROR",
        "ILLEGAL_COMMAND_ERROR", "COMMAND_HARDWARE_ERROR", "IOTLB_INV_TIMEOUT", "INVALID_DEVICE_REQUEST",
        "INVALID_PPR_REQUEST", "RMP_PAGE_FAULT", "RMP_HW_ERROR", "UNKNOWN",
    ].map { Array($0.utf8) }

    /// Nil when the message is not an AMD-Vi event report.
    static func parse(_ record: TraceRecord, _ range: Range<Int>, devices: DeviceDirectory) -> LineResult? {
        let bytes = record.text
        if isEventSecondHalf(bytes, range) {
            return event(record, range.lowerBound..<range.upperBound, prefixRange: nil, devices: devices)
        }
        guard let logged = TextScanner.find(eventLogged, in: bytes, from: range.lowerBound, to: range.upperBound) else { return nil }
        let body = (logged + eventLogged.count)..<range.upperBound
        // `Event logged [` alone: its event is the next line (or lost among others).
        if bytes.trimmed(body).isEmpty { return .context }
        return event(record, body, prefixRange: range.lowerBound..<logged, devices: devices)
    }

    private static func event(_ record: TraceRecord, _ body: Range<Int>, prefixRange: Range<Int>?, devices: DeviceDirectory) -> LineResult {
        let bytes = record.text
        guard bytes.hasPrefix(ioPageFault, at: body.lowerBound) else { return .skipped(.faultWithoutAddress) }
        let values = KeyValueFields(bytes, body)
        var event = record.event(.fault, "amd_iommu_io_page_fault")
        if let name = values.text(device) {
            event.device = devices.canonical(name.trimmingSuffix("]").trimmingSuffix(","))
        } else if let prefixRange, let prefix = DevicePrefix.ending(bytes, at: prefixRange) {
            event.device = devices.canonical(bytes.text(prefix.device))
        }
        guard event.device != nil else { return .skipped(.malformed(event.naming, missing: "device")) }
        guard let faultAddress = values.hex(address) else { return .skipped(.malformed(event.naming, missing: "address")) }
        event.address = faultAddress
        // Every IO_PAGE_FAULT format since 2.6.3x ends in `flags=`: without them the line was cut.
        guard let flagBits = values.hex(flags) else { return .skipped(.malformed(event.naming, missing: "flags")) }
        event.isWrite = flagBits & flagWrite != 0
        event.faultKind = flagBits & flagPresent != 0 ? .permission : .notPresent
        if flagBits & flagInterrupt != 0 {
            event.note = "flags I (0x008): an interrupt request, not a memory access (IS_IOMMU_MEM_TRANSACTION)"
        }
        if let domainID = values.hex(domain) { event.reason = "domain \(String(format2: domainID))" }
        return .event(event)
    }

    /// `AMD-Vi: Event logged [` with nothing after it: the first of two printks.
    static func isEventLoggedAlone(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        let trimmed = bytes.trimmed(range)
        guard trimmed.count >= eventLogged.count else { return false }
        return bytes.hasPrefix(eventLogged, at: trimmed.upperBound - eventLogged.count)
    }

    /// `IO_PAGE_FAULT device=05:00.0 …]`: the second printk of a 4.9–4.13 report, or one
    /// whose first half was pasted on the line before.
    static func isEventSecondHalf(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        guard range.lowerBound < range.upperBound, bytes[range.lowerBound] >= UInt8(ascii: "A"), bytes[range.lowerBound] <= UInt8(ascii: "Z"),
              let name = eventNames.first(where: { bytes.hasPrefix($0, at: range.lowerBound) }) else { return false }
        let after = range.lowerBound + name.count
        return after < range.upperBound && bytes[after] == .space
            && TextScanner.find(utf8("device="), in: bytes, from: after, to: range.upperBound) != nil
    }

    /// An `Event logged [IO_PAGE_FAULT …` report whose closing `]` went to the next line.
    static func isCutShort(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        guard let logged = TextScanner.find(eventLogged, in: bytes, from: range.lowerBound, to: range.upperBound) else { return false }
        let body = bytes.trimmed((logged + eventLogged.count)..<range.upperBound)
        return !body.isEmpty && !bytes[body].contains(.closeBracket)
    }
}
