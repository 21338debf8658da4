import Foundation
import Journal
import Testing
@testable import Export

/// CSV files hold exactly the rows the journal's views return, quoted like `sqlite3 -csv`.
@Suite struct CSVExporterTests {
    @Test func aDirectoryGetsOneFilePerTable() throws {
        let journal = try TestJournal.record(TestJournal.twoDevices)
        let directory = TestJournal.temporaryPath("csv")
        let written = try CSVExporter(journalPath: journal).exportAll(toDirectory: directory)
        #expect(written.map(\.table.name) == CSVTable.all.map(\.name))
        let runner = try QueryRunner(path: journal)
        for (table, rows) in written {
            let text = try String(contentsOfFile: directory + "/" + table.name + ".csv", encoding: .utf8)
            let expected = try runner.run(table.sql)
            #expect(text == expected.formatted(as: .csv), "\(table.name).csv")
            #expect(rows == expected.rows.count)
        }
        #expect(written.first { $0.table.name == "ops" }?.rows == 26)
    }

    /// Messages hold quotes and commas: RFC 4180 quoting doubles the quote.
    @Test func fieldsWithQuotesAndCommasAreQuoted() throws {
        let journal = try TestJournal.record(TestJournal.twoDevices)
        let path = TestJournal.temporaryPath("findings.csv")
        try CSVExporter(journalPath: journal).export(try CSVTable.named("findings"), to: try TextOutput(path: path))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("seq,idx,op,device,class,handle,message\n"))
        #expect(text.contains(",\"device access against the mapping's direction: IOMMU permission fault\"\n"))
        #expect(CSVText.field("say \"hi\", twice") == "\"say \"\"hi\"\", twice\"")
        #expect(CSVText.row([.null, .text(""), .integer(-3)]) == ",\"\",-3\n")
    }

    /// docs/export.md lists every table the export writes.
    @Test func theDocsListEveryTable() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/export.md"), encoding: .utf8)
        let missing = CSVTable.all.map(\.name).filter { !text.contains("| `\($0).csv` |") }
        #expect(missing == [], "docs/export.md lacks \(missing)")
    }

    @Test func anUnknownTableNamesTheKnownOnes() {
        #expect(throws: ExportError.unknownTable(name: "opz", known: CSVTable.all.map(\.name))) { try CSVTable.named("opz") }
    }
}
