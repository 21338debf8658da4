/// What the front of a log line says before the message itself: the format, the time,
/// and for ftrace the CPU and task.
struct LinePrefix {
    var format: SourceFormat
    var timestampNanoseconds: UInt64?
    var wallClock: String?
    var cpu: Int?
    var task: String?
    var pid: Int?
    /// ftrace's latency-flags column width (4, 5 or 7 characters), when there is one.
    var flagsWidth: Int?
    /// What the CPU was running, from the flags column's hardirq/softirq character.
    var context: ExecutionContext?
    /// Where the message starts (for ftrace: the event name).
    var messageStart: Int
    /// Whether a kernel log line had a time, level or tag before its message.
    var hasHeader = false

    init(format: SourceFormat, messageStart: Int) {
        self.format = format
        self.messageStart = messageStart
    }

    /// Nanoseconds from `seconds.fraction` digits (`1189.113527`, `50.126420123`).
    static func nanoseconds(_ bytes: [UInt8], seconds: Range<Int>, fraction: Range<Int>) -> UInt64? {
        guard let whole = TextScanner.decimalValue(bytes, seconds), fraction.count <= 9 else { return nil }
        var part: UInt64 = 0
        if !fraction.isEmpty {
            guard let value = TextScanner.decimalValue(bytes, fraction) else { return nil }
            part = value
            for _ in fraction.count..<9 { part *= 10 }
        }
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: 1_000_000_000)
        let (total, carry) = scaled.addingReportingOverflow(part)
        return overflow || carry ? nil : total
    }
}
