import Foundation
import Journal
import Testing
@testable import Export

/// `PerfettoExporter` on recorded journals: a valid trace-event file whose slices and
/// instants are the journal's rows, at the journal's virtual times.
@Suite struct PerfettoExporterTests {
    /// Exports `journal` and returns the parsed events with the summary.
    static func export(_ journal: String, window: ClosedRange<Int64>? = nil) throws -> (data: Data, events: [[String: Any]], summary: PerfettoExporter.Summary) {
        let path = TestJournal.temporaryPath("trace.json")
        let summary = try PerfettoExporter(journalPath: journal, window: window).export(to: try TextOutput(path: path))
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return (data, try #require(object["traceEvents"] as? [[String: Any]]), summary)
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

    /// Every mapped range is one X slice at ts = mapped_seq µs lasting until its unmap
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
            #expect(TraceEventValidator.number(slice["ts"]) == Double(mapped))
            #expect(TraceEventValidator.number(slice["dur"]) == Double(end - mapped))
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
        let faults = Self.events(events, phase: "i", category: "fault")
        #expect(faults.count == Int(try runner.integer("SELECT count(*) FROM ops WHERE fault_kind IS NOT NULL") ?? -1))
        #expect(faults.count == 3)
        let afterUnmap = faults.first { ($0["args"] as? [String: Any])?["verdict"] as? String == "after-unmap" }
        #expect(TraceEventValidator.number(afterUnmap?["ts"]) == 11)
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

    /// Four mappings live at once on one device need four lanes, and no more.
    @Test func overlappingMappingsGetAsManyLanesAsAreLive() throws {
        let journal = try TestJournal.record(TestJournal.overlapping(count: 40, inFlight: 4))
        let trace = try Self.export(journal)
        #expect(TraceEventValidator.problems(in: trace.data) == [])
        #expect(trace.summary.mappingSlices == 40)
        #expect(trace.summary.lanes == 5)  // destroy happens after the fifth link
    }

    /// A window keeps the ops in it and cuts mappings alive across its edges.
    @Test func aWindowCutsTheTrace() throws {
        let journal = try TestJournal.record(TestJournal.twoDevices)
        let trace = try Self.export(journal, window: 8...12)
        #expect(TraceEventValidator.problems(in: trace.data) == [])
        let stamps = trace.events.filter { $0["ph"] as? String != "M" }.compactMap { TraceEventValidator.number($0["ts"]) }
        #expect(stamps.allSatisfy { (8...12).contains($0) })
        let slices = Self.events(trace.events, phase: "X")
        #expect(slices.count == 2)  // s1's two ranges, mapped at 6 and 7, unmapped at 10
        #expect(slices.allSatisfy { TraceEventValidator.number($0["ts"]) == 8 && TraceEventValidator.number($0["dur"]) == 2 })
        #expect(Self.events(trace.events, phase: "i", category: "fault").count == 1)  // seq 11
    }
}
