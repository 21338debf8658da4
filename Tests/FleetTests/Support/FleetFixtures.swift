import Foundation
import Journal
import OpScript

/// Journals for the fleet tests, recorded from the op scripts in fixtures/scripts, and
/// scratch directories.
enum FleetFixtures {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// Every op script under fixtures/scripts, sorted.
    static func scripts() -> [String] {
        let base = path("fixtures/scripts")
        let files = FileManager.default.enumerator(atPath: base)?.compactMap { $0 as? String } ?? []
        return files.filter { $0.hasSuffix(".ops") }.sorted().map { base + "/" + $0 }
    }

    /// Records `script` into a new journal at `journal`, sealed unless `finish` is false.
    static func record(_ script: String, to journal: String, finish: Bool = true, batchSize: Int = 10_000) throws {
        let text = try String(contentsOfFile: script, encoding: .utf8)
        let parsed = try ScriptParser().parse(text, fileName: script)
        let writer = try JournalWriter(path: journal, run: RunInfo(
            toolVersion: "0.0.0-test", source: script, createdAt: "2026-12-01T12:00:00Z", host: "test-host",
            commandLine: "dmajournal run \(script) --journal \(journal)"), batchSize: batchSize)
        _ = try ScriptExecutor().run(parsed) { result in
            let claims = result.line.claims.isEmpty ? nil : Claim.text(of: result.line.claims)
            try writer.record(result.line.op, outcome: result.outcome, sequence: result.sequence,
                              sourceLine: result.line.lineNumber, claims: claims)
        }
        if finish { try writer.finish() }
    }
}

/// A fresh directory under the system temp dir, removed when the value is released.
final class ScratchDirectory {
    let path: String

    init() {
        var template = Array((NSTemporaryDirectory() + "fleet-tests-XXXXXX").utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(created != nil, "mkdtemp failed")
        path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }
}
