-- A one-time link is checked again inside the batch that uses it: between reading the link and
-- writing, it may have been cancelled, replaced, or its account disabled. The batch inserts its
-- verdict here, and the named CHECK fails the whole batch when the link stopped working (every
-- executor maps `link_still_live` to the same refusal). The same batch deletes the row, so the
-- table stays empty.
CREATE TABLE link_checks (
  ok INTEGER NOT NULL,
  CONSTRAINT link_still_live CHECK (ok = 1)
);
