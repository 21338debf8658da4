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

    /// Citations resolve inside the repository (issue 19.5): a section-sign reference into a
    /// document the repository does not hold is refused; misuse is cited by its class
    /// name (docs/checker.md), model rules by a docs/ section and the kernel function.
    /// Only an RFC's own sections may be cited by number.
    @Test func noSectionReferenceLeavesTheRepository() throws {
        let root = TestPaths.packageRoot
        var unresolved: [String] = []
        for folder in ["Sources", "Tests", "docs", "fixtures/scripts", "Benchmarks", "scripts"] {
            let base = root.appendingPathComponent(folder)
            guard let files = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { continue }
            for case let file as URL in files where ["swift", "md", "ops", "sh"].contains(file.pathExtension) {
                guard let text = try? String(contentsOf: file, encoding: .utf8), text.contains("\u{00A7}") else { continue }
                for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
                where line.contains("\u{00A7}") && line.firstMatch(of: /RFC \d+ \u{00A7}/) == nil {
                    unresolved.append("\(folder)/\(file.lastPathComponent):\(number + 1)")
                }
            }
        }
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        if readme.contains("\u{00A7}") { unresolved.append("README.md") }
        #expect(unresolved.isEmpty, "section references outside the repository: \(unresolved)")
    }
    /// SwiftPM refuses a versioned dependency on a package with unsafe flags, so the
    /// library products stay usable only while the manifest has none (issue 19.2): the
    /// engine's classes mark their properties `@exclusivity(unchecked)` instead.
    @Test func theManifestHasNoUnsafeFlags() throws {
        let manifest = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
        #expect(!manifest.contains(".unsafeFlags("))
    }
}
