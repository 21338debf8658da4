import Foundation
import Testing

/// `dmajournal report`, end to end: one self-contained HTML file with every section.
@Suite struct ReportCommandTests {
    @Test func theReportIsOneSelfContainedPage() throws {
        let journal = try QueryCommandTests.recordQuickstart()
        let path = ExportCommandTests.temporary("report.html")
        let run = try ToolRun.run(["report", journal, "-o", path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("wrote \(path): 1 devices charted, "))
        let html = try String(contentsOfFile: path, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        for id in ["run", "totals", "occupancy", "histograms", "faults-after-unmap", "leaks", "per-device", "findings-by-class"] {
            #expect(html.contains("id=\"\(id)\""), "no section \(id)")
        }
        #expect(html.contains("<tr id=\"total-faults\"><th>device faults</th><td class=\"n\">2</td></tr>"))
        #expect(!html.contains("<script") && !html.contains("src="))
    }

    /// import-report-*.txt (fixtures/reliability): a size of 2^64 - 2 (HistogramChart's top
    /// bucket) and a range that wraps past 2^64 (IOVAAxis) used to trap. No kernel traces a
    /// range that passes 2^64, so the import now leaves those lines out, each as one
    /// not-understood line; import-report-top-of-space.txt keeps the report's arithmetic at
    /// the edge: a buffer that ends at 2^64 exactly and a map of 2^64 - 8 KiB.
    @Test(arguments: ["import-report-histogram.txt", "import-report-top-of-space.txt"])
    func extremeSizesAndAddressesMakeAReport(_ fixture: String) throws {
        let journal = ExportCommandTests.temporary("extreme.db"), path = ExportCommandTests.temporary("extreme.html")
        let imported = try ToolRun.run(["import", "fixtures/reliability/" + fixture, "--journal", journal, "--quiet"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let run = try ToolRun.run(["report", journal, "-o", path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasSuffix("</html>\n"))
    }

    /// The wrapping range of import-report-iovaaxis.txt is its only event: one line naming
    /// the file, the line and why, exit 2 (bad input), and no trap.
    @Test func aRangePastTheTopOfTheAddressSpaceIsRefusedInOneLine() throws {
        let journal = ExportCommandTests.temporary("wraps.db")
        let imported = try ToolRun.run(["import", "fixtures/reliability/import-report-iovaaxis.txt", "--journal", journal])
        #expect(imported.status == 2)
        #expect(imported.stderr.split(separator: "\n").count == 1, "\(imported.stderr)")
        #expect(imported.stderr.hasPrefix("dmajournal: fixtures/reliability/import-report-iovaaxis.txt:"))
        #expect(imported.stderr.contains("line 1: dma_alloc whose address + length pass 2^64"))
    }
}
