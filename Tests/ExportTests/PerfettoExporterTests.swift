import Foundation
import Journal
import Testing
@testable import Export

/// `PerfettoExporter` on recorded journals: a valid trace-event file whose slices and
/// instants are the journal's rows, at the journal's virtual times.
@Suite struct PerfettoExporterTests {
    /// Exports `journal` and returns the parsed events with the summary.
    static func export(_ journal: String, window: ClosedRange<Int64>? = nil, time: TimeBaseChoice = .automatic) throws
        -> (data: Data, events: [[String: Any]], summary: PerfettoExporter.Summary, object: [String: Any]) {
        let path = TestJournal.temporaryPath("trace.json")
        let summary = try PerfettoExporter(journalPath: journal, time: time, window: window).export(to: try TextOutput(path: path))
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return (data, try #require(object["traceEvents"] as? [[String: Any]]), summary, object)
    }

    /// A trace time (µs) in whole nanoseconds.
    static func nanoseconds(_ value: Any?) -> Int64? {
        TraceEventValidator.number(value).map { Int64(($0 * 1000).rounded()) }
    }

    static func events(_ events: [[String: Any]], phase: String, category: String? = nil) -> [[String: Any]] {
        events.filter { $0["ph"] as? String == phase && (category == nil || $0["cat"] as? String == category) }
    }

    @Test func theTraceIsValidTraceEventJSON() throws {
        let journal = try TestJournal.record(TestJournal.twoDevices)
        let trace = try Self.export(journal)
        #expect(TraceEventValidator.problems(in: trace.data) == [])
        #expect(trace.summary.events == trace.events.count)
    }

    /// Every mapped range is one X slice at ts = mapped_seq ns lasting until its unmap
    /// (or the journal's end), with IOVA and physical range in its args.
    @Test func mappingSlicesAreTheMappingSpans() throws {
        let journal = try TestJournal.record(TestJournal.twoDevices)
        let spans = try QueryRunner(path: journal).run("""
            SELECT mapped_seq, coalesce(unmapped_seq, (SELECT max(seq) + 1 FROM ops)), printf('0x%x', iova), printf('0x%x', phys), length, handle
            FROM mapping_spans ORDER BY mapped_seq, idx
            """).rows
        let slices = Self.events(try Self.export(journal).events, phase: "X", category: "mapping")
        #expect(slices.count == spans.count)
        #expect(spans.count == 5)
        for (slice, span) in zip(slices, spans) {
            guard case .integer(let mapped) = span[0], case .integer(let end) = span[1], case .text(let iova) = span[2],
                  case .text(let phys) = span[3], case .integer(let length) = span[4], case .text(let handle) = span[5] else {
                Issue.record("unexpected row \(span)")
                continue
            }
            let args = slice["args"] as? [String: Any]
            #expect(Self.nanoseconds(slice["ts"]) == mapped)
            #expect(Self.nanoseconds(slice["dur"]) == end - mapped)
            #expect(args?["iova"] as? String == iova)
            #expect(args?["phys"] as? String == phys)
            #expect(args?["length"] as? Int == Int(length))
            #expect(args?["handle"] as? String == handle)
        }
    }

    @Test func faultsFindingsAndSideEventsAreInstants() throws {
        let journal = try TestJournal.record(TestJournal.twoDevices)
        let runner = try QueryRunner(path: journal)
        let events = try Self.export(journal).events
        // A fault is a zero-length slice, the only kind a flow arrow can point at.
        let faults = Self.events(events, phase: "X", category: "fault")
        #expect(faults.allSatisfy { TraceEventValidator.number($0["dur"]) == 0 })
        #expect(faults.count == Int(try runner.integer("SELECT count(*) FROM ops WHERE fault_kind IS NOT NULL") ?? -1))
        #expect(faults.count == 3)
        let afterUnmap = faults.first { ($0["args"] as? [String: Any])?["verdict"] as? String == "after-unmap" }
        #expect(Self.nanoseconds(afterUnmap?["ts"]) == 11)
        let findings = Self.events(events, phase: "i", category: "finding")
        #expect(findings.count == Int(try runner.integer("SELECT count(*) FROM findings") ?? -1))
        #expect(findings.allSatisfy { $0["s"] as? String == "p" })
        let sideEvents = events.filter { $0["ph"] as? String == "i" && !["fault", "finding", "kernel"].contains($0["cat"] as? String ?? "") }
        let expected = try runner.integer("SELECT count(*) FROM events e JOIN event_kind k ON k.code = e.kind WHERE k.name <> 'kernel-warning'")
        #expect(sideEvents.count == Int(expected ?? -1))
        #expect(sideEvents.contains { $0["name"] as? String == "iotlb-invalidate" && $0["cat"] as? String == "iotlb" })
    }

    /// Each device and IOMMU is a named process; its threads are named too.
    @Test func processesAndThreadsAreNamed() throws {
        let journal = try TestJournal.record(TestJournal.twoDevices)
        let events = try Self.export(journal).events
        let metadata = Self.events(events, phase: "M")
        let processes = metadata.filter { $0["name"] as? String == "process_name" }.compactMap { ($0["args"] as? [String: Any])?["name"] as? String }
        #expect(processes == ["device nvme0", "device nic0", "iommu mmu0", "iommu mmu1", "cpu"])
        let named = Set(metadata.filter { $0["name"] as? String == "thread_name" }.compactMap { TraceEventValidator.number($0["tid"]) })
        let used = Set(events.filter { $0["ph"] as? String != "M" }.compactMap { TraceEventValidator.number($0["tid"]) })
        #expect(used.isSubset(of: named))
    }

    /// Overlapping IOVA states each get a track of their own, where the range each link
    /// mapped nests inside the state's life (alloc to destroy): no extra lanes.
    @Test func eachStateIsATrackWithItsRangesNested() throws {
        let journal = try TestJournal.record(TestJournal.overlapping(count: 40, inFlight: 4))
        let trace = try Self.export(journal)
        #expect(TraceEventValidator.problems(in: trace.data) == [])
        #expect(trace.summary.mappingSlices == 40)
        #expect(trace.summary.lifeSlices == 40)
        #expect(trace.summary.handleTracks == 40)
        #expect(trace.summary.unnestedRanges == 0)
        let names = Self.events(trace.events, phase: "M").filter { $0["name"] as? String == "thread_name" }
        let tidOfS7 = try #require(names.first { ($0["args"] as? [String: Any])?["name"] as? String == "s7" }?["tid"])
        let onS7 = Self.events(trace.events, phase: "X").filter { TraceEventValidator.number($0["tid"]) == TraceEventValidator.number(tidOfS7) }
        #expect(onS7.map { $0["cat"] as? String } == ["iova-state", "mapping"])
        let life = onS7[0], range = onS7[1]
        let lifeStart = try #require(Self.nanoseconds(life["ts"])), lifeEnd = lifeStart + (Self.nanoseconds(life["dur"]) ?? 0)
        let rangeStart = try #require(Self.nanoseconds(range["ts"])), rangeEnd = rangeStart + (Self.nanoseconds(range["dur"]) ?? 0)
        #expect(lifeStart < rangeStart && rangeEnd <= lifeEnd)
        #expect((life["args"] as? [String: Any])?["ended_by"] as? String == "destroy")
    }

    /// A link still mapped after its state was destroyed cannot nest in the state's life:
    /// it gets a second lane of the handle's track, and the summary counts it.
    @Test func aRangeThatOutlivesItsStateGetsASecondLane() throws {
        let journal = try TestJournal.record("""
            region shm0 base=0x100000000000 size=1T kind=shared
            iommu  mmu0 mode=strict
            device nvme0 iommu=mmu0 dma-bits=64 coherent
            alloc  s1 dev=nvme0 phys=0x100000000000 size=16K
            link   s1 off=0 phys=0x100000000000 len=16K dir=to-device
            free   s1
            dev-read nvme0 addr=s1+0 len=4K
            """)
        let trace = try Self.export(journal)
        #expect(TraceEventValidator.problems(in: trace.data) == [])
        #expect(trace.summary.lifeSlices == 1)
        #expect(trace.summary.mappingSlices == 1)
        #expect(trace.summary.unnestedRanges == 1)
        let names = Self.events(trace.events, phase: "M").filter { $0["name"] as? String == "thread_name" }
            .compactMap { ($0["args"] as? [String: Any])?["name"] as? String }
        #expect(names.contains("s1") && names.contains("s1 (2)"))
        let range = try #require(Self.events(trace.events, phase: "X", category: "mapping").first)
        #expect((range["name"] as? String)?.contains("still mapped after s1 ended") == true)
    }

    /// A fault gets a flow arrow from the mapped range that last covered its address
    /// (`fault_history`): the range's slice has flow_out, the fault's flow_in, one bind_id.
    @Test func aFaultHasAFlowFromTheRangeThatLastCoveredIt() throws {
        let journal = try TestJournal.record(TestJournal.twoDevices)
        let trace = try Self.export(journal)
        let fault = try #require(Self.events(trace.events, phase: "X", category: "fault").first {
            ($0["args"] as? [String: Any])?["verdict"] as? String == "after-unmap"
        })
        #expect(fault["flow_in"] as? Bool == true)
        let id = try #require(TraceEventValidator.number(fault["bind_id"]))
        let sources = Self.events(trace.events, phase: "X", category: "mapping").filter { TraceEventValidator.number($0["bind_id"]) == id }
        #expect(sources.count == 1)
        #expect(sources.first?["flow_out"] as? Bool == true)
        // seq 11 reads s1+0 after destroy: the range s1's first link mapped at seq 6.
        #expect((sources.first?["args"] as? [String: Any])?["mapped_seq"] as? Int == 6)
        // The fault at seq 25 hit an address never mapped: no arrow.
        let neverMapped = Self.events(trace.events, phase: "X", category: "fault").first { Self.nanoseconds($0["ts"]) == 25 }
        #expect(neverMapped != nil && neverMapped?["bind_id"] == nil)
        #expect(trace.summary.faultFlows == 2)  // seq 11 (after unmap) and 15 (direction, s2 still mapped)
    }

    /// Op order: 1 op = 1 ns, shown in ns; the metadata says which time the trace uses.
    @Test func withoutKernelTimeOpsAreAtTheirSeq() throws {
        let trace = try Self.export(try TestJournal.record(TestJournal.twoDevices))
        #expect(trace.object["displayTimeUnit"] as? String == "ns")
        #expect(((trace.object["otherData"] as? [String: Any])?.values.compactMap { $0 as? String } ?? []).contains { $0.hasPrefix("op order") })
    }

    /// Ops that carry the kernel's clock (`time=`, `advance`) are placed at it: a range
    /// mapped at 12.094264 s and unmapped 10 ms later lasts 10 ms on the trace.
    static let timedScript = """
        region shm0 base=0x100000000000 size=1T kind=shared
        iommu  mmu0 mode=strict
        device nvme0 iommu=mmu0 dma-bits=64 coherent
        alloc  s1 dev=nvme0 phys=0x100000000000 size=8K time=12.094264s
        link   s1 off=0 phys=0x100000000000 len=8K dir=to-device time=12.094265s
        dev-read nvme0 addr=s1+0 len=4K
        advance 10ms
        destroy s1 mapped=8K dir=to-device
        free   s1
        dev-read nvme0 addr=s1+0 len=4K time=12.2s
        """

    @Test func opsWithKernelTimeAreAtThatTime() throws {
        let trace = try Self.export(try TestJournal.record(Self.timedScript))
        #expect(TraceEventValidator.problems(in: trace.data) == [])
        #expect(trace.object["displayTimeUnit"] as? String == "ms")
        let range = try #require(Self.events(trace.events, phase: "X", category: "mapping").first)
        #expect(Self.nanoseconds(range["ts"]) == 12_094_265_000)
        // Linked at 12.094265 s; the read after it runs at that clock, the advance moves
        // it 10 ms on, and the destroy runs there.
        #expect(Self.nanoseconds(range["dur"]) == 10_000_000)
        let fault = try #require(Self.events(trace.events, phase: "X", category: "fault").first)
        #expect(Self.nanoseconds(fault["ts"]) == 12_200_000_000)
        // --time ops puts the same ops at their seq.
        let byOrder = try Self.export(try TestJournal.record(Self.timedScript), time: .ops)
        #expect(Self.nanoseconds(Self.events(byOrder.events, phase: "X", category: "mapping").first?["ts"]) == 4)
    }

    /// `--time kernel` on a journal whose ops carry no time is refused with the reason.
    @Test func kernelTimeWithoutTimesIsRefused() throws {
        let journal = try TestJournal.record(TestJournal.twoDevices)
        #expect(throws: ExportError.noKernelTime(path: journal)) {
            _ = try PerfettoExporter(journalPath: journal, time: .kernel).export(to: try TextOutput(path: TestJournal.temporaryPath("trace.json")))
        }
    }

    /// A window keeps the ops in it and cuts mappings alive across its edges.
    @Test func aWindowCutsTheTrace() throws {
        let journal = try TestJournal.record(TestJournal.twoDevices)
        let trace = try Self.export(journal, window: 8...12)
        #expect(TraceEventValidator.problems(in: trace.data) == [])
        let stamps = trace.events.filter { $0["ph"] as? String != "M" }.compactMap { Self.nanoseconds($0["ts"]) }
        #expect(stamps.allSatisfy { (8...12).contains($0) })
        let slices = Self.events(trace.events, phase: "X", category: "mapping")
        #expect(slices.count == 2)  // s1's two ranges, mapped at 6 and 7, unmapped at 10
        #expect(slices.allSatisfy { Self.nanoseconds($0["ts"]) == 8 && Self.nanoseconds($0["dur"]) == 2 })
        #expect(Self.events(trace.events, phase: "X", category: "fault").count == 1)  // seq 11
    }
}
