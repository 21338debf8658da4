import DMASim
import Export
import OpScript
import Pipeline
import Replay
import TraceImport

/// `dmajournal replay` of an imported journal: the kernel trace, as the simulation
/// `TraceScenario` makes of it, runs on the model (changed by `--with`), and every line's
/// claim of what the kernel did — the fault it reported, the call that went through, the
/// misuse its dma-debug named — must hold. The first line where the model disagrees is the
/// divergence, exit 1, as a recorded journal's replay reports one.
struct TraceReplay {
    let journal: String
    let overrides: [TopologyOverride]
    /// Stop after this imported op (journal seq).
    let lastSequence: Int?

    /// The scenario streams (`TraceScenarioStream`): one call's lines in memory at a time.
    func run() throws {
        let scenario = try importCall { () throws(TraceImportError) in try TraceScenarioStream(journalPath: journal) }
        var current: TraceScenario.Line?
        func nextLine() throws -> ScriptLine? {
            guard var line = try importCall({ () throws(TraceImportError) in try scenario.next() }) else { return nil }
            // Calls come in seq order, the topology (partOf nil) first: past the last one asked for, the rest is too.
            if let lastSequence, let partOf = line.partOf, partOf > lastSequence { return nil }
            line.line.op = overrides.apply(to: line.line.op)
            current = line
            return line.line
        }
        // The first five of the checker's news, and how many there were: nothing grows with the trace.
        var news: [String] = []
        var newsCount = 0
        var replayed = 0
        let ending = try ScriptExecutor().run(next: nextLine) { result in
            guard let line = current, let sequence = line.sequence else { return }
            replayed += 1
            guard result.failedClaims.isEmpty, result.line.claims == [.completed] else { return }
            for finding in result.outcome.findings {
                newsCount += 1
                if news.count < 5 { news.append("seq \(sequence) (\(line.origin ?? "")): \(finding.misuse.rawValue): \(finding.message)") }
            }
        }
        let machine = overrides.isEmpty ? "" : " with \(overrides.map(\.description).joined(separator: ", "))"
        switch ending {
        case .completed:
            print("\(replayed) ops of the kernel trace ran on the model\(machine), which agrees with the kernel at each one")
            if newsCount > 0 {
                print("the model's checker also reports \(newsCount) finding(s) on ops where the trace shows none:")
                for line in news { print("  " + line) }
            }
        case .claimFailed(let result), .rejected(let result):
            guard let line = current else { return }
            let place = line.sequence.map { "seq \($0) (\(line.origin ?? "added by the scenario"))" }
                ?? "script line \(result.sequence + 1), which the scenario adds"
            var writer = ScriptLineWriter()
            throw CLIFailure.expectationFailed("""
                \(journal): the model\(machine) disagrees with the kernel at \(place) after \(replayed) ops
                  op:     \(writer.line(result.line.op, claims: []))
                  kernel: \(result.line.claims.isEmpty ? "(nothing: the trace does not show this op)" : result.line.claims.map(\.description).joined(separator: ", "))
                  model:  \(OutcomeDescriber().describe(result.outcome))
                """)
        }
    }
}
