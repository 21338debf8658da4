import DMASim
import Testing
@testable import Journal

@Suite struct JournalReaderTests {
    @Test func scenarioCoversEveryOpKind() {
        let kinds = Set(Scenarios.everyKind.map(\.kind))
        #expect(kinds == Set(OpKind.allCases))
    }

    /// Every op kind comes back as the identical `Op`, with the outcome the engine gave.
    @Test func everyOpKindRoundTrips() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("every.db")
        let claimed = { (sequence: Int) in sequence % 3 == 0 ? "ok iova=0x\(sequence)" : nil }
        let outcomes = try Recording.record(Scenarios.everyKind, to: path, batchSize: 7, sourceLines: true, claims: claimed)
        let recorded = try JournalReader(path: path).readAll()
        #expect(recorded.count == Scenarios.everyKind.count)
        for (index, entry) in recorded.enumerated() {
            #expect(entry.seq == index)
            #expect(entry.op == Scenarios.everyKind[index])
            #expect(entry.outcome == RecordedOutcome(outcomes[index]), "op \(index) \(entry.op.kind)")
            #expect(entry.sourceLine == index + 1)
            #expect(entry.claims == claimed(index))
        }
    }

    @Test func scenarioExercisesTheOutcomeColumns() throws {
        let outcomes = Engine().apply(Scenarios.everyKind)
        let statuses = Set(outcomes.map { StatusKind($0.status) })
        #expect(statuses == Set(StatusKind.allCases))
        #expect(outcomes.contains { !$0.ranges.isEmpty } && outcomes.contains { !$0.events.isEmpty })
        #expect(outcomes.contains { !$0.findings.isEmpty } && outcomes.contains { !$0.warnings.isEmpty })
        #expect(outcomes.contains { $0.digest != nil })
    }

    @Test func runInfoTopologyAndCursorFromASequence() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("every.db")
        try Recording.record(Scenarios.everyKind, to: path)
        let reader = try JournalReader(path: path)
        #expect(reader.run == Recording.run)
        #expect(reader.schemaVersion == SchemaMigrator.latestVersion)
        #expect(reader.isFinished)
        #expect(reader.opCount == Scenarios.everyKind.count)
        #expect(reader.lastCommittedSequence == Scenarios.everyKind.count - 1)
        // The rejected second declaration of nvme0 is not part of the machine.
        #expect(try reader.topology() == Array(Scenarios.everyKind[0..<10]))
        let text = try reader.topologyText()
        #expect(text.hasPrefix("region shm0 base=0x100000000000 size=0x10000000000 kind=shared\n"))
        // 16K granule: block PTEs of 32M by default (the ARM LPAE size one level up).
        #expect(text.contains("iommu vmmu mode=lazy granule=0x4000 page-sizes=0x2004000 aperture-bits=40 needs-sync-map fq-size=512 forcedac"))
        #expect(text.contains("device nic0 iommu=vmmu dma-bits=48 noncoherent untrusted bus=platform group=g1"))
        let tail = try reader.makeCursor(fromSequence: 30).all()
        #expect(tail.map(\.seq) == Array(30..<Scenarios.everyKind.count))
        #expect(tail.first?.op == Scenarios.everyKind[30])
    }

    /// A cursor keeps its connection: it outlives the reader that made it.
    @Test func cursorOutlivesItsReader() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("machine.db")
        try Recording.record(Scenarios.machine, to: path)
        let cursor = try JournalReader(path: path).makeCursor()
        #expect(try cursor.all().map(\.op) == Scenarios.machine)
    }
}
