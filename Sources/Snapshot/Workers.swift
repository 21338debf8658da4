import Dispatch
import Synchronization

/// A fixed number of threads for independent jobs (compressing, decompressing, copying
/// chunks). Workers take the next job as they come free (a worker the scheduler delays
/// leaves its share to the others instead of holding everyone up), and job `i`'s result
/// lands in slot `i` whichever worker ran it, so the results — and everything the caller
/// builds from them in job order, such as the journal's rows — are the same however the
/// threads were scheduled.
///
/// The Snapshot module is the only place threads run: the engine (DMASim) stays
/// single-threaded and is never called from a worker. The calling thread resolves pages
/// to pointers first (`Engine.pageBytes`, `existingPageBacking`, `reservePageBacking`),
/// and workers read or fill only those, each job its own.
struct Workers {
    let count: Int

    init(count: Int) {
        precondition(count >= 1, "at least one worker")
        self.count = count
    }

    /// `body(job, worker)` for every job in `0..<jobs`, results in job order. `worker`
    /// (in `0..<count`) names per-worker scratch the job may use: no two jobs run on the
    /// same worker at once.
    func map<Result>(_ jobs: Int, _ body: (_ job: Int, _ worker: Int) -> Result) -> [Result] {
        if count == 1 || jobs < 2 { return (0..<jobs).map { body($0, 0) } }
        let workers = min(count, jobs)
        return withoutActuallyEscaping(body) { body in
            [Result](unsafeUninitializedCapacity: jobs) { slots, initialized in
                // A job's slot is written only by the worker that took the job, and
                // `concurrentPerform` returns after every worker has finished.
                nonisolated(unsafe) let first = slots.baseAddress!
                nonisolated(unsafe) let body = body
                let counter = JobCounter()
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    while case let job = counter.take(), job < jobs {
                        (first + job).initialize(to: body(job, worker))
                    }
                }
                initialized = jobs
            }
        }
    }
}

/// Hands out job numbers 0, 1, 2, … to whichever worker asks.
private final class JobCounter: Sendable {
    private let next = Atomic<Int>(0)

    func take() -> Int { next.wrappingAdd(1, ordering: .relaxed).oldValue }
}

/// 64 KiB buffers, one per chunk of a capture batch or per worker of a restore, reused
/// from batch to batch, so workers never share one. Grows to the most ever asked for; a
/// small snapshot allocates little.
final class ChunkBuffers {
    private var base: UnsafeMutableRawPointer?
    private(set) var capacity = 0

    init() {}

    deinit { base?.deallocate() }

    /// Makes room for `count` chunks (keeping none of the old contents).
    func reserve(_ count: Int) {
        guard count > capacity else { return }
        base?.deallocate()
        base = UnsafeMutableRawPointer.allocate(byteCount: count * SnapshotManifest.chunkBytes, alignment: 64)
        capacity = count
    }

    /// Buffer `index` (below the reserved count).
    func chunk(_ index: Int) -> UnsafeMutableRawBufferPointer {
        precondition(index < capacity)
        return UnsafeMutableRawBufferPointer(start: base! + index * SnapshotManifest.chunkBytes, count: SnapshotManifest.chunkBytes)
    }
}
