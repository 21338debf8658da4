import DMASim

/// Intel VT-d fault reports (drivers/iommu/intel/dmar.c `dmar_fault_do_one`), pr_fmt
/// `DMAR: `. The report changed over the years; the naming kept says which one a line is:
///
///     DMAR:[DMA Write] Request device [00:02.0] fault addr 6df084000      dmar_fault_legacy (≤ 4.x;
///     DMAR:[fault reason 05] PTE Write access is not set                   reason on its own line)
///     DMAR: [DMA Read] Request device [00:16.7] PASID ffffffff fault addr 9cdff000 [fault reason 02] …   dmar_fault (5.x, reason in decimal)
///     DMAR: [DMA Read NO_PASID] Request device [0b:00.0] fault addr 0x1187a9000 [fault reason 0x06] …    dmar_fault_no_pasid (5.15+)
///     DMAR: [DMA Write PASID 0x2] Request device [00:02.0] fault addr 0x… [fault reason 0x…] …          dmar_fault_pasid
///
/// The device is printed as `BB:DD.F` without its PCI segment. Reasons 5 and 6 ("PTE
/// Write/Read access is not set") are also what a cleared PTE gives, so they do not say
/// whether the page was mapped: the importer decides from what the trace mapped.
enum IntelDMARMessages {
    static let prefix = utf8("DMAR:"), oldPrefix = utf8("dmar:")
    static let dmaRead = utf8("[DMA Read"), dmaWrite = utf8("[DMA Write"), intrRemap = utf8("[INTR-REMAP]")
    static let requestDevice = utf8("Request device ["), faultAddr = utf8("fault addr "), faultReason = utf8("[fault reason ")
    static let noPASID = utf8("NO_PASID"), pasid = utf8("PASID "), drhd = utf8("DRHD:")

    /// Nil when the message is not a DMAR message at all.
    static func parse(_ record: TraceRecord, _ range: Range<Int>, devices: DeviceDirectory) -> LineResult? {
        let bytes = record.text
        var scanner = TextScanner(bytes, from: range.lowerBound, to: range.upperBound)
        if scanner.skip(oldPrefix) {
            // 3.x: `dmar: DRHD: handling fault status reg 2`, `dmar: DMAR:[DMA Read] …`
            scanner.skipSpaces()
            if scanner.startsWith(drhd) { return .context }
        }
        guard scanner.skip(prefix) else { return nil }
        scanner.skipSpaces()
        if scanner.startsWith(drhd) { return .context }
        if scanner.startsWith(faultReason) { return .context }
        if scanner.startsWith(intrRemap) { return .skipped(.interruptRemapping) }
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
        event.device = devices.canonical(bytes.text((deviceStart + requestDevice.count)..<deviceEnd))
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
    static func reasonLine(_ event: inout ParsedEvent, _ record: TraceRecord, _ range: Range<Int>) -> Bool {
        var scanner = TextScanner(record.text, from: range.lowerBound, to: range.upperBound)
        if scanner.skip(oldPrefix) { scanner.skipSpaces() }
        guard scanner.skip(prefix) else { return false }
        scanner.skipSpaces()
        guard scanner.startsWith(faultReason) else { return false }
        return reason(&event, record.text, scanner.position..<range.upperBound)
    }
}
