import Foundation
import Testing

/// `bisect --run` and `--until` as git-bisect users expect (issue 17 item 2).
@Suite struct BisectRunTests {
    /// 127 (command not found) stops the bisect with the reason: it once counted as
    /// "bad" and answered "seq 0" with exit 0.
    @Test func commandNotFoundStopsTheBisect() throws {
        let journal = try QueryCommandTests.recordQuickstart()
        let run = try ToolRun.run(["bisect", journal, "--run", "no-such-command-anywhere \"$1\""])
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("exited 127"))
        #expect(run.stderr.contains("command not found"))
    }

    /// Both ends are judged first: a command that calls everything bad cannot bisect.
    @Test func aCommandThatCallsTheMachineAloneBadIsRefused() throws {
        let journal = try QueryCommandTests.recordQuickstart()
        let run = try ToolRun.run(["bisect", journal, "--run", "exit 1"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("judges the machine alone"))
        #expect(run.stderr.contains("cannot tell good from bad"))
    }

    /// Each step on stderr with what is left; the same lines in --log; the script path
    /// handed over however the command spells it ($1 or $DMAJOURNAL_SCRIPT).
    @Test func stepsAreShownAndLogged() throws {
        let journal = try QueryCommandTests.recordQuickstart()
        let log = journal + ".bisect.log"
        // Bad once the prefix holds the first device write (quickstart line 21).
        let command = "grep -q '^dev-write' \"$DMAJOURNAL_SCRIPT\" && exit 1 || exit 0"
        let run = try ToolRun.run(["bisect", journal, "--run", command, "--log", log])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("first op where run '\(command)' holds: seq "))
        let steps = run.stderr.split(separator: "\n").filter { $0.hasPrefix("bisect: seq ") }
        #expect(steps.count >= 3)
        #expect(steps.allSatisfy { $0.contains(" ops left, about ") && $0.contains(" steps") })
        let logged = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(logged.first?.hasPrefix("# dmajournal bisect") == true)
        #expect(logged.last == "# done")
        #expect(logged.count == steps.count + 2)
    }

    /// Without a checkpoint before the event, --until says it scanned forward and how to
    /// make it shorter.
    @Test func untilWithoutACheckpointSaysItIsAForwardScan() throws {
        let journal = try QueryCommandTests.recordQuickstart()
        let run = try ToolRun.run(["bisect", journal, "--until", "fault"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("a forward scan: replayed "))
        #expect(run.stdout.contains("--checkpoint-every"))
    }

    @Test func jsonReportsTheAnswer() throws {
        let journal = try QueryCommandTests.recordQuickstart()
        let run = try ToolRun.run(["bisect", journal, "--until", "finding", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        #expect(object?["verdict"] as? String == "first-bad")
        #expect(object?["seq"] as? Int != nil)
        #expect((object?["context"] as? [String])?.isEmpty == false)
    }
}

/// What `record` says when a claim fails (issue 17 item 5).
@Suite struct RecordMessageTests {
    /// A late access the driver believed `ok` fails on a finding, not on data: the
    /// summary says so, and the closing line names the command that shows it.
    @Test func aFailedClaimIsNamedWithTheCommandThatShowsIt() throws {
        let journal = try BisectCommandTests.recordLateAccessWithOutput()
        #expect(journal.status == 1)
        #expect(journal.stdout.contains(" 1 failed claims (0 on data), "), "\(journal.stdout)")
        #expect(journal.stderr.contains("claimed 'ok', got '"), "\(journal.stderr)")
        #expect(journal.stderr.contains("--until mismatch"))
        #expect(!journal.stderr.contains("query the journal\n"))
        #expect(journal.stderr.split(separator: "\n").count == 1)
    }
}

/// `minimize --run` in reasonable time (issue 17 item 1: the README case took 15+
/// minutes): candidates carry only the first bad op's recorded claims, so a smaller
/// candidate is not judged "good" because an earlier op's recorded IOVA moved.
@Suite struct MinimizeRunTests {
    @Test func runShrinksToAShortReproducerWithoutStrayFiles() throws {
        let journal = RecordCommandTests.temporaryJournal()
        _ = try ToolRun.run(["record", "--workload", "nvme", "--ops", "3000", "--journal", journal, "--quiet",
                             "--iommu-mode", "lazy", "--inject", "late-access@1000"])
        let output = journal + ".repro.ops"
        let tool = TestPaths.tool.path
        let before = Set(try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix("dmajournal-candidate-") || $0.hasPrefix("dmajournal-bisect-") })
        let run = try ToolRun.run(["minimize", journal, "-o", output, "--run",
                                   "'\(tool)' run \"$1\" 2>&1 | grep -q use-after-destroy && exit 1; exit 0"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("minimize: "))
        let script = try String(contentsOfFile: output, encoding: .utf8)
        #expect(script.split(separator: "\n").filter { !$0.hasPrefix("#") }.count <= 20, "\(script)")
        #expect(script.contains("use-after-destroy"))
        let after = Set(try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix("dmajournal-candidate-") || $0.hasPrefix("dmajournal-bisect-") })
        #expect(after.subtracting(before).isEmpty, "scratch files left: \(after.subtracting(before))")
    }
}
