//! The case list's sorts against SQLite with the real migrations: each sort's order (ties by id,
//! cases without a deadline last), keyset pages that add up to the whole list with no repeat,
//! with the filters and search, cursors that keep to their sort, and plans that read each
//! sort's own index in its order.

mod support;

use jf_core::access::{Actor, Membership, Person};
use jf_core::case_list::CaseSort;
use jf_core::cases::{self, CaseQuery};
use jf_core::clock::{FixedClock, SeededEntropy, DAY};
use jf_core::identity::Deps;
use jf_core::ids::{BrandId, CaseId, UserId};
use jf_core::reasons::Reason;
use jf_core::store::{Db, Stmt};
use jf_core::types::{BrandRole, Email};
use jf_core::{sql, Error, Result};
use std::cell::RefCell;
use std::collections::HashSet;
use support::{block_on, Sqlite};

const T0: i64 = 1_790_000_000_000;
const N: u128 = 60;
const STATUSES: [&str; 5] = [
    "awaiting_brand",
    "under_review",
    "taken_down",
    "appealed",
    "takedown_requested",
];

fn uuid(n: u128) -> uuid::Uuid {
    uuid::Uuid::from_u128(n)
}

/// One seeded case as the list should order it.
#[derive(Debug, Clone)]
struct Seeded {
    id: CaseId,
    title: String,
    status: &'static str,
    created: i64,
    updated: i64,
    deadline: Option<i64>,
}

struct World {
    db: Sqlite,
    clock: FixedClock,
    entropy: SeededEntropy,
    brand: BrandId,
    viewer: Actor,
    cases: Vec<Seeded>,
}

/// A brand with a viewer and `N` cases whose keys tie in threes (created), fours (updated) and
/// more (deadline, status), a quarter of them without a deadline; the ids are inserted in an
/// order unlike any sort's. Another brand's cases must never show.
fn world() -> World {
    let db = Sqlite::migrated();
    let brand = BrandId(uuid(1));
    let other = BrandId(uuid(2));
    let viewer = UserId(uuid(11));
    block_on(db.batch(vec![
        sql::insert_brand(brand, "Aurelia", "BR-AURELIA", T0),
        sql::insert_brand(other, "Cobalt", "BR-COBALT", T0),
        sql::insert_user(
            viewer,
            &Email::parse("viewer@aurelia.test").unwrap(),
            "Viewer",
            None,
            None,
            T0,
        ),
        sql::insert_membership(viewer, brand, BrandRole::BrandViewer, T0),
    ]))
    .unwrap();
    db.0.execute(
        "INSERT INTO ip_rights (id, brand_id, kind, registration_number, jurisdiction, owner, status, created_at)
         VALUES ('r1', ?1, 'trademark', 'TM-SORT-1', 'EU', 'Aurelia', 'verified', 0)",
        [brand.to_string()],
    )
    .unwrap();
    let mut cases = Vec::new();
    for i in 0..N {
        // Ids out of step with every key, so the id really breaks the ties.
        let id = CaseId(uuid(1_000 + (i * 37) % N));
        let status = STATUSES[(i % 5) as usize];
        let seeded = Seeded {
            id,
            title: if i % 2 == 0 {
                format!("Leather bag {i}")
            } else {
                format!("Steel watch {i}")
            },
            status,
            created: T0 + (i as i64 / 3),
            updated: T0 + 1_000 + ((i as i64 * 7) % 15),
            deadline: (i % 4 != 0).then(|| T0 + DAY * ((i as i64 * 11) % 9)),
        };
        let new = sql::NewCase {
            id,
            title: seeded.title.clone(),
            seller_name: "Seller S-1".into(),
            deadline_at: seeded.deadline,
            ..support::new_case(i, status)
        };
        let json = serde_json::to_string(&[new]).unwrap();
        block_on(db.batch(sql::insert_cases(
            brand,
            &json,
            &cases::Mover::MARKETPLACE,
            seeded.created,
        )))
        .unwrap();
        db.0.execute(
            "UPDATE cases SET updated_at = ?1, ip_right_id = iif(?2, 'r1', NULL) WHERE id = ?3",
            rusqlite::params![seeded.updated, i % 3 == 0, id.to_string()],
        )
        .unwrap();
        cases.push(seeded);
    }
    // Cobalt's cases sit between Aurelia's in every key.
    for i in 0..5u128 {
        let new = sql::NewCase {
            listing_id: format!("C-{i}"),
            title: "Leather bag of Cobalt".into(),
            seller_id: None,
            deadline_at: Some(T0 + DAY),
            ..support::new_case(9_000 + i, "under_review")
        };
        let json = serde_json::to_string(&[new]).unwrap();
        block_on(db.batch(sql::insert_cases(
            other,
            &json,
            &cases::Mover::MARKETPLACE,
            T0 + 5,
        )))
        .unwrap();
    }
    World {
        db,
        clock: FixedClock::at(T0),
        entropy: SeededEntropy::default(),
        brand,
        viewer: Actor::Person(Person {
            user_id: viewer,
            display_name: "Viewer".into(),
            staff_role: None,
            memberships: vec![Membership {
                brand_id: brand,
                role: BrandRole::BrandViewer,
            }],
            managed_brands: vec![],
        }),
        cases,
    }
}

impl World {
    fn list_on<D: Db>(&self, db: &D, q: &CaseQuery) -> Result<jf_core::api::CaseList> {
        let deps = Deps {
            db,
            clock: &self.clock,
            entropy: &self.entropy,
            address: None,
        };
        block_on(cases::list_cases(&deps, &self.viewer, self.brand, q))
    }

    fn list(&self, q: &CaseQuery) -> Result<jf_core::api::CaseList> {
        self.list_on(&self.db, q)
    }

    /// Every page of `sort` under the filters of `q`, `limit` at a time, concatenated.
    fn walk(&self, sort: CaseSort, q: &CaseQuery, limit: usize) -> Vec<CaseId> {
        let mut ids = Vec::new();
        let mut cursor = None;
        for _ in 0..100 {
            let page = self
                .list(&CaseQuery {
                    sort: Some(sort.as_str().into()),
                    cursor: cursor.clone(),
                    limit: Some(limit.to_string()),
                    ..q.clone()
                })
                .unwrap();
            assert!(page.cases.len() <= limit);
            ids.extend(page.cases.iter().map(|c| c.id));
            match page.next_cursor {
                Some(next) => {
                    assert!(
                        next.starts_with(&format!("{}.", sort.as_str())),
                        "the cursor names its sort: {next}"
                    );
                    cursor = Some(next);
                }
                None => return ids,
            }
        }
        panic!("{} never ended", sort.as_str());
    }
}

/// The order `sort` must give `cases`: its key, then the id, both in its direction; cases
/// without a deadline last either way.
fn expected(cases: &[Seeded], sort: CaseSort) -> Vec<CaseId> {
    let mut v = cases.to_vec();
    let id = |c: &Seeded| c.id.to_string();
    v.sort_by(|a, b| {
        let by_key = match sort.as_str().trim_start_matches('-') {
            "created" => a.created.cmp(&b.created),
            "updated" => a.updated.cmp(&b.updated),
            "status" => a.status.cmp(b.status),
            "deadline" => match (a.deadline, b.deadline) {
                (Some(x), Some(y)) => x.cmp(&y),
                // Last whichever the direction: flipped below with the rest, so flip first.
                (None, Some(_)) if sort.descending => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (Some(_), None) if sort.descending => std::cmp::Ordering::Greater,
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, None) => std::cmp::Ordering::Equal,
            },
            other => panic!("no sort {other}"),
        };
        let o = by_key.then_with(|| id(a).cmp(&id(b)));
        if sort.descending {
            o.reverse()
        } else {
            o
        }
    });
    v.into_iter().map(|c| c.id).collect()
}

#[test]
fn each_sort_orders_ties_by_id_and_puts_cases_without_a_deadline_last() {
    let w = world();
    // The default is newest first.
    let first = w.list(&CaseQuery::default()).unwrap();
    assert_eq!(
        first.cases.iter().map(|c| c.id).collect::<Vec<_>>(),
        expected(&w.cases, CaseSort::default())[..25].to_vec()
    );
    for sort in CaseSort::ALL {
        let all = w.walk(sort, &CaseQuery::default(), 100);
        assert_eq!(all, expected(&w.cases, sort), "{}", sort.as_str());
    }
    // Spelled out once, as a person reads the list: soonest deadline first, none at the end.
    let by_deadline = w
        .list(&CaseQuery {
            sort: Some("deadline".into()),
            limit: Some("100".into()),
            ..Default::default()
        })
        .unwrap();
    let deadlines: Vec<Option<i64>> = by_deadline.cases.iter().map(|c| c.deadline_at).collect();
    let known = deadlines.iter().take_while(|d| d.is_some()).count();
    assert_eq!(known, 45, "three quarters have a deadline: {deadlines:?}");
    assert!(deadlines[known..].iter().all(Option::is_none));
    assert!(deadlines[..known].windows(2).all(|p| p[0] <= p[1]));
    let latest_first = w
        .list(&CaseQuery {
            sort: Some("-deadline".into()),
            limit: Some("100".into()),
            ..Default::default()
        })
        .unwrap();
    let deadlines: Vec<Option<i64>> = latest_first.cases.iter().map(|c| c.deadline_at).collect();
    assert!(deadlines[..45].windows(2).all(|p| p[0] >= p[1]));
    assert!(deadlines[45..].iter().all(Option::is_none), "{deadlines:?}");
    // The list gives the invoked right's number where there is one.
    let with_right = by_deadline
        .cases
        .iter()
        .filter(|c| c.right_number.as_deref() == Some("TM-SORT-1"))
        .count();
    assert_eq!(with_right, 20);
}

#[test]
fn keyset_pages_of_every_sort_add_up_to_the_list_with_filters_and_search() {
    let w = world();
    let filters = [
        CaseQuery::default(),
        CaseQuery {
            status: Some("awaiting_brand".into()),
            ..Default::default()
        },
        // Trigram search (three characters or more) and the short substring search.
        CaseQuery {
            q: Some("Leather".into()),
            ..Default::default()
        },
        CaseQuery {
            q: Some("1".into()),
            ..Default::default()
        },
    ];
    for q in &filters {
        let wanted: Vec<Seeded> = w
            .cases
            .iter()
            .filter(|c| q.status.as_deref().is_none_or(|s| c.status == s))
            .filter(|c| match q.q.as_deref() {
                Some(text) => {
                    c.title.contains(text) || c.id.to_string().contains(text) || text == "1"
                }
                None => true,
            })
            .cloned()
            .collect();
        for sort in CaseSort::ALL {
            for limit in [1, 7, 25] {
                let walked = w.walk(sort, q, limit);
                let unique: HashSet<_> = walked.iter().collect();
                assert_eq!(unique.len(), walked.len(), "no repeats");
                if q.q.as_deref() == Some("1") {
                    // "1" is in every listing id L-1…, in some ids too: the order is what counts.
                    let order: Vec<CaseId> = expected(&w.cases, sort)
                        .into_iter()
                        .filter(|id| walked.contains(id))
                        .collect();
                    assert_eq!(walked, order, "{} by {limit}", sort.as_str());
                    assert!(!walked.is_empty());
                } else {
                    assert_eq!(
                        walked,
                        expected(&wanted, sort),
                        "{} by {limit} with {:?} {:?}",
                        sort.as_str(),
                        q.status,
                        q.q
                    );
                }
            }
        }
    }
}

fn refusal(e: Error) -> (String, Option<Reason>) {
    match e {
        Error::Invalid { field, why } => (field, why.reason().cloned()),
        other => panic!("not a 400 naming a field: {other:?}"),
    }
}

#[test]
fn a_bad_sort_or_a_cursor_of_another_sort_is_refused_naming_the_field() {
    let w = world();
    for bad in ["title", "+created", "DEADLINE", "created,id", "--created"] {
        let e = w
            .list(&CaseQuery {
                sort: Some(bad.into()),
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(e.status(), 400);
        assert_eq!(
            refusal(e),
            ("sort".into(), Some(Reason::SortCodes)),
            "{bad}"
        );
    }
    assert!(Reason::SortCodes.english().contains("-deadline"));
    // Empty is the default.
    assert!(w
        .list(&CaseQuery {
            sort: Some(String::new()),
            ..Default::default()
        })
        .is_ok());
    let page = |sort: &str| {
        w.list(&CaseQuery {
            sort: Some(sort.into()),
            limit: Some("5".into()),
            ..Default::default()
        })
        .unwrap()
        .next_cursor
        .unwrap()
    };
    let by_deadline = page("deadline");
    for other in ["-deadline", "created", "-created", "status", "updated"] {
        let e = w
            .list(&CaseQuery {
                sort: Some(other.into()),
                cursor: Some(by_deadline.clone()),
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(e.status(), 400);
        assert_eq!(
            refusal(e),
            ("cursor".into(), Some(Reason::CursorOtherSort)),
            "{other}"
        );
    }
    // The default sort refuses a deadline cursor too, and a status cursor with a forged key is
    // not a cursor at all.
    let e = w
        .list(&CaseQuery {
            cursor: Some(by_deadline),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(refusal(e).0, "cursor");
    let by_status = page("status");
    let forged = by_status.replacen("status.", "status.x'--.", 1);
    let e = w
        .list(&CaseQuery {
            sort: Some("status".into()),
            cursor: Some(forged),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(e.status(), 400);
}

/// Runs statements on SQLite and keeps their text, to ask SQLite how it plans them.
struct Recording<'a> {
    inner: &'a Sqlite,
    seen: RefCell<Vec<Stmt>>,
}

impl Db for Recording<'_> {
    async fn all(&self, stmt: Stmt) -> Result<jf_core::store::Rows> {
        self.seen.borrow_mut().push(stmt.clone());
        self.inner.all(stmt).await
    }
    async fn batch(&self, stmts: Vec<Stmt>) -> Result<()> {
        self.inner.batch(stmts).await
    }
    async fn execute(&self, stmt: Stmt) -> Result<u64> {
        self.inner.execute(stmt).await
    }
}

fn plan(db: &Sqlite, stmt: &Stmt) -> Vec<String> {
    let mut plan =
        db.0.prepare(&format!("EXPLAIN QUERY PLAN {}", stmt.sql))
            .unwrap();
    plan.query_map(
        rusqlite::params_from_iter(stmt.params.iter().map(|v| match v {
            jf_core::store::Value::Null => rusqlite::types::Value::Null,
            jf_core::store::Value::Int(i) => rusqlite::types::Value::Integer(*i),
            jf_core::store::Value::Text(t) => rusqlite::types::Value::Text(t.clone()),
        })),
        |r| r.get::<_, String>(3),
    )
    .unwrap()
    .map(|r| r.unwrap())
    .collect()
}

#[test]
fn each_sort_reads_its_own_index_in_order_from_the_cursor() {
    let w = world();
    // Without statistics, and with SQLite's statistics of a small brand (which once made it scan
    // the brands and sort the cases instead).
    for (analyzed, sort) in [false, true]
        .into_iter()
        .flat_map(|a| CaseSort::ALL.map(|s| (a, s)))
    {
        if analyzed && sort == CaseSort::ALL[0] {
            w.db.0.execute_batch("ANALYZE").unwrap();
        }
        let index = match sort.as_str() {
            "created" | "-created" => "cases_by_brand ",
            "updated" | "-updated" => "cases_by_brand_updated",
            "deadline" => "cases_by_brand_due ",
            "-deadline" => "cases_by_brand_due_desc",
            "status" | "-status" => "cases_by_brand_status_id",
            other => panic!("no index for {other}"),
        };
        let first = w
            .list(&CaseQuery {
                sort: Some(sort.as_str().into()),
                limit: Some("5".into()),
                ..Default::default()
            })
            .unwrap();
        for (page, cursor) in [("first", None), ("next", first.next_cursor)] {
            let recording = Recording {
                inner: &w.db,
                seen: RefCell::new(Vec::new()),
            };
            w.list_on(
                &recording,
                &CaseQuery {
                    sort: Some(sort.as_str().into()),
                    cursor,
                    limit: Some("5".into()),
                    ..Default::default()
                },
            )
            .unwrap();
            let seen = recording.seen.borrow();
            let stmt = seen
                .iter()
                .find(|s| s.sql.contains("AS sort_key"))
                .expect("the page's statement");
            let details = plan(&w.db, stmt);
            let on_cases = details
                .iter()
                .find(|d| format!("{d} ").contains(" c "))
                .unwrap_or_else(|| panic!("{details:#?}"));
            // Searched by brand and the cursor's bound, in the index's own order.
            assert!(
                on_cases.starts_with("SEARCH c USING ")
                    && format!("{on_cases} ").contains(index)
                    && on_cases.contains("brand_id=?"),
                "{} ({page} page): {on_cases}\n{details:#?}",
                sort.as_str()
            );
            assert!(
                on_cases.contains('>') || on_cases.contains('<'),
                "{} ({page} page) seeks to its bound: {on_cases}",
                sort.as_str()
            );
            assert!(
                !details.iter().any(|d| d.contains("TEMP B-TREE")),
                "{} ({page} page) sorts nothing: {details:#?}",
                sort.as_str()
            );
        }
    }
}

#[test]
fn the_export_reads_as_the_list_in_its_sort() {
    let w = world();
    for sort in CaseSort::ALL {
        let mut export = cases::export_cases(
            &w.db,
            &w.viewer,
            w.brand,
            &CaseQuery {
                sort: Some(sort.as_str().into()),
                ..Default::default()
            },
        )
        .unwrap();
        let mut csv = String::new();
        while let Some(chunk) = block_on(export.next_chunk()).unwrap() {
            csv.push_str(&chunk);
        }
        let ids: Vec<CaseId> = jf_core::csv::parse(csv.as_bytes())
            .unwrap()
            .into_iter()
            .skip(1)
            .map(|(_, r)| CaseId::parse(&r[0]).unwrap())
            .collect();
        assert_eq!(ids, expected(&w.cases, sort), "{}", sort.as_str());
    }
    let bad = cases::export_cases(
        &w.db,
        &w.viewer,
        w.brand,
        &CaseQuery {
            sort: Some("title".into()),
            ..Default::default()
        },
    );
    assert_eq!(
        refusal(bad.err().expect("refused")),
        ("sort".into(), Some(Reason::SortCodes))
    );
}
