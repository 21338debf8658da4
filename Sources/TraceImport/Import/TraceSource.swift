/// One file's events, read lazily: lines → records (unquoted, wrapped lines joined) →
/// prefix (ftrace, dmesg, syslog, QEMU) → the parser for that format.
final class TraceSource {
    let path: String
    private(set) var tally = SourceTally()
    private let reader: LineProvider
    private var joiner = LineJoiner()
    private var cutMessages = CutMessageJoiner()
    private let kernelLog: KernelLogParser
    private let devices: DeviceDirectory
    private let facts: MachineFactsReader?
    private var ready: [ParsedEvent] = []
    private var readyIndex = 0
    private var finished = false
    /// Per CPU, the task of the latest ftrace line not imported (a `tracing_mark_write`,
    /// an event of another subsystem) since that CPU's last event: it ran there.
    private var skippedTaskOnCPU: [Int: Int] = [:]

    static let qemuProgram = utf8("qemu-")

    /// Opens `path`; nil when it cannot be read.
    convenience init?(path: String, devices: DeviceDirectory, facts: MachineFactsReader? = nil) {
        guard let reader = LineReader(path: path) else { return nil }
        self.init(path: path, lines: reader, devices: devices, facts: facts)
    }

    init(path: String, lines: LineProvider, devices: DeviceDirectory, facts: MachineFactsReader? = nil) {
        self.path = path
        self.reader = NonBreakingSpaceLines(QuotedPrintableLines(TerminalEscapeLines(StructuredLogLines(lines))))
        self.devices = devices
        self.facts = facts
        kernelLog = KernelLogParser(devices: devices)
    }

    /// Physical lines read so far.
    var linesRead: Int { reader.linesRead }

    /// The next event in file order; nil at the end of the file.
    func next() -> ParsedEvent? {
        while readyIndex == ready.count {
            ready.removeAll(keepingCapacity: true)
            readyIndex = 0
            guard !finished else { return nil }
            readRecord()
        }
        defer { readyIndex += 1 }
        return ready[readyIndex]
    }

    /// Reads lines until one record completes (or the file ends) and parses it.
    private func readRecord() {
        while let line = reader.next() {
            if let record = joiner.feed(line, number: reader.lineNumber) {
                handle(record)
                return
            }
        }
        if let record = joiner.flush() { handle(record) }
        flushCutMessage()
        release(kernelLog.finish())
        tally.lines = reader.linesRead
        tally.readFailure = reader.failure
        tally.joinedLines = joiner.joinedLines
        tally.quotedLines = joiner.quotedLines
        finished = true
    }

    private func handle(_ line: LogicalLine) {
        switch dispatch(line) {
        case nil:
            return
        case .parsed(let record, let result):
            flushCutMessage()
            account(record, result)
        case .kernelLog(let record):
            for whole in cutMessages.feed(record) { account(whole, kernelLog.parse(whole)) }
        }
    }

    /// A kernel message held for its continuation goes before a line of another format.
    private func flushCutMessage() {
        guard cutMessages.isHolding else { return }   // the common case, without a write
        if let held = cutMessages.flush() { account(held, kernelLog.parse(held)) }
    }

    private func account(_ record: TraceRecord, _ result: LineResult) {
        tally.countRecord(record, result.disposition)
        release(result.events)
    }

    private func release(_ events: [ParsedEvent]) {
        for var event in events {
            if event.rangeWraps {
                tally.reject(event, .wrapping(event.naming))
                continue
            }
            tally.countEvent(event)
            if case .oops(let oops) = event.kind { facts?.readOops(oops) }
            if let cpu = event.provenance.cpu, let pid = skippedTaskOnCPU.removeValue(forKey: cpu) {
                event.provenance.taskRanBefore = pid
            }
            ready.append(event)
        }
    }

    /// What a record is, by its prefix.
    private enum Dispatched {
        /// Parsed already (ftrace, QEMU, a message that is not the kernel's).
        case parsed(TraceRecord, LineResult)
        /// A kernel log message, parsed after `cutMessages` has rejoined it.
        case kernelLog(TraceRecord)
    }

    /// The parser for a record's format; nil for a comment.
    /// `/dev/kmsg` follows a record with its dictionary (Documentation/ABI/testing/dev-kmsg):
    /// lines of one space and `KEY=value` (`SUBSYSTEM=pci`, `DEVICE=+pci:0000:01:00.0`).
    /// They say nothing the record's own `driver device:` prefix does not, and are no
    /// line of a log to report as unread.
    static func isKmsgDictionaryLine(_ text: [UInt8], start: Int) -> Bool {
        guard start == 1, text[0] == .space, start < text.count, (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(text[start]) else { return false }
        var index = start + 1
        while index < text.count {
            let byte = text[index]
            if byte == .equals { return true }
            guard (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || byte == UInt8(ascii: "_") || byte.isDigit else { return false }
            index += 1
        }
        return false
    }

    private func dispatch(_ line: LogicalLine) -> Dispatched? {
        let text = line.text
        let start = text.firstIndex { !$0.isSpace } ?? text.count
        if Self.isKmsgDictionaryLine(text, start: start) { return nil }
        guard start < text.count, text[start] != .hash else {
            if start < text.count, let facts { facts.readHeader(Substring(text.text((start + 1)..<text.count))) }
            // A capture's `# oops: [ts] BUG: …` lines are the kernel log's oops report
            // (the lab's guest-init.sh copies it there): read as the log lines they are.
            if let logStart = Self.oopsHeaderMessage(text, from: start) {
                return .kernelLog(record(line, KernelLogPrefix.parse(text, from: logStart)))
            }
            return nil
        }
        if let prefix = QemuPrefix.parse(text, from: start) {
            let record = record(line, prefix)
            return .parsed(record, QemuEvents.parse(record, devices: devices))
        }
        if let prefix = FtracePrefix.parse(text, from: 0) {
            let record = record(line, prefix)
            let result = FtraceEvents.parse(record, devices: devices)
            if case .skipped = result.disposition, let cpu = prefix.cpu, let pid = prefix.pid { skippedTaskOnCPU[cpu] = pid }
            return .parsed(record, result)
        }
        var prefix = KernelLogPrefix.parse(text, from: start)
        let bare = prefix.timestampNanoseconds == nil && prefix.wallClock == nil
        if bare, FtraceEvents.isBareEvent(text, at: prefix.messageStart) {
            prefix.format = .ftrace
            let record = record(line, prefix)
            return .parsed(record, FtraceEvents.parse(record, devices: devices))
        }
        if bare, QemuEvents.startsWithEventName(text, at: prefix.messageStart) {
            prefix.format = .qemu
            let record = record(line, prefix)
            return .parsed(record, QemuEvents.parse(record, devices: devices))
        }
        if prefix.wallClock != nil, text.hasPrefix(Self.qemuProgram, at: prefix.messageStart) {
            return .parsed(record(line, prefix), .skipped(.qemuMessage))   // QEMU's own messages on its stderr, ISO-stamped
        }
        if let facts, prefix.messageStart < text.count { facts.readLog(Substring(text.text(prefix.messageStart..<text.count))) }
        return .kernelLog(record(line, prefix))
    }

    static let oopsHeader = utf8("# oops: ")

    /// Where the log line of a `# oops: ` header line starts.
    private static func oopsHeaderMessage(_ text: [UInt8], from start: Int) -> Int? {
        text.hasPrefix(oopsHeader, at: start) ? start + oopsHeader.count : nil
    }

    private func record(_ line: LogicalLine, _ prefix: LinePrefix) -> TraceRecord {
        TraceRecord(text: line.text, prefix: prefix, firstLine: line.firstLine, lineCount: line.lineCount)
    }
}
