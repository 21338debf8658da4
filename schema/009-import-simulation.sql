-- dmajournal journal schema, version 9: what an import's simulation filled in.
-- (Version 8 belongs to another change; the numbers may have gaps.)
--
-- `dmajournal import` runs the trace on the model as it journals it (the engine's checker
-- gives the findings, `ops.claims` holds what the kernel did). What the trace did not say
-- the simulation decided, and says so here, one sentence per row, in the order decided:
-- the IOMMU's mode and where it came from (the capture's iommu_group types, dmesg's
-- policy line, the command line, or the architecture's default), DMA masks read from a
-- device's first IOVA, made-up physical addresses, mappings older than the trace.
-- `export --format script` prints them as the script's header.

CREATE TABLE import_assumptions (
    idx  INTEGER PRIMARY KEY,
    text TEXT NOT NULL
);

-- The machine line's two new fields (topology kind 'machine'):
--   dma_debug      CONFIG_DMA_API_DEBUG: 1 on (the default: the checker is dma-debug), 0 off,
--                  as distribution kernels and real traces are (dma_need_unmap() can then be
--                  false and drivers skip unmaps)
--   tick_phase_ns  where the jiffy ticks fall on the clock: at tick_phase_ns + n × 10⁹/HZ
ALTER TABLE topology ADD COLUMN dma_debug INTEGER;
ALTER TABLE topology ADD COLUMN tick_phase_ns INTEGER;

-- topology_lines of version 8 with the machine's new fields.
DROP VIEW topology_lines;
CREATE VIEW topology_lines AS
SELECT t.seq,
       CASE t.kind
       WHEN 'machine' THEN printf('machine arch=%s kernel=%s cpus=%d hz=%d', t.arch, t.kernel, t.cpus, t.hz)
            || CASE WHEN t.dma_debug = 0 THEN ' dma-debug=off' ELSE '' END
            || CASE WHEN t.tick_phase_ns > 0 THEN printf(' tick-phase=%dns', t.tick_phase_ns) ELSE '' END
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


PRAGMA user_version = 9;
