import DMASim

/// One DMA or IOMMU event read from a trace, with every field the line carried and nil
/// for every field it did not. Nothing here is guessed: the importer decides what the
/// unknowns become when it journals the event, and says so.
public struct ParsedEvent: Sendable, Hashable {
    public var kind: TraceEventKind
    /// The event or message as the kernel (or QEMU) names it: `dma_map_page`,
    /// `dma_map_phys`, `iommu_map_old`, `dmar_fault`, `vtd_dmar_fault`, …
    public var naming: String
    /// The device as the line names it (`0000:00:14.0`, `1d84000.ufshc`), normalized.
    public var device: String?
    /// An IOVA space the line names itself (a virtio-iommu domain), when it does.
    public var space: String?
    /// The DMA address or IOVA: what a map returned, what an unmap or sync named, where a
    /// fault or access happened.
    public var address: UInt64?
    public var phys: UInt64?
    public var sizeBytes: UInt64?
    public var direction: DMADirection?
    public var attributes: DMAAttributes?
    /// Page permissions the line states (virtio-iommu MAP flags).
    public var prot: IOMMUProt?
    /// Scatter-gather: each DMA segment, and the list's physical addresses.
    public var segments: [DMASegment] = []
    public var physList: [UInt64] = []
    /// A fault's or access's direction, when the report gives it.
    public var isWrite: Bool?
    /// A fault's kind, when the report says it (AMD-Vi PR bit, SMMU fault type).
    public var faultKind: FaultKind?
    /// A fault's reason text, or a dma-debug warning's message.
    public var reason: String?
    public var pasid: UInt64?
    /// `add_device_to_group`'s group ID.
    public var groupID: Int?
    /// The dma-debug class a warning names.
    public var misuse: MisuseClass?
    /// The errno a failed map returned (`dma_map_sg_err`'s `err=`).
    public var errno: Int?
    /// `iommu:unmap`'s `unmapped_size`: what the kernel really unmapped.
    public var unmappedBytes: UInt64?
    /// The `iommu:map` / `iommu:unmap` events the call caused, folded into it: a
    /// `dma_map_phys` through an IOMMU traces the page-table change first, then itself.
    public var iommuEvents: [IOMMUEvent] = []
    /// A two-step call's `struct dma_iova_state`: its address in a probe capture, or the
    /// name the importer gave a request it rebuilt from the trace's shape.
    public var state: String?
    /// A two-step link, sync or unlink's offset into the state's IOVA range.
    public var offset: UInt64?
    /// `dma_iova_try_alloc` returned false (the state was zeroed).
    public var fallback = false
    /// What the parser had to decide (a fault with no read/write flag, …).
    public var note: String?
    /// The kernel oopsed inside this call: it never returned (`KernelOops`).
    public var oopsed = false
    /// A rebuilt `dma_iova_try_alloc` whose size is only what the trace showed linked: the
    /// request's destroy, whose unmap says its size, is not in the trace.
    public var sizeIsLowerBound = false
    public var provenance: EventProvenance

    public init(kind: TraceEventKind, naming: String, provenance: EventProvenance) {
        self.kind = kind
        self.naming = naming
        self.provenance = provenance
    }
}

/// One `iommu:map` or `iommu:unmap` event folded into the DMA API call that caused it.
public struct IOMMUEvent: Sendable, Hashable {
    public var iova: UInt64
    public var sizeBytes: UInt64
    /// The physical address a map installed; nil for an unmap.
    public var phys: UInt64?
    /// What an unmap really removed (`unmapped_size`).
    public var unmappedBytes: UInt64?
    /// Its line in the file, the line as read, and its time since boot.
    public var line: Int
    public var raw: String
    public var timestampNanoseconds: UInt64?

    public init(iova: UInt64, sizeBytes: UInt64, phys: UInt64? = nil, unmappedBytes: UInt64? = nil, line: Int, raw: String = "",
                timestampNanoseconds: UInt64? = nil) {
        self.iova = iova; self.sizeBytes = sizeBytes; self.phys = phys; self.unmappedBytes = unmappedBytes
        self.line = line; self.raw = raw; self.timestampNanoseconds = timestampNanoseconds
    }

    var end: UInt64 { iova.addingReportingOverflow(sizeBytes).overflow ? .max : iova + sizeBytes }
}

/// One segment of a scatter-gather mapping as the device sees it.
public struct DMASegment: Sendable, Hashable {
    public var address: UInt64
    public var length: UInt64
    public init(address: UInt64, length: UInt64) { self.address = address; self.length = length }
}

/// Where an event came from: its lines and what their prefix said.
public struct EventProvenance: Sendable, Hashable {
    public var format: SourceFormat
    /// First line of the record in its file (from 1) and how many lines it spans.
    public var line: Int
    public var lineCount: Int
    /// Time since boot: ftrace's clock, dmesg's `[seconds]`.
    public var timestampNanoseconds: UInt64?
    /// A calendar time as the line gave it.
    public var wallClock: String?
    public var cpu: Int?
    public var task: String?
    public var pid: Int?
    /// Task, softirq, hardirq or NMI, when the line's flags column says.
    public var context: ExecutionContext?
    /// The task of a line not imported that came before this event on its CPU (since the
    /// CPU's previous event): that task ran there in between.
    public var taskRanBefore: Int?
    /// The record as read: quote prefixes removed, wrapped lines joined.
    public var raw: String

    public init(format: SourceFormat, line: Int, lineCount: Int = 1, raw: String) {
        self.format = format
        self.line = line
        self.lineCount = lineCount
        self.raw = raw
    }
}

extension ParsedEvent {
    /// Whether `length` bytes from `address` run past 2^64 (the last byte's address wraps).
    static func wraps(_ address: UInt64, _ length: UInt64) -> Bool {
        length > 0 && address > UInt64.max - (length - 1)
    }

    /// Whether the range the event reports, at its DMA address or its physical one, runs
    /// past 2^64. `DMA_MAPPING_ERROR` (~0), what a failed map returns, names no range.
    var rangeWraps: Bool {
        guard let length = sizeBytes else { return false }
        if let address, address != DMADebugMessages.mappingErrorAddress, Self.wraps(address, length) { return true }
        if let phys, Self.wraps(phys, length) { return true }
        return false
    }
}
