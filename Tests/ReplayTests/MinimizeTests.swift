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
    static func expectHoldsWithSyncMap(_ text: String, unless skip: Bool = false) throws {
        guard !skip else { return }
        let strict = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
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

    /// On a changed machine: a late access that landed in lazy mode faults in strict mode;
    /// the reproducer declares the strict machine and shows the fault.
    @Test func aDivergenceUnderWithShrinksToo() throws {
        var options = WorkloadOptions(seed: 3, opCount: 2500, injections: [try InjectionSpec(parsing: "late-access@1000")])
        options.iommuMode = .lazy
        let path = try ReplayerTests.recordWithMarks(.nvme, options: options).path
        let reproducer = try Minimizer(reader: JournalReader(path: path), overrides: [.iommuMode(.strict)]).minimize(.divergence)
        #expect(reproducer.opCount <= 15)
        #expect(reproducer.script.contains("mode=strict"))
        // The topology stays: without the region every access would be a bus error.
        #expect(reproducer.script.contains("\nregion "), "\(reproducer.script)")
        #expect(reproducer.script.contains("=> fault not-present"))
    }

    @Test func deltaDebuggingFindsTheOneMinimalSubset() throws {
        let units = Array(0..<40)
        let kept = try DeltaDebugger.minimise(units) { (candidate) throws(ReplayError) in
            candidate.contains(7) && candidate.contains(31)
        }
        #expect(kept == [7, 31])
    }
}
