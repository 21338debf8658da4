import Replay

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

    /// The scenario streams (`TraceScenarioRun`): one call's lines in memory at a time.
    func run() throws {
        let scenario = TraceScenarioRun(journal: journal, overrides: overrides, lastSequence: lastSequence)
        // The first five of the checker's news, and how many there were: nothing grows with the trace.
        var news: [String] = []
        var newsCount = 0
        var replayed = 0
        let (ending, last) = try scenario.run { result, line in
            guard let sequence = line.sequence else { return }
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
            guard last != nil else { return }
            throw CLIFailure.expectationFailed(scenario.disagreement(at: result, line: last, replayed: replayed))
        }
    }
}
