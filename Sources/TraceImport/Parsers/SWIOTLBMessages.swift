import DMASim

/// A streaming map or coherent allocation that failed for want of bounce buffer space
/// (kernel/dma/swiotlb.c, lib/swiotlb.c before 4.19) or of DMA address reach
/// (kernel/dma/direct.c). Each is journaled as a failed map for its device and size:
///
///     xhci_hcd 0000:0a:00.0: swiotlb buffer is full (sz: 8192 bytes)                                    swiotlb_tbl_map_single (3.x–5.6)
///     xhci_hcd 0000:0a:00.0: swiotlb buffer is full (sz: 8192 bytes), total 32768 (slots), used 16 (slots)   (5.7+)
///     DMA: Out of SW-IOMMU space for 4096 bytes at device 0000:00:05.0                                     swiotlb_full (2.6.x–4.x)
///     i915 0000:00:02.0: DMA: Out of SW-IOMMU space for 4096 bytes                                         swiotlb_full (4.x dev_err form)
///     swiotlb: coherent allocation failed for device 0000:07:00.0 size=2097152                             swiotlb_alloc_coherent (4.x)
///     xhci_hcd 0000:0a:00.0: DMAR: Device bounce map: 16ea@1411c0000 dir 1 --- failed                      intel-iommu bounce_map_single (5.3–5.10)
///     nvme 0000:01:00.0: swiotlb addr 0x…+4096 overflow (mask ffffffff, bus limit 0).                     swiotlb_map
///     nvme 0000:01:00.0: DMA addr 0x…+4096 overflow (mask ffffffff, bus limit 0).                         dma_direct_map_page (report_addr)
///
/// `swiotlb_alloc_coherent`'s and `bounce_map_single`'s lines follow the swiotlb-full line
/// of the same call; they complete it (`completesFullReport`) rather than add a failure.
enum SWIOTLBMessages {
    /// The namings of a report that the pool had no room (kernel/dma/swiotlb.c
    /// `swiotlb_tbl_map_single()`'s "swiotlb buffer is full", `swiotlb_full()` before 5.0,
    /// `swiotlb_alloc_coherent`, intel-iommu's `bounce_map_single` of 5.3-5.10): whether
    /// the pool had room depends on slots taken before the log began, which no log shows,
    /// so the simulation cannot check such a failure (`TraceSimulation.claims`).
    static let poolExhaustionNamings: Set<String> = ["swiotlb_tbl_map_single", "swiotlb_buffer_full", "swiotlb_full",
                                                     "bounce_map_single", "swiotlb_alloc_coherent"]

    static let bufferFull = utf8("swiotlb buffer is full (sz:"), outOfSpace = utf8("Out of SW-IOMMU space for ")
    static let coherentFailed = utf8("swiotlb: coherent allocation failed for device "), bounceMap = utf8("Device bounce map: ")
    static let swiotlbOverflow = utf8("swiotlb addr "), directOverflow = utf8("DMA addr "), overflow = utf8(" overflow (mask")
    static let noBuffer = utf8("Can not allocate SWIOTLB buffer earlier")
    static let atDevice = utf8("at device "), total = utf8("total "), used = utf8("used "), size = utf8("size")

    /// Every form holds one of these: one pass over the line before any closer look.
    static let anyMarker = NeedleSet(["swiotlb", "SW-IOMMU", "bounce map", " overflow (mask", "SWIOTLB"])

    /// Nil when the message is none of these.
    static func parse(_ record: TraceRecord, _ range: Range<Int>, devices: DeviceDirectory) -> LineResult? {
        let bytes = record.text
        guard anyMarker.first(in: bytes, range) != nil else { return nil }
        if let at = find(bufferFull, bytes, range) { return bufferFullEvent(record, range, at, devices: devices) }
        if let at = find(outOfSpace, bytes, range) { return outOfSpaceEvent(record, range, at, devices: devices) }
        if let at = find(coherentFailed, bytes, range) { return coherentFailedEvent(record, range, at, devices: devices) }
        if let at = find(bounceMap, bytes, range), find(utf8("failed"), bytes, at..<range.upperBound) != nil {
            return bounceMapEvent(record, range, at, devices: devices)
        }
        if let at = find(swiotlbOverflow, bytes, range) ?? find(directOverflow, bytes, range), find(overflow, bytes, at..<range.upperBound) != nil {
            return overflowEvent(record, range, at, devices: devices)
        }
        if let at = find(noBuffer, bytes, range) {
            var event = failedMap(record, "swiotlb_tbl_map_single", range.lowerBound..<at, devices: devices)
            event.note = "no swiotlb pool: the bounce buffer could not be allocated at boot"
            return .event(event)
        }
        return nil
    }

    /// `swiotlb buffer is full (sz: N bytes)[, total N (slots), used N (slots)]`.
    private static func bufferFullEvent(_ record: TraceRecord, _ range: Range<Int>, _ at: Int, devices: DeviceDirectory) -> LineResult {
        let bytes = record.text
        var event = failedMap(record, "swiotlb_buffer_full", range.lowerBound..<at, devices: devices)
        var scanner = TextScanner(bytes, from: at + bufferFull.count, to: range.upperBound)
        scanner.skipSpaces()
        guard let sizeBytes = scanner.decimal() else { return .skipped(.malformed(event.naming, missing: "sz")) }
        event.sizeBytes = sizeBytes
        let words = SpacedWords(bytes, scanner.position..<range.upperBound)
        if let slots = words.number(after: "total"), let inUse = words.number(after: "used") {
            event.note = "swiotlb_tbl_map_single found no \(sizeBytes) bytes of free slots (\(inUse) of \(slots) slots in use)"
        } else {
            event.note = "swiotlb_tbl_map_single found no \(sizeBytes) bytes of free slots"
        }
        return .event(event)
    }

    /// `DMA: Out of SW-IOMMU space for N bytes at device D` (or `driver dev: DMA: Out of …`).
    private static func outOfSpaceEvent(_ record: TraceRecord, _ range: Range<Int>, _ at: Int, devices: DeviceDirectory) -> LineResult {
        let bytes = record.text
        var event = failedMap(record, "swiotlb_full", range.lowerBound..<at, devices: devices)
        var scanner = TextScanner(bytes, from: at + outOfSpace.count, to: range.upperBound)
        guard let sizeBytes = scanner.decimal() else { return .skipped(.malformed(event.naming, missing: "size")) }
        event.sizeBytes = sizeBytes
        if let device = scanner.find(atDevice) {
            var name = TextScanner(bytes, from: device + atDevice.count, to: range.upperBound)
            let word = name.word()
            let text = bytes.text(word).trimmingSuffix(".")
            if !text.isEmpty, text != "?" { event.device = devices.canonical(text) }
        }
        event.note = "swiotlb_full: no bounce buffer space for \(sizeBytes) bytes"
        return .event(event)
    }

    /// `swiotlb: coherent allocation failed for device D size=N`.
    private static func coherentFailedEvent(_ record: TraceRecord, _ range: Range<Int>, _ at: Int, devices: DeviceDirectory) -> LineResult {
        let bytes = record.text
        var event = record.event(.mapFailed, "swiotlb_alloc_coherent")
        var scanner = TextScanner(bytes, from: at + coherentFailed.count, to: range.upperBound)
        let device = scanner.word()
        if !device.isEmpty { event.device = devices.canonical(bytes.text(device)) }
        event.sizeBytes = KeyValueFields(bytes, scanner.position..<range.upperBound).decimal(size)
        event.note = "swiotlb_alloc_coherent: a coherent allocation failed"
        return .event(event)
    }

    /// `DMAR: Device bounce map: SIZE@PHYS dir D --- failed` (sizes and addresses in hex).
    private static func bounceMapEvent(_ record: TraceRecord, _ range: Range<Int>, _ at: Int, devices: DeviceDirectory) -> LineResult {
        let bytes = record.text
        var event = failedMap(record, "bounce_map_single", range.lowerBound..<at, devices: devices)
        readBounceMap(&event, bytes, at..<range.upperBound)
        return .event(event)
    }

    private static func readBounceMap(_ event: inout ParsedEvent, _ bytes: [UInt8], _ range: Range<Int>) {
        var scanner = TextScanner(bytes, from: range.lowerBound + bounceMap.count, to: range.upperBound)
        let sizeBytes = scanner.hex()
        let phys = scanner.skip(byte: .at) ? scanner.hex() : nil
        let direction = SpacedWords(bytes, scanner.position..<range.upperBound).number(after: "dir")
        if event.sizeBytes == nil { event.sizeBytes = sizeBytes }
        event.phys = phys
        event.direction = direction.flatMap { $0 <= 3 ? KernelSymbols.direction(number: Int64($0)) : nil }
        if let sizeBytes {
            event.note = (event.note.map { $0 + "; " } ?? "") + "bounce_map_single failed to map \(sizeBytes) bytes"
                + (phys.map { " at phys 0x" + String($0, radix: 16) } ?? "")
        }
    }

    /// `swiotlb addr ADDR+SIZE overflow (mask M, bus limit L).` and dma-direct's `DMA addr …`.
    private static func overflowEvent(_ record: TraceRecord, _ range: Range<Int>, _ at: Int, devices: DeviceDirectory) -> LineResult {
        let bytes = record.text
        let isSWIOTLB = bytes.hasPrefix(swiotlbOverflow, at: at)
        var event = failedMap(record, isSWIOTLB ? "swiotlb_map" : "dma_direct_map", range.lowerBound..<at, devices: devices)
        var scanner = TextScanner(bytes, from: at + (isSWIOTLB ? swiotlbOverflow.count : directOverflow.count), to: range.upperBound)
        let address = scanner.hex()
        guard scanner.skip(byte: .plus), let sizeBytes = scanner.decimal() else { return .skipped(.malformed(event.naming, missing: "addr+size")) }
        // dma-direct's DMA address is the buffer's physical address (`phys_to_dma()` adds no
        // offset on a PCI device of an x86 or arm64 machine); swiotlb's is the slot's, not the buffer's.
        event.phys = isSWIOTLB ? nil : address
        event.sizeBytes = sizeBytes
        event.note = "the DMA address " + (address.map { "0x" + String($0, radix: 16) } ?? "?") + " is beyond the device's DMA mask"
        return .event(event)
    }

    /// A failed map on the device of the `driver device:` prefix before the message.
    private static func failedMap(_ record: TraceRecord, _ naming: String, _ before: Range<Int>, devices: DeviceDirectory) -> ParsedEvent {
        var event = record.event(.mapFailed, naming)
        if let prefix = DevicePrefix.ending(record.text, at: before) {
            let name = record.text.text(prefix.device)
            if name != "NULL", name != "(NULL device *)" { event.device = devices.canonical(name) }
        }
        return event
    }

    /// Adds a line that completes the swiotlb-full report before it (the same device's
    /// `coherent allocation failed` or `Device bounce map … failed`); false for any other.
    static func completesFullReport(_ event: inout ParsedEvent, _ record: TraceRecord, devices: DeviceDirectory) -> Bool {
        let bytes = record.text
        let range = record.message
        if let at = find(coherentFailed, bytes, range) {
            var scanner = TextScanner(bytes, from: at + coherentFailed.count, to: range.upperBound)
            let device = devices.canonical(bytes.text(scanner.word()))
            guard device == event.device else { return false }
            event.note = (event.note ?? "") + "; swiotlb_alloc_coherent failed"
            return true
        }
        if let at = find(bounceMap, bytes, range), let prefix = DevicePrefix.ending(bytes, at: range.lowerBound..<at),
           devices.canonical(bytes.text(prefix.device)) == event.device {
            readBounceMap(&event, bytes, at..<range.upperBound)
            return true
        }
        return false
    }

    /// A swiotlb-full line the paste cut inside its parenthesis.
    static func isCutShort(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        guard let at = find(bufferFull, bytes, range) else { return false }
        let opens = bytes[at..<range.upperBound].count { $0 == .openParen }, closes = bytes[at..<range.upperBound].count { $0 == .closeParen }
        let trimmed = bytes.trimmed(range)
        return opens > closes || bytes[trimmed.upperBound - 1] == .comma
    }

    private static func find(_ needle: [UInt8], _ bytes: [UInt8], _ range: Range<Int>) -> Int? {
        TextScanner.find(needle, in: bytes, from: range.lowerBound, to: range.upperBound)
    }
}
