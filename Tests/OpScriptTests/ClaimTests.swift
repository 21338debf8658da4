import DMASim
import Testing
@testable import OpScript

/// A claim, an outcome of an op, and whether the claim holds for it.
struct EvaluationCase: Sendable, CustomTestStringConvertible {
    let claim: Claim
    let outcome: Outcome
    let op: Op
    let holds: Bool
    let label: String

    init(_ claim: Claim, _ label: String, _ outcome: Outcome, op: Op = ClaimTests.read4K, _ holds: Bool) {
        self.claim = claim; self.label = label; self.outcome = outcome; self.op = op; self.holds = holds
    }

    var testDescription: String { "\(claim) \(holds ? "holds" : "fails") for \(label)" }
}

@Suite struct ClaimTests {
    static let read4K = Op.cpuRead(CPUReadOp(phys: 0x1000, length: 4096))
    static let write4K = Op.cpuWrite(CPUWriteOp(phys: 0x1000, length: 4096, fill: .seed(7)))

    static let clean = Outcome()
    static let staleWrite = Outcome(findings: [Finding(.useAfterDestroy, handle: "s1", "write after destroy")])
    static let eio = Outcome(status: .errno(.EIO))
    static let mappingFailed = Outcome(status: .mappingError)
    static let permissionFault = Outcome(
        status: .fault(Fault(kind: .permission, address: 0x1000, isWrite: true)),
        findings: [Finding(.directionViolation, handle: "s1", "write through a read-only PTE")])
    static let fellBack = Outcome(status: .fallback)
    static let refused = Outcome(status: .rejected("unknown state s9"))
    static let allocated = Outcome(address: 0x7FFF_F000)
    static let readSeed7 = Outcome(digest: Fill.seed(7).digest(length: 4096))

    static let evaluationCases: [EvaluationCase] = [
        EvaluationCase(.ok, "a clean call", clean, true),
        EvaluationCase(.ok, "a call with a finding", staleWrite, false),
        EvaluationCase(.ok, "an errno", eio, false),
        EvaluationCase(.ok, "a fault", permissionFault, false),
        EvaluationCase(.completed, "a clean call", clean, true),
        EvaluationCase(.completed, "a call with a finding", staleWrite, true),
        EvaluationCase(.completed, "an errno", eio, false),
        EvaluationCase(.completed, "a mapping error", mappingFailed, false),
        EvaluationCase(.completed, "a fault", permissionFault, false),
        EvaluationCase(.completed, "a rejected op", refused, false),
        EvaluationCase(.fallback, "a fallback", fellBack, true),
        EvaluationCase(.fallback, "a clean call", clean, false),
        EvaluationCase(.iova(0x7FFF_F000), "that address", allocated, true),
        EvaluationCase(.iova(0x7FFF_E000), "another address", allocated, false),
        EvaluationCase(.iova(0), "no address", clean, false),
        EvaluationCase(.error(nil), "EIO", eio, true),
        EvaluationCase(.error(nil), "a mapping error", mappingFailed, true),
        EvaluationCase(.error(nil), "a fault", permissionFault, false),
        EvaluationCase(.error(.EIO), "EIO", eio, true),
        EvaluationCase(.error(.EEXIST), "EIO", eio, false),
        EvaluationCase(.error(.EIO), "a mapping error", mappingFailed, false),
        EvaluationCase(.mappingError, "a mapping error", mappingFailed, true),
        EvaluationCase(.mappingError, "EIO", eio, false),
        EvaluationCase(.fault(nil), "a permission fault", permissionFault, true),
        EvaluationCase(.fault(nil), "EIO", eio, false),
        EvaluationCase(.fault(.permission), "a permission fault", permissionFault, true),
        EvaluationCase(.fault(.notPresent), "a permission fault", permissionFault, false),
        EvaluationCase(.digest(Fill.seed(7).digest(length: 4096)), "that digest", readSeed7, true),
        EvaluationCase(.digest(1), "another digest", readSeed7, false),
        EvaluationCase(.violation(nil), "a finding", staleWrite, true),
        EvaluationCase(.violation(nil), "no finding", clean, false),
        EvaluationCase(.violation(.useAfterDestroy), "that finding", staleWrite, true),
        EvaluationCase(.violation(.directionViolation), "a fault with that finding", permissionFault, true),
        EvaluationCase(.violation(.doubleFree), "another finding", staleWrite, false),
        EvaluationCase(.bytes(.seed(7)), "a read of that fill", readSeed7, true),
        EvaluationCase(.bytes(.seed(8)), "a read of another fill", readSeed7, false),
        EvaluationCase(.bytes(.seed(7)), "a write (no read length)", readSeed7, op: write4K, false),
        EvaluationCase(.bytes(.seed(7)), "a read of another length",
                       readSeed7, op: .deviceRead(DeviceReadOp(device: "d", address: .absolute(0), length: 8192)), false),
        EvaluationCase(.bytes(.zero), "a read with no digest", clean, false),
        EvaluationCase(.rejected, "a rejected op", refused, true),
        EvaluationCase(.rejected, "a clean call", clean, false),
    ]

    @Test(arguments: evaluationCases)
    func eachClaimHoldsExactlyWhenItsOutcomeSaysSo(_ testCase: EvaluationCase) {
        #expect(testCase.claim.holds(for: testCase.outcome, of: testCase.op) == testCase.holds)
    }

    @Test func bytesComparesAgainstTheFillOverTheReadsLength() {
        let fills: [Fill] = [.byte(0xAB), .pattern([0xDE, 0xAD, 0xBE, 0xEF]), .zero]
        for fill in fills {
            let outcome = Outcome(digest: fill.digest(length: 4096))
            #expect(Claim.bytes(fill).holds(for: outcome, of: Self.read4K))
        }
    }

    @Test(arguments: [
        ([Claim.ok], staleWrite, [Claim.ok]),
        ([.ok, .violation(.useAfterDestroy)], staleWrite, []),
        ([.ok, .violation(nil)], staleWrite, []),
        ([.ok, .violation(.doubleFree)], staleWrite, [.ok, .violation(.doubleFree)]),
        ([.fault(.permission), .violation(.directionViolation)], permissionFault, []),
        ([.ok, .iova(0x7FFF_F000)], allocated, []),
        ([.error(nil), .iova(1)], eio, [.iova(1)]),
    ] as [([Claim], Outcome, [Claim])])
    func checkReturnsTheFailedClaimsAndReadsOkInContext(claims: [Claim], outcome: Outcome, failed: [Claim]) {
        #expect(Claim.check(claims, outcome: outcome, op: Self.write4K) == failed)
    }

    @Test(arguments: [
        ("ok", [Claim.ok]),
        ("completed", [.completed]),
        ("completed, violation use-after-destroy", [.completed, .violation(.useAfterDestroy)]),
        ("fallback", [.fallback]),
        ("rejected", [.rejected]),
        ("iova=0x7ffff000", [.iova(0x7FFF_F000)]),
        ("iova=4K", [.iova(4096)]),
        ("error", [.error(nil)]),
        ("error EEXIST", [.error(.EEXIST)]),
        ("error mapping", [.mappingError]),
        ("fault", [.fault(nil)]),
        ("fault not-present", [.fault(.notPresent)]),
        ("fault permission", [.fault(.permission)]),
        ("fault not-synced", [.fault(.notSynced)]),
        ("fault bus-error", [.fault(.busError)]),
        ("digest=0xDEADBEEF", [.digest(0xDEAD_BEEF)]),
        ("violation", [.violation(nil)]),
        ("violation double-free", [.violation(.doubleFree)]),
        ("bytes=seed:7", [.bytes(.seed(7))]),
        ("bytes=byte:0xAB", [.bytes(.byte(0xAB))]),
        ("bytes=hex:DEADBEEF", [.bytes(.pattern([0xDE, 0xAD, 0xBE, 0xEF]))]),
        ("bytes=zero", [.bytes(.zero)]),
        ("error, fault", [.error(nil), .fault(nil)]),
        ("error,fault", [.error(nil), .fault(nil)]),
        ("ok iova=0x1000", [.ok, .iova(0x1000)]),
        ("error EIO iova=0x1000", [.error(.EIO), .iova(0x1000)]),
        ("ok,violation use-after-destroy", [.ok, .violation(.useAfterDestroy)]),
        ("fault permission, violation direction-violation", [.fault(.permission), .violation(.directionViolation)]),
        ("violation ok", [.violation(nil), .ok]),
        ("  ok  ,  violation  ", [.ok, .violation(nil)]),
    ] as [(String, [Claim])])
    func claimsParse(text: String, claims: [Claim]) throws {
        #expect(try ScriptParser().parseClaims(text, fileName: "claims") == claims)
    }

    @Test(arguments: [
        ([Claim.ok], "ok"),
        ([Claim.completed], "completed"),
        ([.ok, .iova(0xFFFF_F000)], "ok iova=0xfffff000"),
        ([.error(.EIO), .iova(0x1000), .digest(0xAB)], "error EIO iova=0x1000 digest=0xab"),
        ([.ok, .violation(.useAfterDestroy), .violation(nil)], "ok, violation use-after-destroy, violation"),
        ([.violation(nil), .iova(1)], "violation, iova=0x1"),
        ([.iova(1), .ok], "iova=0x1, ok"),
        ([.mappingError, .bytes(.byte(0xAB)), .rejected], "error mapping bytes=byte:0xab, rejected"),
        ([.fault(nil), .fallback], "fault, fallback"),
        ([.bytes(.pattern([0x0A, 0xFF]))], "bytes=hex:0aff"),
    ] as [([Claim], String)])
    func claimListsPrintCanonicallyAndReadBack(claims: [Claim], text: String) throws {
        #expect(Claim.text(of: claims) == text)
        #expect(try ScriptParser().parseClaims(text, fileName: "claims") == claims)
    }
}
