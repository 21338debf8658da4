import ArgumentParser
import Checkpoint
import Journal
import Replay

/// `dmajournal replay FILE`: re-run every journaled op and compare outcomes.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Re-execute a journal on a fresh engine and compare every outcome with the recorded one.",
        discussion: """
            Exit status 0 when every outcome is identical (address, errno, fault, digest, \
            page-table ranges, side events, findings, kernel warnings); 1 at the first \
            divergence, printed as its sequence number, the op as a script line, and the \
            recorded and replayed outcomes; 2 for bad input.
            """
    )

    @Argument(help: "The journal file.")
    var journal: String

    @Option(help: "Stop after this sequence number.")
    var to: Int?

    @Option(help: "Start at this checkpoint (its memory and engine state) instead of op 0.")
    var from: String?

    func run() throws {
        try CLIFailure.rendering {
            let reader = try journalCall { () throws(JournalError) -> JournalReader in try JournalReader(path: journal) }
            var progress = ProgressReporter(total: reader.opCount)
            let (result, origin) = try journalCall { () throws(JournalError) -> (Replayer.Result, String) in
                let start = try from.map { name throws(JournalError) in try CheckpointLoader(reader: reader).position(atCheckpoint: name) }
                let origin = start.map { " from checkpoint \($0.checkpoint ?? "") (after seq \($0.sequence))" } ?? ""
                return (try Replayer(reader: reader).replay(from: start, through: to) { progress.update(done: $0 + 1) }, origin)
            }
            progress.finish()
            if let divergence = result.divergence {
                throw CLIFailure.expectationFailed("\(journal): replay diverged after \(result.replayedCount) ops\n\(divergence)")
            }
            print("\(result.replayedCount) ops replayed\(origin), all outcomes identical; \(reader.stopDescription)")
        }
    }
}
