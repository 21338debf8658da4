import DMASim
import Journal

/// Which of two allocations ran first when one of them traced nothing.
///
/// `dma_iova_try_alloc()` has no tracepoint: a request rebuilt from its `iommu:map`
/// events (`TwoStepRebuild`) gets its try_alloc at its first map, but the kernel ran it
/// earlier, in `blk_rq_dma_map_iter_start()`, and the task can be preempted between it
/// and its first `dma_iova_link()`. Another task's allocation traced in that gap came
/// after it, though the trace shows it first. The task column alone cannot say so: the
/// try_alloc may have run anywhere after its task's previous call. The IOVAs can: both
/// came from the same CPU's magazine, which hands out its top first
/// (drivers/iommu/iova.c `__iova_rcache_get()` → `iova_magazine_pop()`: LIFO). When the
/// kernel gave the traced allocation not the magazine's top but the entry below it, and
/// the untraced try_alloc of another task, next on that CPU, got the top, the try_alloc
/// ran first (a lab virtio-lazy 2-vCPU capture, seq 17,451: one interrupt freed
/// 0xffca0000 then 0xffef0000; dd-183's request, traced first, got 0xffca0000, and
/// dd-184's, 0.9 ms later, 0xffef0000).
///
/// It is moved only when nothing in the trace says it could not have run then: its task
/// made no call in between (a task's calls are sequential, and nothing but its links
/// follows a try_alloc), it is on the same CPU, and the traced allocation's IOVA is not
/// one a flush-queue run freed (then the timer's placement explains it,
/// `FlushTimerPlacement`).
enum UntracedAllocationOrder {
    /// How far ahead a try_alloc that ran before `record` may be traced: the requests of
    /// the other tasks that ran in between (a preempted task waits a few time slices).
    static let horizon = 512

    /// The offset in `ahead` of another task's untraced try_alloc that ran before
    /// `record`, when the IOVAs say so; nil otherwise.
    static func allocationBefore(_ record: ImportedOp, engine: Engine, ahead: some Sequence<ImportedOp>) -> Int? {
        guard let traced = allocation(record), let cpu = record.provenance?.cpu,
              engine.armedFlushTimer(holding: traced.address, length: max(traced.length, 1), device: traced.device) == nil,
              let cached = engine.nextCachedIOVAs(device: traced.device, address: traced.address, length: traced.length, cpu: cpu, count: 2),
              cached.iovas.count == 2, !within(traced.address, cached.iovas[0], cached.granule),
              within(traced.address, cached.iovas[1], cached.granule) else { return nil }
        var busy: Set<Int> = []
        for (offset, later) in ahead.prefix(horizon).enumerated() {
            guard let pid = later.provenance?.pid else { continue }
            if isUntracedTryAlloc(later), later.provenance?.cpu == cpu, pid != record.provenance?.pid, !busy.contains(pid),
               let untraced = allocation(later), untraced.device == traced.device,
               within(untraced.address, cached.iovas[0], cached.granule),
               engine.nextCachedIOVAs(device: untraced.device, address: untraced.address, length: untraced.length, cpu: cpu, count: 1)?
                   .iovas == [cached.iovas[0]] {
                return offset
            }
            if madeACall(later) { busy.insert(pid) }
        }
        return nil
    }

    /// The note a moved try_alloc gets.
    static func note(movedBefore record: ImportedOp) -> String {
        "ran before line \(record.provenance?.line ?? 0)'s allocation, which the trace shows first: the kernel gave that one the "
            + "entry below the top of the CPU's IOVA magazine and this one the top (iova_magazine_pop() is LIFO)"
    }

    private static func within(_ address: UInt64, _ start: UInt64, _ granule: UInt64) -> Bool {
        address >= start && address - start < granule
    }

    /// A try_alloc rebuilt from its request's maps, with the IOVA the kernel gave it.
    private static func isUntracedTryAlloc(_ record: ImportedOp) -> Bool {
        guard case .alloc = record.op.call, !record.unknown.contains(.sizeLowerBound) else { return false }
        return record.provenance?.note?.hasPrefix(TwoStepRebuild.rebuiltAllocNote) == true
    }

    /// A call its task made in task context: anything but the unmaps and frees a
    /// completion interrupt makes in the task it interrupted.
    private static func madeACall(_ record: ImportedOp) -> Bool {
        switch record.op.call {
        case .map, .alloc, .link, .sync: return true
        default: return false
        }
    }

    /// The device, IOVA and length of an allocation the kernel answered with an IOVA.
    private static func allocation(_ record: ImportedOp) -> (device: String, address: UInt64, length: UInt64)? {
        guard record.outcome.status == .ok, let address = record.outcome.address else { return nil }
        switch record.op.call {
        case .map(let call): return (record.device ?? call.device, address, call.length)
        case .alloc(let call) where !record.unknown.contains(.sizeLowerBound): return (call.device, address, call.sizeBytes)
        default: return nil
        }
    }
}
