//! The case list's counts by status, kept by triggers (migration 0019): the same figures as
//! counting the cases, through filing, moves and deletion, and from the migration's own backfill.

mod support;

use jf_core::history::Mover;
use jf_core::ids::BrandId;
use jf_core::sql::{self, CaseFilter};
use support::{block_on, Sqlite};

const T0: i64 = 1_790_000_000_000;

fn uuid(n: u128) -> uuid::Uuid {
    uuid::Uuid::from_u128(n)
}

fn file(db: &Sqlite, brand: BrandId, from: u128, n: u128, status: &'static str) {
    support::file_cases(db, brand, from, n, status, |i| format!("Bag {i}"), T0);
}

/// Counts by status, in status order.
type Counts = Vec<(String, i64)>;

/// What the list shows for a brand-wide filter, and what counting the cases gives.
fn kept_and_counted(db: &Sqlite, brand: BrandId) -> (Counts, Counts) {
    let kept = block_on(sql::case_counts(db, brand, &CaseFilter::default())).unwrap();
    let kept = kept
        .into_iter()
        .map(|(s, n)| (s.as_str().to_owned(), n))
        .collect();
    let mut stmt = db
        .0
        .prepare("SELECT status, count(*) FROM cases WHERE brand_id = ?1 GROUP BY status ORDER BY status")
        .unwrap();
    let counted = stmt
        .query_map([brand.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    (kept, counted)
}

fn brands(db: &Sqlite) -> (BrandId, BrandId) {
    let (a, b) = (BrandId(uuid(1)), BrandId(uuid(2)));
    block_on(jf_core::store::Db::batch(
        db,
        vec![
            sql::insert_brand(a, "Aurelia", "BR-A", T0),
            sql::insert_brand(b, "Cobalt", "BR-C", T0),
        ],
    ))
    .unwrap();
    (a, b)
}

#[test]
fn the_kept_counts_follow_filing_moves_and_deletion() {
    let db = Sqlite::migrated();
    let (a, b) = brands(&db);
    file(&db, a, 100, 30, "awaiting_brand");
    file(&db, a, 200, 12, "taken_down");
    file(&db, b, 300, 7, "awaiting_brand");
    let (kept, counted) = kept_and_counted(&db, a);
    assert_eq!(
        kept,
        vec![("awaiting_brand".into(), 30), ("taken_down".into(), 12)]
    );
    assert_eq!(kept, counted);

    // Moves (one status to another, and a write that leaves the status as it was), deletion.
    db.0.execute_batch(&format!(
        "UPDATE cases SET status = 'takedown_requested' WHERE id IN ('{}', '{}');
         UPDATE cases SET status = 'awaiting_brand', title = 'same status' WHERE id = '{}';
         UPDATE cases SET status = 'reinstated' WHERE status = 'taken_down' AND brand_id = '{a}';
         DELETE FROM case_events WHERE case_id = '{gone}';
         DELETE FROM cases WHERE id = '{gone}';",
        uuid(100),
        uuid(101),
        uuid(102),
        gone = uuid(103)
    ))
    .unwrap();
    let (kept, counted) = kept_and_counted(&db, a);
    assert_eq!(
        kept,
        vec![
            ("awaiting_brand".into(), 27),
            ("reinstated".into(), 12),
            ("takedown_requested".into(), 2)
        ],
        "an emptied status is not listed"
    );
    assert_eq!(kept, counted);
    // The other brand's counts are its own.
    let (kept, counted) = kept_and_counted(&db, b);
    assert_eq!(kept, vec![("awaiting_brand".into(), 7)]);
    assert_eq!(kept, counted);
}

#[test]
fn the_migration_counts_the_cases_already_there() {
    let db = Sqlite::migrated_before("0019");
    let (a, _) = brands(&db);
    // Filed under the schema of then (the search rows, written by trigger since migration 0021,
    // are not needed: the counts read only the cases).
    let file_then = |from: u128, n: u128, status: &'static str| {
        let json = support::new_cases_json(from, n, status, |i| format!("Bag {i}"));
        let stmts = sql::insert_cases(a, &json, &Mover::MARKETPLACE, T0);
        block_on(jf_core::store::Db::batch(&db, stmts)).unwrap();
    };
    file_then(100, 9, "awaiting_brand");
    file_then(200, 4, "withdrawn");
    db.migrate_from("0019");
    let (kept, counted) = kept_and_counted(&db, a);
    assert_eq!(
        kept,
        vec![("awaiting_brand".into(), 9), ("withdrawn".into(), 4)]
    );
    assert_eq!(kept, counted);
    // Filed after the migration: counted by the trigger on top of the backfill.
    file(&db, a, 300, 2, "withdrawn");
    assert_eq!(kept_and_counted(&db, a).0[1], ("withdrawn".into(), 6));
}

#[test]
fn a_narrowed_list_counts_its_own_matches() {
    let db = Sqlite::migrated();
    let (a, _) = brands(&db);
    file(&db, a, 100, 5, "awaiting_brand");
    db.0.execute(
        "UPDATE cases SET origin = 'detection' WHERE id = ?1",
        [uuid(100).to_string()],
    )
    .unwrap();
    let narrowed = CaseFilter {
        origin: Some("detection".into()),
        ..CaseFilter::default()
    };
    let counts = block_on(sql::case_counts(&db, a, &narrowed)).unwrap();
    assert_eq!(counts.len(), 1);
    assert_eq!(counts[0].1, 1);
    // A status filter alone still shows every tab's brand-wide count.
    let by_status = CaseFilter {
        status: Some("taken_down".into()),
        ..CaseFilter::default()
    };
    let counts = block_on(sql::case_counts(&db, a, &by_status)).unwrap();
    assert_eq!(counts.len(), 1);
    assert_eq!(counts[0].1, 5);
}
