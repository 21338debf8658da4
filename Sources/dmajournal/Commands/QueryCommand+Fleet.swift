import ArgumentParser
import Fleet
import Foundation
import Journal

/// `dmajournal query` over many journals: a PostgreSQL store (`--db`), or several journal
/// files (`query a.db b.db …`, or a glob). Each row starts with the journal it came from.
extension QueryCommand {
    /// The journal file: the first operand (the single-journal query).
    var journal: String { journalFiles.first ?? operands.first ?? "" }

    /// The SQL: the last operand, when it is not a journal (the only operand with --db).
    var sql: String? { splitOperands.sql }

    /// The journal operands, globs expanded.
    var journalFiles: [String] { splitOperands.files }

    /// The operands split into journal files and SQL: the first operand is always a
    /// journal; each later one that names an existing file or a glob that matches files is
    /// journals too; the last, when it is neither, is the SQL.
    private var splitOperands: (files: [String], sql: String?) {
        guard db == nil else { return ([], operands.last) }
        var files: [String] = []
        for (index, operand) in operands.enumerated() {
            let matches = Self.expanded(operand)
            if !matches.isEmpty { files += matches; continue }
            if index == operands.count - 1 && index > 0 { return (files, operand) }
            files.append(operand)
        }
        return (files, nil)
    }

    /// An existing file, or the files a glob pattern matches (sorted); empty otherwise.
    static func expanded(_ operand: String) -> [String] {
        if FileManager.default.fileExists(atPath: operand) { return [operand] }
        guard operand.contains(where: { "*?[".contains($0) }) else { return [] }
        var matches = glob_t()
        defer { globfree(&matches) }
        guard glob(operand, 0, nil, &matches) == 0 else { return [] }
        return (0..<Int(matches.gl_pathc)).compactMap { matches.gl_pathv[$0].map { String(cString: $0) } }.sorted()
    }

    func runOverManyJournals() throws {
        try CLIFailure.rendering {
            if db == nil, journalID != nil || journalCondition != nil {
                throw CLIFailure.badInput("--journal and --where choose journals in a store: use them with --db")
            }
            if tables || schema { throw CLIFailure.badInput("--tables and --schema describe one journal: name one journal file") }
            if limit != nil { throw CLIFailure.badInput("--limit is for one journal file: use LIMIT in the SQL") }
            if db == nil, timeout != nil { throw CLIFailure.badInput("--timeout over several journal files is not supported: query them one at a time") }
            if sql == "-" { throw CLIFailure.badInput("SQL from standard input ('-') is for one journal file: give the SQL as an argument") }
            let parameters = try parsedParameters()
            let collector = ResultCollector()
            let handler = RowHandler.collecting(into: collector)
            if let db {
                try libraryCall { () throws(FleetError) in try answerFromStore(StoreURL(db), parameters, handler) }
            } else {
                try libraryCall { () throws(FleetError) in try answerFromFiles(parameters, handler) }
            }
            print(collector.result.formatted(as: format), terminator: "")
        }
    }

    private func answerFromStore(_ store: StoreURL, _ parameters: [String: SQLValue], _ handler: RowHandler) throws(FleetError) {
        let fleet = try FleetQuery(connection: PGConnection(store), timeoutSeconds: timeout)
        try fleet.select(journal: journalID, where: journalCondition)
        if list { return Self.listing(try fleet.namedQueries(), handler) }
        if let named { return try fleet.runNamed(named, parameters: parameters, into: handler) }
        guard let sql else { throw FleetError.parameter("\(store): give SQL, --named NAME or --list") }
        try fleet.run(sql, parameters: parameters, into: handler)
    }

    private func answerFromFiles(_ parameters: [String: SQLValue], _ handler: RowHandler) throws(FleetError) {
        let set = try JournalSetQuery(paths: journalFiles)
        if list { throw FleetError.parameter("--list: name one journal (each journal carries its own named queries)") }
        if let named { return try set.runNamed(named, parameters: parameters, into: handler) }
        guard let sql else { throw FleetError.parameter("give SQL after the journal files, or --named NAME") }
        try set.run(sql, parameters: parameters, into: handler)
    }

    private static func listing(_ queries: [NamedQuery], _ handler: RowHandler) {
        handler.columns(["name", "parameters", "description"])
        for query in queries {
            _ = handler.row([.text(query.name), .text(query.parameters.joined(separator: ", ")), .text(query.description)])
        }
    }
}
