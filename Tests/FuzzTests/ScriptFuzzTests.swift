import DMASim
import Foundation
import OpScript
import Pipeline
import Snapshot
import Testing

/// A fuzz target of the op-script parser and the engine behind it (issue 21): every
/// fixture script, mutated (`ScriptMutator`), must either parse or fail with one line
/// naming its place, and a script that parses must run to its end or to its first
/// failed claim — never trap, never hang. A trap ends the test process: that is the
/// failure this test exists to show; the input being run is kept in
/// `$TMPDIR/dmajournal-fuzz-input.ops` so the crash can be replayed with `dmajournal run`.
///
/// CI runs 600 inputs from seed 21 (about 2 s in a debug build on an idle machine); see `FuzzSettings`
/// for longer campaigns.
@Suite struct ScriptFuzzTests {
    /// fixtures/scripts, three folders above this file.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fixtures/scripts")

    static func corpus() throws -> [String] {
        let files = FileManager.default.enumerator(at: fixtures, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? []
        return try files.filter { $0.pathExtension == "ops" }.sorted { $0.path < $1.path }.map { try String(contentsOf: $0, encoding: .utf8) }
    }

    static let currentInput = FileManager.default.temporaryDirectory.appendingPathComponent("dmajournal-fuzz-input.ops")

    @Test func mutatedScriptsParseOrFailInOneLineAndRunWithoutTrapping() throws {
        let settings = FuzzSettings.current(defaultInputs: 600, defaultSeed: 21)
        let corpus = try Self.corpus()
        try #require(corpus.count >= 20, "the corpus is the fixture scripts")
        var mutator = ScriptMutator(seed: settings.seed, corpus: corpus)
        var tally = (parsed: 0, rejected: 0, ran: 0, heldBack: 0, ops: 0)
        let clock = ContinuousClock(), start = clock.now
        for index in 0..<settings.inputs {
            let text = mutator.mutant(of: corpus[index % corpus.count])
            let script: Script
            do {
                script = try ScriptParser().parse(text, fileName: "fuzz.ops")
            } catch {
                tally.rejected += 1
                #expect(!error.description.isEmpty && !error.description.contains("\n"), "input \(index): \(error.description)")
                #expect(error.description.hasPrefix("fuzz.ops:"), "input \(index): \(error.description)")
                continue
            }
            tally.parsed += 1
            guard settings.extremes || script.ops.allSatisfy(KnownBounds.allows) else {
                tally.heldBack += 1
                continue
            }
            tally.ran += 1
            try text.write(to: Self.currentInput, atomically: false, encoding: .utf8)
            tally.ops += try Self.run(script, input: index)
        }
        let seconds = Double((clock.now - start).components.seconds) + Double((clock.now - start).components.attoseconds) / 1e18
        print("ScriptFuzzTests: \(settings.inputs) inputs from seed \(settings.seed) in \(String(format: "%.1f", seconds)) s: "
              + "\(tally.parsed) parsed (\(tally.ran) run, \(tally.ops) ops; \(tally.heldBack) held back by KnownBounds), \(tally.rejected) rejected")
        #expect(tally.parsed > settings.inputs / 10 && tally.rejected > settings.inputs / 10, "the mutations should both pass and fail the parser")
    }

    /// Runs `script` to its end or first failed claim; returns the ops applied. Tool
    /// failures (a verify of a snapshot never taken) are one line.
    static func run(_ script: Script, input: Int) throws -> Int {
        var applied = 0
        do {
            _ = try ScriptExecutor().run(script) { _ in applied += 1 }
        } catch let error as SnapshotError {
            #expect(!error.description.contains("\n"), "input \(input): \(error)")
        }
        return applied
    }
}

