/// dma-debug (kernel/dma/debug.c) for the streaming API: the checks of
/// `debug_dma_map_phys()` → `add_dma_entry()`, `check_unmap()` and `check_sync()`.
/// Findings carry the kernel's `err_printk` text; the call itself goes ahead, as in the
/// kernel, where dma-debug only reports.
extension Engine {
    /// `add_dma_entry()`: a mapping that is not TO_DEVICE enters the active-cacheline
    /// tree by its first cacheline (counting at most 7 overlaps: past them
    /// `active_cacheline_inc_overlap()` WARNs once, "exceeded 7 overlapping mappings of
    /// cacheline", except, from 7.0, for a mapping marked ignore-cachelines or
    /// require-coherent); -EEXIST is reported unless the map had SKIP_CPU_SYNC,
    /// or (7.x) both it and the line's entry are marked ignore-cachelines or
    /// require-coherent, or (7.x) `dma_get_cache_alignment()` is below `L1_CACHE_BYTES`
    /// (x86), or (CONFIG_DMA_BOUNCE_UNALIGNED_KMALLOC: arm64) swiotlb is active, which
    /// bounces the small buffers that share lines.
    func debugDMAMap(_ call: MapOp, into outcome: inout Outcome) {
        guard call.direction != .toDevice else { return }
        let marked = !call.attributes.isDisjoint(with: [.debuggingIgnoreCachelines, .requireCoherent])
        guard let existing = activeCachelines.insert(phys: call.phys, marked: marked) else { return }
        let rules = kernelRules
        // active_cacheline_inc_overlap(): WARN_ONCE, not for a marked mapping from 7.0.
        if existing.overflowed && !(rules.toleratesMarkedCachelineOverlap && marked) {
            warnOnce("active_cacheline_inc_overlap", "DMA-API: exceeded \(ActiveCachelines.maxOverlap) overlapping mappings of cacheline 0x\(Self.hex16(existing.line))",
                     into: &outcome)
        }
        if call.attributes.contains(.skipCPUSync) { return }
        if rules.toleratesMarkedCachelineOverlap && marked && existing.existingIsMarked { return }
        if !rules.reportsCachelineOverlap { return }
        if rules.bouncesUnalignedKmalloc && swiotlbPool != nil { return }
        outcome.findings.append(Finding(.overlappingCachelineMapping, handle: call.mapping,
            "cacheline tracking EEXIST, overlapping mappings aren't supported [cacheline=0x\(hex(call.phys >> ActiveCachelines.lineShift))]"))
    }

    /// `debug_dma_map_phys()` (7.1+; "dma-mapping: move dma_map_resource() sanity check
    /// into debug code"): an MMIO mapping whose first page is RAM the kernel manages —
    /// `pfn_valid()` and not `PageReserved()`: a `ram` region outside the swiotlb pool,
    /// which memblock reserved — is reported; the map itself goes ahead as MMIO.
    func debugCheckMMIOOnRAM(_ call: MapOp, into outcome: inout Outcome) {
        guard kernelRules.debugChecksMMIOOnRAM, call.attributes.contains(.mmio),
              isDirectMapped(phys: call.phys, length: 1), swiotlbPool?.contains(call.phys) != true else { return }
        outcome.findings.append(Finding(.mmioMapOfRAM, handle: call.mapping,
            "dma_map_resource called for RAM address 0x\(Self.hex16(call.phys))"))
    }

    /// `dma_entry_free()` → `active_cacheline_remove()`.
    func debugDMAUnmap(_ mapping: StreamingMappingRecord) {
        if mapping.direction != .toDevice { activeCachelines.remove(phys: mapping.phys) }
    }

    /// `check_unmap()`: returns false when the unmap must stop (an invalid address never
    /// reaches the IOMMU).
    func checkUnmap(_ index: Int, _ call: UnmapOp, into outcome: inout Outcome) -> Bool {
        let mapping = mappings[index]
        switch mapping.life {
        case .failed:
            outcome.findings.append(Finding(.unmapOfMappingError, handle: call.mapping,
                "device driver tries to free an invalid DMA memory address"))
            return false
        case .unmapped:
            outcome.findings.append(Finding(.unmapNotMapped, handle: call.mapping,
                "device driver tries to free DMA memory it has not allocated [device address=0x\(hex(mapping.dmaAddress))] [size=\(call.length) bytes]"))
            return true
        case .mapped:
            noteUnmapMismatches(mapping, call, into: &outcome)
            return true
        }
    }

    private func noteUnmapMismatches(_ mapping: StreamingMappingRecord, _ call: UnmapOp, into outcome: inout Outcome) {
        let place = "[device address=0x\(hex(mapping.dmaAddress))]"
        if call.length != mapping.length {
            outcome.findings.append(Finding(.unmapSizeMismatch, handle: call.mapping,
                "device driver frees DMA memory with different size \(place) [map size=\(mapping.length) bytes] [unmap size=\(call.length) bytes]"))
        }
        if call.direction != mapping.direction {
            outcome.findings.append(Finding(.unmapDirectionMismatch, handle: call.mapping,
                "device driver frees DMA memory with different direction \(place) [mapped with \(mapping.direction.rawValue)] [unmapped with \(call.direction.rawValue)]"))
        }
        if let mismatch = unmapAttributeMismatch(mapped: mapping.attributes, unmapped: call.attributes) {
            outcome.findings.append(Finding(.unmapAttributeMismatch, handle: call.mapping,
                "device driver frees DMA memory with different attributes \(place) [size=\(call.length) bytes] \(mismatch)"))
        }
        if !mapping.errorChecked {
            outcome.findings.append(Finding(.mapErrorUnchecked, handle: call.mapping,
                "device driver failed to check map error \(place) [size=\(mapping.length) bytes]"))
        }
    }

    /// `check_sync()`: classes 14–18. Returns whether the mapping is live, so the sync
    /// has something to act on.
    func checkSync(_ index: Int, _ call: StreamingSyncOp, forDevice: Bool, into outcome: inout Outcome) -> Bool {
        let mapping = mappings[index]
        let address = mapping.dmaAddress &+ call.offset
        guard mapping.life == .mapped, call.offset < mapping.length else {
            outcome.findings.append(Finding(.syncNotMapped, handle: call.mapping,
                "device driver tries to sync DMA memory it has not allocated [device address=0x\(hex(address))] [size=\(call.length) bytes]"))
            return mapping.life == .mapped
        }
        if call.length > mapping.length - call.offset {
            outcome.findings.append(Finding(.syncOutOfRange, handle: call.mapping,
                "device driver syncs DMA memory outside allocated range [device address=0x\(hex(mapping.dmaAddress))] [allocation size=\(mapping.length) bytes] [sync offset+size=\(call.offset &+ call.length)]"))
        }
        noteSyncDirection(mapping, call, forDevice: forDevice, into: &outcome)
        return true
    }

    /// Classes 16, 17 and 18, skipped for a BIDIRECTIONAL mapping. As in the kernel, 17
    /// and 18 come with 16: they name what the wrong direction implies.
    private func noteSyncDirection(_ mapping: StreamingMappingRecord, _ call: StreamingSyncOp, forDevice: Bool,
                                   into outcome: inout Outcome) {
        guard mapping.direction != .bidirectional else { return }
        let place = "[device address=0x\(hex(mapping.dmaAddress))] [size=\(mapping.length) bytes] [mapped with \(mapping.direction.rawValue)] [synced with \(call.direction.rawValue)]"
        if call.direction != mapping.direction {
            outcome.findings.append(Finding(.syncDirectionMismatch, handle: call.mapping,
                "device driver syncs DMA memory with different direction \(place)"))
        }
        if !forDevice && mapping.direction != .fromDevice && call.direction != .toDevice {
            outcome.findings.append(Finding(.syncReadOnlyForCPU, handle: call.mapping,
                "device driver syncs device read-only DMA memory for cpu \(place)"))
        }
        if forDevice && mapping.direction != .toDevice && call.direction != .fromDevice {
            outcome.findings.append(Finding(.syncWriteOnlyForDevice, handle: call.mapping,
                "device driver syncs device write-only DMA memory to device \(place)"))
        }
    }
}
