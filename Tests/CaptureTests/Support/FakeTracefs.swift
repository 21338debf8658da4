import Foundation
import Synchronization
@testable import Capture

/// A directory that behaves like tracefs enough for `capture`'s setup and teardown: the
/// files are real (a test reads `dynamic_events` or `instances/dmajournal/tracing_on` as
/// a user would), and each operation does what the kernel does with it, errno included:
///
/// - `dynamic_events` takes `f:`/`p:`/`r:` definitions (refused with EINVAL or ENOENT and
///   an `error_log` entry like 7.3.4's when the function or a BTF name is unknown, or the
///   style is not supported) and `-:GROUP/EVENT` removals (EBUSY while the event is
///   enabled in any trace array, ENOENT when there is none); a definition adds the event
///   to `events/` of the top level and of every instance;
/// - `events/SYS/enable` reads `0`, `1` or `X` from its events and writes all of them;
/// - `mkdir instances/NAME` makes an instance with its own files and every event off;
///   `rmdir` refuses (EBUSY) while its `trace_pipe` is open;
/// - `trace_pipe` hands out what `emit` put in the trace array's buffer while its
///   `tracing_on` and the event's `enable` were 1.
final class FakeTracefs: TracefsFiles, @unchecked Sendable {
    let root: String
    let systems: [String: [String]]
    let functions: Set<String>
    let fprobeBTF: Bool
    let cpus = 2
    private let lock = NSRecursiveLock()
    private var buffers: [String: [String]] = [:]
    private var openPipes: [String: Int] = [:]
    /// Failures to inject: a path suffix and the errno its next write or append returns.
    var failNextWrite: [String: Int32] = [:]
    /// A failure after this many more successful writes to a path suffix.
    var failLater: (suffix: String, after: Int, errno: Int32)?

    static let readme = try! String(contentsOfFile: fixture("capture/tracefs-7.3.4/README"), encoding: .utf8)

    init(fprobeBTF: Bool = true, functions: Set<String> = Set(IOVAProbes.functions),
         systems: [String: [String]] = FakeTracefs.defaultSystems) throws {
        root = NSTemporaryDirectory() + "fake-tracefs-" + UUID().uuidString
        self.systems = systems
        self.functions = functions
        self.fprobeBTF = fprobeBTF
        var readme = Self.readme
        if !fprobeBTF {
            readme = readme.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.contains("<func-name>") && !$0.contains("<argname>") }.joined(separator: "\n")
        }
        try put("README", readme)
        try put("dynamic_events", "")
        try put("kprobe_events", "")
        try put("error_log", "")
        try put("available_filter_functions", functions.sorted().joined(separator: "\n") + "\nvfs_read\n")
        try makeTraceArray("", topLevel: true)
        try FileManager.default.createDirectory(atPath: root + "/instances", withIntermediateDirectories: true)
    }

    static let defaultSystems: [String: [String]] = [
        "dma": ["dma_map_phys", "dma_unmap_phys", "dma_alloc", "dma_free", "dma_map_sg", "dma_unmap_sg"],
        "iommu": ["map", "unmap", "io_page_fault", "attach_device_to_domain", "add_device_to_group"],
        "sched": ["sched_switch"],
    ]

    deinit { try? FileManager.default.removeItem(atPath: root) }

    // MARK: layout

    private func put(_ path: String, _ text: String) throws {
        let full = root + "/" + path
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: false, encoding: .utf8)
    }

    private func get(_ path: String) -> String? { try? String(contentsOfFile: root + "/" + path, encoding: .utf8) }

    private func makeTraceArray(_ prefix: String, topLevel: Bool) throws {
        try put(prefix + "tracing_on", "1\n")
        try put(prefix + "current_tracer", "nop\n")
        try put(prefix + "trace_clock", "[local] global counter uptime perf mono mono_raw boot tai x86-tsc\n")
        try put(prefix + "buffer_size_kb", topLevel ? "7 (expanded: 1408)\n" : "1410\n")
        try put(prefix + "trace_pipe", "")
        for (option, value) in [("raw", "0"), ("hex", "0"), ("bin", "0"), ("fields", "0"), ("latency-format", "0"),
                                ("context-info", "1"), ("irq-info", "1"), ("record-cmd", "1"), ("overwrite", "1")] {
            try put(prefix + "options/" + option, value + "\n")
        }
        for cpu in 0..<cpus { try put(prefix + "per_cpu/cpu\(cpu)/stats", Self.stats(overrun: 0)) }
        for (system, events) in systems {
            try put(prefix + "events/\(system)/enable", "0\n")
            for event in events { try put(prefix + "events/\(system)/\(event)/enable", "0\n") }
        }
        for line in ProbeListing.lines(get("dynamic_events") ?? "") {
            guard let name = ProbeListing.name(of: line), let group = ProbeListing.group(of: line) else { continue }
            try put(prefix + "events/\(group)/enable", "0\n")
            try put(prefix + "events/\(name)/enable", "0\n")
        }
        buffers[prefix] = []
    }

    static func stats(overrun: Int) -> String {
        "entries: 0\noverrun: \(overrun)\ncommit overrun: 0\nbytes: 0\noldest event ts:     0.000000\nnow ts:    15.779690\ndropped events: 0\nread events: 0\n"
    }

    var traceArrays: [String] {
        [""] + ((try? FileManager.default.contentsOfDirectory(atPath: root + "/instances")) ?? []).sorted().map { "instances/\($0)/" }
    }

    // MARK: TracefsFiles

    func read(_ path: String) throws(TracefsError) -> String {
        lock.lock(); defer { lock.unlock() }
        if path.hasSuffix("/enable"), let system = systemDirectory(of: path) {
            let values = (list(system) ?? []).compactMap { get(system + "/" + $0 + "/enable")?.trimmingCharacters(in: .whitespacesAndNewlines) }
            if values.isEmpty { return "0\n" }
            return values.allSatisfy { $0 == "1" } ? "1\n" : values.allSatisfy { $0 == "0" } ? "0\n" : "X\n"
        }
        guard let text = get(path) else { throw TracefsError(.read, path: path, errno: ENOENT) }
        return text
    }

    /// `…/events/SYS` when `path` is a system's enable file.
    private func systemDirectory(of path: String) -> String? {
        let parts = path.split(separator: "/")
        guard parts.count >= 3, parts[parts.count - 3] == "events" else { return nil }
        return parts.dropLast().joined(separator: "/")
    }

    func write(_ path: String, _ text: String) throws(TracefsError) {
        lock.lock(); defer { lock.unlock() }
        try injected(path, .write, text)
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard exists(path), !isDirectory(path) else { throw TracefsError(.write, path: path, errno: ENOENT, text: text) }
        let name = (path as NSString).lastPathComponent
        switch name {
        case "enable", "tracing_on":
            guard value == "0" || value == "1" else { throw TracefsError(.write, path: path, errno: EINVAL, text: text) }
            if let system = systemDirectory(of: path) {
                for event in list(system) ?? [] where isDirectory(system + "/" + event) { try? put(system + "/\(event)/enable", value + "\n") }
            } else {
                try? put(path, value + "\n")
            }
        case "current_tracer":
            guard ["nop", "function", "function_graph"].contains(value) else { throw TracefsError(.write, path: path, errno: EINVAL, text: text) }
            try? put(path, value + "\n")
        case "buffer_size_kb":
            guard Int(value).map({ $0 > 0 }) == true else { throw TracefsError(.write, path: path, errno: EINVAL, text: text) }
            try? put(path, value + "\n")
        case "dynamic_events", "kprobe_events":
            // `>` without O_TRUNC is still a command write in the kernel; capture never
            // writes definitions this way.
            throw TracefsError(.write, path: path, errno: EINVAL, text: text)
        default:
            if path.contains("options/") {
                guard value == "0" || value == "1" else { throw TracefsError(.write, path: path, errno: EINVAL, text: text) }
            }
            try? put(path, value + "\n")
        }
    }

    func append(_ path: String, _ text: String) throws(TracefsError) {
        lock.lock(); defer { lock.unlock() }
        try injected(path, .append, text)
        guard path == "dynamic_events" || path == "kprobe_events" else {
            throw TracefsError(.append, path: path, errno: exists(path) ? EINVAL : ENOENT, text: text)
        }
        let command = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if command.hasPrefix("-:") { try remove(String(command.dropFirst(2)), path: path, text: text) } else { try define(command, path: path) }
    }

    private func remove(_ name: String, path: String, text: String) throws(TracefsError) {
        let listing = ProbeListing.lines(get("dynamic_events") ?? "")
        let matches = listing.filter { line in
            guard let full = ProbeListing.name(of: line) else { return false }
            return name.hasSuffix("/") ? full.hasPrefix(name) : full == name
        }
        guard !matches.isEmpty else { throw TracefsError(.append, path: path, errno: ENOENT, text: text) }
        for line in matches {
            let full = ProbeListing.name(of: line)!
            if traceArrays.contains(where: { get($0 + "events/\(full)/enable")?.hasPrefix("1") == true }) {
                throw TracefsError(.append, path: path, errno: EBUSY, text: text)
            }
        }
        let remaining = listing.filter { !matches.contains($0) }
        try? put("dynamic_events", remaining.map { $0 + "\n" }.joined())
        try? put("kprobe_events", remaining.filter { !$0.hasPrefix("f:") }.map { $0 + "\n" }.joined())
        for line in matches {
            let full = ProbeListing.name(of: line)!
            let group = String(full.prefix { $0 != "/" })
            for array in traceArrays {
                try? FileManager.default.removeItem(atPath: root + "/" + array + "events/" + full)
                let left = (list(array + "events/" + group) ?? []).filter { isDirectory(array + "events/\(group)/\($0)") }
                if left.isEmpty { try? FileManager.default.removeItem(atPath: root + "/" + array + "events/" + group) }
            }
        }
    }

    private func define(_ command: String, path: String) throws(TracefsError) {
        let words = command.split(separator: " ").map(String.init)
        guard words.count >= 2, let colon = words[0].firstIndex(of: ":") else { throw refuse(command, path, EINVAL, "Syntax error") }
        let kind = words[0][..<colon]
        let name = String(words[0][words[0].index(after: colon)...])
        let symbol = words[1].replacingOccurrences(of: "%return", with: "")
        switch kind {
        case "f":
            guard fprobeBTF else { throw refuse(command, path, EINVAL, "Unknown probe type") }
        case "p", "r":
            guard path == "kprobe_events" || path == "dynamic_events" else { throw refuse(command, path, EINVAL, "Syntax error") }
        default:
            throw refuse(command, path, EINVAL, "Syntax error")
        }
        guard functions.contains(symbol) || symbol == "vfs_read" else { throw refuse(command, path, EINVAL, "Invalid probed address or symbol") }
        if kind == "f" {
            // BTF names must be the function's parameters (dev, state, phys, …).
            let known: Set<String> = ["dev", "state", "phys", "size", "offset", "dir", "attrs", "mapped_len", "$retval"]
            for argument in words.dropFirst(2) {
                let fetch = argument.split(separator: "=", maxSplits: 1).last.map { String($0.prefix { $0 != ":" && $0 != "-" }) } ?? ""
                guard known.contains(fetch) else { throw refuse(command, path, ENOENT, "This variable is not found at this probe point") }
            }
        }
        if traceArrays.contains(where: { exists($0 + "events/" + name) }) { throw refuse(command, path, EEXIST, "Event already exists") }
        try? put("dynamic_events", (get("dynamic_events") ?? "") + command + "\n")
        if kind != "f" { try? put("kprobe_events", (get("kprobe_events") ?? "") + command + "\n") }
        let group = String(name.prefix { $0 != "/" })
        for array in traceArrays {
            if !exists(array + "events/\(group)/enable") { try? put(array + "events/\(group)/enable", "0\n") }
            try? put(array + "events/\(name)/enable", "0\n")
        }
    }

    private func refuse(_ command: String, _ path: String, _ code: Int32, _ message: String) -> TracefsError {
        let source = command.hasPrefix("f") ? "trace_fprobe" : "trace_kprobe"
        let entry = "[   14.444616] \(source): error: \(message)\n  Command: \(command)\n            ^\n"
        try? put("error_log", (get("error_log") ?? "") + entry)
        return TracefsError(.append, path: path, errno: code, text: command)
    }

    private func injected(_ path: String, _ operation: TracefsError.Operation, _ text: String) throws(TracefsError) {
        if var later = failLater, path.hasSuffix(later.suffix) {
            if later.after == 0 {
                failLater = nil
                throw TracefsError(operation, path: path, errno: later.errno, text: text)
            }
            later.after -= 1
            failLater = later
        }
        guard let key = failNextWrite.keys.first(where: { path.hasSuffix($0) }), let code = failNextWrite.removeValue(forKey: key) else { return }
        throw TracefsError(operation, path: path, errno: code, text: text)
    }

    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: root + "/" + path) }

    private func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &directory) && directory.boolValue
    }

    func list(_ path: String) -> [String]? {
        guard isDirectory(path) else { return nil }
        return (try? FileManager.default.contentsOfDirectory(atPath: root + "/" + path))?.sorted()
    }

    func makeDirectory(_ path: String) throws(TracefsError) {
        lock.lock(); defer { lock.unlock() }
        let parts = path.split(separator: "/")
        guard parts.count == 2, parts[0] == "instances" else { throw TracefsError(.mkdir, path: path, errno: EPERM) }
        guard !exists(path) else { throw TracefsError(.mkdir, path: path, errno: EEXIST) }
        do { try makeTraceArray(path + "/", topLevel: false) } catch { throw TracefsError(.mkdir, path: path, errno: EIO) }
    }

    func removeDirectory(_ path: String) throws(TracefsError) {
        lock.lock(); defer { lock.unlock() }
        guard path.hasPrefix("instances/"), isDirectory(path) else { throw TracefsError(.rmdir, path: path, errno: ENOENT) }
        guard (openPipes[path + "/"] ?? 0) == 0 else { throw TracefsError(.rmdir, path: path, errno: EBUSY) }
        try? FileManager.default.removeItem(atPath: root + "/" + path)
        buffers[path + "/"] = nil
    }

    func openPipe(_ path: String) throws(TracefsError) -> TracePipe {
        lock.lock(); defer { lock.unlock() }
        guard exists(path), path.hasSuffix("trace_pipe") else { throw TracefsError(.open, path: path, errno: ENOENT) }
        let array = String(path.dropLast("trace_pipe".count))
        openPipes[array, default: 0] += 1
        return FakePipe(fake: self, array: array)
    }

    // MARK: the kernel's side

    /// An event fires: each trace array records `line` when tracing is on there and the
    /// event is enabled there.
    func emit(_ system: String, _ event: String, _ line: String) {
        lock.lock(); defer { lock.unlock() }
        for array in traceArrays where get(array + "tracing_on")?.hasPrefix("1") == true
            && get(array + "events/\(system)/\(event)/enable")?.hasPrefix("1") == true {
            buffers[array, default: []].append(line)
        }
    }

    /// Sets one CPU's overrun count in a trace array (events the buffer lost).
    func setOverrun(_ count: Int, array: String, cpu: Int = 0) {
        lock.lock(); defer { lock.unlock() }
        try? put(array + "per_cpu/cpu\(cpu)/stats", Self.stats(overrun: count))
    }

    fileprivate func take(_ array: String, max: Int) -> [UInt8]? {
        lock.lock(); defer { lock.unlock() }
        guard var lines = buffers[array], !lines.isEmpty else { return nil }
        var bytes: [UInt8] = []
        while let line = lines.first, bytes.count + line.utf8.count + 1 <= max {
            bytes += Array((line + "\n").utf8)
            lines.removeFirst()
        }
        buffers[array] = lines
        return bytes
    }

    fileprivate func closePipe(_ array: String) {
        lock.lock(); defer { lock.unlock() }
        openPipes[array, default: 1] -= 1
    }

    /// Every file under the root with its contents (`trace_pipe` left out): two
    /// snapshots are equal when tracefs is as it was.
    func snapshot() -> [String: String] {
        lock.lock(); defer { lock.unlock() }
        var files: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let relative = enumerator?.nextObject() as? String {
            guard !isDirectory(relative), !relative.hasSuffix("trace_pipe") else { continue }
            files[relative] = get(relative) ?? ""
        }
        files["(directories)"] = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []).filter { isDirectory($0) }.sorted().joined(separator: " ")
        return files
    }
}

/// A reader of one trace array's `trace_pipe`.
final class FakePipe: TracePipe {
    private let fake: FakeTracefs
    private let array: String
    private var closed = false

    init(fake: FakeTracefs, array: String) {
        self.fake = fake
        self.array = array
    }

    func read(into buffer: inout [UInt8]) -> TracePipeRead {
        guard !closed else { return .failed(EBADF) }
        guard let bytes = fake.take(array, max: buffer.count), !bytes.isEmpty else { return .empty }
        buffer.replaceSubrange(0..<bytes.count, with: bytes)
        return .data(bytes.count)
    }

    func wait(milliseconds: Int32) { usleep(UInt32(min(milliseconds, 10)) * 1000) }

    func close() {
        guard !closed else { return }
        closed = true
        fake.closePipe(array)
    }
}

/// A file under `fixtures/`.
func fixture(_ relative: String) -> String {
    var directory = URL(fileURLWithPath: #filePath)
    while directory.path != "/" {
        directory.deleteLastPathComponent()
        let candidate = directory.appendingPathComponent("fixtures/" + relative).path
        if FileManager.default.fileExists(atPath: candidate) { return candidate }
    }
    return "fixtures/" + relative
}
