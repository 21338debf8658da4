-- Version 15 (issue 14, lazy flush-queue timing): an IOMMU's flush-queue timer.
--   fq_timer  'kernel': fq_timer runs on the engine's clock, at the tick the timer wheel
--             gives it (queue_iova()'s mod_timer, calc_wheel_index());
--             'explicit': only where `flush` ops say. An import of a lazy trace uses it and
--             journals each run of fq_flush_timeout() it finds in the trace as a flush op
--             (a timer:timer_expire_entry, or the first IOVA the kernel handed out again
--             out of the flush queue). NULL in journals from before it: 'kernel'.
-- A `flush` op names the device whose domain it flushes in `handle` (NULL: every domain
-- of the IOMMU in `device`) and, in `offset`, when the timer ran (ns since boot) if that
-- was before the op (`flush … at=`: an import learns it from a later IOVA; the ranges
-- queued after it stay queued).
ALTER TABLE topology ADD COLUMN fq_timer TEXT;

-- topology_lines of version 11 with fq-timer=explicit on iommu lines.
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
            || CASE WHEN t.page_sizes IS NOT NULL THEN printf(' page-sizes=0x%x', t.page_sizes) ELSE '' END
            || CASE WHEN t.aperture_bits IS NOT NULL THEN printf(' aperture-bits=%d', t.aperture_bits) ELSE '' END
            || CASE WHEN t.needs_sync_map THEN ' needs-sync-map' ELSE '' END
            || CASE WHEN t.fq_slots <> 256 THEN printf(' fq-size=%d', t.fq_slots) ELSE '' END
            || CASE WHEN t.fq_timer = 'explicit' THEN ' fq-timer=explicit' ELSE '' END
            || CASE WHEN t.force_dac THEN ' forcedac' ELSE '' END
            || CASE WHEN t.reserved <> '' THEN ' reserve=' || t.reserved ELSE '' END
       WHEN 'device' THEN printf('device %s iommu=%s', t.name, coalesce(t.iommu, 'none'))
            || CASE WHEN t.dma_bits IS NOT NULL THEN printf(' dma-bits=%d', t.dma_bits) ELSE '' END
            || CASE WHEN t.coherent THEN ' coherent' WHEN t.coherent IS NOT NULL THEN ' noncoherent' ELSE '' END
            || CASE WHEN t.untrusted THEN ' untrusted' ELSE '' END
            || CASE WHEN t.bus <> 'pci' THEN ' bus=' || t.bus ELSE '' END
            || CASE WHEN t.iommu_group IS NOT NULL THEN ' group=' || t.iommu_group ELSE '' END
            || CASE WHEN t.min_align_mask THEN printf(' min-align-mask=0x%x', t.min_align_mask) ELSE '' END
       WHEN 'swiotlb' THEN CASE WHEN t.size_bytes = 0 THEN 'swiotlb noforce'
            ELSE printf('swiotlb size=0x%x base=0x%x', t.size_bytes, t.base)
                 || CASE WHEN t.force THEN ' force' ELSE '' END END
       END AS line
FROM topology t JOIN ops o ON o.seq = t.seq
WHERE o.status = 0;

PRAGMA user_version = 15;
