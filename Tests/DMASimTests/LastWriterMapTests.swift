import Testing
@testable import DMASim

/// Who last wrote each byte: overwrites split what they cover, device-side addresses
/// follow the bytes, and the map survives a checkpoint.
@Suite struct LastWriterMapTests {
    static func writer(_ sequence: Int, address: UInt64? = nil) -> MemoryWriter {
        MemoryWriter(sequence: sequence, op: .deviceWrite, device: "nvme0", handle: "s1", path: .deviceDMA, deviceAddress: address)
    }

    static func note(_ map: LastWriterMap, _ sequence: Int, phys: UInt64, length: UInt64, address: UInt64) {
        map.begin(.deviceWrite(DeviceWriteOp(device: "nvme0", address: .state("s1", offset: 0), length: length, fill: .zero)), sequence: sequence)
        map.note(phys: phys, length: length, path: .deviceDMA, dma: DMAWrite(device: "nvme0", handle: "s1", deviceAddress: address))
    }

    @Test func aLaterWriteInTheMiddleSplitsTheEarlierOne() {
        let map = LastWriterMap()
        Self.note(map, 1, phys: 0x1000, length: 0x400, address: 0xa000)
        Self.note(map, 2, phys: 0x1100, length: 0x100, address: 0xb000)
        let all = map.writers(of: PhysRange(phys: 0x1000, length: 0x400))
        #expect(all.writers == [Self.writer(1, address: 0xa000), Self.writer(2, address: 0xb000)])
        #expect(!all.untracked)
        // The part after the hole keeps its own device address: 0xa000 + 0x200.
        #expect(map.writers(of: PhysRange(phys: 0x1200, length: 0x10)).writers == [Self.writer(1, address: 0xa200)])
        #expect(map.segmentsOfPage[1]?.count == 3)
    }

    @Test func aWriteAcrossPagesIsOneWriterWithItsAddressCarriedOn() {
        let map = LastWriterMap()
        Self.note(map, 4, phys: 0x1f00, length: 0x200, address: 0xffffef00)
        #expect(map.writers(of: PhysRange(phys: 0x1f00, length: 0x200)).writers == [Self.writer(4, address: 0xffffef00)])
        #expect(map.writers(of: PhysRange(phys: 0x2000, length: 0x10)).writers == [Self.writer(4, address: 0xfffff000)])
    }

    @Test func bytesNobodyWroteAreUntracked() {
        let map = LastWriterMap()
        Self.note(map, 1, phys: 0x1000, length: 0x10, address: 0)
        let result = map.writers(of: PhysRange(phys: 0x1000, length: 0x20))
        #expect(result.writers.count == 1)
        #expect(result.untracked)
        #expect(map.writers(of: PhysRange(phys: 0x9000, length: 1)) == ([], true))
    }

    @Test func aWholePageOverwriteLeavesOneSegment() {
        let map = LastWriterMap()
        for sequence in 0..<5 { Self.note(map, sequence, phys: 0x1000 + UInt64(sequence) * 0x100, length: 0x80, address: 0) }
        Self.note(map, 9, phys: 0x1000, length: 0x1000, address: 0)
        #expect(map.segmentsOfPage[1]?.map(\.writer.sequence) == [9])
    }

    /// The engine tracks from the first checkpoint, and a checkpoint copy carries the map.
    @Test func theEngineTracksFromTheFirstCheckpointAndCheckpointsKeepTheMap() throws {
        let machine = TestMachine()
        _ = machine.cpuWrite(TestMachine.shared, len: 0x100, fill: .byte(1))
        #expect(!machine.engine.isTrackingWriters)
        _ = machine.run(.checkpoint(CheckpointOp(name: "c1")))
        #expect(machine.engine.isTrackingWriters)
        _ = machine.cpuWrite(TestMachine.shared + 0x80, len: 0x100, fill: .byte(2))
        let runs = [PhysRange(phys: TestMachine.shared, length: 0x180)]
        let described = machine.engine.describe(runs)
        #expect(described.map(\.description) == [
            "shm0 phys 0x100000000000 len 0x180: last written by seq \(machine.engine.appliedCount - 1) cpu-write; bytes with no tracked write",
        ])
        let copy = try machine.engine.checkpointCopy()
        #expect(copy.describe(runs) == described)
    }

    @Test func aRunIsSplitWhereItsRegionEnds() {
        let machine = TestMachine()
        let end = TestMachine.ram + (3 << 30)
        let pieces = machine.engine.describe([PhysRange(phys: end - 8, length: 16)])
        #expect(pieces.map(\.region) == ["ram0", "(no region)"])
        #expect(pieces.map(\.length) == [8, 8])
    }

    @Test func verifyTurnsRunsIntoOneFindingEachAndSumsUpTheRest() {
        let machine = TestMachine()
        _ = machine.run(.checkpoint(CheckpointOp(name: "c1")))
        let runs = (0..<UInt64(Engine.listedDifferenceLimit + 3)).map { PhysRange(phys: TestMachine.shared + $0 * 16, length: 2) }
        let outcome = machine.engine.verify(.verify(VerifyOp(name: "c1")), differingRuns: runs)
        #expect(outcome.status == .ok)
        #expect(outcome.findings.count == Engine.listedDifferenceLimit + 1)
        #expect(outcome.findings.allSatisfy { $0.misuse == .memoryMismatch })
        #expect(outcome.findings.last?.message == "memory differs from checkpoint c1 in 3 more runs (0x6 bytes) not listed")
        #expect(machine.engine.verify(.verify(VerifyOp(name: "c1")), differingRuns: []) == .ok)
        #expect(machine.engine.verify(.verify(VerifyOp(name: "c9")), differingRuns: []).status == .rejected("unknown checkpoint c9"))
    }

    /// Without the layer that keeps snapshots, the engine cannot verify.
    @Test func verifyAppliedAloneIsRejected() {
        let machine = TestMachine()
        _ = machine.run(.checkpoint(CheckpointOp(name: "c1")))
        guard case .rejected(let reason) = machine.run(.verify(VerifyOp(name: "c1"))).status else {
            Issue.record("verify alone should be rejected")
            return
        }
        #expect(reason.contains("SnapshotKeeper"))
    }
}
