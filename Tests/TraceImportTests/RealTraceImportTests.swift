import Foundation
import Testing
@testable import TraceImport

/// Every sample in fixtures/traces (real traces from mailing lists, email wrapping and
/// quoting kept) imports with its events counted, and nothing in the journal is invented.
@Suite struct RealTraceImportTests {
    struct Case: CustomStringConvertible, Sendable {
        let file: String
        let lines: Int
        let skipped: Int
        /// Events per kernel naming.
        let events: [String: Int]
        var description: String { file }
    }

    static let cases: [Case] = [
        Case(file: "03-ftrace-iommu-map-high-iova-intel-gfx.txt", lines: 5, skipped: 3, events: ["iommu_map": 1]),
        Case(file: "04-ftrace-iommu-map-unmap-old-format-and-proposed-dev-field.txt", lines: 8, skipped: 2,
             events: ["iommu_map_old": 1, "iommu_unmap_old": 1, "iommu_map_dev": 1, "iommu_unmap_dev": 1]),
        Case(file: "06-dmesg-iommu-dyndbg-map-lines.txt", lines: 18, skipped: 2, events: ["iommu_map_pr_debug": 8]),
        Case(file: "08-dmesg-intel-dmar-fault-xhci-no-timestamps.txt", lines: 22, skipped: 13, events: ["dmar_fault": 2]),
        Case(file: "10-syslog-intel-dmar-fault-read-write-xhci-t450s.txt", lines: 11, skipped: 3, events: ["dmar_fault": 3]),
        Case(file: "13-dmesg-T-amdvi-io-page-fault-ahci-asm1061-43bit.txt", lines: 5, skipped: 1, events: ["amd_iommu_io_page_fault": 3]),
        Case(file: "16-dmesg-arm-smmu-context-fault-fsr-fsynr-decode-usb.txt", lines: 9, skipped: 2, events: ["arm_smmu_context_fault": 1]),
        Case(file: "18-dmesg-arm-smmu-v3-event-0x10-f_translation-atl2.txt", lines: 8, skipped: 0, events: ["arm_smmu_v3_event": 1]),
        Case(file: "20-dmesg-dma-api-debug-different-size-atlantic.txt", lines: 34, skipped: 29, events: ["dma_debug": 1]),
        Case(file: "22-dmesg-dma-api-debug-cacheline-eexist-dpaa2.txt", lines: 4, skipped: 0,
             events: ["debug_dma_dump_mappings": 2, "dma_debug": 1]),
        Case(file: "24-qemu-vtd-trace-and-guest-dmar-fault-no-pasid-format.txt", lines: 53, skipped: 17,
             events: ["dmar_fault_no_pasid": 1, "vtd_dmar_fault": 1, "vtd_dmar_translate": 9]),
        Case(file: "ftrace-ath12k-dma-free-then-io-page-fault.txt", lines: 21, skipped: 2,
             events: ["iommu_map": 1, "dma_alloc": 1, "dma_free": 1, "iommu_unmap": 1, "io_page_fault": 1]),
    ]

    @Test func everySampleHasACase() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: ImportFixture.trace(""))
            .filter { $0.hasSuffix(".txt") }.sorted()
        #expect(files == Self.cases.map(\.file).sorted())
    }

    @Test(arguments: cases) func importsWithItsEventsCounted(_ sample: Case) throws {
        let (journal, summary) = try ImportFixture.importing([ImportFixture.trace(sample.file)])
        let totals = try #require(summary.sources.first).totals
        #expect(totals.lines == sample.lines)
        #expect(totals.skipped == sample.skipped)
        #expect(totals.eventCounts == sample.events)
        #expect(totals.events == sample.events.values.reduce(0, +))
        let stored = try ImportFixture.rows(journal, "SELECT lines, events, skipped FROM import_sources")
        #expect(stored == [[String(sample.lines), String(totals.events), String(sample.skipped)]])
        let counted = try ImportFixture.rows(journal, "SELECT event, count FROM import_event_counts ORDER BY event")
        #expect(counted == sample.events.sorted { $0.key < $1.key }.map { [$0.key, String($0.value)] })
    }

    /// Every address and length an imported op holds is printed on its line (in hex or
    /// decimal): nothing is made up. Placeholders the schema forces are 0, and only where
    /// the op itself says the value is unknown (NULL).
    @Test(arguments: cases) func journalsNoInventedValues(_ sample: Case) throws {
        let (journal, summary) = try ImportFixture.importing([ImportFixture.trace(sample.file)])
        let rows = try ImportFixture.rows(journal, """
            SELECT i.raw, o.out_address, o.address, o.fault_address, o.phys, o.length
            FROM imported_ops i JOIN ops o ON o.seq = i.seq
            """)
        #expect(!rows.isEmpty)
        for row in rows {
            let raw = row[0].lowercased()
            for value in row.dropFirst() where value != "NULL" {
                let number = UInt64(bitPattern: Int64(value)!)
                let printed = raw.contains(String(number, radix: 16)) || raw.contains(String(number))
                #expect(printed, "\(sample.file): \(number) is not on its line: \(row[0])")
            }
        }
        let placeholders = try ImportFixture.rows(journal, """
            SELECT count(*) FROM mapped_ranges r JOIN ops o ON o.seq = r.seq
            WHERE (r.phys = 0 AND o.phys IS NOT NULL) OR (r.prot = 0 AND o.dir IS NOT NULL)
            """)
        #expect(placeholders == [["0"]])
        // The machine is the simulation's: what the trace did not say is the kernel's
        // default, and the import says so.
        let modes = try ImportFixture.rows(journal, "SELECT mode FROM topology WHERE kind = 'iommu'")
        let arm = sample.file.contains("arm-smmu")
        #expect(modes.isEmpty || modes == [[arm ? "strict" : "lazy"]])
        #expect(modes.isEmpty || summary.assumptions.contains { $0.hasPrefix("IOMMU mode \(arm ? "strict" : "lazy"): the default on") })
    }

    /// Imported journals declare every device they name, so the per-device and IOVA-space
    /// views cover every op.
    @Test(arguments: cases) func declaresEveryDevice(_ sample: Case) throws {
        let (journal, _) = try ImportFixture.importing([ImportFixture.trace(sample.file)])
        let undeclared = try ImportFixture.rows(journal, """
            SELECT DISTINCT n.name FROM ops o JOIN names n ON n.id = o.device
            WHERE n.kind = 'device' AND n.name NOT IN (SELECT device FROM device_domains)
            """)
        #expect(undeclared.isEmpty)
    }
}
