import DMASim
import Journal
import OpScript

/// What the report's "what went wrong" box says, first thing on the page: whether the
/// recording finished, the misuse injected on purpose, the first op whose recorded outcome
/// breaks the claims it was recorded with (a failed data claim; for an imported trace,
/// where the model parts from what the kernel did), the faults, the findings by class,
/// kernel warnings and ops that could not run. Each item names its op and links to where
/// the report shows it.
struct ReportProblems {
    /// One line of the box: what happened at which op, and the page anchor that shows it.
    struct Item {
        var seq: Int64
        var text: String
        var anchor: String
        /// The device whose chart shows it, if one does.
        var device: String? = nil
    }

    /// One kind of problem with how many there were and the first few.
    struct Group {
        var id: String
        var title: String
        var count: Int
        var items: [Item]
        /// How many of `count` the items stand for (one finding-class item stands for
        /// all findings of its class).
        var covered: Int? = nil

        /// Problems no item names.
        var notShown: Int { max(count - (covered ?? items.count), 0) }
    }

    /// The recording was cut short: how, else nil.
    var recordingStop: String?
    /// Why the claims pass stopped early, if it did.
    var claimsNotChecked: String?
    var groups: [Group] = []

    /// Nothing to report: the run finished and no group has anything.
    var isClean: Bool { recordingStop == nil && groups.allSatisfy { $0.count == 0 } }

    static let itemsPerGroup = 5
}

extension ReportProblems {
    /// Gathers the box from `queries` (small queries, plus one pass over the ops for the
    /// claims); `tables` are the report's tables, whose rows the items link to when shown.
    static func collect(_ queries: ReportQueries, run: ReportQueries.RunSummary, time: ReportTimeAxis,
                        claims: FailedClaims) throws(ExportError) -> ReportProblems {
        var problems = ReportProblems()
        if !run.finished || (run.ended.map { $0 != "complete" } ?? false) {
            problems.recordingStop = run.ended ?? "the recording did not finish (killed or abandoned)"
        }
        problems.claimsNotChecked = claims.stoppedBecause
        problems.groups.append(try injections(queries, time))
        problems.groups.append(Group(id: "failed-claims", title: "Outcomes that break their recorded claims", count: claims.count,
                                     items: claims.rows.prefix(itemsPerGroup).map { row in
                                         Item(seq: row.seq, text: "\(time.describe(seq: row.seq)): \(row.line) — expected \(row.expected), recorded \(row.recorded)",
                                              anchor: "claim-\(row.seq)")
                                     }))
        problems.groups.append(try faults(queries, time))
        problems.groups.append(try findings(queries, time))
        problems.groups.append(try simple(queries, time, id: "warnings", title: "Kernel warnings", anchorPrefix: "total-warnings",
                                          sql: "SELECT seq, text FROM warnings ORDER BY seq, idx"))
        problems.groups.append(try simple(queries, time, id: "rejections", title: "Ops that could not run", anchorPrefix: "total-rejections",
                                          sql: "SELECT r.seq, k.name || ': ' || r.reason FROM rejections r JOIN ops o ON o.seq = r.seq JOIN op_kind k ON k.code = o.kind ORDER BY r.seq"))
        return problems
    }

    private static func injections(_ queries: ReportQueries, _ time: ReportTimeAxis) throws(ExportError) -> Group {
        guard try queries.hasTable("injections") else { return Group(id: "injections", title: "Injected misuse", count: 0, items: []) }
        let count = Int(try queries.count("SELECT count(*) FROM injections"))
        let rows = try queries.runner.rows("""
            SELECT i.seq, i.class, i.handle, (SELECT group_concat(f.class, ', ') FROM findings f WHERE f.seq = i.seq),
                   (SELECT fk.name FROM ops o JOIN fault_kind fk ON fk.code = o.fault_kind WHERE o.seq = i.seq)
            FROM injections i ORDER BY i.seq LIMIT \(itemsPerGroup)
            """)
        var items: [Item] = []
        while try rows.advance() {
            let seq = rows.integer(at: 0) ?? 0
            let caught = [rows.text(at: 4).map { "fault \($0)" }, rows.text(at: 3)].compactMap { $0 }
            let said = caught.isEmpty ? "nothing shows at that op" : "shows as " + caught.joined(separator: ", ")
            items.append(Item(seq: seq, text: "\(time.describe(seq: seq)): \(rows.text(at: 1) ?? "?") on \(rows.text(at: 2) ?? "?") — \(said)",
                              anchor: "injection-\(seq)"))
        }
        return Group(id: "injections", title: "Injected misuse", count: count, items: items)
    }

    private static func faults(_ queries: ReportQueries, _ time: ReportTimeAxis) throws(ExportError) -> Group {
        let count = Int(try queries.count("SELECT count(*) FROM ops WHERE fault_kind IS NOT NULL"))
        let rows = try queries.runner.rows(ReportQueries.faultsSQL(limit: itemsPerGroup))
        var items: [Item] = []
        while try rows.advance() {
            let seq = rows.integer(at: 0) ?? 0
            let last = rows.text(at: 6).map { handle in
                let unmapped = rows.integer(at: 8).map { "unmapped at seq \($0)" } ?? "still mapped"
                return ", last mapped by \(handle) (seq \(rows.integer(at: 7) ?? 0), \(unmapped))"
            } ?? ""
            let text = "\(time.describe(seq: seq)): \(rows.text(at: 1) ?? "?") \(rows.text(at: 2) ?? "") fault \(rows.text(at: 3) ?? "")"
                + " at \(rows.text(at: 4) ?? "?") — \(rows.text(at: 5) ?? "")\(last)"
            items.append(Item(seq: seq, text: text, anchor: "fault-\(seq)", device: rows.text(at: 1)))
        }
        return Group(id: "faults", title: "Device faults", count: count, items: items)
    }

    /// One item per class: how often, and its first op.
    private static func findings(_ queries: ReportQueries, _ time: ReportTimeAxis) throws(ExportError) -> Group {
        let count = Int(try queries.count("SELECT count(*) FROM findings"))
        let rows = try queries.runner.rows("""
            SELECT f.class, count(*), min(f.seq),
                   (SELECT x.handle || ': ' || x.message FROM findings x WHERE x.class = f.class ORDER BY x.seq, x.idx LIMIT 1)
            FROM findings f GROUP BY f.class ORDER BY min(f.seq)
            """)
        var items: [Item] = [], covered = 0
        while try rows.advance(), items.count < itemsPerGroup {
            let seq = rows.integer(at: 2) ?? 0
            covered += Int(rows.integer(at: 1) ?? 0)
            items.append(Item(seq: seq, text: "\(rows.text(at: 0) ?? "?") ×\(rows.integer(at: 1) ?? 0), first at \(time.describe(seq: seq)): \(rows.text(at: 3) ?? "")",
                              anchor: "finding-\(seq)"))
        }
        return Group(id: "findings", title: "Misuse findings", count: count, items: items, covered: covered)
    }

    /// A count and the first rows of (seq, text).
    private static func simple(_ queries: ReportQueries, _ time: ReportTimeAxis, id: String, title: String, anchorPrefix: String,
                               sql: String) throws(ExportError) -> Group {
        let count = Int(try queries.count("SELECT count(*) FROM (\(sql))"))
        let rows = try queries.runner.rows(sql + " LIMIT \(itemsPerGroup)")
        var items: [Item] = []
        while try rows.advance() {
            let seq = rows.integer(at: 0) ?? 0
            items.append(Item(seq: seq, text: "\(time.describe(seq: seq)): \(rows.text(at: 1) ?? "")", anchor: anchorPrefix))
        }
        return Group(id: id, title: title, count: count, items: items)
    }
}

/// The ops whose recorded outcome breaks the claims they were recorded with (a workload
/// step's data claim, a script line's `=> …`, for an imported trace what the kernel did):
/// one pass over the journal's ops, keeping the first `limit`.
struct FailedClaims {
    struct Row {
        var seq: Int64
        var line: String
        var expected: String
        var recorded: String
    }

    private(set) var count = 0
    private(set) var rows: [Row] = []
    /// Why the pass stopped before the last op (an op the reader cannot rebuild, as in a
    /// journal imported from a trace, whose events need not be calls the engine takes).
    private(set) var stoppedBecause: String?

    init() {}

    init(journalPath: String, limit: Int) {
        let cursor: RecordedOpCursor
        do { cursor = try JournalReader(path: journalPath).makeCursor() } catch {
            stoppedBecause = error.description
            return
        }
        let printer = ScriptPrinter(), describer = OutcomeDescriber()
        while true {
            let next: RecordedOp?
            do { next = try cursor.next() } catch {
                stoppedBecause = error.description
                break
            }
            guard let recorded = next else { break }
            guard let text = recorded.claims, !text.isEmpty, let claims = try? ScriptParser().parseClaims(text, fileName: journalPath) else { continue }
            let outcome = recorded.outcome.outcome
            guard !Claim.check(claims, outcome: outcome, op: recorded.op).isEmpty else { continue }
            count += 1
            if rows.count < limit {
                rows.append(Row(seq: Int64(recorded.seq), line: printer.line(recorded.op), expected: Claim.text(of: claims),
                                recorded: Claim.text(of: describer.claims(for: outcome))))
            }
        }
    }
}
