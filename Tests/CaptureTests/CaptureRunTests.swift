import Foundation
import Synchronization
import Testing
@testable import Capture

/// The whole capture on the fake tracefs: streaming, and the teardown after each way a
/// capture ends — the command's exit, SIGINT, SIGTERM, the duration, an error. Signals
/// are real (sent to this process, which the capture's handlers catch), so the suite
/// runs one test at a time.
@Suite("CaptureRun: every way a capture ends leaves tracefs as it was", .serialized)
struct CaptureRunTests {
    static let mapLine = CaptureFixture.line("map", "IOMMU: iova=0x00000000fffdc000 - 0x00000000fffdd000 paddr=0x000000001b1c0000 size=4096")
    static let allocLine = CaptureFixture.line("dma_iova_try_alloc", "(dma_iova_try_alloc+0x4/0x120) dev=\"0000:00:01.0\" state=0xffff8ede475c6588 phys=0x1b1c0000 size=4608")

    /// Runs a capture on a thread; `during` runs once it streams.
    func capture(_ fixture: CaptureFixture, _ request: CaptureRun.Request, during: @escaping @Sendable () -> Void = {}) throws -> CaptureRun.Outcome {
        let text = try fixture.text()
        let lines = Mutex<[String]>([])
        let run = CaptureRun(files: fixture.fake, support: fixture.support, facts: SystemFacts(), request: request,
                             say: { line in lines.withLock { $0.append(line) } }, progress: { _ in })
        run.onStreaming = during
        return run.run(into: text)
    }

    @Test("a command's run is streamed with its header, and tracefs is as it was after it exits")
    func commandEnds() throws {
        let fixture = try CaptureFixture()
        let fake = fixture.fake
        let outcome = try capture(fixture, fixture.request(command: ["/bin/sh", "-c", "sleep 0.3; exit 3"])) {
            fake.emit("dmajournal", "dma_iova_try_alloc", Self.allocLine)
            fake.emit("iommu", "map", Self.mapLine)
            fake.emit("sched", "sched_switch", "not enabled: never recorded")
        }
        #expect(outcome.error == nil)
        #expect(outcome.stopReason == .commandEnded("exited with status 3"))
        #expect(outcome.commandStatus == 3)
        #expect(outcome.events == 2)
        #expect(outcome.teardownProblems.isEmpty)
        #expect(fixture.changed().isEmpty)
        #expect(!fixture.recordExists)
        let text = fixture.textContents
        #expect(text.hasPrefix("# kernel "))
        #expect(text.contains("| fprobe events with BTF argument names | events: dma:* iommu:* dmajournal:* |"))
        #expect(text.contains("# probe defined: f:dmajournal/dma_iova_link dma_iova_link dev=dev->kobj.name:string"))
        #expect(text.contains(Self.allocLine + "\n" + Self.mapLine + "\n"))
        #expect(!text.contains("never recorded"))
        #expect(text.contains("# capture ended: the command exited with status 3"))
    }

    @Test("SIGINT ends a capture without a command: drained, torn down, reason said")
    func sigint() throws {
        let fixture = try CaptureFixture()
        let fake = fixture.fake
        let outcome = try capture(fixture, fixture.request()) {
            fake.emit("iommu", "map", Self.mapLine)
            BackgroundThread { usleep(100_000); kill(getpid(), SIGINT) }.detachForTest()
        }
        #expect(outcome.stopReason == .signal(SIGINT))
        #expect(outcome.events == 1)
        #expect(outcome.teardownProblems.isEmpty)
        #expect(fixture.changed().isEmpty)
        #expect(!fixture.recordExists)
        #expect(fixture.textContents.contains("# capture ended: SIGINT received"))
    }

    @Test("SIGINT sent to the capture alone is passed on to the command, which is waited for")
    func sigintCommand() throws {
        let fixture = try CaptureFixture()
        let outcome = try capture(fixture, fixture.request(command: ["/bin/sleep", "30"])) {
            BackgroundThread { usleep(200_000); kill(getpid(), SIGINT) }.detachForTest()
        }
        #expect(outcome.stopReason == .signal(SIGINT))
        #expect(outcome.commandStatus == 128 + SIGINT)
        #expect(outcome.seconds < 3)
        #expect(fixture.changed().isEmpty)
    }

    @Test("SIGTERM ends the capture and is passed on to the command, which is waited for")
    func sigterm() throws {
        let fixture = try CaptureFixture()
        let outcome = try capture(fixture, fixture.request(command: ["/bin/sleep", "30"])) {
            BackgroundThread { usleep(200_000); kill(getpid(), SIGTERM) }.detachForTest()
        }
        #expect(outcome.stopReason == .signal(SIGTERM))
        #expect(outcome.commandStatus == 128 + SIGTERM)
        #expect(outcome.teardownProblems.isEmpty)
        #expect(fixture.changed().isEmpty)
        #expect(!fixture.recordExists)
    }

    @Test("the duration ends the capture and the command still running")
    func duration() throws {
        let fixture = try CaptureFixture()
        let outcome = try capture(fixture, fixture.request(command: ["/bin/sleep", "30"], duration: 0.3))
        #expect(outcome.stopReason == .duration)
        #expect(outcome.commandStatus == 128 + SIGTERM)
        #expect(fixture.changed().isEmpty)
    }

    @Test("an error in setup: the error is reported after the teardown, nothing is left")
    func setupError() throws {
        let fixture = try CaptureFixture()
        fixture.fake.failNextWrite["instances/dmajournal/events/dmajournal/enable"] = EIO
        let outcome = try capture(fixture, fixture.request(command: ["/bin/true"]))
        #expect(outcome.error?.description.contains("events/dmajournal/enable") == true)
        #expect(outcome.commandStatus == nil)   // never started
        #expect(outcome.teardownProblems.isEmpty)
        #expect(fixture.changed().isEmpty)
        #expect(!fixture.recordExists)
    }

    @Test("a command that cannot start is an error, and tracefs is put back")
    func commandError() throws {
        let fixture = try CaptureFixture()
        let outcome = try capture(fixture, fixture.request(command: ["/no/such/program"]))
        #expect(outcome.error?.description.contains("cannot run /no/such/program") == true)
        #expect(fixture.changed().isEmpty)
    }

    @Test("a record left by a killed capture stops the next one before it changes anything")
    func recordExists() throws {
        let fixture = try CaptureFixture()
        _ = FileManager.default.createFile(atPath: fixture.recordPath, contents: Data((ChangeRecord.magic + "\npid 1\n").utf8))
        let outcome = try capture(fixture, fixture.request(command: ["/bin/true"]))
        #expect(outcome.error == .recordExists(path: fixture.recordPath))
        #expect(fixture.changed().isEmpty)
    }

    @Test("events lost by the ring buffer are counted from the per-CPU stats and the pipe's LOST lines")
    func lostEvents() throws {
        let fixture = try CaptureFixture()
        let fake = fixture.fake
        let outcome = try capture(fixture, fixture.request(command: ["/bin/sh", "-c", "sleep 0.3"])) {
            fake.setOverrun(7, array: "instances/dmajournal/", cpu: 1)
            fake.emit("iommu", "map", "CPU:1 [LOST 5 EVENTS]")
        }
        #expect(outcome.lostEvents == 12)
        #expect(fixture.textContents.contains("# trace stats cpu1: entries: 0;overrun: 7;"))
        #expect(fixture.changed().isEmpty)
    }

    @Test("a killed capture (no teardown) is undone by cleanup from its record")
    func killedThenCleanup() throws {
        let fixture = try CaptureFixture()
        let record = try ChangeRecord(creating: fixture.recordPath, tracefsRoot: fixture.fake.root, ownerPID: 999_999)
        let session = TracefsSession(files: fixture.fake, record: record)
        try session.setUp(CaptureOptions(), support: fixture.support)
        try session.startTracing()
        let pipe = try session.openPipe()
        record.close()
        pipe.close()   // the kernel closes a killed process's files
        #expect(!fixture.changed().isEmpty)

        let contents = try ChangeRecord.load(String(contentsOfFile: fixture.recordPath, encoding: .utf8), path: fixture.recordPath)
        #expect(Cleanup.liveOwner(of: contents) == nil)
        let report = Cleanup.run(files: fixture.fake, contents: contents, options: CaptureOptions())
        #expect(report.problems.isEmpty)
        #expect(report.done.first == "undid the \(contents.changes.count) changes recorded by capture pid 999999")
        #expect(fixture.changed().isEmpty)
    }

    @Test("cleanup without a record removes our instance and probe group, and nothing of the user's")
    func cleanupWithoutRecord() throws {
        let fixture = try CaptureFixture()
        try fixture.fake.makeDirectory("instances/dmajournal")
        for (_, line) in ProbeDefinitions.lines(.kprobe(.x86_64)) { try fixture.fake.append("dynamic_events", line) }
        try fixture.fake.write("events/dmajournal/dma_iova_link/enable", "1")
        let report = Cleanup.run(files: fixture.fake, contents: nil, options: CaptureOptions())
        #expect(report.problems.isEmpty)
        #expect(report.done.count == 13)
        #expect(fixture.changed().isEmpty)
        #expect(try fixture.fake.read("dynamic_events").contains("p:user/my_read vfs_read"))
    }
}

extension BackgroundThread {
    /// Lets the thread run on its own (a test's helper that ends by itself).
    func detachForTest() { _ = Unmanaged.passRetained(self) }
}
