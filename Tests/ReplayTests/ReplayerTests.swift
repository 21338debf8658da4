import DMASim
import Foundation
import Journal
import OpScript
import Replay
import TestSupport
import Testing
import Workloads

/// Replay of a recorded journal gives identical outcomes, and a changed outcome is
/// reported at its exact op with the field that differs.
@Suite struct ReplayerTests {
    /// Records `kind` (with its real outcomes) into a fresh journal.
    static func record(_ kind: WorkloadKind, opCount: Int, injections: [InjectionSpec] = []) throws -> String {
        try recordWithMarks(kind, options: WorkloadOptions(seed: 1, opCount: opCount, injections: injections)).path
    }

    /// Records a workload with its claims; returns the journal and the injected seqs.
    static func recordWithMarks(_ kind: WorkloadKind, options: WorkloadOptions) throws -> (path: String, injected: [Int]) {
        let steps = Array(try kind.generator.steps(options))
        var recording = try JournalRecording(path: JournalRecording.temporaryPath("replay"),
                                             run: RunInfo(toolVersion: "test", seed: 1, source: kind.rawValue, createdAt: "2026-01-01T00:00:00Z"))
        try recording.record(steps.map { $0.scriptLine(number: 0) }, sourceLines: false)
        return (try recording.finish(), steps.indices.filter { steps[$0].injected != nil })
    }

    @Test(arguments: WorkloadKind.allCases)
    func everyWorkloadReplaysIdentically(_ kind: WorkloadKind) throws {
        let path = try Self.record(kind, opCount: 1500)
        let reader = try JournalReader(path: path)
        let result = try Replayer(reader: reader).replay()
        #expect(result.divergence == nil)
        #expect(result.replayedCount == reader.opCount)
    }

    @Test func aJournalWithInjectedMisuseReplaysIdentically() throws {
        let path = try Self.record(.nvme, opCount: 3000, injections: [try InjectionSpec(parsing: "double-free@1000")])
        #expect(try Replayer(reader: JournalReader(path: path)).replay().divergence == nil)
    }

    @Test func aChangedDigestDivergesAtItsOp() throws {
        let path = try Self.record(.vfioMigration, opCount: 800)
        let reader = try JournalReader(path: path)
        let target = try #require(reader.readAll().first { $0.outcome.digest != nil })
        let update = Process()
        update.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        // Flip the lowest bit: SQLite has no XOR operator.
        update.arguments = [path, "UPDATE ops SET digest = (digest | 1) - (digest & 1) WHERE seq = \(target.seq)"]
        try update.run()
        update.waitUntilExit()
        #expect(update.terminationStatus == 0)
        let result = try Replayer(reader: JournalReader(path: path)).replay()
        let divergence = try #require(result.divergence)
        #expect(divergence.sequence == target.seq)
        #expect(divergence.differingFields == ["digest"])
        #expect(result.replayedCount == target.seq + 1)
    }

    @Test func replayStopsAtTheRequestedSequence() throws {
        let path = try Self.record(.rdmaODP, opCount: 500)
        let result = try Replayer(reader: JournalReader(path: path)).replay(through: 99)
        #expect(result.replayedCount == 100)
        #expect(result.divergence == nil)
    }
}
