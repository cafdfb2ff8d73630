-- The staff portfolio (`GET /api/v1/manager/portfolio`) counts, for each brand of a page, its
-- cases awaiting the brand, under review and in arbitration, and those past their deadline.
-- `cases_by_brand_status` finds them but holds no deadline, so each counted case would be read
-- from the table; with the deadline in the index the count is read from the index alone.
CREATE INDEX cases_by_brand_status_deadline ON cases(brand_id, status, deadline_at);
