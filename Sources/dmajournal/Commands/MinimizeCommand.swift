import ArgumentParser
import Export
import Foundation
import Journal
import Replay

/// `dmajournal minimize FILE --until PREDICATE -o repro.ops`.
struct MinimizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "minimize",
        abstract: "Shrink a journal to a short, self-checking op script that still shows the bug.",
        discussion: """
            Bisects to the first op where the predicate holds, then removes ops by delta \
            debugging (a handle's alloc … free first as a group, then single ops) and \
            shrinks data accesses, keeping every candidate a valid script. The output \
            runs with `dmajournal run` and passes: its => claims describe what happens, \
            violations included. Every op it keeps does what it did in the journal (same \
            status, no new finding), also with needs-sync-map on, so the reproducer keeps \
            its topology and the dma_iova_sync calls the API requires. Predicates as for \
            bisect; --run CMD judges candidate scripts (exit 1-127 except 125: the bug \
            still shows), given as the command's last argument unless it names "$1" or \
            $DMAJOURNAL_SCRIPT. Each shorter reproducer found is reported on stderr; \
            Ctrl-C writes the shortest so far and exits 130.

            EXAMPLES:
              dmajournal minimize nvme.db --until finding -o repro.ops
              dmajournal minimize nvme.db --until divergence --with iommu-mode=strict
              dmajournal minimize nvme.db --run ./still-bad.sh -o repro.ops
              dmajournal minimize nvme.db --until fault --format json
            """
    )

    @Argument(help: "The journal file.")
    var journal: String

    @OptionGroup var badRun: BadRunOptions<MinimizeCommand>

    @OptionGroup var machine: MachineChangeOptions

    @Option(name: [.short, .customLong("output")], help: "Where to write the reproducer (default: standard output).")
    var output: String?

    @Option(help: "Output format: text (the script) or json (the script and the figures in one object).")
    var format: OutputFormat = .text

    func run() throws {
        try CLIFailure.rendering {
            let predicate = try badRun.predicate()
            // A path that cannot be written is refused now, not after minutes of search.
            if let output {
                try libraryCall { () throws(OutputPathError) in _ = try OutputPath(output) }
            }
            let changes = try machine.parsed()
            try ReplayCommand.refuseImported(journal, command: "minimize")
            let reader = try libraryCall { () throws(JournalError) -> JournalReader in try JournalReader(path: journal) }
            let minimizer = try libraryCall { () throws(ReplayError) -> Minimizer in try Minimizer(reader: reader, overrides: changes) }
            InterruptFlag.stopBetweenOps()
            var progress = ProgressReporter(total: reader.opCount)
            let reproducer: Reproducer
            do throws(ReplayError) {
                reproducer = try minimizer.minimize(predicate, progress: { progress.update(done: $0 + 1) }, improved: { ops, runs in
                    progress.finish()
                    StandardError.write("minimize: \(ops) ops still show it (\(runs) candidates run)")
                }, isInterrupted: { InterruptFlag.isRaised })
            } catch {
                progress.finish()
                if case .interrupted = error { throw CLIFailure.interrupted("minimize: interrupted before the first bad op was found") }
                throw BisectCommand.failure(error)
            }
            progress.finish()
            try write(reproducer)
            if reproducer.interrupted {
                throw CLIFailure.interrupted("minimize: interrupted; kept the shortest reproducer so far (\(reproducer.opCount) ops)"
                                             + (output.map { " in \($0)" } ?? ""))
            }
        }
    }

    private func write(_ reproducer: Reproducer) throws {
        if let output {
            try exportCall { () throws(ExportError) in
                let file = try TextOutput(path: output)
                file.write(reproducer.script)
                try file.close()
            }
        }
        let summary = "minimized \(reproducer.prefixOpCount) ops (through the first bad one, seq \(reproducer.firstBad)) "
            + "to \(reproducer.opCount) in \(reproducer.candidatesRun) candidate runs" + (output.map { "; wrote \($0)" } ?? "")
        if format == .json {
            print(JSONObject([("first_bad", .int(reproducer.firstBad)), ("prefix_ops", .int(reproducer.prefixOpCount)),
                              ("ops", .int(reproducer.opCount)), ("candidates_run", .int(reproducer.candidatesRun)),
                              ("interrupted", .bool(reproducer.interrupted)), ("output", output.map(JSONValue.string) ?? .null),
                              ("script", .string(reproducer.script))]).text)
            return
        }
        if output == nil { print(reproducer.script, terminator: "") }
        StandardError.write(summary)
    }
}

extension MinimizeCommand: BadRunJudging {
    static let commandName = "minimize"
    static let runHelp = "Judge candidates with this shell command instead."
}
