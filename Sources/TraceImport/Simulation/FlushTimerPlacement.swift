import DMASim
import Journal

/// Where the flush-queue timer ran, on an imported lazy IOMMU (`fq-timer=explicit`): the
/// model never runs `fq_flush_timeout()` by its own clock, because a trace does not say
/// when the kernel's ran. `queue_iova()` arms `fq_timer` for `jiffies +
/// msecs_to_jiffies(10)`; the timer wheel (kernel/time/timer.c `calc_wheel_index()`) files
/// it one jiffy later still, so it is due 12-16 ms after arming at HZ 250 — but `jiffies`
/// at arming may lag the clock (a tick handled late), the tick's phase is in no trace, and
/// the softirq can run late. The lab measured 10.5-32 ms. So the import places each run
/// of the timer where the trace shows it:
///
/// - a traced expiry (`timer:timer_expire_entry function=fq_flush_timeout`, with
///   `EVENTS="dma iommu timer"` in the lab) is a `flush` op at its time and CPU, given to
///   the domain whose timer is armed (its `timer=` is hashed);
/// - otherwise, a map or try_alloc to which the kernel gave an IOVA that the model's flush
///   queue still holds shows that the timer ran before it: only `fq_ring_free_locked()`
///   after a flush frees a queued IOVA (`free_iova_fast()` into the magazine of the CPU
///   the timer ran on, where the next allocation of that size finds it). The import puts a
///   `flush` op just before that call, on its CPU (whose magazine the IOVA came from),
///   saying the timer ran when that range was queued (`at=`): a range queued later was not
///   freed by it (the magazines are LIFO: a flush after it would have handed it out first),
///   and stays queued.
///
/// Nothing else says the timer ran: when its softirq runs has no bound a trace can be
/// held to (a fresh single-vCPU capture shows one running 32 ms after arming, twice its
/// due time); a run that freed no IOVA the kernel then handed out left no mark in the
/// trace's addresses.
///
/// Either way the flush is journaled as its own op (`imported_ops.kernel_naming` is
/// `fq_flush_timeout`), so a replay runs it where the import did.
enum FlushTimerPlacement {
    static let naming = TimerEvents.flushQueueCallback

    /// The flushes the kernel's answer to `record` shows ran before it, oldest first (none
    /// when it shows none). `ahead` are the records that follow it in the trace: where the
    /// kernel next handed out each range those runs freed says which CPU's magazine it went
    /// into, and so how many runs there were and where (`FlushTimerRuns`).
    static func inferredFlushes(before record: ImportedOp, engine: Engine, ahead: LookaheadRecords) -> [ImportedOp] {
        guard record.outcome.status == .ok, let address = record.outcome.address, let provenance = record.provenance,
              let (device, length) = allocation(record) else { return [] }
        guard let (armedOn, queuedAt) = engine.armedFlushTimer(holding: address, length: max(length, 1), device: device) else { return [] }
        // The freed IOVAs go into the magazine of the CPU that ran the timer, and this call's
        // CPU found one there: it ran the timer (its own, or, with the arming CPU idle, as
        // the timer-migration hierarchy's migrator, kernel/time/timer_migration.c).
        let cpu = provenance.cpu ?? armedOn
        let freed = engine.queuedRanges(device: device).filter { $0.queuedAt <= queuedAt }
            .sorted { ($0.queuedAt, $0.isReused(by: address) ? 1 : 0) < ($1.queuedAt, $1.isReused(by: address) ? 1 : 0) }
        let owners = nextOwners(of: freed, device: device, ahead: ahead)
        let runs = freed.isEmpty ? [FlushTimerRuns.Run(cpu: cpu, after: queuedAt)]
            : FlushTimerRuns.runs(of: freed, owners: owners, evidenceCPU: cpu, cpuCount: engine.machine.cpuCount) { runCPU, group, under in
                magazines(of: runCPU, showNotHolding: group, under: under, queued: freed, device: device, engine: engine, ahead: ahead)
            }
        return runs.enumerated().map { index, run in
            var placed = provenance
            placed.kernelNaming = naming
            placed.cpu = run.cpu
            placed.task = nil
            placed.pid = nil
            placed.note = index == runs.count - 1
                ? "fq_flush_timeout inferred: the kernel handed out 0x\(String(address, radix: 16)) (line \(provenance.line)), "
                    + "which the flush queue still held, so fq_timer ran before it, on CPU \(run.cpu) (armed on CPU \(armedOn)), and after that range was queued "
                    + "(at \(DurationText.text(of: run.after))): what was queued later stays queued"
                : "fq_flush_timeout inferred: an earlier run than the one line \(provenance.line) shows, on CPU \(run.cpu), after the range queued at "
                    + "\(DurationText.text(of: run.after)): " + (run.ownerShown
                        ? "the kernel next handed out a range it freed on that CPU (its magazine), later in the trace"
                        : run.ruledOut.map { "the timer armed on CPU \($0) was due by then, but CPU \($0) later handed out an IOVA its magazine held "
                            + "under what the run freed, none of which came back: the run was not there" }
                        ?? "the timer armed on that CPU was due by then, and the trace shows no later owner of what it freed")
            return ImportedOp(op: .flush(FlushOp(iommu: DeviceRegistry.iommuName, device: device, ranAt: run.after)), outcome: .ok, provenance: placed)
        }
    }

    /// The device and length of an allocation the kernel answered with an IOVA.
    static func allocation(_ record: ImportedOp) -> (device: String, length: UInt64)? {
        switch record.op.call {
        case .map(let call): return (record.device ?? call.device, call.length)
        case .alloc(let call): return (call.device, call.sizeBytes)
        default: return nil
        }
    }

    /// For each range, the CPU of the first allocation in `ahead` that the kernel gave it
    /// to, if any and if it came from a magazine: a range of more than 32 granules is not
    /// cached (`IOVA_RANGE_CACHE_MAX_SIZE`) and goes back to the tree, for any CPU.
    private static func nextOwners(of ranges: [Engine.QueuedRange], device: String, ahead: LookaheadRecords) -> [Int?] {
        ranges.map { range in
            range.length / range.granule <= maxCachedGranules
                ? ahead.nextOwner(ofGranuleAt: range.start, granule: range.granule, device: device) : nil
        }
    }

    /// Whether `cpu`'s magazines show that a run there did not free `group`, ranges no
    /// later allocation got. The run would have pushed them on top of what that CPU's
    /// magazine of their order holds now (`fq_ring_free_locked()` → `free_iova_fast()` →
    /// `__iova_rcache_insert()` on `raw_cpu_ptr()`), and `__iova_rcache_get()` pops the
    /// top: the CPU could hand out nothing it holds now before them. It did when the first
    /// allocation ahead to get one of those IOVAs ran on that CPU. Not shown when the
    /// pushes could fill `loaded` (`IOVA_MAG_SIZE`): it then swaps with `prev`, and what
    /// `prev` held comes first. The lab's 2-vCPU intel-lazy capture without timer events:
    /// 0xfffb0000…0xffd55000, queued on CPU 0 at 16.7738-16.7778 s, never came back, and
    /// at 16.9569 s (line 12,986) CPU 0 handed out 0xfffae000, in its magazine since 16.68 s.
    static func magazines(of cpu: Int, showNotHolding group: ArraySlice<Engine.QueuedRange>, under: ArraySlice<Engine.QueuedRange>,
                          queued: [Engine.QueuedRange], device: String, engine: Engine, ahead: LookaheadRecords) -> Bool {
        guard let granule = group.first?.granule else { return false }
        for order in Set(group.compactMap { cachedOrder(of: $0) }) {
            guard let held = engine.cachedRanges(device: device, cpu: cpu, order: order),
                  held.loadedCount + queued.lazy.filter({ cachedOrder(of: $0) == order }).count < Engine.magazineCapacity else { continue }
            // `fq_flush_timeout()` frees CPU 0's queue, then CPU 1's, each in ring order.
            let pushedFirst = under.lazy.filter { range in
                cachedOrder(of: range) == order && group.allSatisfy { range.cpu < $0.cpu || (range.cpu == $0.cpu && range.queuedAt < $0.queuedAt) }
            }.map(\.start)
            if (held.starts + pushedFirst).contains(where: { ahead.nextOwner(ofGranuleAt: $0, granule: granule, device: device) == cpu }) {
                return true
            }
        }
        return false
    }

    /// The rcache order of a queued range, ⌈log2⌉ of its granules (`order_base_2()`), nil
    /// when it is too large to cache.
    private static func cachedOrder(of range: Engine.QueuedRange) -> Int? {
        let granules = range.length / range.granule
        guard granules <= maxCachedGranules else { return nil }
        return granules <= 1 ? 0 : 64 - (granules - 1).leadingZeroBitCount
    }

    /// The largest cached range, in granules: order `IOVA_RANGE_CACHE_MAX_SIZE - 1`.
    private static let maxCachedGranules: UInt64 = 1 << 5

    /// Where, among the records `ahead`, is the call a traced timer run (`flush`, its
    /// `timer_expire_entry` line) came inside of, after the call had its IOVA: the timer
    /// softirq runs on interrupt exit in whatever task was running (the line names that
    /// task), so it can come between a `dma_map_phys`'s `alloc_iova_fast()` and its traced
    /// `iommu_map()`. It did when the task's next record on that CPU is an allocation the
    /// kernel gave an IOVA the flush queue does not hold: had the run come first, its
    /// frees would be on top of the CPU's magazine (`fq_ring_free_locked()` →
    /// `free_iova_fast()`) and that allocation would have got one of them, or the same.
    /// The lab's 2-vCPU intel capture, line 8860: the run in dd-149 freed 0xfff8a000-0xfff97000,
    /// and dd-149's map got 0xfff62000, the magazine's top before it.
    static func callInterrupted(by record: ImportedOp, engine: Engine, ahead: some Sequence<ImportedOp>) -> Int? {
        guard case .flush(let call) = record.op.call, call.device == nil, call.ranAt == nil,
              let pid = record.provenance?.pid, pid != 0, let cpu = record.provenance?.cpu else { return nil }
        for (offset, later) in ahead.prefix(Self.interruptedCallHorizon).enumerated() where later.provenance?.cpu == cpu {
            guard later.provenance?.pid == pid, later.outcome.status == .ok, let address = later.outcome.address,
                  let (device, length) = allocation(later),
                  engine.armedFlushTimer(holding: address, length: max(length, 1), device: device) == nil else { return nil }
            return offset
        }
        return nil
    }

    /// How many records after a traced timer run the call it interrupted may be (other
    /// CPUs' records come between).
    private static let interruptedCallHorizon = 64

    /// A traced expiry, given to the first domain whose timer is armed; with none armed it
    /// stays the IOMMU's (a flush of nothing).
    static func attributed(_ record: ImportedOp, engine: Engine) -> ImportedOp {
        guard case .flush(var call) = record.op.call, call.device == nil,
              let armed = engine.armedFlushTimers(iommu: call.iommu).first else { return record }
        call.device = armed.device
        var attributed = record
        attributed.op = .flush(call)
        return attributed
    }
}
