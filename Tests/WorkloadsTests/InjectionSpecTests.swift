import Testing
@testable import Workloads

/// `--inject CLASS[@RATE|@SEQ]`.
@Suite struct InjectionSpecTests {
    struct Parse: CustomTestStringConvertible, Sendable {
        var text: String
        var expected: InjectionSpec
        var testDescription: String { text }
    }

    static let valid: [Parse] = [
        Parse(text: "missing-sync@0.01", expected: InjectionSpec(.missingSync, trigger: .rate(0.01))),
        Parse(text: "late-access@5000", expected: InjectionSpec(.lateAccess, trigger: .atStep(5000))),
        Parse(text: "double-free", expected: InjectionSpec(.doubleFree, trigger: .atStep(0))),
        Parse(text: "leaked-state@1.0", expected: InjectionSpec(.leakedState, trigger: .rate(1))),
        Parse(text: "wrong-direction@1e-3", expected: InjectionSpec(.wrongDirection, trigger: .rate(0.001))),
        // The checker class that detects a misuse names it too.
        Parse(text: "access-before-sync@7", expected: InjectionSpec(.missingSync, trigger: .atStep(7))),
        Parse(text: "use-after-destroy", expected: InjectionSpec(.lateAccess, trigger: .atStep(0))),
    ]

    @Test(arguments: valid)
    func parses(_ test: Parse) throws {
        let spec = try InjectionSpec(parsing: test.text)
        #expect(spec == test.expected)
        #expect(try InjectionSpec(parsing: spec.description) == spec, "the description parses back")
    }

    @Test(arguments: [
        ("frobnicate@0.1", "expected a class (missing-sync, late-access"),
        ("missing-sync@0.0", "expected a rate above 0 and at most 1, found '0.0'"),
        ("missing-sync@1.5", "expected a rate above 0 and at most 1, found '1.5'"),
        ("missing-sync@", "expected a rate (0.01) or a step number (5000), found ''"),
        ("missing-sync@-4", "expected a rate (0.01) or a step number (5000), found '-4'"),
        ("missing-sync@soon", "expected a rate (0.01) or a step number (5000), found 'soon'"),
    ])
    func rejects(_ text: String, _ message: String) {
        #expect {
            _ = try InjectionSpec(parsing: text)
        } throws: { error in
            let description = (error as? InjectionSpecError)?.description ?? ""
            return description.hasPrefix("--inject \(text): ") && description.contains(message)
        }
    }

    @Test func everyClassHasAName() {
        for injection in InjectionClass.allCases {
            #expect(InjectionClass(name: injection.rawValue) == injection)
        }
    }
}
