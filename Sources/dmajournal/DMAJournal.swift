import ArgumentParser

/// `dmajournal`: simulate, record, replay, query and export Linux DMA through an IOMMU.
@main
struct DMAJournal: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dmajournal",
        abstract: "Simulate, record, replay and query the Linux two-step DMA API (dma_iova_*).",
        subcommands: [
            RunCommand.self, RecordCommand.self, QueryCommand.self, ReplayCommand.self, BisectCommand.self,
            MinimizeCommand.self, RecoverCommand.self, SnapshotCommand.self, VerifyCommand.self, DiffCommand.self,
            ImportCommand.self, ExportCommand.self, ReportCommand.self, OracleCommand.self,
        ]
    )
}
