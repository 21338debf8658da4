#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One capture from start to end: set tracefs up, stream `trace_pipe` into the capture
/// text while the command runs (or until a signal or the duration), stop, drain, and take
/// tracefs down — on every path, errors and signals included. Never throws: what went
/// wrong is in the outcome, after the teardown.
public final class CaptureRun {
    public struct Request: Sendable {
        public var options = CaptureOptions()
        /// The command to trace; empty waits for a signal or the duration.
        public var command: [String] = []
        public var durationSeconds: Double?
        /// Where the change record goes.
        public var recordPath: String
        /// The first header line's tool name and version.
        public var toolVersion = "dmajournal"
        /// Filesystems mounted for this capture before it started (tracefs, securityfs):
        /// recorded first, unmounted last.
        public var mounted: [String] = []

        public init(recordPath: String) { self.recordPath = recordPath }
    }

    /// Why the capture stopped.
    public enum StopReason: Equatable, Sendable {
        case commandEnded(String)
        case signal(Int32)
        case duration
        case failed

        public var text: String {
            switch self {
            case .commandEnded(let how): return "the command \(how)"
            case .signal(let number): return "\(StopSignals.name(number)) received"
            case .duration: return "the duration ran out"
            case .failed: return "an error"
            }
        }
    }

    public struct Outcome: Sendable {
        public var stopReason = StopReason.failed
        public var error: CaptureError?
        public var events = 0
        public var lostEvents = 0
        public var seconds = 0.0
        /// What teardown could not undo; empty when tracefs is as it was.
        public var teardownProblems: [String] = []
        /// The command's exit status, or 128 + its signal.
        public var commandStatus: Int32?
        /// The setup notes (probe style, fallbacks), in order.
        public var notes: [String] = []
    }

    /// One progress reading, about once a second.
    public struct Progress: Sendable {
        public var seconds: Double
        public var events: Int
        public var eventsPerSecond: Double
        public var lostEvents: Int
        public var textBytes: Int
    }

    private let files: TracefsFiles
    private let support: KernelSupport
    private let facts: SystemFacts
    private let request: Request
    private let say: (String) -> Void
    private let progress: (Progress) -> Void
    /// Called after setup, before the command starts (tests use it to feed the fake).
    public var onStreaming: (() -> Void)?

    public init(files: TracefsFiles, support: KernelSupport, facts: SystemFacts, request: Request,
                say: @escaping (String) -> Void, progress: @escaping (Progress) -> Void) {
        self.files = files
        self.support = support
        self.facts = facts
        self.request = request
        self.say = say
        self.progress = progress
    }

    /// Runs the capture into `text` (which it finishes).
    public func run(into text: CaptureText) -> Outcome {
        StopSignals.install()
        defer { StopSignals.restore() }
        var outcome = Outcome()
        let started = monotonicMilliseconds()
        let session: TracefsSession
        do {
            let record = try ChangeRecord(creating: request.recordPath, tracefsRoot: files.root)
            for path in request.mounted { try record.note(.mounted(path: path)) }
            session = TracefsSession(files: files, record: record)
        } catch {
            outcome.error = error
            for path in request.mounted.reversed() { _ = TracefsLocation.unmount(path) }
            text.finish()
            return outcome
        }
        var pump: TracePump?
        var pipe: TracePipe?
        var child: ChildProcess?
        var baseline = BufferStats()
        do {
            try session.checkLeftovers(request.options)
            try session.setUp(request.options, support: support)
            outcome.notes = session.notes
            session.notes.forEach(say)
            try writeHeader(text, session)
            let opened = try session.openPipe()
            pipe = opened
            if !request.options.useInstance { discardUnread(opened) }
            baseline = BufferStats.total(files, paths: session.statsPaths)
            let newPump = TracePump(pipe: opened, text: text)
            pump = newPump
            newPump.start()
            try session.startTracing()
            say("tracing \(session.enabled.joined(separator: " ")) into \(files.root)/\(session.traceArray.isEmpty ? "(top level)" : String(session.traceArray.dropLast()))")
            onStreaming?()
            if !request.command.isEmpty, StopSignals.received == nil {
                child = try ChildProcess(arguments: request.command)
                say("running \(request.command.joined(separator: " ")) (pid \(child!.pid))")
            }
            outcome.stopReason = watch(child: child, pump: newPump, session: session, baseline: baseline, started: monotonicMilliseconds())
        } catch {
            outcome.error = error
            outcome.notes = session.notes
        }
        // Stop, drain, count, take down — in that order, whatever happened above.
        session.stopTracing()
        pump?.stop()
        pipe?.close()
        if outcome.error == nil, let failure = pump?.error { outcome.error = .environment(failure) }
        let stats = BufferStats.total(files, paths: session.statsPaths)
        outcome.events = pump?.events ?? 0
        outcome.lostEvents = max(0, stats.lost - baseline.lost) + (pump?.lostInPipe ?? 0)
        outcome.seconds = Double(monotonicMilliseconds() - started) / 1000
        try? writeTrailer(text, outcome: outcome, session: session)
        text.finish()
        outcome.teardownProblems = session.tearDown()
        if let child {
            if !child.poll() {
                // The command gets the signal we got (a terminal's Ctrl-C has reached it
                // already; a second SIGINT is harmless), SIGTERM at the end of the duration.
                if case .signal(let number) = outcome.stopReason { child.signal(number) }
                if outcome.stopReason == .duration || outcome.error != nil { child.signal(SIGTERM) }
                child.terminate(graceMilliseconds: 3000)
            }
            outcome.commandStatus = child.exitStatus ?? child.terminatingSignal.map { 128 + $0 }
        }
        return outcome
    }

    /// Waits for the end: a signal, the command's exit, the duration, or a pump failure;
    /// reports progress about once a second.
    private func watch(child: ChildProcess?, pump: TracePump, session: TracefsSession, baseline: BufferStats, started: Int) -> StopReason {
        var lastReport = started
        var lastEvents = 0
        while true {
            if let signal = StopSignals.received { return .signal(signal) }
            if let child, child.poll() { return .commandEnded(child.ending) }
            let now = monotonicMilliseconds()
            if let duration = request.durationSeconds, Double(now - started) >= duration * 1000 { return .duration }
            if pump.error != nil { return .failed }
            if now - lastReport >= 1000 {
                let events = pump.events
                let lost = max(0, BufferStats.total(files, paths: session.statsPaths).lost - baseline.lost) + pump.lostInPipe
                progress(Progress(seconds: Double(now - started) / 1000, events: events,
                                  eventsPerSecond: Double(events - lastEvents) * 1000 / Double(now - lastReport),
                                  lostEvents: lost, textBytes: 0))
                lastReport = now
                lastEvents = events
            }
            usleep(50_000)
        }
    }

    /// The top level's buffer may hold events from before the capture: read them away so
    /// the capture starts clean (the cost of `--no-instance`).
    private func discardUnread(_ pipe: TracePipe) {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while case .data = pipe.read(into: &buffer) {}
    }

    private func writeHeader(_ text: CaptureText, _ session: TracefsSession) throws(CaptureError) {
        var lines: [String] = []
        let probes = session.probeStyle?.label ?? "no probes (tracepoints only)"
        let where_ = files.root + "/" + (session.traceArray.isEmpty ? "(top level)" : String(session.traceArray.dropLast()))
        var first = "# kernel \(facts.release) | \(request.toolVersion) capture | \(probes) | events: \(session.enabled.joined(separator: " ")) | tracefs: \(where_)"
        if !request.command.isEmpty { first += " | command: \(request.command.joined(separator: " "))" }
        first += " | started \(Self.utcNow())"
        lines.append(first)
        lines += facts.headerLines
        lines += session.probesDefined.map { "# probe defined: " + $0 }
        try text.append(lines.joined(separator: "\n") + "\n")
    }

    private func writeTrailer(_ text: CaptureText, outcome: Outcome, session: TracefsSession) throws(CaptureError) {
        var lines: [String] = []
        for path in session.statsPaths {
            guard let stats = try? files.read(path) else { continue }
            let cpu = path.split(separator: "/").dropLast().last.map(String.init) ?? path
            lines.append("# trace stats \(cpu): " + stats.split(separator: "\n").map { $0.trimmingCharacters() }.joined(separator: ";"))
        }
        var end = "# capture ended: \(outcome.stopReason.text) after \(String(format1: outcome.seconds)) s; \(outcome.events) trace lines, \(outcome.lostEvents) events lost"
        if let error = outcome.error { end += "; error: \(error.description)" }
        lines.append(end)
        try text.append(lines.joined(separator: "\n") + "\n")
    }

    /// `2026-12-07T16:02:11Z`.
    static func utcNow() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%SZ", &parts)
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension String {
    /// One decimal: `12.3`.
    init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths / 10).\(abs(tenths % 10))"
    }
}
