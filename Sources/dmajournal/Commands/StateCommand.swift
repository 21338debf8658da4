import ArgumentParser
import DMASim
import Journal
import OpScript
import Replay
import TraceImport

/// `dmajournal state FILE --at SEQ`: the machine after an op — page table, IOTLB (stale
/// entries too), flush queues, rcache magazines, swiotlb slots, live handles — from the
/// nearest checkpoint plus replay, as rr shows a process at an event.
struct StateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Show the machine after an op: page table, IOTLB, flush queue, rcache, swiotlb slots, handles.",
        discussion: """
            Starts from the latest checkpoint at or before SEQ (op 0 without one), replays \
            forward to SEQ comparing every outcome as `replay` does, and prints each DMA \
            domain's page table (the walk of --address level by level, and the PTEs \
            --around granules either side of it; without --address the runs of PTEs), \
            its IOTLB (each entry with the op that filled it; a stale one with what it \
            still translates to, what the page table says now and the op that cleared the \
            PTE), its flush queues, its IOVA rcache magazines, the swiotlb pool's used \
            slots and the IOVA states and streaming mappings the engine holds. The first \
            line says which checkpoint the replay started from and how many ops it \
            replayed. Exit status 0; 1 when the replay diverged before SEQ (the state \
            shown is then the one after the divergent op); 2 for bad input. An imported \
            kernel trace has no recorded outcomes or checkpoints: its state is the \
            model's after the scenario `replay` runs reaches SEQ, and 1 means the model \
            disagreed with the kernel before it.

            Sections (--show, comma-separated): \(StateSection.allCases.map(\.rawValue).joined(separator: ", ")).

            EXAMPLES:
              dmajournal state run.db --at 42
              dmajournal state run.db --at 42 --address 0xffffc000 --around 2 --show page-table,iotlb
              dmajournal state run.db --at 42 --device nvme0 --show fq,rcache --format json
            """
    )

    @Argument(help: "The journal file.")
    var journal: String

    @Option(help: "Show the machine after this op (default: the last op).")
    var at: Int?

    @Option(help: "Sections to show, comma-separated (default: all).")
    var show: String?

    @Option(help: "Walk the page table for this IOVA (decimal, or 0x hex).")
    var address: String?

    @Option(help: "With --address: granules either side of it to list.")
    var around: Int = 4

    @Option(help: "Only the domain of this device.")
    var device: String?

    @Option(help: "At most this many entries per list (PTE runs, IOTLB entries, slots, handles).")
    var limit: Int = 64

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        try OptionCheck.atLeast(0, at, "--at")
        try OptionCheck.atLeast(0, around, "--around")
        try OptionCheck.atLeast(0, limit, "--limit")
    }

    func run() throws {
        try CLIFailure.rendering {
            let sections = try StateSection.parse(show)
            let request = MachineStateRequest(address: try parsedAddress(), around: UInt64(around), limit: limit, device: device)
            if try importCall({ () throws(TraceImportError) in try TraceScenario.isImported(journalPath: journal) }) {
                let (report, disagreement) = try ImportedTraceState(journal: journal, at: at).report(request)
                let printer = MachineStatePrinter(journal: journal, report: report, sections: sections)
                print(format == .json ? printer.json.text : printer.text)
                if let disagreement { throw CLIFailure.expectationFailed(disagreement + "\nthe state shown is after that op") }
                return
            }
            let reader = try libraryCall { () throws(JournalError) in try JournalReader(path: journal) }
            let report = try libraryCall { () throws(ReplayError) in try StateInspector(reader: reader).state(after: at, request) }
            let printer = MachineStatePrinter(journal: journal, report: report, sections: sections)
            print(format == .json ? printer.json.text : printer.text)
            if let divergence = report.divergence {
                throw CLIFailure.expectationFailed("\(journal): the replay diverged at seq \(divergence.sequence) "
                    + "(differs in \(divergence.differingFields.joined(separator: ", "))): the state shown is after that op, not the recorded machine's")
            }
        }
    }

    private func parsedAddress() throws -> UInt64? {
        guard let address else { return nil }
        do { return try ScriptNumber.value(of: address) } catch {
            throw CLIFailure.badInput("--address \(address): not a number (decimal, or hex after 0x)")
        }
    }
}

/// What `state --show` can pick.
enum StateSection: String, CaseIterable {
    case pageTable = "page-table"
    case iotlb
    case flushQueue = "fq"
    case rcache
    case swiotlb
    case handles

    static func parse(_ text: String?) throws -> Set<StateSection> {
        guard let text else { return Set(allCases) }
        var sections: Set<StateSection> = []
        for word in text.split(separator: ",") {
            guard let section = StateSection(rawValue: word.trimmingCharacters(in: .whitespaces)) else {
                throw CLIFailure.badInput("--show \(word): not a section (\(allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            sections.insert(section)
        }
        return sections
    }
}
