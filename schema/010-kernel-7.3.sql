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

-- -ENXIO (7.3's generic IOMMU page table refusing an unaligned physical address, as an
-- untrusted device's unaligned dma_iova_link without a min_align_mask gets it) is in 011,
-- with the generic page table's other errnos; topology_lines shows min-align-mask and
-- `swiotlb noforce` (a swiotlb row of size 0) from 011 on.

PRAGMA user_version = 10;
