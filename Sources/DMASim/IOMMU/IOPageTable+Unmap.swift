/// Unmap as the generic page table does it on Linux 7.3 (drivers/iommu/generic_pt/
/// iommu_pt.h, `__unmap_range()`), the code under VT-d, AMD-Vi and RISC-V:
///
/// - PTEs are cleared whole. "If the caller requested an last that falls within a single
///   entry then the entire entry is unmapped and the length returned will be larger than
///   requested": an unmap that starts at a block and ends inside it clears the whole
///   2 MiB or 1 GiB and says so.
/// - An unmap that *starts* inside a block clears nothing there: "when unmap reaches a
///   partial unmap of the start of a large IOPTE" the walk returns -EINVAL, and only what
///   it cleared before counts.
/// - The walk stops at the first hole (an empty entry is -EINVAL too).
///
/// Blocks are never split: "The IOMMU API does not require drivers to support unmapping
/// parts of large pages."
extension IOPageTable {
    /// A run of pages the unmap took out: `[firstGranule, firstGranule+granuleCount)`.
    struct Cleared: Hashable {
        var firstGranule: UInt64
        var granuleCount: UInt64
        var pageShift: UInt8
    }

    /// Clears pages from `first` for `count` granules, as `__unmap_range()` walks them.
    /// Returns the runs of pages cleared, in IOVA order, all contiguous from `first`:
    /// their total is what `iommu_unmap()` returns, which may pass `first + count`.
    mutating func unmap(from first: UInt64, count: UInt64) -> [Cleared] {
        let end = first &+ count
        var cursor = first
        var cleared: [Cleared] = []
        while cursor < end, let at = run(containing: cursor) {
            let run = runs[at]
            // A start inside a block: -EINVAL, nothing more cleared.
            guard (cursor - run.firstGranule) & (run.pageGranules - 1) == 0 else { break }
            let pages = (min(end, run.endGranule) - cursor + run.pageGranules - 1) >> UInt64(run.pageShift)
            let stop = cursor + pages << UInt64(run.pageShift)
            clear(at, from: cursor, to: stop)
            cleared.append(Cleared(firstGranule: cursor, granuleCount: stop - cursor, pageShift: run.pageShift))
            cursor = stop
        }
        return cleared
    }
}
