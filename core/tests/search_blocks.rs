//! Case search bounded to the brand's block of the text index's rowids (migration 0020): each
//! brand's rows sit in its own block, whether filed, filled in later or carried over by the
//! migration, and a brand's search finds its cases and no other brand's.

mod support;

use jf_core::case_list::CaseSort;
use jf_core::cases::{case_filter, CaseQuery};
use jf_core::ids::BrandId;
use jf_core::sql;
use support::{block_on, file_cases, Sqlite};

const T0: i64 = 1_790_000_000_000;

fn brand(n: u128) -> BrandId {
    BrandId(uuid::Uuid::from_u128(n))
}

fn add_brands(db: &Sqlite, ids: &[(BrandId, &str)]) {
    let stmts = ids
        .iter()
        .map(|(id, name)| sql::insert_brand(*id, name, &format!("BR-{name}"), T0))
        .collect();
    block_on(jf_core::store::Db::batch(db, stmts)).unwrap();
}

/// Each row of the index: its brand's block and its place in the block, and its case.
fn rows(db: &Sqlite, b: BrandId) -> Vec<(i64, i64, String)> {
    let mut stmt =
        db.0.prepare(
            "SELECT s.rowid >> 32, s.rowid & 4294967295, s.case_id FROM cases_search s
             WHERE s.brand_id = ?1 ORDER BY s.rowid",
        )
        .unwrap();
    stmt.query_map([b.to_string()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn block_of(db: &Sqlite, b: BrandId) -> i64 {
    db.0.query_row(
        "SELECT search_block FROM brands WHERE id = ?1",
        [b.to_string()],
        |r| r.get(0),
    )
    .unwrap()
}

/// The titles of the brand's cases that the case list's search `q` finds.
fn search(db: &Sqlite, b: BrandId, q: &str) -> Vec<String> {
    let f = case_filter(&CaseQuery {
        q: Some(q.into()),
        ..Default::default()
    })
    .unwrap();
    let mut found: Vec<String> = block_on(sql::case_page(db, b, &f, CaseSort::default(), None, 50))
        .unwrap()
        .into_iter()
        .map(|c| c.title)
        .collect();
    found.sort();
    found
}

fn case_id(i: u128) -> String {
    uuid::Uuid::from_u128(i).to_string()
}

#[test]
fn filed_cases_take_the_next_places_in_their_brands_block_and_search_finds_only_the_brands() {
    let db = Sqlite::migrated();
    let (a, b) = (brand(1), brand(2));
    add_brands(&db, &[(a, "Aurelia"), (b, "Cobalt")]);
    let (block_a, block_b) = (block_of(&db, a), block_of(&db, b));
    assert_ne!(block_a, block_b);

    let scarf = |i| format!("Silk scarf {i}");
    file_cases(&db, a, 100, 3, "awaiting_brand", scarf, T0);
    file_cases(&db, b, 200, 2, "awaiting_brand", scarf, T0);
    // A second filing continues after the brand's last place.
    file_cases(
        &db,
        a,
        300,
        2,
        "awaiting_brand",
        |i| format!("Tote {i}"),
        T0,
    );

    let expected_a: Vec<(i64, i64, String)> = [(1, 100), (2, 101), (3, 102), (4, 300), (5, 301)]
        .into_iter()
        .map(|(place, i)| (block_a, place, case_id(i)))
        .collect();
    assert_eq!(rows(&db, a), expected_a);
    let expected_b: Vec<(i64, i64, String)> = [(1, 200), (2, 201)]
        .into_iter()
        .map(|(place, i)| (block_b, place, case_id(i)))
        .collect();
    assert_eq!(rows(&db, b), expected_b);

    assert_eq!(
        search(&db, a, "silk scarf"),
        ["Silk scarf 100", "Silk scarf 101", "Silk scarf 102"]
    );
    assert_eq!(
        search(&db, b, "silk scarf"),
        ["Silk scarf 200", "Silk scarf 201"]
    );
    assert_eq!(search(&db, a, "tote"), ["Tote 300", "Tote 301"]);
    assert!(search(&db, b, "tote").is_empty());

    // The status tabs of a search count its matches (of the brand, by status).
    db.0.execute(
        "UPDATE cases SET status = 'withdrawn' WHERE id = ?1",
        [case_id(101)],
    )
    .unwrap();
    let counts = |b, q: &str, status: Option<&str>| {
        let f = case_filter(&CaseQuery {
            q: Some(q.into()),
            status: status.map(Into::into),
            ..Default::default()
        })
        .unwrap();
        block_on(sql::case_counts(&db, b, &f))
            .unwrap()
            .into_iter()
            .map(|(s, n)| (s.as_str().to_owned(), n))
            .collect::<Vec<_>>()
    };
    let expected = vec![
        ("awaiting_brand".to_owned(), 2),
        ("withdrawn".to_owned(), 1),
    ];
    assert_eq!(counts(a, "silk scarf", None), expected);
    // Whatever tab is open.
    assert_eq!(counts(a, "silk scarf", Some("withdrawn")), expected);
    assert_eq!(
        counts(b, "silk scarf", None),
        [("awaiting_brand".to_owned(), 2)]
    );
    assert!(counts(b, "tote", None).is_empty());
}

#[test]
fn a_snapshot_filled_in_later_is_what_search_then_finds() {
    let db = Sqlite::migrated();
    let (a, b) = (brand(1), brand(2));
    add_brands(&db, &[(a, "Aurelia"), (b, "Cobalt")]);
    file_cases(
        &db,
        a,
        100,
        2,
        "awaiting_brand",
        |_| "Pending listing".into(),
        T0,
    );
    file_cases(
        &db,
        b,
        200,
        1,
        "awaiting_brand",
        |_| "Pending listing".into(),
        T0,
    );
    block_on(jf_core::store::Db::batch(
        &db,
        sql::fill_pending_snapshots("L-100", "{}", "Velvet clutch", "S-9", "Night Market"),
    ))
    .unwrap();
    assert_eq!(search(&db, a, "velvet"), ["Velvet clutch"]);
    assert_eq!(search(&db, a, "night market"), ["Velvet clutch"]);
    assert_eq!(search(&db, a, "pending"), ["Pending listing"]);
    assert_eq!(search(&db, b, "pending"), ["Pending listing"]);
    assert!(search(&db, b, "velvet").is_empty());
    // The row stayed in its place.
    assert_eq!(rows(&db, a)[0].1, 1);
    assert_eq!(rows(&db, a)[0].2, case_id(100));
}

#[test]
fn the_migration_moves_each_brands_rows_into_its_block_in_their_order() {
    let db = Sqlite::migrated_before("0020");
    let (a, b) = (brand(1), brand(2));
    add_brands(&db, &[(a, "Aurelia"), (b, "Cobalt")]);
    // Filed before the migration, the brands' rows interleave.
    db.0.execute_batch(&format!(
        "INSERT INTO cases_fts (case_id, brand_id, body) VALUES
           ('a1', '{a}', 'Silk scarf a1'), ('b1', '{b}', 'Silk scarf b1'),
           ('a2', '{a}', 'Leather tote a2'), ('b2', '{b}', 'Leather tote b2'), ('a3', '{a}', 'Silk scarf a3');"
    ))
    .unwrap();
    db.migrate_from("0020");

    let (block_a, block_b) = (block_of(&db, a), block_of(&db, b));
    assert_eq!((block_a, block_b), (1, 2));
    let places = |rows: Vec<(i64, i64, String)>| -> Vec<(i64, i64, String)> { rows };
    assert_eq!(
        places(rows(&db, a)),
        [
            (1, 1, "a1".into()),
            (1, 2, "a2".into()),
            (1, 3, "a3".into())
        ]
    );
    assert_eq!(
        places(rows(&db, b)),
        [(2, 1, "b1".into()), (2, 2, "b2".into())]
    );
    let bodies: Vec<String> = {
        let mut stmt =
            db.0.prepare("SELECT body FROM cases_search ORDER BY body")
                .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(
        bodies,
        [
            "Leather tote a2",
            "Leather tote b2",
            "Silk scarf a1",
            "Silk scarf a3",
            "Silk scarf b1"
        ]
    );
    // A brand made after the migration takes the next block.
    let c = brand(3);
    add_brands(&db, &[(c, "Delta")]);
    assert_eq!(block_of(&db, c), 3);
}
