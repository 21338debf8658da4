import Foundation
import Testing
@testable import Capture

@Suite("TracefsSession: setup in an instance of its own, teardown to exactly what was there")
struct TracefsSessionTests {
    @Test("setup defines the twelve probes and enables dma, iommu and the probes in the instance only")
    func setupInInstance() throws {
        let fixture = try CaptureFixture()
        let session = try fixture.session()
        try session.setUp(CaptureOptions(), support: fixture.support)

        #expect(session.probeStyle == .fprobe)
        #expect(session.traceArray == "instances/dmajournal/")
        #expect(session.enabled == ["dma:*", "iommu:*", "dmajournal:*"])
        let defined = try fixture.fake.read("dynamic_events")
        #expect(ProbeListing.lines(defined).filter { ProbeListing.group(of: $0) == "dmajournal" }.count == 12)
        #expect(try fixture.fake.read("instances/dmajournal/events/dma/enable") == "1\n")
        #expect(try fixture.fake.read("instances/dmajournal/events/dmajournal/dma_iova_link/enable") == "1\n")
        #expect(try fixture.fake.read("instances/dmajournal/tracing_on") == "0\n")
        // The top level is the user's: only the probe events appeared there, disabled.
        #expect(try fixture.fake.read("events/dma/enable") == "0\n")
        #expect(try fixture.fake.read("events/dmajournal/dma_iova_link/enable") == "0\n")
        #expect(try fixture.fake.read("current_tracer") == "function\n")

        let problems = session.tearDown()
        #expect(problems.isEmpty)
        #expect(fixture.changed().isEmpty)
        #expect(!fixture.recordExists)
    }

    @Test("the record lists every change before it is made, in order")
    func recordOrder() throws {
        let fixture = try CaptureFixture()
        let session = try fixture.session()
        try session.setUp(CaptureOptions(), support: fixture.support)
        let contents = try ChangeRecord.load(String(contentsOfFile: fixture.recordPath, encoding: .utf8), path: fixture.recordPath)
        #expect(contents.ownerPID == getpid())
        #expect(contents.tracefsRoot == fixture.fake.root)
        #expect(contents.changes.first == .createdInstance(path: "instances/dmajournal"))
        #expect(contents.changes.contains(.setValue(path: "instances/dmajournal/tracing_on", old: "1")))
        #expect(contents.changes.filter { if case .definedProbe = $0 { return true } else { return false } }.count == 12)
        #expect(contents.changes.last == .setValue(path: "instances/dmajournal/events/dmajournal/enable", old: "0"))
        #expect(session.tearDown().isEmpty)
    }

    @Test("without an instance, the top level's settings and the user's mixed events come back exactly")
    func topLevel() throws {
        let fixture = try CaptureFixture()
        var options = CaptureOptions()
        options.useInstance = false
        options.bufferKilobytes = 4096
        let session = try fixture.session()
        try session.setUp(options, support: fixture.support)
        try session.startTracing()
        #expect(try fixture.fake.read("current_tracer") == "nop\n")
        #expect(try fixture.fake.read("events/iommu/enable") == "1\n")
        #expect(try fixture.fake.read("buffer_size_kb") == "4096\n")
        #expect(try fixture.fake.read("tracing_on") == "1\n")
        session.stopTracing()
        #expect(session.tearDown().isEmpty)
        // iommu:map was on and the rest of iommu off ("X"): each event is back as it was.
        #expect(try fixture.fake.read("events/iommu/map/enable") == "1\n")
        #expect(try fixture.fake.read("events/iommu/unmap/enable") == "0\n")
        // A top-level buffer not yet allocated reads "7 (expanded: 1408)"; once resized it
        // is allocated, and putting back its size leaves it so (ring_buffer_expanded).
        #expect(fixture.changed() == ["buffer_size_kb: 7 (expanded: 1408)\n -> 1408\n"])
    }

    @Test("a leftover instance or probe group stops a second capture before it changes anything")
    func leftovers() throws {
        let fixture = try CaptureFixture()
        try fixture.fake.makeDirectory("instances/dmajournal")
        let session = try fixture.session()
        #expect(throws: CaptureError.self) { try session.checkLeftovers(CaptureOptions()) }
        try fixture.fake.removeDirectory("instances/dmajournal")
        try fixture.fake.append("dynamic_events", "p:dmajournal/dma_iova_link dma_iova_link")
        let error = #expect(throws: CaptureError.self) { try session.checkLeftovers(CaptureOptions()) }
        #expect(error?.description.contains("already defines dmajournal/dma_iova_link") == true)
        session.record.remove()
    }

    @Test("fprobes refused (no BTF name) fall back to kprobes; kprobes refused leave tracepoints only, no probe behind")
    func probeFallback() throws {
        // A kernel whose README claims fprobe/BTF but whose BTF lacks the names: the
        // fake refuses f: lines with ENOENT, as 7.3.4 does for an unknown name.
        let fixture = try CaptureFixture()
        let support = fixture.support
        let session = try fixture.session()
        fixture.fake.failNextWrite["dynamic_events"] = ENOENT
        try session.setUp(CaptureOptions(), support: support)
        #expect(session.probeStyle == .kprobe(.x86_64))
        #expect(session.notes.contains { $0.contains("refused dma_iova_try_alloc (ENOENT") })
        #expect(ProbeListing.lines(try fixture.fake.read("dynamic_events")).filter { $0.hasPrefix("p:dmajournal") || $0.hasPrefix("r:dmajournal") }.count == 12)
        #expect(session.tearDown().isEmpty)
        #expect(fixture.changed().isEmpty)
    }

    @Test("a kprobe set refused halfway is removed again and the capture goes on with tracepoints")
    func refusedHalfway() throws {
        let fixture = try CaptureFixture(fprobeBTF: false)
        let session = try fixture.session()
        fixture.fake.failLater = ("dynamic_events", 4, EINVAL)
        try session.setUp(CaptureOptions(), support: fixture.support)
        #expect(session.probeStyle == nil)
        #expect(session.notes.contains { $0.contains("refused dma_iova_sync (EINVAL") })
        #expect(session.enabled == ["dma:*", "iommu:*"])
        #expect(!ProbeListing.lines(try fixture.fake.read("dynamic_events")).contains { ProbeListing.group(of: $0) == "dmajournal" })
        #expect(session.tearDown().isEmpty)
        #expect(fixture.changed().isEmpty)
    }

    @Test("a failed enable leaves the changes so far in the record, and teardown undoes them")
    func failedSetup() throws {
        let fixture = try CaptureFixture()
        let session = try fixture.session()
        fixture.fake.failNextWrite["instances/dmajournal/events/iommu/enable"] = EIO
        let error = #expect(throws: CaptureError.self) { try session.setUp(CaptureOptions(), support: fixture.support) }
        #expect(error?.description.contains("events/iommu/enable") == true)
        #expect(fixture.fake.exists("instances/dmajournal"))
        #expect(session.tearDown().isEmpty)
        #expect(fixture.changed().isEmpty)
        #expect(!fixture.recordExists)
    }

    @Test("tracepoints only when the kernel has no dma_iova_* (before 6.16): no probe is written")
    func noTwoStep() throws {
        let fixture = try CaptureFixture(functions: [])
        let session = try fixture.session()
        try session.setUp(CaptureOptions(), support: fixture.support)
        #expect(session.probeStyle == nil)
        #expect(session.notes.first?.contains("has no dma_iova_try_alloc") == true)
        #expect(session.tearDown().isEmpty)
        #expect(fixture.changed().isEmpty)
    }

    @Test("values read back for writing: brackets, buffer_size_kb's expanded size")
    func currentValue() {
        #expect(TracefsSession.currentValue("[local] global counter\n") == "local")
        #expect(TracefsSession.currentValue("7 (expanded: 1408)\n") == "1408")
        #expect(TracefsSession.currentValue("nop\n") == "nop")
    }
}
