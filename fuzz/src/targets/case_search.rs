//! The case list's search text `q`: checked, made an FTS5 phrase (three characters or more),
//! then run as the case list runs it (`cases_search MATCH`) against SQLite with the real migrations:
//! the phrase is always a valid FTS5 query and finds a case whose text holds the search.

use jf_core::cases::{case_filter, CaseQuery};
use rusqlite::Connection;
use std::cell::RefCell;

/// The match of `search_rows!` in core/src/sql/cases.rs, for the brand of block 1: its scope (one
/// trigram of private-use characters, migration 0021) AND the phrase in the case's text.
const MATCH: &str = "SELECT r.case_id FROM cases_search s JOIN case_search_rows r ON r.search_row = s.rowid
     WHERE cases_search MATCH ('scope : \"' || char(57344, 57344, 57345) || '\" AND body : ' || ?1)";

thread_local! {
    static DB: RefCell<Option<Connection>> = const { RefCell::new(None) };
}

fn migrated() -> Connection {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir:?}: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let db = Connection::open_in_memory().unwrap_or_else(|e| panic!("SQLite: {e}"));
    for f in files {
        let sql = std::fs::read_to_string(&f).unwrap_or_else(|e| panic!("{f:?}: {e}"));
        db.execute_batch(&sql)
            .unwrap_or_else(|e| panic!("{f:?}: {e}"));
    }
    db
}

/// The cases whose search text the phrase matches, of two: `hit` (whose text holds the search
/// with words around it) and `miss`.
fn matching(phrase: &str, text: &str) -> Vec<String> {
    DB.with(|cell| {
        let mut slot = cell.borrow_mut();
        let db = slot.get_or_insert_with(migrated);
        let body = format!("Bag {text} seller");
        db.execute_batch("DELETE FROM cases_search; DELETE FROM case_search_rows")
            .unwrap_or_else(|e| panic!("{e}"));
        db.execute(
            "INSERT INTO case_search_rows (search_row, case_id, status)
             VALUES ((1 << 32) + 1, 'hit', 'awaiting_brand'), ((1 << 32) + 2, 'miss', 'awaiting_brand')",
            [],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        db.execute(
            "INSERT INTO cases_search (rowid, scope, body)
             VALUES ((1 << 32) + 1, char(57344, 57344, 57345), ?1), ((1 << 32) + 2, char(57344, 57344, 57345), 'zzzz')",
            [&body],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let mut stmt = db.prepare_cached(MATCH).unwrap_or_else(|e| panic!("{e}"));
        let ids = stmt
            .query_map([phrase], |row| row.get::<_, String>(0))
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>());
        ids.unwrap_or_else(|e| panic!("FTS5 refuses the phrase {phrase:?} of {text:?}: {e}"))
    })
}

pub fn case_search(data: &[u8]) {
    let Ok(q) = std::str::from_utf8(data) else {
        return;
    };
    let query = CaseQuery {
        q: Some(q.to_owned()),
        ..CaseQuery::default()
    };
    let text = q.trim();
    let Ok(filter) = case_filter(&query) else {
        assert!(
            text.chars().count() > 200 || text.contains(char::is_control),
            "only a long search or one with control characters is refused: {q:?}"
        );
        return;
    };
    assert!(text.chars().count() <= 200);
    match text.chars().count() {
        0 => assert!(filter.fts.is_none() && filter.substring.is_none()),
        1 | 2 => {
            assert!(filter.fts.is_none());
            assert_eq!(filter.substring.as_deref(), Some(text));
        }
        _ => {
            assert!(filter.substring.is_none());
            let phrase = filter.fts.unwrap_or_default();
            assert!(
                phrase.len() >= 2 && phrase.starts_with('"') && phrase.ends_with('"'),
                "{phrase:?}"
            );
            let inner = &phrase[1..phrase.len() - 1];
            assert_eq!(
                inner.replace("\"\"", ""),
                inner.replace('"', ""),
                "{phrase:?}"
            );
            assert_eq!(
                inner.replace("\"\"", "\""),
                text,
                "the phrase is the search"
            );
            let found = matching(&phrase, text);
            assert!(
                found.iter().any(|id| id == "hit"),
                "{phrase:?} finds {found:?}"
            );
        }
    }
}
