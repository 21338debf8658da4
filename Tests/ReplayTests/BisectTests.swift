import DMASim
import Journal
@testable import Replay
import Testing
import Workloads

extension InjectionClass {
    /// Whether the checker reports the misuse at the very op that commits it. A missing
    /// sync shows at the next device access, a wrong direction at the access it forbids,
    /// a leak at detach, an unaligned buffer at the link that bounces it (the mark is the
    /// try_alloc that took it).
    var showsWhereCommitted: Bool { ![.missingSync, .wrongDirection, .leakedState, .unalignedBounce].contains(self) }

    /// A workload whose devices can commit it.
    var workload: WorkloadKind {
        switch self {
        case .useAfterUnlink: return .rdmaODP
        case .unalignedBounce: return .hiddenMemory
        default: return .nvme
        }
    }
}

/// `bisect` names the op where a workload's injected misuse was committed, judged from
/// replayed outcomes alone (the injection mark is read only by this test).
@Suite struct BisectTests {
    static let observable = InjectionClass.allCases.filter(\.isObservable)

    @Test(arguments: BisectTests.observable)
    func bisectNamesTheInjectedOp(_ injection: InjectionClass) throws {
        let options = WorkloadOptions(seed: 5, opCount: 4000, injections: [try InjectionSpec(parsing: "\(injection.rawValue)@1500")])
        let (path, injected) = try ReplayerTests.recordWithMarks(injection.workload, options: options)
        let marked = try #require(injected.first, "no \(injection.rawValue) was committed")
        let reader = try JournalReader(path: path)
        let result = try Bisector(reader: reader).bisect(.finding(injection.detectedBy.first))
        guard case .firstBad(let found) = result.verdict else { Issue.record("\(result.verdict)"); return }
        #expect(result.replayedOps == found + 1)
        if injection.showsWhereCommitted {
            #expect(found == marked)
        } else {
            // An omission or a wrong argument shows at a later op on the same handle; the
            // context bisect prints names the op that committed it.
            #expect(found > marked)
            #expect(try BisectContext(reader: reader).handleHistory(of: found).contains(marked))
        }
    }

    @Test func aPredicateThatNeverHoldsIsAnAnswerNotACrash() throws {
        let path = try ReplayerTests.record(.vfioMigration, opCount: 300)
        #expect(throws: ReplayError.self) { try Bisector(reader: JournalReader(path: path)).bisect(.fault(nil)) }
    }

    @Test func predicatesParse() throws {
        #expect(try BisectPredicate(parsing: "finding") == .finding(nil))
        #expect(try BisectPredicate(parsing: "finding=double-free") == .finding(.doubleFree))
        #expect(try BisectPredicate(parsing: "fault=not-present") == .fault(.notPresent))
        #expect(try BisectPredicate(parsing: "mismatch") == .mismatch)
        // Scripts spell a finding `violation CLASS`; --until takes that spelling too.
        #expect(try BisectPredicate(parsing: "violation=use-after-destroy") == .finding(.useAfterDestroy))
        #expect(try BisectPredicate(parsing: "violation") == .finding(nil))
        // memory= was advertised but could not work (memory is not monotone): refused, naming verify.
        let memory = try #require(throws: ReplayError.self) { try BisectPredicate(parsing: "memory=before") }
        #expect(memory.description.contains("dmajournal verify"))
        #expect(throws: ReplayError.self) { try BisectPredicate(parsing: "finding=bogus") }
        #expect(throws: ReplayError.self) { try BisectPredicate(parsing: "crash") }
    }

    /// git bisect's rules: the untested seq nearest the middle; skips stepped around;
    /// all skipped in between → a range.
    @Test func prefixSearchFindsTheBoundaryAndReportsSkips() {
        let firstBad = 37
        var search = PrefixSearch(good: -1, bad: 99)
        var judged: [Int] = []
        while let seq = search.next() {
            judged.append(seq)
            search.record(seq >= firstBad ? .bad : .good, at: seq)
        }
        #expect(search.verdict == .firstBad(firstBad))
        #expect(judged.count <= 7)

        var skipping = PrefixSearch(good: -1, bad: 99)
        while let seq = skipping.next() {
            skipping.record((36...38).contains(seq) ? .skip : seq >= firstBad ? .bad : .good, at: seq)
        }
        #expect(skipping.verdict == .inconclusive(36...39))
    }
}
