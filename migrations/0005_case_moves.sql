-- Many decisions in one write (`POST /api/v1/brands/{brand_id}/cases/decisions`).

-- Which write last moved a case in a batch of many. D1 has no interactive transactions, so a
-- batch cannot read which of its cases its version-guarded UPDATE really changed: the UPDATE
-- marks each case it moves with the batch's own id, and the batch's dependent rows (the events,
-- the marketplace actions, the brand's webhooks) are written only for cases carrying that mark.
-- A case someone else moved meanwhile keeps its status, and gets nothing from this batch.
ALTER TABLE cases ADD COLUMN move_id TEXT;
