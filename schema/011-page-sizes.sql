-- dmajournal journal schema, version 11: large pages (issue 15), ERANGE, and the errnos
-- of 7.3's generic page table (ENXIO, EADDRINUSE).
--
-- An IOMMU's page sizes: its pgsize_bitmap (bit n set: PTEs of 2^n bytes), which
-- iommu_pgsize() picks from when a link or map installs PTEs. NULL in journals made
-- before this version, whose IOMMUs mapped every PTE as one granule: replay reads NULL
-- as the granule alone, so they replay as they were recorded.
ALTER TABLE topology ADD COLUMN page_sizes INTEGER;

-- map_pages() installed block PTEs: address is the first IOVA, length the bytes, and
-- target the page size (0x200000, 0x40000000).
INSERT INTO event_kind (code, name, address_space) VALUES (30, 'block-map', 'iova');

-- A map whose IOVA or physical address is past what the page table holds
-- (arm_lpae_map_pages(), the generic page table's map_range()).
INSERT INTO errno_name (code, name) VALUES (34, 'ERANGE');

-- What 7.3's generic page table (drivers/iommu/generic_pt/iommu_pt.h, map_range(), under
-- VT-d and AMD-Vi) returns where io-pgtable's map_pages said -EINVAL or -EEXIST: -ENXIO
-- for an IOVA or physical address no page size fits (pt_compute_best_pgsize() is 0),
-- -EADDRINUSE over a present PTE (__map_range_leaf(), clear_contig(), __map_range()).
INSERT INTO errno_name (code, name) VALUES (6, 'ENXIO'), (98, 'EADDRINUSE');

-- topology_lines of version 9 (the machine's dma-debug= and tick-phase=), with
-- page-sizes= on iommu lines that recorded it, a device's min-align-mask (010) and
-- `swiotlb noforce` (size_bytes 0: swiotlb=noforce, no pool even where the kernel would
-- make one at boot).
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

PRAGMA user_version = 11;
