import DMASim
import OpScript
import Replay

/// `dmajournal state` of an imported journal. Its ops are the kernel's calls: it has no
/// recorded outcomes to replay against, and no checkpoints. The machine shown is the
/// model's after the scenario `replay` runs (`TraceScenarioRun`) reaches op `at`, and the
/// ops the state names (an IOTLB entry's fill, the unmap that left it stale), which the
/// engine numbers by scenario line, are named by their journal seq and trace line.
struct ImportedTraceState {
    let journal: String
    let at: Int?

    /// The state, and where the model disagreed with the kernel before `at`, if it did (the
    /// state is then the one after that op, as a recorded journal's divergence leaves it).
    func report(_ request: MachineStateRequest) throws -> (report: StateInspector.Report, disagreement: String?) {
        let scenario = TraceScenarioRun(journal: journal, overrides: [], lastSequence: at)
        var replayed = 0
        var lastSequence = 0
        let (ending, last) = try scenario.run { _, line in
            guard let sequence = line.sequence else { return }
            replayed += 1
            lastSequence = sequence
        }
        if let at, at > lastSequence, case .completed = ending {
            throw CLIFailure.badInput("\(journal): --at \(at): the journal's last op is seq \(lastSequence)")
        }
        let disagreement: String?
        switch ending {
        case .completed: disagreement = nil
        case .claimFailed(let result), .rejected(let result):
            disagreement = scenario.disagreement(at: result, line: last, replayed: replayed)
        }
        var state = scenario.executor.engine.machineState(request)
        if let device = request.device, state.domains.isEmpty {
            throw CLIFailure.badInput("\(journal): --device \(device): no device of that name is behind an IOMMU after seq \(lastSequence)")
        }
        let named = Set(state.domains.flatMap { $0.iotlb.items.flatMap { [$0.filledAt, $0.staleSince].compactMap { $0 } } })
        let lines = try scenario.lines(at: named)
        state.renumberOps { lines[$0]?.sequence }
        var opLines: [Int: String] = [:]
        let printer = ScriptPrinter()
        for line in lines.values {
            guard let sequence = line.sequence else { continue }
            opLines[sequence] = printer.line(line.line.op) + (line.origin.map { "  # \($0)" } ?? "")
        }
        let report = StateInspector.Report(sequence: lastSequence, checkpoint: nil, checkpointSequence: nil, replayedCount: replayed,
                                           divergence: nil, state: state, opLines: opLines)
        return (report, disagreement)
    }
}

extension MachineState {
    /// Gives every op the IOTLB names its number in `journalSequence` (nil: an op the
    /// scenario added, which the journal does not hold).
    mutating func renumberOps(_ journalSequence: (Int) -> Int?) {
        for domain in domains.indices {
            for entry in domains[domain].iotlb.items.indices {
                domains[domain].iotlb.items[entry].filledAt = domains[domain].iotlb.items[entry].filledAt.flatMap(journalSequence)
                domains[domain].iotlb.items[entry].staleSince = domains[domain].iotlb.items[entry].staleSince.flatMap(journalSequence)
            }
        }
    }
}
