import DMASim

/// dma-debug (kernel/dma/debug.c, lib/dma-debug.c before 4.19; pr_fmt `DMA-API: ` since
/// 4.20). `err_printk` WARNs with `DMA-API: driver device: message` (before 4.20:
/// `driver device: DMA-API: message`); each message names the call it fired in and, for
/// most, a dma-debug error class:
///
///     DMA-API: atlantic 0000:4b:00.0: device driver frees DMA memory with different size [device address=0x00000000fbdd0000] [map size=34816 bytes] [unmap size=32768 bytes]
///     cx23885 0000:0a:00.0: DMA-API: device driver tries to free DMA memory it has not allocated [device address=0x0000000000d27000] [size=504 bytes]
///     DMA-API: cacheline tracking EEXIST, overlapping mappings aren't supported
///
/// `debug_dma_dump_mappings` prints the live entries as
/// `driver device: single idx 3 P=… N=… D=… L=… [cln=…] DMA_TO_DEVICE dma map error …`.
/// A message the paste wrapped (the kernel's own example in
/// Documentation/core-api/dma-api.rst is one) is rejoined first (`CutMessageJoiner`,
/// told by `isCutShort`).
enum DMADebugMessages {
    static let prefix = utf8("DMA-API:")

    /// A message's call, class, the bracketed fields its format prints (all of them: a
    /// message missing one was cut), and the field that holds the op's size.
    struct Message {
        let text: String
        let call: ReportedCall
        let misuse: MisuseClass?
        var fields: [String] = []
        var sizeField: String?
    }

    /// Every `err_printk` message from 2.6.30 to 7.3 (the wording has barely changed;
    /// fields were added, never renamed).
    /// `DMA_MAPPING_ERROR`, `(dma_addr_t)-1`: what a failed map returns.
    static let mappingErrorAddress = UInt64.max

    static let messages: [Message] = [
        Message(text: "device driver tries to free DMA memory it has not allocated", call: .unmap, misuse: .unmapNotMapped,
                fields: ["device address", "size"], sizeField: "size"),
        Message(text: "device driver tries to free an invalid DMA memory address", call: .unmap, misuse: .unmapOfMappingError),
        Message(text: "device driver frees DMA memory with different size", call: .unmap, misuse: .unmapSizeMismatch,
                fields: ["device address", "map size", "unmap size"], sizeField: "unmap size"),
        Message(text: "device driver frees DMA memory with wrong function", call: .unmap, misuse: nil,
                fields: ["device address", "size", "mapped as", "unmapped as"], sizeField: "size"),
        Message(text: "device driver frees DMA memory with different CPU address", call: .unmap, misuse: nil,
                fields: ["device address", "size", "cpu alloc address", "cpu free address"], sizeField: "size"),
        Message(text: "device driver frees DMA sg list with different entry count", call: .unmap, misuse: nil,
                fields: ["map count", "unmap count"]),
        Message(text: "device driver frees DMA memory with different direction", call: .unmap, misuse: .unmapDirectionMismatch,
                fields: ["device address", "size", "mapped with", "unmapped with"], sizeField: "size"),
        Message(text: "device driver frees DMA memory with different attributes", call: .unmap, misuse: nil,
                fields: ["device address", "size", "mapped with", "unmapped with"], sizeField: "size"),
        Message(text: "device driver failed to check map error", call: .unmap, misuse: .mapErrorUnchecked,
                fields: ["device address", "size", "mapped as"], sizeField: "size"),
        Message(text: "device driver tries to sync DMA memory it has not allocated", call: .sync, misuse: .syncNotMapped,
                fields: ["device address", "size"], sizeField: "size"),
        Message(text: "device driver syncs DMA memory outside allocated range", call: .sync, misuse: .syncOutOfRange,
                fields: ["device address", "allocation size", "sync offset+size"], sizeField: "sync offset+size"),
        Message(text: "device driver syncs DMA memory with different direction", call: .sync, misuse: .syncDirectionMismatch,
                fields: ["device address", "size", "mapped with", "synced with"], sizeField: "size"),
        Message(text: "device driver syncs device read-only DMA memory for cpu", call: .syncForCPU, misuse: .syncReadOnlyForCPU,
                fields: ["device address", "size", "mapped with", "synced with"], sizeField: "size"),
        Message(text: "device driver syncs device write-only DMA memory to device", call: .syncForDevice, misuse: .syncWriteOnlyForDevice,
                fields: ["device address", "size", "mapped with", "synced with"], sizeField: "size"),
        Message(text: "device driver syncs DMA sg list with different entry count", call: .sync, misuse: nil,
                fields: ["map count", "sync count"]),
        Message(text: "cacheline tracking EEXIST, overlapping mappings aren't supported", call: .map, misuse: .overlappingCachelineMapping),
        Message(text: "device driver maps memory from stack", call: .map, misuse: nil, fields: []),
        Message(text: "device driver maps memory from kernel text or rodata", call: .map, misuse: nil, fields: ["addr", "len"], sizeField: "len"),
        Message(text: "device driver maps memory from vmalloc area", call: .map, misuse: nil, fields: ["addr", "len"], sizeField: "len"),
        Message(text: "device driver maps memory from invalid area", call: .map, misuse: nil, fields: ["addr", "len"], sizeField: "len"),
        Message(text: "device driver maps memory from", call: .map, misuse: nil),
        // 7.1+ debug_dma_map_phys(): DMA_ATTR_MMIO on a page pfn_valid() and not PageReserved().
        Message(text: "dma_map_resource called for RAM address", call: .map, misuse: .mmioMapOfRAM),
        Message(text: "mapping sg segment longer than device claims to support", call: .map, misuse: nil,
                fields: ["len", "max"], sizeField: "len"),
        Message(text: "mapping sg segment across boundary", call: .map, misuse: nil, fields: ["start", "end", "boundary"]),
        Message(text: "exceeded", call: .map, misuse: nil),
        Message(text: "cpu touching an active dma mapped cacheline", call: .map, misuse: nil, fields: ["cln"]),
        Message(text: "device driver has pending DMA allocations while released from device", call: .detach, misuse: .leakAtDetach,
                fields: ["count"]),
    ]

    /// What dma-debug says of itself (kernel/dma/debug.c `dma_debug_init`, `dma_entry_alloc`,
    /// `dma_debug_add_bus`, `filter_write`, …; lib/dma-debug.c's capitalised 2.6–4.x wording).
    static let statusMessages = ["preallocated", "debugging", "Debugging", "dma_debug_entry pool grown", "cacheline tracking ENOMEM",
                                 "enable driver filter", "switching off", "Mapped at:", "dma_debug_add_bus: out of memory",
                                 "can not create debugfs", "error creating debugfs", "Out of memory"]
    /// `pr_warn("%d debug entries requested but only %d allocated\n", …)`, which opens with its number.
    static let entriesRequested = "debug entries requested but only"
    static let mappedAt = "Mapped at:"
    static let leakDetails = utf8("One of leaked entries details:")
    static let dumpTypes = ["single", "scather-gather", "scatter-gather", "coherent", "noncoherent", "resource", "page", "phys"]

    /// Nil when the message is no dma-debug line.
    static func parse(_ record: TraceRecord, _ range: Range<Int>, devices: DeviceDirectory) -> LineResult? {
        let bytes = record.text
        guard let located = locate(bytes, range) else {
            if let named = DevicePrefix.parse(bytes, range), let entry = dumpEntry(record, named, devices: devices) { return entry }
            return nil
        }
        let body = located.body
        let text = bytes.text(body)
        if text.hasPrefix(mappedAt) { return .context }
        if statusMessages.contains(where: { text.hasPrefix($0) }) || text.contains(entriesRequested) { return .skipped(.debugStatus) }
        guard let message = messages.first(where: { text.hasPrefix($0.text) }) else { return .skipped(.unknownEvent) }
        var event = record.event(.debugReport(message.call), "dma_debug")
        event.misuse = message.misuse
        event.reason = text
        if let device = located.device, bytes.text(device) != "NULL" { event.device = devices.canonical(bytes.text(device)) }
        event.address = bracketed(bytes, body, "device address").flatMap { wholeNumber(bytes, $0) }
        // check_unmap() prints "invalid DMA memory address" for one handle only: DMA_MAPPING_ERROR.
        if message.misuse == .unmapOfMappingError { event.address = DMADebugMessages.mappingErrorAddress }
        event.sizeBytes = message.sizeField.flatMap { bracketed(bytes, body, $0) }.flatMap { sizeValue(bytes, $0) }
        // Every field the message's format prints: one missing after the cut-message joiner
        // gave up (the paste ended inside the report) leaves the report unreadable.
        if let missing = message.fields.first(where: { bracketed(bytes, body, $0) == nil }) {
            return .skipped(.malformed(event.naming, missing: missing))
        }
        // A field printed but unreadable (cut inside its number, or more digits than 64 bits
        // hold) is not read as absent: the report is not understood, and says which field.
        if event.address == nil, bracketed(bytes, body, "device address") != nil {
            return .skipped(.malformed(event.naming, missing: "device address"))
        }
        if event.sizeBytes == nil, let name = message.sizeField, bracketed(bytes, body, name) != nil {
            return .skipped(.malformed(event.naming, missing: name))
        }
        // The mapping's own size (`[map size=]`, `[allocation size=]`) sizes the stand-in
        // a replay maps (DMADebugHints): it must be readable and end below 2^64 too.
        for name in ["map size", "allocation size"] {
            guard let field = bracketed(bytes, body, name) else { continue }
            guard let size = sizeValue(bytes, field) else {
                return .skipped(.malformed(event.naming, missing: name))
            }
            if let address = event.address, ParsedEvent.wraps(address, size) { return .skipped(.wrapping(event.naming)) }
        }
        if message.misuse == .mmioMapOfRAM {
            // `%pa` of the phys the map was given: an MMIO map (`DMA_ATTR_MMIO`) of that RAM.
            let number = bytes.trimmed((body.lowerBound + message.text.utf8.count)..<body.upperBound)
            guard let phys = wholeNumber(bytes, number) else { return .skipped(.malformed(event.naming, missing: "RAM address")) }
            event.phys = phys
            event.attributes = .mmio
        }
        event.direction = (bracketed(bytes, body, "unmapped with") ?? bracketed(bytes, body, "synced with")
                           ?? bracketed(bytes, body, "mapped with")).flatMap { KernelSymbols.direction(bytes.text($0)) }
        return .event(event)
    }

    /// Where a dma-debug message's device and text are: after `DMA-API: driver device: `
    /// (4.20+) or `driver device: DMA-API: ` (before). Nil for any other message.
    static func locate(_ bytes: [UInt8], _ range: Range<Int>) -> (device: Range<Int>?, body: Range<Int>)? {
        if bytes.hasPrefix(prefix, at: range.lowerBound) {
            var body = bytes.trimmed((range.lowerBound + prefix.count)..<range.upperBound)
            var device: Range<Int>?
            if !bytes.hasPrefix(Array(mappedAt.utf8), at: body.lowerBound), let named = DevicePrefix.parse(bytes, body) {
                device = named.device
                body = named.rest..<body.upperBound
            }
            return (device, body)
        }
        if let named = DevicePrefix.parse(bytes, range), bytes.hasPrefix(prefix, at: named.rest) {
            return (named.device, bytes.trimmed((named.rest + prefix.count)..<range.upperBound))
        }
        return nil
    }

    /// A warning the paste wrapped: an open `[`, a message cut mid-phrase, or one of its
    /// format's fields missing.
    static func isCutShort(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        guard let (_, body) = locate(bytes, range), !body.isEmpty else { return false }
        let opens = bytes[body].count { $0 == .openBracket }, closes = bytes[body].count { $0 == .closeBracket }
        if opens > closes { return true }
        let text = bytes.text(body)
        guard let message = messages.first(where: { text.hasPrefix($0.text) }) else {
            return text.count >= 12 && messages.contains { $0.text.hasPrefix(text) }
        }
        return message.fields.contains { bracketed(bytes, body, $0) == nil }
    }

    /// The value of `[key=value]` or `[key value]` in a dma-debug message; a last field
    /// the paste cut before its `]` runs to the end.
    static func bracketed(_ bytes: [UInt8], _ range: Range<Int>, _ key: String) -> Range<Int>? {
        let needle = [.openBracket] + Array(key.utf8)
        guard let start = TextScanner.find(needle, in: bytes, from: range.lowerBound, to: range.upperBound) else { return nil }
        let valueEnd = start + needle.count
        guard valueEnd == range.upperBound || bytes[valueEnd] == .equals || bytes[valueEnd] == .space || bytes[valueEnd] == .closeBracket else { return nil }
        let close = bytes[start..<range.upperBound].firstIndex(of: .closeBracket) ?? range.upperBound
        var valueStart = valueEnd
        if valueStart < close, bytes[valueStart] == .equals || bytes[valueStart] == .space { valueStart += 1 }
        return bytes.trimmed(valueStart..<close)
    }

    /// A field's number when it is all the field holds (`0x0000000000001000`): two halves
    /// of a number a paste joined with a space (`0x00000000 00001000`) are no value.
    static func wholeNumber(_ bytes: [UInt8], _ field: Range<Int>) -> UInt64? {
        let number = bytes.numberPrefix(field)
        guard number == field else { return nil }
        return TextScanner.numberValue(bytes, number)
    }

    /// A size field's decimal count, alone or followed by ` bytes` (`[size=4096 bytes]`,
    /// `[len=1024]`); nil for anything else after the digits.
    static func sizeValue(_ bytes: [UInt8], _ field: Range<Int>) -> UInt64? {
        let digits = bytes.digitsPrefix(field)
        let rest = bytes.trimmed(digits.upperBound..<field.upperBound)
        guard rest.isEmpty || bytes.text(rest) == "bytes" else { return nil }
        return TextScanner.decimalValue(bytes, digits)
    }

    /// The second line of the pending-allocations report: the leaked entry's details.
    static func leakDetailsLine(_ event: inout ParsedEvent, _ record: TraceRecord, _ range: Range<Int>) -> Bool {
        let bytes = record.text
        guard let start = TextScanner.find(leakDetails, in: bytes, from: range.lowerBound, to: range.upperBound) else { return false }
        let body = start..<range.upperBound
        event.address = bracketed(bytes, body, "device address").flatMap { TextScanner.numberValue(bytes, bytes.numberPrefix($0)) }
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
