import DMASim
import Foundation
import Testing

/// The docs name what the tool really does.
@Suite struct DocsTests {
    @Test func checkerDocListsEveryMisuseClass() throws {
        let text = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("docs/checker.md"), encoding: .utf8)
        let missing = MisuseClass.allCases.map(\.rawValue).filter { !text.contains("| `\($0)` |") }
        #expect(missing.isEmpty, "docs/checker.md lacks: \(missing)")
    }

    @Test func readmeOpensWithTheTwoCommands() throws {
        let text = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let block = text.components(separatedBy: "```sh\n").dropFirst().first?.components(separatedBy: "```").first ?? ""
        let commands = block.split(separator: "\n").map { $0.components(separatedBy: "#").first!.trimmingCharacters(in: .whitespaces) }
        #expect(commands == ["bash scripts/install-deps.sh && swift run dmajournal run fixtures/scripts/quickstart.ops", "swift test"])
    }
}
