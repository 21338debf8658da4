import DMASim
import Foundation
import OpScript
import Pipeline
import Testing

/// The snapshot fixtures say, in `#   finding: …` comments under a `verify` line, exactly
/// which memory-mismatch findings it reports: the run, its region and its last writers.
/// Every such finding must be written down, and every written one must occur.
@Suite struct SnapshotFixtureTests {
    static let marker = "#   finding: "

    static func fixtures() -> [URL] {
        TestPaths.fixtureScripts().filter { $0.deletingLastPathComponent().lastPathComponent == "snapshots" }
    }

    /// The expected findings by the 1-based line of the op they follow.
    static func expectedFindings(in text: String) -> [Int: [String]] {
        var expected: [Int: [String]] = [:]
        var lastOpLine = 0
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix(marker) {
                expected[lastOpLine, default: []].append(String(line.dropFirst(marker.count)))
            } else if !line.hasPrefix("#") && !line.trimmingCharacters(in: .whitespaces).isEmpty {
                lastOpLine = index + 1
            }
        }
        return expected
    }

    @Test(arguments: fixtures().map(\.lastPathComponent))
    func verifyFindingsAreExactlyTheDocumentedOnes(_ name: String) throws {
        let url = try #require(Self.fixtures().first { $0.lastPathComponent == name })
        let text = try String(contentsOf: url, encoding: .utf8)
        let expected = Self.expectedFindings(in: text)
        var actual: [Int: [String]] = [:]
        let ending = try ScriptExecutor().run(ScriptParser().parse(text, fileName: name)) { result in
            let messages = result.outcome.findings.filter { $0.misuse == .memoryMismatch }.map(\.message)
            if !messages.isEmpty { actual[result.line.lineNumber] = messages }
        }
        guard case .completed = ending else { Issue.record("\(name) did not pass: \(ending)"); return }
        #expect(actual == expected)
    }

    @Test func thereAreSnapshotFixtures() {
        #expect(Self.fixtures().count >= 4)
    }
}
