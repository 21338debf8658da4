import DMASim
import Journal

/// Where the flush-queue timer ran, on an imported lazy IOMMU (`fq-timer=explicit`): the
/// model never runs `fq_flush_timeout()` by its own clock, because a trace does not say
/// when the kernel's ran. `queue_iova()` arms `fq_timer` for `jiffies +
/// msecs_to_jiffies(10)`; the timer wheel (kernel/time/timer.c `calc_wheel_index()`) files
/// it one jiffy later still, so it is due 12-16 ms after arming at HZ 250 — but `jiffies`
/// at arming may lag the clock (a tick handled late), the tick's phase is in no trace, and
/// the softirq can run late. The lab measured 10.5-19 ms. So the import places each run
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
/// Either way the flush is journaled as its own op (`imported_ops.kernel_naming` is
/// `fq_flush_timeout`), so a replay runs it where the import did.
enum FlushTimerPlacement {
    static let naming = TimerEvents.flushQueueCallback

    /// The flush the kernel's answer to `record` shows ran before it, if any.
    static func inferredFlush(before record: ImportedOp, engine: Engine) -> ImportedOp? {
        guard record.outcome.status == .ok, let address = record.outcome.address, var provenance = record.provenance else { return nil }
        let device: String, length: UInt64
        switch record.op.call {
        case .map(let call): device = record.device ?? call.device; length = call.length
        case .alloc(let call): device = call.device; length = call.sizeBytes
        default: return nil
        }
        guard let (armedOn, queuedAt) = engine.armedFlushTimer(holding: address, length: max(length, 1), device: device) else { return nil }
        // The freed IOVAs go into the magazine of the CPU that ran the timer, and this call's
        // CPU found one there: it ran the timer (its own, or, with the arming CPU idle, as
        // the timer-migration hierarchy's migrator, kernel/time/timer_migration.c).
        let cpu = provenance.cpu ?? armedOn
        provenance.kernelNaming = naming
        provenance.cpu = cpu
        provenance.task = nil
        provenance.pid = nil
        provenance.note = "fq_flush_timeout inferred: the kernel handed out 0x\(String(address, radix: 16)) (line \(provenance.line)), "
            + "which the flush queue still held, so fq_timer ran before it, on CPU \(cpu) (armed on CPU \(armedOn)), and after that range was queued "
            + "(at \(DurationText.text(of: queuedAt))): what was queued later stays queued"
        let flush = FlushOp(iommu: DeviceRegistry.iommuName, device: device, ranAt: queuedAt)
        return ImportedOp(op: .flush(flush), outcome: .ok, provenance: provenance)
    }

    /// The run of an armed timer that the trace, up to `record`, never showed though it was
    /// surely over by then: `record` comes after the timer's backstop (its due tick and
    /// the latest the lab saw a softirq run it). It ran at its due tick, on the CPU it was
    /// armed on, unless that CPU was idle (its latest call came from the idle task, pid 0:
    /// an interrupt) and another was busy (its latest call came from a task): the
    /// timer-migration hierarchy (kernel/time/timer_migration.c) has an active CPU expire
    /// an idle one's global timers (`fq_timer` is not pinned).
    static func overdueFlush(before record: ImportedOp, engine: Engine, lastCall: [Int: (time: UInt64, pid: Int?)]) -> ImportedOp? {
        // Each backstop is a pending timer's deadline: while the earliest is later than the
        // record, no timer is overdue, and the list of armed timers (a few allocations per
        // domain: 6 % of an import's time, asked before every call) is not built.
        guard var provenance = record.provenance, let time = provenance.timestampNanoseconds,
              let earliest = engine.pendingTimers.first, earliest.deadline <= time,
              let timer = engine.armedFlushTimers(iommu: DeviceRegistry.iommuName).first(where: { $0.backstop <= time }) else { return nil }
        var cpu = timer.cpu
        if lastCall[timer.cpu]?.pid == 0,
           let busy = lastCall.filter({ $0.key != timer.cpu && ($0.value.pid ?? 0) != 0 }).max(by: { $0.value.time < $1.value.time }) {
            cpu = busy.key
        }
        provenance.kernelNaming = naming
        provenance.timestampNanoseconds = timer.due
        provenance.cpu = cpu
        provenance.task = nil
        provenance.pid = nil
        provenance.note = "fq_flush_timeout due at \(DurationText.text(of: timer.due)) on CPU \(cpu) (armed on CPU \(timer.cpu)): "
            + "the trace shows no run of it before this line, though it had surely run by \(DurationText.text(of: timer.backstop))"
        return ImportedOp(op: .flush(FlushOp(iommu: DeviceRegistry.iommuName, device: timer.device)), outcome: .ok, provenance: provenance)
    }

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
