-- The brand dashboard (`GET /api/v1/brands/{brand_id}/dashboard`) counts moves into a status over
-- a period: takedowns (into `taken_down`) per week and per seller, appeals filed and decided.
-- Case events are keyed by case only, so without this index each figure would read every event;
-- with it, a figure reads the period's moves into its statuses and joins their cases by key.
CREATE INDEX case_events_moves ON case_events(to_status, at) WHERE to_status IS NOT NULL;
