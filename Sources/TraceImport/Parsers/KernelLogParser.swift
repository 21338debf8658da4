/// Reads kernel log messages (dmesg, syslog) one record at a time. Some reports span
/// several records: a legacy DMAR fault with its reason on the next line, a dma-debug
/// warning followed by the WARN's `WARNING:` line (`WarnHeadline`), dma-debug's leak report
/// and its details line, an SMMUv3 event and its words, a swiotlb-full line and the
/// failed allocation or bounce map it caused. Such an event is held until the record after
/// its last line, then released with everything those lines added.
final class KernelLogParser {
    private let devices: DeviceDirectory
    private var pending: Pending?
    /// A dma-debug `WARNING:` line that came before its message (older kernels).
    /// (Matched by record, not line number: wrapping and quoted-printable soft breaks
    /// change how many physical lines a record spans.)
    private var warningBefore: (headline: WarnHeadline, record: Int)?
    /// Records parsed so far.
    private var recordCount = 0
    /// An oops report being read (`BUG: unable to handle page fault` … `---[ end trace`).
    private var oops: KernelOopsMessages?
    /// The SMMU whose last event was skipped (not a fault with an address).
    private var skippedSMMUv3Event: String?

    private enum Pending {
        case event(ParsedEvent)
        case smmuV3(SMMUv3Report)
    }

    init(devices: DeviceDirectory) {
        self.devices = devices
    }

    func parse(_ record: TraceRecord) -> LineResult {
        recordCount += 1
        noteDeviceName(record)
        if oops != nil { return continueOops(record) }
        if let result = continuePending(record) { return result }
        let released = releasePending()
        var result = parseFresh(record)
        result.events = released + result.events
        return result
    }

    /// The event still held at the end of the input (an oops report cut short included).
    func finish() -> [ParsedEvent] {
        let cut = oops.map { [$0.event(through: $0.opening)] } ?? []
        oops = nil
        return releasePending() + cut
    }

    /// The next line of an oops report; the event goes out with the report's last line.
    private func continueOops(_ record: TraceRecord) -> LineResult {
        guard var collector = oops else { return .context }
        if collector.take(record) {
            oops = collector
            return .context
        }
        oops = nil
        return LineResult(disposition: .context, events: [collector.event(through: record)])
    }

    /// A `driver DDDD:BB:DD.F: ` prefix teaches the full name of a PCI device, so a later
    /// DMAR report's `BB:DD.F` can be resolved.
    private func noteDeviceName(_ record: TraceRecord) {
        if let prefix = DevicePrefix.parse(record.text, record.message) {
            devices.noteFullName(record.text.text(prefix.device))
        }
    }

    private func parseFresh(_ record: TraceRecord) -> LineResult {
        let bytes = record.text
        let message = record.message
        if let collector = KernelOopsMessages(record) {
            oops = collector
            return LineResult(disposition: .event)
        }
        if let result = IntelDMARMessages.parse(record, message, devices: devices) { return hold(result) }
        if let result = AMDViMessages.parse(record, message, devices: devices) { return result }
        if let result = DMADebugMessages.parse(record, message, devices: devices) { return hold(result) }
        if let result = IOMMUDebugMessages.parse(record, message) { return result }
        if let prefix = DevicePrefix.parse(bytes, message), bytes.hasPrefix(SMMUv3Report.driver, at: prefix.driver.lowerBound) {
            let smmu = bytes.text(prefix.device)
            guard let report = SMMUv3Report.start(record, prefix) else {
                // An event that is not a fault with an address: its words go with it.
                let isWord = SMMUv3Report.word(bytes, at: prefix.rest) != nil
                if !isWord { skippedSMMUv3Event = smmu }
                return isWord && skippedSMMUv3Event != smmu ? .skipped(.notDMA) : .skipped(.faultWithoutAddress)
            }
            skippedSMMUv3Event = nil
            pending = .smmuV3(report)
            return LineResult(disposition: .event)
        }
        if let result = ARMSMMUMessages.parse(record, message, devices: devices) { return result }
        if let result = SWIOTLBMessages.parse(record, message, devices: devices) { return hold(result) }
        if let result = OtherIOMMUMessages.parse(record, message, devices: devices) { return result }
        if RateLimitNote.isIOMMURateLimit(bytes, message) { return .skipped(.rateLimited) }
        if let headline = WarnHeadline(bytes, message) {
            guard headline.isDMADebug else { return .skipped(.notDMA) }
            warningBefore = (headline, recordCount + 1)
            return .context   // the WARN of the dma-debug message on the next line (before 4.x)
        }
        return .skipped(ReportLikeText.looksLikeReport(record) ? .unrecognizedReport : .notDMA)
    }

    /// Holds a DMAR fault without its reason, or a dma-debug warning, for the lines that
    /// complete it.
    private func hold(_ result: LineResult) -> LineResult {
        guard result.disposition == .event, var event = result.events.first else { return result }
        if case .debugReport = event.kind, let before = warningBefore, before.record == recordCount {
            Self.take(before.headline, into: &event)
        }
        warningBefore = nil
        let waits: Bool
        switch event.kind {
        case .fault: waits = event.reason == nil
        case .debugReport: waits = true
        case .mapFailed: waits = event.naming == "swiotlb_buffer_full"
        default: waits = false
        }
        guard waits else { return result }
        pending = .event(event)
        return LineResult(disposition: .event)
    }

    private func continuePending(_ record: TraceRecord) -> LineResult? {
        guard let held = pending else { return nil }
        switch held {
        case .smmuV3(var report):
            guard let prefix = DevicePrefix.parse(record.text, record.message), report.continueWith(record, prefix) else { return nil }
            pending = .smmuV3(report)
            return .context
        case .event(var event):
            guard complete(&event, with: record) else { return nil }
            event.provenance.lineCount = record.firstLine + record.lineCount - event.provenance.line
            pending = .event(event)
            return .context
        }
    }

    /// Adds what `record` says to the held event; false when it says nothing about it.
    private func complete(_ event: inout ParsedEvent, with record: TraceRecord) -> Bool {
        let message = record.message
        switch event.kind {
        case .fault:
            return IntelDMARMessages.reasonLine(&event, record, message)
        case .debugReport:
            // A console's caller id (`[    C3]`, `[  T123]`) may have given one of the two already.
            if event.provenance.cpu == nil || event.provenance.pid == nil, let headline = WarnHeadline(record.text, message) {
                Self.take(headline, into: &event)
                return true
            }
            return DMADebugMessages.leakDetailsLine(&event, record, message)
        case .mapFailed:
            return SWIOTLBMessages.completesFullReport(&event, record, devices: devices)
        default:
            return false
        }
    }

    private func releasePending() -> [ParsedEvent] {
        defer { pending = nil }
        switch pending {
        case .event(let event): return [event]
        case .smmuV3(let report): return report.finished(devices: devices).map { [$0] } ?? []
        case nil: return []
        }
    }

    /// The CPU and task the WARN names are where the dma-debug check ran.
    private static func take(_ headline: WarnHeadline, into event: inout ParsedEvent) {
        event.provenance.cpu = headline.cpu ?? event.provenance.cpu
        event.provenance.pid = headline.pid ?? event.provenance.pid
        if let task = headline.task { event.provenance.task = task }
    }
}
