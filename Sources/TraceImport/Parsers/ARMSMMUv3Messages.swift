import DMASim

/// SMMUv3 event-queue reports (drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c), several
/// lines per event, printed for the SMMU:
///
///     arm-smmu-v3 arm-smmu-v3.5.auto: event 0x10 received:
///     arm-smmu-v3 arm-smmu-v3.5.auto:  0x0002060000000010          (the event's four words)
///     arm-smmu-v3 arm-smmu-v3.5.auto:  0x0000020000000000
///     arm-smmu-v3 arm-smmu-v3.5.auto:  0x00000000ff9bc000
///     arm-smmu-v3 arm-smmu-v3.5.auto:  0x0000000000000000
///     arm-smmu-v3 arm-smmu-v3.5.auto: event: F_TRANSLATION client: 0001:06:00.0 sid: 0x20600 ssid: 0x0 iova: 0xff9bc000 ipa: 0x0
///     arm-smmu-v3 arm-smmu-v3.5.auto: unpriv data write s1 "Input address caused fault" stag: 0x0
///
/// Older kernels print only the words; newer ones the decoded lines (and the words only
/// sometimes). Either is enough: word 0 holds the event ID (bits 7:0) and the stream ID
/// (63:32), word 1 RnW (bit 35: set for a read), word 2 the input address.
struct SMMUv3Report {
    static let driver = utf8("arm-smmu-v3")
    static let received = utf8("event 0x"), decoded = utf8("event: "), client = utf8("client:")
    static let sid = utf8("sid:"), iova = utf8("iova:"), quote = UInt8(ascii: "\"")

    /// The fault events that carry the faulting input address.
    static let faultNames: [UInt64: (name: String, kind: FaultKind)] = [
        0x10: ("F_TRANSLATION", .notPresent), 0x11: ("F_ADDR_SIZE", .notPresent),
        0x12: ("F_ACCESS", .notPresent), 0x13: ("F_PERMISSION", .permission),
    ]

    let smmu: String
    var event: ParsedEvent
    var eventID: UInt64?
    var words: [UInt64] = []
    var clientName: String?
    var streamID: UInt64?
    var lines: [String]

    /// Starts a report at `event 0x10 received:` or at a decoded `event: …` line; nil for
    /// any other line, or an event that is not a fault with an address.
    static func start(_ record: TraceRecord, _ prefix: DevicePrefix) -> SMMUv3Report? {
        let bytes = record.text
        var report = SMMUv3Report(smmu: bytes.text(prefix.device), event: record.event(.fault, "arm_smmu_v3_event"),
                                  lines: [record.provenance().raw])
        if bytes.hasPrefix(Self.received, at: prefix.rest) {
            var scanner = TextScanner(bytes, from: prefix.rest + received.count - 2)
            report.eventID = scanner.hex()
            // Events without an input address (a bad STE, a page request) are not faults here.
            return report.eventID.map { faultNames[$0] != nil } == true ? report : nil
        }
        return report.readDecoded(bytes, prefix.rest) && report.eventID != nil ? report : nil
    }

    /// One of the event's words: `0x0002060000000010`, or split in two halves by a mail
    /// client (`0x00000180 00000010`).
    static func word(_ bytes: [UInt8], at start: Int) -> UInt64? {
        var scanner = TextScanner(bytes, from: start)
        guard scanner.startsWith(.hexPrefix) else { return nil }
        let digitsStart = scanner.position + 2
        guard let high = scanner.hex() else { return nil }
        guard scanner.position - digitsStart == 8, scanner.skip(byte: .space) else { return high }
        let lowStart = scanner.position
        guard let low = scanner.hex(), scanner.position - lowStart == 8 else { return high }
        return high << 32 | low
    }

    /// Takes the next line of the same report; false when it is not one.
    mutating func continueWith(_ record: TraceRecord, _ prefix: DevicePrefix) -> Bool {
        let bytes = record.text
        guard bytes.text(prefix.device) == smmu else { return false }
        if let word = Self.word(bytes, at: prefix.rest), words.count < 4, clientName == nil, streamID == nil {
            words.append(word)
        } else if bytes.hasPrefix(Self.received, at: prefix.rest) || !(readDecoded(bytes, prefix.rest) || readAccessLine(bytes, prefix.rest)) {
            return false
        }
        lines.append(record.provenance().raw)
        event.provenance.lineCount = record.firstLine + record.lineCount - event.provenance.line
        return true
    }

    /// `event: F_TRANSLATION client: 0001:06:00.0 sid: 0x20600 ssid: 0x0 iova: 0xff9bc000 ipa: 0x0`
    private mutating func readDecoded(_ bytes: [UInt8], _ start: Int) -> Bool {
        guard bytes.hasPrefix(Self.decoded, at: start), event.address == nil else { return false }
        var scanner = TextScanner(bytes, from: start + Self.decoded.count)
        scanner.skipSpaces()
        let name = bytes.text(scanner.word())
        if eventID == nil { eventID = Self.faultNames.first { $0.value.name == name }?.key }
        event.reason = name
        if let at = scanner.find(Self.client) {
            var reader = TextScanner(bytes, from: at + Self.client.count)
            reader.skipSpaces()
            clientName = bytes.text(reader.word())
        }
        if let at = scanner.find(Self.sid) {
            var reader = TextScanner(bytes, from: at + Self.sid.count)
            reader.skipSpaces()
            streamID = reader.number()
        }
        if let at = scanner.find(Self.iova) {
            var reader = TextScanner(bytes, from: at + Self.iova.count)
            reader.skipSpaces()
            event.address = reader.number()
        }
        return true
    }

    /// `unpriv data write s1 "Input address caused fault" stag: 0x0`
    private mutating func readAccessLine(_ bytes: [UInt8], _ start: Int) -> Bool {
        var scanner = TextScanner(bytes, from: start)
        let privilege = bytes.text(scanner.word())
        guard privilege == "priv" || privilege == "unpriv" else { return false }
        scanner.skipSpaces(); _ = scanner.word(); scanner.skipSpaces()
        switch bytes.text(scanner.word()) {
        case "read": event.isWrite = false
        case "write": event.isWrite = true
        default: return false
        }
        if let open = bytes[scanner.position...].firstIndex(of: Self.quote),
           let close = bytes[(open + 1)...].firstIndex(of: Self.quote) {
            let text = bytes.text((open + 1)..<close)
            event.reason = event.reason.map { "\($0): \(text)" } ?? text
        }
        return true
    }

    /// The report as one event; nil when it is not a fault with an address (a bad STE, a
    /// page request), whose lines are then skipped.
    func finished(devices: DeviceDirectory) -> ParsedEvent? {
        guard let eventID, let fault = Self.faultNames[eventID] else { return nil }
        var result = event
        result.faultKind = fault.kind
        if result.reason == nil { result.reason = fault.name }
        if words.count >= 3 {
            if result.address == nil { result.address = words[2] }
            if result.isWrite == nil { result.isWrite = words[1] & (1 << 35) == 0 }
        }
        let stream = streamID ?? (words.first.map { $0 >> 32 })
        // `(null)` (5.x) and `(unassigned sid)` (6.12+, ARM_SMMU_LOG_CLIENT) name no device.
        if let clientName, !clientName.isEmpty, !clientName.hasPrefix("(") {
            result.device = devices.canonical(clientName)
        } else if let stream {
            result.device = "\(smmu)/sid\(String(format2: stream))"
        } else {
            result.device = smmu
        }
        guard result.address != nil else { return nil }
        result.provenance.raw = lines.joined(separator: "\n")
        return result
    }
}
