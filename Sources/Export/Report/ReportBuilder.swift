import Journal

/// `dmajournal report`: one self-contained HTML file about a journal (no script, no
/// network; inline CSS and SVG). It opens with what went wrong (faults, findings, failed
/// claims, injected misuse, each linked to where the page shows it), then the run and its topology, totals, each device's
/// IOVA occupancy over time with its faults and findings, histograms of mapping lifetime
/// and size, and the tables of the main queries (faults after unmap, leaks, per-device
/// totals, findings by class).
///
/// The journal is read in a fixed number of passes; `ReportLimits` caps what is drawn, so
/// the file stays a few MB for a journal of any length.
public struct ReportBuilder {
    public struct Summary: Sendable, Hashable {
        public var devicesCharted: Int
        public var svgElements: Int
    }

    public let journalPath: String
    /// Which time ops are placed at: the kernel's clock where they carry it, or op order.
    public var time: TimeBaseChoice
    var limits = ReportLimits()

    public init(journalPath: String, time: TimeBaseChoice = .automatic) {
        self.journalPath = journalPath
        self.time = time
    }

    public func write(to output: TextOutput) throws(ExportError) -> Summary {
        let runner = try QueryRunner.opening(journalPath)
        let data = try ReportData.collect(ReportQueries(runner: runner), journalPath: journalPath,
                                          timeBase: try time.timeBase(for: runner), limits: limits)
        var page = ReportPage(data: data, journalPath: journalPath)
        page.write(to: output)
        try output.close()
        return Summary(devicesCharted: data.timelines.count, svgElements: page.svgElementCount)
    }
}
