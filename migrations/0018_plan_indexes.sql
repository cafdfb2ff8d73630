-- Indexes the query-plan catalogue (`core::sql::plans`, docs/SCALE.md "Query plans") found
-- missing: without them the statement read every brand's cases.
--
-- The Cron Trigger's cases whose filing snapshot is still pending (`sql::listings_pending_snapshot`):
-- only those rows, searched by `is_open = 1` and grouped by listing in the index's order, instead
-- of every case through `cases_by_listing`.
CREATE INDEX cases_pending_snapshot ON cases(is_open, listing_id, created_at) WHERE snapshot IS NULL;
