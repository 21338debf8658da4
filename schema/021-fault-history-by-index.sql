-- dmajournal journal schema, version 21: fault_history by index probes (issue 16).
-- (Versions 18-20 belong to other changes; the numbers may have gaps.)
--
-- Version 13's view found each fault's range by walking mapping_spans backwards from the
-- fault until a range of the fault's IOVA space covered its address: on an IOVA that an
-- allocator hands out again and again, every range mapped since the covering one was
-- read, each with the view's per-row subqueries (a domain lookup through device_domains
-- among them). On the import of 1 M generated ftrace lines (50 K faults, 350 K ranges)
-- `--named faults` took about 100 s.
--
-- Now a fault reads, for each distinct range start within max_range_bytes below its
-- address (the recursive CTE, as mapped-at does: one probe of mapped_ranges_by_iova per
-- start), the latest range at that start mapped before the fault that covers the address
-- and belongs to the fault's IOVA space: a backward walk of that one start's ranges in
-- the same index, which is ordered (iova, seq, idx) since mapped_ranges is keyed by
-- (seq, idx). The domains are read once (MATERIALIZED). Same rows, same columns.
DROP VIEW fault_history;
CREATE VIEW fault_history AS
WITH domains AS MATERIALIZED (SELECT device_id, domain FROM device_domains)
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
             (WITH RECURSIVE starts(iova) AS (
                  SELECT (SELECT max(r.iova) FROM mapped_ranges r
                           WHERE r.iova <= fault.fault_address
                             AND r.iova > fault.fault_address - (SELECT max_range_bytes FROM run))
                  UNION ALL
                  SELECT (SELECT max(r.iova) FROM mapped_ranges r
                           WHERE r.iova < starts.iova
                             AND r.iova > fault.fault_address - (SELECT max_range_bytes FROM run))
                    FROM starts WHERE starts.iova IS NOT NULL)
              SELECT max((SELECT r.seq
                             FROM mapped_ranges r
                             JOIN ops m ON m.seq = r.seq
                             JOIN domains d ON d.device_id = m.device
                            WHERE r.iova = st.iova AND r.seq < fault.fault_seq
                              AND r.iova + r.length > fault.fault_address AND d.domain = fault.domain
                            ORDER BY r.seq DESC LIMIT 1))
                FROM starts st WHERE st.iova IS NOT NULL) AS range_seq
        FROM (SELECT o.seq AS fault_seq,
                     (SELECT name FROM names WHERE id = o.device) AS device,
                     (SELECT domain FROM domains WHERE device_id = o.device) AS domain,
                     (SELECT name FROM fault_kind WHERE code = o.fault_kind) AS fault_kind,
                     o.fault_address
                FROM ops o
               WHERE o.fault_kind IS NOT NULL) fault) f
LEFT JOIN mapping_spans s
       ON s.mapped_seq = f.range_seq AND s.iova <= f.fault_address AND s.iova_end > f.fault_address;

PRAGMA user_version = 21;
