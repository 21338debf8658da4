/// What `dmajournal state` shows of the machine after an op, as plain values: each DMA
/// domain's page table (walked around an address), IOTLB (stale entries with why),
/// flush queues and IOVA rcache magazines, the swiotlb pool's used slots, and the live
/// IOVA states and streaming mappings. Built by `Engine.machineState(_:)`; the engine's
/// own structures stay internal, so nothing here can change it.
public struct MachineState: Sendable {
    /// Every DMA domain, in the order their IOMMUs were declared.
    public var domains: [DomainState]
    /// The swiotlb pool; nil when the machine has none.
    public var swiotlb: SwiotlbState?
    /// The IOVA states the driver holds, by handle.
    public var states: [IOVAStateView]
    /// The streaming mappings, by handle.
    public var mappings: [MappingView]
}

/// What to look at: the page table around `address` (± `around` granules), and at most
/// `limit` entries of each list (IOTLB entries, PTE runs, magazines, slots, handles).
public struct MachineStateRequest: Sendable {
    /// The IOVA to walk the page tables at; nil for the runs of PTEs instead.
    public var address: UInt64?
    /// Granules shown on each side of `address`.
    public var around: UInt64
    /// At most this many entries of each list.
    public var limit: Int
    /// Only the domain of this device (nil: every domain).
    public var device: String?

    /// A request; by default every domain, no walk, 64 entries a list.
    public init(address: UInt64? = nil, around: UInt64 = 4, limit: Int = 64, device: String? = nil) {
        self.address = address; self.around = around; self.limit = limit; self.device = device
    }
}

/// A list cut to the request's limit, with how many it left out.
public struct Limited<Element: Sendable>: Sendable {
    /// The entries kept, in order.
    public var items: [Element]
    /// How many more there were.
    public var omitted: Int

    /// The first `limit` of `items`, out of `total`.
    init(_ items: [Element], total: Int, limit: Int) {
        self.items = Array(items.prefix(limit))
        omitted = max(total - self.items.count, 0)
    }
}

/// One DMA domain (`iommu_get_dma_domain()` of its devices) with its IOVA cookie.
public struct DomainState: Sendable {
    /// The IOMMU the domain belongs to.
    public var iommu: String
    /// The devices attached to it (its IOMMU group).
    public var devices: [String]
    /// strict or lazy (DMA-FQ).
    public var mode: IOMMUMode
    /// The IOVA granule (`iovad->granule`).
    public var granuleBytes: UInt64
    /// The aperture's width in address bits.
    public var apertureBits: Int
    /// Granules the page table maps (blocks counted by the granules they cover).
    public var presentGranules: UInt64
    /// The page walk of `MachineStateRequest.address`, top level first.
    public var walk: [PageWalkLevel]
    /// The leaves around the address, or (no address) the runs of PTEs in IOVA order.
    public var pages: Limited<PageView>
    /// The IOTLB's entries, stale ones first.
    public var iotlb: Limited<IOTLBEntryView>
    /// How many entries the IOTLB holds.
    public var iotlbCount: Int
    /// The flush queues (lazy mode); empty in strict mode.
    public var flushQueues: [FlushQueueView]
    /// `fq_flush_start_cnt`, `fq_flush_finish_cnt`.
    public var flushStartCount: UInt64
    /// `fq_flush_finish_cnt`.
    public var flushFinishCount: UInt64
    /// `fq_timer_on`, and the CPU the timer runs on.
    public var flushTimerCPU: Int?
    /// The IOVA rcaches, by order.
    public var rangeCaches: [RangeCacheView]
    /// IOVA ranges the allocator's rbtree holds (`iova_rbtree`, reserved ranges too).
    public var allocatedRangeCount: Int
}

/// One level of a page walk (`iommu_iova_to_phys()` as the hardware walks it).
public struct PageWalkLevel: Sendable, Hashable {
    /// What the entry the walk reached holds.
    public enum Entry: Sendable, Hashable {
        /// Points at a next-level table (something under its span is mapped).
        case table
        /// A leaf: a granule PTE at the last level, a block above it.
        case leaf(PageView)
        /// Empty: the walk ends with no translation.
        case none
    }

    /// Counted as Linux's generic page table counts, from the leaf: level 1 holds
    /// granule PTEs (VT-d's first level of a 4-level walk is level 4).
    public var level: Int
    /// The IOVA bits this level indexes with, high and low.
    public var highBit: Int
    /// The lowest IOVA bit this level indexes with.
    public var lowBit: Int
    /// The entry's index in its table.
    public var index: UInt64
    /// Bytes one entry of this level covers.
    public var entryBytes: UInt64
    /// What that entry holds.
    public var entry: Entry
}

/// A leaf PTE (`pageBytes` of IOVA) or, without an address, a run of `count` of them; or
/// an unmapped granule in a walk's window (`pte` nil).
public struct PageView: Sendable, Hashable {
    /// The first IOVA it covers.
    public var iova: UInt64
    /// Bytes one page (a PTE or an IOTLB entry) covers.
    public var pageBytes: UInt64
    /// How many such pages the run holds (1 in a walk).
    public var count: UInt64
    /// What the PTE says; nil for an unmapped granule.
    public var pte: PTEView?
}

/// What a PTE says.
public struct PTEView: Sendable, Hashable {
    /// The physical address it maps to.
    public var phys: UInt64
    /// The protection bits (`IOMMU_READ` …).
    public var prot: IOMMUProt
    /// Reached the hardware (false: linked, not yet `iotlb_sync_map`ed).
    public var visible: Bool
}

/// One cached translation, with the ops it owes its life to.
public struct IOTLBEntryView: Sendable, Hashable {
    /// The first IOVA it covers.
    public var iova: UInt64
    /// Bytes one page (a PTE or an IOTLB entry) covers.
    public var pageBytes: UInt64
    /// What the entry still translates to.
    public var cached: PTEView
    /// What the page table says now at the entry's first granule (nil: not present).
    public var current: PTEView?
    /// The page table no longer maps the page as the entry does: a device hit would use
    /// a translation the kernel took away.
    public var isStale: Bool
    /// The op whose IOTLB miss filled it; nil when restored from a state older than
    /// format 10.
    public var filledAt: Int?
    /// The op that cleared a PTE under it without invalidating it.
    public var staleSince: Int?
}

/// One flush queue (`struct iova_fq`): one per CPU, or the single queue.
public struct FlushQueueView: Sendable, Hashable {
    /// The CPU whose queue it is; nil for the single queue.
    public var cpu: Int?
    /// How many entries the queue holds at most.
    public var capacity: Int
    /// Its entries, oldest first.
    public var entries: [FlushQueueEntryView]
}

/// `struct iova_fq_entry`.
public struct FlushQueueEntryView: Sendable, Hashable {
    /// The first IOVA it covers.
    public var iova: UInt64
    /// The length of IOVA space it holds back.
    public var bytes: UInt64
    /// `fq_flush_start_cnt` when queued.
    public var counter: UInt64
    /// A flush that started after it has finished: the next `fq_ring_free_locked()` frees it.
    public var isFlushed: Bool
}

/// `struct iova_rcache` of one order: IOVAs of 2^order granules.
public struct RangeCacheView: Sendable, Hashable {
    /// The ranges it caches are 2^order granules.
    public var order: Int
    /// Each CPU's two magazines.
    public var cpus: [CPUMagazinesView]
    /// The depot's full magazines, the next one popped last.
    public var depot: [[UInt64]]
}

/// `struct iova_cpu_rcache`: the IOVAs (not pfns) in one CPU's two magazines, push order.
public struct CPUMagazinesView: Sendable, Hashable {
    /// The CPU whose magazines they are.
    public var cpu: Int
    /// `cpu_rcache->loaded`.
    public var loaded: [UInt64]
    /// `cpu_rcache->prev`.
    public var previous: [UInt64]
}

/// The swiotlb pool (`io_tlb_pool`).
public struct SwiotlbState: Sendable {
    /// The pool's first physical address.
    public var base: UInt64
    /// Its size in bytes.
    public var sizeBytes: UInt64
    /// How many 2 KiB slots (`IO_TLB_SIZE`) it has, or took.
    public var slotCount: Int
    /// `area->used`.
    public var usedSlots: Int
    /// `area->index`: where the next search starts.
    public var searchIndex: Int
    /// The bounce buffers in use, by slot.
    public var allocations: Limited<SwiotlbAllocationView>
}

/// One bounce buffer: the slots `swiotlb_tbl_map_single()` took for one mapping.
public struct SwiotlbAllocationView: Sendable, Hashable {
    /// The first slot it took.
    public var firstSlot: Int
    /// How many 2 KiB slots (`IO_TLB_SIZE`) it has, or took.
    public var slotCount: Int
    /// The bounce address of the first slot.
    public var tlbAddress: UInt64
    /// `orig_addr` of the first slot that has one (pad slots have none).
    public var origAddress: UInt64?
    /// `alloc_size` of the first slot.
    public var allocBytes: Int64
    /// Slots before the data for the device's alignment (`min_align_mask`).
    public var padSlots: Int
}

/// A `dma_iova_state` the driver holds.
public struct IOVAStateView: Sendable, Hashable {
    /// Its handle in the script (`s1`, `m7`).
    public var handle: String
    /// The device it belongs to.
    public var device: String
    /// `state->addr`: the IOVA the allocation returned.
    public var addr: UInt64
    /// Its size in bytes.
    public var sizeBytes: UInt64
    /// allocated, failed, destroyed, freed.
    public var life: String
    /// Bytes linked and not yet unlinked.
    public var linkedBytes: UInt64
    /// Its links bounce through swiotlb (`DMA_IOVA_USE_SWIOTLB`).
    public var usesSwiotlb: Bool
}

/// A streaming mapping.
public struct MappingView: Sendable, Hashable {
    /// Its handle in the script (`s1`, `m7`).
    public var handle: String
    /// The device it belongs to.
    public var device: String
    /// The `dma_addr_t` the map returned.
    public var dmaAddress: UInt64
    /// The physical address it maps to.
    public var phys: UInt64
    /// The mapped length.
    public var length: UInt64
    /// The direction it was mapped for.
    public var direction: DMADirection
    /// mapped, failed, unmapped.
    public var life: String
    /// The swiotlb buffer it bounces through; nil when it does not.
    public var bounceAddress: UInt64?
}
