-- Identity hardening: links travel by email only, one throttle for every password and link check,
-- and the account lifecycle (disabled accounts, own sessions, cancelled invitations).

-- A disabled account cannot sign in; its sessions end and its links stop working.
ALTER TABLE users ADD COLUMN disabled_at INTEGER;

-- Sessions get a public id (the token's hash never leaves the server) and what the person needs
-- to recognise them in their list of sessions.
ALTER TABLE sessions ADD COLUMN id TEXT;
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN address TEXT NOT NULL DEFAULT '';
UPDATE sessions SET id = lower(hex(randomblob(16))) WHERE id IS NULL;
CREATE UNIQUE INDEX sessions_by_id ON sessions(id);

-- Invitations are for brands only; a first password is set through a password link instead.
ALTER TABLE invitations ADD COLUMN cancelled_at INTEGER;
ALTER TABLE invitations ADD COLUMN accepted_by TEXT REFERENCES users(id);
-- Every link made before this migration was handed to its inviter in an API answer (brand-less
-- ones were set-password links given to the operator): none may still work. Pending invitees
-- are invited again, and the new link reaches only their mailbox.
UPDATE invitations SET cancelled_at = created_at WHERE accepted_at IS NULL;
CREATE INDEX invitations_by_email ON invitations(email, accepted_at);
CREATE INDEX invitations_by_inviter ON invitations(invited_by, accepted_at);

-- An account's own set-password link: one-time, 72 hours, ended by a newer one.
CREATE TABLE password_links (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  ended_at INTEGER                          -- used, superseded, or the account was disabled
);
CREATE INDEX password_links_by_user ON password_links(user_id, ended_at);

-- Every one-time link used, by the hash of its token: the primary key lets exactly one of two
-- parallel uses of a link commit its batch; the other fails whole (409).
CREATE TABLE used_links (
  token_hash TEXT PRIMARY KEY,
  used_at INTEGER NOT NULL
);

-- The one throttle: attempts per key in a fixed window, counted (and read back) in one statement
-- before any hash is computed. Keys: 'pair:<email> <address>', 'address:<address>', 'email:<email>'.
CREATE TABLE auth_throttle (
  key TEXT PRIMARY KEY,
  window_start INTEGER NOT NULL,
  window_ms INTEGER NOT NULL,
  attempts INTEGER NOT NULL
);
DROP TABLE login_failures;
