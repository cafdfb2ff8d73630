//! The staff portfolio against SQLite with the real migrations: 250 brands paged by name, each
//! once; a manager's own brands only; a brand whose figures were worked out by hand; every
//! brand's figures against plain SQL and its standing against `…/stats`; two statements a page,
//! read by index.

mod support;

use jf_core::access::{Actor, Membership, Person};
use jf_core::api::*;
use jf_core::cases::{self, week_start, PortfolioQuery, WEEK};
use jf_core::clock::{FixedClock, SeededEntropy, DAY, HOUR};
use jf_core::identity::Deps;
use jf_core::ids::{BrandId, UserId};
use jf_core::programme::Lane;
use jf_core::store::{Db, Stmt};
use jf_core::types::{BrandRole, Email, ProgrammeStatus, StaffRole};
use jf_core::{sql, Error, Result};
use rusqlite::params;
use std::cell::RefCell;
use std::collections::BTreeSet;
use support::{block_on, Sqlite};

/// Wednesday 2026-03-04 15:30 UTC.
const NOW: i64 = 1_772_638_200_000;
/// Monday 2026-03-02 00:00 UTC.
const THIS_WEEK: i64 = 1_772_409_600_000;
const BRANDS: usize = 250;

fn brand_id(i: usize) -> BrandId {
    // Ids in another order than the names, so the order is the names' and not the ids'.
    BrandId(uuid::Uuid::from_u128(((i * 7919) % 1000 + 1) as u128))
}

fn brand_name(i: usize) -> String {
    // Two brands share each name's case-insensitive stem; ties are broken by id.
    format!(
        "Brand {:03}{}",
        i / 2,
        if i.is_multiple_of(2) { "" } else { " Co" }
    )
}

const MARCO: u8 = 7;
const OTHER_MANAGER: u8 = 8;

fn user(n: u8) -> UserId {
    UserId(uuid::Uuid::from_bytes([n; 16]))
}

fn staff(n: u8, role: StaffRole, managed: Vec<BrandId>) -> Actor {
    Actor::Person(Person {
        user_id: user(n),
        display_name: format!("Staff {n}"),
        staff_role: Some(role),
        memberships: vec![],
        managed_brands: managed,
    })
}

/// Marco looks after every tenth brand; another manager after the brands just after those.
fn marcos(i: usize) -> bool {
    i % 10 == 3
}

fn marco() -> Actor {
    let managed = (0..BRANDS).filter(|&i| marcos(i)).map(brand_id).collect();
    staff(MARCO, StaffRole::AccountManager, managed)
}

fn operator() -> Actor {
    staff(9, StaffRole::Operator, vec![])
}

/// The brand worked out by hand (one of Marco's).
const KNOWN: usize = 13;
/// Out of good standing: more than 5% reinstated (one of Marco's too).
const REVOKED: usize = 23;

struct Seed {
    db: Sqlite,
    next: RefCell<u128>,
}

impl Seed {
    fn new() -> Self {
        let db = Sqlite::migrated();
        for (n, name) in [(MARCO, "Marco Bianchi"), (OTHER_MANAGER, "Other Manager")] {
            let email = Email::parse(&format!("am{n}@marketplace.test")).unwrap();
            block_on(db.batch(vec![sql::insert_user(
                user(n),
                &email,
                name,
                None,
                Some(StaffRole::AccountManager),
                NOW - 400 * DAY,
            )]))
            .unwrap();
        }
        // Inserted in a shuffled order: the page's order must come from the statement.
        for k in 0..BRANDS {
            let i = (k * 101) % BRANDS;
            let mut stmts = vec![sql::insert_brand(
                brand_id(i),
                &brand_name(i),
                &format!("BR-{i:03}"),
                NOW - 400 * DAY,
            )];
            if marcos(i) {
                stmts.push(sql::set_brand_manager(brand_id(i), user(MARCO)));
            } else if i % 10 == 4 {
                stmts.push(sql::set_brand_manager(brand_id(i), user(OTHER_MANAGER)));
            }
            if i.is_multiple_of(3) {
                stmts.push(sql::set_programme(
                    brand_id(i),
                    ProgrammeStatus::Enrolled,
                    Some("shop"),
                    false,
                    None,
                ));
            }
            block_on(db.batch(stmts)).unwrap();
        }
        Seed {
            db,
            next: RefCell::new(0),
        }
    }

    fn conn(&self) -> &rusqlite::Connection {
        &self.db.0
    }

    /// A case of brand `i` in `status`, with its deadline and decision moment.
    fn case(&self, i: usize, status: &str, deadline: Option<i64>, decided: Option<i64>) -> String {
        let n = {
            let mut next = self.next.borrow_mut();
            *next += 1;
            *next
        };
        let id = uuid::Uuid::from_u128(1 << 64 | n).to_string();
        let open = !matches!(status, "upheld" | "reinstated" | "expired");
        self.conn()
            .execute(
                "INSERT INTO cases (id, brand_id, listing_id, origin, status, is_open, seller_name,
                                    deadline_at, created_at, updated_at, decided_at)
                 VALUES (?1, ?2, ?3, 'detection', ?4, ?5, 'S', ?6, ?7, ?7, ?8)",
                params![
                    id,
                    brand_id(i).to_string(),
                    format!("L-{n}"),
                    status,
                    open as i64,
                    deadline,
                    NOW - 300 * DAY,
                    decided,
                ],
            )
            .unwrap();
        id
    }

    /// A flag that expired unanswered at `at`: flagged a week before, a note, then the move.
    fn expired(&self, i: usize, at: i64) {
        let id = self.case(i, "expired", None, None);
        let events = [
            (None, Some("awaiting_brand"), at - 7 * DAY),
            (None, None, at - DAY),
            (Some("awaiting_brand"), Some("expired"), at),
        ];
        for (seq, (from, to, when)) in events.into_iter().enumerate() {
            self.conn()
                .execute(
                    "INSERT INTO case_events (case_id, seq, kind, from_status, to_status, actor_label, at)
                     VALUES (?1, ?2, 'k', ?3, ?4, 'x', ?5)",
                    params![id, seq as i64 + 1, from, to, when],
                )
                .unwrap();
        }
    }

    fn decided(&self, i: usize, upheld: usize, reinstated: usize, at: i64) {
        for k in 0..upheld + reinstated {
            let status = if k < upheld { "upheld" } else { "reinstated" };
            self.case(i, status, None, Some(at));
        }
    }
}

/// The hand-worked brand's cases (the figures are in `the_known_brand_by_hand`), and some of
/// everything for the others.
fn seeded() -> Seed {
    let s = Seed::new();
    let k = KNOWN;
    for _ in 0..3 {
        s.case(k, "awaiting_brand", Some(NOW + DAY), None);
    }
    // Reviews: one overdue, one due exactly now (overdue too: as the queue says), one not yet.
    s.case(k, "under_review", Some(NOW - HOUR), None);
    s.case(k, "under_review", Some(NOW), None);
    s.case(k, "under_review", Some(NOW + 1), None);
    // Arbitrations: one past its 5 days, one within.
    s.case(k, "in_arbitration", Some(NOW - DAY), None);
    s.case(k, "in_arbitration", Some(NOW + DAY), None);
    // Expired: at the week's first moment and today count; a millisecond before the week not.
    s.expired(k, THIS_WEEK);
    s.expired(k, NOW - HOUR);
    s.expired(k, THIS_WEEK - 1);
    // Other statuses count in no queue; an overdue case in another status is not overdue work.
    s.case(k, "taken_down", Some(NOW - DAY), None);
    s.case(k, "takedown_requested", None, None);
    // Standing: 19 upheld and 1 reinstated within 90 days: exactly 5%, still good.
    s.decided(k, 19, 1, NOW - 10 * DAY);

    // Revoked: 2 of 25 reinstated (8%) 30 days ago.
    s.decided(REVOKED, 23, 2, NOW - 30 * DAY);
    // Breached 200 days ago, revoked until 110 days ago, then the decisions left the window.
    s.decided(33, 18, 2, NOW - 200 * DAY);
    // Breached 100 days ago and again 5 days ago: revoked again.
    s.decided(43, 18, 2, NOW - 100 * DAY);
    s.decided(43, 18, 2, NOW - 5 * DAY);
    // Some of everything elsewhere.
    for i in (0..BRANDS).filter(|i| i % 7 == 1) {
        s.case(i, "awaiting_brand", Some(NOW + DAY), None);
        s.case(i, "under_review", Some(NOW - (i as i64 % 3) * DAY), None);
        s.case(
            i,
            "in_arbitration",
            Some(NOW - (i as i64 % 4 - 1) * DAY),
            None,
        );
        s.expired(i, NOW - (i as i64 % 5) * DAY);
        s.decided(i, 20 + i % 5, i % 3, NOW - (i as i64 % 120) * DAY);
    }
    s
}

fn deps_at<'a, D: Db>(db: &'a D, clock: &'a FixedClock, entropy: &'a SeededEntropy) -> Deps<'a, D> {
    Deps {
        db,
        clock,
        entropy,
        address: None,
    }
}

fn page(db: &impl Db, actor: &Actor, q: &PortfolioQuery) -> Result<Portfolio> {
    let clock = FixedClock::at(NOW);
    let entropy = SeededEntropy::default();
    block_on(cases::portfolio(&deps_at(db, &clock, &entropy), actor, q))
}

/// Every page, following the cursors, `limit` at a time.
fn all_pages(db: &impl Db, actor: &Actor, q: Option<&str>, limit: i64) -> Vec<Vec<PortfolioBrand>> {
    let mut pages = Vec::new();
    let mut cursor = None;
    loop {
        let p = page(
            db,
            actor,
            &PortfolioQuery {
                q: q.map(str::to_owned),
                cursor: cursor.clone(),
                limit: Some(limit.to_string()),
            },
        )
        .unwrap();
        assert!(p.brands.len() as i64 <= limit);
        pages.push(p.brands);
        match p.next_cursor {
            Some(c) => cursor = Some(c),
            None => return pages,
        }
    }
}

fn in_name_order(brands: &[usize]) -> Vec<BrandId> {
    let mut v: Vec<(String, String, BrandId)> = brands
        .iter()
        .map(|&i| (brand_name(i), brand_id(i).to_string(), brand_id(i)))
        .collect();
    v.sort();
    v.into_iter().map(|(_, _, id)| id).collect()
}

#[test]
fn an_operator_pages_through_every_brand_once_in_name_order() {
    let s = seeded();
    let pages = all_pages(&s.db, &operator(), None, 100);
    assert_eq!(
        pages.iter().map(Vec::len).collect::<Vec<_>>(),
        [100, 100, 50]
    );
    let ids: Vec<BrandId> = pages.concat().iter().map(|b| b.id).collect();
    assert_eq!(ids, in_name_order(&(0..BRANDS).collect::<Vec<_>>()));
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), BRANDS);
    // Pages of 7 (a tie of names falls across a page's end somewhere) give the same order.
    let small: Vec<BrandId> = all_pages(&s.db, &operator(), None, 7)
        .concat()
        .iter()
        .map(|b| b.id)
        .collect();
    assert_eq!(small, ids);
    // The default page is 25.
    let first = page(&s.db, &operator(), &PortfolioQuery::default()).unwrap();
    assert_eq!(first.brands.len(), 25);
    assert_eq!(first.next_cursor, Some(ids[24].to_string()));
    assert_eq!((first.as_of, first.week_starts_at), (NOW, THIS_WEEK));
}

#[test]
fn a_manager_sees_only_the_brands_assigned_to_them() {
    let s = seeded();
    let pages = all_pages(&s.db, &marco(), None, 10);
    let ids: Vec<BrandId> = pages.concat().iter().map(|b| b.id).collect();
    let mine: Vec<usize> = (0..BRANDS).filter(|&i| marcos(i)).collect();
    assert_eq!(ids, in_name_order(&mine));
    assert_eq!(pages.len(), 3, "25 brands in pages of 10");
    assert!(pages
        .concat()
        .iter()
        .all(|b| b.account_manager_name.as_deref() == Some("Marco Bianchi")));
    // What the session says they manage does not widen it: the brands' assignment decides.
    let claims_more = staff(MARCO, StaffRole::AccountManager, vec![brand_id(4)]);
    let again: Vec<BrandId> = all_pages(&s.db, &claims_more, None, 100)
        .concat()
        .iter()
        .map(|b| b.id)
        .collect();
    assert_eq!(again, ids);
    // A manager without brands has an empty portfolio.
    let idle = staff(42, StaffRole::AccountManager, vec![]);
    let p = page(&s.db, &idle, &PortfolioQuery::default()).unwrap();
    assert!(p.brands.is_empty() && p.next_cursor.is_none());
}

#[test]
fn the_name_filter_matches_any_case_and_pages_too() {
    let s = seeded();
    // "brand 01" matches Brand 010…019 and their "Co" twins: 20 brands.
    let pages = all_pages(&s.db, &operator(), Some("  bRaNd 01 "), 8);
    let names: Vec<String> = pages.concat().into_iter().map(|b| b.name).collect();
    let mut expected: Vec<String> = (20..40).map(brand_name).collect();
    expected.sort();
    assert_eq!(names, expected);
    assert_eq!(pages.len(), 3);
    // Within a manager's own brands only.
    let marco_co: Vec<String> = all_pages(&s.db, &marco(), Some("co"), 100)
        .concat()
        .into_iter()
        .map(|b| b.name)
        .collect();
    assert_eq!(
        marco_co.len(),
        25,
        "every one of Marco's brands has an odd index"
    );
    assert!(all_pages(&s.db, &marco(), Some("nothing like it"), 100)[0].is_empty());
}

#[test]
fn the_known_brand_by_hand() {
    let s = seeded();
    let all = all_pages(&s.db, &marco(), None, 100).concat();
    let b = all.iter().find(|b| b.id == brand_id(KNOWN)).unwrap();
    assert_eq!(b.name, brand_name(KNOWN));
    assert_eq!(b.programme_status, ProgrammeStatus::Applied);
    assert_eq!(b.lane, None, "an applied brand may not file");
    assert_eq!(
        (
            b.awaiting_brand,
            b.under_review,
            b.reviews_overdue,
            b.in_arbitration,
            b.arbitrations_overdue,
            b.expired_this_week
        ),
        (3, 3, 2, 2, 1, 2)
    );
    assert_eq!((b.standing.decided, b.standing.reinstated), (20, 1));
    assert!(b.standing.good, "exactly 5% is fine");
    let revoked = all.iter().find(|b| b.id == brand_id(REVOKED)).unwrap();
    assert!(!revoked.standing.good);
    assert_eq!(
        revoked.standing.revoked_until,
        Some(NOW - 30 * DAY + 90 * DAY)
    );
    // An enrolled brand with a shop in good standing takes the auto lane; out of it, review.
    let ops = all_pages(&s.db, &operator(), None, 100).concat();
    let lane_of = |i: usize| ops.iter().find(|b| b.id == brand_id(i)).unwrap().lane;
    assert_eq!(lane_of(33), Some(Lane::Auto), "revoked, then back");
    assert_eq!(lane_of(43), None, "not enrolled");
    assert_eq!(lane_of(3), Some(Lane::Auto));
}

#[test]
fn every_standing_is_the_one_stats_answers() {
    let s = seeded();
    let clock = FixedClock::at(NOW);
    let entropy = SeededEntropy::default();
    let deps = deps_at(&s.db, &clock, &entropy);
    let all = all_pages(&s.db, &operator(), None, 100).concat();
    let mut revoked = 0;
    for b in &all {
        let stats = block_on(cases::brand_stats(&deps, &operator(), b.id)).unwrap();
        assert_eq!(b.standing, stats.standing, "{}", b.name);
        assert_eq!(b.lane, stats.lane, "{}", b.name);
        revoked += !b.standing.good as usize;
    }
    assert!(revoked >= 3, "{revoked} revoked");
}

/// The figures again from plain SQL, one count at a time.
fn plain(s: &Seed, id: BrandId) -> (i64, i64, i64, i64, i64, i64) {
    let count = |sql: &str, extra: i64| -> i64 {
        s.conn()
            .query_row(sql, params![id.to_string(), extra], |r| r.get(0))
            .unwrap()
    };
    let status = |st: &str| {
        let sql = format!(
            "SELECT count(*) FROM cases WHERE brand_id = ?1 AND status = '{st}' AND ?2 = ?2"
        );
        count(&sql, 0)
    };
    let overdue = |st: &str| {
        let sql = format!(
            "SELECT count(*) FROM cases WHERE brand_id = ?1 AND status = '{st}' AND deadline_at <= ?2"
        );
        count(&sql, NOW)
    };
    let expired = count(
        "SELECT count(*) FROM cases c WHERE c.brand_id = ?1 AND EXISTS (SELECT 1 FROM case_events e
           WHERE e.case_id = c.id AND e.to_status = 'expired' AND e.at >= ?2)",
        week_start(NOW),
    );
    (
        status("awaiting_brand"),
        status("under_review"),
        overdue("under_review"),
        status("in_arbitration"),
        overdue("in_arbitration"),
        expired,
    )
}

#[test]
fn every_figure_matches_plain_sql() {
    let s = seeded();
    let all = all_pages(&s.db, &operator(), None, 100).concat();
    assert_eq!(all.len(), BRANDS);
    let mut busy = 0;
    for b in &all {
        let figures = (
            b.awaiting_brand,
            b.under_review,
            b.reviews_overdue,
            b.in_arbitration,
            b.arbitrations_overdue,
            b.expired_this_week,
        );
        assert_eq!(figures, plain(&s, b.id), "{}", b.name);
        busy += (figures.0 > 0) as usize;
    }
    assert!(busy > 30, "{busy} brands with a backlog");
    assert_eq!(week_start(NOW), THIS_WEEK);
    assert_eq!(THIS_WEEK % WEEK, 4 * DAY, "a Monday");
}

#[test]
fn only_staff_of_the_manager_area_see_it_and_bad_paging_is_named() {
    let s = seeded();
    let member = Actor::Person(Person {
        user_id: user(50),
        display_name: "Agent".into(),
        staff_role: None,
        memberships: vec![Membership {
            brand_id: brand_id(KNOWN),
            role: BrandRole::BrandAdmin,
        }],
        managed_brands: vec![],
    });
    let q = PortfolioQuery::default();
    assert!(matches!(page(&s.db, &member, &q), Err(Error::NotFound)));
    let key = Actor::ApiKey {
        brand_id: brand_id(KNOWN),
        scope: jf_core::access::KeyScope::ReadWrite,
    };
    assert!(matches!(page(&s.db, &key, &q), Err(Error::NotFound)));
    assert!(matches!(
        page(&s.db, &Actor::Anonymous, &q),
        Err(Error::Unauthenticated)
    ));
    let bad = |q: PortfolioQuery| page(&s.db, &operator(), &q).unwrap_err().status();
    for limit in ["0", "101", "ten"] {
        let q = PortfolioQuery {
            limit: Some(limit.into()),
            ..PortfolioQuery::default()
        };
        assert_eq!(bad(q), 400, "limit {limit}");
    }
    let q = PortfolioQuery {
        cursor: Some("Brand 001".into()),
        ..PortfolioQuery::default()
    };
    assert_eq!(bad(q), 400);
    let q = PortfolioQuery {
        q: Some("x".repeat(201)),
        ..PortfolioQuery::default()
    };
    assert_eq!(bad(q), 400);
}

// ---------------------------------------------------------------- statements and plans

/// Runs statements on SQLite and keeps their text, to count them and ask SQLite how it plans them.
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

fn plan(s: &Seed, stmt: &Stmt) -> Vec<String> {
    let mut plan = s
        .conn()
        .prepare(&format!("EXPLAIN QUERY PLAN {}", stmt.sql))
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
fn a_page_of_a_hundred_brands_is_two_statements_read_by_index() {
    let s = seeded();
    for (actor, q) in [
        (operator(), None),
        (operator(), Some("co")),
        (marco(), None),
    ] {
        let recording = Recording {
            inner: &s.db,
            seen: RefCell::new(Vec::new()),
        };
        let p = page(
            &recording,
            &actor,
            &PortfolioQuery {
                q: q.map(str::to_owned),
                limit: Some("100".into()),
                cursor: None,
            },
        )
        .unwrap();
        assert!(!p.brands.is_empty());
        let seen = recording.seen.borrow();
        assert_eq!(seen.len(), 2, "one page, one standing: {seen:#?}");
        let details: Vec<String> = seen.iter().flat_map(|stmt| plan(&s, stmt)).collect();
        // Cases and events are reached by key or index, never read whole.
        for detail in &details {
            let bare = detail.starts_with("SCAN ") && !detail.contains(" USING ");
            let of_cases = ["cases", "case_events", "c", "e"]
                .iter()
                .any(|t| detail == &format!("SCAN {t}"));
            assert!(!(bare && of_cases), "{detail}\n{details:#?}");
        }
        for index in [
            "cases_by_brand_status_deadline",
            "case_events_moves",
            "cases_decided",
        ] {
            assert!(
                details.iter().any(|d| d.contains(index)),
                "{index} unused:\n{details:#?}"
            );
        }
    }
}

/// An operator onboards a brand from its row: each row carries the suspension reason, the
/// official shop, the agreement and the account manager exactly as the brand's own view does.
#[test]
fn each_row_carries_the_onboarding_facts_its_brand_view_answers() {
    let s = seeded();
    // A suspended brand with an agreement, and one enrolled on an agreement alone.
    block_on(s.db.batch(vec![
        sql::set_programme(
            brand_id(5),
            ProgrammeStatus::Suspended,
            None,
            true,
            Some("Documents expired."),
        ),
        sql::set_programme(brand_id(7), ProgrammeStatus::Enrolled, None, true, None),
    ]))
    .unwrap();
    let clock = FixedClock::at(NOW);
    let entropy = SeededEntropy::default();
    let deps = deps_at(&s.db, &clock, &entropy);
    let all = all_pages(&s.db, &operator(), None, 100).concat();
    for b in &all {
        let view = block_on(jf_core::identity::get_brand(&deps, &operator(), b.id)).unwrap();
        assert_eq!(b.programme_status, view.programme_status, "{}", b.name);
        assert_eq!(b.suspension_reason, view.suspension_reason, "{}", b.name);
        assert_eq!(b.has_official_shop, view.has_official_shop, "{}", b.name);
        assert_eq!(
            b.cooperation_agreement, view.cooperation_agreement,
            "{}",
            b.name
        );
        assert_eq!(
            b.account_manager_id,
            view.account_manager.as_ref().map(|m| m.id),
            "{}",
            b.name
        );
        assert_eq!(
            b.account_manager_name,
            view.account_manager.map(|m| m.display_name),
            "{}",
            b.name
        );
    }
    let row = |i: usize| all.iter().find(|b| b.id == brand_id(i)).unwrap();
    assert_eq!(
        row(5).suspension_reason.as_deref(),
        Some("Documents expired.")
    );
    assert!(row(5).cooperation_agreement && !row(5).has_official_shop);
    assert_eq!(row(5).lane, None, "a suspended brand may not file");
    assert_eq!(
        row(7).lane,
        Some(Lane::Review),
        "an agreement without a shop"
    );
    assert!(row(3).has_official_shop && !row(3).cooperation_agreement);
    assert_eq!(row(3).account_manager_id, Some(user(MARCO)));
    assert_eq!(row(KNOWN).suspension_reason, None);
}

/// The app updates a row from a change's answer (`PortfolioBrand::apply`) rather than ask for
/// the page again: the row it makes is the row the portfolio then answers.
#[test]
fn a_row_updated_from_a_changes_answer_is_the_row_asked_for_again() {
    let s = seeded();
    let clock = FixedClock::at(NOW);
    let entropy = SeededEntropy::default();
    let deps = deps_at(&s.db, &clock, &entropy);
    let ops = operator();
    let row_now = |i: usize| {
        all_pages(&s.db, &ops, None, 100)
            .concat()
            .into_iter()
            .find(|b| b.id == brand_id(i))
            .unwrap()
    };
    let mut row = row_now(3);
    assert_eq!(row.lane, Some(Lane::Auto));
    let suspended = block_on(jf_core::identity::admin_set_programme(
        &deps,
        &ops,
        brand_id(3),
        ProgrammeRequest {
            status: "suspended".into(),
            reason: Some("Documents expired.".into()),
            cooperation_agreement: Some(true),
        },
    ))
    .unwrap();
    row.apply(&suspended);
    assert_eq!(row, row_now(3));
    assert_eq!(row.lane, None);
    let assigned = block_on(jf_core::identity::admin_assign_manager(
        &deps,
        &ops,
        brand_id(3),
        AssignManagerRequest {
            manager_id: user(OTHER_MANAGER).to_string(),
        },
    ))
    .unwrap();
    row.apply(&assigned);
    assert_eq!(row, row_now(3));
    assert_eq!(row.account_manager_name.as_deref(), Some("Other Manager"));
    // Reinstating needs a verified right again.
    let right = jf_core::ids::IpRightId(uuid::Uuid::from_u128(77));
    block_on(s.db.batch(vec![
        sql::insert_ip_right(&sql::NewIpRight {
            id: right,
            brand_id: brand_id(3),
            kind: "trademark",
            registration_number: "TM-3",
            jurisdiction: "EU",
            classes: "",
            owner: "Brand 001",
            expires_at: None,
            now: NOW - DAY,
        }),
        sql::review_ip_right(brand_id(3), right, "verified", None, user(MARCO), NOW - DAY),
    ]))
    .unwrap();
    let reinstated = block_on(jf_core::identity::admin_set_programme(
        &deps,
        &ops,
        brand_id(3),
        ProgrammeRequest {
            status: "enrolled".into(),
            reason: None,
            cooperation_agreement: None,
        },
    ))
    .unwrap();
    row.apply(&reinstated);
    assert_eq!(row, row_now(3));
    assert_eq!(
        (row.lane, row.suspension_reason.clone()),
        (Some(Lane::Auto), None)
    );
}
