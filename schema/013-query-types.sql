-- dmajournal journal schema, version 13: one column name, one type, everywhere.
--
-- Up to version 7 the views meant for reading rendered addresses as hex text
-- (printf('0x%x', ...)) while mapping_spans and the tables kept integers, so the same
-- column name had two types: `WHERE iova > 0xffff0000` on mapping_lifetimes compared
-- text with an integer, which SQLite orders as "text is greater", and matched every row.
-- From this version every address, digest, hash and seed column of every view is the
-- integer the table stores (an unsigned 64-bit value by bit pattern, so one at or above
-- 2^63 reads back negative in raw SQL). Hex is for display: `dmajournal query` shows
-- these columns in hex in its table format, and `printf('0x%x', col)` does it anywhere
-- (the sqlite3 shell, Python). docs/queries.md lists the columns.
--
-- Names made consistent (issue 17): the view of IOVA-state and streaming-mapping
-- lifetimes is `state_lifetimes` (named query `state-lifetimes`), the view of mapped
-- ranges is `mapping_lifetimes` (named query `mapping-lifetimes`). The old view
-- `lifetimes` is gone: its name was the named query of the other view. Journals keep their
-- own named queries, so an older journal still answers `--named lifetimes`.

-- op_log of version 8 (with the op's CPU and time) with integer addresses.
DROP VIEW op_log;
CREATE VIEW op_log AS
SELECT o.seq,
       o.seq AS vtime,
       k.name AS kind,
       d.name AS device,
       h.name AS handle,
       o.offset,
       o.length,
       o.phys,
       o.address,
       dn.name AS dir,
       (SELECT group_concat(a.name, ',') FROM dma_attr a WHERE o.attrs & a.bit) AS attrs,
       o.fill,
       s.name AS status,
       e.name AS errno,
       o.out_address,
       o.digest,
       f.name AS fault_kind,
       o.fault_address,
       o.source_line,
       o.cpu,
       o.time_ns,
       CASE WHEN o.time_ns IS NOT NULL
            THEN printf('%d.%06d', o.time_ns / 1000000000, (o.time_ns % 1000000000) / 1000) END AS time
FROM ops o
JOIN op_kind k ON k.code = o.kind
JOIN status_kind s ON s.code = o.status
LEFT JOIN names d ON d.id = o.device
LEFT JOIN names h ON h.id = o.handle
LEFT JOIN direction dn ON dn.code = o.dir
LEFT JOIN errno_name e ON e.code = o.errno
LEFT JOIN fault_kind f ON f.code = o.fault_kind;

DROP VIEW event_log;
CREATE VIEW event_log AS
SELECT e.seq,
       e.idx,
       k.name AS op,
       d.name AS device,
       h.name AS handle,
       ek.name AS event,
       ek.address_space,
       e.address,
       e.length,
       CASE WHEN e.target <> 0 THEN e.target END AS target
FROM events e
JOIN ops o ON o.seq = e.seq
JOIN op_kind k ON k.code = o.kind
JOIN event_kind ek ON ek.code = e.kind
LEFT JOIN names d ON d.id = o.device
LEFT JOIN names h ON h.id = o.handle;

-- run_info of version 12 (how the recording ended, its command line, the op count it was
-- sealed with) with the seed as the integer run.seed holds.
DROP VIEW run_info;
CREATE VIEW run_info AS
SELECT r.tool_version, r.schema_version,
       r.seed,
       r.source, r.created_at, r.batch_size, r.finished,
       (SELECT count(*) FROM ops) AS op_count,
       (SELECT max(seq) FROM ops) AS last_seq,
       (SELECT group_concat(line, char(10)) FROM (SELECT line FROM topology_lines ORDER BY seq)) AS topology,
       CASE WHEN r.interrupted = 2 THEN 'interrupted recording (SIGINT)'
            WHEN r.interrupted = 15 THEN 'interrupted recording (SIGTERM)'
            WHEN r.interrupted <> 0 THEN printf('interrupted recording (signal %d)', r.interrupted)
            WHEN r.finished THEN 'complete'
            ELSE 'did not finish (killed; dmajournal recover builds its indexes)'
       END AS ended,
       r.command_line,
       r.sealed_op_count
FROM run r;

-- Mapping lifetimes: each range from its link/map to its unlink/destroy/unmap, with the
-- protection bits spelled out and the op kind that unmapped it.
DROP VIEW mapping_lifetimes;
CREATE VIEW mapping_lifetimes AS
SELECT s.mapped_seq, s.idx, s.mapped_by, s.device, s.handle,
       s.iova,
       s.phys,
       s.length,
       (CASE WHEN s.prot & 1 THEN 'r' ELSE '-' END || CASE WHEN s.prot & 2 THEN 'w' ELSE '-' END
        || CASE WHEN s.prot & 4 THEN 'c' WHEN s.prot & 16 THEN 'm' ELSE '-' END
        || CASE WHEN s.prot & 32 THEN 'p' ELSE '-' END) AS prot,
       s.bounced,
       s.unmapped_seq,
       uk.name AS unmapped_by,
       s.unmapped_seq - s.mapped_seq AS lifetime_ops
FROM mapping_spans s
LEFT JOIN ops u ON u.seq = s.unmapped_seq
LEFT JOIN op_kind uk ON uk.code = u.kind;

-- Each IOVA state's or streaming mapping's life: try_alloc (or map) to the destroy or
-- free (or unmap) that ended it, or to the next alloc/map of the same handle, which
-- overwrote it (ended_by 'alloc' or 'map': the earlier IOVA leaked). Version 1 called
-- this view `lifetimes`.
DROP VIEW lifetimes;
CREATE VIEW state_lifetimes AS
SELECT s.seq AS start_seq,
       sk.name AS started_by,
       h.name AS handle,
       d.name AS device,
       st.name AS status,
       s.out_address AS address,
       s.length AS size,
       e.seq AS end_seq,
       ek.name AS ended_by,
       e.seq - s.seq AS lifetime_ops
FROM ops s
JOIN op_kind sk ON sk.code = s.kind AND sk.name IN ('alloc', 'map')
JOIN status_kind st ON st.code = s.status
LEFT JOIN names h ON h.id = s.handle
LEFT JOIN names d ON d.id = s.device
LEFT JOIN ops e ON e.seq = (
        SELECT x.seq
          FROM ops x JOIN op_kind xk ON xk.code = x.kind
         WHERE x.handle = s.handle AND x.seq > s.seq
           AND (xk.name = sk.name
             OR (sk.name = 'alloc' AND xk.name IN ('destroy', 'free'))
             OR (sk.name = 'map' AND xk.name = 'unmap'))
         ORDER BY x.seq LIMIT 1)
LEFT JOIN op_kind ek ON ek.code = e.kind;

-- Every device fault with the last mapped range of the same IOVA space that covered the
-- faulting address before it, and a verdict (see version 1 for the walk).
DROP VIEW fault_history;
CREATE VIEW fault_history AS
SELECT f.fault_seq,
       f.device,
       f.fault_kind,
       f.fault_address,
       s.handle AS last_handle,
       s.mapped_seq,
       s.unmapped_seq,
       s.iova AS range_iova,
       s.length AS range_length,
       CASE WHEN s.mapped_seq IS NULL THEN 'never-mapped'
            WHEN s.unmapped_seq < f.fault_seq THEN 'after-unmap'
            ELSE 'while-mapped' END AS verdict,
       CASE WHEN s.unmapped_seq < f.fault_seq THEN f.fault_seq - s.unmapped_seq END AS ops_since_unmap
FROM (SELECT fault.*,
             CASE WHEN EXISTS (SELECT 1 FROM mapped_ranges r
                                WHERE r.iova BETWEEN fault.fault_address - (SELECT max_range_bytes FROM run) + 1
                                                 AND fault.fault_address
                                  AND r.iova + r.length > fault.fault_address)
             THEN (SELECT s.mapped_seq
                     FROM mapping_spans s
                    WHERE s.mapped_seq < fault.fault_seq
                      AND s.iova <= fault.fault_address AND s.iova_end > fault.fault_address
                      AND s.domain = fault.domain
                    ORDER BY s.mapped_seq DESC LIMIT 1)
             END AS range_seq
        FROM (SELECT o.seq AS fault_seq,
                     (SELECT name FROM names WHERE id = o.device) AS device,
                     (SELECT domain FROM device_domains WHERE device_id = o.device) AS domain,
                     (SELECT name FROM fault_kind WHERE code = o.fault_kind) AS fault_kind,
                     o.fault_address
                FROM ops o
               WHERE o.fault_kind IS NOT NULL) fault) f
LEFT JOIN mapping_spans s
       ON s.mapped_seq = f.range_seq AND s.iova <= f.fault_address AND s.iova_end > f.fault_address;

DROP VIEW leaks;
CREATE VIEW leaks AS
SELECT f.seq AS detach_seq,
       d.name AS device,
       f.handle,
       sk.name AS started_by,
       s.seq AS start_seq,
       s.out_address AS address,
       s.length AS size,
       f.seq - s.seq AS live_ops
FROM findings f
JOIN ops o ON o.seq = f.seq
LEFT JOIN names d ON d.id = o.device
LEFT JOIN ops s ON s.seq = (
        SELECT x.seq
          FROM names xn
          JOIN ops x ON x.handle = xn.id
          JOIN op_kind xk ON xk.code = x.kind
         WHERE xn.kind IN ('state', 'mapping') AND xn.name = f.handle
           AND xk.name IN ('alloc', 'map') AND x.seq < f.seq AND x.device = o.device
         ORDER BY x.seq DESC LIMIT 1)
LEFT JOIN op_kind sk ON sk.code = s.kind
WHERE f.class = 'leak-at-detach';

DROP VIEW iova_reuse;
CREATE VIEW iova_reuse AS
WITH domains AS MATERIALIZED (SELECT device_id, domain FROM device_domains)
SELECT r.seq,
       dd.domain,
       r.iova,
       r.length,
       h.name AS handle,
       lag(h.name) OVER w AS previous_handle,
       lag(r.seq) OVER w AS previous_seq,
       r.seq - lag(r.seq) OVER w AS reuse_distance
FROM mapped_ranges r
CROSS JOIN ops o ON o.seq = r.seq   -- walk the ranges in seq order (see per_device)
JOIN domains dd ON dd.device_id = o.device
LEFT JOIN names h ON h.id = o.handle
WHERE r.seq >= 0
WINDOW w AS (PARTITION BY dd.domain, r.iova ORDER BY r.seq, r.idx);

DROP VIEW snapshot_chunk_map;
CREATE VIEW snapshot_chunk_map AS
SELECT s.name AS snapshot, s.seq, sc.chunk_index,
       sc.chunk_index * 65536 AS phys,
       (SELECT t.name FROM topology t
         WHERE t.kind = 'region' AND t.base <= sc.chunk_index * 65536
           AND sc.chunk_index * 65536 < t.base + t.size_bytes) AS region,
       sc.hash,
       length(c.frame) AS frame_bytes
FROM snapshot_chunks sc
JOIN snapshots s ON s.id = sc.snapshot_id
LEFT JOIN chunks c ON c.hash = sc.hash;

DROP VIEW imported_log;
CREATE VIEW imported_log AS
SELECT i.seq,
       s.path AS source,
       i.line,
       i.source_format,
       i.kernel_naming,
       CASE WHEN i.timestamp_ns IS NOT NULL
            THEN printf('%d.%06d', i.timestamp_ns / 1000000000, (i.timestamp_ns % 1000000000) / 1000) END AS time,
       i.wall_clock,
       i.cpu,
       i.task,
       i.pid,
       k.name AS kind,
       d.name AS device,
       h.name AS handle,
       coalesce(o.out_address, o.address, o.fault_address) AS address,
       o.length,
       st.name AS status,
       f.name AS fault_kind,
       (SELECT group_concat(x.class, ',') FROM findings x WHERE x.seq = i.seq) AS findings,
       i.note
FROM imported_ops i
JOIN ops o ON o.seq = i.seq
JOIN op_kind k ON k.code = o.kind
JOIN status_kind st ON st.code = o.status
JOIN import_sources s ON s.id = i.source_id
LEFT JOIN names d ON d.id = o.device
LEFT JOIN names h ON h.id = o.handle
LEFT JOIN fault_kind f ON f.code = o.fault_kind;

-- Named queries: the same integer columns, and names that match their views.
UPDATE named_queries SET name = 'mapping-lifetimes' WHERE name = 'lifetimes';
UPDATE named_queries SET sql = 'SELECT * FROM state_lifetimes ORDER BY start_seq' WHERE name = 'state-lifetimes';
UPDATE named_queries SET sql = replace(replace(sql, 'printf(''0x%x'', s.iova) AS iova', 's.iova'),
                                       'printf(''0x%x'', s.phys) AS phys', 's.phys')
 WHERE name = 'mapped-at';
UPDATE named_queries SET sql = replace(replace(sql, 'printf(''0x%x'', iova) AS iova', 'iova'),
                                       'printf(''0x%x'', phys) AS phys', 'phys')
 WHERE name = 'mapped-at-phys';
-- A chunk absent from a snapshot is all zeros: its hash is NULL here (version 3 wrote
-- the text 'zero' in an otherwise hex column).
UPDATE named_queries SET description = 'the 64 KiB chunks whose content differs between the latest snapshots named :a and :b (hash NULL: all zeros)',
                         sql = 'WITH sa AS (SELECT id FROM snapshots WHERE name = :a ORDER BY seq DESC LIMIT 1),
           sb AS (SELECT id FROM snapshots WHERE name = :b ORDER BY seq DESC LIMIT 1),
           ca AS (SELECT chunk_index, hash FROM snapshot_chunks WHERE snapshot_id = (SELECT id FROM sa)),
           cb AS (SELECT chunk_index, hash FROM snapshot_chunks WHERE snapshot_id = (SELECT id FROM sb)),
           both_sides AS (SELECT chunk_index FROM ca UNION SELECT chunk_index FROM cb)
      SELECT x.chunk_index, x.chunk_index * 65536 AS phys, a.hash AS hash_a, b.hash AS hash_b
        FROM both_sides x
        LEFT JOIN ca a ON a.chunk_index = x.chunk_index
        LEFT JOIN cb b ON b.chunk_index = x.chunk_index
       WHERE a.hash IS NOT b.hash
       ORDER BY x.chunk_index'
 WHERE name = 'snapshot-changes';

PRAGMA user_version = 13;
