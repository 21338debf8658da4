-- dmajournal journal schema, version 17: IOTLB fills (issue 17 item 7).
-- (Versions 14 and 15 belong to other changes; the numbers may have gaps.)
--
-- A device access that misses the IOTLB walks the page table and caches the leaf it
-- finds (a block PTE whole): an `iotlb-fill` event. address and length are the IOVA
-- range cached, target the physical address its first byte translates to. The pages one
-- access fills that continue each other in IOVA and in physical address are one event,
-- so an access costs one row per contiguous run it filled, not one per page.
--
-- With the fills in the journal, a stale hit can be traced to the op that filled the
-- entry and the unmap that left it stale (`dmajournal state`, docs/state.md); the
-- stale-iotlb-hit finding names both by seq. A journal whose run.schema_version is below
-- 17 was recorded without fills: replay compares it without them.
INSERT INTO event_kind (code, name, address_space) VALUES (40, 'iotlb-fill', 'iova');

-- Every fill with the device and handle of the access that made it.
CREATE VIEW iotlb_fills AS
SELECT e.seq,
       d.name AS device,
       h.name AS handle,
       e.address AS iova,
       e.length,
       e.target AS phys
FROM events e
JOIN event_kind ek ON ek.code = e.kind AND ek.name = 'iotlb-fill'
JOIN ops o ON o.seq = e.seq
LEFT JOIN names d ON d.id = o.device
LEFT JOIN names h ON h.id = o.handle;

PRAGMA user_version = 17;
