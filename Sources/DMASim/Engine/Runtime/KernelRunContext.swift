/// Where the call being applied runs, shared by the engine and its DMA domains: the CPU
/// (`smp_processor_id()`, whose rcache magazines and flush queue a free or an allocation
/// uses), the CPUs online (`num_online_cpus()`, which the rcache depot's reclaim compares
/// with), and the kernel timers a domain asks for on the way (`queue_iova()`'s `fq_timer`,
/// `schedule_delayed_work()` of the depot's reclaim), which the engine arms on its clock
/// once the call returns.
final class KernelRunContext {
    /// A timer a domain wants armed now, unless it already is.
    enum TimerRequest {
        /// `mod_timer(&cookie->fq_timer, jiffies + msecs_to_jiffies(timeout))`.
        case flushQueue(milliseconds: UInt64)
        /// `schedule_delayed_work(&rcache->work, IOVA_DEPOT_DELAY)` of order `order`.
        case depotReclaim(order: Int)
    }

    @exclusivity(unchecked) var cpu = 0
    @exclusivity(unchecked) var onlineCPUs = 1
    /// The engine's clock (ns): when a range was queued (`FlushQueue.Entry.queuedAt`).
    @exclusivity(unchecked) var clock: UInt64 = 0
    @exclusivity(unchecked) private(set) var requests: [(domain: DMADomain, request: TimerRequest)] = []

    func request(_ request: TimerRequest, for domain: DMADomain) {
        requests.append((domain, request))
    }

    /// The requests made since the last call, in order.
    func takeRequests() -> [(domain: DMADomain, request: TimerRequest)] {
        defer { requests.removeAll(keepingCapacity: true) }
        return requests
    }
}
