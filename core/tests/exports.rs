//! Streamed CSV exports against SQLite: pages of 500, every row once, every cell guarded, and a
//! store that fails midway ends the export in an error, never in a clean (short) end.

mod support;

use jf_core::access::{Actor, Membership, Person};
use jf_core::audit::{self, AuditQuery};
use jf_core::cases::{self, CaseQuery};
use jf_core::export::Export;
use jf_core::ids::{BrandId, CaseId, IpRightId, UserId};
use jf_core::store::{Db, Stmt};
use jf_core::types::{BrandRole, Email, StaffRole};
use jf_core::{sql, Result};
use std::cell::Cell;
use std::collections::HashSet;
use support::{block_on, Sqlite};

const T0: i64 = 1_790_000_000_000;

fn uuid(n: u128) -> uuid::Uuid {
    uuid::Uuid::from_u128(n)
}

fn person(id: UserId, staff: Option<StaffRole>, memberships: Vec<Membership>) -> Actor {
    Actor::Person(Person {
        user_id: id,
        display_name: "Someone".into(),
        staff_role: staff,
        memberships,
        managed_brands: vec![],
    })
}

struct World {
    db: Sqlite,
    brand: BrandId,
    admin: Actor,
    viewer: Actor,
    operator: Actor,
    outsider: Actor,
}

/// A brand with an admin (whose display name looks like a formula), a viewer and an operator.
fn world() -> World {
    let db = Sqlite::migrated();
    let brand = BrandId(uuid(1));
    let other = BrandId(uuid(2));
    let (admin, viewer, ops, outsider) = (
        UserId(uuid(11)),
        UserId(uuid(12)),
        UserId(uuid(13)),
        UserId(uuid(14)),
    );
    let email = |who: &str| Email::parse(&format!("{who}@aurelia.test")).unwrap();
    block_on(db.batch(vec![
        sql::insert_brand(brand, "Aurelia", "BR-AURELIA", T0),
        sql::insert_brand(other, "Cobalt", "BR-COBALT", T0),
        sql::insert_user(admin, &email("admin"), "=cmd|' /C calc'!A0", None, None, T0),
        sql::insert_user(viewer, &email("viewer"), "Viewer", None, None, T0),
        sql::insert_user(
            ops,
            &email("ops"),
            "Ops",
            None,
            Some(StaffRole::Operator),
            T0,
        ),
        sql::insert_user(outsider, &email("carl"), "Carl", None, None, T0),
        sql::insert_membership(admin, brand, BrandRole::BrandAdmin, T0),
        sql::insert_membership(viewer, brand, BrandRole::BrandViewer, T0),
        sql::insert_membership(outsider, other, BrandRole::BrandAdmin, T0),
    ]))
    .unwrap();
    let member = |role| {
        vec![Membership {
            brand_id: brand,
            role,
        }]
    };
    World {
        db,
        brand,
        admin: person(admin, None, member(BrandRole::BrandAdmin)),
        viewer: person(viewer, None, member(BrandRole::BrandViewer)),
        operator: person(ops, Some(StaffRole::Operator), vec![]),
        outsider: person(
            outsider,
            None,
            vec![Membership {
                brand_id: other,
                role: BrandRole::BrandAdmin,
            }],
        ),
    }
}

/// `n` cases of the brand, many created in the same millisecond (the cursor's id breaks ties);
/// every seventh title starts like a formula.
fn seed_cases(w: &World, n: u128) -> HashSet<String> {
    let formulas = ["=HYPERLINK(\"http://evil\")", "+1", "-2", "@SUM(A1)"];
    let mut ids = HashSet::new();
    let rows: Vec<sql::NewCase> = (0..n)
        .map(|i| {
            let id = CaseId(uuid(1_000_000 + i));
            ids.insert(id.to_string());
            sql::NewCase {
                id,
                listing_id: format!("L-{i}"),
                title: if i % 7 == 0 {
                    formulas[(i / 7 % 4) as usize].to_owned()
                } else {
                    format!("Bag, red \"{i}\"")
                },
                seller_name: "Seller S-1".into(),
                ..support::new_case(0, "awaiting_brand")
            }
        })
        .collect();
    for (k, chunk) in rows.chunks(100).enumerate() {
        let json = serde_json::to_string(chunk).unwrap();
        block_on(w.db.batch(sql::insert_cases(
            w.brand,
            &json,
            &cases::Mover::MARKETPLACE,
            T0 + (k as i64 / 3),
        )))
        .unwrap();
    }
    ids
}

/// Every chunk of an export, until it ends or fails.
fn chunks<D: Db>(export: &mut Export<D>) -> Result<Vec<String>> {
    let mut out = Vec::new();
    while let Some(chunk) = block_on(export.next_chunk())? {
        out.push(chunk);
    }
    Ok(out)
}

/// The records of a whole file (the header first).
fn records(chunks: &[String]) -> Vec<Vec<String>> {
    jf_core::csv::parse(chunks.concat().as_bytes())
        .unwrap()
        .into_iter()
        .map(|(_, r)| r)
        .collect()
}

#[test]
fn cases_come_a_page_a_chunk_each_once_and_guarded() {
    let w = world();
    let ids = seed_cases(&w, 1_500);
    let mut export = cases::export_cases(&w.db, &w.viewer, w.brand, &CaseQuery::default()).unwrap();
    let parts = chunks(&mut export).unwrap();
    assert_eq!(parts.len(), 3, "1,500 rows in pages of 500");
    assert!(parts[0].starts_with(
        "case_id,listing_id,title,seller,origin,status,reason,created_at,right,deadline,listing_url\r\n"
    ));
    let rows = records(&parts);
    assert_eq!(rows.len(), 1 + 1_500);
    let mut seen = HashSet::new();
    for r in &rows[1..] {
        assert!(seen.insert(r[0].clone()), "{} twice", r[0]);
        // Nothing a spreadsheet would run: formula-like titles come back with a leading quote.
        assert!(!r[2].starts_with(['=', '+', '-', '@']), "{}", r[2]);
    }
    assert_eq!(seen, ids);
    let guarded = rows[1..].iter().filter(|r| r[2].starts_with('\'')).count();
    assert_eq!(guarded, 1_500usize.div_ceil(7));
    assert!(rows.iter().any(|r| r[2] == "'=HYPERLINK(\"http://evil\")"));
    assert!(rows.iter().any(|r| r[2] == "Bag, red \"8\""));
    // Once whole, it stays whole.
    assert_eq!(block_on(export.next_chunk()).unwrap(), None);

    // Filters apply; an empty result is still a file with its header.
    let q = CaseQuery {
        status: Some("taken_down".into()),
        ..Default::default()
    };
    let mut none = cases::export_cases(&w.db, &w.viewer, w.brand, &q).unwrap();
    let only = chunks(&mut none).unwrap();
    assert_eq!(records(&only).len(), 1);
}

/// A case row's times are ISO 8601 in UTC, and it names the right invoked, the deadline running
/// and the listing's address; those new cells are guarded as well (a registration number or an
/// address may start like a formula), and an absent value is an empty cell.
#[test]
fn a_case_row_has_iso_times_its_right_deadline_and_listing_url_all_guarded() {
    let w = world();
    let right = IpRightId(uuid(77));
    block_on(w.db.batch(vec![sql::insert_ip_right(&sql::NewIpRight {
        id: right,
        brand_id: w.brand,
        kind: "trademark",
        registration_number: "=EUTM+018234567",
        jurisdiction: "EU",
        classes: "[]",
        owner: "Aurelia",
        expires_at: None,
        now: T0,
    })]))
    .unwrap();
    let snapshot = |url: &str| {
        serde_json::json!({
            "listing_id": "L-URL",
            "url": url,
            "title": "Bag",
            "price": { "amount": "10.00", "currency": "EUR" },
            "seller": { "seller_id": "S-1", "name": "Seller S-1" }
        })
        .to_string()
    };
    let case =
        |n: u128, status: &'static str, right, deadline, snap: Option<String>| sql::NewCase {
            listing_id: format!("L-{n}"),
            ip_right_id: right,
            snapshot: snap,
            title: format!("Bag {n}"),
            seller_name: "Seller S-1".into(),
            deadline_at: deadline,
            ..support::new_case(9_000 + n, status)
        };
    const DAY: i64 = 86_400_000;
    let rows = vec![
        // Taken down: the appeal window runs 14 days.
        case(
            1,
            "taken_down",
            Some(right),
            Some(T0 + 14 * DAY),
            Some(snapshot("https://market.example/item/L-1")),
        ),
        // A formula-like address, guarded like any other cell.
        case(
            2,
            "awaiting_brand",
            None,
            Some(T0 + 7 * DAY),
            Some(snapshot("=HYPERLINK(\"http://evil\")")),
        ),
        // No right, no snapshot yet; its deadline no longer runs once closed.
        case(3, "withdrawn", None, Some(T0 + DAY), None),
    ];
    let json = serde_json::to_string(&rows).unwrap();
    block_on(w.db.batch(sql::insert_cases(
        w.brand,
        &json,
        &cases::Mover::MARKETPLACE,
        T0,
    )))
    .unwrap();

    let mut export = cases::export_cases(&w.db, &w.viewer, w.brand, &CaseQuery::default()).unwrap();
    let rows = records(&chunks(&mut export).unwrap());
    assert_eq!(rows[0], jf_core::export::CASE_COLUMNS);
    assert_eq!(
        rows[0][7..],
        ["created_at", "right", "deadline", "listing_url"]
    );
    let row = |listing: &str| {
        rows.iter()
            .find(|r| r[1] == listing)
            .unwrap_or_else(|| panic!("{listing} exported: {rows:?}"))
            .clone()
    };
    assert!(rows[1..].iter().all(|r| r.len() == 11), "{rows:?}");
    // 1,790,000,000,000 ms since the epoch.
    let taken = row("L-1");
    assert_eq!(
        taken[0],
        CaseId(uuid(9_001)).to_string(),
        "the id comes first"
    );
    assert_eq!(taken[7], "2026-09-21T14:13:20Z");
    assert_eq!(taken[8], "'=EUTM+018234567", "the right's number, guarded");
    assert_eq!(taken[9], "2026-10-05T14:13:20Z");
    assert_eq!(taken[10], "https://market.example/item/L-1");
    let flagged = row("L-2");
    assert_eq!(flagged[8], "");
    assert_eq!(flagged[9], "2026-09-28T14:13:20Z");
    assert_eq!(flagged[10], "'=HYPERLINK(\"http://evil\")");
    let closed = row("L-3");
    assert_eq!(closed[7], "2026-09-21T14:13:20Z");
    assert_eq!(closed[8..], ["", "", ""]);
    // No cell holds epoch milliseconds any more.
    assert!(rows[1..].iter().all(|r| !r
        .iter()
        .any(|c| c.len() == 13 && c.bytes().all(|b| b.is_ascii_digit()))));
}

#[test]
fn exports_are_refused_before_the_first_byte() {
    let w = world();
    let q = CaseQuery::default();
    let refused = cases::export_cases(&w.db, &w.outsider, w.brand, &q).err();
    assert_eq!(refused.map(|e| e.status()), Some(404));
    let bad = CaseQuery {
        status: Some("lost".into()),
        ..Default::default()
    };
    let refused = cases::export_cases(&w.db, &w.viewer, w.brand, &bad).err();
    assert_eq!(refused.map(|e| e.status()), Some(400));
    let aq = AuditQuery::default();
    let refused = audit::export_brand_audit(&w.db, &w.viewer, w.brand, &aq).err();
    assert_eq!(refused.map(|e| e.status()), Some(403));
    let refused = audit::export_all_audit(&w.db, &w.admin, &aq).err();
    assert_eq!(refused.map(|e| e.status()), Some(404));
}

/// A store whose reads fail from the `fails_at`-th on (counting from 1).
struct Failing<'a> {
    db: &'a Sqlite,
    reads: Cell<usize>,
    fails_at: usize,
}

impl Db for Failing<'_> {
    async fn all(&self, stmt: Stmt) -> Result<jf_core::store::Rows> {
        self.reads.set(self.reads.get() + 1);
        if self.reads.get() >= self.fails_at {
            return Err(jf_core::Error::internal("D1 went away"));
        }
        self.db.all(stmt).await
    }
    async fn batch(&self, stmts: Vec<Stmt>) -> Result<()> {
        self.db.batch(stmts).await
    }
    async fn execute(&self, stmt: Stmt) -> Result<u64> {
        self.db.execute(stmt).await
    }
}

#[test]
fn a_store_failing_midway_ends_the_export_in_an_error() {
    let w = world();
    seed_cases(&w, 1_500);
    let failing = Failing {
        db: &w.db,
        reads: Cell::new(0),
        fails_at: 2,
    };
    let mut export =
        cases::export_cases(&failing, &w.viewer, w.brand, &CaseQuery::default()).unwrap();
    let first = block_on(export.next_chunk()).unwrap().unwrap();
    assert_eq!(records(&[first]).len(), 1 + 500);
    let second = block_on(export.next_chunk());
    assert_eq!(second.map_err(|e| e.status()), Err(500));
    // However often it is asked again, it never turns into a clean end.
    for _ in 0..3 {
        assert!(block_on(export.next_chunk()).is_err());
    }
    assert_eq!(failing.reads.get(), 2, "a failed export reads no more");

    // A failure on the first page comes before any byte: the caller answers it as an error.
    let failing = Failing {
        db: &w.db,
        reads: Cell::new(0),
        fails_at: 1,
    };
    let mut export =
        cases::export_cases(&failing, &w.viewer, w.brand, &CaseQuery::default()).unwrap();
    assert!(block_on(export.next_chunk()).is_err());
}

#[test]
fn the_audit_log_exports_with_its_filters_and_addresses_for_operators_only() {
    let w = world();
    let admin = UserId(uuid(11));
    let mut entries = Vec::new();
    for i in 0..1_200u128 {
        let id = uuid(5_000_000 + i).to_string();
        let details = format!("{{\"n\":{i}}}");
        let kind = if i % 2 == 0 {
            "member_added"
        } else {
            "api_key_created"
        };
        entries.push((id, T0 + (i / 4) as i64, kind, details));
    }
    let admin_id = admin.to_string();
    let stmts = entries
        .iter()
        .map(|(id, at, kind, details)| {
            sql::insert_audit(&sql::NewAuditEntry {
                id,
                at: *at,
                kind,
                actor_kind: "person",
                actor_id: Some(&admin_id),
                on_behalf_of: None,
                brand_id: Some(w.brand),
                subject_kind: Some("brand"),
                subject_id: Some("-1+1"),
                address: Some("203.0.113.9"),
                details,
            })
        })
        .collect();
    block_on(w.db.batch(stmts)).unwrap();

    let aq = AuditQuery::default();
    let mut brand = audit::export_brand_audit(&w.db, &w.admin, w.brand, &aq).unwrap();
    let brand_chunks = chunks(&mut brand).unwrap();
    assert_eq!(brand_chunks.len(), 3);
    let rows = records(&brand_chunks);
    assert_eq!(rows[0], jf_core::export::AUDIT_COLUMNS);
    assert_eq!(rows.len(), 1 + 1_200);
    let ids: HashSet<_> = rows[1..].iter().map(|r| r[0].clone()).collect();
    assert_eq!(ids.len(), 1_200);
    for r in &rows[1..] {
        assert_eq!(r[5], "'=cmd|' /C calc'!A0", "the actor's name is guarded");
        assert_eq!(r[9], "'-1+1");
        assert_eq!(r[10], "", "a brand's export has no addresses");
        assert_eq!(r[12], "", "no brand has the subject's id: no name");
    }

    let only_keys = AuditQuery {
        kind: Some("api_key_created".into()),
        ..Default::default()
    };
    let mut all = audit::export_all_audit(&w.db, &w.operator, &only_keys).unwrap();
    let rows = records(&chunks(&mut all).unwrap());
    assert_eq!(rows.len(), 1 + 600);
    assert!(rows[1..]
        .iter()
        .all(|r| r[2] == "api_key_created" && r[10] == "203.0.113.9"));
}
