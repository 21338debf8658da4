import DMASim
import Export
import OpScript
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

    func run() throws {
        let scenario = try importCall { () throws(TraceImportError) in try TraceScenario(journalPath: journal) }
        var lines = scenario.lines.filter { line in
            guard let lastSequence, let partOf = line.partOf else { return true }
            return partOf <= lastSequence
        }
        for index in lines.indices { lines[index].line.op = overrides.apply(to: lines[index].line.op) }
        var news: [String] = []
        var replayed = 0
        let ending = try ScriptExecutor().run(Script(lines: lines.map(\.line))) { result in
            guard let sequence = lines[result.sequence].sequence else { return }
            replayed += 1
            guard result.failedClaims.isEmpty, result.line.claims == [.completed] else { return }
            for finding in result.outcome.findings {
                news.append("seq \(sequence) (\(lines[result.sequence].origin ?? "")): \(finding.misuse.rawValue): \(finding.message)")
            }
        }
        let machine = overrides.isEmpty ? "" : " with \(overrides.map(\.description).joined(separator: ", "))"
        switch ending {
        case .completed:
            print("\(replayed) ops of the kernel trace ran on the model\(machine), which agrees with the kernel at each one")
            if !news.isEmpty {
                print("the model's checker also reports \(news.count) finding(s) on ops where the trace shows none:")
                for line in news.prefix(5) { print("  " + line) }
            }
        case .claimFailed(let result), .rejected(let result):
            let line = lines[result.sequence]
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
