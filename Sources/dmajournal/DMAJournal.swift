import ArgumentParser
import Foundation

/// `dmajournal`: simulate, record, replay, query and export Linux DMA through an IOMMU.
@main
struct DMAJournal: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dmajournal",
        abstract: "Simulate, record, replay and query the Linux two-step DMA API (dma_iova_*).",
        subcommands: [
            RunCommand.self, RecordCommand.self, QueryCommand.self, ReplayCommand.self, BisectCommand.self,
            MinimizeCommand.self, RecoverCommand.self, SnapshotCommand.self, VerifyCommand.self, DiffCommand.self,
            ImportCommand.self, ExportCommand.self, ReportCommand.self, OracleCommand.self, CaptureCommand.self,
        ]
    )

    /// Runs the command under the tool's signal handling (`InterruptFlag`, `CrashCleanup`:
    /// no staging file outlives a signal or a trap), renders every failure as one
    /// line (`CLIFailure.exitStatus`) and checks standard output before exiting.
    static func main() {
        InterruptFlag.install()
        CrashCleanup.install()
        let status = CLIFailure.exitStatus {
            var command = try parseAsRoot()
            try command.run()
        }
        Foundation.exit(status)
    }
}
