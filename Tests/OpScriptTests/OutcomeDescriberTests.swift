import DMASim
import Testing
@testable import OpScript

@Suite struct OutcomeDescriberTests {
    static let read = Op.cpuRead(CPUReadOp(phys: 0, length: 4096))

    static func finding(_ misuse: MisuseClass) -> Finding { Finding(misuse, handle: "s1", "test") }

    static let cases: [(Outcome, String)] = [
        (Outcome(), "ok"),
        (Outcome(address: 0xFFFF_F000), "ok iova=0xfffff000"),
        (Outcome(status: .fallback), "fallback"),
        (Outcome(status: .errno(.EIO)), "error EIO"),
        (Outcome(status: .errno(.EEXIST), findings: [finding(.overlappingLink)]), "error EEXIST, violation overlapping-link"),
        (Outcome(status: .mappingError), "error mapping"),
        (Outcome(status: .fault(Fault(kind: .notPresent, address: 0x1000, isWrite: false))), "fault not-present"),
        (Outcome(digest: 0x1234_ABCD_0000_FFFF), "ok digest=0x1234abcd0000ffff"),
        (Outcome(findings: [finding(.useAfterDestroy), finding(.useAfterDestroy), finding(.doubleFree)]),
         "ok, violation use-after-destroy, violation double-free"),
        (Outcome(status: .fault(Fault(kind: .permission, address: 0, isWrite: true)), findings: [finding(.directionViolation)]),
         "fault permission, violation direction-violation"),
        (Outcome(address: 0x1000, findings: [finding(.stateOverwritten)]), "ok iova=0x1000, violation state-overwritten"),
        (Outcome(status: .rejected("no such state s9")), "rejected"),
    ]

    @Test(arguments: cases)
    func describesTheOutcomeAsClaims(outcome: Outcome, text: String) {
        #expect(OutcomeDescriber().describe(outcome) == text)
    }

    @Test(arguments: cases.map(\.0))
    func theDescriptionParsesBackAndHoldsForItsOutcome(outcome: Outcome) throws {
        let describer = OutcomeDescriber()
        let claims = try ScriptParser().parseClaims(describer.describe(outcome), fileName: "described")
        #expect(claims == describer.claims(for: outcome))
        #expect(Claim.check(claims, outcome: outcome, op: Self.read) == [])
    }
}
