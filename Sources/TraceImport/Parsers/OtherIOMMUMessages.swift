import DMASim

/// Device faults of the other IOMMU drivers in 7.3's drivers/iommu, each one line:
///
///     virtio_iommu virtio0: page fault from EP 24 at 0xffff000 [W]             viommu_fault_handler ("%s fault from EP %u at %#llx [%s%s%s]")
///     rk_iommu ff940300.iommu: Page fault at 0x7f4bda00 of type read             rk_iommu_irq
///     mtk-iommu 10205000.iommu: fault type=0x5 iova=0xfc000000 pa=0x0 master=0x3(larb=0 port=2) layer=0 write   mtk_iommu_isr
///     ipmmu-vmsa e67b0000.mmu: Unhandled fault: status 0x00000101 iova 0x1000   ipmmu_domain_irq
///     apple-dart 382f80000.iommu: translation fault: status:0x1 stream:2 code:0x8 (WRITE FAULT) at 0x1000   apple_dart_t8020_irq
///
/// virtio-iommu's endpoint is a PCI requester ID, so its fault is the device's (`00:03.0`).
/// The others name the IOMMU rather than the device, so the fault is journaled on the
/// IOMMU, with the stream when the line gives one (`382f80000.iommu/stream2`). Rockchip's two lines after its fault
/// (`iova = … dte_index …`, `mmu_dte_addr: …`) belong to it.
enum OtherIOMMUMessages {
    enum Driver: Int { case virtio, rockchip, mediatek, ipmmu, appleDART }
    static let markers = NeedleSet([" fault from EP ", "Page fault at ", "fault type=", "Unhandled fault: status", "translation fault: status:"])
    /// What each marker's line must also hold to be that driver's fault.
    static let requiredField: [[UInt8]] = [" EP ", "of type", "iova=", "iova", " at "].map { Array($0.utf8) }
    static let rockchipContext: [[UInt8]] = ["iova = ", "mmu_dte_addr:"].map { Array($0.utf8) }
    static let rockchipDriver = utf8("rk_iommu")

    /// Nil when the message is none of these (a marker without the field that makes it
    /// one of them: another subsystem's `fault type=` has no `iova=`).
    static func parse(_ record: TraceRecord, _ range: Range<Int>, devices: DeviceDirectory) -> LineResult? {
        let bytes = record.text
        if let prefix = DevicePrefix.parse(bytes, range), bytes.hasPrefix(rockchipDriver, at: prefix.driver.lowerBound),
           rockchipContext.contains(where: { bytes.hasPrefix($0, at: prefix.rest) }) {
            return .context
        }
        guard let (index, at) = markers.first(in: bytes, range), let driver = Driver(rawValue: index) else { return nil }
        let named = DevicePrefix.parse(bytes, range) ?? DevicePrefix.ending(bytes, at: range.lowerBound..<at)
        let iommu = named.map { bytes.text($0.device) }
        let body = at..<range.upperBound
        guard TextScanner.find(requiredField[driver.rawValue], in: bytes, from: at, to: range.upperBound) != nil else { return nil }
        switch driver {
        case .virtio: return virtioFault(record, body, iommu: iommu, reasonStart: range.lowerBound..<at, devices: devices)
        case .rockchip: return rockchipFault(record, body, iommu: iommu)
        case .mediatek: return mediatekFault(record, body, iommu: iommu)
        case .ipmmu: return ipmmuFault(record, body, iommu: iommu)
        case .appleDART: return appleDARTFault(record, body, iommu: iommu)
        }
    }

    /// `page fault from EP 8 at 0xfffff000 [RW]`: reason `page` (no mapping) or `domain`
    /// (no domain), the endpoint, the address, and the R/W/X flags it saw.
    private static func virtioFault(_ record: TraceRecord, _ body: Range<Int>, iommu: String?, reasonStart: Range<Int>,
                                    devices: DeviceDirectory) -> LineResult {
        let bytes = record.text
        var event = record.event(.fault, "viommu_fault")
        let words = SpacedWords(bytes, body)
        let reason = bytes.text(bytes.trimmed(reasonStart)).split(separator: " ").last.map(String.init) ?? "unknown"
        guard let endpoint = words.number(after: "EP") else { return .skipped(.malformed(event.naming, missing: "EP")) }
        guard let address = words.number(after: "at") else { return .skipped(.faultWithoutAddress) }
        // A PCI endpoint's ID is its requester ID (bus << 8 | devfn), as in QEMU's own
        // virtio-iommu events: named BB:DD.F, and the full name when it was seen.
        event.device = endpoint <= 0xffff ? devices.canonical(DeviceDirectory.shortName(requesterID: endpoint))
            : "\(iommu ?? "virtio-iommu")/ep\(endpoint)"
        event.note = "endpoint \(endpoint) of \(iommu ?? "the virtio-iommu")"
        event.address = address
        if let open = bytes[body].lastIndex(of: .openBracket) {
            let flags = bytes.text((open + 1)..<(bytes[open..<body.upperBound].firstIndex(of: .closeBracket) ?? body.upperBound))
            if flags.contains("W") { event.isWrite = true } else if flags.contains("R") || flags.contains("X") { event.isWrite = false }
        }
        event.faultKind = reason == "unknown" ? nil : .notPresent
        event.reason = "\(reason) fault"
        return .event(event)
    }

    /// `Page fault at 0x7f4bda00 of type read`.
    private static func rockchipFault(_ record: TraceRecord, _ body: Range<Int>, iommu: String?) -> LineResult {
        let bytes = record.text
        var event = record.event(.fault, "rk_iommu_page_fault")
        let words = SpacedWords(bytes, body)
        guard let address = words.number(after: "at") else { return .skipped(.malformed(event.naming, missing: "address")) }
        event.device = iommu ?? "rk_iommu"
        event.address = address
        event.isWrite = words.word(after: "type").map { $0 == "write" }
        return .event(event)
    }

    /// `fault type=0x5 iova=0x… pa=0x… master=0x…(larb=0 port=2) layer=0 write` (older
    /// forms stop after `port=`, without the access).
    private static func mediatekFault(_ record: TraceRecord, _ body: Range<Int>, iommu: String?) -> LineResult {
        let bytes = record.text
        var event = record.event(.fault, "mtk_iommu_fault")
        let values = KeyValueFields(bytes, body)
        guard let address = values.hex(utf8("iova")) else { return .skipped(.malformed(event.naming, missing: "iova")) }
        event.device = iommu ?? "mtk-iommu"
        event.address = address
        let last = bytes.text(bytes.trimmed(body)).split(separator: " ").last
        if last == "write" { event.isWrite = true } else if last == "read" { event.isWrite = false }
        event.reason = values.text(utf8("type")).map { "fault type \($0)" }
        return .event(event)
    }

    /// `Unhandled fault: status 0x00000101 iova 0x1000` (no access direction printed).
    private static func ipmmuFault(_ record: TraceRecord, _ body: Range<Int>, iommu: String?) -> LineResult {
        let bytes = record.text
        var event = record.event(.fault, "ipmmu_fault")
        let words = SpacedWords(bytes, body)
        guard let address = words.number(after: "iova") else { return .skipped(.malformed(event.naming, missing: "iova")) }
        event.device = iommu ?? "ipmmu"
        event.address = address
        event.reason = words.word(after: "status").map { "status \($0)" }
        return .event(event)
    }

    /// `translation fault: status:0x1 stream:2 code:0x8 (WRITE FAULT) at 0x1000`.
    private static func appleDARTFault(_ record: TraceRecord, _ body: Range<Int>, iommu: String?) -> LineResult {
        let bytes = record.text
        var event = record.event(.fault, "apple_dart_fault")
        let words = SpacedWords(bytes, body)
        guard let address = words.number(after: "at") else { return .skipped(.malformed(event.naming, missing: "address")) }
        let text = bytes.text(body)
        let stream = text.split(separator: " ").first { $0.hasPrefix("stream:") }.map { $0.dropFirst("stream:".count) }
        event.device = (iommu ?? "apple-dart") + (stream.map { "/stream\($0)" } ?? "")
        event.address = address
        if text.contains("(WRITE FAULT)") { event.isWrite = true } else if text.contains("(READ FAULT)") { event.isWrite = false }
        if text.contains("NO PTE") || text.contains("NO PMD") || text.contains("NO TTBR") { event.faultKind = .notPresent }
        return .event(event)
    }
}
