-- The case list sorts by created, updated, deadline or status, either way (`sort`), a page at a
-- time by keyset `(key, id)`. Each sort reads one brand's range of an index in its own order,
-- so a page costs the same at any depth and needs no sort of its own. SQLite walks an index
-- forwards or backwards, so one index serves a key both ways: created by `cases_by_brand`
-- (migration 0002), updated and status by the two below.
CREATE INDEX cases_by_brand_updated ON cases(brand_id, updated_at, id);
CREATE INDEX cases_by_brand_status_id ON cases(brand_id, status, id);

-- Cases without a deadline come last both ways, which no single index order gives (walked
-- backwards, the order that ends with them starts with them). Each direction has its own key:
-- ascending, a missing deadline is 2^53 − 1 (after every real one; exact as the REAL D1 binds);
-- descending, it is 0 (before every real one, so last when walked backwards). The statements
-- (`sql::case_page`) write these very expressions.
CREATE INDEX cases_by_brand_due ON cases(brand_id, coalesce(deadline_at, 9007199254740991), id);
CREATE INDEX cases_by_brand_due_desc ON cases(brand_id, coalesce(deadline_at, 0), id);
