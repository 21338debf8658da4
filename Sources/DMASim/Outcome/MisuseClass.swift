/// The misuse classes the checker reports, with stable names (the raw values) that
/// scripts, journals and queries use. Each is listed in docs/checker.md, with the kernel function or the
/// dma-debug error class (kernel/dma/debug.c) it stands for.
public enum MisuseClass: String, Sendable, CaseIterable, Hashable {
    // Two-step API
    /// Device touched a linked granule no `dma_iova_sync` covered (needs-sync-map).
    case accessBeforeSync = "access-before-sync"
    /// Device access to a range after `dma_iova_unlink`.
    case useAfterUnlink = "use-after-unlink"
    /// Device access, or an API call, after `dma_iova_destroy`.
    case useAfterDestroy = "use-after-destroy"
    /// Device access, or an API call, after `dma_iova_free`.
    case useAfterFree = "use-after-free"
    /// Device write through a READ-only PTE or read through a WRITE-only one.
    case directionViolation = "direction-violation"
    /// Link over an already linked granule (-EEXIST).
    case overlappingLink = "overlapping-link"
    /// Link with unaligned phys at offset > 0 (-EIO), or a misaligned IOVA
    /// (-EINVAL) such as a first link whose in-granule offset differs from try_alloc's.
    case unalignedLink = "unaligned-link"
    /// Link past `dma_iova_size()`; the kernel does not check it.
    case linkOutOfBounds = "link-out-of-bounds"
    /// Destroy whose mapped_len is not exactly what is linked.
    case destroyLengthMismatch = "destroy-length-mismatch"
    /// `free-with-linked-ranges`: `dma_iova_free` while ranges are still linked (no unmap, no flush).
    case freeWithLinkedRanges = "free-with-linked-ranges"
    /// A second destroy/free of the same state.
    case doubleFree = "double-free"
    /// Link, sync or unlink on a state whose try_alloc returned false.
    case linkWithoutIOVA = "link-without-iova"
    /// Sync or device use after a failed link, without `destroy(mapped)`.
    case partialLinkNotCleaned = "partial-link-not-cleaned"
    /// Unlink of granules that are not linked (`WARN_ON(unmapped != size)`).
    case unlinkNotLinked = "unlink-not-linked"
    /// Unlink or destroy of part of a block PTE (2 MiB, 1 GiB): the page table clears the
    /// whole block, or nothing where the range starts inside it (`__unmap_range()`), and
    /// dma-iommu WARNs (`WARN_ON(unmapped != size)`).
    case unlinkSplitsBlock = "unlink-splits-block"
    /// A length within a granule of 2^64: `iova_align(size + pad)` wraps, and the link,
    /// sync, unlink or map acts on far fewer bytes than asked, silently.
    case lengthWraps = "length-wraps"
    /// dma-debug 22: states or mappings still live at device teardown.
    case leakAtDetach = "leak-at-detach"
    /// The device used a cached translation the page table no longer
    /// holds (a free without unlink, then the IOVA reused), so it reached old memory.
    case staleIOTLBHit = "stale-iotlb-hit"
    /// try_alloc on a handle whose state is still live: its IOVA is leaked.
    case stateOverwritten = "state-overwritten"
    /// Unlink or destroy with a direction, `SKIP_CPU_SYNC` or `MMIO` no link of
    /// the state used, so the cache invalidate or the swiotlb copy-back differs.
    case unlinkAttributeMismatch = "unlink-attribute-mismatch"
    /// The CPU reads the original of a bounced head or tail granule before
    /// unlink/destroy copies the device's data back: it sees pre-DMA bytes.
    case cpuReadBeforeBounceBack = "cpu-read-before-bounce-back"

    // Memory the kernel cannot see (the lab runs of 7.3.4, fixtures/scripts/lab/), both APIs
    /// A bounce of memory outside the kernel's direct map (`kind=shared` or `mmio`):
    /// `swiotlb_tbl_map_single()` copies the original into the slot through
    /// `phys_to_virt()` and the kernel oopses. The finding names the device, the
    /// address, the size and the path that bounced.
    case bounceOutsideDirectMap = "bounce-outside-direct-map"
    /// A bounce of 0 bytes with no alignment offset to keep (a zero-length `dma_map_phys`
    /// or `dma_iova_link` that swiotlb must take): `swiotlb_tbl_map_single()` asks for a
    /// 0-byte allocation and `swiotlb_search_pool_area()` stops the kernel at
    /// `BUG_ON(!nslots)`. The call never returns; nothing was taken.
    case zeroLengthBounce = "zero-length-bounce"
    /// A streaming map, unmap or sync with `DMA_NONE`: `BUG_ON(!valid_dma_direction(dir))`
    /// in kernel/dma/mapping.c; the call never returns and changes nothing (a sync of a
    /// device that skips syncs returns before it, in `dma_sync_single_for_*()`'s wrapper).
    case invalidDirection = "invalid-direction"

    // Ownership (dma-api.rst Part Id, docs/kernel-model.md "The CPU cache"), both APIs
    /// The CPU wrote a buffer the device owns, read one the device may write, or wrote
    /// a FROM_DEVICE buffer at all while it is mapped.
    case cpuAccessDeviceOwned = "cpu-access-device-owned"

    // Streaming API (dma-debug classes)
    /// dma-debug 1: unmap of `DMA_MAPPING_ERROR`.
    case unmapOfMappingError = "unmap-of-mapping-error"
    /// dma-debug 2: unmap of memory not mapped (never, or already unmapped).
    case unmapNotMapped = "unmap-not-mapped"
    /// dma-debug 3: unmap with a different size than the map.
    case unmapSizeMismatch = "unmap-size-mismatch"
    /// dma-debug 7: unmap with a different direction than the map.
    case unmapDirectionMismatch = "unmap-direction-mismatch"
    /// dma-debug (7.2+): unmap with other `DMA_ATTR_UNMAP_VALID` attributes
    /// (NO_KERNEL_MAPPING, FORCE_CONTIGUOUS, MMIO, REQUIRE_COHERENT, PRIVILEGED, CC_SHARED)
    /// than the map.
    case unmapAttributeMismatch = "unmap-attribute-mismatch"
    /// dma-debug (7.1+): a map with `DMA_ATTR_MMIO` (`dma_map_resource()`, or
    /// `dma_map_phys()` with the attribute) of a valid, unreserved RAM page:
    /// `debug_dma_map_phys()` says "dma_map_resource called for RAM address".
    case mmioMapOfRAM = "mmio-map-of-ram"
    /// dma-debug 8: unmapped without `dma_mapping_error()` having been checked.
    case mapErrorUnchecked = "map-error-unchecked"
    /// dma-debug 14: sync of memory no live mapping contains (unmapped, failed, or an
    /// offset past the end).
    case syncNotMapped = "sync-not-mapped"
    /// dma-debug 15: a sync that starts inside the mapping and runs past its end.
    case syncOutOfRange = "sync-out-of-range"
    /// dma-debug 16: sync with another direction than the map (not for BIDIRECTIONAL maps).
    case syncDirectionMismatch = "sync-direction-mismatch"
    /// dma-debug 17: `sync_for_cpu` of a TO_DEVICE mapping as if the device had written it.
    case syncReadOnlyForCPU = "sync-read-only-for-cpu"
    /// dma-debug 18: `sync_for_device` of a FROM_DEVICE mapping as if the device would read it.
    case syncWriteOnlyForDevice = "sync-write-only-for-device"
    /// dma-debug 20: a mapping whose first cacheline is another live mapping's first
    /// cacheline (not TO_DEVICE, not `SKIP_CPU_SYNC`).
    case overlappingCachelineMapping = "overlapping-cacheline-mapping"
    /// Device use of a `DMA_MAPPING_ERROR` address.
    case useOfMappingError = "use-of-mapping-error"
    /// Device access through a streaming mapping after its unmap.
    case useAfterUnmap = "use-after-unmap"

    // Verification (not a misuse of the API: a fact about memory)
    /// `verify NAME`: memory differs from checkpoint NAME's snapshot; one finding per run
    /// of differing bytes, naming the ops that last wrote it.
    case memoryMismatch = "memory-mismatch"
}

/// One misuse finding, tied to the op that produced it.
public struct Finding: Sendable, Hashable {
    /// Which rule was broken.
    public var misuse: MisuseClass
    /// The IOVA state or mapping concerned, when there is one.
    public var handle: String?
    /// A one-line explanation naming the kernel rule.
    public var message: String
    /// A finding of `misuse` on `handle`, explained by `message`.
    public init(_ misuse: MisuseClass, handle: String?, _ message: String) {
        self.misuse = misuse; self.handle = handle; self.message = message
    }
}
