/// Which of docs/workloads.md "Workloads"'s in-tree users a device's driver is, and so what traffic it makes.
enum DeviceRole: Sendable, Hashable {
    /// blk-mq-dma / nvme-pci: one IOVA state per block request.
    case blockQueue
    /// hmm / umem_odp: one long-lived IOVA state per memory region, linked page by page.
    case odpRegion
    /// mlx5 vfio: one IOVA state per migration buffer, linked page by page.
    case migrationBuffer
    /// dma-buf importer: a state per transfer, BAR pieces beside system memory.
    case peerTransfer

    /// Requests a driver of this kind keeps in flight per device: a few hardware queues
    /// of block requests, a couple of registered regions, migration buffers or transfers.
    var defaultInFlight: Int {
        switch self {
        case .blockQueue: return 8
        case .odpRegion: return 2
        case .migrationBuffer: return 2
        case .peerTransfer: return 6
        }
    }

    /// What its driver can get wrong. ODP never destroys (so no late access or short
    /// destroy), and links with `DMA_ATTR_REQUIRE_COHERENT` (`hmm_dma_map_pfn()`), so a
    /// non-coherent device never gets a page linked whose cache sync it could skip; the
    /// others never unlink a single page.
    var supportedInjections: Set<InjectionClass> {
        switch self {
        case .odpRegion:
            return Set(InjectionClass.allCases).subtracting([.lateAccess, .destroyLengthMismatch, .skippedCacheSync, .unalignedBounce])
        case .blockQueue, .migrationBuffer, .peerTransfer:
            return Set(InjectionClass.allCases).subtracting([.useAfterUnlink])
        }
    }
}
