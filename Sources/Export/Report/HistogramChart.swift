/// A `Log2Histogram` as an SVG bar chart: one bar per power-of-two bucket (lower bound
/// below it, count above), plus optional extra bars such as "never unmapped".
struct HistogramChart {
    static let barWidth = 34.0, gap = 6.0, plotTop = 18.0, plotHeight = 120.0, left = 10.0

    let histogram: Log2Histogram
    /// How a bucket's lower bound is written.
    var label: (UInt64) -> String = HistogramChart.shortLabel
    var extraBars: [(label: String, count: Int)] = []

    func svg() -> SVGBuilder {
        let buckets = histogram.occupiedRange.map { bucket in
            // The top bucket, [2^63, 2^64), has no upper bound a UInt64 can hold.
            let (doubled, overflow) = bucket.lowerBound.multipliedReportingOverflow(by: 2)
            let upper = bucket.lowerBound == 0 ? "" : overflow ? " and above" : " to under \(label(doubled))"
            return (label: label(bucket.lowerBound), title: "\(label(bucket.lowerBound))\(upper): \(bucket.count)", count: bucket.count)
        }
        let bars = buckets + extraBars.map { ($0.label, "\($0.label): \($0.count)", $0.count) }
        let width = Self.left * 2 + Double(max(bars.count, 1)) * (Self.barWidth + Self.gap)
        var svg = SVGBuilder(width: width, height: Self.plotTop + Self.plotHeight + 22)
        let tallest = Double(bars.map(\.count).max() ?? 1)
        let bottom = Self.plotTop + Self.plotHeight
        for (index, bar) in bars.enumerated() {
            let height = tallest > 0 ? max(Double(bar.count) / tallest * Self.plotHeight, bar.count > 0 ? 1 : 0) : 0
            let x = Self.left + Double(index) * (Self.barWidth + Self.gap)
            svg.rect(x: x, y: bottom - height, width: Self.barWidth, height: height,
                     cssClass: index < buckets.count ? "bar" : "bar extra", title: bar.title)
            svg.text(String(bar.count), x: x + Self.barWidth / 2, y: bottom - height - 3, anchor: "middle", cssClass: "small")
            svg.text(bar.label, x: x + Self.barWidth / 2, y: bottom + 14, anchor: "middle", cssClass: "small")
        }
        return svg
    }

    /// Powers of two in K/M/G units, as op scripts write sizes: 4096 → "4K", 1048576 → "1M",
    /// 512 → "512" (bytes or ops alike).
    static func shortLabel(_ value: UInt64) -> String {
        let units = ["", "K", "M", "G", "T", "P", "E"]
        var value = value, unit = 0
        while value >= 1024, value % 1024 == 0, unit < units.count - 1 { value /= 1024; unit += 1 }
        return String(value) + units[unit]
    }
}
