//! Case search bounded to the brand's block of the text index's rowids (migration 0020) and to
//! its scope (migration 0021): each brand's rows sit in its own block under its own scope, with
//! each case's status beside them, whether filed, moved, filled in later or carried over by the
//! migrations, and a brand's search finds its cases and no other brand's.

mod support;

use jf_core::case_list::{CaseCursor, CaseSort};
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

/// Each of the brand's rows of the index: its block and its place in the block, and its case.
/// Every row has its text in the index under the brand's scope, and its case's status beside it.
fn rows(db: &Sqlite, b: BrandId) -> Vec<(i64, i64, String)> {
    let mut stmt =
        db.0.prepare(
            "SELECT r.search_row >> 32, r.search_row & 4294967295, r.case_id,
                    s.scope = char(57344 + ((k.search_block >> 14) & 127), 57344 + ((k.search_block >> 7) & 127),
                                   57344 + (k.search_block & 127)),
                    r.status = c.status
             FROM case_search_rows r JOIN cases c ON c.id = r.case_id JOIN brands k ON k.id = c.brand_id
             LEFT JOIN cases_search s ON s.rowid = r.search_row
             WHERE c.brand_id = ?1 ORDER BY r.search_row",
        )
        .unwrap();
    stmt.query_map([b.to_string()], |r| {
        let (scoped, status_kept): (Option<bool>, bool) = (r.get(3)?, r.get(4)?);
        assert_eq!(
            scoped,
            Some(true),
            "the row's text is in the index under its brand's scope"
        );
        assert!(status_kept, "the row keeps its case's status");
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })
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

/// The case list of the brand that `query` asks for, as the list reads it: the titles it finds
/// (sorted) and its status tabs' counts.
fn listed(db: &Sqlite, b: BrandId, query: CaseQuery) -> (Vec<String>, Vec<(String, i64)>) {
    let f = case_filter(&query).unwrap();
    let (page, counts) = block_on(sql::case_page_and_counts(
        db,
        b,
        &f,
        CaseSort::default(),
        None,
        50,
    ))
    .unwrap();
    let mut found: Vec<String> = page.into_iter().map(|c| c.title).collect();
    found.sort();
    let counts = counts
        .into_iter()
        .map(|(s, n)| (s.as_str().to_owned(), n))
        .collect();
    (found, counts)
}

/// The titles of the brand's cases that the case list's search `q` finds.
fn search(db: &Sqlite, b: BrandId, q: &str) -> Vec<String> {
    let query = CaseQuery {
        q: Some(q.into()),
        ..Default::default()
    };
    listed(db, b, query).0
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
        let query = CaseQuery {
            q: Some(q.into()),
            status: status.map(Into::into),
            ..Default::default()
        };
        listed(&db, b, query).1
    };
    let expected = vec![
        ("awaiting_brand".to_owned(), 2),
        ("withdrawn".to_owned(), 1),
    ];
    assert_eq!(counts(a, "silk scarf", None), expected);
    assert_eq!(
        rows(&db, a).len(),
        5,
        "the moved case's row keeps its new status"
    );
    // Whatever tab is open.
    assert_eq!(counts(a, "silk scarf", Some("withdrawn")), expected);
    assert_eq!(
        counts(b, "silk scarf", None),
        [("awaiting_brand".to_owned(), 2)]
    );
    assert!(counts(b, "tote", None).is_empty());
    // With another filter, the matches are counted from their cases.
    let with_origin = |origin: &str| {
        let query = CaseQuery {
            q: Some("silk scarf".into()),
            origin: Some(origin.into()),
            ..Default::default()
        };
        listed(&db, a, query).1
    };
    assert_eq!(with_origin("report"), expected);
    assert!(with_origin("detection").is_empty());

    // A case deleted leaves no row behind.
    db.0.execute("DELETE FROM case_events WHERE case_id = ?1", [case_id(102)])
        .unwrap();
    db.0.execute("DELETE FROM cases WHERE id = ?1", [case_id(102)])
        .unwrap();
    assert_eq!(
        search(&db, a, "silk scarf"),
        ["Silk scarf 100", "Silk scarf 101"]
    );
    let left: i64 =
        db.0.query_row(
            "SELECT (SELECT count(*) FROM cases_search) + (SELECT count(*) FROM case_search_rows)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 2 * 6);
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
        vec![sql::fill_pending_snapshots(
            "L-100",
            "{}",
            "Velvet clutch",
            "S-9",
            "Night Market",
        )],
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
    db.migrate_between("0020", "0021");

    let (block_a, block_b) = (block_of(&db, a), block_of(&db, b));
    assert_eq!((block_a, block_b), (1, 2));
    let places = |b: BrandId| -> Vec<(i64, i64, String)> {
        let mut stmt =
            db.0.prepare(
                "SELECT rowid >> 32, rowid & 4294967295, case_id FROM cases_search
                 WHERE brand_id = ?1 ORDER BY rowid",
            )
            .unwrap();
        stmt.query_map([b.to_string()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(
        places(a),
        [
            (1, 1, "a1".into()),
            (1, 2, "a2".into()),
            (1, 3, "a3".into())
        ]
    );
    assert_eq!(places(b), [(2, 1, "b1".into()), (2, 2, "b2".into())]);
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

#[test]
fn the_scope_migration_keeps_each_row_in_its_place_with_its_brands_scope_and_its_cases_status() {
    let db = Sqlite::migrated_before("0021");
    let (a, b) = (brand(1), brand(2));
    add_brands(&db, &[(a, "Aurelia"), (b, "Cobalt")]);
    // Cases filed before the migration, their rows written as filing wrote them then.
    file_cases(
        &db,
        a,
        100,
        2,
        "awaiting_brand",
        |i| format!("Silk scarf {i}"),
        T0,
    );
    file_cases(
        &db,
        b,
        200,
        1,
        "taken_down",
        |i| format!("Silk scarf {i}"),
        T0,
    );
    db.0.execute_batch(
        "INSERT INTO cases_search (rowid, case_id, brand_id, body)
           SELECT (k.search_block << 32) + row_number() OVER (PARTITION BY c.brand_id ORDER BY c.id),
                  c.id, c.brand_id, c.title || ' ' || c.listing_id
           FROM cases c JOIN brands k ON k.id = c.brand_id;",
    )
    .unwrap();
    db.migrate_from("0021");

    let (block_a, block_b) = (block_of(&db, a), block_of(&db, b));
    assert_eq!(
        rows(&db, a),
        [(block_a, 1, case_id(100)), (block_a, 2, case_id(101))]
    );
    assert_eq!(rows(&db, b), [(block_b, 1, case_id(200))]);
    assert_eq!(
        search(&db, a, "silk scarf"),
        ["Silk scarf 100", "Silk scarf 101"]
    );
    assert_eq!(search(&db, b, "silk scarf"), ["Silk scarf 200"]);
    // Filing after the migration goes on after the brand's last place.
    file_cases(
        &db,
        a,
        300,
        1,
        "awaiting_brand",
        |i| format!("Tote {i}"),
        T0,
    );
    assert_eq!(rows(&db, a).last(), Some(&(block_a, 3, case_id(300))));
    assert_eq!(search(&db, a, "tote"), ["Tote 300"]);
}

/// A search alone reads its page and counts in one statement (`searched_page_sql!`): every sort,
/// with and without a status, walks the same pages as the page statement does alone, and counts
/// what the counts statement counts.
#[test]
fn a_search_alone_reads_the_same_pages_and_counts_in_one_statement_as_in_two() {
    let db = Sqlite::migrated();
    let a = brand(1);
    add_brands(&db, &[(a, "Aurelia")]);
    for i in 0..30u128 {
        let status = if i % 4 == 0 {
            "withdrawn"
        } else {
            "awaiting_brand"
        };
        let title = if i % 3 == 0 { "Tote" } else { "Silk scarf" };
        // Filing times repeat, so the id breaks ties.
        file_cases(
            &db,
            a,
            100 + i,
            1,
            status,
            |n| format!("{title} {n}"),
            T0 + (i as i64 % 7) * 1000,
        );
    }
    db.0.execute_batch(
        "UPDATE cases SET deadline_at = created_at + (rowid % 5) * 86400000, updated_at = created_at + rowid % 4
         WHERE rowid % 3 <> 0",
    )
    .unwrap();
    for sort in CaseSort::ALL {
        for status in [None, Some("awaiting_brand")] {
            let f = case_filter(&CaseQuery {
                q: Some("silk scarf".into()),
                status: status.map(Into::into),
                ..Default::default()
            })
            .unwrap();
            assert_eq!(
                sql::case_page_and_counts_stmts(a, &f, sort, None, 5).len(),
                1,
                "one statement"
            );
            let walk = |one_statement: bool| {
                let (mut ids, mut after, mut counts) = (Vec::new(), None::<CaseCursor>, None);
                loop {
                    let page = if one_statement {
                        let (page, c) = block_on(sql::case_page_and_counts(
                            &db,
                            a,
                            &f,
                            sort,
                            after.as_ref(),
                            5,
                        ))
                        .unwrap();
                        counts.get_or_insert(c);
                        page
                    } else {
                        counts
                            .get_or_insert_with(|| block_on(sql::case_counts(&db, a, &f)).unwrap());
                        block_on(sql::case_page(&db, a, &f, sort, after.as_ref(), 5)).unwrap()
                    };
                    ids.extend(page.iter().map(|c| c.id.to_string()));
                    match page.last() {
                        Some(last) if page.len() == 5 => {
                            after = Some(CaseCursor {
                                sort,
                                key: last.sort_key.clone().unwrap(),
                                id: last.id,
                            })
                        }
                        _ => break,
                    }
                }
                (ids, counts.unwrap_or_default())
            };
            let (one, two) = (walk(true), walk(false));
            let expected = if status.is_some() { 15 } else { 20 };
            assert_eq!(one.0.len(), expected, "{} {status:?}", sort.as_str());
            assert_eq!(one, two, "{} {status:?}", sort.as_str());
            assert_eq!(
                one.1.iter().map(|(_, n)| n).sum::<i64>(),
                20,
                "the counts are the search's, whatever the status"
            );
        }
    }
}
