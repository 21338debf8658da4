import DMASim

/// How many runs of `fq_flush_timeout()`, on which CPUs, freed the queued ranges that an
/// allocation's evidence shows were freed by now (`FlushTimerPlacement`).
///
/// Each run frees every range queued before it, whichever CPU queued it, into the
/// magazines of the CPU it runs on (drivers/iommu/dma-iommu.c `fq_flush_timeout()` →
/// `fq_ring_free_locked()` → `free_iova_fast()`, drivers/iommu/iova.c
/// `__iova_rcache_insert()` on `raw_cpu_ptr()`); and only that CPU's allocations pop them
/// (`__iova_rcache_get()`). So the CPU that next gets a freed range is the CPU of the run
/// that freed it, and ranges next handed out on different CPUs were freed by different
/// runs, the earlier run taking the earlier-queued ranges. With two vCPUs the timer often
/// runs on the other CPU than the one that armed it: armed from an idle CPU's interrupt,
/// it is expired by the timer-migration hierarchy's active CPU
/// (kernel/time/timer_migration.c), and a trace of the `dma` and `iommu` events does not
/// show it.
enum FlushTimerRuns {
    struct Run: Equatable {
        /// The CPU it ran on.
        var cpu: Int
        /// It ran after the range queued then (and freed it) and before the next one.
        var after: UInt64
        /// Whether a range it freed was next handed out on its CPU later in the trace (else
        /// it is the kernel's schedule: the CPU that armed the timer, or the evidence's).
        var ownerShown = false
        /// The CPU the kernel's schedule put it on, which the trace shows it was not on
        /// (`runs(of:owners:evidenceCPU:cpuCount:notOn:)`).
        var ruledOut: Int?
    }

    /// The runs that freed `ranges` (the domain's queued ranges up to the evidence, oldest
    /// first; the last is the one `cpu` got): the kernel's schedule, each run at the due tick
    /// of the timer that the first range queued after the previous run armed, on the CPU
    /// that armed it (`queue_iova()` → `mod_timer()`), and, since the last range was handed
    /// out on `cpu`, the last run there; split where the ranges' next owners (`owners`)
    /// say a run's ranges went to different CPUs.
    ///
    /// A run none of whose ranges was handed out again says nothing of its CPU by an
    /// owner, but a CPU can say it was not there (`notOn`, `FlushTimerPlacement`): had the
    /// run pushed its ranges onto that CPU's magazine, the CPU could hand out nothing that
    /// lay under them before them (`__iova_rcache_get()` pops the top). Such a run ran on
    /// another of the `cpuCount` CPUs, the first not ruled out (with two vCPUs, an idle
    /// CPU's `fq_timer` expired by the other, kernel/time/timer_migration.c). Ranges of
    /// unknown owner queued after a run's last known one would have gone on top of it
    /// (`fq_ring_free_locked()` frees in ring order): when that CPU handed out one pushed
    /// before them (`under`) first, the run ran before they were queued, and they wait
    /// for the next.
    static func runs(of ranges: [Engine.QueuedRange], owners: [Int?], evidenceCPU cpu: Int, cpuCount: Int = 1,
                     notOn: (_ cpu: Int, _ ranges: ArraySlice<Engine.QueuedRange>, _ under: ArraySlice<Engine.QueuedRange>) -> Bool
                         = { _, _, _ in false }) -> [Run] {
        precondition(ranges.count == owners.count && !ranges.isEmpty)
        var runs: [Run] = []
        var first = 0
        while first < ranges.count {
            let due = ranges[first].timerDue
            var end = first + 1
            while end < ranges.count, ranges[end].queuedAt < due { end += 1 }
            let last = end == ranges.count
            var group = split(queuedAt: ranges[first..<end].map(\.queuedAt), owners: Array(owners[first..<end]),
                              cpu: last ? cpu : ranges[first].cpu, forced: last)
            let none = ranges[first..<first]
            if !last, group.count == 1, !group[0].ownerShown, notOn(group[0].cpu, ranges[first..<end], none),
               let other = (0..<cpuCount).first(where: { $0 != group[0].cpu && !notOn($0, ranges[first..<end], none) }) {
                group[0].ruledOut = group[0].cpu
                group[0].cpu = other
            } else if !last, let known = owners[first..<end].lastIndex(where: { $0 != nil }), known + 1 < end,
                      ranges[known].queuedAt < ranges[known + 1].queuedAt,
                      notOn(group[group.count - 1].cpu, ranges[(known + 1)..<end], ranges[first...known]) {
                group[group.count - 1].after = ranges[known].queuedAt
            }
            runs += group
            first = end
        }
        return coalesced(runs)
    }

    /// Consecutive runs on one CPU as one, the later: nothing shows the timer ran twice
    /// there rather than once, late (a loaded 2-vCPU guest ran it up to 75 ms after
    /// arming), and it matters: one run frees CPU 0's queue, then CPU 1's, in ring order
    /// (`fq_flush_timeout()`'s `for_each_possible_cpu`), two runs each in turn.
    static func coalesced(_ runs: [Run]) -> [Run] {
        var merged: [Run] = []
        for run in runs {
            if let last = merged.last, last.cpu == run.cpu {
                merged[merged.count - 1] = Run(cpu: run.cpu, after: run.after, ownerShown: last.ownerShown || run.ownerShown,
                                               ruledOut: last.ruledOut ?? run.ruledOut)
            } else {
                merged.append(run)
            }
        }
        return merged
    }

    /// The fewest runs that free ranges queued at `queuedAt` (oldest first) so that each
    /// range whose next owner is known (`owners`, nil when the trace does not show it) went
    /// into that CPU's magazines. The last run is on `cpu` when `forced` (the evidence's),
    /// else on the last known owner, or `cpu` when none is known. A run ends right after the
    /// last range known to be its (a range of unknown owner after it goes with the next
    /// run); ranges queued at the same time cannot be told apart and go with the earlier.
    static func split(queuedAt: [UInt64], owners: [Int?], cpu: Int, forced: Bool) -> [Run] {
        precondition(queuedAt.count == owners.count && !queuedAt.isEmpty)
        var runs: [Run] = []
        var current: Int?
        var lastKnown: UInt64 = 0
        for (time, owner) in zip(queuedAt, owners) {
            guard let owner else { continue }
            if let running = current, running != owner, lastKnown < time {
                runs.append(Run(cpu: running, after: lastKnown, ownerShown: true))
                current = owner
            } else if current == nil {
                current = owner
            }
            lastKnown = time
        }
        runs.append(Run(cpu: forced ? cpu : current ?? cpu, after: queuedAt[queuedAt.count - 1], ownerShown: !forced && current != nil))
        return runs
    }
}
