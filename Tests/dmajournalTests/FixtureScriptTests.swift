import DMASim
import Foundation
import OpScript
import Pipeline
import Testing

/// Every self-checking script in fixtures/scripts passes, and together they cover every
/// misuse class the checker can report.
@Suite struct FixtureScriptTests {
    @Test(arguments: TestPaths.fixtureScripts().map(\.lastPathComponent))
    func scriptPasses(_ name: String) throws {
        let url = TestPaths.fixtureScripts().first { $0.lastPathComponent == name }!
        let script = try ScriptParser().parse(String(contentsOf: url, encoding: .utf8), fileName: name)
        let ending = try ScriptExecutor().run(script) { _ in }
        guard case .completed = ending else {
            Issue.record("\(name) did not pass: \(ending)")
            return
        }
        #expect(script.lines.contains { !$0.claims.isEmpty }, "a fixture must check something")
    }

    @Test func everyMisuseClassHasAFixtureThatExpectsIt() throws {
        var claimed: Set<MisuseClass> = []
        for url in TestPaths.fixtureScripts() {
            let script = try ScriptParser().parse(String(contentsOf: url, encoding: .utf8), fileName: url.lastPathComponent)
            for line in script.lines {
                for case .violation(let misuse?) in line.claims { claimed.insert(misuse) }
            }
        }
        let missing = MisuseClass.allCases.filter { !claimed.contains($0) }
        #expect(missing.isEmpty, "no fixture expects: \(missing.map(\.rawValue))")
    }

    @Test func thereIsAFixturePerMisuseClassFile() {
        let names = Set(TestPaths.fixtureScripts().map { $0.deletingPathExtension().lastPathComponent })
        let missing = MisuseClass.allCases.map(\.rawValue).filter { !names.contains($0) }
        #expect(missing.isEmpty, "no fixtures/scripts/misuse/<class>.ops for: \(missing)")
    }
}
