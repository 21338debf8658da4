/// Sizes the kernel computes in `size_t` and lets wrap. dma-iommu rounds every length to
/// whole granules with `iova_align(iovad, size + iova_start_pad)` (`dma_iova_link`,
/// `dma_iova_sync`, `dma_iova_unlink`, `__iommu_dma_map`, `__iommu_dma_unmap`); a length
/// within a granule of 2^64 wraps that sum, and the call then acts on 0 bytes, or a few,
/// with no message. The engine computes the same wrapped size, so the outcome is the
/// kernel's, and the checker says what happened.
extension Engine {
    /// `iova_align(iovad, size + pad)` with the kernel's wrap-around; a `length-wraps`
    /// finding when the result is smaller than `length`.
    func alignedSize(_ length: UInt64, pad: UInt64, granule: Granule, call: String, handle: String?,
                     into outcome: inout Outcome) -> UInt64 {
        let aligned = granule.alignUp(length &+ pad)
        if aligned < length {
            outcome.addOnce(Finding(.lengthWraps, handle: handle,
                "\(call) of 0x\(hex(length)) bytes: iova_align(size + 0x\(hex(pad))) wraps to 0x\(hex(aligned)), so the kernel acts on 0x\(hex(aligned)) bytes"))
        }
        return aligned
    }

    /// An unlink or destroy whose range the page table refused whole: the checker's
    /// finding says why nothing was unmapped (`unlink-not-linked`, or
    /// `destroy-length-mismatch` for a destroy). Returns whether it reported one.
    @discardableResult
    func noteRefusedUnmap(state index: Int, domain: DMADomain, iova: UInt64, sizeBytes: UInt64, destroy: Bool,
                          into outcome: inout Outcome) -> Bool {
        guard sizeBytes > 0, let reason = domain.unmapRefusal(iova: iova, sizeBytes: sizeBytes) else { return false }
        let call = destroy ? "dma_iova_destroy" : "dma_iova_unlink"
        outcome.findings.append(Finding(destroy ? .destroyLengthMismatch : .unlinkNotLinked, handle: states[index].handle,
            "\(call) of [0x\(hex(iova)), +0x\(hex(sizeBytes))): the page table unmaps none of it, since \(reason)"))
        return true
    }

    /// `a + b` saturated at 2^64 − 1: a counter that must not trap on lengths near 2^64.
    func saturatingSum(_ a: UInt64, _ b: UInt64) -> UInt64 { a.adding(b) ?? .max }
}

extension LinkPiece {
    /// The caller's bytes `[phys, phys + length)`, cut at 2^64 when they would wrap: the
    /// bytes the device may touch through the piece.
    static func buffer(phys: UInt64, length: UInt64) -> Range<UInt64> {
        AddressRange.clamped(start: phys, length: length).clampedRange
    }
}
