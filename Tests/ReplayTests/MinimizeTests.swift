import DMASim
import Journal
import OpScript
@testable import Replay
import Pipeline
import Testing
import Workloads

/// `minimize` turns a recorded journal with an injected misuse into a short script that
/// runs clean under `dmajournal run` (its claims describe what happens) and still shows
/// the same misuse.
@Suite struct MinimizeTests {
    @Test(arguments: BisectTests.observable)
    func everyInjectedClassShrinksToAShortSelfCheckingReproducer(_ injection: InjectionClass) throws {
        let options = WorkloadOptions(seed: 9, opCount: 3000, injections: [try InjectionSpec(parsing: "\(injection.rawValue)@1200")])
        let path = try ReplayerTests.recordWithMarks(injection.workload, options: options).path
        let misuse = try #require(injection.detectedBy.first)
        let reader = try JournalReader(path: path)
        let reproducer = try Minimizer(reader: reader).minimize(.finding(misuse))
        #expect(reproducer.opCount <= 15, "\(reproducer.script)")
        let script = try ScriptParser().parse(reproducer.script, fileName: "repro.ops")
        var reported = false
        var lastFindings: Set<MisuseClass> = []
        let ending = try ScriptExecutor().run(script) { line in
            if line.outcome.reports(misuse) { reported = true }
            lastFindings = Set(line.outcome.findings.map(\.misuse))
        }
        guard case .completed = ending else { Issue.record("the reproducer does not check itself: \(ending)\n\(reproducer.script)"); return }
        #expect(reported)
        // The bad op shows the original op's findings, no more (issue 17: a double free
        // gained destroy-length-mismatch).
        let original = try Bisector(reader: reader).bisect(.finding(misuse)).replayedOutcome
        #expect(lastFindings == Set(original?.findings.map(\.misuse) ?? []), "\(reproducer.script)")
        // A legal use of the API apart from the bug: the same script on an IOMMU that
        // needs dma_iova_sync still holds every claim (the sync was not dropped).
        try Self.expectHoldsWithSyncMap(reproducer.script, unless: misuse == .accessBeforeSync)
    }

    /// Runs `text` with needs-sync-map on every IOMMU line and expects every claim to hold.
    /// A needs-sync-map IOMMU is virtio-iommu, whose map runs the driver's `map_pages`
    /// even on 7.3 (`Engine.mapPath`): a link over a present PTE is `arm_lpae_init_pte()`'s
    /// -EEXIST there, not the generic page table's -EADDRINUSE, so that one claim is
    /// translated; every other claim must hold as written.
    static func expectHoldsWithSyncMap(_ text: String, unless skip: Bool = false) throws {
        guard !skip else { return }
        let strict = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            if line.hasPrefix("link "), line.contains("=> error EADDRINUSE") {
                return line.replacingOccurrences(of: "=> error EADDRINUSE", with: "=> error EEXIST")
            }
            guard line.hasPrefix("iommu "), !line.contains("needs-sync-map"), let arrow = line.range(of: " =>") else { return String(line) }
            return line[..<arrow.lowerBound] + " needs-sync-map" + line[arrow.lowerBound...]
        }.joined(separator: "\n")
        let ending = try ScriptExecutor().run(try ScriptParser().parse(strict, fileName: "repro-sync-map.ops")) { _ in }
        guard case .completed = ending else { Issue.record("not legal with needs-sync-map: \(ending)\n\(strict)"); return }
    }

    /// A late read in lazy mode: the reproducer keeps the machine's memory and IOMMU, and
    /// every dma_iova_sync a needs-sync-map IOMMU would want before a device access.
    @Test func aLateAccessReproducerKeepsItsSyncAndTopology() throws {
        var options = WorkloadOptions(seed: 1, opCount: 2500, injections: [try InjectionSpec(parsing: "late-access@1000")])
        options.iommuMode = .lazy
        let path = try ReplayerTests.recordWithMarks(.nvme, options: options).path
        let reproducer = try Minimizer(reader: JournalReader(path: path)).minimize(.finding(nil))
        #expect(reproducer.script.contains("\nregion "))
        #expect(reproducer.script.contains("\niommu "))
        try Self.expectHoldsWithSyncMap(reproducer.script)
    }

    /// Ctrl-C keeps the shortest reproducer found so far: it still runs clean and shows
    /// the bug, and says it is not minimal.
    @Test func anInterruptedMinimisationKeepsTheBestSoFar() throws {
        var options = WorkloadOptions(seed: 1, opCount: 2500, injections: [try InjectionSpec(parsing: "late-access@1000")])
        options.iommuMode = .lazy
        let path = try ReplayerTests.recordWithMarks(.nvme, options: options).path
        var improvements = 0
        let reproducer = try Minimizer(reader: JournalReader(path: path)).minimize(.finding(nil), improved: { _, _ in improvements += 1 },
                                                                                   isInterrupted: { improvements >= 1 })
        #expect(reproducer.interrupted)
        #expect(reproducer.script.contains("# Interrupted"))
        let ending = try ScriptExecutor().run(try ScriptParser().parse(reproducer.script, fileName: "best.ops")) { _ in }
        guard case .completed = ending else { Issue.record("the best-so-far does not check itself: \(ending)"); return }
        #expect(reproducer.script.contains("violation use-after-destroy"))
    }

    /// --run CMD gets the script as its last argument unless it names it itself.
    @Test func theScriptPathReachesCommandsThatDoNotSayDollarOne() {
        #expect(CommandJudge.passingScript(to: "./check.sh") == "./check.sh \"$1\"")
        #expect(CommandJudge.passingScript(to: "dmajournal run \"$1\" --quiet") == "dmajournal run \"$1\" --quiet")
        #expect(CommandJudge.passingScript(to: "grep -q x \"$DMAJOURNAL_SCRIPT\"") == "grep -q x \"$DMAJOURNAL_SCRIPT\"")
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
        // The topology stays: without the region every access would be a bus error.
        #expect(reproducer.script.contains("\nregion "), "\(reproducer.script)")
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
        // The declared machine line is the reproducer's, not one of the journal's ops.
        #expect(reproducer.prefixOpCount == reproducer.firstBad + 1)
        #expect(reproducer.script.contains("of the \(reproducer.prefixOpCount) ops up to seq \(reproducer.firstBad),"))
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
