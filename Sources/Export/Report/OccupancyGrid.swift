/// IOVA-space occupancy of one device over time, rasterised into a fixed grid: what the
/// report draws when a device has too many mappings for a rectangle each. Each cell keeps
/// the fraction of its area (ops × bytes) that mappings covered, so memory and the SVG it
/// becomes are bounded by the grid, not by the journal.
struct OccupancyGrid {
    let columns: Int
    let rows: Int
    /// x: seq in [0, seqEnd); y: the position on the device's `IOVAAxis`, in [0, 1).
    let seqEnd: Double
    private var coverage: [Double]

    init(columns: Int, rows: Int, seqEnd: Double) {
        precondition(columns > 0 && rows > 0 && seqEnd > 0, "an empty grid")
        self.columns = columns
        self.rows = rows
        self.seqEnd = seqEnd
        coverage = [Double](repeating: 0, count: columns * rows)
    }

    /// Adds the rectangle [start, end) × [bottom, top), clipped to the grid. Row 0 is the
    /// bottom (the lowest IOVA).
    mutating func add(start: Double, end: Double, bottom: Double, top: Double) {
        let columnWidth = seqEnd / Double(columns), rowHeight = 1 / Double(rows)
        let xCells = Self.cells(from: start, to: end, origin: 0, step: columnWidth, count: columns)
        let yCells = Self.cells(from: bottom, to: top, origin: 0, step: rowHeight, count: rows)
        for (row, yFraction) in yCells {
            for (column, xFraction) in xCells {
                coverage[row * columns + column] += xFraction * yFraction
            }
        }
    }

    /// How full cell (column, row) is, quantised for drawing: 0 empty, 1 anything up to a
    /// quarter (so a 4 KiB mapping in a 1 GiB row still shows), 2, 3, 4 full. Ranges of
    /// one device rarely overlap, but the sum is capped at full all the same.
    func level(column: Int, row: Int) -> Int {
        let value = coverage[row * columns + column]
        guard value > 0 else { return 0 }
        return min(4, 1 + Int(min(value, 1) * 4 - 0.000_001))
    }

    /// The cells [from, to) touches along one axis, with the fraction of each it covers.
    private static func cells(from low: Double, to high: Double, origin: Double, step: Double, count: Int) -> [(Int, Double)] {
        guard low.isFinite, high.isFinite else { return [] }
        let first = max(0, cellIndex(((low - origin) / step).rounded(.down), count: count))
        let last = min(count - 1, cellIndex(((high - origin) / step).rounded(.up), count: count) - 1)
        guard first <= last else { return [] }
        return (first...last).compactMap { index in
            let cellLow = origin + Double(index) * step
            let overlap = min(high, cellLow + step) - max(low, cellLow)
            return overlap > 0 ? (index, overlap / step) : nil
        }
    }

    /// `value` as a cell index, clamped to -1…count first: a span whose seqs or address
    /// positions fall far outside the grid (a damaged journal) must not trap converting.
    private static func cellIndex(_ value: Double, count: Int) -> Int {
        Int(min(max(value, -1), Double(count)))
    }
}
