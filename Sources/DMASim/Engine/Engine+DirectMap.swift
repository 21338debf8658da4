/// The kernel's direct map, and what a bounce of memory outside it does.
///
/// swiotlb copies through `phys_to_virt()`: `swiotlb_bounce()` → `memcpy()` from
/// `phys_to_virt(orig_addr)`. Nothing on any mapping path asks first whether the original
/// is in the linear map, so for memory with no `struct page` (RAM above `mem=`, cluster or
/// device memory) the copy is a kernel page fault: the call never returns, the task dies,
/// the kernel runs on, and the slots `swiotlb_tbl_map_single()` took before the copy are
/// never given back (the lab runs of 7.3.4, fixtures/scripts/lab/, the `swiotlb=force` oops, and docs/kernel-model.md "Followed call by call").
extension Engine {
    /// Whether all of `[phys, phys+length)` is RAM the kernel maps linearly.
    func isDirectMapped(phys: UInt64, length: UInt64) -> Bool {
        memory.region(containing: phys, length: length)?.kind.isDirectMapped == true
    }

    /// The copy original → slot that `swiotlb_tbl_map_single()` makes at map time faults:
    /// the outcome becomes `oops`, with the finding and the kernel's report.
    func oopsInBounceCopy(_ device: DeviceRuntime, orig: UInt64, length: UInt64, origin: BounceOrigin,
                          into outcome: inout Outcome) {
        let place = memory.region(containing: orig, length: length).map { "\($0.kind.rawValue) region \($0.name)" }
            ?? "no region"
        outcome.status = .oops
        outcome.findings.append(Finding(.bounceOutsideDirectMap, handle: origin.handle,
            "device \(device.spec.name) address 0x\(hex(orig)) size 0x\(hex(length)) path \(origin.path.description): "
                + "swiotlb_tbl_map_single copies the buffer into its slot through phys_to_virt(), but it is in \(place), "
                + "outside the kernel's direct map: page fault, the call never returns"))
        outcome.events.append(SideEvent(.kernelOops, address: orig, length: length))
        outcome.warnings += Self.pageFaultReport(virtualAddress: Self.linearMapAddress(of: orig), callTrace: origin.path.callTrace)
    }

    /// `swiotlb_search_pool_area()`'s `BUG_ON(!nslots)`: a bounce of 0 bytes with no
    /// in-slot offset to keep. The kernel stops at once (x86-64's `ud2`, "invalid
    /// opcode"), before its lock and before any slot is taken; the task dies.
    func bugOnZeroSlots(_ device: DeviceRuntime, orig: UInt64, origin: BounceOrigin, into outcome: inout Outcome) {
        outcome.status = .oops
        outcome.findings.append(Finding(.zeroLengthBounce, handle: origin.handle,
            "device \(device.spec.name) address 0x\(hex(orig)) size 0x0 path \(origin.path.description): "
                + "swiotlb_tbl_map_single asks for a 0-byte allocation (no offset to keep in the slot), "
                + "BUG_ON(!nslots) in swiotlb_search_pool_area: the call never returns"))
        outcome.events.append(SideEvent(.kernelOops, address: orig, length: 0))
        outcome.warnings += Self.bugReport(file: "kernel/dma/swiotlb.c", function: "swiotlb_search_pool_area",
                                           callTrace: origin.path.callTrace)
    }

    /// What x86-64 prints for a `BUG()` (lib/bug.c `report_bug()`, then `die()` from the
    /// invalid-opcode trap). The kernel's first line ends in the line number of the build
    /// ("kernel BUG at kernel/dma/swiotlb.c:NNNN!"), which the model leaves out; the RIP
    /// names the function holding the `BUG_ON`, where a build that inlines it names its
    /// caller. The oracle compares the call chain only.
    static func bugReport(file: String, function: String, callTrace: [String]) -> [String] {
        [PageFaultReport.kernelBug + file + "!",
         PageFaultReport.oops + "invalid opcode: 0000 [#1] SMP NOPTI",
         PageFaultReport.rip + "0010:" + function,
         PageFaultReport.callTrace + callTrace.joined(separator: " <- ")]
    }

    /// What x86-64 prints for the fault (arch/x86/mm/fault.c `show_fault_oops()`, then
    /// `__die()` and the stack), as on the lab kernel; the RIP is `memcpy_orig`.
    static func pageFaultReport(virtualAddress: UInt64, callTrace: [String]) -> [String] {
        [PageFaultReport.bug + hex(virtualAddress),
         PageFaultReport.pageFault + "supervisor read access in kernel mode",
         PageFaultReport.pageFault + "error_code(0x0000) - not-present page",
         PageFaultReport.oops + "0000 [#1] SMP NOPTI",
         PageFaultReport.rip + "0010:memcpy_orig",
         PageFaultReport.callTrace + callTrace.joined(separator: " <- ")]
    }

    /// `__va(phys)` with x86-64's `page_offset_base` as it is without KASLR
    /// (0xffff888000000000, 4-level paging): the lab's kernel randomises it
    /// (`ffff8941b8000000` there for 0x38000000), so only the low bits match a real report.
    static func linearMapAddress(of phys: UInt64) -> UInt64 { 0xFFFF_8880_0000_0000 &+ phys }
}

/// Who asked swiotlb for a bounce: the handle of the call and the kernel path, named in
/// the finding and in the oops's call trace.
struct BounceOrigin {
    var handle: String
    var path: BouncePath
}

/// The paths that bounce (the lab runs of 7.3.4, fixtures/scripts/lab/).
enum BouncePath {
    /// `dma_direct_map_phys()` under `swiotlb=force` (`is_swiotlb_force_bounce()`).
    case directForced
    /// `dma_direct_map_phys()`: the device cannot reach the buffer (`!dma_capable()`).
    case directBeyondMask
    /// `dma_direct_map_phys()`: `dma_kmalloc_needs_bounce()` on a non-coherent device.
    case directKmalloc
    /// `iommu_dma_map_phys()`: `dev_use_swiotlb()` and `iova_unaligned()`.
    case iommuMap
    /// `dma_iova_link()` → `iommu_dma_iova_link_swiotlb()`: the unaligned head or tail.
    case iovaLinkHead
    case iovaLinkTail

    var description: String {
        switch self {
        case .directForced: return "dma_map_phys -> dma_direct_map_phys (swiotlb=force) -> swiotlb_map"
        case .directBeyondMask: return "dma_map_phys -> dma_direct_map_phys (beyond the DMA mask) -> swiotlb_map"
        case .directKmalloc: return "dma_map_phys -> dma_direct_map_phys (dma_kmalloc_needs_bounce) -> swiotlb_map"
        case .iommuMap: return "dma_map_phys -> iommu_dma_map_phys (unaligned, dev_use_swiotlb) -> iommu_dma_map_swiotlb"
        case .iovaLinkHead: return "dma_iova_link -> iommu_dma_iova_link_swiotlb (head) -> iommu_dma_map_swiotlb"
        case .iovaLinkTail: return "dma_iova_link -> iommu_dma_iova_link_swiotlb (tail) -> iommu_dma_map_swiotlb"
        }
    }

    /// The stack below `memcpy_orig`, innermost first, as the lab's oopses print it
    /// (`iommu_dma_iova_link_swiotlb` is inlined into `dma_iova_link` there).
    var callTrace: [String] {
        switch self {
        case .directForced, .directBeyondMask, .directKmalloc:
            return ["swiotlb_tbl_map_single", "swiotlb_map", "dma_direct_map_phys", "dma_map_phys"]
        case .iommuMap:
            return ["swiotlb_tbl_map_single", "iommu_dma_map_swiotlb", "iommu_dma_map_phys", "dma_map_phys"]
        case .iovaLinkHead, .iovaLinkTail:
            return ["swiotlb_tbl_map_single", "iommu_dma_map_swiotlb", "iommu_dma_iova_bounce_and_link", "dma_iova_link"]
        }
    }
}

/// What `swiotlb_tbl_map_single()` (and its callers that bounce) came to: the bounce
/// address, no slot (`DMA_MAPPING_ERROR`: no pool, a full pool, an unreachable slot), or
/// an oops in the copy.
enum BounceResult: Equatable {
    case slot(UInt64)
    case failed
    case oops
}

/// How each line of the model's oops reports (a page fault, a `BUG()`) begins, for readers
/// that must tell a report from other kernel lines (the kernel oracle compares an oops by
/// its call chain).
public enum PageFaultReport {
    /// The page-fault report's first line.
    public static let bug = "BUG: unable to handle page fault for address: "
    /// A `BUG()` report's first line.
    public static let kernelBug = "kernel BUG at "
    /// The line saying what kind of access faulted.
    public static let pageFault = "#PF: "
    /// The oops line.
    public static let oops = "Oops: "
    /// The line naming the faulting function.
    public static let rip = "RIP: "
    /// Followed by the call chain, innermost first, joined by " <- ".
    public static let callTrace = "Call Trace: "
    /// Every prefix above, in report order.
    public static let linePrefixes = [bug, kernelBug, pageFault, oops, rip, callTrace]
}
