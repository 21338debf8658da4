-- dmajournal journal schema, version 8: where and when each op ran, and the machine.
-- (Versions 9 and up belong to other changes; the numbers may have gaps, and readers ask
-- the file which columns it has rather than comparing version numbers.)
--
-- Every op may carry the CPU it ran on and the kernel's timestamp (op scripts: `cpu=N`,
-- `time=12.094264s`); the engine keeps a clock that only ops' times and `advance` move,
-- and fires kernel timers (the flush queue's fq_timer, ...) when it passes their deadline:
-- what a timer did is in the events of the op during which it fired.
--
--   ops.cpu       the CPU the op ran on (0 when the op named none)
--   ops.time_ns   nanoseconds since boot; NULL when the op carried no time
--
-- Two op kinds:
--   machine   `machine arch=… kernel=… cpus=… hz=…`, at most once, before all other
--             topology; its details are in `topology` (kind 'machine'). A journal without
--             one ran on the defaults: x86_64, kernel 7.3, 1 CPU, HZ 250.
--   advance   `advance DURATION`: the clock moves forward by ops.length nanoseconds
--             (after moving to the op's own time_ns, when it has one).

INSERT INTO op_kind (code, name) VALUES (24, 'machine'), (25, 'advance');

ALTER TABLE ops ADD COLUMN cpu INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ops ADD COLUMN time_ns INTEGER;

ALTER TABLE topology ADD COLUMN arch TEXT;       -- machine: x86_64 | arm64
ALTER TABLE topology ADD COLUMN kernel TEXT;     -- machine: 7.3 | 6.16, whose semantics the engine follows
ALTER TABLE topology ADD COLUMN cpus INTEGER;    -- machine: online CPUs
ALTER TABLE topology ADD COLUMN hz INTEGER;      -- machine: CONFIG_HZ

-- op_log of version 1 with the op's CPU and time (as nanoseconds, and as seconds with six
-- decimals, as ftrace prints it) at the end.
DROP VIEW op_log;
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

-- topology_lines of version 4 with the machine line.
DROP VIEW topology_lines;
CREATE VIEW topology_lines AS
SELECT t.seq,
       CASE t.kind
       WHEN 'machine' THEN printf('machine arch=%s kernel=%s cpus=%d hz=%d', t.arch, t.kernel, t.cpus, t.hz)
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

PRAGMA user_version = 8;
