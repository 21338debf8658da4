import ArgumentParser
import Checkpoint
import Export
import Journal
import OpScript
import Replay
import TraceImport

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
            shows as a divergence. A journal imported from a kernel trace runs as the \
            simulation `export --format script` writes of it: the divergence is the first \
            op where the model disagrees with what the kernel did. Keys: \(TopologyOverride.keys.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")). \
            A value the engine refuses for a declaration (granule=3K) is bad input (exit 2). \
            The report goes to standard output, one summary line to stderr.

            EXAMPLES:
              dmajournal replay nvme.db
              dmajournal replay nvme.db --with iommu-mode=strict
              dmajournal replay nvme.db --from auto:249999 --to 260000
              dmajournal replay nvme.db --with needs-sync-map=on --format json
              dmajournal replay nvme.db --with swiotlb-size=64M --with swiotlb-force=on
            """
    )

    @Argument(help: "The journal file.")
    var journal: String

    @Option(help: "Stop after this sequence number.")
    var to: Int?

    @OptionGroup var machine: MachineChangeOptions

    @Option(help: "Start at this checkpoint (its memory and engine state) instead of op 0.")
    var from: String?

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        try OptionCheck.atLeast(0, to, "--to")
    }

    func run() throws {
        try CLIFailure.rendering {
            let changes = try machine.parsed()
            if from != nil && !changes.isEmpty {
                // A checkpoint holds the recorded machine's state: a changed machine must start at op 0.
                throw CLIFailure.badInput("replay: --from and --with do not combine: a checkpoint was taken on the recorded machine")
            }
            if try importCall({ () throws(TraceImportError) in try TraceScenario.isImported(journalPath: journal) }) {
                if from != nil { throw CLIFailure.badInput("replay: \(journal) is an imported kernel trace: it has no checkpoints to start --from") }
                return try TraceReplay(journal: journal, overrides: changes, lastSequence: to).run()
            }
            let reader = try libraryCall { () throws(JournalError) -> JournalReader in try JournalReader(path: journal) }
            let replayer = try libraryCall { () throws(ReplayError) -> Replayer in try Replayer(reader: reader, overrides: changes) }
            var progress = ProgressReporter(total: reader.opCount)
            let (result, origin) = try libraryCall { () throws(JournalError) -> (Replayer.Result, String) in
                let start = try from.map { name throws(JournalError) in try CheckpointLoader(reader: reader).position(atCheckpoint: name) }
                let origin = start.map { " from checkpoint \($0.checkpoint ?? "") (after seq \($0.sequence))" } ?? ""
                return (try replayer.replay(from: start, through: to) { progress.update(done: $0 + 1) }, origin)
            }
            progress.finish()
            let machine = changes.isEmpty ? "" : " with \(changes.map(\.description).joined(separator: ", "))"
            if format == .json {
                print(Self.json(result, machine: changes.map(\.description), stop: reader.stopDescription).text)
            } else if let divergence = result.divergence {
                print(divergence)
            } else {
                print("\(result.replayedCount) ops replayed\(origin)\(machine), all outcomes identical; \(reader.stopDescription)")
            }
            if let divergence = result.divergence {
                throw CLIFailure.expectationFailed("\(journal): replay\(machine) diverged at seq \(divergence.sequence), after \(result.replayedCount) ops")
            }
        }
    }

    static func json(_ result: Replayer.Result, machine: [String], stop: String) -> JSONObject {
        var fields: [(String, JSONValue)] = [("replayed_ops", .int(result.replayedCount)), ("with", .array(machine.map(JSONValue.string))),
                                             ("identical", .bool(result.divergence == nil)), ("journal", .string(stop))]
        if let divergence = result.divergence {
            let describer = OutcomeDescriber()
            fields.append(("divergence", .object([
                ("seq", .int(divergence.sequence)), ("op", .string(ScriptPrinter().line(divergence.op))),
                ("differs_in", .array(divergence.differingFields.map(JSONValue.string))),
                ("recorded", .string(describer.describe(divergence.recorded.outcome))),
                ("replayed", .string(describer.describe(divergence.replayed.outcome))),
            ])))
        }
        return JSONObject(fields)
    }

    /// Bisect and minimise search a recording; an imported trace becomes one by running its
    /// simulation into a journal, which the refusal spells out.
    static func refuseImported(_ journal: String, command: String) throws {
        guard try importCall({ () throws(TraceImportError) in try TraceScenario.isImported(journalPath: journal) }) else { return }
        throw CLIFailure.badInput("\(command): \(journal) is an imported kernel trace, not a recording: "
            + "run `dmajournal export \(journal) --format script -o trace.ops` and `dmajournal run trace.ops --journal sim.db`, then \(command) sim.db")
    }

    /// Parses `--with` arguments; shared by replay, bisect and minimize.
}
