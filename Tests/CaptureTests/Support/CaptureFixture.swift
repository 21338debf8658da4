import Foundation
@testable import Capture

/// A fake tracefs with a user's own state in it (a probe of theirs, an event they enabled,
/// their tracer), a place for the change record, and helpers to run setup and teardown.
struct CaptureFixture {
    let fake: FakeTracefs
    let directory: String
    let before: [String: String]
    /// Removes `directory` when the last copy of the fixture is gone (the fake removes its own).
    private let removal: DirectoryRemoval

    init(fprobeBTF: Bool = true, functions: Set<String> = Set(IOVAProbes.functions), userState: Bool = true) throws {
        fake = try FakeTracefs(fprobeBTF: fprobeBTF, functions: functions)
        directory = NSTemporaryDirectory() + "capture-state-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        removal = DirectoryRemoval(directory)
        if userState {
            // Someone else's tracing, which a capture must leave exactly as it was.
            try fake.append("dynamic_events", "p:user/my_read vfs_read")
            try fake.write("events/iommu/map/enable", "1")
            try fake.write("events/user/my_read/enable", "1")
            try fake.write("current_tracer", "function")
            try fake.write("tracing_on", "0")
        }
        before = fake.snapshot()
    }

    var recordPath: String { directory + "/" + ChangeRecord.fileName }

    var support: KernelSupport {
        KernelSupport.detect(fake, btfPresent: fake.fprobeBTF, functionList: try? fake.read("available_filter_functions"),
                             machine: "x86_64", systems: ["dma", "iommu"])
    }

    func request(command: [String] = [], duration: Double? = nil, options: CaptureOptions = CaptureOptions()) -> CaptureRun.Request {
        var request = CaptureRun.Request(recordPath: recordPath)
        request.options = options
        request.command = command
        request.durationSeconds = duration
        request.toolVersion = "dmajournal test"
        return request
    }

    /// A session on the fake with a new change record.
    func session() throws -> TracefsSession {
        TracefsSession(files: fake, record: try ChangeRecord(creating: recordPath, tracefsRoot: fake.root))
    }

    func text() throws -> CaptureText { try CaptureText(path: directory + "/capture.txt") }

    var textContents: String { (try? String(contentsOfFile: directory + "/capture.txt", encoding: .utf8)) ?? "" }

    /// The files that differ from before the capture, with their contents then and now.
    func changed() -> [String] {
        let after = fake.snapshot()
        return Set(before.keys).union(after.keys).sorted().compactMap { key in
            before[key] == after[key] ? nil : "\(key): \(before[key] ?? "(none)") -> \(after[key] ?? "(none)")"
        }
    }

    var recordExists: Bool { FileManager.default.fileExists(atPath: recordPath) }

    /// What a trace line of an event looks like in `trace_pipe`.
    static func line(_ event: String, _ fields: String, seconds: String = "12.094264") -> String {
        "kworker/0:0H-10 [000] ...2. \(seconds): \(event): \(fields)"
    }
}

/// Removes a test's temporary directory when the fixture that made it is released.
private final class DirectoryRemoval: Sendable {
    let path: String
    init(_ path: String) { self.path = path }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}
