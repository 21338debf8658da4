/// An ftrace event after its line prefix: `name: fields`. perf script spells the name
/// `system:name` (`iommu:map:`); both the `dma` and `iommu` systems are read, and the
/// flush-queue timer's `timer:timer_expire_entry`; any other event is skipped.
enum FtraceEvents {
    /// The event name at `start` and where its fields begin, when the text is `name: …`.
    static func eventName(_ bytes: [UInt8], at start: Int) -> (name: String, system: String?, fields: Int)? {
        var index = start
        while index < bytes.count, bytes[index].isLetter || bytes[index].isDigit || bytes[index] == .underscore || bytes[index] == .colon {
            if bytes[index] == .colon, index + 1 == bytes.count || bytes[index + 1].isSpace { break }
            index += 1
        }
        guard index > start, index < bytes.count, bytes[index] == .colon else { return nil }
        // `system:name` (perf) or `name`: the name is after the last colon.
        guard let colon = bytes[start..<index].lastIndex(of: .colon) else { return (bytes.text(start..<index), nil, index + 1) }
        let systemStart = bytes[start..<colon].lastIndex(of: .colon).map { $0 + 1 } ?? start
        guard colon + 1 < index, systemStart < colon else { return nil }
        return (bytes.text((colon + 1)..<index), bytes.text(systemStart..<colon), index + 1)
    }

    /// Whether a line without any prefix is a pasted ftrace event of a system this importer
    /// reads (`map: IOMMU: …`, `dma_map_page: …`).
    static func isBareEvent(_ bytes: [UInt8], at start: Int) -> Bool {
        guard let (name, _, fields) = eventName(bytes, at: start) else { return false }
        if DMATracepoints.names.contains(name) || IOVAProbeEvents.names.contains(name) { return true }
        guard IOMMUTracepoints.names.contains(name) else { return false }
        var scanner = TextScanner(bytes, from: fields)
        scanner.skipSpaces()
        return scanner.startsWith(IOMMUTracepoints.marker)
    }

    static func parse(_ record: TraceRecord, devices: DeviceDirectory) -> LineResult {
        guard let (name, system, fields) = eventName(record.text, at: record.message.lowerBound) else {
            return .skipped(.otherFtraceEvent)
        }
        let range = fields..<record.text.count
        if name == "tracing_mark_write" || name == "print" {
            // QEMU's ftrace trace backend writes its events into the kernel's trace buffer.
            var marked = record.prefix
            var scanner = TextScanner(record.text, from: fields)
            scanner.skipSpaces()
            marked.messageStart = scanner.position
            let inner = TraceRecord(text: record.text, prefix: marked, firstLine: record.firstLine, lineCount: record.lineCount)
            return QemuEvents.startsWithEventName(record.text, at: scanner.position)
                ? QemuEvents.parse(inner, devices: devices) : .skipped(.otherFtraceEvent)
        }
        if system != "iommu", DMATracepoints.names.contains(name) {
            return DMATracepoints.parse(name, fields: range, record, devices: devices)
        }
        if IOVAProbeEvents.names.contains(name) {
            return IOVAProbeEvents.parse(name, fields: range, record, devices: devices)
        }
        if system == nil || system == "iommu", IOMMUTracepoints.names.contains(name) {
            var scanner = TextScanner(record.text, from: fields)
            scanner.skipSpaces()
            // Another system's event of the same name (`map`) lacks the `IOMMU:` marker.
            guard scanner.startsWith(IOMMUTracepoints.marker) else { return .skipped(.otherFtraceEvent) }
            return IOMMUTracepoints.parse(name, fields: range, record, devices: devices)
        }
        if name == TimerEvents.expireEntry, system == nil || system == "timer" {
            return TimerEvents.parse(fields: range, record)
        }
        // Without a system name, `dma_fence_*` and the like belong to other subsystems.
        if system == "dma" || system == "iommu" { return .skipped(.unknownEvent) }
        return .skipped(.otherFtraceEvent)
    }
}
