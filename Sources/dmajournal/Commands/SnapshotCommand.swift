import ArgumentParser
import Checkpoint
import Journal
import Replay
import Snapshot

/// `dmajournal snapshot FILE --at SEQ`: replay a journal to an op and store a snapshot of
/// memory at that moment in the journal — the one command that writes to an existing
/// journal.
struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Replay a journal to an op and store a memory snapshot of that moment in it.",
        discussion: """
            This is the only command that writes to an existing journal: it adds one \
            snapshot (rows in snapshots, snapshot_chunks, chunks, and with --checkpoint in \
            checkpoints) in one transaction, and changes nothing else. The replay starts at \
            the latest checkpoint at or before SEQ. Exit status 0; 1 when the replay \
            diverged from the journal (nothing is stored); 2 for bad input.

            EXAMPLES:
              dmajournal snapshot nvme.db --at 50000 --name mid
              dmajournal verify nvme.db --against mid --at 50177
            """
    )

    @Argument(help: "The journal file.")
    var journal: String

    @Option(help: "Take the snapshot after this op (its seq).")
    var at: Int

    @Option(help: "The snapshot's name (default at:SEQ).")
    var name: String?

    @Flag(help: "Store the engine state too, so replays can start here.")
    var checkpoint = false

    func validate() throws {
        try OptionCheck.atLeast(0, at, "--at")
        try OptionCheck.name(name, "--name")
    }

    func run() throws {
        try CLIFailure.rendering {
            // Opened first: a journal another process is recording is refused before the
            // replay, not after it.
            let tables = try libraryCall { () throws(JournalError) -> SnapshotTables in try SnapshotTables.openForWriting(path: journal) }
            let reader = try libraryCall { () throws(JournalError) -> JournalReader in try JournalReader(path: journal) }
            let last = reader.lastCommittedSequence ?? -1
            guard (0...max(last, 0)).contains(at), last >= 0 else { throw CLIFailure.badInput("\(journal): --at \(at) is not an op of the journal (0…\(last))") }
            let (position, replay) = try libraryCall { () throws(JournalError) -> (ReplayPosition, Replayer.Result) in
                try Replayer(reader: reader).position(after: at)
            }
            if let divergence = replay.divergence {
                throw CLIFailure.expectationFailed("\(journal): replay diverged before seq \(at); nothing stored\n\(divergence)")
            }
            let record = try store(position, in: tables)
            let statistics = record.statistics
            print("snapshot \(record.name) after seq \(at): \(record.manifest.chunks.count) non-zero chunks "
                  + "(\(record.manifest.chunks.count * 64) KiB), \(statistics.chunksStored) of them new "
                  + "(\(statistics.compressedBytesStored) bytes compressed)"
                  + (checkpoint ? ", with engine state" : "") + "; replayed from "
                  + (position.checkpoint.map { "checkpoint \($0)" } ?? "op 0"))
        }
    }

    /// Writes the snapshot in one transaction on the read-write connection of `tables`.
    private func store(_ position: ReplayPosition, in tables: SnapshotTables) throws -> SnapshotRecord {
        try snapshotCall(path: journal) {
            let keeper = SnapshotKeeper(storage: JournalSnapshotStorage(tables: tables))
            var record: SnapshotRecord?
            try tables.inTransaction {
                record = try keeper.capture(position.engine, name: name ?? "at:\(at)", kind: checkpoint ? .checkpoint : .snapshot,
                                            afterSequence: at)
            }
            guard let record else { throw CLIFailure.badInput("\(journal): the snapshot was not stored") }
            return record
        }
    }
}
