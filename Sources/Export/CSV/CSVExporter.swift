#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Journal

/// `dmajournal export --format csv`: journal tables as CSV, quoted as `sqlite3 -csv`
/// quotes (RFC 4180; `CSVText`), one row written per row read.
///
/// - `exportAll(toDirectory:)`: one `NAME.csv` per `CSVTable` the journal has.
/// - `export(_:to:)`: one table to one file or standard output.
public struct CSVExporter {
    public let journalPath: String

    public init(journalPath: String) {
        self.journalPath = journalPath
    }

    /// Writes `table`; returns its row count.
    @discardableResult
    public func export(_ table: CSVTable, to output: TextOutput) throws(ExportError) -> Int {
        let runner = try QueryRunner.opening(journalPath)
        guard try has(table, runner) else {
            let version = try runner.integerValue("PRAGMA user_version") ?? 0
            throw .tableNotInJournal(path: journalPath, table: table.sourceTable, schemaVersion: Int(version))
        }
        let count = try write(table, from: runner, to: output)
        try output.close()
        return count
    }

    /// Writes every table the journal has into `directory` (created if missing, one level);
    /// returns each table written with its row count.
    public func exportAll(toDirectory directory: String) throws(ExportError) -> [(table: CSVTable, rows: Int)] {
        let runner = try QueryRunner.opening(journalPath)
        try Self.makeDirectory(directory)
        var written: [(table: CSVTable, rows: Int)] = []
        for table in CSVTable.all where try has(table, runner) {
            let output = try TextOutput(path: directory + "/" + table.name + ".csv")
            written.append((table, try write(table, from: runner, to: output)))
            try output.close()
        }
        return written
    }

    private func write(_ table: CSVTable, from runner: QueryRunner, to output: TextOutput) throws(ExportError) -> Int {
        let rows = try runner.rows(table.sql)
        output.write(CSVText.header(rows.columns))
        var count = 0
        while try rows.advance() {
            output.write(CSVText.row(rows.values))
            count += 1
        }
        return count
    }

    private func has(_ table: CSVTable, _ runner: QueryRunner) throws(ExportError) -> Bool {
        let sql = "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '\(table.sourceTable)'"
        return try runner.integerValue(sql) == 1
    }

    private static func makeDirectory(_ path: String) throws(ExportError) {
        if TextOutput.isDirectory(path) { return }
        if TextOutput.exists(path) { throw .cannotWrite(path: path, reason: "exists and is not a directory") }
        guard mkdir(path, 0o755) == 0 else { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
    }
}
