/// The query examples of a Markdown document: each fenced ```sql block followed by a
/// fenced ```text block holding its expected output.
///
/// A sql block may start with directives in comments:
///   `-- named: NAME key=value ...`   run named query NAME instead of the block's SQL
///   `-- params: key=value ...`       bind these :parameters to the block's SQL
struct MarkdownExamples {
    struct Example {
        var sql: String
        var named: String?
        var parameters: [String: String]
        /// Line indexes of the text block's content (between its fences).
        var outputLines: Range<Int>
        var expectedOutput: String
    }

    let lines: [String]
    let examples: [Example]

    init(_ text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var examples: [Example] = []
        var index = 0
        while index < lines.count {
            guard lines[index] == "```sql", let sqlEnd = Self.fenceEnd(lines, after: index) else { index += 1; continue }
            let textStart = sqlEnd + 1
            guard textStart < lines.count, lines[textStart] == "```text", let textEnd = Self.fenceEnd(lines, after: textStart) else {
                index = sqlEnd + 1
                continue
            }
            examples.append(Self.example(sql: Array(lines[(index + 1)..<sqlEnd]), output: (textStart + 1)..<textEnd, lines))
            index = textEnd + 1
        }
        self.examples = examples
    }

    private static func fenceEnd(_ lines: [String], after start: Int) -> Int? {
        lines[(start + 1)...].firstIndex(of: "```")
    }

    private static func example(sql: [String], output: Range<Int>, _ lines: [String]) -> Example {
        var named: String?
        var parameters: [String: String] = [:]
        for line in sql {
            if line.hasPrefix("-- named: ") {
                let words = line.dropFirst("-- named: ".count).split(separator: " ")
                named = words.first.map(String.init)
                parameters.merge(pairs(words.dropFirst())) { $1 }
            } else if line.hasPrefix("-- params: ") {
                parameters.merge(pairs(line.dropFirst("-- params: ".count).split(separator: " "))) { $1 }
            }
        }
        let expected = lines[output].map { $0 + "\n" }.joined()
        return Example(sql: sql.joined(separator: "\n"), named: named, parameters: parameters, outputLines: output, expectedOutput: expected)
    }

    private static func pairs(_ words: some Sequence<Substring>) -> [String: String] {
        var result: [String: String] = [:]
        for word in words {
            let parts = word.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { result[String(parts[0])] = String(parts[1]) }
        }
        return result
    }

    /// The document with each example's output replaced by `outputs[i]`.
    func replacingOutputs(with outputs: [String]) -> String {
        var result = lines
        for (example, output) in zip(examples, outputs).reversed() {
            var newLines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if newLines.last == "" { newLines.removeLast() }
            result.replaceSubrange(example.outputLines, with: newLines)
        }
        return result.joined(separator: "\n")
    }
}
