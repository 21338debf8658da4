-- dmajournal journal schema, version 6: per-device totals kept while recording.
--
-- The per_device view of version 1 grouped every op, range and finding by device: about
-- 27 s on a 10-million-op journal. The writer now keeps the same totals as it records and
-- stores them in each batch's transaction (like run.max_range_bytes), so they always
-- agree with the ops a crash left behind, and the view reads a handful of rows.

CREATE TABLE device_totals (
    device         INTEGER PRIMARY KEY REFERENCES names (id),
    ops            INTEGER NOT NULL,   -- ops naming the device (or a handle it allocated or mapped)
    allocs         INTEGER NOT NULL,   -- alloc and map calls
    links          INTEGER NOT NULL,
    bytes_mapped   INTEGER NOT NULL,   -- sum of mapped_ranges.length
    accesses       INTEGER NOT NULL,   -- dev-read and dev-write
    bytes_accessed INTEGER NOT NULL,   -- bytes of accesses that completed (status ok)
    faults         INTEGER NOT NULL,
    failed_calls   INTEGER NOT NULL,   -- errno, fallback, mapping-error
    findings       INTEGER NOT NULL
);

DROP VIEW per_device;
CREATE VIEW per_device AS
SELECT d.name AS device, t.ops, t.allocs, t.links, t.bytes_mapped, t.accesses, t.bytes_accessed,
       t.faults, t.failed_calls, t.findings
FROM device_totals t
JOIN names d ON d.id = t.device AND d.kind = 'device'
ORDER BY d.name;

PRAGMA user_version = 6;
