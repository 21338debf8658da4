import DMASim
import Journal
import OpScript
import Pipeline
import Replay
import Testing
import Workloads

/// `replay --with`: the same ops on a changed machine. A misuse that was latent in the
/// recording becomes a divergence at the op that commits it.
@Suite struct ReplayOverrideTests {
    /// Lazy mode on 6.16: after dma_iova_destroy the IOVA waits in the flush queue and the
    /// IOTLB still translates, so a late device access lands (`use-after-unlink`). In strict mode destroy
    /// unmaps and invalidates at once (`__iommu_dma_iova_unlink` with `iommu_iotlb_sync`),
    /// and the same access faults: the first behavioural divergence is the injected op.
    @Test func aLateAccessThatLandedInLazyModeFaultsInStrictMode() throws {
        var options = WorkloadOptions(seed: 3, opCount: 3000, injections: [try InjectionSpec(parsing: "late-access@1200")])
        options.iommuMode = .lazy
        options.kernel = .v6_16
        let (path, injected) = try ReplayerTests.recordWithMarks(.nvme, options: options)
        let marked = try #require(injected.first)
        let reader = try JournalReader(path: path)
        #expect(try Replayer(reader: reader).replay().divergence == nil)
        let result = try Replayer(reader: reader, overrides: [.iommuMode(.strict)]).replay()
        let divergence = try #require(result.divergence)
        #expect(divergence.sequence == marked)
        #expect(divergence.differingFields.contains("status"))
        guard case .fault = divergence.replayed.status else { Issue.record("expected a fault, got \(divergence.replayed.status)"); return }
    }

    /// The same late access on 7.3, where `dma_iova_destroy` is `dma_iova_unlink` then
    /// `dma_iova_free`: it faults in lazy mode too. Replayed `--with kernel=6.16` on a
    /// journal that declares no machine, it lands: the injected op is the divergence, and
    /// `--with kernel=7.3` on a 6.16 recording finds the same op the other way round.
    @Test func kernelOverrideReplaysOnTheOtherDestroy() throws {
        var options = WorkloadOptions(seed: 3, opCount: 3000, injections: [try InjectionSpec(parsing: "late-access@1200")])
        options.iommuMode = .lazy
        let (path, injected) = try ReplayerTests.recordWithMarks(.nvme, options: options)
        let marked = try #require(injected.first)
        let reader = try JournalReader(path: path)
        let recorded = try #require(try reader.readAll().first { $0.seq == marked })
        #expect(recorded.outcome.status.fault?.kind == .notPresent)
        #expect(recorded.outcome.findings.map(\.misuse) == [.useAfterDestroy])
        let on616 = try #require(try Replayer(reader: reader, overrides: [.kernel(.v6_16)]).replay().divergence)
        #expect(on616.sequence == marked)
        #expect(on616.replayed.status == .ok)

        options.kernel = .v6_16
        let (oldPath, oldInjected) = try ReplayerTests.recordWithMarks(.nvme, options: options)
        let oldReader = try JournalReader(path: oldPath)
        #expect(try oldReader.topology().first == .machine(MachineSpec(kernel: .v6_16)))
        let on73 = try #require(try Replayer(reader: oldReader, overrides: [.kernel(.v7_3)]).replay().divergence)
        #expect(on73.sequence == oldInjected.first)
        #expect(on73.replayed.status.fault?.kind == .notPresent)
    }

    /// `cpus=` bounds the ops' CPUs on the replayed machine (an op on a CPU it lacks is
    /// rejected: the divergence); `arch=` changes nothing the model does yet.
    @Test func cpusAndArchOverridesChangeTheMachineLine() throws {
        let ops = try ScriptParser().parse("""
            machine cpus=4
            region shm0 base=0x100000000000 size=1T kind=shared
            iommu mmu0 mode=strict
            device nvme0 iommu=mmu0 dma-bits=64 coherent
            alloc s1 dev=nvme0 phys=0x100000000000 size=8K cpu=1
            link s1 phys=0x100000000000 len=8K dir=to-device cpu=3
            """, fileName: "cpus.ops").ops
        let reader = try JournalReader(path: try CheckpointReplayTests.record(ops, checkpointEvery: 1_000_000))
        let divergence = try #require(try Replayer(reader: reader, overrides: [.cpuCount(2)]).replay().divergence)
        #expect(divergence.sequence == 5)
        #expect(divergence.replayed.status == .rejected("cpu 3 is not online: the machine has 2 CPUs (machine cpus=N)"))
        #expect(try Replayer(reader: reader, overrides: [.arch(.arm64)]).replay().divergence == nil)
    }

    /// `tick-phase=` moves the jiffy ticks, and with them the flush-queue timer: armed at
    /// 1.5 ms for msecs_to_jiffies(10) = 3 jiffies at HZ 250, `calc_wheel_index()` files it
    /// one jiffy later (kernel/time/timer.c `calc_index`), so it runs on the fourth tick
    /// after the arming jiffy's: 16 ms with ticks at 0, 4, 8 ms, 15 ms with ticks at 3, 7,
    /// 11 ms. At 15.5 ms the stale IOTLB entry of m1 still lets a write land on the first
    /// machine; on the second `fq_flush_timeout` has flushed it and the write faults.
    @Test func tickPhaseMovesTheFlushQueueTimer() throws {
        let ops = try ScriptParser().parse("""
            region ram0 base=0x100000 size=1M kind=ram
            iommu mmu0 mode=lazy
            device nvme0 iommu=mmu0 dma-bits=32 coherent
            map m1 dev=nvme0 phys=0x100000 len=4K dir=from-device time=1ms
            mapping-error m1
            dev-write nvme0 addr=0xfffff000 len=4 fill=zero time=1.2ms
            unmap m1 len=4K dir=from-device time=1.5ms
            dev-write nvme0 addr=0xfffff000 len=4 fill=zero time=15.5ms
            """, fileName: "tick.ops").ops
        let reader = try JournalReader(path: try CheckpointReplayTests.record(ops, checkpointEvery: 1_000_000))
        #expect(try Replayer(reader: reader, overrides: [.tickPhase(1_000_000)]).replay().divergence == nil)
        let divergence = try #require(try Replayer(reader: reader, overrides: [.tickPhase(3_000_000)]).replay().divergence)
        #expect(divergence.sequence == 7)
        #expect(divergence.recorded.status == .ok)
        #expect(divergence.replayed.status.fault?.kind == .notPresent)
        #expect(try TopologyOverride(parsing: "tick-phase=3ms") == .tickPhase(3_000_000))
        #expect(Self.problem("tick-phase=3") == "--with tick-phase=3: expected \(DurationText.form)")
    }

    @Test func overridesParseAndReject() throws {
        #expect(try TopologyOverride(parsing: "kernel=6.16") == .kernel(.v6_16))
        #expect(try TopologyOverride(parsing: "arch=arm64") == .arch(.arm64))
        #expect(try TopologyOverride(parsing: "cpus=4") == .cpuCount(4))
        #expect(Self.problem("kernel=6.1") == "--with kernel=6.1: expected 6.16 or 6.17 or 6.18 or 6.19 or 7.0 or 7.1 or 7.2 or 7.3")
        #expect(Self.problem("arch=riscv64") == "--with arch=riscv64: expected x86_64 or arm64")
        #expect(Self.problem("cpus=0") == "--with cpus=0: expected a positive number")
        #expect(Self.problem("cpus=9000") == "--with cpus=9000: CPU count must be 1…8192")
        #expect(try TopologyOverride(parsing: "iommu-mode=strict") == .iommuMode(.strict))
        #expect(try TopologyOverride(parsing: "needs-sync-map=on") == .needsSyncMap(true))
        #expect(try TopologyOverride(parsing: "granule=16K") == .granule(16384))
        #expect(try TopologyOverride(parsing: "dma-bits=32") == .dmaBits(32))
        #expect(throws: TopologyOverrideError.self) { try TopologyOverride(parsing: "iommu-mode=fast") }
        #expect(throws: TopologyOverrideError.self) { try TopologyOverride(parsing: "colour=blue") }
        #expect(throws: TopologyOverrideError.self) { try TopologyOverride(parsing: "dma-bits") }
    }

    static func problem(_ text: String) -> String? {
        do { _ = try TopologyOverride(parsing: text) } catch { return error.description }
        return nil
    }

    /// nvme declares no swiotlb: `swiotlb-force=off` has no pool to turn force off on, and
    /// would silently change nothing.
    @Test func anOverrideWithNothingToChangeIsRefused() throws {
        let path = try ReplayerTests.record(.nvme, opCount: 200)
        #expect(throws: ReplayError.self) { try Replayer(reader: JournalReader(path: path), overrides: [.swiotlbForce(false)]) }
        #expect(throws: TopologyOverrideError.self) { try TopologyOverride(parsing: "swiotlb-size=3K") }
    }

    /// A journal recorded without a pool, replayed `--with swiotlb-size=64M`: the kernel
    /// booted with `swiotlb=32768` (Engine.bootSwiotlb). nvme3 (dma-direct, 40-bit mask)
    /// got `DMA_MAPPING_ERROR` for a segment beyond its mask; with a pool
    /// `dma_direct_map_phys()` bounces it instead (`swiotlb_map()` →
    /// `swiotlb_tbl_map_single()`), whose copy from the shared region, outside the direct
    /// map, oopses: the first divergence is that map.
    @Test func aPoolGivenToAJournalWithoutOneBouncesBeyondTheMask() throws {
        var options = WorkloadOptions(seed: 1, opCount: 1500)
        options.dmaBits = 40
        let path = try ReplayerTests.recordWithMarks(.nvme, options: options).path
        let reader = try JournalReader(path: path)
        #expect(try !reader.topology().contains { $0.kind == .swiotlb })
        #expect(try Replayer(reader: reader).replay().divergence == nil)
        for overrides: [TopologyOverride] in [[.swiotlbSize(64 << 20)], [.swiotlbForce(true)]] {
            let divergence = try #require(try Replayer(reader: reader, overrides: overrides).replay().divergence)
            guard case .map(let map) = divergence.op.call else { Issue.record("diverged at \(divergence.op)"); continue }
            #expect(map.device == "nvme3")
            #expect(divergence.recorded.status == .mappingError)
            #expect(divergence.replayed.status == .oops)
            #expect(divergence.replayed.findings.map(\.misuse) == [.bounceOutsideDirectMap])
        }
        // The same what-if minimised: the reproducer declares the pool it booted with.
        let reproducer = try Minimizer(reader: reader, overrides: [.swiotlbSize(64 << 20)]).minimize(.divergence)
        let script = try ScriptParser().parse(reproducer.script, fileName: "repro.ops")
        #expect(script.ops.contains(.swiotlb(SwiotlbSpec(sizeBytes: 64 << 20))), "\(reproducer.script)")
        #expect(reproducer.script.contains("=> oops, violation bounce-outside-direct-map"))
        guard case .completed = try ScriptExecutor().run(script, { _ in }) else { Issue.record("does not check itself:\n\(reproducer.script)"); return }
    }
}

extension OutcomeStatus {
    /// The fault, when the status is one.
    var fault: Fault? {
        if case .fault(let fault) = self { return fault }
        return nil
    }
}
