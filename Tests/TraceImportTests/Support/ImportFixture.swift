import Foundation
import Journal
@testable import TraceImport

/// Paths of the sample traces and a scratch directory per test.
enum ImportFixture {
    /// The package root: three folders above this file.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A real trace from fixtures/traces (copied from the shared samples, names kept).
    static func trace(_ name: String) -> String {
        packageRoot.appendingPathComponent("fixtures/traces/\(name)").path
    }

    /// A fresh directory for one test's files.
    static func directory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("trace-import-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `text` to a file in `directory`.
    static func write(_ text: String, named name: String, in directory: URL) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Imports `paths` into a new journal; returns its path and the summary.
    static func importing(_ paths: [String], in directory: URL = directory()) throws -> (journal: String, summary: ImportSummary) {
        let journal = directory.appendingPathComponent("imported.db").path
        let writer = try JournalWriter(path: journal, force: true, run: RunInfo(toolVersion: "test", source: paths.joined(separator: " "),
                                                                                createdAt: "2026-11-25T00:00:00Z"))
        let summary = try TraceImporter(paths: paths).run(into: writer)
        try writer.finish()
        return (journal, summary)
    }

    /// Imports `text` as one file named `name`.
    static func importing(text: String, named name: String = "trace.txt") throws -> (journal: String, summary: ImportSummary) {
        let directory = directory()
        return try importing([try write(text, named: name, in: directory)], in: directory)
    }

    /// The rows of `sql`, each as its values' text (NULL as "NULL").
    static func rows(_ journal: String, _ sql: String) throws -> [[String]] {
        try QueryRunner(path: journal).run(sql).rows.map { $0.map(\.text) }
    }
}

extension SQLValue {
    /// A value as a test compares it: integers in decimal, NULL as "NULL".
    var text: String {
        switch self {
        case .null: return "NULL"
        case .integer(let value): return String(value)
        case .real(let value): return String(value)
        case .text(let value): return value
        case .blob(let bytes): return "blob(\(bytes.count))"
        }
    }
}
