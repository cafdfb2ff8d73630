-- The audit log: one entry per change that matters for security and accountability, written in
-- the same batch as the change it records (docs/audit.md). Append-only: no entry is ever
-- changed, and none is deleted before it is two years old (the retention period).
CREATE TABLE audit_log (
  id TEXT PRIMARY KEY,
  at INTEGER NOT NULL,
  -- What happened, as a code (`core::audit::AuditKind`).
  kind TEXT NOT NULL,
  -- Who: `person`, `api_key`, `marketplace`, `deadline` or `anonymous` (a failed sign-in), and
  -- the person's user id.
  actor_kind TEXT NOT NULL,
  actor_id TEXT,
  -- The brand staff or an API key acted for (null when a member acts for their own brand).
  on_behalf_of TEXT,
  -- The brand the change belongs to, if any.
  brand_id TEXT,
  -- What it was done to: `user`, `invitation`, `api_key`, `endpoint`, `ip_right`, `case`,
  -- `session`, `brand`, and its id.
  subject_kind TEXT,
  subject_id TEXT,
  -- The client's IP address (null when unknown, or for the Cron Trigger).
  address TEXT,
  -- The entry's data as JSON: codes and values, never English.
  details TEXT NOT NULL DEFAULT '{}'
);

CREATE INDEX audit_log_brand_at ON audit_log (brand_id, at);
CREATE INDEX audit_log_actor_at ON audit_log (actor_id, at);
CREATE INDEX audit_log_kind_at ON audit_log (kind, at);
-- A person's own sign-ins (and a brand's members' sign-ins) are found by subject.
CREATE INDEX audit_log_subject_at ON audit_log (subject_id, at);

CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- Two years = 730 days = 63 072 000 000 ms, by the database's own clock.
CREATE TRIGGER audit_log_kept_two_years BEFORE DELETE ON audit_log
WHEN OLD.at > CAST(strftime('%s', 'now') AS INTEGER) * 1000 - 63072000000
BEGIN
  SELECT RAISE(ABORT, 'audit_log keeps entries for two years');
END;
