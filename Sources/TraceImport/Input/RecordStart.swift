/// Whether a line opens a log record, or could be the rest of the line before it that a
/// mail client wrapped. A record opens with a time or a known prefix; for logs without
/// times, with `word: ` or `driver device: ` as the kernel's `pr_*`/`dev_*` print them.
enum RecordStart {
    static func isRecordStart(_ bytes: [UInt8], from start: Int) -> Bool {
        var index = start
        while index < bytes.count, bytes[index].isSpace { index += 1 }
        guard index < bytes.count else { return false }
        let first = bytes[index]
        if first == .hash { return true }
        // An ftrace line starts with its task name: try ftrace's prefix first there, so the
        // million-line traces skip the kernel-log headers (which start with `[`, `<` or a
        // digit, or with letters ftrace's `[CPU]` column then rules out).
        let ftraceFirst = first != .openBracket && first != .lessThan && !first.isDigit
        if ftraceFirst, FtracePrefix.parse(bytes, from: start) != nil { return true }
        if KernelLogPrefix.startsWithHeader(bytes, from: index) || CalendarText.isoTimeEnd(bytes, at: index) != nil { return true }
        if QemuPrefix.parse(bytes, from: index) != nil || QemuEvents.startsWithEventName(bytes, at: index) { return true }
        if !ftraceFirst, FtracePrefix.parse(bytes, from: start) != nil { return true }
        return startsWithLogPrefix(bytes, at: index) || startsWARNReportLine(bytes, at: index)
    }

    /// Lines of a WARN or oops report (kernel/panic.c `__warn`, `show_regs`, `print_modules`)
    /// that `word: ` does not catch: each is a printk of its own, never the rest of the
    /// line before it, though a mail may quote it right after a 40–100-column line.
    static let warnReportLines: [[UInt8]] = ["Modules linked in:", "------------[ cut here ]", "---[ end trace", "pc : ", "lr : ",
                                             "sp : ", "irq event stamp:", "hardirqs last", "softirqs last", "<TASK>", "</TASK>",
                                             "<IRQ>", "</IRQ>"].map { Array($0.utf8) }

    static func startsWARNReportLine(_ bytes: [UInt8], at start: Int) -> Bool {
        warnReportLines.contains { bytes.hasPrefix($0, at: start) }
    }

    /// `word: ` or `word word: ` (the second word may hold colons: `xhci_hcd 0000:00:14.0: `).
    static func startsWithLogPrefix(_ bytes: [UInt8], at start: Int) -> Bool {
        var index = start
        while index < bytes.count, isWordByte(bytes[index]) { index += 1 }
        guard index > start, index < bytes.count else { return false }
        if bytes[index] == .colon { return index + 1 == bytes.count || bytes[index + 1].isSpace }
        guard bytes[index] == .space else { return false }
        index += 1
        let second = index
        while index < bytes.count, !bytes[index].isSpace { index += 1 }
        return index - second > 1 && bytes[index - 1] == .colon
            && bytes[second..<(index - 1)].allSatisfy { isWordByte($0) || $0 == .colon || $0 == .plus || $0 == .slash }
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        byte.isLetter || byte.isDigit || byte == .underscore || byte == .dot || byte == .dash
    }
}
