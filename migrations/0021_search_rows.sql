-- A search that stops at the end of the brand's cases, and a search's counts by status without
-- reading the cases (issue #14, item 7).
--
-- 1. FTS5 checks a query's rowid bound only once it has a real match: past the brand's block it
--    went on testing every later case holding the phrase's trigrams. At a million cases a listing
--    id ("SCALE0001-549") took 11 ms, and "SCALE0001" 422 ms, for one brand's 801 cases. Each row
--    now carries its brand's `scope`, one trigram no text holds (three private-use characters
--    spelling `search_block`, which stays below 2^21), and a search asks for the scope AND the
--    phrase: FTS5 stops when the scope's list ends (1 ms for both).
-- 2. Reading a match's case id from the index's own content cost 45 ms for 16,550 matches, and
--    counting them by status another 50 ms of lookups in `cases`. `case_search_rows` maps each
--    index row to its case and status in a narrow table keyed by the index's rowid: the same
--    counts take 11 ms.
--
-- Triggers keep both in step with `cases`, whichever statement writes it.

CREATE TABLE case_search_rows (
  search_row INTEGER PRIMARY KEY,
  case_id TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL
);

INSERT INTO case_search_rows (search_row, case_id, status)
  SELECT s.rowid, s.case_id, c.status FROM cases_search s JOIN cases c ON c.id = s.case_id;

CREATE VIRTUAL TABLE cases_search_scoped USING fts5(scope, body, tokenize = 'trigram');

INSERT INTO cases_search_scoped (rowid, scope, body)
  SELECT s.rowid,
         char(57344 + ((b.search_block >> 14) & 127), 57344 + ((b.search_block >> 7) & 127),
              57344 + (b.search_block & 127)),
         s.body
  FROM cases_search s JOIN brands b ON b.id = s.brand_id;

DROP TABLE cases_search;
ALTER TABLE cases_search_scoped RENAME TO cases_search;

-- A new case takes the row after its brand's last, in its brand's block (migration 0020).
CREATE TRIGGER cases_searchable AFTER INSERT ON cases BEGIN
  INSERT INTO case_search_rows (search_row, case_id, status)
    SELECT coalesce((SELECT search_row FROM case_search_rows
                     WHERE search_row BETWEEN b.search_block << 32 AND (b.search_block << 32) + 4294967295
                     ORDER BY search_row DESC LIMIT 1),
                    b.search_block << 32) + 1,
           NEW.id, NEW.status
    FROM brands b WHERE b.id = NEW.brand_id;
  INSERT INTO cases_search (rowid, scope, body)
    SELECT r.search_row,
           char(57344 + ((b.search_block >> 14) & 127), 57344 + ((b.search_block >> 7) & 127),
                57344 + (b.search_block & 127)),
           NEW.title || ' ' || NEW.seller_name || ' ' || coalesce(NEW.seller_id, '') || ' ' ||
           NEW.listing_id || ' ' || NEW.id
    FROM case_search_rows r, brands b WHERE r.case_id = NEW.id AND b.id = NEW.brand_id;
END;

CREATE TRIGGER cases_search_status AFTER UPDATE OF status ON cases BEGIN
  UPDATE case_search_rows SET status = NEW.status WHERE case_id = NEW.id;
END;

-- The listing's snapshot, filled in later, brings the title and seller.
CREATE TRIGGER cases_search_text AFTER UPDATE OF title, seller_name, seller_id, listing_id ON cases BEGIN
  UPDATE cases_search
    SET body = NEW.title || ' ' || NEW.seller_name || ' ' || coalesce(NEW.seller_id, '') || ' ' ||
               NEW.listing_id || ' ' || NEW.id
    WHERE rowid = (SELECT search_row FROM case_search_rows WHERE case_id = NEW.id);
END;

CREATE TRIGGER cases_unsearchable AFTER DELETE ON cases BEGIN
  DELETE FROM cases_search WHERE rowid = (SELECT search_row FROM case_search_rows WHERE case_id = OLD.id);
  DELETE FROM case_search_rows WHERE case_id = OLD.id;
END;
