/// The report's HTML, section by section, written straight to the output. The page is
/// also well-formed XML (void elements closed, only XML's five entities), so tools and
/// tests can read it with an XML parser; every text from the journal is escaped.
struct ReportPage {
    let data: ReportData
    let journalPath: String
    /// SVG elements written so far, over every chart.
    private(set) var svgElementCount = 0

    init(data: ReportData, journalPath: String) {
        self.data = data
        self.journalPath = journalPath
    }

    mutating func write(to output: TextOutput) {
        // The tables first, so the box knows which rows it can link to.
        var anchors = Set(data.timelines.map(\.anchor) + data.tables.map(\.id) + ReportData.totalQueries.map { "total-\($0.id)" })
        let tables = data.tables.map { tableSection($0, anchors: &anchors) }
        output.write(head())
        output.write(ProblemsBox(problems: data.problems, anchors: anchors).markup())
        output.write(runSection())
        output.write(totalsSection())
        output.write(occupancySection())
        output.write(histogramSection())
        for table in tables { output.write(table) }
        let time = data.time.isKernelClock ? "Time is the kernel's clock the ops carry (seconds since boot)." : "Time is the op's seq: the ops carry no kernel time."
        output.write("<footer><p class=\"note\">Written by dmajournal report. \(time)</p></footer>\n</body>\n</html>\n")
    }

    private func head() -> String {
        let title = "dmajournal report: " + (data.run.source.isEmpty ? journalPath : data.run.source)
        let sections = [(ProblemsBox.id, "What went wrong"), ("run", "Run"), ("totals", "Totals"), ("occupancy", "IOVA occupancy"), ("histograms", "Histograms")]
            + data.tables.map { ($0.id, $0.title) }
        return """
            <!DOCTYPE html>
            <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
            <head>
            <meta charset="utf-8"/>
            <title>\(HTMLText.escape(title))</title>
            <style>
            \(ReportStyle.css)
            </style>
            </head>
            <body>
            <header><h1>\(HTMLText.escape(title))</h1><p class="sub">journal \(HTMLText.escape(journalPath))</p></header>
            <nav>\(sections.map { "<a href=\"#\($0.0)\">\(HTMLText.escape($0.1))</a>" }.joined(separator: " "))</nav>

            """
    }

    private func runSection() -> String {
        let run = data.run
        let facts: [(String, String)] = [
            ("source", run.source), ("seed", run.seed ?? "none (a script)"), ("recorded by", "dmajournal " + run.toolVersion),
            ("created at", run.createdAt), ("schema version", run.schemaVersion),
            ("recording", run.finished ? "complete" : "did not finish (killed or abandoned)"),
            ("ops", "\(run.opCount)" + (run.lastSeq.map { ", seq 0 to \($0)" } ?? "")),
        ]
        let rows = facts.map { "<tr><th>\(HTMLText.escape($0.0))</th><td>\(HTMLText.escape($0.1))</td></tr>" }.joined(separator: "\n")
        return """
            <section id="run">
            <h2>Run</h2>
            <table class="facts">
            \(rows)
            </table>
            <h3>Topology</h3>
            <pre>\(HTMLText.escape(run.topologyLines.joined(separator: "\n")))</pre>
            </section>

            """
    }

    private func totalsSection() -> String {
        let rows = data.totals.map {
            "<tr id=\"total-\($0.id)\"><th>\(HTMLText.escape($0.label))</th><td class=\"n\">\($0.value)</td></tr>"
        }
        return "<section id=\"totals\">\n<h2>Totals</h2>\n<table class=\"facts\">\n" + rows.joined(separator: "\n") + "\n</table>\n</section>\n\n"
    }

    private mutating func occupancySection() -> String {
        var html = """
            <section id="occupancy" data-devices="\(data.timelines.count)">
            <h2>IOVA occupancy over time</h2>
            <p>Per device: x is \(data.time.isKernelClock ? "the kernel's time (seconds since boot)" : "the op's seq"), y the device-side address (IOVA, or the bus address without an IOMMU) between the lowest and highest it mapped. \
            Each mapped range is a rectangle from the op that mapped it to the op that unmapped it (mapping_spans); with many mappings, the share of each cell that was mapped, darker is fuller. \
            Hover for details.</p>
            <p class="legend"><span style="background:#3b6fd4"></span>mapped <span style="background:#d32f2f"></span>fault (at its address) <span style="background:#ef8a00"></span>misuse finding</p>

            """
        if data.timelines.isEmpty { html += "<p class=\"none\">no mapped ranges</p>\n" }
        for timeline in data.timelines {
            let svg = TimelineChart(timeline: timeline).svg()
            svgElementCount += svg.elementCount
            let drawing = timeline.isExact ? "each mapping drawn" : "occupancy grid, \(timeline.grid.columns)×\(timeline.grid.rows) cells"
            let caption = "\(timeline.name): \(timeline.spanCount) mapped ranges (\(drawing)), \(timeline.faults.total) faults, \(timeline.findings.total) findings"
            html += "<figure class=\"timeline\" id=\"\(timeline.anchor)\" data-device=\"\(HTMLText.escape(timeline.name))\" data-spans=\"\(timeline.spanCount)\" "
                + "data-faults=\"\(timeline.faults.total)\" data-findings=\"\(timeline.findings.total)\">\n"
                + "<figcaption>\(HTMLText.escape(caption))</figcaption>\n"
                + svg.markup(label: "IOVA occupancy of \(timeline.name) over seq", cssClass: "timeline") + "</figure>\n"
        }
        if data.unplottedMarks > 0 {
            html += "<p class=\"note\">\(data.unplottedMarks) faults or findings on devices that mapped nothing are not drawn.</p>\n"
        }
        return html + "</section>\n\n"
    }

    private mutating func histogramSection() -> String {
        var lifetimes = HistogramChart(histogram: data.lifetimes, extraBars: data.stillMapped > 0 ? [("never", data.stillMapped)] : [])
        if data.time.isKernelClock { lifetimes.label = TimeText.duration }
        let unit = data.time.isKernelClock ? "kernel time" : "ops"
        let sizes = HistogramChart(histogram: data.sizes)
        return "<section id=\"histograms\">\n<h2>Histograms</h2>\n"
            + figure(id: "lifetime-histogram", lifetimes.svg(), total: data.lifetimes.total + data.stillMapped,
                     caption: "Mapping lifetime in \(unit), log2 buckets (each bar from the value under it to the next); 'never': still mapped at the end")
            + figure(id: "size-histogram", sizes.svg(), total: data.sizes.total, caption: "Mapped range size in bytes, log2 buckets")
            + "</section>\n\n"
    }

    private mutating func figure(id: String, _ svg: SVGBuilder, total: Int, caption: String) -> String {
        svgElementCount += svg.elementCount
        let body = total == 0 ? "<p class=\"none\">no mapped ranges</p>\n" : svg.markup(label: caption, cssClass: "histogram")
        return "<figure id=\"\(id)\" data-total=\"\(total)\">\n<figcaption>\(HTMLText.escape(caption))</figcaption>\n" + body + "</figure>\n"
    }

    private func tableSection(_ table: ReportData.QueryTable, anchors: inout Set<String>) -> String {
        "<section id=\"\(table.id)\" data-rows=\"\(table.table.totalRows)\">\n<h2>\(HTMLText.escape(table.title))</h2>\n"
            + "<p>\(HTMLText.escape(table.explanation)): \(table.table.totalRows) rows.</p>\n"
            + HTMLTable.markup(table.table, rowAnchorPrefix: table.rowAnchorPrefix, anchors: &anchors) + "</section>\n\n"
    }
}
