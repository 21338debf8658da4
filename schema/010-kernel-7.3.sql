-- dmajournal journal schema, version 10: what Linux 7.3 adds to the model.
--
-- An oops: a call that never returned because the kernel faulted inside it. swiotlb
-- copies every bounced buffer through phys_to_virt(), and memory outside the kernel's
-- direct map (a `shared` or `mmio` region: RAM above mem=, cluster or device memory) is
-- not mapped there, so a bounce of it is a page fault in swiotlb_tbl_map_single(). The
-- op keeps status `oops`; its finding (`bounce-outside-direct-map`) names the device,
-- address, size and path, its warnings the kernel's report, its `kernel-oops` event the
-- physical range the copy read.

INSERT INTO status_kind (code, name) VALUES (6, 'oops');
INSERT INTO event_kind (code, name, address_space) VALUES (20, 'kernel-oops', 'phys');

-- DMA_ATTR_DEBUGGING_IGNORE_CACHELINES (7.0): the mappings sharing a cacheline say so, and
-- dma-debug's overlap check keeps quiet.
INSERT INTO dma_attr (bit, name) VALUES (2048, 'debugging-ignore-cachelines');

-- dma_set_min_align_mask(): the low address bits a swiotlb bounce keeps (NVMe: 0xfff).
-- NULL for devices journaled before this version, which had none.
ALTER TABLE topology ADD COLUMN min_align_mask INTEGER;

-- -ENXIO: 7.3's generic IOMMU page table refuses an unaligned physical address with it
-- (an untrusted device's unaligned dma_iova_link without a min_align_mask).
INSERT INTO errno_name (code, name) VALUES (6, 'ENXIO');

-- topology_lines of version 8 with the device's min-align-mask and `swiotlb noforce`
-- (size_bytes 0: swiotlb=noforce, no pool even where the kernel would make one at boot).
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
            || CASE WHEN t.min_align_mask THEN printf(' min-align-mask=0x%x', t.min_align_mask) ELSE '' END
       WHEN 'swiotlb' THEN CASE WHEN t.size_bytes = 0 THEN 'swiotlb noforce'
            ELSE printf('swiotlb size=0x%x base=0x%x', t.size_bytes, t.base)
                 || CASE WHEN t.force THEN ' force' ELSE '' END END
       END AS line
FROM topology t JOIN ops o ON o.seq = t.seq
WHERE o.status = 0;

PRAGMA user_version = 10;
