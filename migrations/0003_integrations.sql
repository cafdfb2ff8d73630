-- Brand integrations: API keys and outgoing webhooks (endpoints, deliveries, attempts).

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  brand_id TEXT NOT NULL REFERENCES brands(id),
  name TEXT NOT NULL,
  scope TEXT NOT NULL CHECK (scope IN ('read', 'read_write')),
  key_hash TEXT NOT NULL UNIQUE,            -- SHA-256 of the key; the key is shown once
  prefix TEXT NOT NULL,                     -- the first characters, to tell keys apart
  created_by TEXT NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at INTEGER
);
CREATE INDEX api_keys_by_brand ON api_keys(brand_id);

CREATE TABLE webhook_endpoints (
  id TEXT PRIMARY KEY,
  brand_id TEXT NOT NULL REFERENCES brands(id),
  url TEXT NOT NULL,
  events TEXT NOT NULL,                     -- JSON array of event types
  secret TEXT NOT NULL,                     -- whsec_…, shown once; needed to sign
  created_by TEXT NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  disabled_at INTEGER
);
CREATE INDEX webhook_endpoints_by_brand ON webhook_endpoints(brand_id);

CREATE TABLE webhook_deliveries (
  id TEXT PRIMARY KEY,                      -- also the webhook-id the brand sees
  endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints(id),
  brand_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  payload TEXT NOT NULL,                    -- the envelope sent
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  lease_until INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT,
  last_status INTEGER,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  delivered_at INTEGER
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(state, next_attempt_at);
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries(endpoint_id, created_at DESC);

CREATE TABLE webhook_attempts (
  delivery_id TEXT NOT NULL REFERENCES webhook_deliveries(id),
  at INTEGER NOT NULL,
  status INTEGER,                           -- HTTP status, NULL when the endpoint was unreachable
  error TEXT
);
CREATE INDEX webhook_attempts_by_delivery ON webhook_attempts(delivery_id, at);

-- Reminders: deadlines that were announced (deadline.approaching is sent once per deadline).
CREATE TABLE deadline_notices (
  case_id TEXT NOT NULL REFERENCES cases(id),
  deadline_at INTEGER NOT NULL,
  sent_at INTEGER NOT NULL,
  PRIMARY KEY (case_id, deadline_at)
);

-- The action that announced a repeat infringer (written in the same batch as the flag).
ALTER TABLE sellers ADD COLUMN flag_action_id TEXT;
