import ArgumentParser
import Journal
import Replay

/// `dmajournal verify FILE --against NAME [--at SEQ]`: compare memory at an op with a
/// stored snapshot; print the differing runs and the ops that last wrote them.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Compare memory after an op with a stored snapshot; name the ops that wrote what differs.",
        discussion: """
            Replays the journal (from the latest checkpoint at or before the snapshot) to \
            SEQ, the last op by default, and compares memory (RAM, as a device sees it: a \
            CPU store still in a dirty cache line is not memory yet) with snapshot NAME. \
            Each differing run of bytes is printed with its region, physical address, \
            length and the ops that last wrote it. Exit status 0 when memory equals the \
            snapshot; 1 when it differs (or the replay diverged from the journal); 2 for \
            bad input, including a damaged snapshot.

            EXAMPLES:
              dmajournal verify run.db --against before-io
              dmajournal verify run.db --against before-io --at 19 --format json
            """
    )

    @Argument(help: "The journal file.")
    var journal: String

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Option(help: "The snapshot or checkpoint to compare with.")
    var against: String

    @Option(help: "Compare memory as it was after this op (default: the last op).")
    var at: Int?

    func validate() throws {
        try OptionCheck.atLeast(0, at, "--at")
    }

    func run() throws {
        try CLIFailure.rendering {
            let report = try libraryCall { () throws(JournalError) -> MemoryAudit.Report in
                try MemoryAudit(reader: JournalReader(path: journal)).verify(against: against, at: at)
            }
            let snapshot = "snapshot \(report.older.name) (after seq \(report.older.sequence))"
            try MemoryReportPrinter(journal: journal, format: format).print(report, first: "memory after seq \(report.newerSequence)", second: snapshot)
        }
    }
}

/// `dmajournal diff FILE A B`: the differing runs between two stored snapshots.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show the bytes that differ between two stored snapshots, with the ops that wrote them.",
        discussion: """
            Compares the stored chunks of snapshots A and B (the latest of each name); the \
            ops that last wrote each differing run come from a replay between the two. \
            Exit status 0 when they are equal, 1 when they differ (as diff(1)), 2 for bad \
            input, including a damaged snapshot. Each differing run names its last writers, \
            the latest few in seq order.

            EXAMPLES:
              dmajournal diff run.db before-io after-io
              dmajournal diff run.db before-io after-io --format json
            """
    )

    @Argument(help: "The journal file.")
    var journal: String

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Argument(help: "One snapshot or checkpoint name.")
    var first: String

    @Argument(help: "The other.")
    var second: String

    func run() throws {
        try CLIFailure.rendering {
            let report = try libraryCall { () throws(JournalError) -> MemoryAudit.Report in
                try MemoryAudit(reader: JournalReader(path: journal)).diff(first, second)
            }
            // Named in the order given, whichever was taken first.
            let sides = [report.older, report.newer].compactMap { $0 }
            func label(_ name: String) -> String {
                let record = sides.first { $0.name == name }
                return "snapshot \(name)" + (record.map { " (after seq \($0.sequence))" } ?? "")
            }
            try MemoryReportPrinter(journal: journal, format: format).print(report, first: label(first), second: label(second))
        }
    }
}
