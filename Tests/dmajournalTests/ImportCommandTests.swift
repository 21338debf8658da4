import Foundation
import Testing
import TraceImport

/// `dmajournal import`, end to end: the summary, the skipped-lines report, the journal's
/// answers, and one line with exit status 2 for bad input.
@Suite struct ImportCommandTests {
    static func temporaryJournal() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("import-\(UUID().uuidString).db").path
    }

    static let ftrace = "fixtures/traces/constructed/use-after-unmap-ftrace.txt"
    static let dmesg = "fixtures/traces/constructed/use-after-unmap-dmesg.txt"

    @Test func importsARealTraceAndReportsWhatItSkipped() throws {
        let journal = Self.temporaryJournal()
        let run = try ToolRun.run(["import", "fixtures/traces/13-dmesg-T-amdvi-io-page-fault-ahci-asm1061-43bit.txt", "--journal", journal])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "imported 1 file, 5 lines: 3 events (3 fault) as 7 ops, 0 findings; 1 line skipped; journal \(journal)\n")
        #expect(run.stderr == """
            fixtures/traces/13-dmesg-T-amdvi-io-page-fault-ahci-asm1061-43bit.txt: 5 lines: 3 read as 3 events; 1 skipped
              1 not a DMA or IOMMU line: line 2 '[Thu Jan  4 23:12:54 2024] ahci 0000:28:00.0: Using 64-bit D…'

            """)
    }

    /// `--format json`: the same figures as the summary line, per file and in total, one
    /// object on stdout; the per-file report stays on stderr.
    @Test func jsonSummaryCountsWhatTheTextSays() throws {
        let journal = Self.temporaryJournal()
        let path = "fixtures/traces/13-dmesg-T-amdvi-io-page-fault-ahci-asm1061-43bit.txt"
        let run = try ToolRun.run(["import", path, "--journal", journal, "--format", "json", "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "{\"journal\":\"\(journal)\",\"files\":[{\"path\":\"\(path)\",\"lines\":5,\"events\":3,\"skipped\":1,"
                + "\"not_understood\":0}],\"merged_by_time\":false,\"lines\":5,\"events\":3,\"ops\":7,\"findings\":0,\"skipped\":1,"
                + "\"not_understood\":0}\n")
        #expect(run.stderr == "")
    }

    /// The acceptance: map and unmap in ftrace, the faults in dmesg; the documented
    /// query names the unmap. The other fault hit a TO_DEVICE buffer still mapped.
    @Test func faultsAfterUnmapNamesTheUnmap() throws {
        let journal = Self.temporaryJournal()
        let run = try ToolRun.run(["import", Self.ftrace, Self.dmesg, "--journal", journal, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "imported 2 files merged by time since boot, 21 lines: 7 events (2 fault, 2 map, 2 unmap, 1 sync)"
                + " as 11 ops, 2 findings; 1 line skipped; journal \(journal)\n")
        let faults = try ToolRun.run(["query", journal, "--named", "faults-after-unmap", "--format", "csv"])
        #expect(faults.stdout == """
            fault_seq,device,fault_kind,fault_address,last_handle,mapped_seq,unmapped_seq,range_iova,range_length,verdict,ops_since_unmap
            4,0000:00:14.0,not-present,4294963200,m1,0,2,4294963200,4096,after-unmap,2

            """)
        let unmap = try ToolRun.run(["query", journal, "SELECT source, line, kernel_naming, time, task, pid FROM imported_log WHERE seq = 2", "--format", "csv"])
        #expect(unmap.stdout == "source,line,kernel_naming,time,task,pid\n\(Self.ftrace),15,dma_unmap_page,312.100400,kworker/2:1,118\n")
        let findings = try ToolRun.run(["query", journal, "SELECT seq, class, handle FROM findings ORDER BY seq", "--format", "csv"])
        #expect(findings.stdout == "seq,class,handle\n4,use-after-unmap,m1\n5,direction-violation,m2\n")
    }

    /// An imported journal replays on the model (TraceReplayTests has the details); it has
    /// no checkpoints to start from.
    @Test func anImportedJournalReplaysOnTheModel() throws {
        let journal = Self.temporaryJournal()
        #expect(try ToolRun.run(["import", Self.ftrace, Self.dmesg, "--journal", journal, "--quiet"]).status == 0)
        let replay = try ToolRun.run(["replay", journal])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stdout == "7 ops of the kernel trace ran on the model, which agrees with the kernel at each one\n")
        // Up to the unmap at seq 2: the map of seq 3 and its mapping-error check stay out.
        let prefix = try ToolRun.run(["replay", journal, "--to", "2"])
        #expect(prefix.stdout == "3 ops of the kernel trace ran on the model, which agrees with the kernel at each one\n", "\(prefix.stderr)")
        let from = try ToolRun.run(["replay", journal, "--from", "auto:0"])
        #expect(from.status == 2)
        #expect(from.stderr == "dmajournal: replay: \(journal) is an imported kernel trace: it has no checkpoints to start --from\n")
    }

    @Test func aMissingFileIsBadInput() throws {
        let journal = Self.temporaryJournal()
        let run = try ToolRun.run(["import", "no/such/trace.txt", "--journal", journal])
        #expect(run.status == 2)
        #expect(run.stderr == "dmajournal: no/such/trace.txt: cannot read the file (missing, a directory, or no permission)\n")
        #expect(!FileManager.default.fileExists(atPath: journal))
    }

    @Test func aFileWithoutEventsIsBadInputAndLeavesNoJournal() throws {
        let journal = Self.temporaryJournal()
        let run = try ToolRun.run(["import", "README.md", "--journal", journal])
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("dmajournal: README.md: no DMA or IOMMU events in "))
        #expect(run.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: journal))
        #expect(!FileManager.default.fileExists(atPath: journal + ".importing"))
    }

    @Test func anExistingJournalNeedsForce() throws {
        let journal = Self.temporaryJournal()
        let first = try ToolRun.run(["import", Self.dmesg, "--journal", journal, "--quiet"])
        #expect(first.status == 0)
        let again = try ToolRun.run(["import", Self.dmesg, "--journal", journal])
        #expect(again.status == 2)
        #expect(again.stderr == "dmajournal: \(journal): already exists; refusing to overwrite it without --force\n")
        let forced = try ToolRun.run(["import", Self.dmesg, "--journal", journal, "--force", "--quiet"])
        #expect(forced.status == 0)
    }

    static func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("import-\(UUID().uuidString).txt").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Lines that look like reports but cannot be read are listed with their line numbers,
    /// even with --quiet, and counted in the summary.
    @Test func listsWhatItCouldNotUnderstand() throws {
        let log = try Self.write("""
            [   12.000001] DMAR: DRHD: handling fault status reg 3
            [   12.000002] DMAR: [DMA Read NO_PASID] Request device [00:02.0] fault addr 0x7cd80000 [fault reason 0x01] Present bit in root entry is clear
            [   12.000003] DMAR: [DMA Write NO_PASID] Request device [00:02.0]
            [   12.000004] usb 1-1: new high-speed USB device number 2 using ehci-pci

            """)
        let journal = Self.temporaryJournal()
        let run = try ToolRun.run(["import", log, "--journal", journal, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr == """
            \(log): 4 lines: 2 read as 1 event; 2 skipped, of which 1 looks like a DMA or IOMMU report but was not understood
              1 not understood: line 3 '[   12.000003] DMAR: [DMA Write NO_PASID] Request device [00…' (dmar_fault_no_pasid without a readable fault addr)

            """)
        #expect(run.stdout == "imported 1 file, 4 lines: 1 event (1 fault) as 5 ops, 0 findings; 2 lines skipped (1 not understood); journal \(journal)\n")
    }

    /// A file of IOMMU reports none of which can be read is not "no events": it says so,
    /// and imports nothing.
    @Test func aFileOfReportsNoneReadableSaysSo() throws {
        let log = try Self.write("""
            kernel: arm-smmu 15000000.iommu: Unhandled context fault: fsr=0x402, fsynr=0x7c0020, cb=7
            kernel: DMAR: [DMA Read NO_PASID] Request device [00:02.0] fault addr

            """)
        let journal = Self.temporaryJournal()
        let run = try ToolRun.run(["import", log, "--journal", journal])
        #expect(run.status == 2)
        #expect(run.stderr == "dmajournal: \(log): 2 lines look like DMA or IOMMU reports, but none could be read (line 1: arm_smmu_context_fault"
                + " without a readable iova: 'kernel: arm-smmu 15000000.iommu: Unhandled context fault: fsr=0x402, fsynr=0x7c0…'); nothing imported\n")
        #expect(!FileManager.default.fileExists(atPath: journal))
    }

    /// A log's colour codes are dropped before it is read (`TerminalEscapeLines`); the other
    /// control characters it carries (BEL, a carriage return inside the line) are spelled
    /// out, never sent to the terminal.
    @Test func echoesNoControlCharactersFromTheLog() throws {
        let log = try Self.write("\u{1b}[31mDMAR: [DMA Read] Request device [00:02.0] fault addr\u{07}\r \r\n")
        let run = try ToolRun.run(["import", log, "--journal", Self.temporaryJournal()])
        #expect(run.status == 2)
        #expect(!run.stderr.contains("\u{1b}") && !run.stderr.contains("\r") && !run.stderr.contains("\u{07}"))
        #expect(run.stderr.contains("'DMAR: [DMA Read] Request device [00:02.0] fault addr\\x07\\r '"))
    }

    /// import-parser-overflow.txt (fixtures/reliability): a WARN line with a PID past
    /// Int.max once trapped the parser. It is one line of no event: one clear line, exit 2.
    @Test func aPIDPastIntMaxDoesNotTrap() throws {
        let journal = Self.temporaryJournal()
        let run = try ToolRun.run(["import", "fixtures/reliability/import-parser-overflow.txt", "--journal", journal])
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("dmajournal: fixtures/reliability/import-parser-overflow.txt: no DMA or IOMMU events in 1 lines"))
        #expect(run.stderr.split(separator: "\n").count == 1)
        // Followed by its dma-debug message, the warning's CPU is kept and its PID dropped.
        let event = try #require(TraceText.events(in: """
            [  215.351635] WARNING: CPU: 33 PID: 0xfffffffffffff000 at kernel/dma/debug.c:988 check_unmap+4294967296/18446744073709551615
            [  215.351640] DMA-API: nvme 0000:01:00.0: device driver tries to free DMA memory it has not allocated [device address=0x0000000000001000] [size=4096 bytes]
            """).first)
        #expect(event.provenance.cpu == 33)
        #expect(event.provenance.pid == nil)
    }
}
