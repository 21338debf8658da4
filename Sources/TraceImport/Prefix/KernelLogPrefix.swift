/// The front of a kernel log line, as dmesg, syslog, journald and log collectors print it:
///
///     [ 1189.113527] iommu: map: …                          dmesg
///     [Thu Jan  4 23:12:54 2024] ahci 0000:28:00.0: …       dmesg -T (--time-format ctime)
///     [Aug 4 09:48] …   [  +0.000012] …                     dmesg -H (reltime)
///     [   12.345678 <    0.000123>] …                       dmesg -d, journalctl -o short-delta
///     <3>[  12.345678] …                                    dmesg -r (log level)
///     kern  :err   : [  12.345678] …                        dmesg -x (facility, level)
///     [   12.345678][  T123] …                              CONFIG_PRINTK_CALLER
///     [   12.345678] [  T123] …                             the same through util-linux dmesg
///     [  278.999480] host kernel: …   [  0.9] kernel: …     journalctl -o short-monotonic
///     kernel: [   13.134460] …   kernel: DMAR: …            the tag alone, time or host cut
///     May 30 17:35:46 localhost kernel: [  278.999480] …    syslog, kern.log (SyslogHeader)
///     2024-01-04T23:12:54,123456+01:00 …                    dmesg --time-format iso
///     6,1234,12345678,-;DMAR: …                             /dev/kmsg (level,seq,µs,flags;)
///     DMAR: DRHD: handling fault status reg 3               none at all
///
/// Layers are tried in the order they nest, each behind a cheap test of its first byte.
enum KernelLogPrefix {
    static func parse(_ bytes: [UInt8], from start: Int) -> LinePrefix {
        var scanner = TextScanner(bytes, from: start)
        scanner.skipSpaces()
        var prefix = LinePrefix(format: .dmesg, messageStart: scanner.position)
        if readDevKmsg(&scanner, into: &prefix) {
            prefix.messageStart = scanner.position
            prefix.hasHeader = true
            return prefix
        }
        let rfc5424 = skipLogLevel(&scanner, version: true)
        var hasHeader = scanner.position > prefix.messageStart
        if SyslogHeader.read(&scanner, into: &prefix, rfc5424: rfc5424) {
            hasHeader = true
        } else if skipKernelTag(&scanner) {
            prefix.format = .syslog
            hasHeader = true
        }
        if skipLogLevel(&scanner, version: false) { hasHeader = true }   // `kernel: <4>[ 12.3] …`
        if skipFacility(&scanner) { hasHeader = true }
        if DmesgTime.read(&scanner, into: &prefix) {
            hasHeader = true
            callerBracket(&scanner, into: &prefix)
            scanner.skipSpaces()
            skipJournalHost(&scanner)
        }
        scanner.skipSpaces()
        prefix.messageStart = scanner.position
        prefix.hasHeader = hasHeader
        return prefix
    }

    /// Whether the line opens with a kernel-log time, level or tag that makes it a record.
    static func startsWithHeader(_ bytes: [UInt8], from start: Int) -> Bool {
        parse(bytes, from: start).hasHeader
    }

    /// A record as `/dev/kmsg` gives it (Documentation/ABI/testing/dev-kmsg):
    /// `level,sequence,microseconds,flags[,…];message`.
    private static func readDevKmsg(_ scanner: inout TextScanner, into prefix: inout LinePrefix) -> Bool {
        guard let first = scanner.current, first.isDigit else { return false }
        var probe = scanner
        guard probe.decimal() != nil, probe.skip(byte: .comma), probe.decimal() != nil, probe.skip(byte: .comma),
              let microseconds = probe.decimal(), probe.skip(byte: .comma),
              let semicolon = probe.find([UInt8(ascii: ";")]), semicolon - probe.position <= 32 else { return false }
        let (nanoseconds, overflow) = microseconds.multipliedReportingOverflow(by: 1_000)
        prefix.timestampNanoseconds = overflow ? nil : nanoseconds
        scanner.position = semicolon + 1
        return true
    }

    /// `kernel: ` (or `kernel[0]: `) with nothing before it.
    private static func skipKernelTag(_ scanner: inout TextScanner) -> Bool {
        guard scanner.current == SyslogHeader.kernelName[0] else { return false }
        var probe = scanner
        let word = probe.word()
        guard SyslogHeader.isKernelTag(scanner.bytes, word) else { return false }
        probe.skipSpaces()
        scanner = probe
        return true
    }

    /// journalctl's monotonic form puts the host (or nothing) and the tag after the time:
    /// `[  278.999480] host kernel: …`, `[    0.938401] kernel: …`.
    private static func skipJournalHost(_ scanner: inout TextScanner) {
        if skipKernelTag(&scanner) { return }
        var probe = scanner
        let host = probe.word()
        probe.skipSpaces()
        guard !host.isEmpty, skipKernelTag(&probe) else { return }
        scanner = probe
    }

    /// `<N>`: the raw log level `dmesg -r` keeps and RFC 3164/5424 lines start with. With
    /// `version`, true only when RFC 5424's version follows (`<N>1 `, consumed too);
    /// without, true when a level was there.
    private static func skipLogLevel(_ scanner: inout TextScanner, version: Bool) -> Bool {
        let start = scanner.position
        guard scanner.skip(byte: .lessThan), let level = scanner.decimal(), level < 200, scanner.skip(byte: .greaterThan) else {
            scanner.position = start
            return false
        }
        guard version else { return true }
        if scanner.current == UInt8(ascii: "1"), scanner.byte(at: 1) == .space {
            scanner.position += 2
            return true
        }
        return false
    }

    /// `dmesg -x`: `kern  :err   : ` (facility, level) before the time, padded to a column.
    private static func skipFacility(_ scanner: inout TextScanner) -> Bool {
        guard let first = scanner.current, first.isLetter else { return false }
        var probe = scanner
        for names in [facilities, levels] {
            let name = probe.position
            while let byte = probe.current, byte.isLetter || byte.isDigit { probe.position += 1 }
            let length = probe.position - name
            probe.skipSpaces()
            // The colon first: most lines fail there, before any name is compared.
            guard probe.skip(byte: .colon),
                  names.contains(where: { $0.count == length && scanner.bytes.hasPrefix($0, at: name) }) else { return false }
        }
        probe.skipSpaces()
        scanner = probe
        return true
    }

    /// The names `dmesg -x` prints (util-linux `facility_names`, `level_names`).
    static let facilities: [[UInt8]] = ["kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron",
                                        "authpriv", "ftp", "res0", "res1", "res2", "res3", "local0", "local1", "local2",
                                        "local3", "local4", "local5", "local6", "local7"].map { Array($0.utf8) }
    static let levels: [[UInt8]] = ["emerg", "alert", "crit", "err", "warn", "notice", "info", "debug"].map { Array($0.utf8) }

    /// CONFIG_PRINTK_CALLER's `[  T123]` (task) or `[ C2]` (CPU) after the time: right
    /// after it on a console, after a space in util-linux dmesg (2.39+, which reads the
    /// caller from /dev/kmsg and prints `"[%*s] "` after the time's `"] "`).
    private static func callerBracket(_ scanner: inout TextScanner, into prefix: inout LinePrefix) {
        let bytes = scanner.bytes
        var start = scanner.position
        while start < bytes.count, bytes[start] == .space { start += 1 }
        guard start < bytes.count, bytes[start] == .openBracket,
              let close = bytes[start...].prefix(16).firstIndex(of: .closeBracket) else { return }
        let inner = bytes.trimmed((start + 1)..<close)
        guard inner.count >= 2, let value = TextScanner.decimalValue(bytes, (inner.lowerBound + 1)..<inner.upperBound) else { return }
        switch bytes[inner.lowerBound] {
        case UInt8(ascii: "T"): prefix.pid = value.asInt
        case UInt8(ascii: "C"): prefix.cpu = value.asInt
        default: return
        }
        scanner.position = close + 1
    }
}
