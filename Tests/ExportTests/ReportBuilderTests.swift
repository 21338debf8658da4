import Foundation
import Journal
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Export

/// The report: well-formed (the whole page and each SVG parse as XML), every section
/// present, and its numbers equal to the SQL counts they summarise.
@Suite struct ReportBuilderTests {
    static func report(_ journal: String, limits: ReportLimits = ReportLimits()) throws -> String {
        let path = TestJournal.temporaryPath("report.html")
        var builder = ReportBuilder(journalPath: journal)
        builder.limits = limits
        _ = try builder.write(to: try TextOutput(path: path))
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test func thePageAndEverySVGAreWellFormed() throws {
        let html = try Self.report(try TestJournal.record(TestJournal.twoDevices))
        let page = try XMLPage(html)
        #expect(page.elements["svg"]?.count == 4)  // two timelines, two histograms
        for svg in Self.svgFragments(html) {
            #expect(try XMLPage(svg).elements["svg"]?.count == 1)
        }
        // Self-contained: no script, nothing loaded; the only URLs are XML namespaces.
        #expect(!html.contains("<script"))
        #expect(!html.contains("src="))
        #expect(html.components(separatedBy: "http").count == html.components(separatedBy: "xmlns=\"http").count)
    }

    @Test func everySectionIsThere() throws {
        let page = try XMLPage(try Self.report(try TestJournal.record(TestJournal.twoDevices)))
        for id in ["run", "totals", "occupancy", "histograms", "faults-after-unmap", "leaks", "per-device", "findings-by-class"] {
            #expect(page.attributes(ofID: id) != nil, "no section \(id)")
        }
    }

    @Test func theNumbersAreTheJournalsCounts() throws {
        let journal = try TestJournal.record(TestJournal.twoDevices)
        let runner = try QueryRunner(path: journal)
        let page = try XMLPage(try Self.report(journal))
        for total in ReportData.totalQueries {
            #expect(page.text(ofID: "total-\(total.id)") == String(try runner.integer(total.sql) ?? -1), "\(total.id)")
        }
        let rows = ["faults-after-unmap": "SELECT count(*) FROM fault_history WHERE verdict = 'after-unmap'", "leaks": "SELECT count(*) FROM leaks",
                    "per-device": "SELECT count(*) FROM per_device", "findings-by-class": "SELECT count(DISTINCT class) FROM findings"]
        for (id, sql) in rows {
            #expect(page.attributes(ofID: id)?["data-rows"] == String(try runner.integer(sql) ?? -1), "\(id)")
        }
        #expect(page.attributes(ofID: "faults-after-unmap")?["data-rows"] == "1")
        let perDevice = try runner.run("""
            SELECT d.name, count(*) FROM mapped_ranges r JOIN ops o ON o.seq = r.seq JOIN names d ON d.id = o.device GROUP BY d.name
            """).rows.map { "\($0[0].text)=\($0[1].text)" }
        let figures = page.figures.map { "\($0["data-device"] ?? "")=\($0["data-spans"] ?? "")" }
        #expect(figures.sorted() == perDevice.sorted())
        #expect(page.attributes(ofID: "size-histogram")?["data-total"] == String(try runner.integer("SELECT count(*) FROM mapped_ranges") ?? -1))
    }

    /// Text from the journal is escaped: a source name with markup stays text.
    @Test func journalTextIsEscaped() throws {
        let run = RunInfo(toolVersion: "0.0.0-test", source: "<script>alert('x')</script> & \"more\"", createdAt: "2026-11-01T12:00:00Z")
        let html = try Self.report(try TestJournal.record(TestJournal.twoDevices, run: run))
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;more&quot;"))
        #expect(try XMLPage(html).elements["h1"]?.count == 1)
    }

    /// Past its share of mappings a device is drawn as a grid, and the element count
    /// stays under the caps however many mappings there are.
    @Test func manyMappingsBecomeABoundedGrid() throws {
        let journal = try TestJournal.record(TestJournal.overlapping(count: 300))
        var limits = ReportLimits()
        limits.exactSpans = 50
        limits.gridCells = 400
        limits.marksPerDevice = 10
        let html = try Self.report(journal, limits: limits)
        let page = try XMLPage(html)
        #expect(page.figures.first?["data-spans"] == "300")
        #expect(html.contains("occupancy grid"))
        let rects = page.elements["rect"]?.count ?? 0
        #expect(rects > 0 && rects < 400 + 100)
        let few = try XMLPage(try Self.report(journal))
        #expect(few.elements["title"]?.count ?? 0 >= 300)  // every mapping drawn with its tooltip
    }

    /// The "what went wrong" box comes first, counts each kind of problem as SQL does,
    /// and every link in it points at an element of the page.
    @Test func theProblemsBoxComesFirstAndLinksToTheRows() throws {
        let journal = try TestJournal.record(TestJournal.twoDevices)
        let runner = try QueryRunner(path: journal)
        let html = try Self.report(journal)
        let page = try XMLPage(html)
        let box = try #require(page.attributes(ofID: ProblemsBox.id))
        #expect(box["class"] == "problems trouble")
        #expect(html.range(of: "id=\"\(ProblemsBox.id)\"")!.lowerBound < html.range(of: "id=\"run\"")!.lowerBound)
        let counts = Dictionary(uniqueKeysWithValues: (page.elements["div"] ?? []).compactMap { div in
            div["data-group"].map { ($0, div["data-count"] ?? "") }
        })
        #expect(counts["faults"] == String(try runner.integer("SELECT count(*) FROM ops WHERE fault_kind IS NOT NULL") ?? -1))
        #expect(counts["findings"] == String(try runner.integer("SELECT count(*) FROM findings") ?? -1))
        #expect(counts["faults"] == "3")
        let ids = Set((page.elements.values.joined()).compactMap { $0["id"] })
        let targets = (page.elements["a"] ?? []).compactMap { $0["href"] }.filter { $0.hasPrefix("#") }.map { String($0.dropFirst()) }
        #expect(!targets.isEmpty)
        #expect(targets.filter { !ids.contains($0) } == [])
        #expect(targets.contains("fault-11"))  // the use after unmap, linked to its row
    }

    /// One device behind a strict IOMMU with one checked streaming mapping, m1.
    static let oneMapping = """
        region shm0 base=0x100000000000 size=1T kind=shared
        iommu  mmu0 mode=strict
        device nvme0 iommu=mmu0 dma-bits=64 coherent
        map    m1 dev=nvme0 phys=0x100000000000 len=4K dir=to-device
        mapping-error m1

        """

    /// One line per finding class stands for all its findings: two uses after unmap are
    /// one line, with no "and 1 more".
    @Test func aFindingClassLineCoversItsFindings() throws {
        let html = try Self.report(try TestJournal.record(Self.oneMapping + """
            unmap  m1 len=4K dir=to-device
            dev-read nvme0 addr=m1 len=4K
            dev-read nvme0 addr=m1 len=4K
            """))
        let box = html.components(separatedBy: "data-group=\"findings\"")[1].components(separatedBy: "</div>")[0]
        #expect(box.contains("data-count=\"2\""))
        #expect(box.contains("use-after-unmap ×2"))
        #expect(!box.contains("more"))
    }

    @Test func aCleanRunSaysNothingWentWrong() throws {
        let html = try Self.report(try TestJournal.record(Self.oneMapping + """
            dev-read nvme0 addr=m1 len=4K
            unmap  m1 len=4K dir=to-device
            """))
        #expect(try XMLPage(html).attributes(ofID: ProblemsBox.id)?["class"] == "problems clean")
        #expect(html.contains("<p>Nothing:"))
    }

    /// A recording that never finished says so at the top.
    @Test func anUnfinishedRecordingIsNamedInTheBox() throws {
        let html = try Self.report(try TestJournal.record(TestJournal.twoDevices, finish: false))
        #expect(try XMLPage(html).attributes(ofID: ProblemsBox.id)?["class"] == "problems trouble")
        #expect(html.contains("<p class=\"stop\">Recording:"))
    }

    /// Ops with the kernel's clock: the charts' x axis and the tables' time column read
    /// it in seconds since boot, as ftrace prints it.
    @Test func kernelTimeIsTheAxisAndATableColumn() throws {
        let html = try Self.report(try TestJournal.record(PerfettoExporterTests.timedScript))
        #expect(html.contains("kernel time, seconds since boot"))
        #expect(html.contains("12.200000"))  // the fault's time in the faults table
        #expect(!html.contains(">seq (op order)<"))
    }

    static func svgFragments(_ html: String) -> [String] {
        html.components(separatedBy: "<svg ").dropFirst().map { "<svg " + $0.components(separatedBy: "</svg>")[0] + "</svg>" }
    }
}

/// A page read with `XMLParser`: elements by name with their attributes, and the text of
/// elements with an id.
final class XMLPage: NSObject, XMLParserDelegate {
    private(set) var elements: [String: [[String: String]]] = [:]
    private var textByID: [String: String] = [:]
    private var openIDs: [String?] = []

    init(_ text: String) throws {
        super.init()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = self
        guard parser.parse() else { throw parser.parserError ?? CocoaError(.coderReadCorrupt) }
    }

    var figures: [[String: String]] { (elements["figure"] ?? []).filter { $0["data-device"] != nil } }

    func attributes(ofID id: String) -> [String: String]? {
        elements.values.joined().first { $0["id"] == id }
    }

    /// The text inside the element with this id, trimmed; in a row, the text from its
    /// last `<td>` on (a totals row's value without its label).
    func text(ofID id: String) -> String? {
        textByID[id].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements[name, default: []].append(attributes)
        openIDs.append(attributes["id"])
        if let id = attributes["id"] { textByID[id] = "" }
        // A totals row's value is its <td>: restart the text there.
        if name == "td", let id = openIDs.compactMap({ $0 }).last { textByID[id] = "" }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        openIDs.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        for id in openIDs.compactMap({ $0 }) { textByID[id, default: ""] += string }
    }
}

extension SQLValue {
    var text: String {
        switch self {
        case .integer(let value): return String(value)
        case .text(let value): return value
        default: return ""
        }
    }
}
