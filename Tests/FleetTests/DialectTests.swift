import Testing
@testable import Fleet

/// The SQLite → PostgreSQL rewrites one by one (the parity test runs them all on a
/// server; these run everywhere).
@Suite struct DialectTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let sqlite: String
        let postgres: String
        var testDescription: String { sqlite }
    }

    @Test(arguments: [
        Case(sqlite: "SELECT printf('0x%x', o.phys) FROM ops o",
             postgres: "SELECT concat('0x', to_hex(coalesce((o.phys)::bigint, 0))) FROM ops o"),
        Case(sqlite: "SELECT printf('%d.%06d', a, b)",
             postgres: "SELECT concat(coalesce((a)::bigint, 0)::text, '.', (CASE WHEN length(coalesce((b)::bigint, 0)::text) >= 6 THEN coalesce((b)::bigint, 0)::text ELSE lpad(coalesce((b)::bigint, 0)::text, 6, '0') END))"),
        Case(sqlite: "SELECT group_concat(a.name, ',') FROM dma_attr a WHERE o.attrs & a.bit",
             postgres: "SELECT string_agg((a.name)::text, ',') FROM dma_attr a WHERE (o.attrs & a.bit) <> 0"),
        Case(sqlite: "SELECT CASE WHEN t.needs_sync_map THEN 'y' WHEN t.x IS NOT NULL THEN 'n' END",
             postgres: "SELECT CASE WHEN (t.needs_sync_map) <> 0 THEN 'y' WHEN t.x IS NOT NULL THEN 'n' END"),
        Case(sqlite: "SELECT CASE t.kind WHEN 'a' THEN 1 END", postgres: "SELECT CASE t.kind WHEN 'a' THEN 1 END"),
        Case(sqlite: "SELECT sum(k.name = 'link') AS links FROM x", postgres: "SELECT sum((k.name = 'link')::int) AS links FROM x"),
        Case(sqlite: "SELECT a = b AS same FROM x", postgres: "SELECT (a = b)::int AS same FROM x"),
        Case(sqlite: "SELECT 1 FROM r CROSS JOIN ops o ON o.seq = r.seq", postgres: "SELECT 1 FROM r  JOIN ops o ON o.seq = r.seq"),
        Case(sqlite: "SELECT 1 FROM a CROSS JOIN b", postgres: "SELECT 1 FROM a CROSS JOIN b"),
        Case(sqlite: "SELECT 1 WHERE a.hash IS NOT b.hash AND c IS d AND e IS NOT NULL",
             postgres: "SELECT 1 WHERE a.hash IS DISTINCT FROM b.hash AND c IS NOT DISTINCT FROM d AND e IS NOT NULL"),
        Case(sqlite: "SELECT char(10), ifnull(a, 0), max(a, b), max(c) FROM t", postgres: "SELECT (chr(10)), coalesce(a, 0), greatest(a, b), max(c) FROM t"),
        Case(sqlite: "SELECT * FROM t WHERE x BETWEEN 1 AND 2 AND y", postgres: "SELECT * FROM t WHERE x BETWEEN 1 AND 2 AND (y) <> 0"),
        Case(sqlite: "SELECT * FROM t WHERE a <= 0xffffd000 AND b LIKE 'x%'", postgres: "SELECT * FROM t WHERE a <= 4294955008 AND b ILIKE 'x%'"),
        Case(sqlite: "SELECT * FROM t WHERE (a & 1) OR NOT b", postgres: "SELECT * FROM t WHERE ((a & 1) <> 0) OR NOT (b) <> 0"),
        Case(sqlite: "SELECT x::text", postgres: "SELECT x::text"),
        Case(sqlite: "SELECT (SELECT max(line) FROM (SELECT line FROM t ORDER BY seq)) FROM (SELECT 1) s JOIN (VALUES (1)) ON 1",
             postgres: "SELECT (SELECT max(line) FROM (SELECT line FROM t ORDER BY seq) AS derived_1) FROM (SELECT 1) s JOIN (VALUES (1)) AS derived_2 ON (1) <> 0"),
    ])
    func rewrites(_ example: Case) throws {
        let translated = try PostgresDialect().translate(example.sqlite)
        #expect(translated == example.postgres)
    }

    @Test func parametersAreNumberedByTheCaller() throws {
        let sql = "SELECT * FROM r WHERE iova <= :iova AND seq <= :seq AND iova > :iova - 1"
        #expect(PostgresDialect.parameterNames(in: sql) == ["iova", "seq"])
        #expect(try PostgresDialect(parameterNumbers: ["iova": 2, "seq": 3]).translate(sql)
            == "SELECT * FROM r WHERE iova <= $2 AND seq <= $3 AND iova > $2 - 1")
    }

    @Test func unknownFunctionsAreRefusedByName() {
        #expect(throws: FleetError.untranslatable(what: "julianday()", reason: "PostgreSQL has no equivalent this translator knows")) {
            try PostgresDialect().translate("SELECT julianday(created_at) FROM run")
        }
    }

    @Test func scopingShadowsTablesAndViewsAndKeepsTheSQLsOwnWithList() {
        let scope = JournalScope(schema: "dmajournal", tables: ["ops": ["seq", "offset"], "run": ["id"]], views: ["mapping_spans": "SELECT seq AS mapped_seq FROM ops"])
        let scoped = scope.scoped("WITH RECURSIVE s(x) AS (SELECT 1) SELECT * FROM ops JOIN mapping_spans m ON m.mapped_seq = ops.seq, s")
        #expect(scoped == """
            WITH RECURSIVE ops AS NOT MATERIALIZED (SELECT "seq", "offset" FROM dmajournal.ops WHERE journal_no = $1),
                 mapping_spans AS NOT MATERIALIZED (WITH ops AS NOT MATERIALIZED (SELECT "seq", "offset" FROM dmajournal.ops WHERE journal_no = $1)
            SELECT seq AS mapped_seq FROM ops),
             s(x) AS (SELECT 1) SELECT * FROM ops JOIN mapping_spans m ON m.mapped_seq = ops.seq, s
            """)
    }

    @Test func qualifyingPointsRelationsAtOneAttachedJournal() {
        let qualifier = SchemaQualifier(relations: ["ops", "run", "per_device", "names"])
        #expect(qualifier.qualify("WITH names AS (SELECT 1) SELECT o.seq, run FROM ops o JOIN run r ON 1, per_device, names WHERE seq IN (SELECT seq FROM ops)", schema: "j2")
            == "WITH names AS (SELECT 1) SELECT o.seq, run FROM j2.ops o JOIN j2.run r ON 1, j2.per_device, names WHERE seq IN (SELECT seq FROM j2.ops)")
    }
}
