import ArgumentParser

@main
struct DMAJournal: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dmajournal")
}
