-- dmajournal journal schema, version 1.
--
-- This directory is the single source of truth for the journal's tables and views.
-- Sources/Journal/Schema/JournalSchema.swift embeds these files verbatim (a test proves
-- the copies are equal; schema/embed.sh regenerates it). A new journal gets every
-- numbered file in order; each file ends by setting PRAGMA user_version to its number.
--
-- Conventions
--   * Every integer is an INTEGER. SQLite integers are signed 64-bit, so unsigned 64-bit
--     values (addresses, lengths, digests, seeds) are stored by bit pattern: an address
--     at or above 2^63 reads back negative in SQL (and sorts before the low ones), while
--     printf('0x%x', col) renders it correctly. Every address the simulator's default
--     topologies use is below 2^63.
--   * Enumerations that occur once per op or per event are stored as small integer codes
--     (the lookup tables below give their names, and each journal carries its own copy,
--     so an old file stays readable if the tool's enums grow). Rare rows keep text.
--   * seq is the op's 0-based position in apply order. The engine has no clock, so the
--     virtual time of an op is its seq (the views call it vtime).
--   * Names (devices, IOMMUs, regions, IOVA states, streaming mappings, checkpoints) are
--     interned in `names`; ops refer to them by id.
--   * Secondary indexes go after the "-- @deferred-indexes" line. The writer creates them
--     when it finishes a recording: inserting into them op by op costs random B-tree
--     writes that slowed a 10M-op recording fourfold, while building them once at the end
--     is a sort. A recording that was killed has no secondary indexes until
--     JournalWriter.recover(path:) builds them; its queries are right, only slower.

PRAGMA application_id = 1145913674; -- 0x444D414A, 'DMAJ': marks the file as a journal

-- ---------------------------------------------------------------------------------------
-- Lookup tables

CREATE TABLE op_kind (code INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
INSERT INTO op_kind (code, name) VALUES
    (1, 'region'), (2, 'iommu'), (3, 'device'), (4, 'swiotlb'),
    (5, 'alloc'), (6, 'link'), (7, 'sync'), (8, 'unlink'), (9, 'destroy'), (10, 'free'),
    (11, 'map'), (12, 'unmap'), (13, 'sync-for-cpu'), (14, 'sync-for-device'), (15, 'mapping-error'),
    (16, 'cpu-write'), (17, 'cpu-read'), (18, 'dev-write'), (19, 'dev-read'),
    (20, 'flush'), (21, 'detach'), (22, 'checkpoint'), (23, 'verify');

-- OutcomeStatus.name. errno and fault carry their detail in ops.errno / ops.fault_*.
CREATE TABLE status_kind (code INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
INSERT INTO status_kind (code, name) VALUES
    (0, 'ok'), (1, 'fallback'), (2, 'errno'), (3, 'mapping-error'), (4, 'fault'), (5, 'rejected');

CREATE TABLE fault_kind (code INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
INSERT INTO fault_kind (code, name) VALUES
    (1, 'not-present'), (2, 'permission'), (3, 'not-synced'), (4, 'bus-error');

CREATE TABLE event_kind (code INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, address_space TEXT NOT NULL);
INSERT INTO event_kind (code, name, address_space) VALUES
    (1, 'iotlb-sync-map', 'iova'), (2, 'iotlb-invalidate', 'iova'), (3, 'iotlb-flush-all', 'iova'),
    (4, 'fq-queue', 'iova'), (5, 'fq-drain', 'iova'), (6, 'iova-free', 'iova'),
    (7, 'cache-clean', 'phys'), (8, 'cache-invalidate', 'phys'),
    (9, 'bounce-to-device', 'phys'), (10, 'bounce-to-cpu', 'phys'),
    (11, 'kernel-warning', 'iova'), (12, 'dac-enabled', 'none');

-- enum dma_data_direction: the codes are the kernel's values.
CREATE TABLE direction (code INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
INSERT INTO direction (code, name) VALUES
    (0, 'bidirectional'), (1, 'to-device'), (2, 'from-device'), (3, 'none');

-- DMA_ATTR_* bits (include/linux/dma-mapping.h); ops.attrs holds their OR.
CREATE TABLE dma_attr (bit INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
INSERT INTO dma_attr (bit, name) VALUES
    (2, 'weak-ordering'), (4, 'write-combine'), (32, 'skip-cpu-sync'), (256, 'no-warn'),
    (512, 'privileged'), (1024, 'mmio'), (4096, 'require-coherent');

-- include/uapi/asm-generic/errno-base.h and errno.h.
CREATE TABLE errno_name (code INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
INSERT INTO errno_name (code, name) VALUES
    (1, 'EPERM'), (5, 'EIO'), (12, 'ENOMEM'), (14, 'EFAULT'), (16, 'EBUSY'), (17, 'EEXIST'),
    (19, 'ENODEV'), (22, 'EINVAL'), (95, 'EOPNOTSUPP');

-- ---------------------------------------------------------------------------------------
-- The recording

-- One row: what was recorded, by which tool, when.
CREATE TABLE run (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    tool_version    TEXT NOT NULL,
    schema_version  INTEGER NOT NULL,      -- the version the file was created with
    seed            INTEGER,               -- workload seed (bit pattern), NULL for a script
    source          TEXT NOT NULL,         -- script path or workload name
    created_at      TEXT NOT NULL,         -- ISO 8601, supplied by the caller
    batch_size      INTEGER NOT NULL,      -- ops per committed transaction
    -- The longest mapped range so far, kept by the writer in every batch's transaction.
    -- It bounds the "which range covers address X" searches: only ranges starting in
    -- (X - max_range_bytes, X] can cover X, so an index range scan finds them.
    max_range_bytes INTEGER NOT NULL DEFAULT 0,
    finished        INTEGER NOT NULL DEFAULT 0  -- 1 once the writer closed the journal cleanly
);

CREATE TABLE names (
    id   INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,   -- device | iommu | region | state | mapping | checkpoint
    name TEXT NOT NULL,
    UNIQUE (kind, name)
);

-- One row per op, in apply order: the op's arguments (enough to rebuild it exactly) and
-- the outcome's summary. Which columns an op kind uses:
--   alloc            handle(state) device phys length(size)
--   link             handle offset phys length dir attrs
--   sync             handle offset length
--   unlink           handle offset length dir attrs
--   destroy          handle length(mapped_len) dir attrs
--   free             handle
--   map              handle(mapping) device phys length dir attrs
--   unmap            handle length dir attrs
--   sync-for-cpu/-device  handle offset length dir
--   mapping-error    handle
--   cpu-write        phys length fill;  cpu-read  phys length
--   dev-write        device (address | handle offset) length fill;  dev-read  the same without fill
--   flush            device(the IOMMU's name)
--   detach           device
--   checkpoint, verify   handle(the checkpoint's name)
--   region, iommu, device, swiotlb   device(the declared name); details in `topology`
-- For ops that name a state or mapping but no device (link, unmap, ...) the writer fills
-- `device` with the device that allocated or mapped the handle, so per-device questions
-- need no join; replay ignores it there.
CREATE TABLE ops (
    seq           INTEGER PRIMARY KEY,
    kind          INTEGER NOT NULL REFERENCES op_kind (code),
    device        INTEGER REFERENCES names (id),
    handle        INTEGER REFERENCES names (id),
    offset        INTEGER,
    length        INTEGER,
    phys          INTEGER,
    address       INTEGER,              -- an absolute device-side address (dev-read/-write)
    dir           INTEGER REFERENCES direction (code),
    attrs         INTEGER,              -- DMA_ATTR_* bits
    fill          TEXT,                 -- op-script spelling: seed:N | byte:0xAB | hex:DEADBEEF | zero
    source_line   INTEGER,              -- the op script line, when the op came from one
    status        INTEGER NOT NULL REFERENCES status_kind (code),  -- 0: ok
    errno         INTEGER REFERENCES errno_name (code),
    out_address   INTEGER,              -- the IOVA / DMA address the call returned
    digest        INTEGER,              -- XXH64 of the bytes a read returned
    fault_kind    INTEGER REFERENCES fault_kind (code),
    fault_address INTEGER               -- device-side address of the first faulting byte
);
-- (Secondary indexes: see the deferred section at the end of this file.)

-- The machine, one row per topology op (the op row itself is in `ops`).
CREATE TABLE topology (
    seq            INTEGER PRIMARY KEY REFERENCES ops (seq),
    kind           TEXT NOT NULL,      -- region | iommu | device | swiotlb
    name           TEXT,               -- NULL for swiotlb
    base           INTEGER,            -- region, swiotlb
    size_bytes     INTEGER,            -- region, swiotlb
    region_kind    TEXT,               -- ram | shared | mmio
    mode           TEXT,               -- iommu: strict | lazy | passthrough
    granule_bytes  INTEGER,
    aperture_bits  INTEGER,
    needs_sync_map INTEGER,
    fq_slots       INTEGER,
    force_dac      INTEGER,
    reserved       TEXT,               -- iommu: inclusive IOVA ranges, 0xLO-0xHI,...
    iommu          TEXT,               -- device: its IOMMU, NULL for none
    dma_bits       INTEGER,
    coherent       INTEGER,
    untrusted      INTEGER,
    bus            TEXT,
    iommu_group    TEXT,
    force          INTEGER             -- swiotlb=force
);

-- What each link or map put in the page table (or a dma-direct mapping): one row per
-- contiguous range, idx in the outcome's order.
CREATE TABLE mapped_ranges (
    seq     INTEGER NOT NULL REFERENCES ops (seq),
    idx     INTEGER NOT NULL,
    iova    INTEGER NOT NULL,   -- device-side address (IOVA, or bus address for dma-direct)
    phys    INTEGER NOT NULL,
    length  INTEGER NOT NULL,
    prot    INTEGER NOT NULL,   -- IOMMU_READ 1, WRITE 2, CACHE 4, NOEXEC 8, MMIO 16, PRIV 32
    bounced INTEGER NOT NULL,   -- 1: the physical side is a swiotlb slot
    PRIMARY KEY (seq, idx)
) WITHOUT ROWID;

-- Side events: IOTLB sync/invalidate/flush, flush queue, IOVA frees, cache maintenance,
-- bounce copies. address is IOVA or physical as event_kind.address_space says.
CREATE TABLE events (
    seq     INTEGER NOT NULL REFERENCES ops (seq),
    idx     INTEGER NOT NULL,
    kind    INTEGER NOT NULL REFERENCES event_kind (code),
    address INTEGER NOT NULL,
    length  INTEGER NOT NULL,
    target  INTEGER NOT NULL,   -- the destination of a bounce copy, else 0
    PRIMARY KEY (seq, idx)
) WITHOUT ROWID;

-- Misuse findings (MisuseClass raw values).
CREATE TABLE findings (
    seq     INTEGER NOT NULL REFERENCES ops (seq),
    idx     INTEGER NOT NULL,
    class   TEXT NOT NULL,
    handle  TEXT,
    message TEXT NOT NULL,
    PRIMARY KEY (seq, idx)
) WITHOUT ROWID;

-- Kernel log lines the call would print (WARN_ON, pr_err, dev_notice).
CREATE TABLE warnings (
    seq  INTEGER NOT NULL REFERENCES ops (seq),
    idx  INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (seq, idx)
) WITHOUT ROWID;

-- Why an op could not run at all (status 'rejected').
CREATE TABLE rejections (
    seq    INTEGER PRIMARY KEY REFERENCES ops (seq),
    reason TEXT NOT NULL
);

-- ---------------------------------------------------------------------------------------
-- Views. Addresses in views meant for reading are hex text; views meant for filtering
-- (mapping_spans) keep them as integers too. docs/queries.md shows each with real output.

-- Every op with names instead of codes.
CREATE VIEW op_log AS
SELECT o.seq,
       o.seq AS vtime,
       k.name AS kind,
       d.name AS device,
       h.name AS handle,
       o.offset,
       o.length,
       CASE WHEN o.phys IS NOT NULL THEN printf('0x%x', o.phys) END AS phys,
       CASE WHEN o.address IS NOT NULL THEN printf('0x%x', o.address) END AS address,
       dn.name AS dir,
       (SELECT group_concat(a.name, ',') FROM dma_attr a WHERE o.attrs & a.bit) AS attrs,
       o.fill,
       s.name AS status,
       e.name AS errno,
       CASE WHEN o.out_address IS NOT NULL THEN printf('0x%x', o.out_address) END AS out_address,
       CASE WHEN o.digest IS NOT NULL THEN printf('0x%016x', o.digest) END AS digest,
       f.name AS fault_kind,
       CASE WHEN o.fault_address IS NOT NULL THEN printf('0x%x', o.fault_address) END AS fault_address,
       o.source_line
FROM ops o
JOIN op_kind k ON k.code = o.kind
JOIN status_kind s ON s.code = o.status
LEFT JOIN names d ON d.id = o.device
LEFT JOIN names h ON h.id = o.handle
LEFT JOIN direction dn ON dn.code = o.dir
LEFT JOIN errno_name e ON e.code = o.errno
LEFT JOIN fault_kind f ON f.code = o.fault_kind;

-- Every side event with its op: IOTLB maintenance, flush queue, IOVA frees, cache
-- maintenance, bounce copies. address_space says whether address is an IOVA or physical.
CREATE VIEW event_log AS
SELECT e.seq,
       e.idx,
       k.name AS op,
       d.name AS device,
       h.name AS handle,
       ek.name AS event,
       ek.address_space,
       printf('0x%x', e.address) AS address,
       e.length,
       CASE WHEN e.target <> 0 THEN printf('0x%x', e.target) END AS target
FROM events e
JOIN ops o ON o.seq = e.seq
JOIN op_kind k ON k.code = o.kind
JOIN event_kind ek ON ek.code = e.kind
LEFT JOIN names d ON d.id = o.device
LEFT JOIN names h ON h.id = o.handle;

-- The machine as op-script lines, in declaration order (declarations that were rejected
-- are left out).
CREATE VIEW topology_lines AS
SELECT t.seq,
       CASE t.kind
       WHEN 'region' THEN printf('region %s base=0x%x size=0x%x kind=%s', t.name, t.base, t.size_bytes, t.region_kind)
       WHEN 'iommu' THEN printf('iommu %s mode=%s granule=0x%x aperture-bits=%d', t.name, t.mode, t.granule_bytes, t.aperture_bits)
            || CASE WHEN t.needs_sync_map THEN ' needs-sync-map' ELSE '' END
            || CASE WHEN t.fq_slots <> 256 THEN printf(' fq-size=%d', t.fq_slots) ELSE '' END
            || CASE WHEN t.force_dac THEN ' forcedac' ELSE '' END
            || CASE WHEN t.reserved <> '' THEN ' reserve=' || t.reserved ELSE '' END
       WHEN 'device' THEN printf('device %s iommu=%s dma-bits=%d %s', t.name, coalesce(t.iommu, 'none'), t.dma_bits,
                                 CASE WHEN t.coherent THEN 'coherent' ELSE 'noncoherent' END)
            || CASE WHEN t.untrusted THEN ' untrusted' ELSE '' END
            || CASE WHEN t.bus <> 'pci' THEN ' bus=' || t.bus ELSE '' END
            || CASE WHEN t.iommu_group IS NOT NULL THEN ' group=' || t.iommu_group ELSE '' END
       WHEN 'swiotlb' THEN printf('swiotlb size=0x%x base=0x%x', t.size_bytes, t.base)
            || CASE WHEN t.force THEN ' force' ELSE '' END
       END AS line
FROM topology t JOIN ops o ON o.seq = t.seq
WHERE o.status = 0;

-- The run row with its topology as text lines.
CREATE VIEW run_info AS
SELECT r.tool_version, r.schema_version,
       CASE WHEN r.seed IS NOT NULL THEN printf('0x%x', r.seed) END AS seed,
       r.source, r.created_at, r.batch_size, r.finished,
       (SELECT count(*) FROM ops) AS op_count,
       (SELECT max(seq) FROM ops) AS last_seq,
       (SELECT group_concat(line, char(10)) FROM (SELECT line FROM topology_lines ORDER BY seq)) AS topology
FROM run r;

-- Each device's IOVA space: devices in one IOMMU group share a domain; devices with no
-- IOMMU or on a passthrough IOMMU use bus addresses = physical addresses ('direct').
CREATE VIEW device_domains AS
SELECT n.id AS device_id,
       t.name AS device,
       CASE WHEN t.iommu IS NULL OR i.mode = 'passthrough' THEN 'direct'
            ELSE t.iommu || '/' || coalesce(t.iommu_group, t.name) END AS domain
FROM topology t
JOIN ops o ON o.seq = t.seq AND o.status = 0
JOIN names n ON n.kind = 'device' AND n.name = t.name
LEFT JOIN topology i ON i.kind = 'iommu' AND i.name = t.iommu
WHERE t.kind = 'device';

-- One row per mapped range: when it was mapped, and the first later op on the same
-- state or mapping that took it out of the page table (NULL: still mapped at the end).
-- It selects from mapped_ranges alone (the op's details come from scalar subqueries) so
-- that SQLite can flatten it into a LEFT JOIN and filter on iova or phys by index.
--   map    -> the next unmap of the mapping
--   link   -> the first unlink or destroy of the state whose range overlaps this one.
--             The state's address is the link's returned IOVA minus its offset; destroy
--             unmaps [addr, addr + mapped_len). A dma_iova_free never unmaps: ranges it
--             leaves behind stay mapped, as in the kernel.
-- A range partly unlinked counts as unmapped at that unlink. The match is by handle: a
-- later unlink through another state that happens to cover the same IOVA is not seen.
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
       (SELECT e.seq
          FROM ops o
          JOIN op_kind k ON k.code = o.kind
          JOIN ops e ON e.handle = o.handle AND e.seq > o.seq
          JOIN op_kind ek ON ek.code = e.kind
         WHERE o.seq = r.seq
           AND ((k.name = 'map' AND ek.name = 'unmap')
             OR (k.name = 'link' AND ek.name IN ('unlink', 'destroy')
                 AND o.out_address - o.offset + coalesce(e.offset, 0) < r.iova + r.length
                 AND o.out_address - o.offset + coalesce(e.offset, 0) + e.length > r.iova))
         ORDER BY e.seq LIMIT 1) AS unmapped_seq
FROM mapped_ranges r;

-- Mapping lifetimes, readable: each range from its link/map to its unlink/destroy/unmap.
CREATE VIEW mapping_lifetimes AS
SELECT s.mapped_seq, s.idx, s.mapped_by, s.device, s.handle,
       printf('0x%x', s.iova) AS iova,
       printf('0x%x', s.phys) AS phys,
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
-- overwrote it (ended_by 'alloc' or 'map': the earlier IOVA leaked).
CREATE VIEW lifetimes AS
SELECT s.seq AS start_seq,
       sk.name AS started_by,
       h.name AS handle,
       d.name AS device,
       st.name AS status,
       CASE WHEN s.out_address IS NOT NULL THEN printf('0x%x', s.out_address) END AS address,
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
-- faulting address before it, and a verdict:
--   after-unmap   the range had been unmapped before the fault: a use after unmap
--   while-mapped  the range was still mapped (a permission or not-synced fault)
--   never-mapped  nothing was ever mapped there
CREATE VIEW fault_history AS
SELECT f.fault_seq,
       f.device,
       f.fault_kind,
       printf('0x%x', f.fault_address) AS fault_address,
       s.handle AS last_handle,
       s.mapped_seq,
       s.unmapped_seq,
       CASE WHEN s.iova IS NOT NULL THEN printf('0x%x', s.iova) END AS range_iova,
       s.length AS range_length,
       CASE WHEN s.mapped_seq IS NULL THEN 'never-mapped'
            WHEN s.unmapped_seq < f.fault_seq THEN 'after-unmap'
            ELSE 'while-mapped' END AS verdict,
       CASE WHEN s.unmapped_seq < f.fault_seq THEN f.fault_seq - s.unmapped_seq END AS ops_since_unmap
FROM (SELECT fault.*,
             -- The latest range of the same IOVA space covering the address, mapped before
             -- the fault: a backward walk from the fault, which the EXISTS spares when no
             -- range ever covered the address.
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

-- IOVA states and mappings still live when their device detached (dma-debug class 22),
-- with the alloc or map that created them.
CREATE VIEW leaks AS
SELECT f.seq AS detach_seq,
       d.name AS device,
       f.handle,
       sk.name AS started_by,
       s.seq AS start_seq,
       CASE WHEN s.out_address IS NOT NULL THEN printf('0x%x', s.out_address) END AS address,
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

-- For each mapped range, the previous range that started at the same IOVA in the same
-- IOVA space, and how many ops ago: how quickly the allocator hands an IOVA out again.
CREATE VIEW iova_reuse AS
WITH domains AS MATERIALIZED (SELECT device_id, domain FROM device_domains)
SELECT r.seq,
       dd.domain,
       printf('0x%x', r.iova) AS iova,
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

-- Totals per device.
CREATE VIEW per_device AS
WITH op_totals AS (
         SELECT o.device AS device_id,
                count(*) AS ops,
                sum(k.name IN ('alloc', 'map')) AS allocs,
                sum(k.name = 'link') AS links,
                sum(k.name IN ('dev-read', 'dev-write')) AS accesses,
                sum(CASE WHEN k.name IN ('dev-read', 'dev-write') AND st.name = 'ok' THEN o.length ELSE 0 END) AS bytes_accessed,
                sum(o.fault_kind IS NOT NULL) AS faults,
                sum(st.name IN ('errno', 'fallback', 'mapping-error')) AS failed_calls
           FROM ops o
           JOIN op_kind k ON k.code = o.kind
           JOIN status_kind st ON st.code = o.status
          GROUP BY o.device),
     -- "seq >= 0" and CROSS JOIN make SQLite walk the child table in seq order and look
     -- ops up in the same order; left alone it walked the phys index and looked ops up
     -- at random (10x slower on 10M ops).
     range_totals AS (
         SELECT o.device AS device_id, sum(r.length) AS bytes_mapped
           FROM mapped_ranges r CROSS JOIN ops o ON o.seq = r.seq
          WHERE r.seq >= 0
          GROUP BY o.device),
     finding_totals AS (
         SELECT o.device AS device_id, count(*) AS findings
           FROM findings f CROSS JOIN ops o ON o.seq = f.seq
          WHERE f.seq >= 0
          GROUP BY o.device)
SELECT d.name AS device,
       t.ops,
       t.allocs,
       t.links,
       coalesce(r.bytes_mapped, 0) AS bytes_mapped,
       t.accesses,
       t.bytes_accessed,
       t.faults,
       t.failed_calls,
       coalesce(fi.findings, 0) AS findings
FROM op_totals t
JOIN names d ON d.id = t.device_id AND d.kind = 'device'
LEFT JOIN range_totals r ON r.device_id = t.device_id
LEFT JOIN finding_totals fi ON fi.device_id = t.device_id
ORDER BY d.name;

-- ---------------------------------------------------------------------------------------
-- Named queries: `dmajournal query FILE --named NAME`. Parameters are SQLite's :name
-- parameters, bound by the caller.

CREATE TABLE named_queries (
    name        TEXT PRIMARY KEY,
    parameters  TEXT NOT NULL,    -- comma list of the :names the SQL binds, '' for none
    description TEXT NOT NULL,
    sql         TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO named_queries (name, parameters, description, sql) VALUES
    ('lifetimes', '', 'each mapped range from its link/map to its unlink/destroy/unmap',
     'SELECT * FROM mapping_lifetimes ORDER BY mapped_seq, idx'),
    ('state-lifetimes', '', 'each IOVA state and streaming mapping from alloc/map to destroy/free/unmap',
     'SELECT * FROM lifetimes ORDER BY start_seq'),
    ('faults', '', 'every device fault with the last mapping that covered its address',
     'SELECT * FROM fault_history ORDER BY fault_seq'),
    ('faults-after-unmap', '', 'faults on an IOVA whose last mapping had already been unmapped',
     'SELECT * FROM fault_history WHERE verdict = ''after-unmap'' ORDER BY fault_seq'),
    ('leaks', '', 'states and mappings still live when their device detached',
     'SELECT * FROM leaks ORDER BY detach_seq, start_seq'),
    ('reuse-distance', '', 'per IOVA space: how many ranges reused an IOVA, and how many ops after its previous use',
     'SELECT domain, count(*) AS reuses, min(reuse_distance) AS min_ops, round(avg(reuse_distance), 1) AS avg_ops,
             max(reuse_distance) AS max_ops
        FROM iova_reuse WHERE previous_seq IS NOT NULL
       GROUP BY domain ORDER BY domain'),
    ('per-device', '', 'op, mapping, access, fault and finding totals per device',
     'SELECT * FROM per_device'),
    ('mapped-at', 'iova,seq', 'what was mapped at device-side address :iova just after op :seq, per IOVA space',
     -- A page table holds at most one entry per IOVA: in each IOVA space, of the ranges
     -- starting at one address only the latest mapped by :seq can still be mapped. So each
     -- distinct range start within max_range_bytes below :iova is found by one index probe
     -- (the recursive CTE), and its latest range per IOVA space by another.
     'WITH RECURSIVE
        starts(iova) AS (
            SELECT (SELECT max(iova) FROM mapped_ranges
                     WHERE iova <= :iova AND iova > :iova - (SELECT max_range_bytes FROM run))
            UNION ALL
            SELECT (SELECT max(r.iova) FROM mapped_ranges r
                     WHERE r.iova < starts.iova AND r.iova > :iova - (SELECT max_range_bytes FROM run))
              FROM starts WHERE starts.iova IS NOT NULL),
        domains(domain) AS (SELECT DISTINCT domain FROM device_domains)
      SELECT s.mapped_seq, s.domain, s.device, s.handle, printf(''0x%x'', s.iova) AS iova,
             printf(''0x%x'', s.phys) AS phys, s.length, s.unmapped_seq
        FROM starts st
        CROSS JOIN domains d
        JOIN mapping_spans s
          ON s.iova = st.iova
         AND s.mapped_seq = (SELECT x.mapped_seq FROM mapping_spans x
                              WHERE x.iova = st.iova AND x.mapped_seq <= :seq AND x.domain = d.domain
                              ORDER BY x.mapped_seq DESC LIMIT 1)
       WHERE st.iova IS NOT NULL AND s.iova_end > :iova
         AND (s.unmapped_seq IS NULL OR s.unmapped_seq > :seq)
       ORDER BY s.mapped_seq, s.idx'),
    -- One physical page may be mapped at many IOVAs at once, so there is no "latest wins"
    -- shortcut here: every range that ever covered :phys is checked.
    ('mapped-at-phys', 'phys,seq', 'which device-side ranges mapped physical address :phys just after op :seq',
     'SELECT mapped_seq, domain, device, handle, printf(''0x%x'', iova) AS iova, printf(''0x%x'', phys) AS phys, length, unmapped_seq
        FROM mapping_spans
       WHERE phys BETWEEN :phys - (SELECT max_range_bytes FROM run) + 1 AND :phys
         AND phys_end > :phys AND mapped_seq <= :seq
         AND (unmapped_seq IS NULL OR unmapped_seq > :seq)
       ORDER BY mapped_seq, idx');

PRAGMA user_version = 1;

-- @deferred-indexes
-- Everything above runs when a journal is created; what follows runs when the recording
-- finishes (JournalWriter.finish, or JournalWriter.recover after a crash).

-- Everything that happened to one state or mapping, in order: lifetimes, the op that
-- unmapped a range.
CREATE INDEX IF NOT EXISTS ops_by_handle ON ops (handle, seq) WHERE handle IS NOT NULL;
-- Faults in seq order: on (seq), so "faults ORDER BY seq" needs neither a sort nor a scan.
CREATE INDEX IF NOT EXISTS ops_faults ON ops (seq) WHERE fault_kind IS NOT NULL;
-- "What was mapped at IOVA X / physical P": ranges starting in (X - max_range_bytes, X].
CREATE INDEX IF NOT EXISTS mapped_ranges_by_iova ON mapped_ranges (iova);
CREATE INDEX IF NOT EXISTS mapped_ranges_by_phys ON mapped_ranges (phys);
