-- dmajournal journal schema, version 4: journals imported from real kernel traces.
-- (Version 3 belongs to another change; the numbers may have gaps.)
--
-- `dmajournal import FILE...` reads ftrace text (the dma:* and iommu:* events), dmesg and
-- syslog IOMMU fault reports, dma-debug warnings and QEMU IOMMU trace lines, and journals
-- each event as ops through the same writer as a simulation, so the views of version 1
-- answer the same questions (docs/import.md says which event becomes which op). Every op
-- the importer wrote from a line has a row in `imported_ops` saying where it came from;
-- the device and IOMMU declarations it adds at the end have none.
--
-- Conventions of imported ops
--   * A value the trace line did not carry is NULL in `ops` and `topology`, never a
--     guess. `mapped_ranges.phys` and `.prot` cannot be NULL: there, 0 stands for "not in
--     the trace" exactly when the op's own `phys` / `dir` is NULL (a dma_alloc event has
--     no physical address, an iommu:map event no direction).
--   * `ops.address` also holds the DMA address an imported unmap or sync named (a
--     simulated unmap or sync names its mapping by handle only).
--   * `ops.source_line` is the line in the source file; `imported_ops.source_id` says
--     which file.

-- One row per file imported.
CREATE TABLE import_sources (
    id           INTEGER PRIMARY KEY,
    path         TEXT NOT NULL,
    formats      TEXT NOT NULL DEFAULT '',   -- comma list of what was recognized: ftrace, dmesg, syslog, qemu
    lines        INTEGER NOT NULL DEFAULT 0, -- lines read
    events       INTEGER NOT NULL DEFAULT 0, -- DMA/IOMMU events parsed
    skipped      INTEGER NOT NULL DEFAULT 0, -- non-blank, non-comment lines that were neither an event nor part of one
    joined_lines INTEGER NOT NULL DEFAULT 0, -- lines a mail client had wrapped, re-joined to the line before
    quoted_lines INTEGER NOT NULL DEFAULT 0  -- lines that carried '>' mail quote prefixes
);

-- Events per kernel naming (dma_map_page, iommu_map_old, dmar_fault, ...) per file.
CREATE TABLE import_event_counts (
    source_id INTEGER NOT NULL REFERENCES import_sources (id),
    event     TEXT NOT NULL,
    count     INTEGER NOT NULL,
    PRIMARY KEY (source_id, event)
) WITHOUT ROWID;

-- Where each imported op came from.
CREATE TABLE imported_ops (
    seq           INTEGER PRIMARY KEY REFERENCES ops (seq),
    source_id     INTEGER NOT NULL REFERENCES import_sources (id),
    line          INTEGER NOT NULL,   -- first line of the record in the file, from 1
    line_count    INTEGER NOT NULL,   -- lines it spans: a wrapped line re-joined, a multi-line report
    source_format TEXT NOT NULL,      -- ftrace | dmesg | syslog | qemu
    kernel_naming TEXT NOT NULL,      -- the event or message as the kernel (or QEMU) names it
    timestamp_ns  INTEGER,            -- time since boot: ftrace's clock, dmesg's [seconds]
    wall_clock    TEXT,               -- a calendar time, as the line gave it (dmesg -T, syslog, QEMU)
    cpu           INTEGER,
    task          TEXT,
    pid           INTEGER,
    note          TEXT,               -- what the importer decided that the line did not say
    raw           TEXT NOT NULL       -- the record as read (quote prefixes removed, wrapped lines joined)
);

-- Lines that were not imported: the count per reason, and the first few of each.
CREATE TABLE import_skip_reasons (
    source_id INTEGER NOT NULL REFERENCES import_sources (id),
    reason    TEXT NOT NULL,
    count     INTEGER NOT NULL,
    PRIMARY KEY (source_id, reason)
) WITHOUT ROWID;

CREATE TABLE import_skips (
    source_id INTEGER NOT NULL REFERENCES import_sources (id),
    line      INTEGER NOT NULL,
    reason    TEXT NOT NULL,
    text      TEXT NOT NULL,
    PRIMARY KEY (source_id, line)
) WITHOUT ROWID;

-- Every imported op with where it came from and what it became.
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
       CASE WHEN coalesce(o.out_address, o.address, o.fault_address) IS NOT NULL
            THEN printf('0x%x', coalesce(o.out_address, o.address, o.fault_address)) END AS address,
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

-- topology_lines again, now leaving out what an imported declaration does not know
-- (a NULL column) instead of printing it as 0. Simulated journals read as before.
DROP VIEW topology_lines;
CREATE VIEW topology_lines AS
SELECT t.seq,
       CASE t.kind
       WHEN 'region' THEN printf('region %s base=0x%x size=0x%x kind=%s', t.name, t.base, t.size_bytes, t.region_kind)
       WHEN 'iommu' THEN printf('iommu %s', t.name)
            || CASE WHEN t.mode IS NOT NULL THEN ' mode=' || t.mode ELSE '' END
            || CASE WHEN t.granule_bytes IS NOT NULL THEN printf(' granule=0x%x', t.granule_bytes) ELSE '' END
            || CASE WHEN t.aperture_bits IS NOT NULL THEN printf(' aperture-bits=%d', t.aperture_bits) ELSE '' END
            || CASE WHEN t.needs_sync_map THEN ' needs-sync-map' ELSE '' END
            || CASE WHEN t.fq_slots <> 256 THEN printf(' fq-size=%d', t.fq_slots) ELSE '' END
            || CASE WHEN t.force_dac THEN ' forcedac' ELSE '' END
            || CASE WHEN t.reserved <> '' THEN ' reserve=' || t.reserved ELSE '' END
       WHEN 'device' THEN printf('device %s iommu=%s', t.name, coalesce(t.iommu, 'none'))
            || CASE WHEN t.dma_bits IS NOT NULL THEN printf(' dma-bits=%d', t.dma_bits) ELSE '' END
            || CASE WHEN t.coherent THEN ' coherent' WHEN t.coherent IS NOT NULL THEN ' noncoherent' ELSE '' END
            || CASE WHEN t.untrusted THEN ' untrusted' ELSE '' END
            || CASE WHEN t.bus <> 'pci' THEN ' bus=' || t.bus ELSE '' END
            || CASE WHEN t.iommu_group IS NOT NULL THEN ' group=' || t.iommu_group ELSE '' END
       WHEN 'swiotlb' THEN printf('swiotlb size=0x%x base=0x%x', t.size_bytes, t.base)
            || CASE WHEN t.force THEN ' force' ELSE '' END
       END AS line
FROM topology t JOIN ops o ON o.seq = t.seq
WHERE o.status = 0;

PRAGMA user_version = 4;

-- @deferred-indexes
-- "Which op came from line N of file F".
CREATE INDEX IF NOT EXISTS imported_ops_by_line ON imported_ops (source_id, line);
