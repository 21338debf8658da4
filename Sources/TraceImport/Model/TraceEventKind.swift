/// What a trace line reported. Each kind becomes its own kind of op (docs/import.md).
public enum TraceEventKind: Sendable, Hashable {
    /// A mapping made: `dma_map_page`/`dma_map_phys`, `dma_alloc`, `dma_map_sg`, `iommu:map`,
    /// virtio-iommu MAP, iommu.c's `map:` debug line, a dma-debug mapping dump.
    case map
    /// A mapping call that failed (`dma_map_sg_err`, `dma_alloc_sgt_err`).
    case mapFailed
    /// A mapping undone: `dma_unmap_*`, `dma_free*`, `iommu:unmap`, virtio-iommu UNMAP.
    case unmap
    case syncForCPU
    case syncForDevice
    /// The IOMMU refused a device access: DMAR, AMD-Vi, arm-smmu, SMMUv3, `io_page_fault`, QEMU.
    case fault
    /// A device access the IOMMU translated (QEMU's translate events).
    case access
    /// A dma-debug warning: the call it fired in, and what it found.
    case debugReport(ReportedCall)
    /// The device joined or left an IOMMU domain or group.
    case attach
    case detach
    case groupAdd
    case groupRemove
    /// A call of the two-step API (`dma_iova_*`): from probe events, or rebuilt from the
    /// `iommu:map`/`iommu:unmap` events of a request that had no DMA API event.
    case iova(IOVACall)
    /// The return of a two-step call, from its `_ret` probe event: folded into the call.
    case iovaReturn(IOVACall)
    /// A call the kernel traced but that did nothing (`dma_free` of a NULL buffer).
    case noOp
    /// The flush-queue timer ran (`timer:timer_expire_entry function=fq_flush_timeout`).
    case flushTimer
    /// A kernel oops: the call it interrupted (an unreturned probe entry whose function
    /// the call trace names) gets its outcome, `oops` (CallAssembler).
    case oops(KernelOops)

    var isTwoStep: Bool {
        if case .iova = self { return true }
        return false
    }

    /// The word the summary counts it under.
    public var summaryName: String {
        switch self {
        case .map: return "map"
        case .mapFailed: return "failed map"
        case .unmap: return "unmap"
        case .syncForCPU, .syncForDevice: return "sync"
        case .fault: return "fault"
        case .access: return "access"
        case .debugReport: return "dma-debug"
        case .attach, .detach, .groupAdd, .groupRemove: return "attach/detach"
        case .iova, .iovaReturn: return "two-step"
        case .noOp: return "no-op"
        case .flushTimer: return "flush timer"
        case .oops: return "oops"
        }
    }
}

/// The DMA API call a dma-debug warning fired in (kernel/dma/debug.c): `check_unmap`
/// runs in every unmap and free, `check_sync` in every sync, `add_dma_entry` and the map
/// checks in every map, the bus notifier at driver unbind.
public enum ReportedCall: Sendable, Hashable {
    case map, unmap, syncForCPU, syncForDevice
    /// `check_sync`'s own messages do not say which way the sync went.
    case sync
    case detach
}

/// The calls of the two-step API (include/linux/dma-mapping.h, drivers/iommu/dma-iommu.c).
public enum IOVACall: String, Sendable, Hashable {
    case tryAlloc = "dma_iova_try_alloc"
    case link = "dma_iova_link"
    case sync = "dma_iova_sync"
    case unlink = "dma_iova_unlink"
    case destroy = "dma_iova_destroy"
    case free = "dma_iova_free"
}
