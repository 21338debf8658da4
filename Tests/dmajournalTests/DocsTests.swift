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
        #expect(commands == ["bash scripts/install-deps.sh && swift run dmajournal record --workload nvme --ops 20000 --journal nvme.db --force", "swift test"])
    }

    /// The README's main command records cleanly (exit 0) — run here with the journal in
    /// a scratch directory.
    @Test func readmeMainCommandRecordsCleanly() throws {
        let text = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.contains("&& swift run dmajournal ") })
        let command = line.components(separatedBy: "&& swift run dmajournal ")[1].components(separatedBy: "#")[0]
        var arguments = command.split(separator: " ").map(String.init)
        let journal = try #require(arguments.firstIndex(of: "--journal"))
        arguments[journal + 1] = RecordCommandTests.temporaryJournal()
        let run = try ToolRun.run(arguments)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("recorded "))
    }
}
