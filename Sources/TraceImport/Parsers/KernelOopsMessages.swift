/// Collects a kernel oops report from the log, record by record: it starts at
/// `BUG: unable to handle page fault` and ends at `---[ end trace`; in between, the
/// `CPU: … PID: p` line names the task, `RIP:` the faulting function and the lines after
/// `Call Trace:` its callers (`swiotlb_tbl_map_single+0x79d/0x8a0`; `? name` entries are
/// stale stack words and left out).
struct KernelOopsMessages {
    static let pageFault = utf8("BUG: unable to handle page fault")

    private(set) var report: KernelOops
    private var inCallTrace = false
    /// The opening record, whose place the event keeps.
    let opening: TraceRecord

    /// A collector for `record`, when it opens an oops report.
    init?(_ record: TraceRecord) {
        guard record.text.hasPrefix(Self.pageFault, at: record.message.lowerBound) else { return nil }
        report = KernelOops(firstLine: String(Self.message(record)))
        opening = record
    }

    /// The report as an event at its opening line, spanning up to `last`. The task is the
    /// one the report names.
    func event(through last: TraceRecord) -> ParsedEvent {
        var event = opening.event(.oops(report), "oops")
        event.provenance.lineCount = last.firstLine + last.lineCount - opening.firstLine
        event.provenance.pid = report.pid ?? event.provenance.pid
        return event
    }

    /// Takes the next record of the report; false once `record` ends it (it is part of it).
    mutating func take(_ record: TraceRecord) -> Bool {
        let message = Self.message(record)
        let trimmed = message.drop { $0 == " " }
        if trimmed.hasPrefix("---[ end trace") { return false }
        if trimmed.hasPrefix("CPU:"), report.pid == nil {
            report.pid = Self.number(after: "PID:", in: trimmed)
        } else if trimmed.hasPrefix("RIP:") {
            // RIP: 0010:memcpy_orig+0x16/0x140
            let location = trimmed.dropFirst(4).drop { $0 == " " }
            let function = location.split(separator: ":", maxSplits: 1).last.map(Self.functionName) ?? ""
            if !function.isEmpty, report.callTrace.first != function { report.callTrace.insert(function, at: 0) }
        } else if trimmed.hasPrefix("Call Trace:") {
            inCallTrace = true
        } else if inCallTrace {
            if trimmed.hasPrefix("</TASK>") || trimmed.contains(":") { inCallTrace = false }
            else if !trimmed.hasPrefix("<"), !trimmed.hasPrefix("?") {
                let function = Self.functionName(trimmed)
                if !function.isEmpty { report.callTrace.append(function) }
            }
        }
        return true
    }

    /// `swiotlb_tbl_map_single+0x79d/0x8a0 [module]` → `swiotlb_tbl_map_single`.
    static func functionName(_ entry: Substring) -> String {
        String(entry.prefix { $0 != "+" && $0 != " " })
    }

    private static func number(after label: String, in text: Substring) -> Int? {
        guard let range = text.range(of: label) else { return nil }
        return Int(text[range.upperBound...].drop { $0 == " " }.prefix { $0.isNumber })
    }

    private static func message(_ record: TraceRecord) -> Substring {
        Substring(record.text.text(record.message))
    }
}
