import Journal

/// A query over many journal files at once, no server needed (`dmajournal query a.db
/// b.db … --named per-device`): each file is attached read-only to an in-memory
/// connection in turn (`SQLiteLane`), two at a time on two connections (`TwoLanes`), and
/// the query's rows come journal by journal in the order the files were given, every
/// row led by a `journal` column naming its file. A named query is each journal's own (it
/// carries its named_queries); one's own SQL is the same text for all.
///
/// To aim unchanged SQL at one attached journal, the tables and views it reads (after
/// FROM, JOIN, or a comma in a FROM list) are qualified with that journal's schema name;
/// the journal's views already read their own schema's tables.
public final class JournalSetQuery {
    public let paths: [String]
    /// Two lanes, or one for one file.
    private let lanes: [SQLiteLane]

    public init(paths: [String]) throws(FleetError) {
        for path in paths {
            do { _ = try JournalReader(path: path) } catch { throw .journal(error.description) }
        }
        self.paths = paths
        lanes = paths.count > 1 ? [try SQLiteLane(), try SQLiteLane()] : [try SQLiteLane()]
    }

    /// Runs the named query `name` (with `parameters`) over every journal.
    public func runNamed(_ name: String, parameters: [String: SQLValue], into handler: RowHandler) throws(FleetError) {
        try run(parameters: parameters, into: handler) { (lane, schema, path) throws(FleetError) -> String in
            let rows = try lane.rows("SELECT sql FROM \(schema).named_queries WHERE name = ?", [.text(name)])
            guard let first = rows.first, case .text(let sql) = first[0] else {
                let known = try lane.rows("SELECT name FROM \(schema).named_queries ORDER BY name").compactMap { row -> String? in
                    if case .text(let text) = row[0] { return text } else { return nil }
                }
                throw .journal("\(path): no named query '\(name)'; it has: \(known.joined(separator: ", "))")
            }
            return sql
        }
    }

    /// Runs one's own SQL over every journal.
    public func run(_ sql: String, parameters: [String: SQLValue], into handler: RowHandler) throws(FleetError) {
        try run(parameters: parameters, into: handler) { (_, _, _) throws(FleetError) -> String in sql }
    }

    private func run(parameters: [String: SQLValue], into handler: RowHandler,
                     sqlFor: (SQLiteLane, String, String) throws(FleetError) -> String) throws(FleetError) {
        var announced: [String]?
        let (paths, lanes) = (paths, lanes)
        try TwoLanes.run(count: paths.count) { (index, laneNumber) throws(FleetError) -> SQLiteLane.Answer in
            let lane = lanes[laneNumber]
            return try lane.answer(path: paths[index], parameters: parameters) { (schema, path) throws(FleetError) in
                try sqlFor(lane, schema, path)
            }
        } emit: { (index, answer) throws(FleetError) -> Bool in
            if let announced, announced != answer.columns {
                throw .journal("\(paths[index]): the query's columns here (\(answer.columns.joined(separator: ", "))) differ from \(paths[0])'s (\(announced.joined(separator: ", ")))")
            }
            if announced == nil { announced = answer.columns; handler.columns(["journal"] + answer.columns) }
            return answer.rows.allSatisfy { handler.row([.text(paths[index])] + $0) }
        }
        if announced == nil { handler.columns(["journal"]) }
    }
}
