-- Each brand's cases by status, kept by triggers in the statement that changes a case, so the
-- case list's status tabs read a handful of rows instead of counting every case of a brand on
-- every page (200,000 at the bench's largest brand). Only the brand-wide counts are kept: a
-- list narrowed by origin, reason, period or a search still counts its own matches.
CREATE TABLE brand_case_counts (
  brand_id TEXT NOT NULL,
  status TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (brand_id, status)
) WITHOUT ROWID;

INSERT INTO brand_case_counts (brand_id, status, n)
  SELECT brand_id, status, count(*) FROM cases GROUP BY brand_id, status;

CREATE TRIGGER brand_case_counts_on_insert AFTER INSERT ON cases BEGIN
  INSERT OR IGNORE INTO brand_case_counts (brand_id, status, n) VALUES (NEW.brand_id, NEW.status, 0);
  UPDATE brand_case_counts SET n = n + 1 WHERE brand_id = NEW.brand_id AND status = NEW.status;
END;

CREATE TRIGGER brand_case_counts_on_move AFTER UPDATE OF status ON cases
  WHEN OLD.status IS NOT NEW.status BEGIN
  UPDATE brand_case_counts SET n = n - 1 WHERE brand_id = OLD.brand_id AND status = OLD.status;
  INSERT OR IGNORE INTO brand_case_counts (brand_id, status, n) VALUES (NEW.brand_id, NEW.status, 0);
  UPDATE brand_case_counts SET n = n + 1 WHERE brand_id = NEW.brand_id AND status = NEW.status;
END;

CREATE TRIGGER brand_case_counts_on_delete AFTER DELETE ON cases BEGIN
  UPDATE brand_case_counts SET n = n - 1 WHERE brand_id = OLD.brand_id AND status = OLD.status;
END;
