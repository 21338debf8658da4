import Foundation
import Testing

/// docs/import.md's session runs as written: each `$ dmajournal …` line of its first
/// example, with the output printed under it (stderr, then stdout).
@Suite struct ImportDocsTests {
    @Test func theDocumentedSessionPrintsWhatItShows() throws {
        let text = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("docs/import.md"), encoding: .utf8)
        let block = try #require(text.components(separatedBy: "```\n$ ").dropFirst().first?.components(separatedBy: "\n```").first)
        let steps = ("$ " + block).components(separatedBy: "\n\n$ ").map { $0.hasPrefix("$ ") ? String($0.dropFirst(2)) : $0 }
        #expect(steps.count == 3)
        let journal = FileManager.default.temporaryDirectory.appendingPathComponent("docs-\(UUID().uuidString).db").path
        for step in steps {
            let lines = step.components(separatedBy: "\n")
            let words = try #require(Self.words(lines[0]).dropFirst().map { $0 == "ath12k.db" ? journal : $0 }) as [String]
            let run = try ToolRun.run(words)
            #expect(run.status == 0, "\(lines[0]): \(run.stderr)")
            let expected = lines.dropFirst().joined(separator: "\n").replacingOccurrences(of: "ath12k.db", with: journal) + "\n"
            #expect(run.stderr + run.stdout == expected, "\(lines[0])")
        }
    }

    /// Shell words: spaces separate, double quotes group.
    static func words(_ line: String) -> [String] {
        var words: [String] = [], current = "", quoted = false
        for character in line {
            if character == "\"" { quoted.toggle(); continue }
            if character == " " && !quoted {
                if !current.isEmpty { words.append(current); current = "" }
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}
