-- Cases and everything around them: IP rights, listings and sellers, the append-only case events,
-- evidence files, inbound marketplace events, and the outbox of actions to the marketplace.

CREATE TABLE ip_rights (
  id TEXT PRIMARY KEY,
  brand_id TEXT NOT NULL REFERENCES brands(id),
  kind TEXT NOT NULL CHECK (kind IN ('trademark', 'copyright', 'design_right', 'patent')),
  registration_number TEXT NOT NULL,
  jurisdiction TEXT NOT NULL,
  classes TEXT NOT NULL DEFAULT '',
  owner TEXT NOT NULL,
  expires_at INTEGER,                        -- NULL: does not expire
  certificate_sha256 TEXT,                   -- file in KV under files/{brand_id}/{sha256}
  certificate_name TEXT,
  certificate_type TEXT,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'verified', 'rejected')),
  review_note TEXT,
  reviewed_by TEXT REFERENCES users(id),
  reviewed_at INTEGER,
  created_at INTEGER NOT NULL,
  UNIQUE (brand_id, kind, jurisdiction, registration_number)
);
CREATE INDEX ip_rights_by_brand ON ip_rights(brand_id, status);

CREATE TABLE sellers (
  id TEXT PRIMARY KEY,                       -- the marketplace's seller_id
  name TEXT NOT NULL,
  flagged_at INTEGER,                        -- repeat infringer (flagged once)
  updated_at INTEGER NOT NULL
);

-- The listing as the marketplace shows it now (refreshed by listing.updated).
CREATE TABLE listings (
  id TEXT PRIMARY KEY,                       -- the marketplace's listing_id
  snapshot TEXT NOT NULL,                    -- JSON: url, title, price, image_url, seller
  seller_id TEXT REFERENCES sellers(id),
  removed_at INTEGER,
  removed_reason TEXT,
  updated_at INTEGER NOT NULL
);

CREATE TABLE cases (
  id TEXT PRIMARY KEY,
  brand_id TEXT NOT NULL REFERENCES brands(id),
  listing_id TEXT NOT NULL,
  origin TEXT NOT NULL CHECK (origin IN ('report', 'detection')),
  status TEXT NOT NULL CHECK (status IN ('under_review', 'awaiting_brand', 'takedown_requested',
    'takedown_failed', 'taken_down', 'appealed', 'in_arbitration', 'declined', 'cleared', 'expired',
    'withdrawn', 'upheld', 'reinstated', 'listing_gone')),
  is_open INTEGER NOT NULL CHECK (is_open IN (0, 1)),
  version INTEGER NOT NULL DEFAULT 1,
  lane TEXT CHECK (lane IN ('auto', 'review')),
  ip_right_id TEXT REFERENCES ip_rights(id),
  reason_code TEXT CHECK (reason_code IN ('counterfeit', 'trademark_misuse', 'copyright', 'design_right', 'patent')),
  statement TEXT,
  evidence_urls TEXT NOT NULL DEFAULT '[]',  -- JSON array
  snapshot TEXT,                             -- JSON listing at filing or flagging; NULL while pending
  title TEXT NOT NULL DEFAULT '',            -- from the snapshot, for lists
  seller_id TEXT,
  seller_name TEXT NOT NULL DEFAULT '',
  detection TEXT,                            -- JSON {score, signals} of the latest flag
  deadline_at INTEGER,                       -- brand's deadline, or the manager's SLA
  appeal_id TEXT,
  appeal TEXT,                               -- JSON: seller statement and evidence
  created_by TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  decided_at INTEGER                         -- when it reached upheld or reinstated
);
-- One brand, one open case per listing.
CREATE UNIQUE INDEX cases_one_open_per_listing ON cases(brand_id, listing_id) WHERE is_open = 1;
CREATE INDEX cases_by_brand ON cases(brand_id, created_at DESC, id DESC);
CREATE INDEX cases_by_brand_status ON cases(brand_id, status, created_at DESC, id DESC);
CREATE INDEX cases_by_status_deadline ON cases(status, deadline_at);
CREATE INDEX cases_by_listing ON cases(listing_id);
CREATE INDEX cases_by_seller ON cases(seller_id, status);
CREATE INDEX cases_decided ON cases(brand_id, decided_at);

-- Text search over listing title, seller and ids; trigram, so Chinese works without word breaks.
CREATE VIRTUAL TABLE cases_fts USING fts5(case_id UNINDEXED, brand_id UNINDEXED, body, tokenize = 'trigram');

-- Append-only history: who did what, for whom, when, from which status to which.
CREATE TABLE case_events (
  case_id TEXT NOT NULL REFERENCES cases(id),
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  from_status TEXT,
  to_status TEXT,
  actor_id TEXT,
  actor_label TEXT NOT NULL,                 -- e.g. "Marco Bianchi (account manager) for Aurelia"
  note TEXT,
  at INTEGER NOT NULL,
  PRIMARY KEY (case_id, seq)
);

CREATE TABLE evidence_files (
  id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases(id),
  brand_id TEXT NOT NULL REFERENCES brands(id),
  sha256 TEXT NOT NULL,
  name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX evidence_by_case ON evidence_files(case_id);

-- Every webhook from the marketplace, stored raw before it is applied.
CREATE TABLE inbound_events (
  webhook_id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  body TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'stored' CHECK (state IN ('stored', 'applied', 'dead')),
  dead_reason TEXT,
  applied_at INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX inbound_by_state ON inbound_events(state, received_at);

-- Actions for the marketplace, written in the transition's batch and delivered at least once.
CREATE TABLE outbox (
  id TEXT PRIMARY KEY,                       -- the idempotency key
  kind TEXT NOT NULL CHECK (kind IN ('listing.takedown', 'listing.reinstate', 'appeal.decided', 'seller.flagged')),
  case_id TEXT,
  brand_id TEXT,
  payload TEXT NOT NULL,                     -- JSON data of the action
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  lease_until INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  sent_at INTEGER
);
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
CREATE INDEX outbox_by_case ON outbox(case_id);
