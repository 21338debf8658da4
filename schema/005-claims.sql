-- dmajournal journal schema, version 5: the expectations each op was recorded with.
--
-- An op script line may end with `=> claims` (ok, iova=…, bytes=seed:7, violation …), and
-- every workload step carries the claims a correct driver holds. Keeping them lets a
-- journal answer "did the data come back as the driver expected?" later: bisect and
-- minimise use them as the "expectation mismatch" predicate, and export writes them back.
-- The text is the op-script spelling after `=>`; NULL when the op claimed nothing.

ALTER TABLE ops ADD COLUMN claims TEXT;

PRAGMA user_version = 5;
