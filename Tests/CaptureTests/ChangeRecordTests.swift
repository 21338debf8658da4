import Foundation
import Testing
@testable import Capture

@Suite("ChangeRecord: written ahead of each change, read back after a kill")
struct ChangeRecordTests {
    func path() -> String { NSTemporaryDirectory() + "record-" + UUID().uuidString }

    @Test("round trip, with values that hold spaces, percent signs and nothing")
    func roundTrip() throws {
        let file = path()
        let record = try ChangeRecord(creating: file, tracefsRoot: "/sys/kernel/tracing", ownerPID: 42)
        let changes: [Change] = [
            .mounted(path: "/sys/kernel/tracing"), .createdInstance(path: "instances/dmajournal"),
            .definedProbe(group: "dmajournal", event: "dma_iova_link"),
            .setValue(path: "options/x", old: "a b%c"), .setValue(path: "set_event", old: ""),
        ]
        for change in changes { try record.note(change) }
        record.close()
        let contents = try ChangeRecord.load(String(contentsOfFile: file, encoding: .utf8), path: file)
        #expect(contents == ChangeRecord.Contents(ownerPID: 42, tracefsRoot: "/sys/kernel/tracing", changes: changes))
        unlink(file)
    }

    @Test("a second record at the same place is refused: one capture at a time")
    func exclusive() throws {
        let file = path()
        let first = try ChangeRecord(creating: file, tracefsRoot: "/t")
        #expect(throws: CaptureError.recordExists(path: file)) { try ChangeRecord(creating: file, tracefsRoot: "/t") }
        first.remove()
        #expect(!FileManager.default.fileExists(atPath: file))
    }

    @Test("a torn last line (killed mid-write) is skipped; undone lines cancel their change")
    func torn() throws {
        let text = "\(ChangeRecord.magic)\npid 7\ntracefs /t\nprobe dmajournal/a\nprobe dmajournal/b\nundone probe dmajournal/b\nvalue instances/dmajournal/tracing_on"
        let contents = try ChangeRecord.load(text, path: "r")
        #expect(contents.changes == [.definedProbe(group: "dmajournal", event: "a")])
        #expect(throws: CaptureError.self) { try ChangeRecord.load("something else\n", path: "r") }
    }
}
