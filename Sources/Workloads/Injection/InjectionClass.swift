import DMASim

/// A misuse the simulated driver can be told to commit (`--inject CLASS`). Each is a bug
/// real drivers have had or could have; `detectedBy` names the checker class that
/// reports it (docs/workloads.md says how each is committed).
public enum InjectionClass: String, Sendable, CaseIterable, Hashable {
    /// `access-before-sync`: no `dma_iova_sync` after the links, on a needs-sync-map IOMMU.
    case missingSync = "missing-sync"
    /// `use-after-unlink`: the device touches the buffer again after `dma_iova_destroy`: a not-present
    /// fault on 7.3; on 6.16 in lazy mode the IOTLB still translates and the access lands.
    case lateAccess = "late-access"
    /// `direction-violation`: one range linked with the opposite direction, then used as intended.
    case wrongDirection = "wrong-direction"
    /// `overlapping-link`: a range linked again over itself (-EADDRINUSE on 7.3's VT-d, -EEXIST on 6.16).
    case overlappingLink = "overlapping-link"
    /// `destroy-length-mismatch`: `dma_iova_destroy` with a `mapped_len` one granule short.
    case destroyLengthMismatch = "destroy-length-mismatch"
    /// `double-free`: destroy (or free) twice.
    case doubleFree = "double-free"
    /// `leak-at-detach`: a state never released; the `detach` at the end reports it.
    case leakedState = "leaked-state"
    /// `partial-link-not-cleaned` (81e7223b1a2d): a link fails with -EIO, then sync and use as if it had not.
    case partialLinkNotCleaned = "partial-link-not-cleaned"
    /// `free-with-linked-ranges`: `dma_iova_free` while ranges are still linked.
    case freeWithLinkedRanges = "free-with-linked-ranges"
    /// `use-after-unlink`: the device touches a page after its invalidation unlinked it.
    case useAfterUnlink = "use-after-unlink"
    /// `unlink-attribute-mismatch`: release with `DMA_ATTR_SKIP_CPU_SYNC` on a non-coherent device, so the
    /// cache is not invalidated: the destroy's attributes match no link of the state.
    case skippedCacheSync = "skipped-cache-sync"
    /// `bounce-outside-direct-map`: the driver hands an untrusted device a buffer of memory
    /// outside the direct map that starts inside a granule; dma-iommu bounces it
    /// (`dma_iova_link()` → `iommu_dma_iova_link_swiotlb()` → `swiotlb_tbl_map_single()`),
    /// whose copy through `phys_to_virt()` faults: the link never returns (`oops`).
    case unalignedBounce = "unaligned-bounce"

    /// The checker classes that report this misuse, the one expected first first. Empty
    /// when the engine cannot observe it yet.
    public var detectedBy: [MisuseClass] {
        switch self {
        case .missingSync: return [.accessBeforeSync]
        case .lateAccess: return [.useAfterDestroy]
        case .wrongDirection: return [.directionViolation]
        case .overlappingLink: return [.overlappingLink]
        case .destroyLengthMismatch: return [.destroyLengthMismatch]
        case .doubleFree: return [.doubleFree]
        case .leakedState: return [.leakAtDetach]
        case .partialLinkNotCleaned: return [.unalignedLink, .partialLinkNotCleaned]
        case .freeWithLinkedRanges: return [.freeWithLinkedRanges]
        case .useAfterUnlink: return [.useAfterUnlink]
        case .skippedCacheSync: return [.unlinkAttributeMismatch]
        case .unalignedBounce: return [.bounceOutsideDirectMap]
        }
    }

    /// Whether the engine can tell the misuse happened (every class can now; kept so a
    /// future class the engine cannot see yet says so).
    public var isObservable: Bool { !detectedBy.isEmpty }

    /// Parses a class name, or the checker class that detects it (`access-before-sync`
    /// means `missing-sync`).
    public init?(name: String) {
        if let injection = InjectionClass(rawValue: name) {
            self = injection
        } else if let injection = InjectionClass.allCases.first(where: { $0.detectedBy.first?.rawValue == name }) {
            self = injection
        } else {
            return nil
        }
    }
}
