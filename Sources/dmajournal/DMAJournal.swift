import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

/// `dmajournal`: simulate, record, replay, query and export Linux DMA through an IOMMU.
@main
struct DMAJournal: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dmajournal",
        abstract: "Simulate, record, replay and query the Linux two-step DMA API (dma_iova_*).",
        discussion: """
            Exit status: 0 success; 1 the run disagreed with what was expected (a failed \
            => claim, a divergence, a difference); 2 bad input or usage; 124 a --timeout \
            ran out; 130 interrupted (Ctrl-C). `man dmajournal` and docs/ have the rest.
            """,
        version: ToolVersion.current,
        subcommands: [
            RunCommand.self, RecordCommand.self, QueryCommand.self, ReplayCommand.self, BisectCommand.self,
            MinimizeCommand.self, RecoverCommand.self, SnapshotCommand.self, VerifyCommand.self, DiffCommand.self,
            ImportCommand.self, ExportCommand.self, ReportCommand.self, OracleCommand.self,
        ]
    )

    /// argument-parser's own `main`, with two conventions of this tool: a usage error is
    /// one line and exit 2 (as grep, diff and cmp exit 2 for trouble, and as this tool
    /// exits 2 for every other kind of bad input) rather than several lines and sysexits'
    /// 64; and SQL that begins with `--` or `-` is taken as SQL, not as an option.
    static func main() {
        let arguments = CommandLineWords.protectingDashedText(Array(CommandLine.arguments.dropFirst()))
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            let code = exitCode(for: error)
            guard code == .validationFailure else { exit(withError: error) }
            let name = CommandLineWords.subcommandName(in: arguments, of: configuration.subcommands.map { $0._commandName })
            let prefix = "dmajournal" + (name.map { " " + $0 } ?? "")
            StandardError.write("\(prefix): \(message(for: error)) (see '\(prefix) --help')")
            Glibc.exit(2)
        }
    }
}
