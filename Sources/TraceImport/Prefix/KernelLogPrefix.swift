/// The front of a kernel log line, as dmesg, syslog or journald print it:
///
///     [ 1189.113527] iommu: map: …                          dmesg
///     [Thu Jan  4 23:12:54 2024] ahci 0000:28:00.0: …       dmesg -T
///     [Aug 4 09:48] …   [  +0.000012] …                     dmesg -H
///     <3>[  12.345678] …                                    dmesg -r (log level)
///     [   12.345678][  T123] …                              CONFIG_PRINTK_CALLER
///     May 30 17:35:46 localhost kernel: [  278.999480] …    syslog, journald
///     2024-01-04T23:12:54.123456+01:00 host kernel: …       rsyslog high precision
///     DMAR: DRHD: handling fault status reg 3               none at all
enum KernelLogPrefix {
    static func parse(_ bytes: [UInt8], from start: Int) -> LinePrefix {
        var scanner = TextScanner(bytes, from: start)
        scanner.skipSpaces()
        var prefix = LinePrefix(format: .dmesg, messageStart: scanner.position)
        if let wallClock = syslogHeader(&scanner) {
            prefix.format = .syslog
            prefix.wallClock = wallClock
        }
        skipLogLevel(&scanner)
        skipFacility(&scanner)
        if dmesgBracket(&scanner, into: &prefix) {
            callerBracket(&scanner, into: &prefix)
            scanner.skipSpaces()
            skipJournalHost(&scanner)
        }
        scanner.skipSpaces()
        prefix.messageStart = scanner.position
        return prefix
    }

    static let kernelTag = utf8("kernel:")

    /// journalctl's monotonic form puts the host and the tag after the time:
    /// `[  278.999480] host kernel: …`.
    private static func skipJournalHost(_ scanner: inout TextScanner) {
        var probe = scanner
        let host = probe.word()
        probe.skipSpaces()
        guard !host.isEmpty, probe.skip(kernelTag) else { return }
        probe.skipSpaces()
        scanner = probe
    }

    /// `dmesg -x`: `kern  :err   : ` (facility, level) before the time.
    private static func skipFacility(_ scanner: inout TextScanner) {
        var probe = scanner
        for _ in 0..<2 {
            let name = probe.position
            while let byte = probe.current, byte.isLetter { probe.position += 1 }
            guard probe.position > name else { return }
            probe.skipSpaces()
            guard probe.skip(byte: .colon) else { return }
        }
        probe.skipSpaces()
        scanner = probe
    }

    /// Whether the line opens with a kernel-log time (or level) that makes it a record.
    static func startsWithTime(_ bytes: [UInt8], from start: Int) -> Bool {
        var scanner = TextScanner(bytes, from: start)
        if syslogHeader(&scanner) != nil { return true }
        scanner = TextScanner(bytes, from: start)
        var prefix = LinePrefix(format: .dmesg, messageStart: start)
        if bytes.count > start, bytes[start] == .lessThan {
            skipLogLevel(&scanner)
            return scanner.position > start
        }
        return dmesgBracket(&scanner, into: &prefix)
    }

    /// `Mmm dd hh:mm:ss host tag: ` or `YYYY-MM-DDThh:mm:ss… host tag: `: the time as printed.
    private static func syslogHeader(_ scanner: inout TextScanner) -> String? {
        let bytes = scanner.bytes
        let start = scanner.position
        var index: Int
        if CalendarText.month(bytes, at: start) != nil, start + 4 < bytes.count, bytes[start + 3] == .space {
            index = start + 4
            while index < bytes.count, bytes[index] == .space { index += 1 }
            guard index < bytes.count, bytes[index].isDigit else { return nil }
            while index < bytes.count, bytes[index].isDigit { index += 1 }
            guard index < bytes.count, bytes[index] == .space, let end = CalendarText.clockEnd(bytes, at: index + 1) else { return nil }
            index = end
        } else if let end = isoTimeEnd(bytes, at: start) {
            index = end
        } else {
            return nil
        }
        let time = start..<index
        var rest = TextScanner(bytes, from: index)
        guard rest.skip(byte: .space) else { return nil }
        let host = rest.word()
        rest.skipSpaces()
        let tag = rest.word()
        guard !host.isEmpty, bytes[host.upperBound - 1] != .colon, tag.count > 1, bytes[tag.upperBound - 1] == .colon else { return nil }
        rest.skipSpaces()
        scanner.position = rest.position
        return bytes.text(time)
    }

    /// `YYYY-MM-DDThh:mm:ss[.frac][Z|±hh:mm]`: the index after it.
    static func isoTimeEnd(_ bytes: [UInt8], at start: Int) -> Int? {
        guard start + 19 <= bytes.count else { return nil }
        let dateShape: [UInt8?] = [nil, nil, nil, nil, .dash, nil, nil, .dash, nil, nil, UInt8(ascii: "T")]
        for (offset, expected) in dateShape.enumerated() {
            let byte = bytes[start + offset]
            if let expected { guard byte == expected else { return nil } } else { guard byte.isDigit else { return nil } }
        }
        guard var index = CalendarText.clockEnd(bytes, at: start + 11) else { return nil }
        if index < bytes.count, bytes[index] == .dot {
            index += 1
            while index < bytes.count, bytes[index].isDigit { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "Z") {
            index += 1
        } else if index + 6 <= bytes.count, bytes[index] == .plus || bytes[index] == .dash, bytes[index + 3] == .colon {
            index += 6
        } else if index + 5 <= bytes.count, bytes[index] == .plus || bytes[index] == .dash,
                  bytes[(index + 1)..<(index + 5)].allSatisfy(\.isDigit) {
            index += 5   // journalctl -o short-iso: +0100
        }
        return index
    }

    /// `<N>`: the raw log level `dmesg -r` keeps.
    private static func skipLogLevel(_ scanner: inout TextScanner) {
        let start = scanner.position
        guard scanner.skip(byte: .lessThan), scanner.decimal() != nil, scanner.skip(byte: .greaterThan) else {
            scanner.position = start
            return
        }
    }

    /// `[seconds]`, `[ctime]`, `[Mmm d hh:mm]` or `[  +delta]`; false (nothing consumed)
    /// for any other bracket, such as `[fault reason 05]`.
    private static func dmesgBracket(_ scanner: inout TextScanner, into prefix: inout LinePrefix) -> Bool {
        let bytes = scanner.bytes
        let start = scanner.position
        guard start < bytes.count, bytes[start] == .openBracket,
              let close = bytes[start...].prefix(40).firstIndex(of: .closeBracket) else { return false }
        let inner = bytes.trimmed((start + 1)..<close)
        if let nanoseconds = secondsValue(bytes, inner) {
            prefix.timestampNanoseconds = nanoseconds
        } else if let wallClock = ctime(bytes, inner) {
            prefix.wallClock = wallClock
        } else if isHumanTime(bytes, inner) {
            // dmesg -H: `[Aug 4 09:48]` is a calendar time; `[+0.000012]` a delta, not kept.
            if bytes[inner.lowerBound] != .plus { prefix.wallClock = bytes.text(inner) }
        } else {
            return false
        }
        scanner.position = close + 1
        return true
    }

    /// CONFIG_PRINTK_CALLER's `[  T123]` (task) or `[ C2]` (CPU) after the time.
    private static func callerBracket(_ scanner: inout TextScanner, into prefix: inout LinePrefix) {
        let bytes = scanner.bytes
        let start = scanner.position
        guard start < bytes.count, bytes[start] == .openBracket,
              let close = bytes[start...].prefix(16).firstIndex(of: .closeBracket) else { return }
        let inner = bytes.trimmed((start + 1)..<close)
        guard inner.count >= 2, let value = TextScanner.decimalValue(bytes, (inner.lowerBound + 1)..<inner.upperBound) else { return }
        switch bytes[inner.lowerBound] {
        case UInt8(ascii: "T"): prefix.pid = Int(value)
        case UInt8(ascii: "C"): prefix.cpu = Int(value)
        default: return
        }
        scanner.position = close + 1
    }

    private static func secondsValue(_ bytes: [UInt8], _ range: Range<Int>) -> UInt64? {
        guard let dot = bytes[range].firstIndex(of: .dot) else { return nil }
        return LinePrefix.nanoseconds(bytes, seconds: range.lowerBound..<dot, fraction: (dot + 1)..<range.upperBound)
    }

    /// `Thu Jan  4 23:12:54 2024` → `2024-01-04T23:12:54` (local time: dmesg -T gives no zone).
    private static func ctime(_ bytes: [UInt8], _ range: Range<Int>) -> String? {
        var scanner = TextScanner(bytes, from: range.lowerBound, to: range.upperBound)
        guard CalendarText.isWeekday(bytes, at: scanner.position) else { return nil }
        scanner.position += 3
        scanner.skipSpaces()
        guard let month = CalendarText.month(bytes, at: scanner.position) else { return nil }
        scanner.position += 3
        scanner.skipSpaces()
        guard let day = scanner.decimal() else { return nil }
        scanner.skipSpaces()
        let clockStart = scanner.position
        guard let clockEnd = CalendarText.clockEnd(bytes, at: clockStart) else { return nil }
        scanner.position = clockEnd
        scanner.skipSpaces()
        guard let year = scanner.decimal(), scanner.isAtEnd else { return nil }
        return "\(year)-\(CalendarText.pad(month))-\(CalendarText.pad(Int(day)))T\(bytes.text(clockStart..<clockEnd))"
    }

    /// dmesg -H: `Aug 4 09:48`, `Aug 4 09:48:12` or `+0.000012`.
    private static func isHumanTime(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        guard !range.isEmpty else { return false }
        if bytes[range.lowerBound] == .plus {
            return bytes[(range.lowerBound + 1)..<range.upperBound].allSatisfy { $0.isDigit || $0 == .dot }
        }
        return CalendarText.month(bytes, at: range.lowerBound) != nil && bytes[range].contains(.colon)
    }
}
