import ArgumentParser
import Fleet
import Foundation

/// `dmajournal push JOURNAL... --to postgresql://…`: copy journals into a fleet store.
struct PushCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Copy journals into a PostgreSQL fleet store, to query many runs together.",
        discussion: """
            Each journal goes in one transaction (binary COPY into a partition of its own, \
            attached at the end): it is in the store whole or not at all. A journal already \
            there (same journal id) is skipped, so pushing twice adds nothing. The first \
            push makes the store (schema dmajournal). Journals must be sealed (a killed \
            recording: dmajournal recover first) and of this dmajournal's schema. \
            docs/fleet.md has the details.

            EXAMPLES:
              dmajournal push nvme.db --to postgresql://ci@db.example/fleet
              dmajournal push runs/*.db --to "$DMAJOURNAL_STORE"
              dmajournal query --db postgresql://reader@db.example/fleet --named per-device --where "workload = 'nvme'"
            """
    )

    @Argument(help: "Journal files to push.")
    var journals: [String]

    @Option(help: ArgumentHelp("The store: a PostgreSQL URL (libpq's postgresql://USER@HOST:PORT/DATABASE).", valueName: "url"))
    var to: String

    @Flag(help: "Print only failures.")
    var quiet = false

    func validate() throws {
        if journals.isEmpty { throw ValidationError("name at least one journal to push") }
    }

    func run() throws {
        try CLIFailure.rendering {
            let pusher = try libraryCall { () throws(FleetError) -> JournalPusher in
                try JournalPusher(connection: PGConnection(StoreURL(to)))
            }
            var failures: [String] = []
            for path in journals {
                let start = ContinuousClock.now
                do {
                    let outcome = try libraryCall { () throws(FleetError) -> JournalPusher.Outcome in try pusher.push(path: path) }
                    if !quiet { print(Self.describe(outcome, path: path, seconds: ProgressReporter.seconds(ContinuousClock.now - start))) }
                } catch let failure as CLIFailure {
                    StandardError.write("dmajournal: \(failure.message)")
                    failures.append(path)
                    if !pusher.connection.isAlive { break }
                }
            }
            if !failures.isEmpty {
                let skipped = journals.count - journals.firstIndex(of: failures.last!)! - 1
                let rest = skipped > 0 && !pusher.connection.isAlive ? "; \(skipped) not tried after the connection was lost" : ""
                throw CLIFailure.badInput("\(failures.count) of \(journals.count) journals not pushed\(rest)")
            }
        }
    }

    static func describe(_ outcome: JournalPusher.Outcome, path: String, seconds: Double) -> String {
        switch outcome {
        case .alreadyThere(let id):
            return "\(path): journal \(id) is already in the store; nothing added"
        case .pushed(let storeID, let id, let ops, let rows, let bytes):
            let rate = seconds > 0 ? Int(Double(ops) / seconds) : 0
            return "\(path): pushed journal \(id) (store id \(storeID)): \(ops) ops, \(rows) rows, \(bytes / 1024) KiB of COPY data in \(String(format: "%.2f", seconds)) s (\(rate) ops/s)"
        }
    }
}
