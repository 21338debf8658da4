-- dmajournal journal schema, version 12: how a recording ended, and the shape it was
-- sealed with.
--
-- A recording stopped by Ctrl-C or SIGTERM used to be sealed like one that ran to its
-- end: the journal said "complete". It now records the signal, and the command line that
-- made it, so `replay`, `query` and the report can say "interrupted recording" and how to
-- record it again.
--
-- Sealing (finish, recover, import) also stores how many ops the journal held. A journal
-- is damaged when its ops are no longer 0, 1, 2, … up to that count: rows deleted at
-- the tail, a row at a negative seq, a hole in the middle, a row duplicated. The reader
-- checks this on open (JournalStructure) and reports damage as damage, never as a model
-- divergence. A journal sealed by an older version has NULL here: only the contiguity of
-- its seqs is checked.

ALTER TABLE run ADD COLUMN command_line    TEXT;                        -- the tool's arguments, shell-quoted
ALTER TABLE run ADD COLUMN interrupted     INTEGER NOT NULL DEFAULT 0;  -- the signal that stopped it (2 SIGINT, 15 SIGTERM); 0: ran to its end
ALTER TABLE run ADD COLUMN sealed_op_count INTEGER;                     -- rows in ops when the journal was sealed

DROP VIEW run_info;
CREATE VIEW run_info AS
SELECT r.tool_version, r.schema_version,
       CASE WHEN r.seed IS NOT NULL THEN printf('0x%x', r.seed) END AS seed,
       r.source, r.created_at, r.batch_size, r.finished,
       (SELECT count(*) FROM ops) AS op_count,
       (SELECT max(seq) FROM ops) AS last_seq,
       (SELECT group_concat(line, char(10)) FROM (SELECT line FROM topology_lines ORDER BY seq)) AS topology,
       CASE WHEN r.interrupted = 2 THEN 'interrupted recording (SIGINT)'
            WHEN r.interrupted = 15 THEN 'interrupted recording (SIGTERM)'
            WHEN r.interrupted <> 0 THEN printf('interrupted recording (signal %d)', r.interrupted)
            WHEN r.finished THEN 'complete'
            ELSE 'did not finish (killed; dmajournal recover builds its indexes)'
       END AS ended,
       r.command_line,
       r.sealed_op_count
FROM run r;

PRAGMA user_version = 12;
