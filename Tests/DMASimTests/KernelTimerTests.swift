import Testing
@testable import DMASim

/// The timer mechanism (Engine+Timers): timers fire in deadline order, then arm order,
/// when an op's time or an `advance` passes their deadline, each at its deadline; what
/// they do leads the outcome of that op. The timer used is the flush queue's
/// `fq_timer` (`fq_flush_timeout()`, drivers/iommu/dma-iommu.c), armed by hand here once
/// the ones `queue_iova()` armed are cancelled.
@Suite struct KernelTimerTests {
    /// Two devices in groups of their own: two lazy domains, each with one IOVA queued by
    /// a streaming unmap (`queue_iova()`, which arms each domain's timer: cancelled here).
    static func twoQueuedDomains() -> (TestMachine, [DomainID], [UInt64]) {
        let machine = TestMachine(iommu: IOMMUSpec(name: "mmu0", mode: .lazy),
                                  devices: [DeviceSpec(name: "nvme0", iommu: "mmu0"), DeviceSpec(name: "nvme1", iommu: "mmu0")])
        var addresses: [UInt64] = []
        for (index, device) in ["nvme0", "nvme1"].enumerated() {
            let map = machine.map("m\(index)", dev: device, phys: TestMachine.shared + UInt64(index) * 0x10000, len: 4096)
            addresses.append(map.address!)
            #expect(machine.unmap("m\(index)", len: 4096).events == [SideEvent(.flushQueued, address: map.address!, length: 4096)])
        }
        let domains = [DomainID(iommu: "mmu0", index: 0), DomainID(iommu: "mmu0", index: 1)]
        for domain in domains { #expect(machine.engine.cancelTimer(.flushQueue(domain))) }
        return (machine, domains, addresses)
    }

    static func drained(_ address: UInt64) -> [SideEvent] {
        [SideEvent(.iotlbFlushAll), SideEvent(.iovaFreed, address: address, length: 4096), SideEvent(.flushQueueDrained, length: 1)]
    }

    static func advance(_ nanoseconds: UInt64) -> Op { .advance(AdvanceOp(nanoseconds: nanoseconds)) }

    @Test func aTimerFiresWhenTimePassesItsDeadline() {
        let (machine, domains, addresses) = Self.twoQueuedDomains()
        let engine = machine.engine
        // 3 jiffies at HZ 250, and the wheel's round-up of one: the tick 16 ms on.
        engine.armTimer(.flushQueue(domains[0]), afterMilliseconds: 10)
        #expect(engine.timerDeadline(.flushQueue(domains[0])) == 16_000_000)
        #expect(machine.run(Self.advance(15_999_999)).events.isEmpty)
        let fired = machine.run(Self.advance(1))
        #expect(fired.events == Self.drained(addresses[0]))
        #expect(engine.pendingTimers.isEmpty && engine.clock == 16_000_000)
    }

    /// Deadline order, then arm order; each runs at its own deadline; a re-armed timer
    /// moves (`mod_timer()`), a cancelled one never runs.
    @Test func timersFireInDeadlineThenArmOrder() {
        let (machine, domains, addresses) = Self.twoQueuedDomains()
        let engine = machine.engine
        engine.armTimer(.flushQueue(domains[0]), at: 8_000_000)
        engine.armTimer(.flushQueue(domains[1]), at: 8_000_000)
        #expect(engine.pendingTimers.map(\.timer) == [.flushQueue(domains[0]), .flushQueue(domains[1])])
        engine.armTimer(.flushQueue(domains[0]), at: 8_000_000)  // re-armed: now after domain 1's
        #expect(engine.pendingTimers.map(\.timer) == [.flushQueue(domains[1]), .flushQueue(domains[0])])
        let fired = machine.run(Self.advance(20_000_000))
        #expect(fired.events == Self.drained(addresses[1]) + Self.drained(addresses[0]))

        engine.armTimer(.flushQueue(domains[0]), at: 30_000_000)
        engine.armTimer(.flushQueue(domains[1]), at: 25_000_000)
        #expect(engine.cancelTimer(.flushQueue(domains[1])))
        #expect(!engine.cancelTimer(.flushQueue(domains[1])))
        #expect(!engine.isTimerArmed(.flushQueue(domains[1])))
        // Nothing queued now: the flush runs, frees nothing.
        #expect(machine.run(Self.advance(20_000_000)).events == [SideEvent(.iotlbFlushAll)])
    }

    /// A timer due by an op's time fires before the op runs: the IOVA it frees is the one
    /// the op's try_alloc gets, and its events come first in the op's outcome.
    @Test func aTimerDueByAnOpsTimeRunsBeforeTheOp() {
        let (machine, domains, addresses) = Self.twoQueuedDomains()
        machine.engine.armTimer(.flushQueue(domains[0]), afterMilliseconds: 10)
        let alloc = machine.run(Op(.alloc(AllocOp(state: "s1", device: "nvme0", phys: TestMachine.shared, sizeBytes: 4096)),
                                   time: 16_000_000))
        #expect(alloc.address == addresses[0])
        #expect(Array(alloc.events.prefix(3)) == Self.drained(addresses[0]))
        // Even a rejected op lets the time pass.
        machine.engine.armTimer(.flushQueue(domains[1]), afterMilliseconds: 10)
        let rejected = machine.run(Op(.free(FreeOp(state: "nope")), time: 32_000_000))
        #expect(rejected.status == .rejected("unknown IOVA state nope (no alloc declared it)"))
        #expect(rejected.events == Self.drained(addresses[1]))
    }

    /// Armed timers travel in checkpoints and fire after a restore as they would have.
    @Test func pendingTimersSurviveACheckpoint() throws {
        let (machine, domains, addresses) = Self.twoQueuedDomains()
        machine.engine.armTimer(.flushQueue(domains[1]), afterMilliseconds: 10)
        _ = machine.run(Self.advance(3_000_000))
        let restored = try Engine.decodingState(machine.engine.encodeState())
        #expect(restored.pendingTimers == machine.engine.pendingTimers)
        #expect(restored.clock == 3_000_000)
        #expect(restored.apply(Self.advance(13_000_000)).events == Self.drained(addresses[1]))
        #expect(machine.run(Self.advance(13_000_000)).events == Self.drained(addresses[1]))
        #expect(restored.encodeState() == machine.engine.encodeState())
    }

    /// kernel/time/timer.c `calc_wheel_index()`: an expiry under 63 jiffies ahead goes in
    /// level 0, rounded up by one jiffy ("does not fire early"); further ahead, levels of
    /// 8, 64, … jiffies round the absolute expiry up to their granularity.
    @Test func theWheelRoundsExpiriesUp() {
        #expect(Engine.wheelBucket(expires: 103, now: 100) == 104)
        #expect(Engine.wheelBucket(expires: 162, now: 100) == 163)  // 62 ahead: level 0
        #expect(Engine.wheelBucket(expires: 163, now: 100) == 168)  // 63 ahead: level 1, 8 jiffies
        #expect(Engine.wheelBucket(expires: 125, now: 100) == 126)  // IOVA_DEPOT_DELAY at HZ 250
        #expect(Engine.wheelBucket(expires: 100 + 600, now: 100) == 704)  // level 2, 64 jiffies
    }

    /// The tick's phase moves every deadline by it: `tick-phase=1ms` at HZ 250 puts the
    /// ticks at 1, 5, 9 … ms.
    @Test func theTickPhaseMovesDeadlines() {
        let machine = TestMachine(machine: MachineSpec(tickPhase: 1_000_000))
        machine.engine.armTimer(.flushQueue(DomainID(iommu: "mmu0", index: 0)), afterJiffies: 3)
        // Armed at 0, before the first tick (1 ms): jiffy 0 ends at 1 ms, +3 +1 = the 4th tick from there.
        #expect(machine.engine.timerDeadline(.flushQueue(DomainID(iommu: "mmu0", index: 0))) == 13_000_000)
    }
}
