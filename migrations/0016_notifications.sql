-- Notifications: a per-person view of the audit log (docs/notifications.md). No copy of a
-- notification is kept per person: an entry the table of `core::notifications` names is marked
-- with its notice kind, and, when the table names one person besides the roles (a report's
-- filer, whoever escalated), with that person. Only read marks, email choices and the email
-- queue are stored per person.
ALTER TABLE audit_log ADD COLUMN notice TEXT;
ALTER TABLE audit_log ADD COLUMN notice_to TEXT;

-- A person's notifications are the entries of each of their brands with each notice kind their
-- role receives (one range of this index per brand and kind), plus those that name them.
CREATE INDEX audit_log_notices ON audit_log (brand_id, notice, at) WHERE notice IS NOT NULL;
CREATE INDEX audit_log_notices_to ON audit_log (notice_to, at) WHERE notice_to IS NOT NULL;

-- The language a person reads the app in, set when they switch it: their emails are in it.
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'zh'));
-- Everything up to this moment is read ("mark all read"); later ones one by one below.
ALTER TABLE users ADD COLUMN notices_read_up_to INTEGER NOT NULL DEFAULT 0;

CREATE TABLE notification_reads (
  user_id TEXT NOT NULL REFERENCES users(id),
  audit_id TEXT NOT NULL,
  PRIMARY KEY (user_id, audit_id)
) WITHOUT ROWID;

-- A person's email choice per notice kind; a kind without a row has the table's default.
CREATE TABLE notification_settings (
  user_id TEXT NOT NULL REFERENCES users(id),
  notice TEXT NOT NULL,
  email INTEGER NOT NULL CHECK (email IN (0, 1)),
  PRIMARY KEY (user_id, notice)
) WITHOUT ROWID;

-- Emails owed, written in the batch of the change they tell of, one per recipient, in the
-- recipient's language at that moment; sent by the Cron Trigger under a lease.
CREATE TABLE notification_mail (
  id TEXT PRIMARY KEY,
  audit_id TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users(id),
  language TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  lease TEXT,
  leased_until INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  sent_at INTEGER,
  UNIQUE (audit_id, user_id)
);
CREATE INDEX notification_mail_due ON notification_mail (created_at) WHERE sent_at IS NULL;
CREATE INDEX notification_mail_lease ON notification_mail (lease) WHERE lease IS NOT NULL;
