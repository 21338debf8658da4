-- dmajournal journal schema, version 16: which journal this is, and where it was made.
-- (Versions 9 to 15 belong to other changes; the numbers may have gaps: 12 is the recording-end one.)
--
-- A fleet store (`dmajournal push`, docs/fleet.md) keys every row by the journal it came
-- from. The key must travel with the file, so that pushing a journal twice, or a copy of
-- it from another machine, is recognised as the same journal: the writer draws a random
-- 128-bit id when it creates the journal and stores it here, as a UUID in text
-- (8-4-4-4-12 lowercase hex). The host is what a fleet asks next: which machine recorded
-- this (how: run.command_line, schema 012).
--
--   run.journal_id    random UUID, set once at creation, never changed
--   run.host          the recording machine's host name (gethostname), NULL when unknown

ALTER TABLE run ADD COLUMN journal_id TEXT;
ALTER TABLE run ADD COLUMN host TEXT;

PRAGMA user_version = 16;
