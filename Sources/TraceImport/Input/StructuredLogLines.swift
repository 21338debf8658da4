/// Turns the kernel log's structured forms into the dmesg lines they hold, so the same
/// prefix and message parsers read them: `journalctl -o json` (one object a line),
/// `-o json-pretty` (one field a line), `-o json-seq` (RS before each object),
/// `-o verbose` (a `[s=…;m=…]` header, then indented `KEY=value` fields) and util-linux
/// `dmesg --json` (`{"dmesg":[{"pri":3,"time":12.345678,"msg":"…"}]}`, pretty or
/// compact). Each record becomes `[ seconds.micros] MESSAGE`: the journal's
/// `_SOURCE_MONOTONIC_TIMESTAMP` (the kernel's own time of a kmsg record, µs since boot),
/// else `__MONOTONIC_TIMESTAMP` (when journald received it), else the verbose header's
/// `m=` (hex µs); dmesg's `time` (seconds since boot) as printed. A message of several
/// lines gives one line each, with the record's time. The line number is the record's
/// first line. A record without a message field becomes a line saying so, which the
/// importer lists as skipped: no record is dropped unseen.
///
/// JSON starts at a line whose first byte (after spaces) is `{`, or `[` alone or before a
/// `{` (a kernel log line never starts so: dmesg's `[` is followed by its time), and lasts
/// while braces or brackets are open; a line there that no JSON text starts with (a
/// damaged paste) ends it, gives the record it cut, and is read as it is.
final class StructuredLogLines: LineProvider {
    private let source: LineProvider
    private var pushedBack: (line: [UInt8], number: Int)?
    private var ready: [(line: [UInt8], number: Int)] = []
    private var readyIndex = 0
    private var json = JSONRecordScanner()
    private(set) var lineNumber = 0

    init(_ source: LineProvider) { self.source = source }

    var linesRead: Int { source.linesRead }
    var failure: String? { source.failure }

    func next() -> [UInt8]? {
        while true {
            if readyIndex < ready.count {
                defer { readyIndex += 1 }
                lineNumber = ready[readyIndex].number
                return ready[readyIndex].line
            }
            ready.removeAll(keepingCapacity: true)
            readyIndex = 0
            guard let (line, number) = nextSourceLine() else { return nil }
            if json.isOpen || JSONRecordScanner.opens(line) {
                if json.isOpen, !JSONRecordScanner.continues(line) {
                    if let cut = json.abandon() {
                        queue(cut)   // before this line, which is read next as it is
                        pushedBack = (line, number)
                        continue
                    }
                } else {
                    for record in json.scan(line, number: number) { queue(record) }
                    continue
                }
            }
            if VerboseJournalRecord.isHeader(line) {
                queue(readVerbose(header: line, number: number))
                continue
            }
            lineNumber = number
            return line
        }
    }

    private func nextSourceLine() -> ([UInt8], Int)? {
        if let held = pushedBack {
            pushedBack = nil
            return (held.line, held.number)
        }
        guard var line = source.next() else { return nil }
        if line.first == Self.recordSeparator { line.removeFirst() }   // json-seq (RFC 7464)
        return (line, source.lineNumber)
    }

    /// A verbose record's fields: the indented lines after its header.
    private func readVerbose(header: [UInt8], number: Int) -> LogRecordFields {
        var record = VerboseJournalRecord(header: header, number: number)
        while let (line, lineNumber) = nextSourceLine() {
            guard line.first?.isSpace == true else {
                pushedBack = (line, lineNumber)
                break
            }
            record.field(line)
        }
        return record.fields
    }

    private func queue(_ record: LogRecordFields) {
        for line in record.dmesgLines() { ready.append((line, record.firstLine)) }
    }

    static let recordSeparator: UInt8 = 0x1E
}

/// What a structured record says that a dmesg line carries.
struct LogRecordFields {
    var firstLine: Int
    var message: [UInt8]?
    /// Microseconds since boot, the kernel's own (`_SOURCE_MONOTONIC_TIMESTAMP`).
    var sourceMonotonic: UInt64?
    /// Microseconds since boot when journald received it, or the verbose header's `m=`.
    var monotonic: UInt64?
    /// dmesg --json's `time`, seconds as printed (`12.345678`).
    var seconds: [UInt8]?
    var fieldCount = 0

    init(firstLine: Int) { self.firstLine = firstLine }

    static let noMessage = utf8("(a structured log record with no MESSAGE or msg field)")

    /// `[ seconds.micros] line` for each line of the message.
    func dmesgLines() -> [[UInt8]] {
        guard let message else { return fieldCount > 0 ? [Self.noMessage] : [] }
        let prefix = timePrefix()
        return message.split(separator: .newline, omittingEmptySubsequences: false).map { prefix + $0 }
    }

    private func timePrefix() -> [UInt8] {
        if let micros = sourceMonotonic ?? monotonic {
            let fraction: String = String(micros % 1_000_000)
            let seconds: String = String(micros / 1_000_000)
            let padding = String(repeating: " ", count: max(0, 5 - seconds.count))
            let zeros = String(repeating: "0", count: 6 - fraction.count)
            let text: String = "[" + padding + seconds + "." + zeros + fraction + "] "
            return Array(text.utf8)
        }
        if let seconds, !seconds.isEmpty, seconds.allSatisfy({ $0.isDigit || $0 == .dot }) {
            return [.openBracket] + seconds + [.closeBracket, .space]
        }
        return []
    }
}

/// `journalctl -o verbose`: `Fri 2024-01-05 10:11:12.123456 CET [s=…;i=…;b=…;m=2a7c1e;t=…;x=…]`,
/// then the fields indented (`    MESSAGE=DMAR: …`).
struct VerboseJournalRecord {
    private(set) var fields: LogRecordFields

    static let cursorStart = utf8(" [s="), monotonicKey = utf8(";m=")
    static let message = utf8("MESSAGE="), sourceMonotonic = utf8("_SOURCE_MONOTONIC_TIMESTAMP=")

    static func isHeader(_ line: [UInt8]) -> Bool {
        guard line.last == .closeBracket, line.first?.isLetter == true else { return false }
        return line.contains(cursorStart) && line.contains(monotonicKey)
    }

    init(header: [UInt8], number: Int) {
        fields = LogRecordFields(firstLine: number)
        if let at = TextScanner.find(Self.monotonicKey, in: header) {
            var value: UInt64 = 0, index = at + Self.monotonicKey.count, digits = 0
            while index < header.count, let digit = header[index].hexDigitValue, digits < 16 {
                value = value << 4 | UInt64(digit)
                index += 1
                digits += 1
            }
            if digits > 0 { fields.monotonic = value }
        }
    }

    mutating func field(_ line: [UInt8]) {
        let start = line.firstIndex { !$0.isSpace } ?? line.count
        guard line[start...].contains(.equals) else { return }
        fields.fieldCount += 1
        if line.hasPrefix(Self.message, at: start) {
            fields.message = Array(line[(start + Self.message.count)...])
        } else if line.hasPrefix(Self.sourceMonotonic, at: start) {
            fields.sourceMonotonic = JSONRecordScanner.decimal(Array(line[(start + Self.sourceMonotonic.count)...]))
        }
    }
}
