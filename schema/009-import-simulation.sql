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

PRAGMA user_version = 9;
