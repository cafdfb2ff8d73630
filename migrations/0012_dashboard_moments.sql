-- The dashboard's moments on the case, so each figure reads one brand's range of one index.
--
-- Migration 0009 indexed moves by status and time across every brand: at a million cases the
-- dashboard of one brand read every brand's takedowns of the period and joined each to its case
-- to find the brand (24 s for a brand of 200,000 on `cargo xtask bench`'s world). A case reaches
-- `taken_down` at most once and is appealed at most once, so those moments are columns of the
-- case, written by the move itself (`sql::move_case`), and indexed by brand.
ALTER TABLE cases ADD COLUMN taken_down_at INTEGER;
ALTER TABLE cases ADD COLUMN appealed_at INTEGER;

-- Cases moved before this migration take their moments from their history (found through
-- 0009's index, which the portfolio's expiries of the week still use).
UPDATE cases SET taken_down_at = m.at
FROM (SELECT case_id, min(at) AS at FROM case_events WHERE to_status = 'taken_down' GROUP BY case_id) AS m
WHERE cases.id = m.case_id;
UPDATE cases SET appealed_at = m.at
FROM (SELECT case_id, min(at) AS at FROM case_events WHERE to_status = 'appealed' GROUP BY case_id) AS m
WHERE cases.id = m.case_id;

-- Takedowns per week by origin with the time they took, and per seller: the index alone.
CREATE INDEX cases_taken_down ON cases(brand_id, taken_down_at, origin, created_at, seller_id)
  WHERE taken_down_at IS NOT NULL;
-- Appeals received in a period, and appeals decided in it.
CREATE INDEX cases_appealed ON cases(brand_id, appealed_at) WHERE appealed_at IS NOT NULL;
CREATE INDEX cases_appeal_decided ON cases(brand_id, decided_at, status) WHERE appealed_at IS NOT NULL;
-- Good standing's decisions (`sql::standing_turns`) with their outcome, from the index alone.
DROP INDEX cases_decided;
CREATE INDEX cases_decided ON cases(brand_id, decided_at, status) WHERE decided_at IS NOT NULL;
