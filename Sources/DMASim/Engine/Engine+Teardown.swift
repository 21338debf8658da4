/// `dma_iova_unlink`, `dma_iova_destroy` and `dma_iova_free` (drivers/iommu/dma-iommu.c).
extension Engine {
    /// `dma_iova_unlink(dev, state, offset, size, dir, attrs)`.
    func unlink(_ call: UnlinkOp) -> Outcome {
        stateCall(call.state, "dma_iova_unlink") { index, device, domain, outcome in
            noteUnlinkSignature(index, direction: call.direction, attributes: call.attributes, call: "dma_iova_unlink", into: &outcome)
            let result = unlinkRange(state: index, device: device, domain: domain, offset: call.offset, length: call.length,
                                     direction: call.direction, attributes: call.attributes, freeIOVA: false,
                                     remembersUnlink: true, outcome: &outcome)
            if result.unmapped < result.requested && !outcome.reports(.unlinkSplitsBlock) && !outcome.reports(.unlinkNotLinked) {
                outcome.findings.append(Finding(.unlinkNotLinked, handle: call.state,
                    "unlink of 0x\(hex(result.requested)) bytes found only 0x\(hex(result.unmapped)) linked (WARN_ON(unmapped != size))"))
            }
        }
    }

    /// `dma_iova_destroy(dev, state, mapped_len, dir, attrs)`, as the machine's kernel has it.
    ///
    /// 7.3: `dma_iova_unlink(state, 0, mapped_len)` then `dma_iova_free(state)`. The
    /// unlink syncs the IOTLB and the free hands the whole allocation back at once
    /// (`free_iova_fast`), in every IOMMU mode: no flush queue, no stale-IOTLB window.
    ///
    /// 6.16: `__iommu_dma_iova_unlink(state, 0, mapped_len, …, free_iova = true)`, whose
    /// gather is `queued` on a flush-queue domain: the IOTLB sync is skipped and
    /// `iommu_dma_free_iova()` queues `iova_align(mapped_len + pad)` with `queue_iova()`,
    /// so a device keeps the stale translation until the queue is flushed. Its
    /// `dma_iova_free()` runs only for `mapped_len == 0`.
    func destroy(_ call: DestroyOp) -> Outcome {
        stateCall(call.state, "dma_iova_destroy", releasing: true) { index, device, domain, outcome in
            if call.mappedLength != 0 {
                noteUnlinkSignature(index, direction: call.direction, attributes: call.attributes, call: "dma_iova_destroy", into: &outcome)
                let freesInUnlink = !kernelRules.destroyUnlinksThenFrees
                let result = unlinkRange(state: index, device: device, domain: domain, offset: 0, length: call.mappedLength,
                                         direction: call.direction, attributes: call.attributes, freeIOVA: freesInUnlink,
                                         remembersUnlink: false, outcome: &outcome)
                noteShortUnmap(call, result, into: &outcome)
                noteUnmapPastAllocation(index, domain: domain, from: allocation(of: states[index], in: domain).iova,
                                        unmappedBytes: result.unmapped, misuse: .destroyLengthMismatch,
                                        call: "dma_iova_destroy with mapped_len 0x\(hex(call.mappedLength))", into: &outcome)
            }
            // 7.3 always ends with dma_iova_free(); 6.16 only when nothing was linked
            // ("We can be here if first call to dma_iova_link() failed").
            if kernelRules.destroyUnlinksThenFrees || call.mappedLength == 0 { freeStateIOVA(index, domain: domain, outcome: &outcome) }
            noteStalePTEs(index, domain: domain, call: call, into: &outcome)
            releaseOwnership(ofState: index)
            states[index].life = .destroyed
            noteMayRetire(.state(index))
        }
    }

    /// `dma_iova_free(dev, state)`: no unmap, no IOTLB flush, no queueing.
    func free(_ call: FreeOp) -> Outcome {
        stateCall(call.state, "dma_iova_free", releasing: true) { index, _, domain, outcome in
            if states[index].life == .allocated && hasPresentPTEs(states[index], in: domain) {
                outcome.findings.append(Finding(.freeWithLinkedRanges, handle: call.state,
                    "dma_iova_free of \(call.state) with ranges still linked: their PTEs now map freed IOVA and no IOTLB flush ran"))
            }
            freeStateIOVA(index, domain: domain, outcome: &outcome)
            releaseOwnership(ofState: index)
            states[index].life = .freed
            noteMayRetire(.state(index))
        }
    }

    /// `dma_iova_unlink()` (and 6.16's `__iommu_dma_iova_unlink()`): the slow path for
    /// non-coherent devices and bounced states, `iommu_unmap_fast()` until the first hole,
    /// then a synchronous IOTLB sync; with `freeIOVA` (6.16's `free_iova`), the unmapped
    /// range is freed too, and on a flush-queue domain the sync is skipped and the free
    /// queued. `remembersUnlink`: the state lives on, so the checker notes the unlinked
    /// granules (a destroy ends the state's life instead).
    func unlinkRange(state index: Int, device: DeviceRuntime, domain: DMADomain, offset: UInt64, length: UInt64,
                     direction: DMADirection, attributes: DMAAttributes, freeIOVA: Bool, remembersUnlink: Bool,
                     outcome: inout Outcome) -> (requested: UInt64, unmapped: UInt64) {
        let granule = domain.granule
        let addr = states[index].addr &+ offset
        let pad = granule.offset(addr)
        if states[index].usesSwiotlb || (!device.spec.coherent && !attributes.skipsCacheMaintenance) {
            unlinkRangeSlow(device, domain: domain, addr: addr, length: length, direction: direction,
                            attributes: attributes, outcome: &outcome)
        }
        let queued = freeIOVA && domain.usesFlushQueue
        let iova = addr - pad
        let sizeBytes = alignedSize(length, pad: pad, granule: granule, call: remembersUnlink ? "dma_iova_unlink" : "dma_iova_destroy",
                                    handle: states[index].handle, into: &outcome)
        let unmapped = domain.unmap(iova: iova, sizeBytes: sizeBytes)
        if unmapped != sizeBytes {
            outcome.warnings.append("WARN_ON(unmapped != size): unmapped 0x\(hex(unmapped)) of 0x\(hex(sizeBytes)) at iova 0x\(hex(iova))")
            outcome.events.append(SideEvent(.kernelWarning, address: iova, length: sizeBytes))
            if !noteRefusedUnmap(state: index, domain: domain, iova: iova, sizeBytes: sizeBytes, destroy: !remembersUnlink, into: &outcome) {
                noteBlockSplit(state: index, domain: domain, iova: iova, sizeBytes: sizeBytes, unmapped: unmapped, into: &outcome)
            }
        }
        if !queued { domain.iotlbSync(iova: iova, sizeBytes: unmapped, outcome: &outcome) }
        if freeIOVA { domain.freeIOVA(iova: iova, sizeBytes: sizeBytes, queued: queued, outcome: &outcome) }
        if remembersUnlink {
            // What the driver asked for; PTEs a block took with it are not the driver's unlink.
            recordUnlinked(index, firstGranule: granule.pfn(iova), count: min(unmapped, sizeBytes) >> granule.shift)
            releaseOwnership(ofState: index, iovaFirst: iova, iovaEnd: iova.adding(sizeBytes) ?? .max)
        }
        return (sizeBytes, unmapped)
    }

    /// `iommu_dma_iova_unlink_range_slow()`: per granule, `iova_to_phys` (a 0 is a WARN
    /// that abandons the rest of the slow path), the cache invalidate for a non-coherent
    /// device, and `swiotlb_tbl_unmap_single()`, which acts only on a bounce slot: it
    /// copies the device's data back to the original (FROM_DEVICE, BIDIRECTIONAL, no
    /// SKIP_CPU_SYNC) and frees the slot. The loop body runs once even for size 0, and
    /// its `end = addr + size` wraps as the kernel's does: past 2^64 it runs once.
    ///
    /// Granules of one PTE run map contiguous memory, so outside the swiotlb pool the
    /// kernel's calls on them add up to one call on the whole stretch — the same lines
    /// invalidated — and the model makes that one call: a 1 GiB block costs one step, not
    /// 262,144.
    private func unlinkRangeSlow(_ device: DeviceRuntime, domain: DMADomain, addr: UInt64, length: UInt64,
                                 direction: DMADirection, attributes: DMAAttributes, outcome: inout Outcome) {
        var cursor = addr
        var pad = domain.granule.offset(addr)
        let end = addr &+ length
        repeat {
            let phys = domain.iovaToPhys(cursor)
            if phys == 0 {
                outcome.warnings.append("WARN_ON(!phys) at iova 0x\(hex(cursor)): slow unlink path abandoned")
                return
            }
            var chunk = min(end &- cursor, domain.granule.bytes - pad)
            if end > cursor, let runEnd = domain.mappedRunEnd(cursor), !bouncePoolOverlaps(phys, min(end, runEnd) - cursor) {
                chunk = min(end, runEnd) - cursor
            }
            syncForCPUIfNeeded(device, phys: phys, length: chunk, direction: direction, attributes: attributes, into: &outcome)
            swiotlbUnmapSingle(device, tlb: phys, length: chunk, direction: direction, attributes: attributes, into: &outcome)
            cursor &+= chunk
            pad = 0
        } while cursor < end
    }

    /// Whether `[phys, phys + length)` touches the swiotlb pool, where each granule is a
    /// slot of its own.
    private func bouncePoolOverlaps(_ phys: UInt64, _ length: UInt64) -> Bool {
        guard let pool = swiotlbPool else { return false }
        let last = phys.adding(length &- 1) ?? .max
        return phys < pool.base &+ pool.sizeBytes && last >= pool.base
    }

    /// `dma_iova_free()`: `free_iova_fast(addr - pad, iova_align(size + pad))` at once.
    private func freeStateIOVA(_ index: Int, domain: DMADomain, outcome: inout Outcome) {
        let range = allocation(of: states[index], in: domain)
        domain.freeIOVA(iova: range.iova, sizeBytes: range.sizeBytes, queued: false, outcome: &outcome)
    }

    /// `destroy-length-mismatch`: mapped_len larger than what is linked from offset 0.
    private func noteShortUnmap(_ call: DestroyOp, _ result: (requested: UInt64, unmapped: UInt64), into outcome: inout Outcome) {
        guard result.unmapped < result.requested, !outcome.reports(.unlinkSplitsBlock), !outcome.reports(.destroyLengthMismatch) else { return }
        outcome.findings.append(Finding(.destroyLengthMismatch, handle: call.state,
            "destroy with mapped_len 0x\(hex(call.mappedLength)) but the unmap stopped at the first hole after 0x\(hex(result.unmapped)) bytes"))
    }

    /// `destroy-length-mismatch`: PTEs left in the allocation after destroy point at IOVA now freed.
    private func noteStalePTEs(_ index: Int, domain: DMADomain, call: DestroyOp, into outcome: inout Outcome) {
        guard states[index].life == .allocated, hasPresentPTEs(states[index], in: domain) else { return }
        outcome.findings.append(Finding(.destroyLengthMismatch, handle: call.state,
            "destroy with mapped_len 0x\(hex(call.mappedLength)) left ranges of \(call.state) linked: stale PTEs now map freed IOVA"))
    }

    private func recordUnlinked(_ index: Int, firstGranule: UInt64, count: UInt64) {
        guard count > 0 else { return }
        states[index].unlinkedGranules.insert(first: firstGranule, last: firstGranule + (count - 1))
    }

    /// `unlink-attribute-mismatch`: an unlink or destroy whose direction or cache-relevant attributes match no
    /// link of the state: the invalidate or the swiotlb copy-back is not what the link
    /// needs (e.g. linked FROM_DEVICE, unlinked with SKIP_CPU_SYNC: no copy-back).
    private func noteUnlinkSignature(_ index: Int, direction: DMADirection, attributes: DMAAttributes, call: String,
                                     into outcome: inout Outcome) {
        let signatures = states[index].linkSignatures
        let signature = LinkSignature(direction: direction, attributes: attributes)
        guard !signatures.isEmpty, !signatures.contains(signature) else { return }
        let linked = signatures.map(\.description).joined(separator: ", ")
        outcome.findings.append(Finding(.unlinkAttributeMismatch, handle: states[index].handle,
            "\(call) with \(signature.description) but \(states[index].handle) was linked with \(linked)"))
    }
}
