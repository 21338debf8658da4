import Foundation
import Testing

/// Usage errors are one line naming the subcommand and where to read more, exit 2 as for
/// any bad input, never the argument parser's multi-line usage dump and 64 (issue 21
/// item 11, issue 17 item 6): unknown options, arguments that look like options, negative
/// counts, an empty snapshot name.
@Suite struct UsageErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let arguments: [String]
        let line: String
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let cases = [
        Case(arguments: ["record", "--workload", "nvme", "--ops", "-5", "--journal", "x.db"],
             line: "dmajournal record: Missing value for '--ops <ops>' (see 'dmajournal record --help')"),
        Case(arguments: ["record", "--workload", "nvme", "--ops=-5", "--journal", "x.db"],
             line: "dmajournal record: --ops -5: must be 0 or more (see 'dmajournal record --help')"),
        Case(arguments: ["record", "--workload", "nvme", "--checkpoint-every=-1", "--journal", "x.db"],
             line: "dmajournal record: --checkpoint-every -1: must be 0 or more (0 for none) (see 'dmajournal record --help')"),
        Case(arguments: ["record", "--workload", "nvme", "--devices=0", "--journal", "x.db"],
             line: "dmajournal record: --devices 0: must be 1 or more (see 'dmajournal record --help')"),
        Case(arguments: ["record", "--workload", "nvme", "--dma-bits=65", "--journal", "x.db"],
             line: "dmajournal record: --dma-bits 65: must be 1…64 (see 'dmajournal record --help')"),
        Case(arguments: ["record", "--workload", "nvme"],
             line: "dmajournal record: Missing expected argument '--journal <journal>' (see 'dmajournal record --help')"),
        Case(arguments: ["snapshot", "x.db", "--at", "3", "--name", ""],
             line: "dmajournal snapshot: --name must not be empty (see 'dmajournal snapshot --help')"),
        Case(arguments: ["snapshot", "x.db", "--at=-3"],
             line: "dmajournal snapshot: --at -3: must be 0 or more (see 'dmajournal snapshot --help')"),
        Case(arguments: ["replay", "x.db", "--to=-5"], line: "dmajournal replay: --to -5: must be 0 or more (see 'dmajournal replay --help')"),
        Case(arguments: ["verify", "x.db", "--against", "c1", "--at=-1"],
             line: "dmajournal verify: --at -1: must be 0 or more (see 'dmajournal verify --help')"),
        Case(arguments: ["export", "x.db", "--format", "perfetto", "--from-seq=-1"],
             line: "dmajournal export: --from-seq -1: must be 0 or more (see 'dmajournal export --help')"),
        Case(arguments: ["query", "x.db", "--no-such-option"],
             line: "dmajournal query: Unknown option '--no-such-option' (see 'dmajournal query --help')"),
        Case(arguments: ["frobnicate"],
             line: "dmajournal: Unexpected argument 'frobnicate' (see 'dmajournal --help')"),
    ]

    @Test(arguments: cases)
    func aUsageErrorIsOneLine(_ usage: Case) throws {
        let run = try ToolRun.run(usage.arguments)
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr == usage.line + "\n")
    }

    @Test func helpIsStillHelp() throws {
        let run = try ToolRun.run(["snapshot", "--help"])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("OVERVIEW: Replay a journal to an op"))
    }
}
