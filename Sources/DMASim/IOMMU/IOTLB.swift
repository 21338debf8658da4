/// The domain's IOTLB: translations the device has used, kept until invalidated. A cached
/// entry outlives its PTE — that is the lazy-mode stale window, where a device keeps
/// reaching memory through an IOVA the driver already destroyed.
///
/// Capacity is not modelled: an entry leaves only by invalidation (strict unmap, unlink,
/// a flush-queue flush), which is the worst case a driver must be correct against.
struct IOTLB {
    private(set) var cached: [UInt64: PageTableEntry] = [:]

    init() {}

    var count: Int { cached.count }

    func lookup(_ granule: UInt64) -> PageTableEntry? { cached[granule] }

    mutating func fill(_ granule: UInt64, _ pte: PageTableEntry) { cached[granule] = pte }

    /// `iommu_iotlb_sync()` over `[first, first+count)` granules.
    mutating func invalidate(from first: UInt64, count: UInt64) {
        guard !cached.isEmpty else { return }
        if count <= UInt64(cached.count) {
            for granule in first..<first + count { cached[granule] = nil }
        } else {
            cached = cached.filter { $0.key < first || $0.key >= first + count }
        }
    }

    /// `flush_iotlb_all()`.
    mutating func invalidateAll() { cached.removeAll() }
}
