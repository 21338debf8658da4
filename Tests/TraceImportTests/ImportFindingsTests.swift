import Testing
@testable import TraceImport

/// What the checker reports on imported streams: the import runs the trace on the engine,
/// so these are the engine's dma-debug rules (kernel/dma/debug.c `check_unmap`,
/// `check_sync`), the same ones a simulation gets, not a copy of them.
@Suite struct ImportFindingsTests {
    static let prefix = "     kworker/0:1-42      [000] ..... "

    /// The (seq, class, handle) findings of a trace given as `timestamp: event: fields` lines.
    static func findings(_ events: [String]) throws -> [[String]] {
        let text = events.enumerated().map { "\(prefix)\(100 + $0.offset).000000: \($0.element)" }.joined(separator: "\n")
        let (journal, _) = try ImportFixture.importing(text: text)
        return try ImportFixture.rows(journal, "SELECT seq, class, handle FROM findings ORDER BY seq, idx")
    }

    static let map = "dma_map_page: 0000:01:00.0 dir=FROM_DEVICE dma_addr=ffff0000 size=4096 phys_addr=2000000 attrs="
    static let unmap = "dma_unmap_page: 0000:01:00.0 dir=FROM_DEVICE dma_addr=ffff0000 size=4096 attrs="

    @Test func aCleanMapSyncUnmapHasNoFinding() throws {
        #expect(try Self.findings([Self.map, "dma_sync_single_for_cpu: 0000:01:00.0 dir=FROM_DEVICE dma_addr=ffff0100 size=256", Self.unmap]).isEmpty)
    }

    /// An unmap of a mapping the trace never showed made: made before the trace began, as
    /// far as the trace can tell, so the simulation maps it first and nothing is wrong.
    @Test func unmapOfAMappingOlderThanTheTraceIsNoFinding() throws {
        let text = "\(Self.prefix)100.000000: \(Self.unmap)"
        let (journal, summary) = try ImportFixture.importing(text: text)
        #expect(try ImportFixture.rows(journal, "SELECT count(*) FROM findings") == [["0"]])
        #expect(summary.assumptions.contains { $0.hasPrefix("1 mapping(s) or state(s) the trace never showed made") })
    }

    /// The lines are a second apart, but nothing shows the flush-queue timer the first
    /// unmap armed (lazy, the x86 default) ran, so the import journals no `flush`: the
    /// second unmap is seq 2, and finds nothing mapped whether or not the timer ran.
    @Test func unmapOfAnAddressAlreadyUnmapped() throws {
        #expect(try Self.findings([Self.map, Self.unmap, Self.unmap]) == [["2", "unmap-not-mapped", "m1"]])
    }

    @Test func unmapWithAnotherSizeOrDirection() throws {
        let findings = try Self.findings([Self.map, "dma_unmap_page: 0000:01:00.0 dir=TO_DEVICE dma_addr=ffff0000 size=2048 attrs="])
        #expect(findings == [["1", "unmap-size-mismatch", "m1"], ["1", "unmap-direction-mismatch", "m1"]])
    }

    /// A mapping is another device's business: the same address unmapped on another device
    /// is another mapping (older than the trace), and the first one is still mapped.
    @Test func mappingsAreKeptPerDevice() throws {
        let text = [Self.map, "dma_unmap_page: 0000:02:00.0 dir=FROM_DEVICE dma_addr=ffff0000 size=4096 attrs="]
            .enumerated().map { "\(Self.prefix)\(100 + $0.offset).000000: \($0.element)" }.joined(separator: "\n")
        let (journal, _) = try ImportFixture.importing(text: text)
        #expect(try ImportFixture.rows(journal, "SELECT handle, device FROM op_log WHERE kind = 'unmap'") == [["u1", "0000:02:00.0"]])
        #expect(try ImportFixture.rows(journal, "SELECT count(*) FROM findings") == [["0"]])
    }

    @Test func syncRulesFollowDMADebug() throws {
        let findings = try Self.findings([
            Self.map,
            "dma_sync_single_for_device: 0000:01:00.0 dir=TO_DEVICE dma_addr=ffff0000 size=4096",
            "dma_sync_single_for_cpu: 0000:01:00.0 dir=TO_DEVICE dma_addr=ffff0f00 size=512",
            Self.unmap,
            "dma_sync_single_for_cpu: 0000:01:00.0 dir=FROM_DEVICE dma_addr=ffff0000 size=4096",
        ])
        #expect(findings == [
            ["1", "sync-direction-mismatch", "m1"], ["1", "sync-write-only-for-device", "m1"],
            ["2", "sync-out-of-range", "m1"], ["2", "sync-direction-mismatch", "m1"],
            ["4", "sync-not-mapped", "m1"],
        ])
    }

    /// A sync of a mapping made before the trace began is not a finding: nothing says it is wrong.
    @Test func aSyncOfAMappingOlderThanTheTraceIsNoFinding() throws {
        #expect(try Self.findings(["dma_sync_single_for_cpu: 0000:01:00.0 dir=FROM_DEVICE dma_addr=ffff0000 size=4096"]).isEmpty)
    }

    /// One iommu:unmap may end several mappings (a scatter-gather list, a two-step state).
    @Test func anIOMMUUnmapEndsEveryMappingItCovers() throws {
        let text = """
            map: IOMMU: iova=0x00000000ffff0000 - 0x00000000ffff1000 paddr=0x0000000001000000 size=4096
            map: IOMMU: iova=0x00000000ffff1000 - 0x00000000ffff3000 paddr=0x0000000002000000 size=8192
            unmap: IOMMU: iova=0x00000000ffff0000 - 0x00000000ffff3000 size=12288 unmapped_size=12288
            """
        let (journal, _) = try ImportFixture.importing(text: text)
        let unmaps = try ImportFixture.rows(journal, "SELECT o.handle, printf('0x%x', x.address), o.length FROM op_log o JOIN ops x USING (seq) WHERE o.kind = 'unmap' ORDER BY seq")
        #expect(unmaps == [["m1", "0xffff0000", "4096"], ["m2", "0xffff1000", "8192"]])
        let spans = try ImportFixture.rows(journal, "SELECT handle, unmapped_seq FROM mapping_lifetimes ORDER BY mapped_seq")
        #expect(spans == [["m1", "2"], ["m2", "3"]])
    }

    /// `iommu_unmap` that found nothing to unmap: journaled with what the kernel said, and
    /// left out of the simulation, which has no call that unmaps nothing.
    @Test func anUnmapOfNothingIsJournaledNotRun() throws {
        let text = "unmap: IOMMU: iova=0x00000000ffff0000 - 0x00000000ffff1000 size=4096 unmapped_size=0"
        let (journal, summary) = try ImportFixture.importing(text: text)
        #expect(try ImportFixture.rows(journal, "SELECT kind, note FROM imported_log")
                == [["unmap", "the kernel unmapped 0 of 4096 bytes: nothing was mapped there"]])
        #expect(summary.assumptions.contains("1 unmap(s) the kernel says removed nothing are not run"))
    }

    /// A dma-debug warning reports; its class is the finding, its message the kernel warning.
    @Test func dmaDebugWarningsBecomeFindings() throws {
        let (journal, _) = try ImportFixture.importing([ImportFixture.trace("20-dmesg-dma-api-debug-different-size-atlantic.txt")])
        let rows = try ImportFixture.rows(journal, """
            SELECT o.kind, o.device, o.length, f.class, w.text
            FROM op_log o JOIN findings f USING (seq) JOIN warnings w USING (seq)
            """)
        #expect(rows == [["unmap", "0000:4b:00.0", "32768", "unmap-size-mismatch",
                          "DMA-API: device driver frees DMA memory with different size [device address=0x00000000fbdd0000] [map size=34816 bytes] [unmap size=32768 bytes]"]])
    }
}
