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

PRAGMA user_version = 10;
