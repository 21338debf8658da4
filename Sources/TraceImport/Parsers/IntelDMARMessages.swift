import DMASim

/// Intel VT-d fault reports (drivers/iommu/intel/dmar.c `dmar_fault_do_one`), pr_fmt
/// `DMAR: `. The report changed over the years; the naming kept says which one a line is:
///
///     DMAR:[DMA Write] Request device [00:02.0] fault addr 6df084000      dmar_fault_legacy (≤ 4.x;
///     DMAR:[fault reason 05] PTE Write access is not set                   reason on its own line)
///     DMAR: [DMA Read] Request device [00:16.7] PASID ffffffff fault addr 9cdff000 [fault reason 02] …   dmar_fault (5.x, reason in decimal)
///     DMAR: [DMA Read NO_PASID] Request device [0b:00.0] fault addr 0x1187a9000 [fault reason 0x06] …    dmar_fault_no_pasid (5.15+)
///     DMAR: [DMA Write PASID 0x2] Request device [00:02.0] fault addr 0x… [fault reason 0x…] …          dmar_fault_pasid
///     DMAR: [DMA Read NO_PASID] Request device [0x00:0x02.0] fault addr 0x… [fault reason 0x07] …       (5.14–5.16: `0x%02x:0x%02x.%d`)
///     DMAR: [DMA Read NO_PASID] Request device [0000:00:02.0] fault addr 0x… [fault reason 0x06] …      (6.x: with the PCI segment)
///
/// Before 6.x the device is printed as `BB:DD.F` without its PCI segment. Reasons 5 and 6
/// ("PTE Write/Read access is not set") are also what a cleared PTE gives, so they do not
/// say whether the page was mapped: the importer decides from what the trace mapped.
/// `dmar_fault_dump_ptes` (5.17+, CONFIG_DMAR_DEBUG) follows a fault with the table walk
/// (`Dump dmar0 table entries for IOVA …`, `root entry: …`, `pte level: 4, pte value: …`):
/// those lines belong to the fault. Interrupt-remapping faults (`[INTR-REMAP]`, and 3.x's
/// `INTR-REMAP: Request device [[f0:1f.0] fault index 0` / `INTR-REMAP:[fault reason 34]`)
/// are not DMA.
enum IntelDMARMessages {
    static let prefix = utf8("DMAR:"), oldPrefix = utf8("dmar:")
    static let dmaRead = utf8("[DMA Read"), dmaWrite = utf8("[DMA Write"), intrRemap = utf8("[INTR-REMAP]")
    static let requestDevice = utf8("Request device ["), faultAddr = utf8("fault addr "), faultReason = utf8("[fault reason ")
    static let noPASID = utf8("NO_PASID"), pasid = utf8("PASID "), drhd = utf8("DRHD:")
    static let oldIntrRemap = utf8("INTR-REMAP")

    /// What `dmar_fault_dump_ptes` and `pgtable_walk` print after a fault.
    static let tableDumpLines: [[UInt8]] = [
        "Dump ", "root table is not present", "scalable mode root entry:", "root entry:", "context table is not present",
        "context entry:", "legacy mode page table is not present", "pasid directory table is not present",
        "pasid dir entry:", "pasid table is not present", "pasid table entry[", "scalable mode page table is not present",
        "pte level:", "page table not present at level", "PTE not present at level",
    ].map { Array($0.utf8) }

    /// Nil when the message is not a DMAR message at all.
    static func parse(_ record: TraceRecord, _ range: Range<Int>, devices: DeviceDirectory) -> LineResult? {
        let bytes = record.text
        var scanner = TextScanner(bytes, from: range.lowerBound, to: range.upperBound)
        if scanner.skip(oldPrefix) {
            // 3.x: `dmar: DRHD: handling fault status reg 2`, `dmar: DMAR:[DMA Read] …`
            scanner.skipSpaces()
            if scanner.startsWith(drhd) { return .context }
        }
        if scanner.startsWith(oldIntrRemap) { return .skipped(.interruptRemapping) }
        guard scanner.skip(prefix) else { return nil }
        scanner.skipSpaces()
        if scanner.startsWith(drhd) { return .context }
        if scanner.startsWith(faultReason) { return .context }
        if scanner.startsWith(intrRemap) { return .skipped(.interruptRemapping) }
        if tableDumpLines.contains(where: { scanner.startsWith($0) }) { return .context }
        let isWrite: Bool
        if scanner.startsWith(dmaWrite) { isWrite = true } else if scanner.startsWith(dmaRead) { isWrite = false } else { return .skipped(.notDMA) }
        return fault(record, scanner.position..<range.upperBound, isWrite: isWrite, devices: devices)
    }

    private static func fault(_ record: TraceRecord, _ range: Range<Int>, isWrite: Bool, devices: DeviceDirectory) -> LineResult {
        let bytes = record.text
        let header = range.lowerBound..<(bytes[range].firstIndex(of: .closeBracket) ?? range.upperBound)
        var event = record.event(.fault, "dmar_fault")
        event.isWrite = isWrite
        if let marker = TextScanner.find(pasid, in: bytes, from: header.lowerBound, to: header.upperBound) {
            event.naming = "dmar_fault_pasid"
            var scanner = TextScanner(bytes, from: marker + pasid.count, to: header.upperBound)
            event.pasid = scanner.hex()
        } else if TextScanner.find(noPASID, in: bytes, from: header.lowerBound, to: header.upperBound) != nil {
            event.naming = "dmar_fault_no_pasid"
        }
        guard let deviceStart = TextScanner.find(requestDevice, in: bytes, from: range.lowerBound, to: range.upperBound),
              let deviceEnd = bytes[(deviceStart + requestDevice.count)..<range.upperBound].firstIndex(of: .closeBracket) else {
            return .skipped(.malformed(event.naming, missing: "device"))
        }
        event.device = devices.canonical(deviceName(bytes, (deviceStart + requestDevice.count)..<deviceEnd))
        var scanner = TextScanner(bytes, from: deviceEnd + 1, to: range.upperBound)
        scanner.skipSpaces()
        if event.naming == "dmar_fault", scanner.skip(pasid) {
            // 5.x: `PASID %x` between the device and the address; ffffffff means none.
            event.pasid = scanner.hex()
            scanner.skipSpaces()
        }
        guard let address = TextScanner.find(faultAddr, in: bytes, from: scanner.position, to: range.upperBound) else {
            return .skipped(.malformed(event.naming, missing: "fault addr"))
        }
        scanner.position = address + faultAddr.count
        scanner.skipSpaces()
        guard let value = scanner.hex() else { return .skipped(.malformed(event.naming, missing: "fault addr")) }
        event.address = value
        reason(&event, bytes, scanner.position..<range.upperBound)
        if event.naming == "dmar_fault" && event.pasid == nil { event.naming = "dmar_fault_legacy" }
        return .event(event)
    }

    /// The device as printed, without the `0x` 5.14–5.16 put before the bus and slot.
    static func deviceName(_ bytes: [UInt8], _ range: Range<Int>) -> String {
        let text = bytes.text(bytes.trimmed(range))
        return text.contains("0x") ? text.replacing("0x", with: "") : text
    }

    /// A fault report cut before its address (`… Request device [00:1e.3] fault addr`), or
    /// before the `]` closing a bracket.
    static func isCutShort(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        var scanner = TextScanner(bytes, from: range.lowerBound, to: range.upperBound)
        if scanner.skip(oldPrefix) { scanner.skipSpaces() }
        guard scanner.skip(prefix) else { return false }
        scanner.skipSpaces()
        guard scanner.startsWith(dmaRead) || scanner.startsWith(dmaWrite) else { return false }
        let opens = bytes[range].count { $0 == .openBracket }, closes = bytes[range].count { $0 == .closeBracket }
        if opens > closes { return true }
        guard let address = TextScanner.find(faultAddr, in: bytes, from: scanner.position, to: range.upperBound)
                ?? TextScanner.find(Array(faultAddr.dropLast()), in: bytes, from: scanner.position, to: range.upperBound) else { return true }
        var value = TextScanner(bytes, from: address + faultAddr.count - 1, to: range.upperBound)
        value.skipSpaces()
        return value.hex() == nil
    }

    /// `[fault reason 0x06] text` (hex), `[fault reason 06h] text`, `[fault reason 02] text`
    /// (`%02d`). False when the line carries no reason.
    @discardableResult
    static func reason(_ event: inout ParsedEvent, _ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        guard let start = TextScanner.find(faultReason, in: bytes, from: range.lowerBound, to: range.upperBound),
              let close = bytes[start..<range.upperBound].firstIndex(of: .closeBracket) else { return false }
        let digits = bytes.trimmed((start + faultReason.count)..<close)
        let code: UInt64?
        if bytes.hasPrefix(.hexPrefix, at: digits.lowerBound) {
            code = TextScanner.hexValue(bytes, (digits.lowerBound + 2)..<digits.upperBound)
        } else if digits.count > 1, bytes[digits.upperBound - 1] | 0x20 == UInt8(ascii: "h") {
            code = TextScanner.hexValue(bytes, digits.lowerBound..<(digits.upperBound - 1))
        } else {
            code = TextScanner.decimalValue(bytes, digits)
        }
        let text = bytes.text(bytes.trimmed((close + 1)..<range.upperBound))
        event.reason = code.map { "fault reason \(String(format2: $0)): \(text)" } ?? text
        event.faultKind = code.flatMap { faultKind(reasonCode: $0) }
        return true
    }

    /// Reasons that say the translation itself was missing: root, context or PASID entries
    /// not present or invalid, an address beyond the width. 5 and 6 are left undecided.
    static func faultKind(reasonCode code: UInt64) -> FaultKind? {
        code == 5 || code == 6 ? nil : .notPresent
    }

    /// A legacy report's reason on its own line: `DMAR:[fault reason 05] PTE Write access is not set`.
    /// A line the paste wrapped without a prefix (`    [fault reason 0x06] …`) is one too.
    static func reasonLine(_ event: inout ParsedEvent, _ record: TraceRecord, _ range: Range<Int>) -> Bool {
        var scanner = TextScanner(record.text, from: range.lowerBound, to: range.upperBound)
        if scanner.skip(oldPrefix) { scanner.skipSpaces() }
        guard scanner.skip(prefix) || !record.prefix.hasHeader else { return false }
        scanner.skipSpaces()
        guard scanner.startsWith(faultReason) else { return false }
        return reason(&event, record.text, scanner.position..<range.upperBound)
    }
}
