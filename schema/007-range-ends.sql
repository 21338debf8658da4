-- dmajournal journal schema, version 7: when each mapped range left the page table,
-- computed once when the journal is sealed.
--
-- Version 1's mapping_spans found a range's unmap with a correlated subquery that walks
-- the later ops of the same handle until one overlaps the range. A long-lived IOVA state
-- (an ODP region linked and unlinked page by page for the whole run) makes that walk
-- quadratic: 20 s for 14,160 ranges of a 100k-op rdma-odp journal. Sealing the journal
-- (finish, recover, import) now makes one pass over the ops in order, keeping each
-- handle's open ranges, and stores the answer here; the view reads it.
--
-- The rules are the view's, unchanged:
--   map    -> the next unmap of the same mapping handle
--   link   -> the first later unlink or destroy of the same state handle whose range
--             [link address - link offset + offset, + length) overlaps this range
--             (a destroy's offset is 0 and its length the mapped_len it was given)
-- A range with no row was still mapped at the end of the ops the pass saw.

CREATE TABLE range_ends (
    seq          INTEGER NOT NULL,   -- mapped_ranges.seq: the link or map
    idx          INTEGER NOT NULL,   -- mapped_ranges.idx
    unmapped_seq INTEGER NOT NULL,   -- the unlink, destroy or unmap that took it out
    PRIMARY KEY (seq, idx)
) WITHOUT ROWID;

-- The last seq the pass covered; NULL when it never ran (a journal from an older version,
-- or a recording killed before it was sealed: `dmajournal recover` runs it). Ranges mapped
-- after it fall back to the version 1 subquery.
ALTER TABLE run ADD COLUMN range_ends_through INTEGER;

DROP VIEW mapping_spans;
CREATE VIEW mapping_spans AS
SELECT r.seq AS mapped_seq,
       r.idx,
       (SELECT k.name FROM ops o JOIN op_kind k ON k.code = o.kind WHERE o.seq = r.seq) AS mapped_by,
       (SELECT n.name FROM ops o JOIN names n ON n.id = o.device WHERE o.seq = r.seq) AS device,
       (SELECT n.name FROM ops o JOIN names n ON n.id = o.handle WHERE o.seq = r.seq) AS handle,
       (SELECT o.device FROM ops o WHERE o.seq = r.seq) AS device_id,
       (SELECT dd.domain FROM ops o JOIN device_domains dd ON dd.device_id = o.device WHERE o.seq = r.seq) AS domain,
       r.iova,
       r.iova + r.length AS iova_end,
       r.phys,
       r.phys + r.length AS phys_end,
       r.length,
       r.prot,
       r.bounced,
       CASE WHEN r.seq <= (SELECT range_ends_through FROM run)
            THEN (SELECT e.unmapped_seq FROM range_ends e WHERE e.seq = r.seq AND e.idx = r.idx)
            ELSE (SELECT e.seq
                    FROM ops o
                    JOIN op_kind k ON k.code = o.kind
                    JOIN ops e ON e.handle = o.handle AND e.seq > o.seq
                    JOIN op_kind ek ON ek.code = e.kind
                   WHERE o.seq = r.seq
                     AND ((k.name = 'map' AND ek.name = 'unmap')
                       OR (k.name = 'link' AND ek.name IN ('unlink', 'destroy')
                           AND o.out_address - o.offset + coalesce(e.offset, 0) < r.iova + r.length
                           AND o.out_address - o.offset + coalesce(e.offset, 0) + e.length > r.iova))
                   ORDER BY e.seq LIMIT 1)
       END AS unmapped_seq
FROM mapped_ranges r;

PRAGMA user_version = 7;
