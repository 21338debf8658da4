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

    /// A device of each domain of `iommu` whose `fq_timer` is armed, with the CPU it is
    /// armed on, in the order the domains were made: where a traced timer expiry
    /// (`timer:timer_expire_entry function=fq_flush_timeout`, whose `timer=` pointer the
    /// trace hashes) can belong.
    public func armedFlushTimers(iommu: String) -> [(device: String, cpu: Int)] {
        guard let domains = domainsOfIOMMU[iommu] else { return [] }
        return domains.filter { $0.usesFlushQueue && $0.flushTimerOn }.compactMap { domain in
            devices.values.filter { $0.domain === domain }.map(\.spec.name).min().map { ($0, domain.flushTimerCPU) }
        }
    }
}
