import Testing
@testable import DMASim

/// The engine's clock, CPUs and machine: time is an input carried by ops (`time=`,
/// `advance`), never read from the host; an op's CPU must be online.
@Suite struct EngineClockTests {
    static func op(_ call: Op.Call, cpu: Int = 0, time: UInt64? = nil) -> Op { Op(call, cpu: cpu, time: time) }

    @Test func opsMoveTheClockAndNameTheirCPU() {
        let engine = Engine()
        #expect(engine.apply(.machine(MachineSpec(cpuCount: 4))) == .ok)
        #expect(engine.clock == 0 && engine.currentCPU == 0)
        #expect(engine.apply(Self.op(.advance(AdvanceOp(nanoseconds: 10_000_000)), cpu: 3)) == .ok)
        #expect(engine.clock == 10_000_000 && engine.currentCPU == 3)
        // An op's own time first, then the advance: 20 ms + 250 µs.
        #expect(engine.apply(Self.op(.advance(AdvanceOp(nanoseconds: 250_000)), cpu: 1, time: 20_000_000)) == .ok)
        #expect(engine.clock == 20_250_000 && engine.currentCPU == 1)
        // The same time again is fine: time does not have to move.
        #expect(engine.apply(Self.op(.region(RegionSpec(name: "ram0", base: 0, sizeBytes: 1 << 30, kind: .ram)), time: 20_250_000)) == .ok)
        #expect(engine.clock == 20_250_000 && engine.currentCPU == 0)
    }

    /// Bad input, named, not a trap; and a rejected op changes nothing.
    @Test func aTimeBeforeTheClockOrAnOfflineCPUIsRejected() {
        let machine = TestMachine()
        #expect(machine.run(Self.op(.advance(AdvanceOp(nanoseconds: 0)), time: 5_000_000)) == .ok)
        let early = machine.run(Self.op(.alloc(AllocOp(state: "s1", device: "nvme0", phys: TestMachine.shared, sizeBytes: 4096)),
                                        time: 4_999_999))
        #expect(early.status == .rejected("time 4999999ns is before the clock (5ms): time must not go backwards"))
        let offline = machine.run(Self.op(.alloc(AllocOp(state: "s1", device: "nvme0", phys: TestMachine.shared, sizeBytes: 4096)),
                                          cpu: 1))
        #expect(offline.status == .rejected("cpu 1 is not online: the machine has 1 CPU (machine cpus=N)"))
        #expect(machine.engine.clock == 5_000_000 && machine.engine.currentCPU == 0)
        // Neither took an IOVA: the first real try_alloc gets the top one.
        #expect(machine.alloc("s1", size: 4096).address == 0xFFFF_F000)
        let endOfTime = machine.run(Self.op(.advance(AdvanceOp(nanoseconds: .max))))
        #expect(endOfTime.status == .rejected("advance 18446744073.709551615s goes past the end of 64-bit time"))
    }

    @Test func theMachineComesFirstAndOnce() {
        let engine = Engine()
        #expect(engine.apply(.machine(MachineSpec(arch: .arm64, kernel: .v6_16, cpuCount: 2))) == .ok)
        #expect(engine.machine == MachineSpec(arch: .arm64, kernel: .v6_16, cpuCount: 2, hz: 250))
        #expect(engine.apply(.machine(MachineSpec())).status == .rejected("machine is already declared"))
        let late = Engine()
        _ = late.apply(.region(RegionSpec(name: "ram0", base: 0, sizeBytes: 1 << 30, kind: .ram)))
        #expect(late.apply(.machine(MachineSpec())).status == .rejected("machine must come before every region, iommu, device and swiotlb line"))
        #expect(Engine().apply(.machine(MachineSpec(cpuCount: 0))).status == .rejected("machine cpus must be 1…8192"))
        #expect(Engine().apply(.machine(MachineSpec(hz: 200))).status == .rejected("machine hz must be one of 100, 250, 300, 1000 (CONFIG_HZ)"))
        // A machine op's own CPU counts against the machine it declares.
        #expect(Engine().apply(Self.op(.machine(MachineSpec(cpuCount: 8)), cpu: 7)) == .ok)
    }

    /// Without a `machine` line: Debian's x86-64 7.3 kernel, one CPU, HZ 250.
    @Test func theDefaultsAreTheLabKernel() {
        #expect(Engine().machine == MachineSpec(arch: .x86_64, kernel: .v7_3, cpuCount: 1, hz: 250))
        #expect(Engine(machine: MachineSpec(kernel: .v6_16)).machine.kernel == .v6_16)
    }
}
