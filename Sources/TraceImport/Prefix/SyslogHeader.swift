/// The header syslog daemons and journald write before a kernel message: a calendar time,
/// then (mostly) a host and the `kernel:` tag. Every `journalctl -o` short mode and the
/// common collectors' formats:
///
///     May 30 17:35:46 localhost kernel: …                 short (RFC 3164, kern.log)
///     May 30 17:35:46.123456 localhost kernel: …          short-precise
///     nov 04 13:30:08 odys25 kernel: …   1月 30 23:04:48 host kernel: …   (the reader's locale)
///     Dec  8 10:02:17  kernel: …                          --no-hostname (or the host cut out)
///     2024-01-05T10:11:12+0100 host kernel: …             short-iso
///     2024-01-05T10:11:12.123456+01:00 host kernel: …     short-iso-precise, rsyslog
///     Fri 2024-01-05 10:11:12 CET host kernel: …          short-full, with-unit
///     1704445872.123456 host kernel: …                    short-unix
///     <4>1 2024-01-05T10:11:12.123Z host kernel - - - …   RFC 5424 (rsyslog, syslog-ng)
///     Fri Jan  5 10:11:12 2024 kern.warn kernel: …        OpenWrt logread
///     2024-01-05T10:11:12,123456+01:00 …                  dmesg --time-format iso (no tag)
///
/// The tag is `kernel:` (or `kernel[0]:`). Another program's tag is accepted after a host
/// (`host systemd[1]: …`) so its lines are read, and skipped, as syslog; a `word:` right
/// after the time is never taken for a tag, since a message can start that way
/// (`DMAR: …`, `ahci 0000:28:00.0: …`).
enum SyslogHeader {
    static let kernelName = utf8("kernel")

    /// Reads the header at the scanner into `prefix` (its time and format) and moves the
    /// scanner to the message; false, and nothing consumed, when there is none.
    static func read(_ scanner: inout TextScanner, into prefix: inout LinePrefix, rfc5424: Bool) -> Bool {
        let bytes = scanner.bytes
        let start = scanner.position
        guard start < bytes.count else { return false }
        let first = bytes[start]
        var time: Time?
        if first.isDigit {
            time = digitTime(bytes, at: start) ?? monthTime(bytes, at: start)
        } else if first.isLetter || first >= 0x80 {
            time = monthTime(bytes, at: start) ?? weekdayTime(bytes, at: start)
        }
        guard let time else { return false }
        var rest = TextScanner(bytes, from: time.end)
        guard rest.isAtEnd || rest.skip(byte: .space) else { return false }
        rest.skipSpaces()
        let tagged = rfc5424 ? skipRFC5424Fields(&rest) : skipHostAndTag(&rest, time: time)
        // Without a tag: a calendar time alone (dmesg --time-format iso, a collector's
        // stamp) before the message. An epoch number alone is not a time, nor is RFC 5424
        // without its fields.
        guard tagged || (time.standsAlone && !rfc5424) else { return false }
        prefix.wallClock = time.text(bytes)
        if time.isSyslog || tagged { prefix.format = .syslog }
        scanner.position = rest.position
        return true
    }

    /// A time read at the front of the line: where it ends and how to keep it.
    struct Time {
        var range: Range<Int>
        var end: Int { range.upperBound }
        /// `Mmm dd` and the weekday forms only syslog and journald print.
        var isSyslog: Bool
        /// Whether the time alone can open a line (every form but epoch seconds).
        var standsAlone: Bool
        /// Epoch seconds become an ISO UTC time; the rest is kept as printed.
        var epochSeconds: (seconds: UInt64, fraction: Range<Int>)?

        func text(_ bytes: [UInt8]) -> String {
            if let epoch = epochSeconds { return CalendarText.iso8601UTC(epochSeconds: epoch.seconds, fraction: bytes.text(epoch.fraction)) }
            return bytes.text(range)
        }
    }

    /// `Mmm dd hh:mm:ss[.frac]` (RFC 3164, journalctl short and short-precise). journalctl
    /// prints the month in the reader's locale (`nov 04`, `Mär 02`, `févr. 02`, `1月 30`):
    /// any short word is taken there, but only with the `kernel:` tag (or a host and tag)
    /// after the time, where an English month name may also stand alone.
    private static func monthTime(_ bytes: [UInt8], at start: Int) -> Time? {
        var index: Int
        let isEnglish = CalendarText.month(bytes, at: start) != nil && start + 3 < bytes.count && bytes[start + 3] == .space
        if isEnglish {
            index = start + 3
        } else {
            index = start
            while index < bytes.count, index - start < 12, isLocaleMonthByte(bytes[index]) { index += 1 }
            guard index > start, index < bytes.count, bytes[index] == .space else { return nil }
        }
        while index < bytes.count, bytes[index] == .space { index += 1 }
        let day = index
        while index < bytes.count, bytes[index].isDigit { index += 1 }
        guard (1...2).contains(index - day), index < bytes.count, bytes[index] == .space,
              let end = CalendarText.clockWithFractionEnd(bytes, at: index + 1) else { return nil }
        return Time(range: start..<end, isSyslog: true, standsAlone: isEnglish)
    }

    /// A byte of a localized month abbreviation: letters, UTF-8 (`ä`, `月`), digits, `.`.
    private static func isLocaleMonthByte(_ byte: UInt8) -> Bool {
        byte.isLetter || byte.isDigit || byte >= 0x80 || byte == .dot
    }

    /// `Www YYYY-MM-DD hh:mm:ss ZONE` (short-full) or `Www Mmm dd hh:mm:ss YYYY` (ctime, as
    /// OpenWrt's logread prints it).
    private static func weekdayTime(_ bytes: [UInt8], at start: Int) -> Time? {
        guard CalendarText.isWeekday(bytes, at: start), start + 4 < bytes.count, bytes[start + 3] == .space else { return nil }
        if let iso = CalendarText.isoTimeEnd(bytes, at: start + 4) {
            // short-full: a zone name follows (`CET`, `UTC`, `+0530`).
            var scanner = TextScanner(bytes, from: iso)
            guard scanner.skip(byte: .space) else { return nil }
            let zone = scanner.word()
            guard !zone.isEmpty, zone.count <= 6, bytes[zone].allSatisfy({ $0.isLetter || $0.isDigit || $0 == .plus || $0 == .dash }) else { return nil }
            return Time(range: start..<zone.upperBound, isSyslog: true, standsAlone: true)
        }
        guard let monthTime = monthTime(bytes, at: start + 4) else { return nil }
        var index = monthTime.end
        guard index + 5 <= bytes.count, bytes[index] == .space, bytes[(index + 1)..<(index + 5)].allSatisfy(\.isDigit) else { return nil }
        index += 5
        return Time(range: start..<index, isSyslog: true, standsAlone: true)
    }

    /// ISO 8601, or the epoch seconds of `journalctl -o short-unix` (`1704445872.123456`).
    private static func digitTime(_ bytes: [UInt8], at start: Int) -> Time? {
        if let end = CalendarText.isoTimeEnd(bytes, at: start) {
            return Time(range: start..<end, isSyslog: false, standsAlone: true)
        }
        var index = start
        while index < bytes.count, bytes[index].isDigit { index += 1 }
        guard (9...11).contains(index - start), index + 1 < bytes.count, bytes[index] == .dot,
              let seconds = TextScanner.decimalValue(bytes, start..<index) else { return nil }
        let fractionStart = index + 1
        index = fractionStart
        while index < bytes.count, bytes[index].isDigit { index += 1 }
        guard index > fractionStart else { return nil }
        return Time(range: start..<index, isSyslog: false, standsAlone: false, epochSeconds: (seconds, fractionStart..<index))
    }

    /// `host kernel:`, `kernel:` alone, `host facility.level kernel:`, or another program's
    /// `host name[pid]:` / `host name:`; the scanner moves past it.
    private static func skipHostAndTag(_ scanner: inout TextScanner, time: Time) -> Bool {
        var probe = scanner
        var words: [Range<Int>] = []
        for _ in 0..<3 {
            let word = probe.word()
            guard !word.isEmpty else { break }
            words.append(word)
            if isKernelTag(scanner.bytes, word) {
                probe.skipSpaces()
                scanner = probe
                return true
            }
            probe.skipSpaces()
        }
        // Another program's line: a host, then its tag.
        let bytes = scanner.bytes
        guard words.count >= 2, bytes[words[0].upperBound - 1] != .colon, isProgramTag(bytes, words[1], needsPID: !time.isSyslog) else { return false }
        var after = TextScanner(bytes, from: words[1].upperBound)
        after.skipSpaces()
        scanner = after
        return true
    }

    /// `kernel:` or `kernel[N]:`.
    static func isKernelTag(_ bytes: [UInt8], _ word: Range<Int>) -> Bool {
        guard word.count > kernelName.count, bytes.hasPrefix(kernelName, at: word.lowerBound),
              bytes[word.upperBound - 1] == .colon else { return false }
        let tail = (word.lowerBound + kernelName.count)..<(word.upperBound - 1)
        return tail.isEmpty || (bytes[tail.lowerBound] == .openBracket && bytes[tail.upperBound - 1] == .closeBracket)
    }

    /// A program's syslog tag: `name:` or `name[pid]:`, the name a letter then letters,
    /// digits and `_-./@`.
    private static func isProgramTag(_ bytes: [UInt8], _ word: Range<Int>, needsPID: Bool) -> Bool {
        guard word.count > 1, bytes[word.lowerBound].isLetter, bytes[word.upperBound - 1] == .colon else { return false }
        var index = word.lowerBound
        while index < word.upperBound - 1, isTagByte(bytes[index]) { index += 1 }
        if index == word.upperBound - 1 { return !needsPID }
        guard bytes[index] == .openBracket, bytes[word.upperBound - 2] == .closeBracket else { return false }
        return bytes[(index + 1)..<(word.upperBound - 2)].allSatisfy(\.isDigit)
    }

    private static func isTagByte(_ byte: UInt8) -> Bool {
        byte.isLetter || byte.isDigit || byte == .underscore || byte == .dash || byte == .dot || byte == .slash || byte == .at
    }

    /// RFC 5424 after the time: `HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA`, each `-`
    /// when absent, the structured data one or more `[…]` elements.
    private static func skipRFC5424Fields(_ scanner: inout TextScanner) -> Bool {
        var probe = scanner
        for _ in 0..<4 {
            guard !probe.word().isEmpty else { return false }
            probe.skipSpaces()
        }
        if probe.current == .openBracket {
            while probe.current == .openBracket {
                guard let close = probe.find([.closeBracket]) else { return false }
                probe.position = close + 1
            }
        } else if !probe.skip(byte: .dash) {
            return false
        }
        probe.skipSpaces()
        scanner = probe
        return true
    }
}
