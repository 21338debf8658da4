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
