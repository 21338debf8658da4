/// Reads the records of a JSON log line by line, without holding the document: each
/// object's scalar fields are gathered from `{` to its `}`, wherever the lines break
/// (journalctl `-o json` puts an object on a line, `-o json-pretty` and `dmesg --json` a
/// field on a line, an array of bytes over many). Only the fields a dmesg line carries
/// are kept: the journal's `MESSAGE`, `_SOURCE_MONOTONIC_TIMESTAMP` and
/// `__MONOTONIC_TIMESTAMP`; dmesg's `msg` and `time`. A `MESSAGE` that is not valid UTF-8
/// is an array of its bytes (systemd's `json_variant_new_array_bytes`); a field the
/// journal holds several times is an array of strings, of which the first is kept.
struct JSONRecordScanner {
    /// Open braces and brackets.
    private var depth = 0
    private var record: LogRecordFields?
    /// The field whose array value runs over lines, and what it held so far.
    private var arrayKey: [UInt8]?
    private var arrayBytes: [UInt8] = []
    private var arrayString: [UInt8]?

    static let message = utf8("MESSAGE"), msg = utf8("msg"), time = utf8("time")
    static let sourceMonotonic = utf8("_SOURCE_MONOTONIC_TIMESTAMP"), monotonic = utf8("__MONOTONIC_TIMESTAMP")

    var isOpen: Bool { depth > 0 }

    /// Whether `line` starts a JSON text: `{`, or `[` alone or before `{`.
    static func opens(_ line: [UInt8]) -> Bool {
        guard let start = line.firstIndex(where: { !$0.isSpace }) else { return false }
        if line[start] == .openBrace { return true }
        guard line[start] == .openBracket else { return false }
        let rest = line[(start + 1)...].firstIndex { !$0.isSpace }
        return rest == nil || line[rest!] == .openBrace
    }

    /// Whether `line` can be a line of a JSON text already open.
    static func continues(_ line: [UInt8]) -> Bool {
        guard let start = line.firstIndex(where: { !$0.isSpace }) else { return true }
        switch line[start] {
        case .openBracket:
            // Not dmesg's `[    5.149278] …`: an array opens alone or before a value.
            let next = line[(start + 1)...].firstIndex { !$0.isSpace }
            return next == nil || [.openBrace, .openBracket, .closeBracket, UInt8(ascii: "\"")].contains(line[next!])
        case .openBrace, .closeBrace, .closeBracket, UInt8(ascii: "\""), .comma, .dash,
             UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            return true
        default:
            return line[start].isDigit
        }
    }

    /// A damaged text: closes what was open; the record it cut, if any field of it was read.
    mutating func abandon() -> LogRecordFields? {
        defer {
            depth = 0
            record = nil
            arrayKey = nil
        }
        guard let cut = record, cut.fieldCount > 0 else { return nil }
        return cut
    }

    /// The records `line` completes.
    mutating func scan(_ line: [UInt8], number: Int) -> [LogRecordFields] {
        var done: [LogRecordFields] = []
        var index = 0
        while index < line.count {
            let byte = line[index]
            if arrayKey != nil {
                index = arrayElement(line, at: index)
                continue
            }
            switch byte {
            case .openBrace:
                depth += 1
                record = LogRecordFields(firstLine: number)
                index += 1
            case .closeBrace:
                depth = max(0, depth - 1)
                if let finished = record, finished.fieldCount > 0 { done.append(finished) }
                record = nil
                index += 1
            case .openBracket:
                depth += 1
                index += 1
            case .closeBracket:
                depth = max(0, depth - 1)
                index += 1
            case UInt8(ascii: "\""):
                let (key, after) = Self.string(line, from: index)
                index = field(key, line, after: after)
            default:
                index += 1
            }
        }
        return done
    }

    /// After a string at `after`: when a `:` follows, it was a key; reads its value.
    private mutating func field(_ key: [UInt8], _ line: [UInt8], after: Int) -> Int {
        var index = Self.skipSpaces(line, from: after)
        guard index < line.count, line[index] == .colon else { return index }
        index = Self.skipSpaces(line, from: index + 1)
        guard index < line.count else { return index }
        switch line[index] {
        case UInt8(ascii: "\""):
            let (value, end) = Self.string(line, from: index)
            store(key, string: value)
            return end
        case .openBracket:
            arrayKey = key
            arrayBytes = []
            arrayString = nil
            return index + 1
        case .openBrace:
            return index   // a nested object: its own record
        default:
            var end = index
            while end < line.count, line[end] != .comma, line[end] != .closeBrace, line[end] != .closeBracket, !line[end].isSpace { end += 1 }
            store(key, number: Array(line[index..<end]))
            return end
        }
    }

    /// One element of an array value (a byte, a string) or its end.
    private mutating func arrayElement(_ line: [UInt8], at index: Int) -> Int {
        let byte = line[index]
        if byte == .closeBracket {
            if let key = arrayKey { store(key, string: arrayString ?? arrayBytes) }
            arrayKey = nil
            return index + 1
        }
        if byte == .openBrace || byte == .openBracket {
            // An array of objects (`"dmesg": [`): structure, not a value; the main loop
            // reads its records.
            arrayKey = nil
            depth += 1
            return index
        }
        if byte == UInt8(ascii: "\"") {
            let (value, end) = Self.string(line, from: index)
            if arrayString == nil { arrayString = value }
            return end
        }
        guard byte.isDigit else { return index + 1 }
        var end = index, value = 0
        while end < line.count, line[end].isDigit {
            value = min(value * 10 + Int(line[end] - .zero), 256)
            end += 1
        }
        if value < 256 { arrayBytes.append(UInt8(value)) }
        return end
    }

    private mutating func store(_ key: [UInt8], string value: [UInt8]) {
        guard record != nil else { return }
        record!.fieldCount += 1
        switch key {
        case Self.message, Self.msg: record!.message = value
        case Self.sourceMonotonic: record!.sourceMonotonic = Self.decimal(value)
        case Self.monotonic: record!.monotonic = Self.decimal(value)
        default: break
        }
    }

    private mutating func store(_ key: [UInt8], number: [UInt8]) {
        guard record != nil else { return }
        record!.fieldCount += 1
        if key == Self.time { record!.seconds = number }
    }

    /// A decimal count that fits in 64 bits; nil for anything else.
    static func decimal(_ text: [UInt8]) -> UInt64? {
        guard !text.isEmpty, text.count <= 19, text.allSatisfy(\.isDigit) else { return nil }
        return text.reduce(0) { $0 * 10 + UInt64($1 - .zero) }
    }

    private static func skipSpaces(_ line: [UInt8], from start: Int) -> Int {
        var index = start
        while index < line.count, line[index].isSpace { index += 1 }
        return index
    }

    /// The string opening at `start` (a `"`), unescaped, and the index after its closing
    /// quote (the line's end when it has none).
    static func string(_ line: [UInt8], from start: Int) -> ([UInt8], Int) {
        var value: [UInt8] = []
        var index = start + 1
        var highSurrogate: UInt32?
        while index < line.count {
            let byte = line[index]
            if byte == UInt8(ascii: "\"") { return (value, index + 1) }
            guard byte == .backslash, index + 1 < line.count else {
                value.append(byte)
                index += 1
                continue
            }
            let escaped = line[index + 1]
            index += 2
            switch escaped {
            case UInt8(ascii: "n"): value.append(.newline)
            case UInt8(ascii: "t"): value.append(.tab)
            case UInt8(ascii: "r"): value.append(.carriageReturn)
            case UInt8(ascii: "b"): value.append(0x08)
            case UInt8(ascii: "f"): value.append(0x0C)
            case UInt8(ascii: "u"):
                guard index + 4 <= line.count, let unit = hex4(line, at: index) else { continue }
                index += 4
                if (0xD800..<0xDC00).contains(unit) {
                    highSurrogate = unit
                    continue
                }
                var scalar = unit
                if (0xDC00..<0xE000).contains(unit), let high = highSurrogate {
                    scalar = 0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00)
                }
                highSurrogate = nil
                value.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8))
            default: value.append(escaped)   // `\"`, `\\`, `\/`
            }
        }
        return (value, index)
    }

    private static func hex4(_ line: [UInt8], at start: Int) -> UInt32? {
        var value: UInt32 = 0
        for index in start..<(start + 4) {
            guard let digit = line[index].hexDigitValue else { return nil }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}
