/// Two-step requests rebuilt from the shape a trace without `dma_iova_*` probes shows of
/// them (drivers/iommu/dma-iommu.c; block/blk-mq-dma.c `blk_rq_dma_map_iova`):
///
/// - `dma_iova_try_alloc(dev, state, phys, size)` allocates `iova_align(size + offset)`
///   bytes of IOVA, size-aligned, and traces nothing;
/// - each `dma_iova_link` maps its range at `state->addr + offset` with `iommu_map_nosync`,
///   which traces one `iommu:map`; links after the first start on a granule, so a
///   request's maps are consecutive in IOVA, in its task, with no DMA API event;
/// - `dma_iova_sync` flushes them (nothing traced);
/// - `dma_iova_destroy(dev, state, mapped_len, …)` unlinks everything at once (one
///   `iommu:unmap` of `iova_align(mapped_len + offset)` bytes, from the start) and frees
///   the IOVA.
///
/// So the `iommu:unmap` that ends a request is what says where it began and ended: the
/// maps it covers, tiled from its first byte, are the request's links; its size is the
/// allocation's. Rebuilt, that is `dma_iova_try_alloc` of the whole range at the first
/// map, a `dma_iova_link` per map, `dma_iova_sync` after the last, and `dma_iova_destroy`
/// at the unmap. What the trace cannot say stays unsaid: the buffer's offset in its first
/// page (maps are whole granules), the direction and attributes.
struct TwoStepRebuild {
    struct Piece {
        var id: Int
        var event: ParsedEvent
        var key: CallAssembler.TaskKey
    }

    /// Maps no DMA API call claimed, per file, by IOVA.
    private var pieces: [Int: [UInt64: Piece]] = [:]
    /// The device that last mapped through an IOMMU, per file: iommu:map names none.
    private var deviceBehindIOMMU: [Int: String] = [:]
    /// Files that show DMA API events: only there does an `iommu:map` without one say
    /// that no DMA API call made it (a trace of `iommu:*` alone shows no DMA API call).
    private var tracesDMAAPI: Set<Int> = []
    private var requests = 0
    /// How a rebuilt try_alloc's note begins: the call traced nothing, so where it ran is
    /// only bounded by its task's events (`UntracedAllocationOrder`).
    static let rebuiltAllocNote = "dma_iova_try_alloc rebuilt from the request's iommu:map events"

    mutating func noteDMATracing(source: Int) { tracesDMAAPI.insert(source) }

    mutating func noteDeviceBehindIOMMU(_ event: ParsedEvent, source: Int) {
        if let device = event.device { deviceBehindIOMMU[source] = device }
    }

    /// Keeps a map as a possible link. False when it cannot be one (no IOVA or size, or a
    /// file that shows no DMA API event so far).
    mutating func addPiece(_ id: Int, _ event: ParsedEvent, key: CallAssembler.TaskKey) -> Bool {
        guard tracesDMAAPI.contains(key.source), let iova = event.address, let size = event.sizeBytes, size > 0 else { return false }
        pieces[key.source, default: [:]][iova] = Piece(id: id, event: event, key: key)
        return true
    }

    /// The request an `iommu:unmap` ends, when the maps it covers tile it from its first
    /// byte: each link's events (the first also carries the try_alloc, the last the
    /// sync), and the destroy.
    mutating func request(endedBy unmap: ParsedEvent, source: Int) -> (links: [(Int, [ParsedEvent])], destroy: ParsedEvent)? {
        guard let iova = unmap.address, let size = unmap.sizeBytes, size > 0 else { return nil }
        let end = iova.addingReportingOverflow(size)
        guard !end.overflow else { return nil }
        var run: [Piece] = []
        var at = iova
        while at < end.partialValue, let piece = pieces[source]?[at], let length = piece.event.sizeBytes {
            run.append(piece)
            at &+= length
        }
        guard at == end.partialValue, !run.isEmpty else { return nil }
        for piece in run { pieces[source]?[piece.event.address!] = nil }
        let state = newState()
        let links = linkEvents(run, state: state, source: source, total: size)
        var destroy = unmap
        destroy.kind = .iova(.destroy)
        destroy.state = state
        destroy.device = deviceBehindIOMMU[source]
        destroy.iommuEvents = [CallAssembler.iommuEvent(unmap)]
        destroy.note = "dma_iova_destroy rebuilt from this iommu:unmap of the request's whole range: mapped_len is its size"
        return (links, destroy)
    }

    /// The run of consecutive maps of one task starting with piece `id`, as a request whose
    /// destroy the trace does not hold (a capture cut short): its try_alloc's size is only
    /// what it linked, a lower bound of `dma_iova_try_alloc()`'s.
    mutating func requestByShape(startingAt id: Int) -> [(Int, [ParsedEvent])]? {
        guard let (source, first) = pieces.lazy.compactMap({ source, byIOVA in
            byIOVA.values.first { $0.id == id }.map { (source, $0) }
        }).first else { return nil }
        var run = [first]
        var at = first.event.address! &+ first.event.sizeBytes!
        while let next = pieces[source]?[at], next.key == first.key, next.id > run.last!.id {
            run.append(next)
            at &+= next.event.sizeBytes!
        }
        for piece in run { pieces[source]?[piece.event.address!] = nil }
        let total = run.reduce(UInt64(0)) { $0 &+ ($1.event.sizeBytes ?? 0) }
        var links = linkEvents(run, state: newState(), source: source, total: total)
        if var alloc = links.first?.1.first, alloc.kind == .iova(.tryAlloc) {
            alloc.sizeIsLowerBound = true
            alloc.note = (alloc.note ?? "") + "; the trace holds no destroy of this request (it ends first): the allocation was at "
                + "least this size, and its IOVA, which the size decides, is not claimed"
            links[0].1[0] = alloc
        }
        return links
    }

    private mutating func newState() -> String {
        requests += 1
        return "r\(requests)"
    }

    private func linkEvents(_ run: [Piece], state: String, source: Int, total: UInt64) -> [(Int, [ParsedEvent])] {
        let start = run[0].event.address!
        let device = deviceBehindIOMMU[source]
        var result: [(Int, [ParsedEvent])] = []
        for (index, piece) in run.enumerated() {
            var events: [ParsedEvent] = []
            if index == 0 {
                var alloc = piece.event
                alloc.kind = .iova(.tryAlloc)
                alloc.naming = IOVACall.tryAlloc.rawValue
                alloc.state = state
                alloc.device = device
                alloc.sizeBytes = total
                alloc.note = Self.rebuiltAllocNote + " (no dma_iova_* probe events): "
                    + "its size is theirs, granule-rounded; the buffer's offset in its first page is not in the trace"
                    + (device == nil ? "" : "; device \(device!): the last to map through the IOMMU")
                events.append(alloc)
            }
            var link = piece.event
            link.kind = .iova(.link)
            link.state = state
            link.device = device
            link.offset = piece.event.address! &- start
            link.address = start
            link.iommuEvents = [CallAssembler.iommuEvent(piece.event)]
            link.note = "dma_iova_link rebuilt from this iommu:map: direction and attributes are not in the trace"
            events.append(link)
            if index == run.count - 1 {
                var sync = piece.event
                sync.kind = .iova(.sync)
                sync.naming = IOVACall.sync.rawValue
                sync.state = state
                sync.device = device
                sync.offset = 0
                sync.sizeBytes = total
                sync.iommuEvents = []
                sync.phys = nil
                sync.address = start
                sync.note = "dma_iova_sync is not traced: rebuilt after the last link, where blk_rq_dma_map_iova() calls it"
                events.append(sync)
            }
            result.append((piece.id, events))
        }
        return result
    }
}
