import ArgumentParser
import Journal

/// `dmajournal query FILE "SQL"` / `--named NAME`: read-only SQL over a journal.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Ask a journal SQL questions (read-only): your own SQL or a named query.",
        discussion: """
            The journal is opened read-only: INSERT, UPDATE, DELETE, DROP, ATTACH and the \
            like fail and the file is left as it was. Views and named queries are listed \
            in docs/queries.md; `--list` prints the named ones.
            """
    )

    @Argument(help: ArgumentHelp(
        "The journal file (or several, or a glob, for a query over each with a journal column), then an SQL statement (omit with --named or --list). With --db: the SQL only.",
        valueName: "journal... sql"))
    var operands: [String] = []

    /// The store, for a query across a fleet's pushed journals (QueryCommand+Fleet).
    @Option(help: ArgumentHelp("Query a PostgreSQL fleet store instead of files (docs/fleet.md).", valueName: "url"))
    var db: String?

    @Option(name: .customLong("journal"), help: ArgumentHelp("With --db: only the journal with this id (or id prefix).", valueName: "id"))
    var journalID: String?

    @Option(name: .customLong("where"), help: ArgumentHelp("With --db: only journals whose row in `journals` meets this SQL condition, e.g. \"workload = 'nvme'\".", valueName: "condition"))
    var journalCondition: String?

    @Option(help: "Run a named query, e.g. faults-after-unmap, lifetimes, leaks, mapped-at.")
    var named: String?

    @Option(name: .customLong("param"), help: "A named query's parameter, NAME=VALUE (0x hex allowed); repeatable.")
    var parameters: [String] = []

    @Option(help: "Output format: table, csv or json.")
    var format: QueryOutputFormat = .table

    @Flag(help: "List the named queries and their parameters.")
    var list = false

    func run() throws {
        if db != nil || journalFiles.count > 1 { return try runOverManyJournals() }
        try CLIFailure.rendering {
            let values = try parsedParameters()
            let result = try libraryCall { () throws(JournalError) -> QueryResult in try answer(values) }
            print(result.formatted(as: format), terminator: "")
        }
    }

    private func answer(_ parameters: [String: SQLValue]) throws(JournalError) -> QueryResult {
        let runner = try QueryRunner(path: journal)
        if list { return try Self.listing(runner) }
        if let named { return try runner.named(named, parameters: parameters) }
        guard let sql else { throw JournalError.emptyQuery(path: journal) }
        return try runner.run(sql)
    }

    func parsedParameters() throws -> [String: SQLValue] {
        var values: [String: SQLValue] = [:]
        for parameter in parameters {
            guard let equals = parameter.firstIndex(of: "=") else {
                throw CLIFailure.badInput("--param \(parameter): expected NAME=VALUE, e.g. iova=0xffffd000")
            }
            values[String(parameter[..<equals])] = SQLValue(parsing: String(parameter[parameter.index(after: equals)...]))
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

