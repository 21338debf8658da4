import Foundation
import Testing

/// `dmajournal capture`: the parts that change nothing on this machine — the printed
/// setup, option errors, `--cleanup` with nothing to do or a live owner. (Capturing itself
/// needs root on a kernel whose tracefs is ours to change: the Capture suite runs it on a
/// fake tracefs, scripts/capture-in-lab.sh on Debian's 7.3.4 under QEMU.)
@Suite struct CaptureCommandTests {
    func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capture-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func printSetupIsAShellScriptWithTheProbesAndTheTeardown() throws {
        let run = try ToolRun.run(["capture", "--print-setup"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("#!/bin/sh\n# Printed by `dmajournal 0.1.0 capture --print-setup` (fprobe events with BTF argument names).\n"))
        #expect(run.stdout.contains("  echo 'f:dmajournal/dma_iova_link dma_iova_link dev=dev->kobj.name:string state=state:x64 addr=state->addr:x64 phys=phys:x64 offset=offset:u64 size=size:u64 dir=dir:s32 attrs=attrs:x64' >> \"$T/dynamic_events\" || refused dma_iova_link\n"))
        #expect(run.stdout.contains("  echo '-:dmajournal/dma_iova_link' >> \"$T/dynamic_events\" 2>/dev/null\n"))
        let kprobe = try ToolRun.run(["capture", "--print-setup", "--probes", "kprobe", "--arch", "aarch64", "--events", "dma"])
        #expect(kprobe.stdout.contains("echo 'p:dmajournal/dma_iova_sync dma_iova_sync dev=+0(+0(%x0)):string state=%x1:x64 addr=+0(%x1):x64 offset=%x2:u64 size=%x3:u64'"))
        #expect(!kprobe.stdout.contains("events/iommu/enable"))
    }

    @Test(arguments: [
        (["capture", "--events", "dma:bad.name"], "dmajournal: --events: 'dma:bad.name' is not SYSTEM or SYSTEM:EVENT\n"),
        (["capture", "--probes", "uprobe"], "dmajournal: --probes uprobe: expected auto, fprobe, kprobe or none\n"),
        (["capture", "--duration", "0"], "dmajournal: --duration 0.0: must be positive\n"),
        (["capture", "--print-setup", "--probes", "kprobe", "--arch", "riscv64"], "dmajournal: --arch riscv64: no argument-register table (x86_64, aarch64)\n"),
    ])
    func badOptionsAreOneLine(arguments: [String], message: String) throws {
        let run = try ToolRun.run(arguments)
        #expect(run.status == 2)
        #expect(run.stderr == message)
    }

    @Test func aDirectoryThatIsNotTracefsIsRefusedBeforeAnythingChanges() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try ToolRun.run(["capture", "--tracefs", dir.path, "--journal", dir.appendingPathComponent("c.db").path,
                                   "--state-dir", dir.path, "--", "true"])
        #expect(run.status == 2)
        #expect(run.stderr.hasSuffix("dmajournal: tracefs: \(dir.path) has no events/ directory: not a tracefs mount\n"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("capture.record").path))
    }

    @Test func cleanupWithNothingLeftSaysSo() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("instances"), withIntermediateDirectories: true)
        try "".write(to: dir.appendingPathComponent("dynamic_events"), atomically: true, encoding: .utf8)
        let run = try ToolRun.run(["capture", "--cleanup", "--tracefs", dir.path, "--state-dir", dir.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr == "cleanup: nothing of dmajournal's in \(dir.path)\n")
    }

    @Test func cleanupRefusesWhileTheCaptureIsAlive() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        // This test runner's own pid: a live process whose name holds "dmajournal".
        let record = "dmajournal-capture-record 1\npid \(getpid())\ntracefs \(dir.path)\ninstance instances/dmajournal\n"
        try record.write(to: dir.appendingPathComponent("capture.record"), atomically: true, encoding: .utf8)
        let run = try ToolRun.run(["capture", "--cleanup", "--state-dir", dir.path])
        #expect(run.status == 2)
        #expect(run.stderr == "dmajournal: capture pid \(getpid()) is still running and will clean up itself (kill -TERM \(getpid()) stops it)\n")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("capture.record").path))
    }
}
