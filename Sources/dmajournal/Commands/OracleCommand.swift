import ArgumentParser
import Foundation
import Oracle

/// `dmajournal oracle SCRIPT`: run an op script on a real Linux kernel (QEMU, the `edu`
/// device, oracle/module) and on the model, and print each line's outcome on both.
struct OracleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oracle",
        abstract: "Run an op script on a real Linux 7.3 kernel under QEMU and compare each line with the model.",
        discussion: """
            Boots Debian's 7.3.4 kernel (fetched and checked once, see docs/oracle.md) with \
            the script's IOMMU mode, one QEMU edu device per script device and the \
            dmaoracle module, runs every line the kernel can express and prints it beside \
            the model's outcome. Lines the kernel cannot express are listed as skipped, \
            with the reason. Exit status: 0 when every line agrees, 1 when one differs, 2 \
            for bad input or a guest that did not finish.

            EXAMPLES:
              dmajournal oracle fixtures/scripts/quickstart.ops
              dmajournal oracle fixtures/scripts/kernel/lazy-unmap-stale-iotlb.ops --plan /tmp/oracle-run
            """
    )

    @Argument(help: "The op script (see docs/op-script.md).")
    var script: String

    @Option(help: "Directory for the plan and the guest's output (default: a new one under $TMPDIR).")
    var plan: String?

    @Option(help: "Compare with this saved console.log instead of booting a guest.")
    var console: String?

    @Option(help: "The oracle harness directory (default: $DMAJOURNAL_ORACLE_DIR, else the repository's oracle/).")
    var harness: String?

    @Flag(help: "Write the plan (guest.env, commands, data.bin) and print it; boot nothing.")
    var planOnly = false

    @Flag(help: "Print only disagreements, lines not run and the summary.")
    var quiet = false

    func run() throws {
        try CLIFailure.rendering {
            let parsed = try ScriptFile.load(script)
            let session: OracleSession
            do { session = try OracleSession(script: parsed.script, fileName: parsed.fileName) } catch {
                throw CLIFailure.badInput("\(parsed.fileName): \(error)")
            }
            if let why = session.plan.scriptSkip {
                print("\(parsed.fileName): skipped: \(why)")
                return
            }
            let text: String
            if let console {
                guard let data = FileManager.default.contents(atPath: console) else {
                    throw CLIFailure.badInput("\(console): cannot read the console log")
                }
                text = String(decoding: data, as: UTF8.self)
            } else {
                let directory = try planDirectory()
                do { try session.plan.write(to: directory) } catch {
                    throw CLIFailure.toolFailure("\(directory.path): cannot write the plan: \(error)")
                }
                if planOnly {
                    printPlan(session.plan, directory)
                    return
                }
                StandardError.write("dmajournal oracle: plan in \(directory.path)")
                let dir = harness.map { URL(fileURLWithPath: $0) } ?? OracleHarness.defaultDirectory()
                do { text = try OracleHarness(directory: dir).run(plan: directory) } catch {
                    throw CLIFailure.badInput("\(error)")
                }
            }
            let result: OracleSession.Result
            do { result = try session.compare(console: text) } catch {
                throw CLIFailure.badInput("\(parsed.fileName): \(error)")
            }
            guard result.log.complete || !result.log.results.isEmpty else {
                throw CLIFailure.badInput("the console log has no dmaoracle output (did the guest boot?)")
            }
            let report = OracleReport(quiet: quiet)
            print(report.header(plan: session.plan, log: result.log, topology: result.topology), terminator: "")
            print(report.lines(result.comparison), terminator: "")
            print(report.summary(result.comparison))
            if !result.comparison.disagreements.isEmpty {
                throw CLIFailure.expectationFailed("the kernel and the model disagree on \(result.comparison.disagreements.count) lines")
            }
        }
    }

    private func planDirectory() throws -> URL {
        if let plan { return URL(fileURLWithPath: plan) }
        let base = URL(fileURLWithPath: ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp")
        return base.appendingPathComponent("dmajournal-oracle-\(ProcessInfo.processInfo.processIdentifier)")
    }

    private func printPlan(_ plan: OraclePlan, _ directory: URL) {
        print("plan in \(directory.path)")
        print(plan.guestEnvironment, terminator: "")
        print(plan.commandText, terminator: "")
        for line in plan.lines { if let why = line.skipReason { print("skip line \(line.line.lineNumber): \(why)") } }
    }
}
