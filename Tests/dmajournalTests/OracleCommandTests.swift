import Foundation
import Testing

/// `dmajournal oracle`: the parts that need no QEMU (a saved guest run, the plan alone).
@Suite struct OracleCommandTests {
    @Test func aSavedRunIsComparedAgain() throws {
        let run = try ToolRun.run([
            "oracle", "fixtures/oracle/quickstart.ops", "--console", "fixtures/oracle/quickstart.console.log",
        ])
        // The model follows 7.3's dma_iova_destroy: it agrees with 7.3.4 on the stale write.
        #expect(run.status == 0, "\(run.stdout)")
        #expect(run.stdout.hasPrefix("kernel 7.3.4+deb13-amd64 under QEMU: q35, TCG, intel-iommu aw-bits=48 caching-mode=off\n"))
        #expect(run.stdout.contains("  14  agree   alloc s1 dev=nvme0 phys=0x100000010000 size=12K  => ok iova=0xffffc000\n"))
        #expect(run.stdout.contains("fixtures/oracle/quickstart.ops: 20 lines: "))
    }

    /// Large pages on Linux 7.3.4's VT-d, measured: a 4 KiB unlink at the start of a 2 MiB
    /// block takes the whole block (the device faults 1 MiB further on), one inside a block
    /// unmaps nothing (the device still reads it), each with dma-iommu's WARN — what
    /// `__unmap_range()` says and the model does.
    @Test func aPartialUnmapOfABlockAgreesWithTheKernel() throws {
        let run = try ToolRun.run([
            "oracle", "fixtures/scripts/misuse/unlink-splits-block.ops",
            "--console", "fixtures/oracle/misuse-unlink-splits-block.console.log",
        ])
        #expect(run.status == 0)
        #expect(run.stdout.contains("  13  agree   dev-read nvme0 addr=s1+0x100000 len=4K  => fault read at 0xffd00000\n"))
        #expect(run.stdout.contains("              kernel: WARNING: drivers/iommu/dma-iommu.c:2130 dma_iova_unlink\n"))
        #expect(run.stdout.hasSuffix("fixtures/scripts/misuse/unlink-splits-block.ops: 8 lines: 8 agree, 0 differ, 0 skipped, 0 not run\n"))
    }

    @Test func thePlanAloneBootsNothing() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("oracle-plan-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try ToolRun.run(["oracle", "fixtures/scripts/kernel/pci-32bit-first.ops", "--plan-only", "--plan", dir.path])
        #expect(run.status == 0)
        #expect(run.stdout.contains("9 alloc 2 0 0x0 0x1000\n"))
        #expect(run.stdout.contains("skip line 6: not mirrored: bus=platform: edu is a PCI device\n"))
        #expect(run.stdout.contains("skip line 10: device smmu-client is not mirrored: bus=platform: edu is a PCI device\n"))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("commands").path))
    }

    @Test func aScriptNothingOfWhichCanRunSaysWhy() throws {
        let run = try ToolRun.run(["oracle", "fixtures/scripts/kernel/granule-64k.ops", "--plan-only", "--plan", "/nonexistent/x"])
        #expect(run.status == 0)
        #expect(run.stdout == "fixtures/scripts/kernel/granule-64k.ops: skipped: no device the guest can mirror (granule 64K: x86 IOMMUs map 4 KiB pages)\n")
    }

    @Test func aMissingConsoleIsBadInput() throws {
        let run = try ToolRun.run(["oracle", "fixtures/scripts/quickstart.ops", "--console", "/nonexistent/console.log"])
        #expect(run.status == 2)
        #expect(run.stderr == "dmajournal: /nonexistent/console.log: cannot read the console log\n")
    }
}
