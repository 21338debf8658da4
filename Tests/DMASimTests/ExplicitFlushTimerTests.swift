import Testing
@testable import DMASim

/// `fq-timer=explicit`: the lazy domain's `fq_timer` is armed by `queue_iova()` as ever
/// (drivers/iommu/dma-iommu.c), but runs only where `flush` ops say, never on the engine's
/// clock; `flush dev=` runs one domain's timer, and `flush at=` says it ran earlier than
/// the op, so only what was queued by then is freed (`fq_flush_timeout()` →
/// `fq_ring_free()`), while ranges queued after it stay with a newer flush-start count and
/// re-arm the timer (`queue_iova()` found `fq_timer_on` cleared).
@Suite struct ExplicitFlushTimerTests {
    static let ms: UInt64 = 1_000_000

    static func machine(explicit: Bool = true, devices: [String] = ["nvme0"]) -> TestMachine {
        TestMachine(iommu: IOMMUSpec(name: "mmu0", mode: .lazy, explicitFlushTimer: explicit),
                    devices: devices.map { DeviceSpec(name: $0, iommu: "mmu0") })
    }

    static func at(_ time: UInt64, _ op: Op) -> Op {
        var timed = op
        timed.time = time
        return timed
    }

    /// Maps 4 KiB as `mapping` and unmaps it at `time`: the IOVA is queued then.
    @discardableResult
    static func mapAndUnmap(_ machine: TestMachine, _ mapping: String, dev: String = "nvme0", at time: UInt64) -> UInt64 {
        let address = machine.run(at(time, .map(MapOp(mapping: mapping, device: dev, phys: TestMachine.shared, length: 4096,
                                                      direction: .bidirectional)))).address!
        machine.checkError(mapping)
        machine.run(at(time, .unmap(UnmapOp(mapping: mapping, length: 4096, direction: .bidirectional))))
        return address
    }

    static func flush(dev: String? = "nvme0", ranAt: UInt64? = nil, time: UInt64) -> Op {
        at(time, .flush(FlushOp(iommu: "mmu0", device: dev, ranAt: ranAt)))
    }

    /// Armed at 1 ms (jiffy 0 at HZ 250), `jiffies + msecs_to_jiffies(10)` is jiffy 3 and
    /// `calc_wheel_index()` files it for the tick of jiffy 4: due at 16 ms, when the
    /// engine's clock runs it (`fq-timer=kernel`). An explicit timer is armed as ever
    /// (`fq_timer_on`, due at 16 ms) but never runs on the clock, however late: a loaded
    /// 2-vCPU guest ran it over 50 ms after its tick; only a flush op runs it.
    @Test func anExplicitTimerNeverRunsOnTheClock() {
        let explicit = Self.machine()
        let address = Self.mapAndUnmap(explicit, "m1", at: 1 * Self.ms)
        #expect(explicit.engine.armedFlushTimers(iommu: "mmu0") == [Engine.ArmedFlushTimer(device: "nvme0", cpu: 0, due: 16 * Self.ms)])
        #expect(explicit.run(Self.at(1000 * Self.ms, .advance(AdvanceOp(nanoseconds: 0)))).events.isEmpty)
        #expect(explicit.engine.armedFlushTimer(holding: address, length: 4096, device: "nvme0")! == (cpu: 0, queuedAt: 1 * Self.ms))
        let flushed = explicit.run(Self.flush(time: 1000 * Self.ms))
        #expect(flushed.events == [SideEvent(.iotlbFlushAll), SideEvent(.iovaFreed, address: address, length: 4096),
                                   SideEvent(.flushQueueDrained, length: 1)])
        #expect(explicit.engine.armedFlushTimers(iommu: "mmu0").isEmpty)

        let onTheClock = Self.machine(explicit: false)
        let same = Self.mapAndUnmap(onTheClock, "m1", at: 1 * Self.ms)
        #expect(onTheClock.run(Self.at(16 * Self.ms - 1, .advance(AdvanceOp(nanoseconds: 0)))).events.isEmpty)
        #expect(onTheClock.run(Self.at(16 * Self.ms, .advance(AdvanceOp(nanoseconds: 0)))).events.contains(SideEvent(.iotlbFlushAll)))
        #expect(onTheClock.map("m2", phys: TestMachine.shared, len: 4096).address == same)
    }

    /// The engine's view of the queue for an import: each range with its CPU, when it was
    /// queued and when the timer it would arm is due.
    @Test func queuedRangesSayWhereAndWhenEachWasQueued() {
        let machine = Self.machine()
        let address = Self.mapAndUnmap(machine, "m1", at: 1 * Self.ms)
        #expect(machine.engine.queuedRanges(device: "nvme0")
                == [Engine.QueuedRange(start: address, length: 4096, queuedAt: 1 * Self.ms, cpu: 0, timerDue: 16 * Self.ms, granule: 4096)])
        #expect(machine.engine.queuedRanges(device: "nvme0")[0].isReused(by: address + 0x2a0))
        #expect(!machine.engine.queuedRanges(device: "nvme0")[0].isReused(by: address + 4096))
    }

    static func advance(_ nanoseconds: UInt64) -> Op { .advance(AdvanceOp(nanoseconds: nanoseconds)) }

    @Test func aFlushAtAnEarlierTimeFreesOnlyWhatWasQueuedByThen() {
        let machine = Self.machine()
        let first = Self.mapAndUnmap(machine, "m1", at: 1 * Self.ms)
        let second = Self.mapAndUnmap(machine, "m2", at: 5 * Self.ms)
        let flushed = machine.run(Self.flush(ranAt: 2 * Self.ms, time: 6 * Self.ms))
        #expect(flushed.events == [SideEvent(.iotlbFlushAll), SideEvent(.iovaFreed, address: first, length: 4096),
                                   SideEvent(.flushQueueDrained, length: 1)])
        // The later range re-armed the timer when it was queued, after the flush.
        #expect(machine.engine.armedFlushTimer(holding: second, length: 4096, device: "nvme0")! == (cpu: 0, queuedAt: 5 * Self.ms))
        // It was queued after the flush: the next queue_iova's fq_ring_free_locked() keeps it.
        let third = Self.mapAndUnmap(machine, "m3", at: 7 * Self.ms)
        #expect(third == first)  // the freed IOVA, from the magazine
        #expect(machine.map("m4", phys: TestMachine.shared, len: 4096).address! < second)
        #expect(machine.engine.armedFlushTimer(holding: second, length: 4096, device: "nvme0") != nil)
    }

    @Test func aFlushCannotHaveRunAfterItsOp() {
        let machine = Self.machine()
        Self.mapAndUnmap(machine, "m1", at: 1 * Self.ms)
        let late = machine.run(Self.flush(ranAt: 9 * Self.ms, time: 2 * Self.ms))
        #expect(late.status == .rejected("flush at=9ms is after the op's time 2ms"))
    }

    /// Each domain has its own `cookie->fq_timer`: `dev=` runs one.
    @Test func aDeviceFlushRunsItsDomainsTimerAlone() {
        let machine = Self.machine(devices: ["nvme0", "nvme1"])
        let own = Self.mapAndUnmap(machine, "m1", dev: "nvme0", at: 1 * Self.ms)
        let other = Self.mapAndUnmap(machine, "m2", dev: "nvme1", at: 1 * Self.ms)
        #expect(machine.engine.armedFlushTimers(iommu: "mmu0").map(\.device) == ["nvme0", "nvme1"])
        #expect(own == other)  // two IOVA spaces, each from the top
        let flushed = machine.run(Self.flush(dev: "nvme0", time: 2 * Self.ms))
        #expect(flushed.events == [SideEvent(.iotlbFlushAll), SideEvent(.iovaFreed, address: own, length: 4096),
                                   SideEvent(.flushQueueDrained, length: 1)])
        #expect(machine.engine.armedFlushTimers(iommu: "mmu0").map(\.device) == ["nvme1"])
        #expect(machine.run(Self.flush(dev: "gpu0", time: 2 * Self.ms)).status == .rejected("unknown device gpu0"))
    }
}
