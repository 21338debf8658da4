import DMASim
import Testing
@testable import Journal

/// The writer's running per-device totals (schema 006) equal what a full scan of the
/// journal's ops, ranges and findings gives — in small batches too, where a device's row
/// is rewritten many times.
@Suite struct DeviceTotalsTests {
    /// per_device as schema 001 computed it: by scanning.
    static let fullScan = """
        WITH op_totals AS (
                 SELECT o.device AS device_id, count(*) AS ops,
                        sum(k.name IN ('alloc', 'map')) AS allocs, sum(k.name = 'link') AS links,
                        sum(k.name IN ('dev-read', 'dev-write')) AS accesses,
                        sum(CASE WHEN k.name IN ('dev-read', 'dev-write') AND st.name = 'ok' THEN o.length ELSE 0 END) AS bytes_accessed,
                        sum(o.fault_kind IS NOT NULL) AS faults,
                        sum(st.name IN ('errno', 'fallback', 'mapping-error')) AS failed_calls
                   FROM ops o JOIN op_kind k ON k.code = o.kind JOIN status_kind st ON st.code = o.status
                  GROUP BY o.device),
             range_totals AS (SELECT o.device AS device_id, sum(r.length) AS bytes_mapped
                                FROM mapped_ranges r JOIN ops o ON o.seq = r.seq GROUP BY o.device),
             finding_totals AS (SELECT o.device AS device_id, count(*) AS findings
                                  FROM findings f JOIN ops o ON o.seq = f.seq GROUP BY o.device)
        SELECT d.name AS device, t.ops, t.allocs, t.links, coalesce(r.bytes_mapped, 0) AS bytes_mapped, t.accesses,
               t.bytes_accessed, t.faults, t.failed_calls, coalesce(fi.findings, 0) AS findings
          FROM op_totals t JOIN names d ON d.id = t.device_id AND d.kind = 'device'
          LEFT JOIN range_totals r ON r.device_id = t.device_id
          LEFT JOIN finding_totals fi ON fi.device_id = t.device_id
         ORDER BY d.name
        """

    @Test(arguments: [("every kind", Scenarios.everyKind), ("docs example", Scenarios.docsExample), ("nvme-like", Scenarios.nvmeLike(ios: 300))])
    func runningTotalsEqualAFullScan(_ name: String, _ ops: [Op]) throws {
        let directory = TemporaryDirectory()
        let path = directory.file("totals.db")
        try Recording.record(ops, to: path, batchSize: 7)
        let runner = try QueryRunner(path: path)
        let stored = try runner.run("SELECT * FROM per_device")
        #expect(!stored.rows.isEmpty)
        #expect(stored == (try runner.run(Self.fullScan)), "\(name)")
    }
}
