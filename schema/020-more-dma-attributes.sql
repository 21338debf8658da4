-- dmajournal journal schema, version 20: the DMA_ATTR_* bits op scripts name since the
-- kernel versions between 6.16 and 7.3 were added (docs/kernel-model.md, "Kernel versions").
-- (Versions 18 and 19 belong to other changes; the numbers may have gaps.)
--
-- DMA_ATTR_NO_KERNEL_MAPPING, DMA_ATTR_FORCE_CONTIGUOUS and DMA_ATTR_ALLOC_SINGLE_PAGES
-- are allocation attributes: a streaming map or a link ignores them, but dma-debug's
-- DMA_ATTR_UNMAP_VALID (7.2+) wants the first two the same at unmap as at map.
-- DMA_ATTR_CC_SHARED (7.3): memory shared with the host of a confidential-computing
-- guest, mapped by dma-direct at its unencrypted address, never bounced.
INSERT INTO dma_attr (bit, name) VALUES
    (16, 'no-kernel-mapping'), (64, 'force-contiguous'), (128, 'alloc-single-pages'),
    (8192, 'cc-shared');

PRAGMA user_version = 20;
