/// One device's IOVA occupancy over time as an SVG: x is seq, y is the IOVA (high at the
/// top). Mappings are rectangles from map to unmap while there are few, the occupancy
/// grid's cells once there are many; faults are red marks at their address, findings
/// orange ticks in the strip above the plot.
struct TimelineChart {
    static let plotLeft = 118.0, plotTop = 26.0, plotWidth = 860.0, plotHeight = 150.0
    static let width = plotLeft + plotWidth + 12, height = plotTop + plotHeight + 34

    let timeline: DeviceTimeline

    func svg() -> SVGBuilder {
        var svg = SVGBuilder(width: Self.width, height: Self.height)
        svg.rect(x: Self.plotLeft, y: Self.plotTop, width: Self.plotWidth, height: Self.plotHeight, cssClass: "plot")
        if timeline.isExact { drawSpans(&svg) } else { drawGrid(&svg) }
        drawMarks(timeline.findings, &svg, cssClass: "finding", stripTop: 4)
        drawMarks(timeline.faults, &svg, cssClass: "fault", stripTop: 14)
        drawAxes(&svg)
        return svg
    }

    private func x(_ seq: Double) -> Double {
        Self.plotLeft + seq / Double(timeline.seqEnd) * Self.plotWidth
    }

    /// The plot's y for an axis position (the plot's y grows downwards, IOVAs upwards).
    private func y(_ position: Double) -> Double {
        Self.plotTop + Self.plotHeight - position * Self.plotHeight
    }

    private func drawSpans(_ svg: inout SVGBuilder) {
        for span in timeline.spans {
            let left = x(Double(span.mappedSeq)), right = x(Double(span.unmappedSeq ?? timeline.seqEnd))
            guard let low = timeline.axis.position(of: span.iova), let high = timeline.axis.position(of: span.iova &+ span.length) else { continue }
            let top = y(high), bottom = y(low)
            let end = span.unmappedSeq.map { "unmapped at seq \($0)" } ?? "still mapped at the end"
            let title = "\(span.handle) 0x\(String(span.iova, radix: 16)) +\(span.length) bytes: mapped at seq \(span.mappedSeq), \(end)"
            svg.rect(x: left, y: top, width: max(right - left, 1), height: max(bottom - top, 1), cssClass: "span", title: title)
        }
    }

    /// Each row of the grid as runs of cells with the same level: one rectangle per run.
    private func drawGrid(_ svg: inout SVGBuilder) {
        let grid = timeline.grid
        let cellWidth = Self.plotWidth / Double(grid.columns), cellHeight = Self.plotHeight / Double(grid.rows)
        for row in 0..<grid.rows {
            let top = Self.plotTop + Self.plotHeight - Double(row + 1) * cellHeight
            var column = 0
            while column < grid.columns {
                let level = grid.level(column: column, row: row)
                var end = column + 1
                while end < grid.columns, grid.level(column: end, row: row) == level { end += 1 }
                if level > 0 {
                    svg.rect(x: Self.plotLeft + Double(column) * cellWidth, y: top, width: Double(end - column) * cellWidth,
                             height: cellHeight, cssClass: "o\(level)")
                }
                column = end
            }
        }
    }

    /// Single marks with their labels, or one tick per column with its count.
    private func drawMarks(_ marks: TimelineMarks, _ svg: inout SVGBuilder, cssClass: String, stripTop: Double) {
        guard marks.isBinned else {
            for mark in marks.marks {
                let markX = x(Double(mark.seq) + 0.5)
                svg.line(x1: markX, y1: stripTop, x2: markX, y2: stripTop + 8, cssClass: cssClass, title: mark.label)
                if let address = mark.address, let position = timeline.axis.position(of: address) {
                    svg.circle(x: markX, y: y(position), radius: 2.5, cssClass: cssClass, title: mark.label)
                }
            }
            return
        }
        let columnWidth = Self.plotWidth / Double(marks.countPerColumn.count)
        for (column, count) in marks.countPerColumn.enumerated() where count > 0 {
            let seqs = "seq \(Self.seq(at: Double(column) / Double(marks.countPerColumn.count), of: timeline.seqEnd))…"
            svg.rect(x: Self.plotLeft + Double(column) * columnWidth, y: stripTop, width: max(columnWidth, 1), height: 8,
                     cssClass: cssClass, title: "\(count) \(cssClass)s from \(seqs)")
        }
    }

    private func drawAxes(_ svg: inout SVGBuilder) {
        let bottom = Self.plotTop + Self.plotHeight
        drawIOVALabels(&svg)
        svg.text("findings", x: Self.plotLeft - 6, y: 11, anchor: "end", cssClass: "small")
        svg.text("faults", x: Self.plotLeft - 6, y: 21, anchor: "end", cssClass: "small")
        for step in 0...4 {
            let tickX = x(Double(timeline.seqEnd) * Double(step) / 4)
            svg.line(x1: tickX, y1: bottom, x2: tickX, y2: bottom + 4, cssClass: "axis")
            svg.text("\(Self.seq(at: Double(step) / 4, of: timeline.seqEnd))", x: tickX, y: bottom + 16,
                     anchor: step == 0 ? "start" : (step == 4 ? "end" : "middle"))
        }
        svg.text("seq", x: Self.plotLeft + Self.plotWidth / 2, y: bottom + 30, anchor: "middle", cssClass: "small")
    }

    /// The seq a `fraction` of the way to `seqEnd`, computed in integers for the ends: a
    /// Double near 2^63 does not convert back (a damaged journal's last seq can be anything).
    static func seq(at fraction: Double, of seqEnd: Int64) -> Int64 {
        guard fraction > 0 else { return 0 }
        guard fraction < 1 else { return seqEnd }
        return Int64(min(Double(seqEnd) * fraction, Double(Int64.max / 2)))
    }

    /// Each segment's lowest and highest address at its edges (where there is room), and
    /// a dashed break line where the axis cuts an empty stretch.
    private func drawIOVALabels(_ svg: inout SVGBuilder) {
        let segments = timeline.axis.segments
        for (index, segment) in segments.enumerated() {
            let top = y(segment.base + segment.share), bottom = y(segment.base)
            if index > 0 {
                svg.line(x1: Self.plotLeft - 4, y1: bottom, x2: Self.plotLeft + Self.plotWidth, y2: bottom, cssClass: "break",
                         title: "axis cut: nothing mapped from 0x\(String(segments[index - 1].high, radix: 16)) to 0x\(String(segment.low, radix: 16))")
            }
            let roomy = bottom - top >= 22
            if index == segments.count - 1 || roomy {
                svg.text("0x" + String(segment.high, radix: 16), x: Self.plotLeft - 6, y: top + 9, anchor: "end")
            }
            if index == 0 || roomy {
                svg.text("0x" + String(segment.low, radix: 16), x: Self.plotLeft - 6, y: bottom, anchor: "end")
            }
        }
    }
}
