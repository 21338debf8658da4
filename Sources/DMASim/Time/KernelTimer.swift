/// A kernel timer or delayed work the engine models. Each value names one `struct
/// timer_list` / `struct delayed_work` of the kernel, so at most one of each is pending:
/// arming it again moves its deadline, as `mod_timer()` does.
///
/// To model another timer: add a case here (its payload says which object it belongs to),
/// its encoding in `KernelTimer+State.swift`, and what it does in `Engine.fire(_:into:)`
/// (Engine+Timers.swift).
public enum KernelTimer: Sendable, Hashable {
    /// `cookie->fq_timer` of one DMA domain; runs `fq_flush_timeout()`
    /// (drivers/iommu/dma-iommu.c), armed by `queue_iova()` for `IOVA_DEFAULT_FQ_TIMEOUT`.
    case flushQueue(DomainID)
    /// `rcache->work` of one size order of one DMA domain's IOVA allocator: runs
    /// `iova_depot_work_func()` (drivers/iommu/iova.c), scheduled `IOVA_DEPOT_DELAY`
    /// (100 ms) after a magazine goes to that order's depot.
    case depotReclaim(DomainID, order: Int)

    /// The domain the timer belongs to.
    var domain: DomainID {
        switch self {
        case .flushQueue(let id), .depotReclaim(let id, _): return id
        }
    }
}

/// A DMA domain, as timers and other engine-wide tables name it: its IOMMU and its place
/// in that IOMMU's domains, in creation order (stable for the engine's life).
public struct DomainID: Sendable, Hashable, Comparable {
    /// The IOMMU the domain belongs to.
    public var iommu: String
    /// Its place among that IOMMU's domains, in creation order.
    public var index: Int

    /// Domain `index` of `iommu`.
    public init(iommu: String, index: Int) { self.iommu = iommu; self.index = index }

    public static func < (lhs: DomainID, rhs: DomainID) -> Bool {
        (lhs.iommu, lhs.index) < (rhs.iommu, rhs.index)
    }
}

/// One armed timer: what, when, and in which order it was armed (the tie-break between
/// equal deadlines, as timers expiring in one tick run in the order they were queued).
public struct PendingTimer: Sendable, Hashable {
    /// Which timer.
    public var timer: KernelTimer
    /// Nanoseconds since boot.
    public var deadline: UInt64
    /// The order it was armed in, among all timers.
    public var armSerial: UInt64
}
