extension SwiotlbSpec {
    /// Why a pool of `bytes` cannot be declared, or nil: the kernel rounds `nslabs` up to
    /// whole `IO_TLB_SEGSIZE` segments (`setup_io_tlb_npages()`), and the simulator keeps
    /// `io_tlb_slot` metadata per 2 KiB slot as the kernel does, up to 1 GiB. The engine
    /// (a `swiotlb` line) and the workloads (`record --swiotlb`) ask the same question.
    public static func sizeProblem(_ bytes: UInt64) -> String? {
        let segmentBytes = SwiotlbPool.slotBytes * UInt64(SwiotlbPool.segmentSlots)
        guard bytes > 0, bytes % segmentBytes == 0 else {
            return "swiotlb size must be a positive multiple of 256K (IO_TLB_SEGSIZE slots of 2K; the kernel rounds nslabs up to it)"
        }
        guard bytes <= SwiotlbPool.maxBytes else {
            return "swiotlb size 0x\(hex(bytes)) is more than the simulator's 0x\(hex(SwiotlbPool.maxBytes)) (1 GiB, \(SwiotlbPool.maxBytes >> SwiotlbPool.slotShift) slots): it keeps io_tlb_slot metadata per 2 KiB slot, as the kernel does, whose swiotlb_memblock_alloc() would fail and halve the request"
        }
        return nil
    }
}
