import Testing
@testable import DMASim

/// Checkpoint state with block PTEs (format version 6), and version-4 and -5 states,
/// written when every PTE was one granule, still going on as their run did.
@Suite struct PageTableStateTests {
    /// Block PTEs, a stale block in the IOTLB, an unlinked span: all survive encoding, and
    /// the decoded engine goes on as the original does.
    @Test func blockPTEsSurviveACheckpoint() throws {
        let ops = Self.blockWorkload()
        for cut in [6, 9, 11] {
            let original = Engine()
            _ = original.apply(Array(ops[..<cut]))
            let bytes = original.encodeState()
            let restored = try Engine.decodingState(bytes)
            #expect(restored.encodeState() == bytes)
            original.copyPages(into: restored)
            for op in ops[cut...] { #expect(restored.apply(op) == original.apply(op)) }
        }
    }

    static func blockWorkload() -> [Op] {
        let base = TestMachine.shared
        return [
            .region(RegionSpec(name: "shm0", base: base, sizeBytes: 1 << 40, kind: .shared)),
            .iommu(IOMMUSpec(name: "mmu0", mode: .lazy)),
            .device(DeviceSpec(name: "nvme0", iommu: "mmu0")),
            .alloc(AllocOp(state: "s1", device: "nvme0", phys: base, sizeBytes: 1 << 30)),
            .link(LinkOp(state: "s1", offset: 0, phys: base, length: 1 << 30, direction: .bidirectional)),
            .deviceWrite(DeviceWriteOp(device: "nvme0", address: .state("s1", offset: 0x3000), length: 0x2000, fill: .seed(1))),
            .alloc(AllocOp(state: "s2", device: "nvme0", phys: base + (1 << 31), sizeBytes: 8 << 20)),
            .link(LinkOp(state: "s2", offset: 0x1000, phys: base + (1 << 31) + 0x1000, length: 6 << 20, direction: .toDevice)),
            .unlink(UnlinkOp(state: "s2", offset: 2 << 20, length: 2 << 20, direction: .toDevice)),
            .destroy(DestroyOp(state: "s1", mappedLength: 1 << 30, direction: .bidirectional)),
            .deviceRead(DeviceReadOp(device: "nvme0", address: .state("s1", offset: 0x40_0000), length: 0x1000)),
            .deviceRead(DeviceReadOp(device: "nvme0", address: .state("s2", offset: 2 << 20), length: 0x1000)),
            .deviceRead(DeviceReadOp(device: "nvme0", address: .state("s2", offset: 0x1000), length: 0x1000)),
            .flush(FlushOp(iommu: "mmu0")),
            .deviceRead(DeviceReadOp(device: "nvme0", address: .state("s1", offset: 0x40_0000), length: 0x1000)),
            .unlink(UnlinkOp(state: "s2", offset: 0x1000, length: 0x1000, direction: .toDevice)),
        ]
    }

    /// States the version-4 engine (commit 575b50e, granule PTEs only) encoded after 11 and
    /// 17 ops of `version4Workload()`; its IOMMUs are declared with `pageSizes: 4096`
    /// here, the machine they ran on.
    static let version4States: [(opCount: Int, base64: String)] = [
        (11, "RE1BSlNUQVQEAAAAcQEAAAAAAABMmVcrlBU4GgsBAAIEcmFtMICAgAiAgICABAAEc2htMICAgICAgASAgICAgCABAQIEbW11MAGAIDCAAgAAAQGAgECAgED///////////8B8P8/AvD/Pw///7////////8BAAYAAAAAAAAAAAAAAAAAAAAAAAAM8P8/voCAgICACACAQACAQACAQACAQACAQACAQACAQADwv3wAgEAAgEAAgEAM8P8/voCAgICACACAQACAQACAQACAQACAQACAQACAQADwv3wAgEAAgEAAgEAAAYCA/P8P//8DAARtbXUxAIAgMIACAQABAYCAQICAQP///////////wH///////////8BAf///////////wEABgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAgRkc3AwAQRtbXUxQAAAAAIBBW52bWUwAQRtbXUwQAEAAAEBAAABAAAAAAECczEBAICA/P8PgIAEAACAgAMAAgAAAQAAAAEAAAEAAAAAAAAAAA=="),
        (17, "RE1BSlNUQVQEAAAAAgMAAAAAAAA+jKhfg9190xECAQIEcmFtMICAgAiAgICABAAEc2htMICAgICAgASAgICAgCABAQIEbW11MAGAIDCAAgAAAQGAgECAgED///////////8B7v8/A+7/PwEAD///v////////wEABgAAAAAAAAAAAAAAAAAAAAAAAAzu/z+ugIAgAIBAAJDA/9///wcAgEACgMABAIBAAIBAAIBAAPC/fACAQACAQACAQArw/z++gICAgIAIAIBAAoDAAQCAQACAQACAQADwv3wAgEAAgEAAgEAAAoDA+/8P/z8BAP//AwAEbW11MQCAIDCAAgEAAQGAgECAgED///////////8B/P8/Avz/PwP//7////////8BAAYAAAAAAAAAAAAAAAAAAAAAAAAE/P8/loCAhICACACAQAD8PwCAQAAAAYCA//8P/38CAAIEZHNwMAEEbW11MUAAAAACAQVudm1lMAEEbW11MEABAAABAQAAAQGAQA8PAFpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWloCAQKAgICCgIAEgIABAgCAgP//DwABAYCAgBCAQAEAAAAAAAECczEBAICA/P8PgIAEAACAgAMC8v8/AAIAAAEAAAECczIAAYCA//8PgIABAACAgAEAAQIAAQAAAgAAAAIBAm0xAQCAwPv/D4CAgBCAQAEAAAIAAQEAAQAAAQAAAAEXY3B1LWFjY2Vzcy1kZXZpY2Utb3duZWQB"),
    ]

    /// The same from the version-5 engine (commit 76cd55a: machine, clock and timers
    /// added, PTEs still one granule each).
    static let version5States: [(opCount: Int, base64: String)] = [
        (11, "RE1BSlNUQVQFAAAAewEAAAAAAADtpnO6rY3U5gsBAAIEcmFtMICAgAiAgICABAAEc2htMICAgICAgASAgICAgCABAQIEbW11MAGAIDCAAgAAAQGAgECAgED///////////8B8P8/AvD/Pw///7////////8BAAYAAAAAAAAAAAAAAAAAAAAAAAAM8P8/voCAgICACACAQACAQACAQACAQACAQACAQACAQADwv3wAgEAAgEAAgEAM8P8/voCAgICACACAQACAQACAQACAQACAQACAQACAQADwv3wAgEAAgEAAgEAAAYCA/P8P//8DAARtbXUxAIAgMIACAQABAYCAQICAQP///////////wH///////////8BAf///////////wEABgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAgRkc3AwAQRtbXUxQAAAAAIBBW52bWUwAQRtbXUwQAEAAAEBAAABAAAAAAECczEBAICA/P8PgIAEAACAgAMAAgAAAQAAAAEAAAEAAAAAAAAAAAAAAfoBAAAAAAA="),
        (17, "RE1BSlNUQVQFAAAADAMAAAAAAAARQ7DJ844slxECAQIEcmFtMICAgAiAgICABAAEc2htMICAgICAgASAgICAgCABAQIEbW11MAGAIDCAAgAAAQGAgECAgED///////////8B7v8/A+7/PwEAD///v////////wEABgAAAAAAAAAAAAAAAAAAAAAAAAzu/z+ugIAgAIBAAJDA/9///wcAgEACgMABAIBAAIBAAIBAAPC/fACAQACAQACAQArw/z++gICAgIAIAIBAAoDAAQCAQACAQACAQADwv3wAgEAAgEAAgEAAAoDA+/8P/z8BAP//AwAEbW11MQCAIDCAAgEAAQGAgECAgED///////////8B/P8/Avz/PwP//7////////8BAAYAAAAAAAAAAAAAAAAAAAAAAAAE/P8/loCAhICACACAQAD8PwCAQAAAAYCA//8P/38CAAIEZHNwMAEEbW11MUAAAAACAQVudm1lMAEEbW11MEABAAABAQAAAQGAQA8PAFpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWloCAQKAgICCgIAEgIABAgCAgP//DwABAYCAgBCAQAEAAAAAAAECczEBAICA/P8PgIAEAACAgAMC8v8/AAIAAAEAAAECczIAAYCA//8PgIABAACAgAEAAQIAAQAAAgAAAAIBAm0xAQCAwPv/D4CAgBCAQAEAAAIAAQEAAQAAAQAAAAEXY3B1LWFjY2Vzcy1kZXZpY2Utb3duZWQBAAAB+gEAAAAAAA=="),
    ]

    @Test(arguments: [(4, version4States), (5, version5States)].flatMap { version, states in states.map { (version, $0.opCount, $0.base64) } })
    func anOlderStateGoesOnAsTheRunDid(_ version: UInt8, _ opCount: Int, _ base64: String) throws {
        let ops = Self.version4Workload()
        let bytes = try #require(RecordRetentionTests.decodeBase64(base64))
        #expect(bytes[8] == version)
        // A version-4 state decodes onto a 6.16 machine, the one its engine modelled; the
        // version-5 one carries its machine.
        let original = version == 4 ? Engine(machine: MachineSpec(kernel: .v6_16)) : Engine()
        _ = original.apply(Array(ops[..<opCount]))
        let restored = try Engine.decodingState(bytes)
        #expect(restored.iommus["mmu0"]?.pageSizes == 4096)
        original.copyPages(into: restored)
        for op in ops[opCount...] { #expect(restored.apply(op) == original.apply(op)) }
    }

    static func version4Workload() -> [Op] {
        let shm: UInt64 = 0x1000_0000_0000
        return [
            .region(RegionSpec(name: "shm0", base: shm, sizeBytes: 1 << 40, kind: .shared)),
            .region(RegionSpec(name: "ram0", base: 0x100_0000, sizeBytes: 1 << 30, kind: .ram)),
            .iommu(IOMMUSpec(name: "mmu0", mode: .lazy, granuleBytes: 4096, pageSizes: 4096)),
            .iommu(IOMMUSpec(name: "mmu1", mode: .strict, granuleBytes: 4096, pageSizes: 4096, needsSyncMap: true)),
            .device(DeviceSpec(name: "nvme0", iommu: "mmu0")),
            .device(DeviceSpec(name: "dsp0", iommu: "mmu1", coherent: false)),
            .alloc(AllocOp(state: "s1", device: "nvme0", phys: shm, sizeBytes: 64 << 10)),
            .link(LinkOp(state: "s1", offset: 0, phys: shm, length: 32 << 10, direction: .bidirectional)),
            .link(LinkOp(state: "s1", offset: 32 << 10, phys: shm + (1 << 20), length: 16 << 10, direction: .toDevice)),
            .deviceWrite(DeviceWriteOp(device: "nvme0", address: .state("s1", offset: 0), length: 32 << 10, fill: .seed(1))),
            .deviceRead(DeviceReadOp(device: "nvme0", address: .state("s1", offset: 32 << 10), length: 16 << 10)),
            .unlink(UnlinkOp(state: "s1", offset: 8 << 10, length: 8 << 10, direction: .bidirectional)),
            .alloc(AllocOp(state: "s2", device: "dsp0", phys: shm + (4 << 20), sizeBytes: 16 << 10)),
            .link(LinkOp(state: "s2", offset: 0, phys: shm + (4 << 20), length: 16 << 10, direction: .fromDevice)),
            .sync(SyncOp(state: "s2", offset: 0, length: 8 << 10)),
            .map(MapOp(mapping: "m1", device: "nvme0", phys: 0x200_0000, length: 8192, direction: .toDevice)),
            .cpuWrite(CPUWriteOp(phys: 0x200_0000, length: 256, fill: .byte(0x5a))),
            // The states are taken here (after 11 and 17 ops); what follows runs on them.
            .deviceRead(DeviceReadOp(device: "nvme0", address: .state("s1", offset: 0), length: 32 << 10)),
            .deviceRead(DeviceReadOp(device: "nvme0", address: .state("s1", offset: 0), length: 8 << 10)),
            .deviceWrite(DeviceWriteOp(device: "dsp0", address: .state("s2", offset: 0), length: 16 << 10, fill: .seed(3))),
            .sync(SyncOp(state: "s2", offset: 0, length: 16 << 10)),
            .deviceWrite(DeviceWriteOp(device: "dsp0", address: .state("s2", offset: 0), length: 16 << 10, fill: .seed(4))),
            .link(LinkOp(state: "s1", offset: 8 << 10, phys: shm + (8 << 10), length: 8 << 10, direction: .bidirectional)),
            .destroy(DestroyOp(state: "s1", mappedLength: 48 << 10, direction: .bidirectional)),
            .deviceRead(DeviceReadOp(device: "nvme0", address: .state("s1", offset: 0), length: 4096)),
            .flush(FlushOp(iommu: "mmu0")),
            .deviceRead(DeviceReadOp(device: "nvme0", address: .state("s1", offset: 0), length: 4096)),
            .mappingError(MappingErrorOp(mapping: "m1")),
            .unmap(UnmapOp(mapping: "m1", length: 8192, direction: .toDevice)),
            .destroy(DestroyOp(state: "s2", mappedLength: 16 << 10, direction: .fromDevice)),
        ]
    }
}
