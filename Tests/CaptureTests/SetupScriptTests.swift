import Foundation
import Testing
@testable import Capture

@Suite("--print-setup: a shell script that does what the tool does")
struct SetupScriptTests {
    let script = SetupScript.render(style: .fprobe, options: CaptureOptions(), toolVersion: "dmajournal test")

    @Test("sh parses it")
    func parses() throws {
        let file = NSTemporaryDirectory() + "setup-" + UUID().uuidString + ".sh"
        try script.write(toFile: file, atomically: true, encoding: .utf8)
        defer { unlink(file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-n", file]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test("it holds every probe definition and the header dmajournal import reads")
    func contents() {
        for (_, line) in ProbeDefinitions.lines(.fprobe) {
            #expect(script.contains("echo '\(line)' >> \"$T/dynamic_events\""))
        }
        #expect(script.contains("echo \"# kernel $(uname -r) |"))
        #expect(script.contains("# iommu_group ${g##*/}: type="))
        #expect(script.contains("trap 'stop; exit 143' TERM HUP"))
    }

    /// The script's setup and teardown lines, done by hand on the fake: what the printed
    /// commands do, step for step.
    func apply(_ body: String, to fake: FakeTracefs) {
        for raw in body.split(separator: "\n") {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[ -e "), let and = line.range(of: " && ") { line = String(line[and.upperBound...]) }
            let instance = "instances/dmajournal"
            if line.hasPrefix("mkdir \"$I\"") {
                try? fake.makeDirectory(instance)
            } else if line.hasPrefix("rmdir \"$I\"") {
                try? fake.removeDirectory(instance)
            } else if line.hasPrefix("echo '"), let end = line.range(of: "' >> \"$T/dynamic_events\"") {
                try? fake.append("dynamic_events", String(line[line.index(line.startIndex, offsetBy: 6)..<end.lowerBound]))
            } else if line.hasPrefix("echo "), let arrow = line.range(of: " > \"$I/") {
                let value = String(line[line.index(line.startIndex, offsetBy: 5)..<arrow.lowerBound])
                let rest = line[arrow.upperBound...]
                try? fake.write(instance + "/" + String(rest.prefix { $0 != "\"" }), value)
            }
        }
    }

    func function(_ name: String) -> String {
        let start = script.range(of: "\n\(name)() {")!.upperBound
        let end = script.range(of: "\n}\n", range: start..<script.endIndex)!.lowerBound
        return String(script[start..<end])
    }

    @Test("its setup, done on the fake tracefs, makes the tool's changes; its teardown undoes them all")
    func setupThenTeardown() throws {
        let fixture = try CaptureFixture()
        apply(function("setup"), to: fixture.fake)
        #expect(try fixture.fake.read("instances/dmajournal/events/dmajournal/enable") == "1\n")
        #expect(try fixture.fake.read("instances/dmajournal/events/dma/enable") == "1\n")
        #expect(try fixture.fake.read("instances/dmajournal/tracing_on") == "0\n")
        apply(function("teardown"), to: fixture.fake)
        #expect(fixture.changed().isEmpty)
    }
}
