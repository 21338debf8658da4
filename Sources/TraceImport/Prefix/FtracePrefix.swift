/// ftrace's line prefix (kernel/trace/trace_output.c): `TASK-PID [CPU] FLAGS TIMESTAMP: `,
/// as the `trace` file, `trace-cmd report` and `perf script` print it:
///
///     gem_exec_gttfil-1010    [004] .N...    50.126420: map: IOMMU: …
///          <idle>-0       [000] d..2.  1234.567890: dma_map_page: …
///            bash-1234  (   1234) [002] .....  12.345: …        (with the tgid option)
///         swapper     0 [000]  1234.567890: iommu:io_page_fault: …   (perf script)
///
/// The flags column (irqs-off, need-resched, hardirq/softirq, preempt depth, migrate
/// disable, and on lazy-preemption kernels need-resched-lazy and preempt-lazy depth) is 4,
/// 5 or 7 characters wide, or absent (`trace-cmd report` without `-l`). Task names may
/// contain spaces, so the prefix is found from its `[CPU]` column.
enum FtracePrefix {
    /// The prefix of `bytes` from `start`, or nil when the line is not ftrace output.
    static func parse(_ bytes: [UInt8], from start: Int) -> LinePrefix? {
        guard let bracket = cpuBracket(bytes, from: start) else { return nil }
        guard let (task, pid) = taskAndPID(bytes, start..<bracket.lowerBound) else { return nil }
        var scanner = TextScanner(bytes, from: bracket.upperBound)
        scanner.skipSpaces()
        var flagsWidth: Int?
        var context: ExecutionContext?
        var stamp = timestamp(&scanner)
        if stamp == nil {
            let flags = scanner.word()
            guard (1...8).contains(flags.count) else { return nil }
            flagsWidth = flags.count
            if flags.count >= 3 { context = ExecutionContext(flagsCharacter: bytes[flags.lowerBound + 2]) }
            scanner.skipSpaces()
            stamp = timestamp(&scanner)
        }
        guard let stamp else { return nil }
        scanner.skipSpaces()
        var prefix = LinePrefix(format: .ftrace, messageStart: scanner.position)
        prefix.cpu = TextScanner.decimalValue(bytes, (bracket.lowerBound + 1)..<(bracket.upperBound - 1)).flatMap(\.asInt)
        prefix.task = task
        prefix.pid = pid
        prefix.flagsWidth = flagsWidth
        prefix.context = context
        prefix.timestampNanoseconds = stamp.nanoseconds
        return prefix
    }

    /// `[NNN]` after a space, within the first 96 bytes: digits only, then a space.
    private static func cpuBracket(_ bytes: [UInt8], from start: Int) -> Range<Int>? {
        let limit = min(bytes.count, start + 96)
        var index = start + 1
        while index < limit {
            if bytes[index] == .openBracket, bytes[index - 1] == .space {
                var close = index + 1
                while close < bytes.count, bytes[close].isDigit { close += 1 }
                if close > index + 1, close < bytes.count, bytes[close] == .closeBracket,
                   close + 1 == bytes.count || bytes[close + 1] == .space {
                    return index..<(close + 1)
                }
            }
            index += 1
        }
        return nil
    }

    /// `comm-pid` (ftrace) or `comm pid` (perf), without a trailing `(tgid)`.
    private static func taskAndPID(_ bytes: [UInt8], _ range: Range<Int>) -> (String, Int)? {
        var field = bytes.trimmed(range)
        if field.upperBound > field.lowerBound, bytes[field.upperBound - 1] == .closeParen,
           let open = bytes[field].lastIndex(of: .openParen) {
            field = bytes.trimmed(field.lowerBound..<open)
        }
        var digits = field.upperBound
        while digits > field.lowerBound, bytes[digits - 1].isDigit { digits -= 1 }
        guard digits < field.upperBound, digits > field.lowerBound,
              bytes[digits - 1] == .dash || bytes[digits - 1] == .space,
              let pid = TextScanner.decimalValue(bytes, digits..<field.upperBound)?.asInt else { return nil }
        let task = bytes.trimmed(field.lowerBound..<(digits - 1))
        guard !task.isEmpty else { return nil }
        return (bytes.text(task), pid)
    }

    /// `SECONDS.FRACTION:` (or a raw counter `NNN:` from the counter clocks, whose unit is
    /// not time: it is read but gives no nanoseconds).
    private static func timestamp(_ scanner: inout TextScanner) -> Stamp? {
        let start = scanner.position
        var index = start
        let bytes = scanner.bytes
        while index < scanner.end, bytes[index].isDigit { index += 1 }
        guard index > start else { return nil }
        var fraction = index..<index
        if index < scanner.end, bytes[index] == .dot {
            let fractionStart = index + 1
            index = fractionStart
            while index < scanner.end, bytes[index].isDigit { index += 1 }
            fraction = fractionStart..<index
        }
        guard index < scanner.end, bytes[index] == .colon else { return nil }
        scanner.position = index + 1
        let hasFraction = !fraction.isEmpty
        let nanoseconds = hasFraction ? LinePrefix.nanoseconds(bytes, seconds: start..<(fraction.lowerBound - 1), fraction: fraction) : nil
        return Stamp(nanoseconds: nanoseconds)
    }

    /// A timestamp column: its time, when the clock counts time.
    private struct Stamp {
        var nanoseconds: UInt64?
    }
}
