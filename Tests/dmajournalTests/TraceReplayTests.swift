import Foundation
import Testing

/// An imported kernel trace runs on the model: `export --format script` writes the
/// simulation `TraceScenario` makes of it, and `replay` runs it, checking every line's
/// claim of what the kernel did.
@Suite struct TraceReplayTests {
    static func temporary(_ suffix: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("trace-\(UUID().uuidString)\(suffix)").path
    }

    static func imported(_ traces: [String]) throws -> String {
        let journal = temporary(".db")
        let run = try ToolRun.run(["import"] + traces + ["--journal", journal, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        return journal
    }

    /// A trace imported and exported as its simulation: the journal, the whole script, and
    /// its lines without the `#` header.
    static func simulation(of trace: String) throws -> (journal: String, script: String, lines: [String]) {
        let journal = try imported([trace])
        let export = try ToolRun.run(["export", journal, "--format", "script"])
        #expect(export.status == 0, "\(export.stderr)")
        let lines = export.stdout.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
        return (journal, export.stdout, lines)
    }

    static let ath12k = "fixtures/traces/ftrace-ath12k-dma-free-then-io-page-fault.txt"

    static let realTraces: [String] = {
        let directory = TestPaths.packageRoot.appendingPathComponent("fixtures/traces")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".txt") }.sorted().map { "fixtures/traces/" + $0 }
    }()

    /// On every real trace the model agrees with the kernel: the faults it reported, the
    /// calls that went through, the misuse its dma-debug named.
    @Test(arguments: realTraces)
    func theModelAgreesWithTheKernelOnEachRealTrace(_ trace: String) throws {
        let journal = try Self.imported([trace])
        let script = Self.temporary(".ops")
        let export = try ToolRun.run(["export", journal, "--format", "script", "-o", script])
        #expect(export.status == 0, "\(export.stderr)")
        let run = try ToolRun.run(["run", script])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let replay = try ToolRun.run(["replay", journal])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stdout.contains("ran on the model, which agrees with the kernel at each one"))
    }

    /// Captures of Linux 7.3.4 under QEMU from the kernel lab (`../shared/kernel-captures`;
    /// the strict NVMe one cut to its first 1,500 lines), with the ops each makes.
    static let kernelCaptures: [(file: String, ops: Int)] = [
        ("fixtures/kernel-captures/7.3-intel-iommu-lazy-nvme-iova-probes-edu-oracle-none.txt", 66),
        ("fixtures/kernel-captures/7.3-intel-iommu-strict-nvme-iova-probes-edu-hidden-oracle-none.txt", 66),
        ("fixtures/kernel-captures/7.3-intel-iommu-strict-nvme-first-1500-lines.txt", 899),
        // Lazy: fq_timer placed where the kernel's IOVAs show it ran (issue 14).
        ("fixtures/kernel-captures/7.3-intel-iommu-lazy-nvme-first-1499-lines.txt", 917),
        // EVENTS="dma iommu timer:timer_start timer:timer_expire_entry": where it ran, traced.
        ("fixtures/kernel-captures/7.3-intel-iommu-lazy-nvme-timer-events-first-1500-lines.txt", 553),
        // Two vCPUs (SMP=2): the runs' CPUs inferred from which CPU next got what each freed.
        ("fixtures/kernel-captures/7.3-virtio-iommu-lazy-nvme-smp2-first-2000-lines.txt", 1726),
        // The same kernel with timer events, their lines deleted: the inference alone.
        ("fixtures/kernel-captures/7.3-virtio-iommu-lazy-nvme-smp2-timer-lines-removed-first-1499-lines.txt", 920),
    ] + labCaptures.map { ($0.file, $0.ops) }

    /// The lab runs of issue 26 (docs/kernel-model.md, "Lab runs"): an untrusted device
    /// with and without a swiotlb pool and min_align_mask, strict and lazy, and the lazy
    /// window. The import learns the pool, the untrusted device and its mask from the
    /// capture's header; the -ENXIO links are the model's `unaligned-link` findings.
    static let labCaptures: [(file: String, ops: Int, findings: Int)] = [
        ("fixtures/kernel-captures/7.3-intel-iommu-strict-nvme-iova-probes-edu-untrusted-oracle-none-ram-ut.txt", 60, 0),
        ("fixtures/kernel-captures/7.3-intel-iommu-strict-nvme-iova-probes-edu-untrusted-oracle-none-ram-ut-force.txt", 62, 2),
        ("fixtures/kernel-captures/7.3-intel-iommu-strict-nvme-iova-probes-edu-untrusted-oracle-none-ram-ut-force-mam.txt", 64, 0),
        ("fixtures/kernel-captures/7.3-intel-iommu-lazy-nvme-iova-probes-edu-untrusted-oracle-none-ram-ut-force.txt", 65, 2),
        ("fixtures/kernel-captures/7.3-intel-iommu-lazy-nvme-iova-probes-edu-untrusted-oracle-none-ram-ut-force-mam.txt", 66, 0),
        ("fixtures/kernel-captures/7.3-intel-iommu-strict-nvme-iova-probes-edu-lazywin-oracle-none-lw.txt", 48, 0),
        ("fixtures/kernel-captures/7.3-no-iommu-nvme-iova-probes-edu-untrusted-oracle-none-ram-ut.txt", 50, 0),
        ("fixtures/kernel-captures/7.3-intel-iommu-strict-nvme-iova-probes-edu-untrusted-oracle-none-hidden-link0-ut-hlink0-force.txt", 36, 1),
        ("fixtures/kernel-captures/7.3-intel-iommu-strict-nvme-iova-probes-edu-untrusted-oracle-none-hidden-link0-ut-hlink0.txt", 43, 0),
        ("fixtures/kernel-captures/7.3-intel-iommu-strict-nvme-iova-probes-edu-untrusted-oracle-none-hidden-map0-ut-hmap0-force.txt", 34, 0),
        ("fixtures/kernel-captures/7.3-intel-iommu-strict-nvme-iova-probes-edu-untrusted-oracle-none-hidden-safe-ut-hsafe-force.txt", 72, 0),
        ("fixtures/kernel-captures/7.3-intel-iommu-strict-nvme-iova-probes-edu-untrusted-oracle-none-hidden-safe-ut-hsafe.txt", 72, 0),
        ("fixtures/kernel-captures/7.3-no-iommu-nvme-iova-probes-edu-lazywin-oracle-none-lw-force.txt", 41, 0),
        ("fixtures/kernel-captures/7.3-no-iommu-nvme-iova-probes-edu-lazywin-oracle-none-lw.txt", 45, 0),
        ("fixtures/kernel-captures/7.3-no-iommu-nvme-iova-probes-edu-untrusted-oracle-none-ram-ut-force.txt", 46, 0),
    ]

    /// A real 7.3 kernel's run agrees with the model op for op and address for address,
    /// with no finding: the streaming calls with their IOMMU events folded in, the two-step
    /// requests from probe events or rebuilt from their IOMMU events, the NULL frees.
    @Test(arguments: kernelCaptures.map(\.file))
    func theModelAgreesWithAKernelCaptureAtEveryAddress(_ capture: String) throws {
        let journal = Self.temporary(".db")
        let run = try ToolRun.run(["import", capture, "--journal", journal, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let findings = Self.labCaptures.first { $0.file == capture }?.findings ?? 0
        #expect(run.stdout.contains(" \(findings) finding\(findings == 1 ? "" : "s");"), "\(run.stdout)")
        let replay = try ToolRun.run(["replay", journal])
        #expect(replay.status == 0, "\(replay.stderr)")
        let ops = try #require(Self.kernelCaptures.first { $0.file == capture }).ops
        #expect(replay.stdout == "\(ops) ops of the kernel trace ran on the model, which agrees with the kernel at each one\n")
    }

    /// The lazy-window lab run agrees wherever the jiffies tick falls (it is in no trace):
    /// an explicit `fq_timer` runs only where the kernel's IOVAs show it ran, never at a
    /// time the tick decides.
    @Test(arguments: ["fixtures/kernel-captures/7.3-intel-iommu-lazy-nvme-iova-probes-edu-lazywin-oracle-none-lw.txt",
                      "fixtures/kernel-captures/7.3-intel-iommu-lazy-nvme-iova-probes-edu-lazywin-oracle-none-lw-force.txt"])
    func theLazyWindowCaptureAgreesWhereverItsTickFalls(_ capture: String) throws {
        let journal = Self.temporary(".db")
        let run = try ToolRun.run(["import", capture, "--journal", journal, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        for phase in ["1ms", "2ms", "3ms"] {
            let replay = try ToolRun.run(["replay", journal, "--with", "tick-phase=\(phase)"])
            #expect(replay.status == 0, "\(replay.stderr)")
            #expect(replay.stdout == "53 ops of the kernel trace ran on the model with tick-phase=\(phase), which agrees with the kernel at each one\n")
        }
    }

    /// The import reads the machine a lab capture describes: no pool (pool_nslabs=0) or
    /// the one swiotlb=force made, the untrusted device, its min_align_mask, and an
    /// untrusted device in a DMA-FQ group as untrusted-at-probe.
    @Test func aLabCaptureDeclaresItsPoolAndUntrustedDevice() throws {
        let cases: [(capture: String, lines: [String])] = [
            ("7.3-intel-iommu-strict-nvme-iova-probes-edu-untrusted-oracle-none-ram-ut.txt",
             ["swiotlb noforce", "device dev-0000:00:02.0 iommu=iommu dma-bits=28 coherent untrusted group=group2"]),
            ("7.3-intel-iommu-strict-nvme-iova-probes-edu-untrusted-oracle-none-ram-ut-force-mam.txt",
             ["swiotlb size=64M base=0x3ac00000 force",
              "device dev-0000:00:02.0 iommu=iommu dma-bits=28 coherent untrusted group=group2 min-align-mask=0xfff"]),
            ("7.3-intel-iommu-lazy-nvme-iova-probes-edu-untrusted-oracle-none-ram-ut-force.txt",
             ["swiotlb size=64M base=0x3ac00000 force",
              "device dev-0000:00:02.0 iommu=iommu dma-bits=28 coherent untrusted-at-probe group=group2"]),
        ]
        for (capture, expected) in cases {
            let simulation = try Self.simulation(of: "fixtures/kernel-captures/" + capture)
            for line in expected { #expect(simulation.lines.contains(line), "\(capture): \(line)") }
        }
    }

    /// Lazy mode: `fq_flush_timeout()` frees the queued IOVAs; a trace of the default
    /// events does not show it, so the import puts a `flush` where the kernel handed out a
    /// queued IOVA again, as of when that IOVA was queued (line 215's unmap): the range
    /// queued after it (line 219, 0xfffce000) stays queued, as the next IOVAs (0xfffcf000,
    /// then 0xfffd0000, LIFO from the magazine) show. With timer events, the traced
    /// `timer_expire_entry` lines are the flushes.
    @Test func lazyFlushesGoWhereTheTraceShowsTheTimerRan() throws {
        let (_, _, lines) = try Self.simulation(of: "fixtures/kernel-captures/7.3-intel-iommu-lazy-nvme-first-1499-lines.txt")
        let flush = try #require(lines.firstIndex { $0.contains(".txt:221 fq_flush_timeout") })
        #expect(lines[flush] == "flush iommu dev=dev-0000:00:01.0 at=7.087696s time=7.08954s => completed  # 7.3-intel-iommu-lazy-nvme-first-1499-lines.txt:221 fq_flush_timeout")
        #expect(lines[flush + 1].hasPrefix("map m41 dev=dev-0000:00:01.0 phys=0x359ea000 len=4K dir=from-device time=7.08954s => completed iova=0xfffcf000"))
        #expect(lines.contains("iommu iommu mode=lazy granule=4K aperture-bits=48 fq-timer=explicit"))
        let (_, _, traced) = try Self.simulation(of: "fixtures/kernel-captures/7.3-intel-iommu-lazy-nvme-timer-events-first-1500-lines.txt")
        let flushes = traced.filter { $0.hasPrefix("flush ") }
        #expect(flushes.count == 11)
        #expect(flushes.first == "flush iommu dev=dev-0000:00:01.0 time=7.925149s => completed  # 7.3-intel-iommu-lazy-nvme-timer-events-first-1500-lines.txt:140 fq_flush_timeout")
    }

    /// Two vCPUs: the timer that CPU 1 armed (its unmaps, lines 147-155) was run by CPU 0,
    /// whose allocation at line 561 got 0xfffbe000 (queued on CPU 1 at 46.939558 s) from its
    /// own magazine: so when line 413 shows a run on CPU 1, the import puts an earlier run
    /// on CPU 0 before it, freeing what was queued up to then (`fq_flush_timeout()` frees
    /// every CPU's queue into the running CPU's magazine, `__iova_rcache_insert()`).
    @Test func aRunOnAnotherCPUIsInferredFromWhereItsRangesWentNext() throws {
        let (_, _, lines) = try Self.simulation(of: "fixtures/kernel-captures/7.3-virtio-iommu-lazy-nvme-smp2-first-2000-lines.txt")
        let runs = lines.filter { $0.contains(".txt:413 fq_flush_timeout") }
        #expect(runs.first?.hasPrefix("flush iommu dev=dev-0000:00:02.0 at=46.939558s time=47.091562s") == true, "\(runs)")
        #expect(runs.last?.hasPrefix("flush iommu dev=dev-0000:00:02.0 at=47.091207s cpu=1 time=47.091562s") == true, "\(runs)")
        #expect(lines.contains { $0.hasPrefix("map m127 dev=dev-0000:00:02.0 phys=0x3ea2c000 len=4K dir=from-device time=47.108182s => completed iova=0xfffbe000") })
    }

    /// The seed's case on the lab kernel (ORACLE=edu-untrusted UNTRUSTED=hidden-link0
    /// MIN_ALIGN_MASK=0xfff, mem=768M swiotlb=force, intel-iommu strict; the command in
    /// docs/import.md): an untrusted device's unaligned `dma_iova_link` of memory above
    /// `mem=` oopses in the bounce copy (`swiotlb_tbl_map_single()` <-
    /// `iommu_dma_map_swiotlb()` <- `iommu_dma_iova_bounce_and_link()` <- `dma_iova_link()`).
    /// The capture's `# oops:` lines end the link the trace entered and never left; the
    /// simulation takes `mem=` (a shared region above it), `swiotlb=force` (a pool) and the
    /// task that died in dma-iommu's bounce (an untrusted device) from the capture, and the
    /// model oopses at the same op.
    @Test func theModelOopsWhereTheKernelDid() throws {
        let capture = "fixtures/kernel-captures/7.3-intel-iommu-strict-nvme-iova-probes-edu-untrusted-oracle-none-hidden-link0-swiotlb-force.txt"
        let journal = Self.temporary(".db")
        let run = try ToolRun.run(["import", capture, "--journal", journal, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("1 oops"), "\(run.stdout)")
        let link = try ToolRun.run(["query", journal, "SELECT kind, status FROM op_log WHERE kind IN ('alloc', 'link') ORDER BY seq", "--format", "csv"])
        #expect(link.stdout == "kind,status\nalloc,ok\nlink,oops\n", "\(link.stdout)")
        let replay = try ToolRun.run(["replay", journal])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stdout == "36 ops of the kernel trace ran on the model, which agrees with the kernel at each one\n")
        let script = try ToolRun.run(["export", journal, "--format", "script"])
        #expect(script.stdout.contains("region hidden base=0x30000000"))
        // The module's own lines give the pool's place, edu's 32-bit mask and its min_align_mask.
        #expect(script.stdout.contains("swiotlb size=64M base=0x2b000000 force"))
        #expect(script.stdout.contains("device dev-0000:00:02.0 iommu=iommu dma-bits=32 coherent untrusted group=group2 min-align-mask=0xfff"))
        #expect(script.stdout.contains("=> oops"))
    }

    @Test func realTracesAreFound() {
        #expect(Self.realTraces.count >= 11)
    }

    /// ath12k frees a coherent buffer, then the device writes to it: the write names the
    /// freed mapping (the model hands out its own IOVAs), and faults on the model too.
    @Test func aWriteAfterFreeNamesTheFreedMapping() throws {
        let (journal, script, lines) = try Self.simulation(of: Self.ath12k)
        #expect(lines.contains("device dev-0000:c2:00.0 iommu=iommu dma-bits=64 coherent"))
        // dma_alloc and the iommu:map it caused are one call: one map, at the IOMMU's physical address.
        #expect(lines.contains { $0.hasPrefix("map m1 dev=dev-0000:c2:00.0 phys=0x10ec80000 len=512K dir=bidirectional cpu=10 time=4.878076s => completed  #") })
        #expect(lines.contains("mapping-error m1"))
        #expect(!lines.contains { $0.hasPrefix("map m2") })
        #expect(lines.contains("dev-write dev-0000:c2:00.0 addr=m1 len=4 fill=zero cpu=6 time=327.753942s => fault not-present  # ftrace-ath12k-dma-free-then-io-page-fault.txt:17 io_page_fault"))
        #expect(script.contains("# IOMMU mode lazy: the default on x86"))
        let strict = try ToolRun.run(["replay", journal, "--with", "iommu-mode=strict"])
        #expect(strict.stdout == "3 ops of the kernel trace ran on the model with iommu-mode=strict, which agrees with the kernel at each one\n")
    }

    /// docs/import.md "Running a trace on the model" shows this journal's script and replay.
    @Test func theDocumentedSimulationIsWhatTheToolWrites() throws {
        let text = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("docs/import.md"), encoding: .utf8)
        let block = try #require(text.components(separatedBy: "```\n$ dmajournal export ath12k.db").dropFirst().first?
            .components(separatedBy: "\n```").first)
        let sessions = block.components(separatedBy: "\n\n$ ")
        #expect(sessions.count == 2)
        let (journal, _, lines) = try Self.simulation(of: Self.ath12k)
        #expect(sessions[0].split(separator: "\n").dropFirst().joined(separator: "\n") == lines.joined(separator: "\n"))
        let replay = try ToolRun.run(["replay", journal, "--with", "iommu-mode=strict"])
        #expect(sessions[1].split(separator: "\n").dropFirst().joined(separator: "\n") + "\n" == replay.stdout)
    }

    /// Bisect and minimise search a recording: on a trace they say how to make one, and
    /// the way they name works.
    @Test func bisectOfATraceSaysHowToRecordItsSimulation() throws {
        let journal = try Self.imported([Self.ath12k])
        for command in ["bisect", "minimize"] {
            let refused = try ToolRun.run([command, journal, "--until", "fault"])
            #expect(refused.status == 2)
            #expect(refused.stderr.hasPrefix("dmajournal: \(command): \(journal) is an imported kernel trace, not a recording: run `dmajournal export"))
        }
        let script = Self.temporary(".ops"), recording = Self.temporary(".db")
        #expect(try ToolRun.run(["export", journal, "--format", "script", "-o", script]).status == 0)
        #expect(try ToolRun.run(["run", script, "--journal", recording, "--quiet"]).status == 0)
        let bisect = try ToolRun.run(["bisect", recording, "--until", "fault"])
        #expect(bisect.stdout.hasPrefix("first op where fault holds: seq 7 "), "\(bisect.stdout)\(bisect.stderr)")
    }

    /// dma-debug saw an unmap of a size other than the map's, and the trace never showed
    /// the map: the stand-in map takes the size the report gives, so the model sees the
    /// same mismatch (kernel/dma/debug.c check_unmap).
    @Test func aDMADebugReportSizesTheStandInMap() throws {
        let lines = try Self.simulation(of: "fixtures/traces/20-dmesg-dma-api-debug-different-size-atlantic.txt").lines
        #expect(lines.contains("map u1 dev=dev-0000:4b:00.0 phys=0x800000000000 len=34K dir=bidirectional"))
        #expect(lines.contains { $0.hasPrefix("unmap u1 len=32K dir=bidirectional cpu=33 time=215.351612s => violation unmap-size-mismatch  #") })
    }

    /// A write fault the kernel reported inside a live bidirectional mapping: the model
    /// lets the write through, and says where it parts from the kernel.
    @Test func theFirstDisagreementIsTheDivergence() throws {
        let trace = Self.temporary(".txt")
        try """
             kworker/2:1-118     [002] .....   312.100200: dma_map_page: 0000:00:14.0 dir=BIDIRECTIONAL dma_addr=fffff000 size=4096 phys_addr=11d4c2000 attrs=
            [  312.100610] DMAR: [DMA Write NO_PASID] Request device [00:14.0] fault addr 0xfffff000 [fault reason 0x05] PTE Write access is not set

            """.write(toFile: trace, atomically: true, encoding: .utf8)
        let journal = try Self.imported([trace])
        let replay = try ToolRun.run(["replay", journal])
        #expect(replay.status == 1)
        let name = URL(fileURLWithPath: trace).lastPathComponent
        #expect(replay.stderr == """
            dmajournal: \(journal): the model disagrees with the kernel at seq 1 (\(name):2 dmar_fault_no_pasid) after 2 ops
              op:     dev-write dev-0000:00:14.0 addr=m1 len=4 fill=zero time=312.10061s
              kernel: fault permission
              model:  ok

            """)
    }
}
