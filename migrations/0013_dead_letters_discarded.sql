-- Operators may discard a dead letter that will never apply, with a reason: it leaves the list
-- and keeps its row, marked `discarded` with who, when and why (the audit log has the entry).
--
-- SQLite cannot change a CHECK constraint, so `inbound_events` is rebuilt: a new table with the
-- wider CHECK and the new columns, every row copied, the old table dropped, the new one renamed,
-- and its index made again. No table refers to `inbound_events`, so dropping it touches no other.
CREATE TABLE inbound_events_new (
  webhook_id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  body TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'stored' CHECK (state IN ('stored', 'applied', 'dead', 'discarded')),
  dead_reason TEXT,
  applied_at INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  discarded_at INTEGER,
  discarded_by TEXT REFERENCES users(id),
  discard_reason TEXT
);
INSERT INTO inbound_events_new (webhook_id, type, body, received_at, state, dead_reason, applied_at, attempts)
  SELECT webhook_id, type, body, received_at, state, dead_reason, applied_at, attempts FROM inbound_events;
DROP TABLE inbound_events;
ALTER TABLE inbound_events_new RENAME TO inbound_events;
CREATE INDEX inbound_by_state ON inbound_events(state, received_at);
