import DMASim

/// dma-debug (kernel/dma/debug.c, pr_fmt `DMA-API: `). `err_printk` WARNs with
/// `DMA-API: driver device: message` (older kernels: `driver device: DMA-API: message`);
/// each message names the call it fired in and, for most, a dma-debug error class:
///
///     DMA-API: atlantic 0000:4b:00.0: device driver frees DMA memory with different size [device address=0x00000000fbdd0000] [map size=34816 bytes] [unmap size=32768 bytes]
///     DMA-API: cacheline tracking EEXIST, overlapping mappings aren't supported
///
/// `debug_dma_dump_mappings` prints the live entries as
/// `driver device: single idx 3 P=… N=… D=… L=… [cln=…] DMA_TO_DEVICE dma map error …`.
enum DMADebugMessages {
    static let prefix = utf8("DMA-API:")

    /// A message's call, class and the bracketed field that holds the op's size.
    struct Message {
        let text: String
        let call: ReportedCall
        let misuse: MisuseClass?
        var sizeField = "size"
    }

    static let messages: [Message] = [
        Message(text: "device driver tries to free DMA memory it has not allocated", call: .unmap, misuse: .unmapNotMapped),
        Message(text: "device driver tries to free an invalid DMA memory address", call: .unmap, misuse: .unmapOfMappingError),
        Message(text: "device driver frees DMA memory with different size", call: .unmap, misuse: .unmapSizeMismatch, sizeField: "unmap size"),
        Message(text: "device driver frees DMA memory with wrong function", call: .unmap, misuse: nil),
        Message(text: "device driver frees DMA memory with different CPU address", call: .unmap, misuse: nil),
        Message(text: "device driver frees DMA sg list with different entry count", call: .unmap, misuse: nil),
        Message(text: "device driver frees DMA memory with different direction", call: .unmap, misuse: .unmapDirectionMismatch),
        Message(text: "device driver failed to check map error", call: .unmap, misuse: .mapErrorUnchecked),
        Message(text: "device driver tries to sync DMA memory it has not allocated", call: .sync, misuse: .syncNotMapped),
        Message(text: "device driver syncs DMA memory outside allocated range", call: .sync, misuse: .syncOutOfRange,
                sizeField: "sync offset+size"),
        Message(text: "device driver syncs DMA memory with different direction", call: .sync, misuse: .syncDirectionMismatch),
        Message(text: "device driver syncs device read-only DMA memory for cpu", call: .syncForCPU, misuse: .syncReadOnlyForCPU),
        Message(text: "device driver syncs device write-only DMA memory to device", call: .syncForDevice, misuse: .syncWriteOnlyForDevice),
        Message(text: "device driver syncs DMA sg list with different entry count", call: .sync, misuse: nil),
        Message(text: "cacheline tracking EEXIST, overlapping mappings aren't supported", call: .map, misuse: .overlappingCachelineMapping),
        Message(text: "device driver maps memory from", call: .map, misuse: nil),
        Message(text: "mapping sg segment", call: .map, misuse: nil),
        Message(text: "exceeded", call: .map, misuse: nil),
        Message(text: "device driver has pending DMA allocations while released from device", call: .detach, misuse: .leakAtDetach),
    ]

    static let statusMessages = ["preallocated", "debugging", "dma_debug_entry pool grown", "cacheline tracking ENOMEM",
                                 "enable driver filter", "switching off"]
    static let mappedAt = "Mapped at:"
    static let leakDetails = utf8("One of leaked entries details:")
    static let dumpTypes = ["single", "scather-gather", "scatter-gather", "coherent", "resource", "page"]

    /// Nil when the message is no dma-debug line.
    static func parse(_ record: TraceRecord, _ range: Range<Int>, devices: DeviceDirectory) -> LineResult? {
        let bytes = record.text
        var body = range
        var device: String?
        if bytes.hasPrefix(prefix, at: range.lowerBound) {
            body = bytes.trimmed((range.lowerBound + prefix.count)..<range.upperBound)
            if bytes.hasPrefix(Array(mappedAt.utf8), at: body.lowerBound) { return .context }
            if let named = DevicePrefix.parse(bytes, body) {
                device = bytes.text(named.device)
                body = named.rest..<body.upperBound
            }
        } else if let named = DevicePrefix.parse(bytes, range), bytes.hasPrefix(prefix, at: named.rest) {
            device = bytes.text(named.device)
            body = bytes.trimmed((named.rest + prefix.count)..<range.upperBound)
        } else if let named = DevicePrefix.parse(bytes, range), let entry = dumpEntry(record, named, devices: devices) {
            return entry
        } else {
            return nil
        }
        let text = bytes.text(body)
        if text.hasPrefix(mappedAt) { return .context }
        if statusMessages.contains(where: { text.hasPrefix($0) }) { return .skipped(.debugStatus) }
        guard let message = messages.first(where: { text.hasPrefix($0.text) }) else { return .skipped(.unknownEvent) }
        var event = record.event(.debugReport(message.call), "dma_debug")
        event.misuse = message.misuse
        event.reason = text
        if let device, device != "NULL" { event.device = devices.canonical(device) }
        event.address = bracketed(bytes, body, "device address").flatMap { TextScanner.numberValue(bytes, $0) }
        event.sizeBytes = bracketed(bytes, body, message.sizeField).flatMap { TextScanner.decimalValue(bytes, bytes.digitsPrefix($0)) }
        event.direction = (bracketed(bytes, body, "unmapped with") ?? bracketed(bytes, body, "synced with")
                           ?? bracketed(bytes, body, "mapped with")).flatMap { KernelSymbols.direction(bytes.text($0)) }
        return .event(event)
    }

    /// The value of `[key=value]` or `[key value]` in a dma-debug message.
    static func bracketed(_ bytes: [UInt8], _ range: Range<Int>, _ key: String) -> Range<Int>? {
        let needle = [.openBracket] + Array(key.utf8)
        guard let start = TextScanner.find(needle, in: bytes, from: range.lowerBound, to: range.upperBound),
              let close = bytes[start..<range.upperBound].firstIndex(of: .closeBracket) else { return nil }
        var valueStart = start + needle.count
        if valueStart < close, bytes[valueStart] == .equals || bytes[valueStart] == .space { valueStart += 1 }
        return bytes.trimmed(valueStart..<close)
    }

    /// The second line of the pending-allocations report: the leaked entry's details.
    static func leakDetailsLine(_ event: inout ParsedEvent, _ record: TraceRecord, _ range: Range<Int>) -> Bool {
        let bytes = record.text
        guard let start = TextScanner.find(leakDetails, in: bytes, from: range.lowerBound, to: range.upperBound) else { return false }
        let body = start..<range.upperBound
        event.address = bracketed(bytes, body, "device address").flatMap { TextScanner.numberValue(bytes, $0) }
        event.sizeBytes = bracketed(bytes, body, "size").flatMap { TextScanner.decimalValue(bytes, bytes.digitsPrefix($0)) }
        event.direction = bracketed(bytes, body, "mapped with").flatMap { KernelSymbols.direction(bytes.text($0)) }
        event.reason = (event.reason ?? "") + " " + bytes.text(body)
        return true
    }

    /// `single idx 3 P=1a2b000 N=1a2b D=fffff000 L=1000 [cln=…] DMA_TO_DEVICE dma map error checked`
    private static func dumpEntry(_ record: TraceRecord, _ prefix: DevicePrefix, devices: DeviceDirectory) -> LineResult? {
        let bytes = record.text
        var scanner = TextScanner(bytes, from: prefix.rest)
        let type = bytes.text(scanner.word())
        scanner.skipSpaces()
        guard dumpTypes.contains(type), bytes.text(scanner.word()) == "idx" else { return nil }
        let values = KeyValueFields(bytes, scanner.position..<bytes.count)
        var event = record.event(.map, "debug_dma_dump_mappings")
        event.device = devices.canonical(bytes.text(prefix.device))
        event.phys = values.hex(utf8("P"))
        event.address = values.hex(utf8("D"))
        event.sizeBytes = values.hex(utf8("L"))
        guard event.address != nil, event.sizeBytes != nil else { return .skipped(.malformed(event.naming, missing: "D= or L=")) }
        var words = TextScanner(bytes, from: scanner.position)
        while !words.isAtEnd {
            words.skipSpaces()
            if let direction = KernelSymbols.direction(bytes.text(words.word())) { event.direction = direction; break }
        }
        event.note = "a dma-debug dump of a live mapping: the map call itself is not in the trace"
        return .event(event)
    }
}
