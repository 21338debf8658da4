/// The caps that keep a report's size bounded whatever the journal's length: a 10M-op
/// journal gives a file of a few MB at most. Each is per report, shared out among devices.
struct ReportLimits {
    /// Mappings drawn one rectangle each, summed over devices; past a device's share its
    /// chart switches to the occupancy grid.
    var exactSpans = 4000
    /// Grid cells summed over devices, and the most one device gets.
    var gridCells = 40_000
    var maxColumns = 240
    var maxRows = 60
    /// Faults, or findings, drawn one mark each per device before they are counted per column.
    var marksPerDevice = 200
    /// Rows shown per query table; the total is printed beside it.
    var tableRows = 50

    func exactSpans(deviceCount: Int) -> Int {
        max(100, exactSpans / max(deviceCount, 1))
    }

    /// (columns, rows) of one device's grid: 4 columns per row, within the device's share.
    func gridSize(deviceCount: Int) -> (columns: Int, rows: Int) {
        let cells = min(maxColumns * maxRows, gridCells / max(deviceCount, 1))
        let rows = max(8, min(maxRows, Int((Double(cells) / 4).squareRoot())))
        return (max(16, min(maxColumns, cells / rows)), rows)
    }
}
