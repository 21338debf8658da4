import Checkpoint
import DMASim
import Journal
import OpScript

/// The machine after one op of a journal, as rr shows a process at an event: the latest
/// checkpoint at or before the op (`CheckpointLoader`), replayed forward to it
/// (`Replayer`), then read (`Engine.machineState`). The replay compares every outcome as
/// `replay` does, so a state shown is the recorded machine's, or the report says where
/// the replay parted from the journal.
public struct StateInspector {
    /// Where the state came from.
    public struct Report {
        public let sequence: Int
        /// The checkpoint the replay started from (nil: op 0), and the op it follows.
        public let checkpoint: String?
        public let checkpointSequence: Int?
        public let replayedCount: Int
        /// The op the replay parted from the journal at, if it did (the state is then
        /// the one after that op, not after `sequence`).
        public let divergence: Divergence?
        public let state: MachineState
        /// The script line of each op the state names (IOTLB fills and the ops that made
        /// entries stale), by seq.
        public let opLines: [Int: String]

        /// A report made elsewhere: `state` of an imported journal, whose machine comes
        /// from the trace's scenario rather than from a replay of recorded outcomes.
        public init(sequence: Int, checkpoint: String?, checkpointSequence: Int?, replayedCount: Int,
                    divergence: Divergence?, state: MachineState, opLines: [Int: String]) {
            self.sequence = sequence; self.checkpoint = checkpoint; self.checkpointSequence = checkpointSequence
            self.replayedCount = replayedCount; self.divergence = divergence; self.state = state; self.opLines = opLines
        }
    }

    let reader: JournalReader

    public init(reader: JournalReader) { self.reader = reader }

    /// The state after op `sequence` (the last op when nil).
    public func state(after sequence: Int?, _ request: MachineStateRequest) throws(ReplayError) -> Report {
        guard let last = reader.lastCommittedSequence else { throw .journal(.damaged(path: reader.path, detail: "the journal has no ops")) }
        let target = sequence ?? last
        guard target <= last else { throw .badRequest("\(reader.path): --at \(target): the journal's last op is seq \(last)") }
        let replayer = Replayer(reader: reader)
        let position: ReplayPosition, result: Replayer.Result
        do { (position, result) = try replayer.position(after: target) } catch { throw .journal(error) }
        let state = position.engine.machineState(request)
        if let device = request.device, state.domains.isEmpty {
            throw .badRequest("\(reader.path): --device \(device): no device of that name is behind an IOMMU after seq \(position.sequence)")
        }
        return Report(sequence: position.sequence, checkpoint: position.checkpoint,
                      checkpointSequence: position.checkpoint == nil ? nil : position.sequence - result.replayedCount,
                      replayedCount: result.replayedCount, divergence: result.divergence, state: state,
                      opLines: try opLines(named: state))
    }

    /// The script lines of the ops the IOTLB entries name.
    private func opLines(named state: MachineState) throws(ReplayError) -> [Int: String] {
        let wanted = Set(state.domains.flatMap { $0.iotlb.items.flatMap { [$0.filledAt, $0.staleSince].compactMap { $0 } } })
        var lines: [Int: String] = [:]
        let printer = ScriptPrinter()
        do {
            for seq in wanted.sorted() {
                if let recorded = try reader.makeCursor(fromSequence: seq).next(), recorded.seq == seq { lines[seq] = printer.line(recorded.op) }
            }
        } catch { throw .journal(error) }
        return lines
    }
}
