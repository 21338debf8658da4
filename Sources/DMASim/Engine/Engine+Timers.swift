/// Kernel timers on the engine's clock: arm, cancel, ask, and what each does when it fires.
///
/// A domain asks for its timers through the run context (`queue_iova()` arms `fq_timer`,
/// a full magazine pushed to the depot schedules its reclaim); the engine arms them on its
/// clock once the call (or the timer that asked) returns (`armRequestedTimers()`).
///
/// A timer fires inside `advanceClock(to:into:)`, when an op's `time` or an `advance`
/// reaches its deadline; its side events go in the outcome of that op, before the op's own.
extension Engine {
    /// The jiffies of this machine's `CONFIG_HZ`.
    public var jiffies: Jiffies { Jiffies(hz: machine.hz, phase: machine.tickPhase) }

    /// `mod_timer(timer, jiffies + msecs_to_jiffies(milliseconds))` at the current clock.
    func armTimer(_ timer: KernelTimer, afterMilliseconds milliseconds: UInt64) {
        armTimer(timer, afterJiffies: jiffies.fromMilliseconds(milliseconds))
    }

    /// `mod_timer(timer, jiffies + delay)` / `queue_delayed_work(…, delay)`. The timer
    /// wheel files it in the bucket `calc_wheel_index()` picks (kernel/time/timer.c), which
    /// rounds the expiry up by its level's granularity so that a timer never fires early:
    /// a timer due in under 63 jiffies runs at the tick of `jiffies + delay + 1` (the lab's
    /// `timer:timer_start` events show `bucket_expiry = expires + 1` for every fq_timer).
    /// A timer that expires at or before the current jiffy runs at the next tick, so a
    /// timer that re-arms itself always moves the clock forward.
    func armTimer(_ timer: KernelTimer, afterJiffies delay: UInt64) {
        let now = jiffies.phasedJiffies(at: clock)
        let bucket = Self.wheelBucket(expires: now &+ max(delay, 1), now: now)
        armTimer(timer, at: jiffies.deadline(armedAt: clock, afterJiffies: bucket &- now))
    }

    /// `calc_wheel_index()`'s bucket for an expiry (taking the current jiffy as the base's
    /// `clk`): level `n` holds expiries under `63 << 3n` jiffies ahead with a granularity of
    /// `8^n`, and `calc_index()` rounds the expiry up to the next multiple of it.
    static func wheelBucket(expires: UInt64, now: UInt64) -> UInt64 {
        let delta = expires &- now
        var level: UInt64 = 0
        while level < 8, delta >= 63 << (3 * level) { level += 1 }
        let shift = 3 * level
        return ((expires >> shift) &+ 1) << shift
    }

    /// Arms `timer` for an exact deadline (ns), replacing an earlier one.
    func armTimer(_ timer: KernelTimer, at deadline: UInt64) {
        precondition(deadline > clock, "a timer is armed for the future")
        timers.arm(timer, at: deadline)
    }

    /// `timer_delete()`: whether it was pending.
    @discardableResult
    func cancelTimer(_ timer: KernelTimer) -> Bool { timers.cancel(timer) }

    /// `timer_pending()`.
    func isTimerArmed(_ timer: KernelTimer) -> Bool { timers.deadline(of: timer) != nil }

    /// The deadline of an armed timer (ns), or nil.
    public func timerDeadline(_ timer: KernelTimer) -> UInt64? { timers.deadline(of: timer) }

    /// Every armed timer in firing order.
    public var pendingTimers: [PendingTimer] { timers.pending }

    /// What a timer does when it fires; the clock is at its deadline.
    func fire(_ timer: KernelTimer, into outcome: inout Outcome) {
        guard let domain = domain(timer.domain) else { return }
        switch timer {
        case .flushQueue where domain.iommu.explicitFlushTimer:
            // Only a state saved while the engine still ran an explicit timer on its clock
            // (as a backstop) has one armed: flush ops alone run it now.
            break
        case .flushQueue:
            // fq_flush_timeout() runs in the timer softirq of the CPU the timer was armed
            // on, so the IOVAs it frees go into that CPU's magazines.
            runningOn(domain.flushTimerCPU) { domain.flushQueueTimeout(outcome: &outcome) }
        case .depotReclaim(_, let order):
            // iova_depot_work_func(): one magazine back to the tree while the depot holds more
            // than num_online_cpus(), rescheduling itself after each.
            if domain.allocator.depotWork(order: order, onlineCPUs: machine.cpuCount) {
                context.request(.depotReclaim(order: order), for: domain)
            }
        }
        armRequestedTimers()
    }

    /// Runs `body` with the run context on `cpu`, as a timer callback runs on its CPU.
    private func runningOn(_ cpu: Int, _ body: () -> Void) {
        let saved = context.cpu
        context.cpu = cpu
        body()
        context.cpu = saved
    }

    /// Arms the timers the last call (or timer) asked for: `fq_timer` at its timeout from
    /// now; a depot reclaim `IOVA_DEPOT_DELAY` from now unless it is already pending
    /// (`schedule_delayed_work()` leaves a pending work alone).
    func armRequestedTimers() {
        for (domain, request) in context.takeRequests() {
            let id = domainID(of: domain)
            switch request {
            case .flushQueue where domain.iommu.explicitFlushTimer:
                // Armed (fq_timer_on), but it runs where a flush op says, never on this clock.
                break
            case .flushQueue(let milliseconds):
                armTimer(.flushQueue(id), afterMilliseconds: milliseconds)
            case .depotReclaim(let order):
                if !isTimerArmed(.depotReclaim(id, order: order)) {
                    armTimer(.depotReclaim(id, order: order), afterMilliseconds: Self.depotDelayMilliseconds)
                }
            }
        }
    }

    /// `fq_timer` of a domain, armed at `armedAt` (which may be past: a `flush at=` learnt
    /// late that the range queued then armed it), fires on the engine's clock at the tick the
    /// wheel files it for. An explicit timer (`fq-timer=explicit`) is never put on the clock:
    /// when it runs is what the trace shows (flush ops), and a loaded machine runs it
    /// arbitrarily late (the lab's 2-vCPU runs: over 50 ms after its tick).
    func armFlushTimer(of domain: DMADomain, armedAt: UInt64) {
        guard !domain.iommu.explicitFlushTimer else { return }
        armTimer(.flushQueue(domainID(of: domain)), at: max(flushTimerDeadline(of: domain, armedAt: armedAt), clock &+ 1))
    }

    /// When `mod_timer(&cookie->fq_timer, jiffies + msecs_to_jiffies(fq_timeout))` at
    /// `armedAt` is due: the tick `calc_wheel_index()` files it for.
    func flushTimerDeadline(of domain: DMADomain, armedAt: UInt64) -> UInt64 {
        let timeout = domain.singleQueue ? DMADomain.singleFlushTimeout : DMADomain.flushTimeout
        let now = jiffies.phasedJiffies(at: armedAt)
        let bucket = Self.wheelBucket(expires: now &+ max(jiffies.fromMilliseconds(timeout), 1), now: now)
        return jiffies.deadline(armedAt: armedAt, afterJiffies: bucket &- now)
    }

    /// `IOVA_DEPOT_DELAY`: `msecs_to_jiffies(100)`.
    static let depotDelayMilliseconds: UInt64 = 100

    /// The domain an id names, if it exists.
    func domain(_ id: DomainID) -> DMADomain? {
        guard let domains = domainsOfIOMMU[id.iommu], domains.indices.contains(id.index) else { return nil }
        return domains[id.index]
    }

    /// The id of a domain of this engine.
    func domainID(of domain: DMADomain) -> DomainID {
        let index = domainsOfIOMMU[domain.iommu.name]?.firstIndex { $0 === domain }
        guard let index else { preconditionFailure("domain of \(domain.iommu.name) is not in the engine") }
        return DomainID(iommu: domain.iommu.name, index: index)
    }
}
