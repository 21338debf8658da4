import Foundation
import Testing

/// Usage errors are one line naming where to read more, never the argument parser's
/// multi-line usage dump (issue 21 item 11): unknown options, arguments that look like
/// options, negative counts, an empty snapshot name.
@Suite struct UsageErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let arguments: [String]
        let line: String
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let cases = [
        Case(arguments: ["record", "--workload", "nvme", "--ops", "-5", "--journal", "x.db"],
             line: "Missing value for '--ops <ops>' (see 'dmajournal record --help')"),
        Case(arguments: ["record", "--workload", "nvme", "--ops=-5", "--journal", "x.db"],
             line: "--ops -5: must be 0 or more (see 'dmajournal record --help')"),
        Case(arguments: ["record", "--workload", "nvme", "--checkpoint-every=-1", "--journal", "x.db"],
             line: "--checkpoint-every -1: must be 0 or more (0 for none) (see 'dmajournal record --help')"),
        Case(arguments: ["record", "--workload", "nvme", "--devices=0", "--journal", "x.db"],
             line: "--devices 0: must be 1 or more (see 'dmajournal record --help')"),
        Case(arguments: ["record", "--workload", "nvme", "--dma-bits=65", "--journal", "x.db"],
             line: "--dma-bits 65: must be 1…64 (see 'dmajournal record --help')"),
        Case(arguments: ["record", "--workload", "nvme"],
             line: "Missing expected argument '--journal <journal>' (see 'dmajournal record --help')"),
        Case(arguments: ["snapshot", "x.db", "--at", "3", "--name", ""],
             line: "--name must not be empty (see 'dmajournal snapshot --help')"),
        Case(arguments: ["snapshot", "x.db", "--at=-3"],
             line: "--at -3: must be 0 or more (see 'dmajournal snapshot --help')"),
        Case(arguments: ["export", "x.db", "--format", "perfetto", "--from-seq=-1"],
             line: "--from-seq -1: must be 0 or more (see 'dmajournal export --help')"),
        Case(arguments: ["query", "x.db", "--no-such-option"],
             line: "Unknown option '--no-such-option' (see 'dmajournal query --help')"),
        Case(arguments: ["frobnicate"],
             line: "Unexpected argument 'frobnicate' (see 'dmajournal --help')"),
    ]

    @Test(arguments: cases)
    func aUsageErrorIsOneLine(_ usage: Case) throws {
        let run = try ToolRun.run(usage.arguments)
        #expect(run.status == 64)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr == "dmajournal: \(usage.line)\n")
    }

    @Test func helpIsStillHelp() throws {
        let run = try ToolRun.run(["snapshot", "--help"])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("OVERVIEW: Replay a journal to an op"))
    }
}
