/// dma-debug's own view of an unmap (kernel/dma/debug.c `check_unmap()`): it finds the
/// entry by (device, DMA address) in its hash, `__hash_bucket_find()` with
/// `exact_match()`, taking a perfect fit on size, type and direction, else the only
/// match, else none. It knows no handles.
///
/// The checker matches by handle, which is what a driver means. The two part when a
/// handle is stale and its address was handed out again (dma-debug checks, and frees, the
/// new mapping's entry, which then "was never allocated" at its own unmap), and when one
/// address is mapped twice (dma-direct). Where they part, the lines dma-debug would print
/// go into the op's kernel warnings; the handle-based findings stay as the extra they are.
extension Engine {
    /// `check_unmap()` for the unmap of `index` with `call`'s arguments: which entry
    /// dma-debug frees (its cacheline leaves the tree), and what it prints when that is
    /// not the handle's own entry.
    func debugCheckUnmap(_ index: Int, _ call: UnmapOp, into outcome: inout Outcome) {
        let record = mappings[index]
        guard record.life != .failed else { return }     // same view: "an invalid DMA memory address"
        let key = DMADebugKey(device: record.device, dmaAddress: record.dmaAddress)
        let entry = debugBucketFind(key, lengthBytes: call.length, direction: call.direction)
        if let entry { freeDebugEntry(entry, key: key) }
        // The same view: the handle's own entry, or none for a handle already unmapped
        // (whose finding carries dma-debug's "has not allocated" already).
        if entry == index || (entry == nil && record.life == .unmapped) { return }
        let lines = debugUnmapReport(call, key: key, entry: entry)
        outcome.warnings += lines
        if let entry, record.life == .unmapped {
            restateStaleUnmap(call.mapping, address: key.dmaAddress, victim: mappings[entry].handle, printed: !lines.isEmpty, &outcome)
        }
    }

    /// The checker's unmap-not-mapped for a stale handle carries dma-debug's "has not
    /// allocated" text, which dma-debug does not print when another entry has the address.
    private func restateStaleUnmap(_ handle: String, address: UInt64, victim: String, printed: Bool, _ outcome: inout Outcome) {
        guard let at = outcome.findings.lastIndex(where: { $0.misuse == .unmapNotMapped && $0.handle == handle }) else { return }
        outcome.findings[at].message = "\(handle) was already unmapped [device address=0x\(hex(address))]; dma-debug, which matches by device and address, takes \(victim)'s "
            + "entry at this address instead and frees it (" + (printed ? "its complaints about that entry are in the kernel warnings" : "printing nothing")
            + "), and the unmap tears down \(victim)'s mapping"
    }

    /// dma-debug's hash from the records that hold an entry, each bucket in the order the
    /// entries were added (the records' serials): after decoding a state.
    func rebuildDebugEntries() {
        dmaDebugEntries = [:]
        for slot in mappings.occupiedSlots.sorted(by: { mappings[$0].serial < mappings[$1].serial }) where mappings[slot].hasDebugEntry {
            dmaDebugEntries[DMADebugKey(device: mappings[slot].device, dmaAddress: mappings[slot].dmaAddress), default: []].append(slot)
        }
    }

    /// `add_dma_entry()`'s bookkeeping: the new entry goes to the tail of its bucket.
    func addDebugEntry(_ index: Int) {
        mappings[index].hasDebugEntry = true
        dmaDebugEntries[DMADebugKey(device: mappings[index].device, dmaAddress: mappings[index].dmaAddress), default: []].append(index)
    }

    /// `__hash_bucket_find()`: the first perfect fit (size, type, direction; every entry
    /// here is a `phy` single mapping), else the one match, else none.
    private func debugBucketFind(_ key: DMADebugKey, lengthBytes: UInt64, direction: DMADirection) -> Int? {
        let candidates = dmaDebugEntries[key] ?? []
        if let perfect = candidates.first(where: { mappings[$0].length == lengthBytes && mappings[$0].direction == direction }) {
            return perfect
        }
        return candidates.count == 1 ? candidates[0] : nil
    }

    /// `hash_bucket_del()` + `dma_entry_free()` → `active_cacheline_remove()`.
    private func freeDebugEntry(_ entry: Int, key: DMADebugKey) {
        dmaDebugEntries[key]?.removeAll { $0 == entry }
        if dmaDebugEntries[key]?.isEmpty == true { dmaDebugEntries[key] = nil }
        mappings[entry].hasDebugEntry = false
        debugDMAUnmap(mappings[entry])
        noteMayRetire(.mapping(entry))
    }

    /// The `err_printk` lines of `check_unmap()` against `entry` (or for none), as the
    /// kernel prints them: "DMA-API: <device>: …", addresses as `%016llx`.
    private func debugUnmapReport(_ call: UnmapOp, key: DMADebugKey, entry: Int?) -> [String] {
        let prefix = "DMA-API: \(key.device): "
        let address = "[device address=0x\(Self.hex16(key.dmaAddress))]"
        guard let entry else {
            return [prefix + "device driver tries to free DMA memory it has not allocated \(address) [size=\(call.length) bytes]"]
        }
        let found = mappings[entry]
        var lines: [String] = []
        if call.length != found.length {
            lines.append(prefix + "device driver frees DMA memory with different size \(address) [map size=\(found.length) bytes] [unmap size=\(call.length) bytes]")
        }
        if call.direction != found.direction {
            lines.append(prefix + "device driver frees DMA memory with different direction \(address) [size=\(call.length) bytes] "
                + "[mapped with \(found.direction.kernelName)] [unmapped with \(call.direction.kernelName)]")
        }
        if !found.errorChecked {
            lines.append(prefix + "device driver failed to check map error\(address) [size=\(call.length) bytes] [mapped as phy]")
        }
        if let mismatch = unmapAttributeMismatch(mapped: found.attributes, unmapped: call.attributes) {
            lines.append(prefix + "device driver frees DMA memory with different attributes \(address) [size=\(call.length) bytes] \(mismatch)")
        }
        return lines
    }

    /// 7.2+ `check_unmap()`: the attributes in `DMA_ATTR_UNMAP_VALID` (NO_KERNEL_MAPPING,
    /// FORCE_CONTIGUOUS, MMIO, REQUIRE_COHERENT, PRIVILEGED, CC_SHARED) must be the same at
    /// unmap as at map; the text after "with different attributes … [size=…]" when they
    /// are not, nil when they are (and always before 7.2, which did not check).
    func unmapAttributeMismatch(mapped: DMAAttributes, unmapped: DMAAttributes) -> String? {
        guard kernelRules.debugChecksUnmapAttributes else { return nil }
        let mustMatch: DMAAttributes = [.noKernelMapping, .forceContiguous, .mmio, .requireCoherent, .privileged, .ccShared]
        guard mapped.intersection(mustMatch) != unmapped.intersection(mustMatch) else { return nil }
        return "[mapped with 0x\(hex(UInt64(mapped.rawValue)))] [unmapped with 0x\(hex(UInt64(unmapped.rawValue)))]"
    }

    static func hex16(_ value: UInt64) -> String {
        let digits = hex(value)
        return String(repeating: "0", count: max(0, 16 - digits.count)) + digits
    }
}

/// A bucket of dma-debug's hash: entries share a device and a DMA address.
struct DMADebugKey: Hashable {
    var device: String
    var dmaAddress: UInt64
}

extension DMADirection {
    /// `dir2name[]` in kernel/dma/debug.c.
    var kernelName: String {
        switch self {
        case .bidirectional: return "DMA_BIDIRECTIONAL"
        case .toDevice: return "DMA_TO_DEVICE"
        case .fromDevice: return "DMA_FROM_DEVICE"
        case .none: return "DMA_NONE"
        }
    }
}
