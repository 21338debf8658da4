import ArgumentParser
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

    func run() throws {
        try CLIFailure.rendering {
            let reader = try journalCall { () throws(JournalError) -> JournalReader in try JournalReader(path: journal) }
            let imported = try journalCall { () throws(JournalError) -> [String] in try reader.importedSources() }
            if let first = imported.first {
                throw CLIFailure.badInput("\(journal): imported from kernel traces (\(first)\(imported.count > 1 ? ", …" : "")), not recorded by the simulator: there is nothing to replay")
            }
            var progress = ProgressReporter(total: reader.opCount)
            let result = try journalCall { () throws(JournalError) -> Replayer.Result in
                try Replayer(reader: reader).replay(through: to) { progress.update(done: $0 + 1) }
            }
            progress.finish()
            if let divergence = result.divergence {
                throw CLIFailure.expectationFailed("\(journal): replay diverged after \(result.replayedCount) ops\n\(divergence)")
            }
            print("\(result.replayedCount) ops replayed, all outcomes identical; \(reader.stopDescription)")
        }
    }
}
