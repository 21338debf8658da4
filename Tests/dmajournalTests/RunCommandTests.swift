import Foundation
import Testing

/// `dmajournal run`, end to end: the built binary, its exact output and exit status.
@Suite struct RunCommandTests {
    @Test func quickstartPassesAndShowsTheStaleWrite() throws {
        let run = try ToolRun.run(["run", "fixtures/scripts/quickstart.ops"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("  15  alloc s1 dev=nvme0 phys=0x100000010000 size=12K  => ok iova=0xffffc000\n"))
        // 7.3: the IOVA destroy freed comes straight back.
        #expect(run.stdout.contains("  26  alloc s2 dev=nvme0 phys=0x100000010000 size=12K  => ok iova=0xffffc000\n"))
        #expect(run.stdout.contains("  40  dev-write nvme0 addr=m1 len=4K fill=seed:5  => ok, violation use-after-unmap\n"))
        #expect(run.stdout.hasSuffix("24 ops, 2 faults, 3 findings; 19 lines with expectations, all held\n"))
    }

    @Test func aFailedExpectationExitsOneNamingLineExpectedAndActual() throws {
        let script = try temporaryScript("""
            region shm0 base=0x100000000000 size=1T kind=shared
            iommu mmu0 mode=strict
            device nvme0 iommu=mmu0 dma-bits=64 coherent
            alloc s1 dev=nvme0 phys=0x100000000000 size=4K => iova=0x1000
            alloc s2 dev=nvme0 phys=0x100000000000 size=4K => ok
            """)
        let run = try ToolRun.run(["run", "--quiet", script])
        #expect(run.status == 1)
        #expect(run.stderr == "dmajournal: \(script):4: expected 'iova=0x1000', got 'ok iova=0xfffff000'\n")
        #expect(!run.stdout.contains("alloc s2"), "the run stops at the first mismatch")
    }

    @Test func aSyntaxErrorExitsTwoWithFileLineAndColumn() throws {
        let script = try temporaryScript("region shm0 base=0x100000000000 size=1T kind=shared\nlink s1 off=0 phys=0x1000 len=4K dir=up\n")
        let run = try ToolRun.run(["run", script])
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("dmajournal: \(script):2:"))
        #expect(run.stderr.contains("expected a direction"))
        #expect(run.stderr.split(separator: "\n").count == 1)
    }

    @Test func aMissingFileAndAnUnknownDeviceAreBadInput() throws {
        let missing = try ToolRun.run(["run", "/nonexistent/x.ops"])
        #expect(missing.status == 2)
        #expect(missing.stderr == "dmajournal: /nonexistent/x.ops: cannot read the file (missing or unreadable)\n")
        let script = try temporaryScript("alloc s1 dev=ghost phys=0x1000 size=4K\n")
        let unknown = try ToolRun.run(["run", script])
        #expect(unknown.status == 2)
        #expect(unknown.stderr == "dmajournal: \(script):1: unknown device ghost\n")
    }

    @Test func jsonFormatIsOneObjectPerOp() throws {
        let run = try ToolRun.run(["run", "--format", "json", "fixtures/scripts/misuse/double-free.ops"])
        #expect(run.status == 0)
        let objects = try run.stdout.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        #expect(objects.count == 9)
        let secondDestroy = objects[6]
        #expect(secondDestroy["op"] as? String == "destroy s1 mapped=4K dir=bidirectional")
        let classes = (secondDestroy["findings"] as? [[String: Any]])?.compactMap { $0["class"] as? String }
        #expect(classes?.contains("double-free") == true)
        #expect(objects[8]["address"] as? String == "0xfffff000")
    }

    private func temporaryScript(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("dmajournal-test-\(UUID().uuidString).ops")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }
}
