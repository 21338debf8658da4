import ArgumentParser
import Foundation
import Journal

/// `dmajournal recover FILE`: finish the journal of a recording that was killed.
struct RecoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover",
        abstract: "Complete the journal of a killed recording: build its indexes, fold the WAL into one file.",
        discussion: """
            A recording killed mid-way leaves a valid journal holding every committed \
            batch, in WAL mode and without its secondary indexes (queries are right, only \
            slower). recover builds the indexes and leaves one self-contained file; the ops \
            stay as committed and the journal keeps saying it did not finish. A write that \
            was killed in the middle (a snapshot) left FILE-journal: recover rolls it back \
            to the last commit. Safe to run twice; a finished journal is left as it is. A \
            journal another process is still recording is refused, naming that process.

            EXAMPLES:
              dmajournal recover nvme.db
            """
    )

    @Argument(help: "The journal file.")
    var journal: String

    func run() throws {
        try CLIFailure.rendering {
            let hotJournal = FileManager.default.fileExists(atPath: journal + "-journal")
            if !hotJournal, let complete = try completeDescription() {
                print(complete + "; nothing to recover")
                return
            }
            let result = try libraryCall { () throws(JournalError) -> SealResult in
                try JournalWriter.recover(path: journal, waiting: SealWaiting(notice: StandardError.write, shouldStop: { InterruptFlag.isRaised }))
            }
            if let note = JournalSink.note(on: result, path: journal) { StandardError.write("dmajournal: " + note) }
            let after = try libraryCall { () throws(JournalError) -> JournalReader in try JournalReader(path: journal) }
            print((hotJournal ? "rolled back the write interrupted in \(journal)-journal; " : "") + "recovered: " + after.stopDescription)
        }
    }

    /// How the journal stopped, when it needs no recovery. The reader is closed on return:
    /// leaving WAL mode needs the only connection to the file.
    private func completeDescription() throws -> String? {
        let reader = try libraryCall { () throws(JournalError) -> JournalReader in try JournalReader(path: journal) }
        let walLeft = FileManager.default.fileExists(atPath: journal + "-wal")
        return reader.missingIndexes.isEmpty && !walLeft ? reader.stopDescription : nil
    }
}
