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

            --with replays on a changed machine (e.g. --with iommu-mode=strict, \
            --with needs-sync-map=on): a bug that stayed latent in the recording then \
            shows as a divergence. Keys: \(TopologyOverride.keys.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")).
            """
    )

    @Argument(help: "The journal file.")
    var journal: String

    @Option(help: "Stop after this sequence number.")
    var to: Int?

    @Option(name: .customLong("with"), help: "Replay on a changed machine: KEY=VALUE; repeatable.")
    var overrides: [String] = []

    @Option(help: "Start at this checkpoint (its memory and engine state) instead of op 0.")
    var from: String?

    func run() throws {
        try CLIFailure.rendering {
            let changes = try Self.parse(overrides)
            if from != nil && !changes.isEmpty {
                // A checkpoint holds the recorded machine's state: a changed machine must start at op 0.
                throw CLIFailure.badInput("replay: --from and --with do not combine: a checkpoint was taken on the recorded machine")
            }
            let reader = try libraryCall { () throws(JournalError) -> JournalReader in try JournalReader(path: journal) }
            let imported = try libraryCall { () throws(JournalError) -> [String] in try reader.importedSources() }
            if let first = imported.first {
                throw CLIFailure.badInput("\(journal): imported from kernel traces (\(first)\(imported.count > 1 ? ", …" : "")), not recorded by the simulator: there is nothing to replay")
            }
            let replayer = try libraryCall { () throws(ReplayError) -> Replayer in try Replayer(reader: reader, overrides: changes) }
            var progress = ProgressReporter(total: reader.opCount)
            let (result, origin) = try libraryCall { () throws(JournalError) -> (Replayer.Result, String) in
                let start = try from.map { name throws(JournalError) in try CheckpointLoader(reader: reader).position(atCheckpoint: name) }
                let origin = start.map { " from checkpoint \($0.checkpoint ?? "") (after seq \($0.sequence))" } ?? ""
                return (try replayer.replay(from: start, through: to) { progress.update(done: $0 + 1) }, origin)
            }
            progress.finish()
            let machine = changes.isEmpty ? "" : " with \(changes.map(\.description).joined(separator: ", "))"
            if let divergence = result.divergence {
                throw CLIFailure.expectationFailed("\(journal): replay\(machine) diverged after \(result.replayedCount) ops\n\(divergence)")
            }
            print("\(result.replayedCount) ops replayed\(origin)\(machine), all outcomes identical; \(reader.stopDescription)")
        }
    }

    /// Parses `--with` arguments; shared by replay, bisect and minimize.
    static func parse(_ arguments: [String]) throws -> [TopologyOverride] {
        try arguments.map { text throws -> TopologyOverride in
            try libraryCall { () throws(TopologyOverrideError) -> TopologyOverride in try TopologyOverride(parsing: text) }
        }
    }
}
