import ArgumentParser
import Foundation

/// `dmajournal`: simulate, record, replay, query and export Linux DMA through an IOMMU.
@main
struct DMAJournal: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dmajournal",
        abstract: "Simulate, record, replay and query the Linux two-step DMA API (dma_iova_*).",
        discussion: """
            Exit status: 0 success; 1 the run disagreed with what was expected (a failed \
            => claim, a divergence, a difference); 2 bad input or usage; 124 a --timeout \
            ran out; 128 + N stopped by signal N (130 Ctrl-C, 143 SIGTERM). `man dmajournal` \
            and docs/ have the rest.
            """,
        version: ToolVersion.current,
        subcommands: [
            RunCommand.self, RecordCommand.self, QueryCommand.self, ReplayCommand.self, BisectCommand.self,
            MinimizeCommand.self, RecoverCommand.self, SnapshotCommand.self, VerifyCommand.self, DiffCommand.self, StateCommand.self,
            ImportCommand.self, ExportCommand.self, ReportCommand.self, OracleCommand.self, CaptureCommand.self, PushCommand.self,
        ]
    )

    /// Runs the command under the tool's signal handling (`InterruptFlag`, `CrashCleanup`:
    /// no staging file outlives a signal or a trap), renders every failure as one
    /// line (`CLIFailure.exitStatus`: a usage error too, exit 2 as for every other kind of
    /// bad input) and checks standard output before exiting. SQL that begins with `--` or
    /// `-` is taken as SQL, not as an option (`CommandLineWords`).
    static func main() {
        InterruptFlag.install()
        CrashCleanup.install()
        let arguments = CommandLineWords.protectingDashedText(Array(CommandLine.arguments.dropFirst()))
        let status = CLIFailure.exitStatus {
            var command = try parseAsRoot(arguments)
            try command.run()
        }
        Foundation.exit(status)
    }
}
