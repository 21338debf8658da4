import Foundation
import Journal
import OpScript
import Pipeline
import TestSupport

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
        var recording = try JournalRecording(path: journal, run: RunInfo(
            toolVersion: "0.0.0-test", source: script, createdAt: "2026-12-01T12:00:00Z", host: "test-host",
            commandLine: "dmajournal run \(script) --journal \(journal)"), batchSize: batchSize)
        try recording.record(script: try String(contentsOfFile: script, encoding: .utf8), fileName: script)
        if finish { try recording.finish() }
    }
}

/// Scratch directories of the fleet tests: the shared one (Tests/TestSupport).
typealias ScratchDirectory = TestSupport.TemporaryDirectory
