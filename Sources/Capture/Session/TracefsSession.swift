/// Sets tracefs up for a capture and takes it down again. Every change is written to the
/// `ChangeRecord` before it is made, and `tearDown()` undoes the record's changes, last
/// first, whatever stopped the capture.
///
/// Setup, in order (an instance of our own unless `useInstance` is false):
///
///     mkdir instances/dmajournal                       (createdInstance)
///     echo 0 > instances/dmajournal/tracing_on          (setValue, old value kept)
///     echo 0 > instances/dmajournal/options/raw …       (only options that differ)
///     echo 'f:dmajournal/dma_iova_try_alloc …' >> dynamic_events   (definedProbe, ×12)
///     echo 1 > instances/dmajournal/events/dma/enable   (setValue: the system's old "0",
///                                                        or each event's when mixed)
///
/// then `startTracing()` writes `tracing_on` 1. Teardown in reverse: events off, probes
/// removed (`-:dmajournal/EVENT`: the kernel refuses with EBUSY while any trace array has
/// the event enabled, `trace_probe_is_enabled()`), settings back, `rmdir` of the instance
/// (EBUSY while its `trace_pipe` is open: the caller closes it first).
public final class TracefsSession {
    public let files: TracefsFiles
    public let record: ChangeRecord
    /// `instances/dmajournal/`, or empty for the top level.
    public private(set) var traceArray = ""
    public private(set) var probeStyle: ProbeStyle?
    /// The events and systems enabled, as `dma:*`, `dmajournal:*`.
    public private(set) var enabled: [String] = []
    /// The probe definitions the kernel accepted, as `dynamic_events` reads them back.
    public private(set) var probesDefined: [String] = []
    /// The one-line notes setup made (probe style, fallbacks), in order.
    public private(set) var notes: [String] = []

    public init(files: TracefsFiles, record: ChangeRecord) {
        self.files = files
        self.record = record
    }

    /// The file where probes are defined: `dynamic_events` (4.20+), else `kprobe_events`.
    var definitionsFile: String { files.exists("dynamic_events") ? "dynamic_events" : "kprobe_events" }

    /// Refuses to start over what a running or killed capture made.
    public func checkLeftovers(_ options: CaptureOptions) throws(CaptureError) {
        if options.useInstance, files.exists("instances/\(options.instanceName)") {
            throw .leftovers("\(files.root)/instances/\(options.instanceName) exists")
        }
        let defined = (try? files.read(definitionsFile)) ?? ""
        if let line = ProbeListing.lines(defined).first(where: { ProbeListing.group(of: $0) == options.probeGroup }) {
            throw .leftovers("\(files.root)/\(definitionsFile) already defines \(ProbeListing.name(of: line) ?? line)")
        }
    }

    /// Makes every change the capture needs; on a failure the changes so far stay in the
    /// record for `tearDown()`.
    public func setUp(_ options: CaptureOptions, support: KernelSupport) throws(CaptureError) {
        if options.useInstance {
            let path = "instances/\(options.instanceName)"
            try record.note(.createdInstance(path: path))
            do { try files.makeDirectory(path) } catch { throw .tracefs(error) }
            traceArray = path + "/"
        }
        try setValue("tracing_on", "0")
        for (option, value) in Self.requiredOptions where files.exists(traceArray + "options/" + option) {
            try setValue("options/" + option, value)
        }
        if files.exists(traceArray + "current_tracer") { try setValue("current_tracer", "nop") }
        if let kilobytes = options.bufferKilobytes { try setValue("buffer_size_kb", String(kilobytes)) }
        try defineProbes(options, support: support)
        for selector in options.events {
            guard files.exists(traceArray + selector.enablePath) else {
                notes.append("events: no \(selector) in this kernel (dma:* is 6.12+); left out")
                continue
            }
            try enable(selector)
        }
        if probeStyle != nil { try enable(EventSelector(system: options.probeGroup)) }
        if enabled.isEmpty { throw .environment("none of the events asked for (\(options.events.map(\.description).joined(separator: ", "))) exists in \(files.root)/events") }
    }

    /// trace_options a capture needs, whatever the top level had (a new instance copies
    /// the top level's flags, `trace_array_create()`): the default text format the
    /// importer reads, with the task, CPU and flags columns.
    static let requiredOptions: [(String, String)] = [
        ("raw", "0"), ("hex", "0"), ("bin", "0"), ("fields", "0"), ("latency-format", "0"),
        ("context-info", "1"), ("irq-info", "1"), ("record-cmd", "1"),
    ]

    /// Starts recording into the buffer.
    public func startTracing() throws(CaptureError) {
        do { try files.write(traceArray + "tracing_on", "1") } catch { throw .tracefs(error) }
    }

    /// Stops recording (the old value comes back at teardown); best effort.
    public func stopTracing() {
        try? files.write(traceArray + "tracing_on", "0")
    }

    /// Opens the trace array's `trace_pipe`.
    public func openPipe() throws(CaptureError) -> TracePipe {
        do { return try files.openPipe(traceArray + "trace_pipe") } catch { throw .tracefs(error) }
    }

    /// The trace array's per-CPU `stats` files.
    public var statsPaths: [String] {
        (files.list(traceArray + "per_cpu") ?? []).filter { $0.hasPrefix("cpu") }.map { traceArray + "per_cpu/\($0)/stats" }
    }

    /// Undoes every recorded change, last first, and removes the record when all were
    /// undone. Returns what could not be undone (empty when tracefs is as it was).
    public func tearDown(unmount: (String) -> Int32? = TracefsLocation.unmount) -> [String] {
        let problems = Teardown.undo(record.changes, files: files, unmount: unmount)
        if problems.isEmpty { record.remove() } else { record.close() }
        return problems
    }

    // MARK: steps

    /// Writes `value` to a file of the trace array after recording its old value; skips
    /// the write when the file already holds it.
    private func setValue(_ relative: String, _ value: String) throws(CaptureError) {
        let path = traceArray + relative
        let old: String
        do { old = Self.currentValue(try files.read(path)) } catch { throw .tracefs(error) }
        guard old != value else { return }
        try record.note(.setValue(path: path, old: old))
        do { try files.write(path, value) } catch { throw .tracefs(error) }
    }

    /// A settings file's value as it can be written back: `current_tracer` and the
    /// enable files read as they are written; `trace_clock` marks the one in use with
    /// brackets; `buffer_size_kb` reads `7 (expanded: 1408)` before the buffer is first used.
    static func currentValue(_ text: String) -> String {
        let trimmed = text.trimmingCharacters()
        if let open = trimmed.firstIndex(of: "["), let close = trimmed[open...].firstIndex(of: "]") {
            return String(trimmed[trimmed.index(after: open)..<close])
        }
        if let range = trimmed.firstRange(of: "(expanded: "), let close = trimmed[range.upperBound...].firstIndex(of: ")") {
            return String(trimmed[range.upperBound..<close])
        }
        return trimmed
    }

    /// Enables a system or event. A system whose enable file reads `0` is recorded as
    /// one value; one that reads `X` (some events on) has each event's value recorded, so
    /// teardown puts back exactly the events that were on.
    private func enable(_ selector: EventSelector) throws(CaptureError) {
        let path = traceArray + selector.enablePath
        let old: String
        do { old = try files.read(path).trimmingCharacters() } catch { throw .tracefs(error) }
        if selector.event == nil && old == "X" {
            for event in files.list(traceArray + "events/\(selector.system)") ?? [] {
                let eventPath = traceArray + "events/\(selector.system)/\(event)/enable"
                guard files.exists(eventPath) else { continue }
                let value = (try? files.read(eventPath).trimmingCharacters()) ?? "0"
                if value != "1" { try record.note(.setValue(path: eventPath, old: value)) }
            }
        } else if old != "1" {
            try record.note(.setValue(path: path, old: old))
        }
        do { try files.write(path, "1") } catch { throw .tracefs(error) }
        enabled.append(selector.description)
    }

    /// Defines the probes in the best style the kernel takes: the chosen one, then (for
    /// `auto`) kprobes when fprobes are refused, then none. A refused set is removed again.
    private func defineProbes(_ options: CaptureOptions, support: KernelSupport) throws(CaptureError) {
        let (style, line) = support.choose(options.probes)
        notes.append(line)
        guard var style else { return }
        while true {
            if let refusal = try define(style, group: options.probeGroup) {
                notes.append("probes: the kernel refused \(refusal)")
                if case .fprobe = style, options.probes == .auto, support.kprobeEvents, support.returnProbesReadArguments,
                   let registers = ArgumentRegisters.of(machine: support.machine) {
                    style = .kprobe(registers)
                    notes.append("probes: trying \(style.label)")
                    continue
                }
                notes.append("probes: none, tracepoints only")
                return
            }
            probeStyle = style
            let listing = (try? files.read(definitionsFile)) ?? ""
            probesDefined = ProbeListing.lines(listing).filter { ProbeListing.group(of: $0) == options.probeGroup }
            return
        }
    }

    /// Writes one style's definitions; on the first refusal removes those already made and
    /// returns what the kernel said.
    private func define(_ style: ProbeStyle, group: String) throws(CaptureError) -> String? {
        var made: [Change] = []
        for (event, line) in ProbeDefinitions.lines(style, group: group) {
            let change = Change.definedProbe(group: group, event: event)
            try record.note(change)
            do {
                try files.append(definitionsFile, line)
                made.append(change)
            } catch {
                let reason = (try? files.read("error_log")).flatMap(ErrorLog.lastEntry) ?? Errno.name(error.errno)
                try record.forget(change)
                for done in made.reversed() {
                    _ = Teardown.undoOne(done, files: files, unmount: { _ in nil })
                    try record.forget(done)
                }
                return "\(event) (\(Errno.name(error.errno))): \(reason)"
            }
        }
        return nil
    }
}
