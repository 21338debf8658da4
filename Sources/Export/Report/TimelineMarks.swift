/// Points on a device's timeline (its faults, or its findings): each one, with its label,
/// while there are at most `limit`; past that only counts per grid column, so a journal
/// with a million faults still draws a bounded number of marks.
struct TimelineMarks {
    struct Mark {
        var seq: Int64
        /// The device-side address, where the mark has one (a fault).
        var address: UInt64?
        var label: String
    }

    let limit: Int
    private(set) var marks: [Mark] = []
    private(set) var total = 0
    private(set) var countPerColumn: [Int]

    init(limit: Int, columns: Int) {
        self.limit = limit
        countPerColumn = [Int](repeating: 0, count: columns)
    }

    /// Past the limit the chart draws counts per column instead of single marks.
    var isBinned: Bool { total > limit }

    mutating func add(_ mark: Mark, column: Int) {
        total += 1
        countPerColumn[max(0, min(countPerColumn.count - 1, column))] += 1
        if total <= limit {
            marks.append(mark)
        } else if !marks.isEmpty {
            marks = []
        }
    }
}
