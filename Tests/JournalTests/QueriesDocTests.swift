import Foundation
import Testing
@testable import Journal

/// docs/queries.md runs as a test: every ```sql example is run on the journal of
/// `Scenarios.docsExample`, and its table output must equal the ```text block after it.
///
/// After changing the schema or the example, refresh the outputs with
/// `DMAJOURNAL_UPDATE_DOCS=1 swift test --filter QueriesDocTests`, then read the diff.
@Suite struct QueriesDocTests {
    static let document = "docs/queries.md"

    @Test func examplesProduceTheirDocumentedOutput() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("example.db")
        try Recording.record(Scenarios.docsExample, to: path, sourceLines: true, snapshots: Scenarios.docsSnapshots)
        let runner = try QueryRunner(path: path)
        let markdown = MarkdownExamples(try SourceTree.read(Self.document))
        #expect(markdown.examples.count >= 10)
        var outputs: [String] = []
        for example in markdown.examples {
            let parameters = example.parameters.mapValues(SQLValue.init(parsing:))
            let result = try example.named.map { try runner.named($0, parameters: parameters) }
                ?? runner.run(example.sql, parameters: parameters)
            let output = result.formatted(as: .table)
            outputs.append(output)
            #expect(output == example.expectedOutput, "docs/queries.md example:\n\(example.sql)")
        }
        if ProcessInfo.processInfo.environment["DMAJOURNAL_UPDATE_DOCS"] == "1" {
            try markdown.replacingOutputs(with: outputs).write(toFile: SourceTree.path(Self.document), atomically: true, encoding: .utf8)
        }
    }

    /// Every view and every named query has an example.
    @Test func everyViewAndNamedQueryIsDocumented() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("example.db")
        try Recording.record(Scenarios.docsExample, to: path, snapshots: Scenarios.docsSnapshots)
        let runner = try QueryRunner(path: path)
        let examples = MarkdownExamples(try SourceTree.read(Self.document)).examples
        let views = try runner.run("SELECT name FROM sqlite_schema WHERE type = 'view'").rows.compactMap { row -> String? in
            if case .text(let name) = row[0] { return name }
            return nil
        }
        let named = try runner.namedQueries()
        // A named example runs the named query's SQL.
        let sqlRun = examples.map { example in named.first { $0.name == example.named }?.sql ?? example.sql }
        for view in views {
            #expect(sqlRun.contains { $0.contains(view) }, "no example uses view \(view)")
        }
        for query in named {
            #expect(examples.contains { $0.named == query.name }, "no example runs named query \(query.name)")
        }
    }
}
