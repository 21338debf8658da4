import ArgumentParser
import Export
import Journal

#if canImport(Glibc)
import Glibc
#endif

/// `dmajournal query FILE "SQL"` / `--named NAME` / `--tables` / `--schema`: read-only SQL
/// over a journal, streamed row by row.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Ask a journal SQL questions (read-only): your own SQL or a named query.",
        discussion: """
            The journal is opened read-only: INSERT, UPDATE, DELETE, DROP, ATTACH and the \
            like fail and the file is left as it was. Rows are written as SQLite produces \
            them (the table format sizes its columns on the first 1000 rows). Address, \
            digest and hash columns are integers in SQL; the table format shows them in \
            hex. Views and named queries are in docs/queries.md.

            EXAMPLES:
              dmajournal query nvme.db --tables
              dmajournal query nvme.db --schema mapping_lifetimes
              dmajournal query nvme.db "SELECT seq, class, handle FROM findings ORDER BY seq"
              dmajournal query nvme.db "SELECT * FROM mapping_spans WHERE iova > :lo" --param lo=0xffff0000 --limit 10
              dmajournal query nvme.db --named mapped-at --param iova=0xfff6f000 --param seq=50100
              dmajournal query nvme.db "SELECT * FROM ops" --format csv --timeout 5 > ops.csv
              echo "-- faults by kind
              SELECT fault_kind, count(*) FROM op_log GROUP BY 1" | dmajournal query nvme.db -
              dmajournal query 'runs/*.db' --named faults-after-unmap
              dmajournal query --db postgresql://reader@db.example/fleet --named per-device --where "workload = 'nvme'"
            """
    )

    /// The journal file, or several (or a glob) for a query over each, then the SQL:
    /// split by `journal` / `journalFiles` / `sql` (QueryCommand+Fleet).
    @Argument(help: ArgumentHelp(
        "The journal file (or several, or a quoted glob: the query runs over each, rows led by a journal column), then an SQL statement ('-' reads it from standard input; with --schema: a table or view name). With --db: the SQL only.",
        valueName: "journal... sql"))
    var operands: [String] = []

    /// The store, for a query across a fleet's pushed journals (QueryCommand+Fleet).
    @Option(help: ArgumentHelp("Query a PostgreSQL fleet store instead of files (docs/fleet.md).", valueName: "url"))
    var db: String?

    @Option(name: .customLong("journal"), help: ArgumentHelp("With --db: only the journal with this id (or id prefix).", valueName: "id"))
    var journalID: String?

    @Option(name: .customLong("where"), help: ArgumentHelp("With --db: only journals whose row in `journals` meets this SQL condition, e.g. \"workload = 'nvme'\".", valueName: "condition"))
    var journalCondition: String?

    @Option(help: "Run a named query (--list shows them), e.g. faults-after-unmap, mapping-lifetimes, mapped-at.")
    var named: String?

    @Option(name: .customLong("param"), help: "A :NAME parameter of the query (yours or a named one), NAME=VALUE (0x hex allowed); repeatable.")
    var parameters: [String] = []

    @Option(help: "Output format: table, csv or json.")
    var format: QueryOutputFormat = .table

    @Option(parsing: .unconditional, help: "Print at most N rows.")
    var limit: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("Stop the query after SECONDS (exit 124).", valueName: "seconds"))
    var timeout: Double?

    @Flag(help: "List the named queries and their parameters.")
    var list = false

    @Flag(help: "List the tables and views.")
    var tables = false

    @Flag(help: "List the columns of every table and view (or of the one named) with their declared types.")
    var schema = false

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more, not \(limit)") }
        if let timeout, !(timeout > 0) || !timeout.isFinite { throw ValidationError("--timeout must be a positive number of seconds") }
        if [list, tables, schema, named != nil].filter({ $0 }).count > 1 {
            throw ValidationError("use one of --named, --list, --tables, --schema")
        }
    }

    func run() throws {
        if db != nil || journalFiles.count > 1 { return try runOverManyJournals() }
        InterruptFlag.stopBetweenOps()
        let output = TextOutput()
        try CLIFailure.rendering {
            let values = try parsedParameters()
            let statement = try readStatement()
            let watchdog = QueryWatchdog(timeout: timeout, isInterrupted: { InterruptFlag.isRaised })
            do {
                try libraryCall { () throws(JournalError) in try answer(statement, values, watchdog, output) }
            } catch {
                output.flush()
                switch watchdog.stopReason {
                case .interrupted?: throw CLIFailure.interrupted("\(journal): the query was interrupted")
                case .timeout?: throw CLIFailure.timedOut("\(journal): the query ran past its --timeout of \(timeout ?? 0) s and was stopped")
                case nil: throw error
                }
            }
            try libraryCall { () throws(ExportError) in try output.close() }
        }
    }

    private func answer(_ statement: String?, _ parameters: [String: SQLValue], _ watchdog: QueryWatchdog,
                        _ output: TextOutput) throws(JournalError) {
        let runner = try QueryRunner(path: journal, watchdog: watchdog)
        if list { return write(try Self.listing(runner), to: output) }
        if tables { return write(try runner.tables(), to: output) }
        if schema { return write(try runner.schema(of: statement), to: output) }
        let cursor: QueryCursor
        if let named {
            cursor = try runner.namedCursor(named, parameters: parameters)
        } else {
            guard let statement else { throw JournalError.emptyQuery(path: journal) }
            cursor = try runner.cursor(statement, parameters: parameters)
        }
        let writer = QueryRowWriter(columns: cursor.columns, format: format) { output.write($0) }
        var firstRowPending = true
        while writer.rowsWritten < (limit ?? Int.max), try cursor.next() {
            writer.add(cursor.values)
            // The first row (the table's first block) goes out at once, even into a pipe;
            // after that stdio's large buffer does the work.
            if firstRowPending, writer.hasWrittenRows { output.flush(); firstRowPending = false }
        }
        writer.finish()
    }

    private func write(_ result: QueryResult, to output: TextOutput) {
        output.write(result.formatted(as: format))
    }

    /// The SQL argument, or standard input for `-`.
    private func readStatement() throws -> String? {
        guard sql == "-" else { return sql }
        var text = ""
        while let line = readLine(strippingNewline: false) { text += line }
        guard !text.allSatisfy(\.isWhitespace) else { throw CLIFailure.badInput("\(journal): no SQL on standard input") }
        return text
    }

    func parsedParameters() throws -> [String: SQLValue] {
        var values: [String: SQLValue] = [:]
        for parameter in parameters {
            guard let equals = parameter.firstIndex(of: "="), equals != parameter.startIndex else {
                throw CLIFailure.badInput("--param \(parameter): expected NAME=VALUE, e.g. iova=0xffffd000")
            }
            var name = String(parameter[..<equals])
            if name.hasPrefix(":") { name.removeFirst() }
            values[name] = SQLValue(parsing: String(parameter[parameter.index(after: equals)...]))
        }
        return values
    }

    private static func listing(_ runner: QueryRunner) throws(JournalError) -> QueryResult {
        let rows = try runner.namedQueries().map { query -> [SQLValue] in
            [.text(query.name), .text(query.parameters.joined(separator: ", ")), .text(query.description)]
        }
        return QueryResult(columns: ["name", "parameters", "description"], rows: rows)
    }
}

extension QueryOutputFormat: ExpressibleByArgument {}
