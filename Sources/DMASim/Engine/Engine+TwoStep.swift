/// `dma_iova_try_alloc`, `dma_iova_link` and `dma_iova_sync` (drivers/iommu/dma-iommu.c).
extension Engine {
    /// `dma_iova_try_alloc(dev, state, phys, size)`.
    func tryAlloc(_ call: AllocOp) -> Outcome {
        device(named: call.device).orReject { device in
            var outcome = Outcome(status: .fallback)
            if let previous = states.currentSlot(of: call.state), states[previous].isLive {
                outcome.findings.append(Finding(.stateOverwritten, handle: call.state,
                    "dma_iova_try_alloc over live state \(call.state): its IOVA is leaked"))
            }
            // 1. memset(state, 0) runs first, so a false return leaves dma_use_iova() false.
            let index = insertState(IOVAStateRecord(handle: call.state, device: device, serial: states.takeSerial(),
                                                    addr: 0, sizeBytes: 0, life: .failed))
            // Retired at the end of the op unless the allocation below succeeds.
            noteMayRetire(.state(index))
            // 2. !use_dma_iommu(dev): no IOMMU or an identity domain.
            guard let domain = device.domain else { return outcome }
            // 3. WARN_ON_ONCE(!size) and the DMA_IOVA_USE_SWIOTLB bit.
            guard call.sizeBytes != 0, call.sizeBytes & (1 << 63) == 0 else {
                outcome.warnings.append("WARN_ON_ONCE: dma_iova_try_alloc size 0x\(hex(call.sizeBytes))")
                return outcome
            }
            // 4. allocate iova_align(size + iova_offset(phys)) below the DMA mask.
            let pad = domain.granule.offset(call.phys)
            let allocationBytes = domain.granule.alignUp(call.sizeBytes + pad)
            let base = domain.allocIOVA(sizeBytes: allocationBytes, dmaMask: device.spec.dmaMask, device: device, outcome: &outcome)
            guard base != 0 else { return outcome }
            // 5. state->addr = base + offset: the offset of phys is kept in the IOVA.
            states[index].addr = base + pad
            states[index].sizeBytes = call.sizeBytes
            states[index].life = .allocated
            domain.owners.assign(first: base, last: base + (allocationBytes - 1), to: .state(index),
                                 displacingInto: &retirementCandidates)
            outcome.status = .ok
            outcome.address = base + pad
            return outcome
        }
    }

    /// `dma_iova_link(dev, state, phys, offset, size, dir, attrs)`.
    func link(_ call: LinkOp) -> Outcome {
        stateCall(call.state, "dma_iova_link") { index, device, domain, outcome in
            link(call, state: index, device: device, domain: domain, outcome: &outcome)
        }
    }

    private func link(_ call: LinkOp, state index: Int, device: DeviceRuntime, domain: DMADomain, outcome: inout Outcome) {
        let granule = domain.granule
        let pad = granule.offset(call.phys)
        if let refusal = linkRefusal(call, state: index, device: device, pad: pad, outcome: &outcome) {
            return failLink(index, refusal, &outcome)
        }
        let bounces = needsSwiotlb(device, length: call.length, direction: call.direction) && !granule.isAligned(call.phys | call.length)
        if bounces && call.attributes.refusesBounce { return failLink(index, .EPERM, &outcome) }
        noteOutOfBounds(call, state: states[index], into: &outcome)
        let link = TwoStepLink(call: call, state: index, device: device, domain: domain)
        let failure: LinkFailure?
        if bounces {
            failure = linkSwiotlb(link, outcome: &outcome)
        } else {
            // __dma_iova_link(dev, state->addr + offset - pad, phys - pad, iova_align(size + pad))
            let iova = states[index].addr &+ call.offset &- pad
            let sizeBytes = alignedSize(call.length, pad: pad, granule: granule, call: "dma_iova_link", handle: call.state, into: &outcome)
            let piece = LinkPiece(iova: iova, phys: call.phys - pad, sizeBytes: sizeBytes,
                                  buffer: LinkPiece.buffer(phys: call.phys, length: call.length), bounced: false)
            failure = dmaIOVALink(link, piece, outcome: &outcome).map(LinkFailure.errno)
        }
        switch failure {
        case .errno(let errno)?: return failLink(index, errno, &outcome)
        // The task died inside the call: what it linked before the fault stays linked.
        case .oops?: return
        case nil: break
        }
        states[index].linkedBytes = saturatingSum(states[index].linkedBytes, call.length)
        let signature = LinkSignature(direction: call.direction, attributes: call.attributes)
        states[index].linkSignatures.insert(signature)
        outcome.address = states[index].addr &+ call.offset
    }

    /// `__dma_iova_link()`: the cache clean for a non-coherent device, then
    /// `iommu_map_nosync()`. On success the piece is recorded: page-table range,
    /// granules linked, and (where the device needs syncs) the bytes it now owns.
    func dmaIOVALink(_ link: TwoStepLink, _ piece: LinkPiece, outcome: inout Outcome) -> Errno? {
        let call = link.call
        syncForDeviceIfNeeded(link.device, phys: piece.phys, length: piece.sizeBytes, attributes: call.attributes, into: &outcome)
        let prot = IOMMUProt(direction: call.direction, coherent: link.device.spec.coherent, attributes: call.attributes)
        if let errno = link.domain.mapNoSync(iova: piece.iova, phys: piece.phys, sizeBytes: piece.sizeBytes, prot: prot,
                                                 path: mapPath(for: link.domain), outcome: &outcome) {
            outcome.findings.append(linkFailureFinding(errno, call: call, piece: piece, granule: link.domain.granule))
            return errno
        }
        guard piece.sizeBytes > 0 else { return nil }
        let granule = link.domain.granule
        recordLinked(link.state, firstGranule: granule.pfn(piece.iova), count: piece.sizeBytes >> granule.shift)
        outcome.ranges.append(MappedRange(iova: piece.iova, phys: piece.phys, length: piece.sizeBytes, prot: prot, bounced: piece.bounced))
        noteDeviceOwns(link, piece)
        return nil
    }

    /// `dma_iova_link()`'s checks before anything is mapped: only the first link (offset
    /// 0) may start unaligned (-EIO, WARN_ON_ONCE); REQUIRE_COHERENT on a state that
    /// already bounced (-EOPNOTSUPP, WARN_ON_ONCE) or on a non-coherent device
    /// (-EOPNOTSUPP).
    private func linkRefusal(_ call: LinkOp, state index: Int, device: DeviceRuntime, pad: UInt64,
                             outcome: inout Outcome) -> Errno? {
        if pad != 0 && call.offset > 0 {
            outcome.warnings.append("WARN_ON_ONCE(iova_start_pad && offset > 0)")
            outcome.findings.append(Finding(.unalignedLink, handle: call.state,
                "link at offset 0x\(hex(call.offset)) with phys 0x\(hex(call.phys)) not granule aligned: -EIO"))
            return .EIO
        }
        guard call.attributes.contains(.requireCoherent) else { return nil }
        if states[index].usesSwiotlb {
            outcome.warnings.append("WARN_ON_ONCE((state->__size & DMA_IOVA_USE_SWIOTLB) && (attrs & DMA_ATTR_REQUIRE_COHERENT))")
            return .EOPNOTSUPP
        }
        return device.spec.coherent ? nil : .EOPNOTSUPP
    }

    /// `dma_iova_sync(dev, state, offset, size)`: `iommu_sync_map()` over the aligned range.
    func sync(_ call: SyncOp) -> Outcome {
        stateCall(call.state, "dma_iova_sync") { index, _, domain, outcome in
            notePartialLink(index, into: &outcome)
            let addr = states[index].addr &+ call.offset
            let pad = domain.granule.offset(addr)
            let sizeBytes = alignedSize(call.length, pad: pad, granule: domain.granule, call: "dma_iova_sync", handle: call.state, into: &outcome)
            domain.syncMap(iova: addr - pad, sizeBytes: sizeBytes, outcome: &outcome)
        }
    }

    /// `dev_use_swiotlb()` (drivers/iommu/dma-iommu.c): untrusted devices, pool or not
    /// (without one the bounce fails: "DMA bounce buffers are inactive"), and
    /// non-coherent ones whose buffer `dma_kmalloc_needs_bounce()`. That one needs a pool:
    /// without swiotlb, kmalloc() aligns its caches to the cache line
    /// (mm/slab_common.c `__kmalloc_minalign()`), so no kmalloc buffer needs a bounce.
    func needsSwiotlb(_ device: DeviceRuntime, length: UInt64, direction: DMADirection) -> Bool {
        device.spec.isUntrusted || (swiotlbPool != nil && kmallocNeedsBounce(device, length: length, direction: direction))
    }

    /// `dma_kmalloc_needs_bounce()` (include/linux/dma-map-ops.h): `!dma_kmalloc_safe()`
    /// (only with `CONFIG_DMA_BOUNCE_UNALIGNED_KMALLOC`, i.e. arm64; a non-coherent device;
    /// not TO_DEVICE) and `!dma_kmalloc_size_aligned()`: below `2 * ARCH_DMA_MINALIGN`, the
    /// kmalloc bucket (`kmalloc_size_roundup()`, with `ARCH_KMALLOC_MINALIGN` 8) is not a
    /// multiple of `dma_get_cache_alignment()`. On arm64 (128) that is kmalloc-8 … -96 and
    /// kmalloc-192; kmalloc-128 and -256 are safe.
    func kmallocNeedsBounce(_ device: DeviceRuntime, length: UInt64, direction: DMADirection) -> Bool {
        guard kernelRules.bouncesUnalignedKmalloc, !device.spec.coherent, direction != .toDevice else { return false }
        let alignment = kernelRules.dmaCacheAlignment
        if length >= 2 * alignment || length == 0 { return false }
        let bucket: UInt64 = [8, 16, 32, 64, 96, 128, 192, 256].first { $0 >= length } ?? 256
        return bucket % alignment != 0
    }

    private func noteOutOfBounds(_ call: LinkOp, state: IOVAStateRecord, into outcome: inout Outcome) {
        let (end, overflow) = call.offset.addingReportingOverflow(call.length)
        guard state.isLive, overflow || end > state.sizeBytes else { return }
        outcome.findings.append(Finding(.linkOutOfBounds, handle: call.state,
            "link of [0x\(hex(call.offset)), +0x\(hex(call.length))) past dma_iova_size 0x\(hex(state.sizeBytes)): maps IOVA the state does not own"))
    }

    private func linkFailureFinding(_ errno: Errno, call: LinkOp, piece: LinkPiece, granule: Granule) -> Finding {
        let iova = piece.iova
        switch errno {
        case .EEXIST, .EADDRINUSE:
            return Finding(.overlappingLink, handle: call.state, "link over a present PTE near IOVA 0x\(hex(iova)): -\(errno.rawValue)")
        case .ERANGE:
            return Finding(.linkOutOfBounds, handle: call.state,
                "link reaches past what the page table maps (the aperture, or 52-bit physical addresses) near IOVA 0x\(hex(iova)): -ERANGE")
        case _ where piece.bounced && !granule.isAligned(piece.phys):
            return Finding(.unalignedLink, handle: call.state,
                "the bounce slot for [0x\(hex(piece.buffer.lowerBound)), 0x\(hex(piece.buffer.upperBound))) does not repeat its in-granule offset "
                    + "(no dma_set_min_align_mask() covering it), so its granule is linked at the unaligned 0x\(hex(piece.phys)): -\(errno.rawValue)")
        default:
            return Finding(.unalignedLink, handle: call.state,
                "IOVA 0x\(hex(iova)) is not granule aligned (in-granule offset of phys differs from try_alloc's, or an earlier range ended mid-granule): -\(errno.rawValue)")
        }
    }

    private func failLink(_ index: Int, _ errno: Errno, _ outcome: inout Outcome) {
        states[index].hasFailedLink = true
        outcome.status = .errno(errno)
    }

    private func recordLinked(_ index: Int, firstGranule: UInt64, count: UInt64) {
        guard !states[index].unlinkedGranules.isEmpty, count > 0 else { return }
        states[index].unlinkedGranules.remove(first: firstGranule, last: firstGranule + (count - 1))
    }

    /// `partial-link-not-cleaned`: a sync or device use after a failed link, with no `destroy(mapped)` between.
    func notePartialLink(_ index: Int, into outcome: inout Outcome) {
        let state = states[index]
        guard state.isLive, state.hasFailedLink else { return }
        outcome.findings.append(Finding(.partialLinkNotCleaned, handle: state.handle,
            "\(state.handle) is used after a failed dma_iova_link without dma_iova_destroy(mapped): linked ranges stay mapped"))
    }
}

/// Why a `dma_iova_link` stopped: the errno it returned, or an oops inside it (a bounce
/// copy of memory outside the direct map): the call never returned.
enum LinkFailure: Equatable {
    case errno(Errno)
    case oops
}
