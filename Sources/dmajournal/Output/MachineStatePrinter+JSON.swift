import DMASim
import Replay

/// `state --format json`: one object; every address and PTE value a hex string.
extension MachineStatePrinter {
    var json: JSONObject {
        var fields: [(String, JSONValue)] = [
            ("journal", .string(journal)), ("seq", .int(report.sequence)),
            ("checkpoint", report.checkpoint.map { .string($0) } ?? .null),
            ("checkpoint_seq", report.checkpointSequence.map { .int($0) } ?? .null),
            ("replayed", .int(report.replayedCount)),
            ("divergence_seq", report.divergence.map { .int($0.sequence) } ?? .null),
        ]
        if !sections.isDisjoint(with: [.pageTable, .iotlb, .flushQueue, .rcache]) {
            fields.append(("domains", .array(report.state.domains.map(domainJSON))))
        }
        if sections.contains(.swiotlb) { fields.append(("swiotlb", report.state.swiotlb.map(swiotlbJSON) ?? .null)) }
        if sections.contains(.handles) {
            fields.append(("states", .array(report.state.states.map(stateJSON))))
            fields.append(("mappings", .array(report.state.mappings.map(mappingJSON))))
        }
        return JSONObject(fields)
    }

    private func domainJSON(_ domain: DomainState) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("iommu", .string(domain.iommu)), ("devices", .array(domain.devices.map { .string($0) })),
            ("mode", .string(domain.mode.rawValue)), ("granule", .hex(domain.granuleBytes)), ("aperture_bits", .int(domain.apertureBits)),
            ("present_granules", .hex(domain.presentGranules)),
        ]
        if sections.contains(.pageTable) {
            fields.append(("walk", .array(domain.walk.map(levelJSON))))
            fields.append(("pages", .array(domain.pages.items.map(pageJSON))))
            fields.append(("pages_omitted", .int(domain.pages.omitted)))
        }
        if sections.contains(.iotlb) {
            fields.append(("iotlb", .array(domain.iotlb.items.map(iotlbJSON))))
            fields.append(("iotlb_count", .int(domain.iotlbCount)))
        }
        if sections.contains(.flushQueue) {
            fields.append(("flush_queues", .array(domain.flushQueues.map(flushQueueJSON))))
            fields.append(("flush_start_count", .hex(domain.flushStartCount)))
            fields.append(("flush_finish_count", .hex(domain.flushFinishCount)))
            fields.append(("flush_timer_cpu", domain.flushTimerCPU.map { .int($0) } ?? .null))
        }
        if sections.contains(.rcache) {
            fields.append(("rcache", .array(domain.rangeCaches.map(rangeCacheJSON))))
            fields.append(("rbtree_ranges", .int(domain.allocatedRangeCount)))
        }
        return .object(fields)
    }

    private func levelJSON(_ level: PageWalkLevel) -> JSONValue {
        var fields: [(String, JSONValue)] = [("level", .int(level.level)), ("high_bit", .int(level.highBit)), ("low_bit", .int(level.lowBit)),
                                             ("index", .int(Int(level.index))), ("entry_bytes", .hex(level.entryBytes))]
        switch level.entry {
        case .table: fields.append(("entry", .string("table")))
        case .none: fields.append(("entry", .string("none")))
        case .leaf(let page):
            fields.append(("entry", .string("leaf")))
            fields.append(("pte", pteJSON(page.pte)))
        }
        return .object(fields)
    }

    private func pageJSON(_ page: PageView) -> JSONValue {
        .object([("iova", .hex(page.iova)), ("page_bytes", .hex(page.pageBytes)), ("count", .hex(page.count)), ("pte", pteJSON(page.pte))])
    }

    private func pteJSON(_ pte: PTEView?) -> JSONValue {
        guard let pte else { return .null }
        return .object([("phys", .hex(pte.phys)), ("prot", .string(pte.prot.shortDescription)), ("visible", .bool(pte.visible))])
    }

    private func iotlbJSON(_ entry: IOTLBEntryView) -> JSONValue {
        .object([("iova", .hex(entry.iova)), ("page_bytes", .hex(entry.pageBytes)), ("cached", pteJSON(entry.cached)),
                 ("current", pteJSON(entry.current)), ("stale", .bool(entry.isStale)),
                 ("filled_seq", entry.filledAt.map { .int($0) } ?? .null), ("filled_op", opJSON(entry.filledAt)),
                 ("stale_seq", entry.staleSince.map { .int($0) } ?? .null), ("stale_op", opJSON(entry.staleSince))])
    }

    private func opJSON(_ seq: Int?) -> JSONValue {
        seq.flatMap { report.opLines[$0] }.map { .string($0) } ?? .null
    }

    private func flushQueueJSON(_ queue: FlushQueueView) -> JSONValue {
        .object([("cpu", queue.cpu.map { .int($0) } ?? .null), ("capacity", .int(queue.capacity)),
                 ("entries", .array(queue.entries.map { entry in
                     .object([("iova", .hex(entry.iova)), ("bytes", .hex(entry.bytes)), ("counter", .hex(entry.counter)),
                              ("flushed", .bool(entry.isFlushed))])
                 }))])
    }

    private func rangeCacheJSON(_ cache: RangeCacheView) -> JSONValue {
        .object([("order", .int(cache.order)),
                 ("cpus", .array(cache.cpus.map { cpu in
                     .object([("cpu", .int(cpu.cpu)), ("loaded", .array(cpu.loaded.map { .hex($0) })),
                              ("previous", .array(cpu.previous.map { .hex($0) }))])
                 })),
                 ("depot", .array(cache.depot.map { .array($0.map { .hex($0) }) }))])
    }

    private func swiotlbJSON(_ pool: SwiotlbState) -> JSONValue {
        .object([("base", .hex(pool.base)), ("size", .hex(pool.sizeBytes)), ("slots", .int(pool.slotCount)),
                 ("used_slots", .int(pool.usedSlots)), ("search_index", .int(pool.searchIndex)),
                 ("allocations", .array(pool.allocations.items.map { allocation in
                     .object([("first_slot", .int(allocation.firstSlot)), ("slot_count", .int(allocation.slotCount)),
                              ("tlb_addr", .hex(allocation.tlbAddress)), ("orig_addr", allocation.origAddress.map { .hex($0) } ?? .null),
                              ("alloc_size", .int(Int(allocation.allocBytes))), ("pad_slots", .int(allocation.padSlots))])
                 })),
                 ("allocations_omitted", .int(pool.allocations.omitted))])
    }

    private func stateJSON(_ view: IOVAStateView) -> JSONValue {
        .object([("handle", .string(view.handle)), ("device", .string(view.device)), ("addr", .hex(view.addr)),
                 ("size", .hex(view.sizeBytes)), ("life", .string(view.life)), ("linked", .hex(view.linkedBytes)),
                 ("swiotlb", .bool(view.usesSwiotlb))])
    }

    private func mappingJSON(_ view: MappingView) -> JSONValue {
        .object([("handle", .string(view.handle)), ("device", .string(view.device)), ("dma_addr", .hex(view.dmaAddress)),
                 ("phys", .hex(view.phys)), ("length", .hex(view.length)), ("direction", .string(view.direction.rawValue)),
                 ("life", .string(view.life)), ("bounce", view.bounceAddress.map { .hex($0) } ?? .null)])
    }
}
