import DMASim
import OpScript
import Replay

/// `dmajournal state`'s report, as text for people or one JSON object (addresses as hex
/// strings, so `jq` keeps all 64 bits).
struct MachineStatePrinter {
    let journal: String
    let report: StateInspector.Report
    let sections: Set<StateSection>

    private var state: MachineState { report.state }

    /// "after seq 42: checkpoint 'cp1' (after seq 30), 12 ops replayed".
    var origin: String {
        let start = report.checkpoint.map { "checkpoint '\($0)' (after seq \(report.checkpointSequence ?? -1))" } ?? "op 0"
        return "\(journal) after seq \(report.sequence): from \(start), \(report.replayedCount) ops replayed"
    }

    // MARK: text

    var text: String {
        var lines = [origin]
        let showsDomains = !sections.isDisjoint(with: [.pageTable, .iotlb, .flushQueue, .rcache])
        for domain in state.domains where showsDomains { lines += domainLines(domain) }
        if state.domains.isEmpty && showsDomains {
            lines.append("no DMA domain (no device behind a translating IOMMU)")
        }
        if sections.contains(.swiotlb) { lines += swiotlbLines }
        if sections.contains(.handles) { lines += handleLines }
        return lines.joined(separator: "\n")
    }

    private func domainLines(_ domain: DomainState) -> [String] {
        var lines = ["", "domain of \(domain.devices.joined(separator: ", ")) on \(domain.iommu): \(domain.mode.rawValue), "
                     + "granule \(size(domain.granuleBytes)), \(domain.apertureBits)-bit aperture, \(count(Int(clamping: domain.presentGranules), "granule", "granules")) mapped"]
        if sections.contains(.pageTable) { lines += pageTableLines(domain) }
        if sections.contains(.iotlb) { lines += iotlbLines(domain) }
        if sections.contains(.flushQueue) { lines += flushQueueLines(domain) }
        if sections.contains(.rcache) { lines += rangeCacheLines(domain) }
        return lines
    }

    private func pageTableLines(_ domain: DomainState) -> [String] {
        var lines: [String] = []
        if let first = domain.walk.first {
            lines.append("  page walk (\(domain.walk.count == 1 ? "1 level" : "\(domain.walk.count) levels") of \(first.level)):")
            for level in domain.walk {
                let entry: String
                switch level.entry {
                case .table: entry = "table"
                case .leaf(let page): entry = (level.level == 1 ? "pte " : "block \(size(page.pageBytes)) ") + (page.pte.map(pte) ?? "none")
                case .none: entry = "none: no translation (a device access faults)"
                }
                lines.append("    level \(level.level)  iova[\(level.highBit):\(level.lowBit)] index \(hex(level.index))  \(entry)")
            }
            lines.append("  page table around it:")
        } else {
            lines.append("  page table, \(count(domain.pages.items.count + domain.pages.omitted, "run", "runs")) of PTEs:")
        }
        for page in domain.pages.items {
            let extent = page.count > 1 ? "\(page.count) × \(size(page.pageBytes))" : size(page.pageBytes)
            lines.append("    \(hex(page.iova))  \(extent)  \(page.pte.map(pte) ?? "none")")
        }
        lines += omitted(domain.pages.omitted, "runs")
        return lines
    }

    private func iotlbLines(_ domain: DomainState) -> [String] {
        let stale = domain.iotlb.items.filter(\.isStale).count
        var lines = ["  iotlb, \(count(domain.iotlbCount, "entry", "entries"))" + (stale > 0 ? " (\(stale) stale shown)" : "") + ":"]
        for entry in domain.iotlb.items {
            var line = "    \(hex(entry.iova))  \(size(entry.pageBytes))  → \(pte(entry.cached))  filled at \(opName(entry.filledAt))"
            if entry.isStale {
                line += "\n      STALE: still translates to \(hex(entry.cached.phys)); the page table now says "
                    + (entry.current.map(pte) ?? "not present")
                line += entry.staleSince.map { "; PTE cleared at \(opName($0)) with no IOTLB invalidation since" } ?? ""
            }
            lines.append(line)
        }
        lines += omitted(domain.iotlb.omitted, "entries")
        return lines
    }

    private func flushQueueLines(_ domain: DomainState) -> [String] {
        guard domain.mode == .lazy else { return ["  flush queue: none (strict domain: unmaps invalidate at once)"] }
        let timer = domain.flushTimerCPU.map { "timer armed on cpu \($0)" } ?? "timer off"
        var lines = ["  flush queues: \(domain.flushStartCount) flushes started, \(domain.flushFinishCount) finished, \(timer)"]
        for queue in domain.flushQueues {
            lines.append("    \(queue.cpu.map { "cpu \($0)" } ?? "single queue"): \(queue.entries.count) of \(queue.capacity)")
            for entry in queue.entries {
                lines.append("      \(hex(entry.iova))  \(size(entry.bytes))  counter \(entry.counter)  "
                             + (entry.isFlushed ? "flushed, freed by the next fq_ring_free" : "waiting for a flush"))
            }
        }
        return lines
    }

    private func rangeCacheLines(_ domain: DomainState) -> [String] {
        var lines = ["  rcache (\(count(domain.allocatedRangeCount, "range", "ranges")) in the rbtree):"]
        if domain.rangeCaches.isEmpty { lines.append("    empty") }
        for cache in domain.rangeCaches {
            let pages = size(domain.granuleBytes << UInt64(cache.order))
            for cpu in cache.cpus {
                lines.append("    order \(cache.order) (\(pages)) cpu \(cpu.cpu): loaded [\(cpu.loaded.map(hex).joined(separator: " "))] "
                             + "prev [\(cpu.previous.map(hex).joined(separator: " "))]")
            }
            if !cache.depot.isEmpty {
                lines.append("    order \(cache.order) (\(pages)) depot: \(cache.depot.count) full magazines")
            }
        }
        return lines
    }

    private var swiotlbLines: [String] {
        guard let pool = state.swiotlb else { return ["", "swiotlb: no pool"] }
        var lines = ["", "swiotlb pool \(hex(pool.base)) \(size(pool.sizeBytes)): \(pool.slotCount) slots, \(pool.usedSlots) used, "
                     + "next search at slot \(pool.searchIndex)"]
        for allocation in pool.allocations.items {
            let slots = allocation.slotCount == 1 ? "slot \(allocation.firstSlot)" : "slots \(allocation.firstSlot)-\(allocation.firstSlot + allocation.slotCount - 1)"
            lines.append("  \(slots)  tlb \(hex(allocation.tlbAddress))  orig \(allocation.origAddress.map(hex) ?? "none")  "
                         + "alloc_size \(allocation.allocBytes)" + (allocation.padSlots > 0 ? "  pad_slots \(allocation.padSlots)" : ""))
        }
        lines += omitted(pool.allocations.omitted, "allocations")
        return lines
    }

    private var handleLines: [String] {
        var lines = ["", "handles: \(count(state.states.count, "IOVA state", "IOVA states")), "
                     + "\(count(state.mappings.count, "streaming mapping", "streaming mappings")) (live, and ended ones a later op still names)"]
        for view in state.states {
            lines.append("  state \(view.handle)  \(view.device)  addr \(hex(view.addr))  size \(size(view.sizeBytes))  \(view.life)"
                         + "  linked \(size(view.linkedBytes))" + (view.usesSwiotlb ? "  swiotlb" : ""))
        }
        for view in state.mappings {
            lines.append("  mapping \(view.handle)  \(view.device)  dma \(hex(view.dmaAddress))  phys \(hex(view.phys))  len \(size(view.length))"
                         + "  \(view.direction.rawValue)  \(view.life)" + (view.bounceAddress.map { "  bounce \(hex($0))" } ?? ""))
        }
        return lines
    }

    private func opName(_ seq: Int?) -> String {
        guard let seq else { return "an unknown op (restored from a checkpoint older than state format 10)" }
        return "seq \(seq)" + (report.opLines[seq].map { " (\($0))" } ?? "")
    }

    private func pte(_ pte: PTEView) -> String {
        "\(hex(pte.phys)) \(pte.prot.shortDescription)" + (pte.visible ? "" : " not synced")
    }

    private func omitted(_ count: Int, _ what: String) -> [String] {
        count > 0 ? ["    … \(count) more \(what) (--limit)"] : []
    }

    private func count(_ value: Int, _ one: String, _ many: String) -> String { "\(value) \(value == 1 ? one : many)" }
    private func hex(_ value: UInt64) -> String { ScriptNumber.hex(value) }
    private func size(_ value: UInt64) -> String { ScriptNumber.size(value) }
}
