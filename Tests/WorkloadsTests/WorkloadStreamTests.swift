import DMASim
import OpScript
import Pipeline
import Testing
@testable import Workloads

/// Same options, same steps, bit for bit; the steps are valid op-script text.
@Suite struct WorkloadStreamTests {
    static func options(seed: UInt64 = 99) -> WorkloadOptions {
        WorkloadOptions(seed: seed, opCount: 3000, injections: [InjectionSpec(.doubleFree, trigger: .rate(0.02))])
    }

    @Test(arguments: WorkloadKind.allCases)
    func sameOptionsGiveTheSameSteps(_ kind: WorkloadKind) throws {
        let stream = try kind.generator.steps(Self.options())
        let first = Array(stream)
        #expect(Array(stream) == first, "iterating again starts over")
        #expect(Array(try kind.generator.steps(Self.options())) == first)
        #expect(Array(try kind.generator.steps(Self.options(seed: 100))) != first)
    }

    /// Pins the nvme stream for seed 1 across processes and toolchains: a change here
    /// means recorded journals no longer regenerate. Update the digest only when the
    /// generator is meant to change.
    @Test func theNVMeStreamForSeedOneIsPinned() throws {
        let steps = try WorkloadKind.nvme.generator.steps(WorkloadOptions(seed: 1, opCount: 2000))
        let text = steps.map { ScriptPrinter().line($0.op, claims: $0.claims) }.joined(separator: "\n")
        #expect(XXH64.digest(Array(text.utf8)) == Self.pinnedNVMeDigest, "digest is now \(XXH64.digest(Array(text.utf8)))")
    }

    static let pinnedNVMeDigest: UInt64 = 687_899_353_830_150_778

    @Test(arguments: WorkloadKind.allCases)
    func printsAsAScriptThatParsesBackAndRuns(_ kind: WorkloadKind) throws {
        let steps = Array(try kind.generator.steps(WorkloadOptions(seed: 5, opCount: 800, inFlightPerDevice: 2)))
        let script = Script(lines: steps.enumerated().map { $1.scriptLine(number: $0 + 1) })
        let parsed = try ScriptParser().parse(ScriptPrinter().print(script), fileName: "\(kind.rawValue).ops")
        #expect(parsed.ops == script.ops)
        #expect(parsed.lines.map(\.claims) == script.lines.map(\.claims))
        let ending = try ScriptExecutor().run(parsed) { _ in }
        guard case .completed = ending else {
            Issue.record("\(kind.rawValue) did not run clean: \(ending)")
            return
        }
    }
}
