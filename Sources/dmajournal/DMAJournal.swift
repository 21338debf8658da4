import ArgumentParser

/// `dmajournal`: simulate, record, replay and query Linux DMA through an IOMMU.
@main
struct DMAJournal: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dmajournal",
        abstract: "Simulate, record, replay and query the Linux two-step DMA API (dma_iova_*).",
        subcommands: [RunCommand.self, RecordCommand.self, QueryCommand.self, ReplayCommand.self,
                      SnapshotCommand.self, VerifyCommand.self, DiffCommand.self]
    )
}
