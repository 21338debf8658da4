/// Kernel timers on the engine's clock: arm, cancel, ask, and what each does when it fires.
///
///     // queue_iova(): arm the flush-queue timer once, IOVA_FQ_TIMEOUT (10 ms) from now
///     let id = domainID(of: domain)
///     if !isTimerArmed(.flushQueue(id)) { armTimer(.flushQueue(id), afterMilliseconds: 10) }
///
///     // and in fire(_:into:):
///     case .flushQueue(let id): domain(id)?.drainFlushQueue(outcome: &outcome)
///
/// A timer fires inside `advanceClock(to:into:)`, when an op's `time` or an `advance`
/// reaches its deadline; its side events go in the outcome of that op, before the op's own.
extension Engine {
    /// The jiffies of this machine's `CONFIG_HZ`.
    public var jiffies: Jiffies { Jiffies(hz: machine.hz) }

    /// `mod_timer(timer, jiffies + msecs_to_jiffies(milliseconds))` at the current clock.
    func armTimer(_ timer: KernelTimer, afterMilliseconds milliseconds: UInt64) {
        armTimer(timer, afterJiffies: jiffies.fromMilliseconds(milliseconds))
    }

    /// `mod_timer(timer, jiffies + delay)` / `queue_delayed_work(…, delay)`. A timer that
    /// expires at or before the current jiffy runs at the next tick, as the timer wheel
    /// runs it, so a timer that re-arms itself always moves the clock forward.
    func armTimer(_ timer: KernelTimer, afterJiffies delay: UInt64) {
        armTimer(timer, at: jiffies.deadline(armedAt: clock, afterJiffies: max(delay, 1)))
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
        switch timer {
        case .flushQueue(let id):
            // fq_flush_timeout(): fq_timer_on = 0; fq_flush_iotlb(); fq_ring_free() on
            // every CPU's queue. Everything queued was queued before this flush started,
            // so all of it is freed.
            domain(id)?.drainFlushQueue(outcome: &outcome)
        }
    }

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
