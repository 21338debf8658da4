/// `iommu_dma_iova_link_swiotlb()` (drivers/iommu/dma-iommu.c, 6.16): a link that
/// `dev_use_swiotlb()` and is not granule aligned is split in three.
///
///         phys                                              phys + size
///     ────┼──────────┬──────────────────────────────────────┬───────┼────
///     pad │  head    │  middle (granule aligned)            │ tail  │
///         └ bounced ─┘  linked directly                     └bounced┘
///
/// The head (`min(size, G - pad)` bytes, when `pad != 0`) and the tail
/// (`iova_offset(phys + size)` bytes) each go through a swiotlb slot of their own,
/// linked as one granule; the middle is linked in place.
extension Engine {
    func linkSwiotlb(_ link: TwoStepLink, outcome: inout Outcome) -> LinkFailure? {
        let granule = link.domain.granule
        let call = link.call
        let pad = granule.offset(call.phys)
        let endPad = granule.offset(call.phys &+ call.length)
        let addr = states[link.state].addr &+ call.offset
        var mapped: UInt64 = 0
        var size = call.length
        if pad != 0 {
            let bounceLength = min(size, granule.bytes - pad)
            if let error = bounceAndLink(link, addr: addr, phys: call.phys, length: bounceLength, startPad: pad, part: .iovaLinkHead,
                                         outcome: &outcome) {
                return error
            }
            states[link.state].usesSwiotlb = true
            mapped += bounceLength
            size -= bounceLength
            if size == 0 { return nil }
        }
        // "After removing the partial head and tail, there may be no aligned middle left to
        // map." 6.16 linked it anyway: a 0-byte iommu_map_nosync() that io-pgtable accepts
        // doing nothing (fixed by 6ec91df8aff7, "iommu/dma: Do not try to iommu_map a 0
        // length region in swiotlb").
        size -= endPad
        if size > 0 || kernelRules.linksEmptyMiddleAndUnwindsFromZero {
            // phys + mapped is phys_addr_t arithmetic: it wraps, as in the kernel.
            let middle = LinkPiece(iova: addr &+ mapped, phys: call.phys &+ mapped, sizeBytes: size,
                                   buffer: LinkPiece.buffer(phys: call.phys &+ mapped, length: size), bounced: false)
            if let error = dmaIOVALink(link, middle, outcome: &outcome) { return unwind(link, mapped: mapped, .errno(error), &outcome) }
            mapped += size
        }
        if endPad != 0 {
            if let error = bounceAndLink(link, addr: addr &+ mapped, phys: call.phys &+ mapped, length: endPad, startPad: 0,
                                         part: .iovaLinkTail, outcome: &outcome) {
                // An oops never reaches the unwind: the task died in the copy.
                return error == .oops ? error : unwind(link, mapped: mapped, error, &outcome)
            }
            states[link.state].usesSwiotlb = true
        }
        return nil
    }

    /// `iommu_dma_iova_bounce_and_link()`: bounce, then link the slot's granule at the
    /// IOVA granule; a failed link gives the slot back (copying back by direction).
    private func bounceAndLink(_ link: TwoStepLink, addr: UInt64, phys: UInt64, length: UInt64, startPad: UInt64,
                               part: BouncePath, outcome: inout Outcome) -> LinkFailure? {
        let call = link.call
        let bounced = iommuMapSwiotlb(link.device, domain: link.domain, phys: phys, length: length, attributes: call.attributes,
                                      origin: BounceOrigin(handle: call.state, path: part), into: &outcome)
        let tlb: UInt64
        switch bounced {
        case .failed: return .errno(.ENOMEM)
        case .oops: return .oops
        case .slot(let slot): tlb = slot
        }
        let piece = LinkPiece(iova: addr &- startPad, phys: tlb - startPad, sizeBytes: link.domain.granule.alignUp(length),
                              buffer: LinkPiece.buffer(phys: phys, length: length), bounced: true)
        if let error = dmaIOVALink(link, piece, outcome: &outcome) {
            swiotlbUnmapSingle(link.device, tlb: tlb, length: length, direction: call.direction, attributes: call.attributes, into: &outcome)
            return .errno(error)
        }
        return nil
    }

    /// `out_unmap:` `dma_iova_unlink(dev, state, offset, mapped, dir, attrs)` when something
    /// was mapped. 6.16 called `dma_iova_unlink(dev, state, 0, mapped, …)` always: from
    /// offset 0, not the failing link's offset, so it unlinked whatever the state had
    /// there and left this link's head and middle mapped (fixed by the same commit).
    private func unwind(_ link: TwoStepLink, mapped: UInt64, _ error: LinkFailure, _ outcome: inout Outcome) -> LinkFailure {
        let call = link.call
        let from616 = kernelRules.linksEmptyMiddleAndUnwindsFromZero
        guard mapped > 0 || from616 else { return error }
        _ = unlinkRange(state: link.state, device: link.device, domain: link.domain, offset: from616 ? 0 : call.offset,
                        length: mapped, direction: call.direction, attributes: call.attributes, freeIOVA: false, remembersUnlink: true, outcome: &outcome)
        return error
    }
}
