-- dmajournal journal schema, version 2: the injected-misuse mark.
--
-- `dmajournal record --inject CLASS` makes the simulated driver commit a misuse on
-- purpose. The op where it did is marked here, so tests (and users checking the tools)
-- can see whether bisect named the right op. Replay, bisect and minimise never read this
-- table: a bug is found by its outcomes, not by being told where it is.

CREATE TABLE injections (
    seq    INTEGER PRIMARY KEY REFERENCES ops (seq),
    class  TEXT NOT NULL,   -- InjectionClass raw value: missing-sync, late-access, ...
    handle TEXT NOT NULL    -- the IOVA state or streaming mapping the misuse concerns
);

-- Each injected op with what the checker said about it at that op.
CREATE VIEW injected_ops AS
SELECT i.seq, i.class AS injected, i.handle, k.name AS kind,
       (SELECT group_concat(f.class, ',') FROM findings f WHERE f.seq = i.seq) AS findings_here
FROM injections i JOIN ops o ON o.seq = i.seq JOIN op_kind k ON k.code = o.kind;

PRAGMA user_version = 2;
