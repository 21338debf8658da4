/// What an import asks of the flush-queue timers on an IOMMU with `fq-timer=explicit`,
/// where `flush` ops, not the engine's clock, say when `fq_flush_timeout()` ran.
extension Engine {
    /// Whether `device`'s domain holds part of `start..<start+length` in a flush queue
    /// with its `fq_timer` armed: then the CPU it is armed on (`queue_iova()` arms it on
    /// the CPU that queued first, whose timer base runs it) and when the latest of those
    /// ranges was queued. An IOVA the kernel hands out there was freed by that timer, which
    /// ran after that range was queued and before the allocation: a queued IOVA is free
    /// only once `fq_ring_free_locked()` runs after a flush.
    public func armedFlushTimer(holding start: UInt64, length: UInt64, device: String) -> (cpu: Int, queuedAt: UInt64)? {
        guard let domain = devices[device]?.domain, domain.usesFlushQueue, domain.flushTimerOn,
              length > 0, !start.addingReportingOverflow(length).overflow,
              let queuedAt = domain.latestQueuedOverlap(start, start + length) else { return nil }
        return (domain.flushTimerCPU, queuedAt)
    }

    /// An armed `fq_timer`: a device of its domain and the CPU it is armed on.
    public struct ArmedFlushTimer: Sendable, Hashable {
        /// The first device of the domain, by name.
        public var device: String
        /// The CPU `queue_iova()` armed it on, whose timer base runs it.
        public var cpu: Int
    }

    /// Each domain of `iommu` whose `fq_timer` is armed, in the order the domains were
    /// made: where a traced timer expiry (`timer:timer_expire_entry
    /// function=fq_flush_timeout`, whose `timer=` pointer the trace hashes) can belong.
    public func armedFlushTimers(iommu: String) -> [ArmedFlushTimer] {
        guard let domains = domainsOfIOMMU[iommu] else { return [] }
        return domains.filter { $0.usesFlushQueue && $0.flushTimerOn }.compactMap { domain in
            guard let device = devices.values.filter({ $0.domain === domain }).map(\.spec.name).min() else { return nil }
            return ArmedFlushTimer(device: device, cpu: domain.flushTimerCPU)
        }
    }
}
