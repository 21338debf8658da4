-- Version 23 (issue 26, untrusted devices): topology_lines spells a device whose driver set
-- pci_dev->untrusted in its probe, after iommu_probe_device() chose its domain, as the op
-- script does: `untrusted-at-probe` (topology.untrusted = 2; 1 is `untrusted`, the device
-- untrusted from enumeration, pci_set_removable()/set_pcie_untrusted()). The view is
-- version 15's with that one line changed.

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
            || CASE WHEN t.untrusted = 2 THEN ' untrusted-at-probe' WHEN t.untrusted THEN ' untrusted' ELSE '' END
            || CASE WHEN t.bus <> 'pci' THEN ' bus=' || t.bus ELSE '' END
            || CASE WHEN t.iommu_group IS NOT NULL THEN ' group=' || t.iommu_group ELSE '' END
            || CASE WHEN t.min_align_mask THEN printf(' min-align-mask=0x%x', t.min_align_mask) ELSE '' END
       WHEN 'swiotlb' THEN CASE WHEN t.size_bytes = 0 THEN 'swiotlb noforce'
            ELSE printf('swiotlb size=0x%x base=0x%x', t.size_bytes, t.base)
                 || CASE WHEN t.force THEN ' force' ELSE '' END END
       END AS line
FROM topology t JOIN ops o ON o.seq = t.seq
WHERE o.status = 0;

PRAGMA user_version = 23;
