import DMASim
import OpScript
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
        let claimed = { (sequence: Int) -> [Claim] in sequence % 3 == 0 ? [.ok, .iova(UInt64(sequence))] : [] }
        let outcomes = try Recording.record(Scenarios.everyKind, to: path, batchSize: 7, sourceLines: true, claims: claimed)
        let recorded = try JournalReader(path: path).readAll()
        #expect(recorded.count == Scenarios.everyKind.count)
        for (index, entry) in recorded.enumerated() {
            #expect(entry.seq == index)
            #expect(entry.op == Scenarios.everyKind[index])
            #expect(entry.outcome == RecordedOutcome(outcomes[index]), "op \(index) \(entry.op.kind)")
            #expect(entry.sourceLine == index + 1)
            #expect(entry.claims == (index % 3 == 0 ? Claim.text(of: claimed(index)) : nil))
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
        // The writer draws the journal's id (schema 16) when the caller gives none.
        var expected = Recording.run
        expected.journalID = reader.run.journalID
        #expect(reader.run == expected)
        #expect(JournalID.isWellFormed(reader.run.journalID ?? ""))
        #expect(reader.schemaVersion == SchemaMigrator.latestVersion)
        #expect(reader.isFinished)
        #expect(reader.opCount == Scenarios.everyKind.count)
        #expect(reader.lastCommittedSequence == Scenarios.everyKind.count - 1)
        // The rejected second declaration of nvme0 is not part of the machine.
        #expect(try reader.topology() == Array(Scenarios.everyKind[0..<10]))
        let text = try reader.topologyText()
        #expect(text.hasPrefix("region shm0 base=0x100000000000 size=0x10000000000 kind=shared\n"))
        // 16K granule: block PTEs of 32M by default (the ARM LPAE size one level up).
        #expect(text.contains("iommu vmmu mode=lazy granule=0x4000 page-sizes=0x2004000 aperture-bits=40 needs-sync-map fq-size=512 fq-timer=explicit forcedac"))
        #expect(text.contains("device nic0 iommu=vmmu dma-bits=48 noncoherent untrusted bus=platform group=g1"))
        let tail = try reader.makeCursor(fromSequence: 30).all()
        #expect(tail.map(\.seq) == Array(30..<Scenarios.everyKind.count))
        #expect(tail.first?.op == Scenarios.everyKind[30])
    }

    /// `dma_set_min_align_mask()` and `swiotlb=noforce` (schema 10) come back as ops and as
    /// the `topology_lines` view's text.
    @Test func minAlignMaskAndNoforceRoundTrip() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("noforce.db")
        let ops: [Op] = [
            .region(RegionSpec(name: "ram0", base: 0x10_0000, sizeBytes: 1 << 30, kind: .ram)),
            .iommu(IOMMUSpec(name: "mmu0", mode: .strict)),
            .device(DeviceSpec(name: "nvme0", iommu: "mmu0", untrusted: true, minAlignMask: 0xFFF)),
            .swiotlb(.noForce),
        ]
        try Recording.record(ops, to: path)
        let reader = try JournalReader(path: path)
        #expect(try reader.topology() == ops)
        let text = try reader.topologyText()
        #expect(text.contains("device nvme0 iommu=mmu0 dma-bits=64 coherent untrusted min-align-mask=0xfff\n"))
        #expect(text.hasSuffix("\nswiotlb noforce"))
    }

    /// A device whose driver set `pci_dev->untrusted` in its probe, after
    /// `iommu_probe_device()` chose its domain, comes back as `untrusted-at-probe`, and the
    /// `topology_lines` view spells it so (schema 23), beside a device untrusted from
    /// enumeration.
    @Test func untrustedAtProbeRoundTripsAndTheViewSpellsIt() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("at-probe.db")
        let atProbe = DeviceSpec(name: "edu0", iommu: "mmu0", untrustedAtProbe: true)
        let ops: [Op] = [
            .region(RegionSpec(name: "ram0", base: 0x10_0000, sizeBytes: 1 << 30, kind: .ram)),
            .iommu(IOMMUSpec(name: "mmu0", mode: .strict)),
            .device(atProbe),
            .device(DeviceSpec(name: "tb0", iommu: "mmu0", untrusted: true)),
        ]
        try Recording.record(ops, to: path)
        let reader = try JournalReader(path: path)
        #expect(try reader.topology() == ops)
        let text = try reader.topologyText()
        #expect(text.contains("device edu0 iommu=mmu0 dma-bits=64 coherent untrusted-at-probe\n"))
        #expect(text.hasSuffix("device tb0 iommu=mmu0 dma-bits=64 coherent untrusted"))
    }

    /// The machine line, each op's CPU and time, and `advance` come back as recorded, and
    /// the columns and views show them (schema 8).
    @Test func cpusTimesAndTheMachineRoundTrip() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("timed.db")
        let outcomes = try Recording.record(Scenarios.timed, to: path)
        let reader = try JournalReader(path: path)
        #expect(try reader.readAll().map(\.op) == Scenarios.timed)
        #expect(try reader.readAll().map(\.outcome) == outcomes.map(RecordedOutcome.init))
        #expect(try reader.topology().first == Scenarios.timed[0])
        #expect(try reader.topologyText().hasPrefix("machine arch=arm64 kernel=6.16 cpus=4 hz=1000\nregion shm0 "))
        let runner = try QueryRunner(path: path)
        let rows = try runner.run("SELECT seq, kind, cpu, time_ns, time, length, status FROM op_log WHERE seq >= 4 ORDER BY seq")
        #expect(rows.rows == [
            [.integer(4), .text("alloc"), .integer(2), .integer(1_000_000), .text("0.001000"), .integer(8192), .text("ok")],
            [.integer(5), .text("link"), .integer(2), .integer(1_000_250), .text("0.001000"), .integer(8192), .text("ok")],
            [.integer(6), .text("sync"), .integer(3), .integer(1_000_500), .text("0.001000"), .integer(8192), .text("ok")],
            [.integer(7), .text("destroy"), .integer(1), .integer(2_000_000), .text("0.002000"), .integer(8192), .text("ok")],
            [.integer(8), .text("advance"), .integer(0), .null, .null, .integer(20_000_000), .text("ok")],
            [.integer(9), .text("dev-read"), .integer(4), .null, .null, .integer(64), .text("rejected")],
            [.integer(10), .text("dev-read"), .integer(0), .integer(1_000_000), .text("0.001000"), .integer(64), .text("rejected")],
        ])
        let reasons = try runner.run("SELECT reason FROM rejections ORDER BY seq").rows
        #expect(reasons == [
            [.text("cpu 4 is not online: the machine has 4 CPUs (machine cpus=N)")],
            [.text("time 1ms is before the clock (22ms): time must not go backwards")],
        ])
        #expect(try runner.run("SELECT name FROM op_kind WHERE code IN (24, 25) ORDER BY code").rows == [[.text("machine")], [.text("advance")]])
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
