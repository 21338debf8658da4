-- dmajournal journal schema, version 3: memory snapshots and checkpoints.
--
-- A snapshot is the simulated RAM after one op, split into 64 KiB chunks. All-zero chunks
-- are left out; every other chunk is named by the XXH3-64 hash of its bytes and stored
-- once in `chunks`, shared by every snapshot that holds it, as one LZ4 frame that the
-- stock `lz4 -d` decompresses. A checkpoint is a snapshot plus the engine's full state,
-- so a replay can start there instead of at op 0.
--
-- Crash safety: snapshot rows are written inside the recording's open batch transaction,
-- so a snapshot is committed with its batch or absent. `dmajournal snapshot` is the only
-- command that writes to an existing journal, in one transaction of its own.
-- Version 4 belongs to another part of the tool; the numbers need not be contiguous.

-- Each distinct chunk once.
CREATE TABLE chunks (
    hash      INTEGER PRIMARY KEY,   -- XXH3-64 (seed 0) of the raw chunk, by bit pattern; also its checksum
    raw_bytes INTEGER NOT NULL,      -- bytes the frame decompresses to: 65536
    frame     BLOB NOT NULL          -- one LZ4 frame: independent 64 KiB blocks, content size, no checksums
);

-- One row per snapshot or checkpoint.
CREATE TABLE snapshots (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,      -- a script's checkpoint name, auto:SEQ (record), or --name
    seq             INTEGER NOT NULL,   -- taken after this op; -1: before the first op
    kind            TEXT NOT NULL CHECK (kind IN ('snapshot', 'checkpoint')),
    epoch           INTEGER NOT NULL,   -- the engine write epoch it closed (incremental capture)
    chunk_count     INTEGER NOT NULL,   -- non-zero chunks it holds: its rows in snapshot_chunks
    examined_chunks INTEGER NOT NULL,   -- chunks read at capture: those written since the previous snapshot
    new_chunks      INTEGER NOT NULL,   -- chunks it added to `chunks` (the others were stored already)
    new_frame_bytes INTEGER NOT NULL    -- compressed bytes it added to `chunks`
);
-- "The latest snapshot called N at or before seq S" is one probe.
CREATE INDEX snapshots_by_name ON snapshots (name, seq);

-- What each snapshot holds: chunk index (phys / 65536) to content hash.
CREATE TABLE snapshot_chunks (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots (id),
    chunk_index INTEGER NOT NULL,
    hash        INTEGER NOT NULL REFERENCES chunks (hash),
    PRIMARY KEY (snapshot_id, chunk_index)
) WITHOUT ROWID;

-- The engine state of each checkpoint.
CREATE TABLE checkpoints (
    snapshot_id  INTEGER PRIMARY KEY REFERENCES snapshots (id),
    state        BLOB NOT NULL,      -- LZ4 frame of Engine.encodeState()
    state_format INTEGER NOT NULL,   -- the state encoding's format version
    state_bytes  INTEGER NOT NULL    -- size of the state before compression
);

-- Every snapshot with its size: non-zero bytes it holds, what it added, its state.
CREATE VIEW snapshot_list AS
SELECT s.id, s.name, s.seq, s.kind,
       s.chunk_count,
       s.chunk_count * 65536 AS nonzero_bytes,
       s.examined_chunks,
       s.new_chunks,
       s.new_frame_bytes,
       c.state_bytes,
       length(c.state) AS state_frame_bytes
FROM snapshots s LEFT JOIN checkpoints c ON c.snapshot_id = s.id;

-- Each chunk of each snapshot: where it is, in which region, how well it compressed.
CREATE VIEW snapshot_chunk_map AS
SELECT s.name AS snapshot, s.seq, sc.chunk_index,
       printf('0x%x', sc.chunk_index * 65536) AS phys,
       (SELECT t.name FROM topology t
         WHERE t.kind = 'region' AND t.base <= sc.chunk_index * 65536
           AND sc.chunk_index * 65536 < t.base + t.size_bytes) AS region,
       printf('0x%016x', sc.hash) AS hash,
       length(c.frame) AS frame_bytes
FROM snapshot_chunks sc
JOIN snapshots s ON s.id = sc.snapshot_id
LEFT JOIN chunks c ON c.hash = sc.hash;

-- Storage for the whole journal: chunk references against chunks stored (dedup), and
-- raw against compressed bytes.
CREATE VIEW snapshot_storage AS
SELECT (SELECT count(*) FROM snapshots) AS snapshots,
       (SELECT count(*) FROM checkpoints) AS checkpoints,
       (SELECT count(*) FROM snapshot_chunks) AS chunk_refs,
       (SELECT count(*) FROM chunks) AS chunks_stored,
       (SELECT coalesce(sum(raw_bytes), 0) FROM chunks) AS raw_bytes,
       (SELECT coalesce(sum(length(frame)), 0) FROM chunks) AS frame_bytes,
       (SELECT coalesce(sum(length(state)), 0) FROM checkpoints) AS state_frame_bytes;

INSERT INTO named_queries (name, parameters, description, sql) VALUES
    ('snapshot-changes', 'a,b', 'the 64 KiB chunks whose content differs between the latest snapshots named :a and :b',
     'WITH sa AS (SELECT id FROM snapshots WHERE name = :a ORDER BY seq DESC LIMIT 1),
           sb AS (SELECT id FROM snapshots WHERE name = :b ORDER BY seq DESC LIMIT 1),
           ca AS (SELECT chunk_index, hash FROM snapshot_chunks WHERE snapshot_id = (SELECT id FROM sa)),
           cb AS (SELECT chunk_index, hash FROM snapshot_chunks WHERE snapshot_id = (SELECT id FROM sb)),
           both_sides AS (SELECT chunk_index FROM ca UNION SELECT chunk_index FROM cb)
      SELECT x.chunk_index, printf(''0x%x'', x.chunk_index * 65536) AS phys,
             CASE WHEN a.hash IS NULL THEN ''zero'' ELSE printf(''0x%016x'', a.hash) END AS hash_a,
             CASE WHEN b.hash IS NULL THEN ''zero'' ELSE printf(''0x%016x'', b.hash) END AS hash_b
        FROM both_sides x
        LEFT JOIN ca a ON a.chunk_index = x.chunk_index
        LEFT JOIN cb b ON b.chunk_index = x.chunk_index
       WHERE a.hash IS NOT b.hash
       ORDER BY x.chunk_index');

PRAGMA user_version = 3;
