-- Who acted and what JointForce itself wrote, in the case history, as typed columns.
--
-- Until now an event named its actor only by an English label ("Marco Bianchi (account manager)
-- for Aurelia") and the API split labels back into codes; so a brand agent whose display name is
-- "Eve (account manager) for Aurelia" showed as an account manager. JointForce's own notes were
-- English too, read back into codes by template. These columns hold what the labels and notes
-- were made from; `actor_label` and `note` stay as their English rendering (the brand's webhooks
-- carry the note's text; the API's `actor` is the label).

-- The actor's kind. 'unknown' is written only by the backfill, for a row from before these
-- columns whose actor it cannot tell from ids (a person no longer in the brand nor staff, a label
-- that is not one of JointForce's own); new rows always get one of the eight. NULL: not yet
-- backfilled (the Cron Trigger fills old rows a chunk per run; readers then show the label).
ALTER TABLE case_events ADD COLUMN actor_kind TEXT CHECK (actor_kind IN ('brand_admin', 'brand_agent',
  'brand_viewer', 'account_manager', 'operator', 'api_key', 'marketplace', 'deadline', 'unknown'));
-- The person's display name at the time (names change; the history keeps the one they acted
-- under); NULL for an API key, the marketplace and the deadline rule.
ALTER TABLE case_events ADD COLUMN actor_name TEXT;
-- The brand's name when staff or an API key acted for it; NULL when a member acted for their own
-- brand, and for the marketplace and the deadline rule.
ALTER TABLE case_events ADD COLUMN on_behalf_of TEXT;
-- For notes JointForce writes itself (filing lanes, detections, the marketplace's takedown
-- results, removals and appeals, deadlines): the sentence's code and the data inside as a JSON
-- array, so an interface says the sentence in its own language and keeps only the data as sent.
-- NULL for a note a person typed: that stays in `note` as data.
ALTER TABLE case_events ADD COLUMN note_code TEXT;
ALTER TABLE case_events ADD COLUMN note_args TEXT;

-- The backfill's work list: rows not yet filled, found without scanning the whole history (the
-- index holds only those rows, so it is empty once the backfill is done).
CREATE INDEX case_events_to_backfill ON case_events(case_id, seq) WHERE actor_kind IS NULL;
