import DMASim
import Testing
@testable import TraceImport

/// Which runs of `fq_flush_timeout()` freed the queued ranges an allocation shows were
/// free: each run frees everything queued before it into the magazines of the CPU it runs
/// on (drivers/iommu/dma-iommu.c `fq_flush_timeout()` → `fq_ring_free_locked()` →
/// `free_iova_fast()`; drivers/iommu/iova.c `__iova_rcache_insert()` on `raw_cpu_ptr()`),
/// and only that CPU's allocations pop them (`__iova_rcache_get()`).
@Suite struct FlushTimerRunsTests {
    static let ms: UInt64 = 1_000_000

    static func range(_ page: UInt64, queuedAt: UInt64, cpu: Int, due: UInt64? = nil) -> Engine.QueuedRange {
        Engine.QueuedRange(start: 0xfff0_0000 + page << 12, length: 4096, queuedAt: queuedAt * ms, cpu: cpu,
                           timerDue: (due ?? queuedAt + 14) * ms, granule: 4096)
    }

    /// The lab's 2-vCPU capture with its timer lines (23.15-23.21 s): the timer armed on
    /// CPU 1 ran there twice, then the one CPU 0 armed ran on CPU 0, and CPU 0's next
    /// allocation got the last range it freed. Without the timer lines and with no later
    /// owner known, the kernel's schedule says the same: each run at the due tick of the
    /// timer the first range after the previous run armed, on its CPU; the last on the
    /// evidence's. Two runs in a row on one CPU are taken as one, late: nothing tells them
    /// apart, and one late run is what the 2-vCPU intel capture shows at 13.745 s (CPU 1's
    /// queued range went on top of CPU 0's, ring order, not queue time).
    @Test func withNoOwnerKnownEachRunIsDueWhereItWasArmed() {
        let ranges = [Self.range(0xbf, queuedAt: 100, cpu: 1), Self.range(0xbe, queuedAt: 102, cpu: 1),
                      Self.range(0xbd, queuedAt: 115, cpu: 1), Self.range(0xbc, queuedAt: 120, cpu: 1),
                      Self.range(0xb9, queuedAt: 150, cpu: 0), Self.range(0xb7, queuedAt: 152, cpu: 0)]
        let runs = FlushTimerRuns.runs(of: ranges, owners: Array(repeating: nil, count: ranges.count), evidenceCPU: 0)
        #expect(runs == [FlushTimerRuns.Run(cpu: 1, after: 120 * Self.ms), FlushTimerRuns.Run(cpu: 0, after: 152 * Self.ms)])
        #expect(FlushTimerRuns.coalesced([FlushTimerRuns.Run(cpu: 1, after: 1, ownerShown: true), FlushTimerRuns.Run(cpu: 1, after: 2),
                                          FlushTimerRuns.Run(cpu: 0, after: 3), FlushTimerRuns.Run(cpu: 1, after: 4)])
                == [FlushTimerRuns.Run(cpu: 1, after: 2, ownerShown: true), FlushTimerRuns.Run(cpu: 0, after: 3), FlushTimerRuns.Run(cpu: 1, after: 4)])
    }

    /// A range next handed out on another CPU than the one that armed the timer went into
    /// that CPU's magazine: the run that freed it ran there (timer migration,
    /// kernel/time/timer_migration.c: an idle CPU's timer expired by an active one).
    @Test func aLaterOwnerSaysWhereARunWas() {
        let ranges = [Self.range(0xbe, queuedAt: 100, cpu: 1), Self.range(0xbf, queuedAt: 102, cpu: 1),
                      Self.range(0xbd, queuedAt: 120, cpu: 1)]
        let runs = FlushTimerRuns.runs(of: ranges, owners: [nil, 0, 1], evidenceCPU: 1)
        #expect(runs == [FlushTimerRuns.Run(cpu: 0, after: 102 * Self.ms, ownerShown: true), FlushTimerRuns.Run(cpu: 1, after: 120 * Self.ms)])
    }

    /// Owners on two CPUs within one due period are two runs, the earlier taking the
    /// earlier-queued ranges: a run ends right after its last known range, and a range of
    /// unknown owner after it goes with the next.
    @Test func ownersOnTwoCPUsSplitARun() {
        let runs = FlushTimerRuns.split(queuedAt: [1, 2, 3, 4, 5], owners: [0, 0, nil, 1, nil], cpu: 1, forced: true)
        #expect(runs == [FlushTimerRuns.Run(cpu: 0, after: 2, ownerShown: true), FlushTimerRuns.Run(cpu: 1, after: 5)])
        // Queued at the same time, two ranges cannot be told apart: they go with the earlier.
        #expect(FlushTimerRuns.split(queuedAt: [1, 1, 2], owners: [0, 1, 1], cpu: 1, forced: true)
                == [FlushTimerRuns.Run(cpu: 0, after: 1, ownerShown: true), FlushTimerRuns.Run(cpu: 1, after: 2)])
        // Not the evidence's run: its CPU is its last known owner's, else the arming CPU.
        #expect(FlushTimerRuns.split(queuedAt: [1, 2], owners: [nil, 0], cpu: 1, forced: false)
                == [FlushTimerRuns.Run(cpu: 0, after: 2, ownerShown: true)])
        #expect(FlushTimerRuns.split(queuedAt: [1, 2], owners: [nil, nil], cpu: 1, forced: false) == [FlushTimerRuns.Run(cpu: 1, after: 2)])
    }

    /// A run whose ranges never came back is on the CPU that armed the timer, unless that
    /// CPU later handed out what its magazine held under them (`notOn`): the kernel's
    /// `__iova_rcache_get()` pops the top, so the run pushed them elsewhere
    /// (`fq_ring_free_locked()` → `free_iova_fast()` on the CPU that ran `fq_flush_timeout()`).
    /// The evidence's own run stays on the evidence's CPU, and a CPU with no contradiction
    /// keeps the run.
    @Test func aCPUThatHandedOutWhatTheRunWouldHaveBuriedDidNotRunIt() {
        let ranges = [Self.range(0xb0, queuedAt: 100, cpu: 0), Self.range(0x55, queuedAt: 104, cpu: 0),
                      Self.range(0x54, queuedAt: 124, cpu: 0), Self.range(0xaf, queuedAt: 140, cpu: 0)]
        let owners: [Int?] = [nil, nil, 0, 0]
        let notOnZero = FlushTimerRuns.runs(of: ranges, owners: owners, evidenceCPU: 0, cpuCount: 2) { cpu, group, _ in
            cpu == 0 && group.first?.queuedAt == 100 * Self.ms
        }
        #expect(notOnZero == [FlushTimerRuns.Run(cpu: 1, after: 104 * Self.ms, ruledOut: 0),
                              FlushTimerRuns.Run(cpu: 0, after: 140 * Self.ms, ownerShown: true)])
        // No contradiction: one late run on CPU 0, as before.
        #expect(FlushTimerRuns.runs(of: ranges, owners: owners, evidenceCPU: 0, cpuCount: 2)
                == [FlushTimerRuns.Run(cpu: 0, after: 140 * Self.ms, ownerShown: true)])
        // Every CPU contradicted, or one vCPU: the schedule stands.
        #expect(FlushTimerRuns.runs(of: ranges, owners: owners, evidenceCPU: 0, cpuCount: 2) { _, _, _ in true }
                == [FlushTimerRuns.Run(cpu: 0, after: 140 * Self.ms, ownerShown: true)])
        #expect(FlushTimerRuns.runs(of: ranges, owners: owners, evidenceCPU: 0) { _, _, _ in true }
                == [FlushTimerRuns.Run(cpu: 0, after: 140 * Self.ms, ownerShown: true)])
    }

    /// A range of unknown owner queued after a run's last known one would have been pushed
    /// on top of it (`fq_ring_free_locked()` frees in ring order): when that CPU handed out
    /// the earlier one first (`under`), the run ran before the later was queued, which
    /// waits for the next run (the intel-lazy 2-vCPU capture: 0xffd52000, queued on CPU 1
    /// at 17.5955 s, came back on CPU 0 while 0xffd4a000, queued at 17.6198 s, never did).
    @Test func aRangeQueuedAfterOneItsCPUHandedOutFirstWaitsForTheNextRun() {
        let ranges = [Self.range(0x52, queuedAt: 100, cpu: 1, due: 130), Self.range(0x4a, queuedAt: 124, cpu: 1, due: 138),
                      Self.range(0x48, queuedAt: 140, cpu: 1)]
        let owners: [Int?] = [0, nil, 1]
        let runs = FlushTimerRuns.runs(of: ranges, owners: owners, evidenceCPU: 1, cpuCount: 2) { cpu, group, under in
            cpu == 0 && group.first?.start == ranges[1].start && under.first?.start == ranges[0].start
        }
        #expect(runs == [FlushTimerRuns.Run(cpu: 0, after: 100 * Self.ms, ownerShown: true), FlushTimerRuns.Run(cpu: 1, after: 140 * Self.ms)])
        #expect(FlushTimerRuns.runs(of: ranges, owners: owners, evidenceCPU: 1, cpuCount: 2)
                == [FlushTimerRuns.Run(cpu: 0, after: 124 * Self.ms, ownerShown: true), FlushTimerRuns.Run(cpu: 1, after: 140 * Self.ms)])
    }
}

/// Where a traced `fq_flush_timeout()` run goes among the calls: the timer softirq runs on
/// interrupt exit in whatever task was running, and can come inside a `dma_map_phys` after
/// its `alloc_iova_fast()` and before its traced `iommu_map()`.
@Suite struct TracedFlushPlacementTests {
    static func lines(mapAfterTheRun iova: String, end: String) -> String {
        """
                  dd-149     [000] .....    12.900000: map: IOMMU: iova=0x00000000fffff000 - 0x0000000100000000 paddr=0x00000000275e2000 size=4096
                  dd-149     [000] .....    12.900010: dma_map_phys: 0000:00:01.0 dir=TO_DEVICE dma_addr=fffff000 size=4096 phys_addr=275e2000 attrs=
                  <idle>-0   [000] d.h1.    12.900100: unmap: IOMMU: iova=0x00000000fffff000 - 0x0000000100000000 size=4096 unmapped_size=4096
                  <idle>-0   [000] d.h1.    12.900110: dma_unmap_phys: 0000:00:01.0 dir=TO_DEVICE dma_addr=fffff000 size=4096 attrs=
                  dd-149     [000] ..s1.    12.920000: timer_expire_entry: timer=(____ptrval____) function=fq_flush_timeout now=4294895033 baseclk=4294895032
                  dd-149     [000] .l...    12.920300: map: IOMMU: iova=0x00000000\(iova) - 0x\(end) paddr=0x00000000275e2000 size=4096
                  dd-149     [000] .l...    12.920310: dma_map_phys: 0000:00:01.0 dir=TO_DEVICE dma_addr=\(iova) size=4096 phys_addr=275e2000 attrs=
        """
    }

    static func order(_ journal: String) throws -> [[String]] {
        try ImportFixture.rows(journal, """
            SELECT o.kind, CASE WHEN x.out_address IS NULL THEN '' ELSE printf('0x%x', x.out_address) END FROM op_log o JOIN ops x USING (seq)
            WHERE o.kind IN ('map', 'unmap', 'flush') ORDER BY seq
            """)
    }

    /// The map after the run got 0xffffe000, not the 0xfffff000 the run freed onto the
    /// magazine: it had its IOVA before the run, which goes after it.
    @Test func aRunInsideAMapGoesAfterIt() throws {
        let (journal, summary) = try ImportFixture.importing(text: Self.lines(mapAfterTheRun: "ffffe000", end: "00000000fffff000"))
        #expect(try Self.order(journal) == [["map", "0xfffff000"], ["unmap", ""], ["map", "0xffffe000"], ["flush", ""]])
        #expect(summary.disagreements == 0)
    }

    /// The map got what the run freed: the run came first.
    @Test func aRunBeforeAMapStaysBeforeIt() throws {
        let (journal, summary) = try ImportFixture.importing(text: Self.lines(mapAfterTheRun: "fffff000", end: "0000000100000000"))
        #expect(try Self.order(journal) == [["map", "0xfffff000"], ["unmap", ""], ["flush", ""], ["map", "0xfffff000"]])
        #expect(summary.disagreements == 0)
    }
}
