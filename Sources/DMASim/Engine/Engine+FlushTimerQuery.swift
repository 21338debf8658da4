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

    /// An armed `fq_timer`: a device of its domain, the CPU it is armed on and when it is
    /// due (the wheel's tick for the range that armed it; an explicit timer runs later,
    /// where a flush op says).
    public struct ArmedFlushTimer: Sendable, Hashable {
        /// The first device of the domain, by name.
        public var device: String
        /// The CPU `queue_iova()` armed it on, whose timer base runs it.
        public var cpu: Int
        /// When it is due, ns since boot: the wheel's tick for the range that armed it.
        public var due: UInt64
    }

    /// Each domain of `iommu` whose `fq_timer` is armed, in the order the domains were
    /// made: where a traced timer expiry (`timer:timer_expire_entry
    /// function=fq_flush_timeout`, whose `timer=` pointer the trace hashes) can belong.
    public func armedFlushTimers(iommu: String) -> [ArmedFlushTimer] {
        guard let domains = domainsOfIOMMU[iommu] else { return [] }
        return domains.filter { $0.usesFlushQueue && $0.flushTimerOn }.compactMap { domain in
            guard let device = devices.values.filter({ $0.domain === domain }).map(\.spec.name).min() else { return nil }
            let armedAt = domain.oldestQueued?.time ?? clock
            return ArmedFlushTimer(device: device, cpu: domain.flushTimerCPU,
                                   due: flushTimerDeadline(of: domain, armedAt: armedAt))
        }
    }
}

extension Engine {
    /// A range a lazy domain holds in a flush queue: its IOVA, its length, when it was
    /// queued (`queue_iova()`) and on which CPU (its queue's; 0 for the single queue), and
    /// when `fq_timer` would be due had this range armed it (`mod_timer()` at that time);
    /// `granule` is the domain's IOVA granule, within which an allocation that reuses the
    /// range starts.
    public struct QueuedRange: Sendable, Hashable {
        /// The range's first IOVA.
        public var start: UInt64
        /// Its length in bytes.
        public var length: UInt64
        /// When `queue_iova()` queued it, ns since boot.
        public var queuedAt: UInt64
        /// The CPU whose flush queue holds it (0 for the single queue).
        public var cpu: Int
        /// When `fq_timer` would be due had this range armed it, ns since boot.
        public var timerDue: UInt64
        /// The domain's IOVA granule in bytes.
        public var granule: UInt64

        /// A queued range as `queuedRanges(device:)` reports it.
        public init(start: UInt64, length: UInt64, queuedAt: UInt64, cpu: Int, timerDue: UInt64, granule: UInt64) {
            self.start = start; self.length = length; self.queuedAt = queuedAt
            self.cpu = cpu; self.timerDue = timerDue; self.granule = granule
        }

        /// Whether the IOVA an allocation got (a map's DMA address keeps its offset into
        /// the first granule) is this range handed out again.
        public func isReused(by address: UInt64) -> Bool { address >= start && address - start < granule }
    }

    /// The ranges `device`'s domain holds in its flush queues, queue by queue (per CPU,
    /// oldest first): what an `fq_flush_timeout()` run would free (`fq_ring_free_locked()`).
    public func queuedRanges(device: String) -> [QueuedRange] {
        guard let domain = devices[device]?.domain, domain.usesFlushQueue else { return [] }
        let granule = domain.granule
        return domain.flushQueues.indices.flatMap { cpu in
            domain.flushQueues[cpu].entries.map {
                QueuedRange(start: granule.address(ofPfn: $0.pfn), length: granule.address(ofPfn: $0.pageCount), queuedAt: $0.queuedAt,
                            cpu: cpu, timerDue: flushTimerDeadline(of: domain, armedAt: $0.queuedAt), granule: granule.bytes)
            }
        }
    }
}

extension Engine {
    /// What one CPU's rcache magazines of one order hold for a domain: `struct
    /// iova_cpu_rcache` (drivers/iommu/iova.c), `loaded` then `prev`.
    public struct CachedRanges: Sendable, Hashable {
        /// The IOVA of each range, `loaded`'s from the bottom up, then `prev`'s.
        public var starts: [UInt64]
        /// How many of them `loaded` holds: a push onto a full `loaded` swaps it with `prev`.
        public var loadedCount: Int
    }

    /// `IOVA_MAG_SIZE`: ranges a magazine holds.
    public static let magazineCapacity = IOVAMagazine.capacity

    /// What `cpu`'s magazines of `order` (ranges of 2^order granules) hold in `device`'s
    /// domain: what `__iova_rcache_get()` on that CPU pops, top first, before the depot
    /// and the tree. Nil for a device with no domain or an order the rcache does not keep.
    public func cachedRanges(device: String, cpu: Int, order: Int) -> CachedRanges? {
        guard let domain = devices[device]?.domain, (0..<IOVAAllocator.rangeCacheMaxOrder).contains(order) else { return nil }
        let cpus = domain.allocator.rangeCaches[order].cpus
        guard cpus.indices.contains(cpu) else { return CachedRanges(starts: [], loadedCount: 0) }
        let granule = domain.granule
        return CachedRanges(starts: (cpus[cpu].loaded.pfns + cpus[cpu].previous.pfns).map { granule.address(ofPfn: $0) },
                            loadedCount: cpus[cpu].loaded.pfns.count)
    }
}
