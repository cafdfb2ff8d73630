-- Retention (the cron forgets, in bounded batches, what is kept only for a while): the indexes
-- its deletes read, so each finds its rows without scanning the table.

-- Inbound events by state and by when they were settled (discarded, applied, or for rows from
-- before either was recorded, received).
CREATE INDEX inbound_settled ON inbound_events(state, coalesce(discarded_at, applied_at, received_at));

-- The brands' webhook delivery log by age.
CREATE INDEX webhook_attempts_by_at ON webhook_attempts(at);
CREATE INDEX webhook_deliveries_by_state_created ON webhook_deliveries(state, created_at);

-- Ended sessions: revoked, idle, or past their absolute lifetime.
CREATE INDEX sessions_revoked ON sessions(revoked_at) WHERE revoked_at IS NOT NULL;
CREATE INDEX sessions_by_last_seen ON sessions(last_seen_at);
CREATE INDEX sessions_by_created ON sessions(created_at);
