import DMASim
import Journal
import OpScript
@testable import Replay
import Testing
import Workloads

/// `minimize` turns a recorded journal with an injected misuse into a short script that
/// runs clean under `dmajournal run` (its claims describe what happens) and still shows
/// the same misuse.
@Suite struct MinimizeTests {
    @Test(arguments: BisectTests.observable)
    func everyInjectedClassShrinksToAShortSelfCheckingReproducer(_ injection: InjectionClass) throws {
        let options = WorkloadOptions(seed: 9, opCount: 3000, injections: [try InjectionSpec(parsing: "\(injection.rawValue)@1200")])
        let path = try ReplayerTests.recordWithMarks(injection == .useAfterUnlink ? .rdmaODP : .nvme, options: options).path
        let misuse = try #require(injection.detectedBy.first)
        let reproducer = try Minimizer(reader: JournalReader(path: path)).minimize(.finding(misuse))
        #expect(reproducer.opCount <= 15, "\(reproducer.script)")
        let script = try ScriptParser().parse(reproducer.script, fileName: "repro.ops")
        var reported = false
        let ending = try ScriptExecutor().run(script) { line in
            if line.outcome.reports(misuse) { reported = true }
        }
        guard case .completed = ending else { Issue.record("the reproducer does not check itself: \(ending)\n\(reproducer.script)"); return }
        #expect(reported)
    }

    /// On a changed machine: a late access that landed in lazy mode (on 6.16) faults in
    /// strict mode; the reproducer declares the strict machine and shows the fault.
    @Test func aDivergenceUnderWithShrinksToo() throws {
        var options = WorkloadOptions(seed: 3, opCount: 2500, injections: [try InjectionSpec(parsing: "late-access@1000")])
        options.iommuMode = .lazy
        options.kernel = .v6_16
        let path = try ReplayerTests.recordWithMarks(.nvme, options: options).path
        let reproducer = try Minimizer(reader: JournalReader(path: path), overrides: [.iommuMode(.strict)]).minimize(.divergence)
        #expect(reproducer.opCount <= 15)
        #expect(reproducer.script.contains("\nmachine arch=x86_64 kernel=6.16 cpus=1 hz=250 => ok\n"))
        #expect(reproducer.script.contains("mode=strict"))
        #expect(reproducer.script.contains("=> fault not-present"))
    }

    /// A 7.3 recording (no machine line) minimised `--with kernel=6.16`: the reproducer
    /// declares that kernel, so `dmajournal run` shows the late access landing there.
    @Test func aKernelOverrideIsDeclaredByTheReproducer() throws {
        var options = WorkloadOptions(seed: 3, opCount: 2500, injections: [try InjectionSpec(parsing: "late-access@1000")])
        options.iommuMode = .lazy
        let path = try ReplayerTests.recordWithMarks(.nvme, options: options).path
        let reproducer = try Minimizer(reader: JournalReader(path: path), overrides: [.kernel(.v6_16)]).minimize(.divergence)
        #expect(reproducer.opCount <= 15)
        let script = try ScriptParser().parse(reproducer.script, fileName: "repro.ops")
        #expect(script.ops.first == .machine(MachineSpec(kernel: .v6_16)))
        // The late access, which faulted not-present on 7.3, behaves otherwise on 6.16.
        let late = try #require(script.lines.last)
        #expect(late.claims.contains(.violation(.useAfterDestroy)))
        #expect(!late.claims.contains(.fault(.notPresent)))
        guard case .completed = try ScriptExecutor().run(script, { _ in }) else { Issue.record("does not check itself:\n\(reproducer.script)"); return }
    }

    /// A reproducer keeps the machine it ran on and each kept op's CPU and time.
    @Test func aReproducerKeepsWhereAndWhen() throws {
        let script = """
            machine arch=x86_64 kernel=6.16 cpus=4 hz=250
            region shm0 base=0x100000000000 size=1T kind=shared
            iommu  mmu0 mode=lazy
            device nvme0 iommu=mmu0 dma-bits=64 coherent
            cpu-write phys=0x100000100000 len=4K fill=seed:9 cpu=1 time=12s
            alloc  s1 dev=nvme0 phys=0x100000000000 size=8K cpu=2 time=12.094264s
            link   s1 phys=0x100000000000 len=8K dir=from-device cpu=2 time=12.094265s
            dev-write nvme0 addr=s1 len=4K fill=seed:1 cpu=2 time=12.0943s
            alloc  s2 dev=nvme0 phys=0x100000200000 size=4K cpu=0 time=12.095s
            destroy s1 mapped=8K dir=from-device cpu=3 time=12.1s
            advance 10ms
            dev-write nvme0 addr=s1 len=4K fill=seed:2 cpu=1 time=12.112s
            """
        let ops = try ScriptParser().parse(script, fileName: "timed.ops").ops
        let path = try CheckpointReplayTests.record(ops, checkpointEvery: 1_000_000)
        let reproducer = try Minimizer(reader: JournalReader(path: path)).minimize(.finding(.useAfterDestroy))
        #expect(reproducer.script.contains("\nmachine arch=x86_64 kernel=6.16 cpus=4 hz=250 => ok\n"))
        #expect(reproducer.script.contains("destroy s1 mapped=8K dir=from-device cpu=3 time=12.1s => ok\n"))
        // Before queue_iova()'s fq_timer (armed at 12.1 s: the tick of jiffies + 3 + 1, 12.116 s) flushes.
        #expect(reproducer.script.contains("fill=seed:2 cpu=1 time=12.112s => ok, violation use-after-destroy\n"))
        #expect(!reproducer.script.contains("s2"))
        let parsed = try ScriptParser().parse(reproducer.script, fileName: "repro.ops")
        guard case .completed = try ScriptExecutor().run(parsed, { _ in }) else { Issue.record("does not check itself:\n\(reproducer.script)"); return }
    }

    @Test func deltaDebuggingFindsTheOneMinimalSubset() throws {
        let units = Array(0..<40)
        let kept = try DeltaDebugger.minimise(units) { (candidate) throws(ReplayError) in
            candidate.contains(7) && candidate.contains(31)
        }
        #expect(kept == [7, 31])
    }
}
