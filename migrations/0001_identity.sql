-- Identity: people, brands, memberships, sessions, invitations and sign-in throttling.
-- Ids are TEXT (UUIDs), times INTEGER milliseconds since the epoch, booleans INTEGER 0/1.

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  password_hash TEXT,                       -- NULL until the person sets one from their link
  staff_role TEXT CHECK (staff_role IN ('operator', 'account_manager')),
  created_at INTEGER NOT NULL
);

CREATE TABLE brands (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  brand_ref TEXT NOT NULL UNIQUE,
  programme_status TEXT NOT NULL DEFAULT 'applied'
    CHECK (programme_status IN ('applied', 'enrolled', 'suspended')),
  suspension_reason TEXT,
  shop_id TEXT,                             -- set by shop.verified: the brand has an official shop
  cooperation_agreement INTEGER NOT NULL DEFAULT 0 CHECK (cooperation_agreement IN (0, 1)),
  account_manager_id TEXT REFERENCES users(id),
  created_at INTEGER NOT NULL
);
CREATE INDEX brands_by_manager ON brands(account_manager_id);

CREATE TABLE memberships (
  user_id TEXT NOT NULL REFERENCES users(id),
  brand_id TEXT NOT NULL REFERENCES brands(id),
  role TEXT NOT NULL CHECK (role IN ('brand_admin', 'brand_agent', 'brand_viewer')),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, brand_id)
);
CREATE INDEX memberships_by_brand ON memberships(brand_id);

-- Sessions are looked up by the SHA-256 of the cookie's token; the token itself is never stored.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX sessions_by_user ON sessions(user_id);

-- One-time links: an invitation to a brand (brand_id set) or a first password (brand_id NULL).
CREATE TABLE invitations (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  email TEXT NOT NULL,
  brand_id TEXT REFERENCES brands(id),
  role TEXT CHECK (role IN ('brand_admin', 'brand_agent', 'brand_viewer')),
  invited_by TEXT NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  accepted_at INTEGER
);
CREATE INDEX invitations_by_brand ON invitations(brand_id, accepted_at);

CREATE TABLE login_failures (
  email TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX login_failures_by_email ON login_failures(email, at);
