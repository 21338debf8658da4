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
    func linkSwiotlb(_ link: TwoStepLink, outcome: inout Outcome) -> Errno? {
        let granule = link.domain.granule
        let call = link.call
        let pad = granule.offset(call.phys)
        let endPad = granule.offset(call.phys &+ call.length)
        let addr = states[link.state].addr &+ call.offset
        var mapped: UInt64 = 0
        var size = call.length
        if pad != 0 {
            let bounceLength = min(size, granule.bytes - pad)
            if let error = bounceAndLink(link, addr: addr, phys: call.phys, length: bounceLength, startPad: pad, outcome: &outcome) {
                return error
            }
            states[link.state].usesSwiotlb = true
            mapped += bounceLength
            size -= bounceLength
            if size == 0 { return nil }
        }
        // 6.16 links the middle even when it is empty: a 0-byte iommu_map_nosync() that
        // io-pgtable accepts doing nothing (the iommupt page table refuses it; fixed
        // upstream by "iommu/dma: Do not try to iommu_map a 0 length region in swiotlb").
        size -= endPad
        // phys + mapped is phys_addr_t arithmetic: it wraps, as in the kernel.
        let middle = LinkPiece(iova: addr &+ mapped, phys: call.phys &+ mapped, sizeBytes: size,
                               buffer: LinkPiece.buffer(phys: call.phys &+ mapped, length: size), bounced: false)
        if let error = dmaIOVALink(link, middle, outcome: &outcome) { return unwind(link, mapped: mapped, error, &outcome) }
        mapped += size
        if endPad != 0 {
            if let error = bounceAndLink(link, addr: addr &+ mapped, phys: call.phys &+ mapped, length: endPad, startPad: 0, outcome: &outcome) {
                return unwind(link, mapped: mapped, error, &outcome)
            }
            states[link.state].usesSwiotlb = true
        }
        return nil
    }

    /// `iommu_dma_iova_bounce_and_link()`: bounce, then link the slot's granule at the
    /// IOVA granule; a failed link gives the slot back (copying back by direction).
    private func bounceAndLink(_ link: TwoStepLink, addr: UInt64, phys: UInt64, length: UInt64, startPad: UInt64,
                               outcome: inout Outcome) -> Errno? {
        let call = link.call
        guard let tlb = iommuMapSwiotlb(link.device, domain: link.domain, phys: phys, length: length,
                                        attributes: call.attributes, into: &outcome) else { return .ENOMEM }
        let piece = LinkPiece(iova: addr &- startPad, phys: tlb - startPad, sizeBytes: link.domain.granule.alignUp(length),
                              buffer: LinkPiece.buffer(phys: phys, length: length), bounced: true)
        if let error = dmaIOVALink(link, piece, outcome: &outcome) {
            swiotlbUnmapSingle(link.device, tlb: tlb, length: length, direction: call.direction, attributes: call.attributes, into: &outcome)
            return error
        }
        return nil
    }

    /// The 6.16 error unwind, `dma_iova_unlink(dev, state, 0, mapped, dir, attrs)`: it
    /// starts at offset 0, not at the failing link's offset, so it unlinks whatever the
    /// state has there and leaves this link's head and middle mapped (fixed by the same
    /// upstream commit, which unlinks from `offset` and only when `mapped != 0`).
    private func unwind(_ link: TwoStepLink, mapped: UInt64, _ error: Errno, _ outcome: inout Outcome) -> Errno {
        let call = link.call
        _ = unlinkRange(state: link.state, device: link.device, domain: link.domain, offset: 0, length: mapped,
                        direction: call.direction, attributes: call.attributes, freeIOVA: false, remembersUnlink: true, outcome: &outcome)
        return error
    }
}
