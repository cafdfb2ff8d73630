//! The brand dashboard against SQLite with the real migrations: a seeded brand whose every figure
//! was worked out by hand, an empty brand and a one-case brand, each also checked against plain
//! SQL (no window functions), and the statements' plans checked to go by indexes.

mod support;

use jf_core::access::{Actor, Membership, Person};
use jf_core::api::*;
use jf_core::cases::{self, week_start, WEEK};
use jf_core::clock::{FixedClock, SeededEntropy, DAY, HOUR, MINUTE};
use jf_core::identity::Deps;
use jf_core::ids::{BrandId, UserId};
use jf_core::store::{Db, Stmt};
use jf_core::types::BrandRole;
use jf_core::{sql, Error, Result};
use rusqlite::params;
use std::cell::RefCell;
use support::{block_on, Sqlite};

/// Wednesday 2026-03-04 15:30 UTC.
const NOW: i64 = 1_772_638_200_000;
/// Monday 2026-03-02 00:00 UTC: the current (12th) week.
const THIS_WEEK: i64 = 1_772_409_600_000;
/// Monday 2025-12-15 00:00 UTC: the first of the 12 weeks.
const FIRST: i64 = THIS_WEEK - 11 * WEEK;

fn brand_id(n: u8) -> BrandId {
    BrandId(uuid::Uuid::from_bytes([n; 16]))
}

const AURELIA: u8 = 1;
const OTHER: u8 = 2;
const EMPTY: u8 = 3;
const ONE_CASE: u8 = 4;

fn admin_of(n: u8) -> Actor {
    Actor::Person(Person {
        user_id: UserId(uuid::Uuid::from_bytes([100 + n; 16])),
        display_name: "Admin".into(),
        staff_role: None,
        memberships: vec![Membership {
            brand_id: brand_id(n),
            role: BrandRole::BrandViewer,
        }],
        managed_brands: vec![],
    })
}

/// The seeded world: cases and their events written directly, at chosen moments.
struct Seed {
    db: Sqlite,
    next: RefCell<u32>,
}

impl Seed {
    fn new() -> Self {
        let db = Sqlite::migrated();
        for (n, name) in [
            (AURELIA, "Aurelia"),
            (OTHER, "Other"),
            (EMPTY, "Empty"),
            (ONE_CASE, "Solo"),
        ] {
            let reference = format!("BR-{}", name.to_uppercase());
            block_on(db.batch(vec![sql::insert_brand(
                brand_id(n),
                name,
                &reference,
                FIRST - 400 * DAY,
            )]))
            .unwrap();
        }
        Seed {
            db,
            next: RefCell::new(0),
        }
    }

    fn conn(&self) -> &rusqlite::Connection {
        &self.db.0
    }

    /// A new case of `brand` with its first event; answers its id.
    #[allow(clippy::too_many_arguments)]
    fn case(
        &self,
        brand: u8,
        origin: &str,
        status: &str,
        seller: Option<&str>,
        created: i64,
        deadline: Option<i64>,
        decided: Option<i64>,
    ) -> String {
        let n = {
            let mut next = self.next.borrow_mut();
            *next += 1;
            *next
        };
        let id = uuid::Uuid::from_u128(n as u128).to_string();
        let open = !matches!(status, "upheld" | "reinstated" | "declined" | "cleared");
        let first = if origin == "report" {
            "takedown_requested"
        } else {
            "awaiting_brand"
        };
        self.conn()
            .execute(
                "INSERT INTO cases (id, brand_id, listing_id, origin, status, is_open, seller_id,
                                    seller_name, deadline_at, created_at, updated_at, decided_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11)",
                params![
                    id,
                    brand_id(brand).to_string(),
                    format!("L-{n}"),
                    origin,
                    status,
                    open as i64,
                    seller,
                    seller
                        .map(|s| format!("Case name of {s}"))
                        .unwrap_or_default(),
                    deadline,
                    created,
                    decided,
                ],
            )
            .unwrap();
        self.event(&id, None, Some(first), created);
        id
    }

    /// The case's next event: a move `from` → `to`, or a note when `to` is None; and the case's
    /// moments of the move as `sql::move_case` keeps them.
    fn event(&self, case: &str, from: Option<&str>, to: Option<&str>, at: i64) {
        self.conn()
            .execute(
                "INSERT INTO case_events (case_id, seq, kind, from_status, to_status, actor_label, at)
                 VALUES (?1, (SELECT count(*) + 1 FROM case_events WHERE case_id = ?1), 'k', ?2, ?3, 'x', ?4)",
                params![case, from, to, at],
            )
            .unwrap();
        self.conn()
            .execute(
                "UPDATE cases SET
                   taken_down_at = coalesce(taken_down_at, iif(?2 = 'taken_down', ?3, NULL)),
                   appealed_at = coalesce(appealed_at, iif(?2 = 'appealed', ?3, NULL))
                 WHERE id = ?1",
                params![case, to, at],
            )
            .unwrap();
    }

    /// A case filed at `created` and taken down at `down`.
    fn taken_down(&self, brand: u8, origin: &str, seller: Option<&str>, created: i64, down: i64) {
        let id = self.case(brand, origin, "taken_down", seller, created, None, None);
        if origin == "detection" {
            self.event(
                &id,
                Some("awaiting_brand"),
                Some("takedown_requested"),
                created,
            );
        }
        self.event(&id, Some("takedown_requested"), Some("taken_down"), down);
    }

    /// An appeal's case, appealed at `appealed` before the takedown was reported (so it adds no
    /// takedown), then `then`'s (from, to, at) moves.
    fn appealed(&self, appealed: i64, then: &[(&str, &str, i64)]) {
        let last = then.last().map_or("appealed", |(_, to, _)| to);
        let decided = then
            .last()
            .filter(|(_, to, _)| matches!(*to, "upheld" | "reinstated"))
            .map(|(_, _, at)| *at);
        let created = appealed - 3 * DAY;
        let id = self.case(AURELIA, "report", last, None, created, None, decided);
        self.event(&id, Some("takedown_requested"), Some("appealed"), appealed);
        for (from, to, at) in then {
            self.event(&id, Some(from), Some(to), *at);
        }
    }
}

fn hours(h: i64) -> i64 {
    h * HOUR
}

/// Aurelia's cases, with the answers worked out by hand in `aurelia_by_hand`.
fn seed_aurelia(s: &Seed) {
    let a = AURELIA;
    // The current week: 2 reports, 2 flags; took 2 h, 34 h (filed the Sunday before), 5 h, 30 h.
    s.taken_down(
        a,
        "report",
        Some("S-ONE"),
        THIS_WEEK + hours(1),
        THIS_WEEK + hours(3),
    );
    s.taken_down(a, "report", None, THIS_WEEK - DAY, THIS_WEEK + hours(10));
    s.taken_down(a, "detection", None, THIS_WEEK, THIS_WEEK + hours(5));
    s.taken_down(a, "detection", None, THIS_WEEK, THIS_WEEK + hours(30));
    // Week 10 (index 9): 3 reports, 2 flags; took 1, 2, 3, 4 and 10 hours.
    let w9 = FIRST + 9 * WEEK;
    for (origin, took) in [
        ("report", 4),
        ("detection", 1),
        ("report", 10),
        ("detection", 3),
        ("report", 2),
    ] {
        s.taken_down(a, origin, None, w9 + DAY, w9 + DAY + hours(took));
    }
    // Week 6 (index 5): 10 flags taking 1…10 hours; S-TOP 4 of them, S-B 2.
    let w5 = FIRST + 5 * WEEK;
    for took in 1..=10 {
        let seller = match took {
            1..=4 => Some("S-TOP"),
            5 | 6 => Some("S-B"),
            _ => None,
        };
        s.taken_down(a, "detection", seller, w5, w5 + hours(took));
    }
    // The first week's first moment counts; a millisecond before it does not (but its seller
    // still counts within 180 days).
    s.taken_down(a, "report", None, FIRST - hours(7), FIRST);
    s.taken_down(a, "report", Some("S-B"), FIRST - DAY, FIRST - 1);
    // A takedown result recorded after the case moved on is a note, not a takedown.
    let late = s.case(a, "report", "appealed", None, w9, None, None);
    s.event(
        &late,
        Some("takedown_requested"),
        Some("appealed"),
        w9 + HOUR,
    );
    s.event(&late, None, None, w9 + hours(2));
    // Ten sellers with two takedowns each, 100 days ago (within 180 days, before the weeks).
    for i in 1..=10 {
        let seller = format!("S-G{i:02}");
        for _ in 0..2 {
            s.taken_down(a, "report", Some(&seller), NOW - 101 * DAY, NOW - 100 * DAY);
        }
    }
    // Three takedowns of S-OLD, but 181 days ago.
    for _ in 0..3 {
        s.taken_down(a, "report", Some("S-OLD"), NOW - 182 * DAY, NOW - 181 * DAY);
    }
    // The marketplace's name for S-TOP, and its repeat-infringer flag.
    s.conn()
        .execute(
            "INSERT INTO sellers (id, name, flagged_at, updated_at) VALUES ('S-TOP', 'Top Seller Ltd', ?1, ?1)",
            params![NOW - DAY],
        )
        .unwrap();

    // The backlog: four flags awaiting the brand; two due within 48 h (the second exactly at
    // 48 h); a report under review due sooner is not a confirmation.
    for due in [hours(10), hours(48), hours(48) + 1, 5 * DAY] {
        s.case(
            a,
            "detection",
            "awaiting_brand",
            None,
            NOW - DAY,
            Some(NOW + due),
            None,
        );
    }
    s.case(
        a,
        "report",
        "under_review",
        None,
        NOW - DAY,
        Some(NOW + HOUR),
        None,
    );

    // Appeals: three filed within the weeks, one before them; decided on appeal: upheld by the
    // brand and in arbitration, reinstated by retraction and in arbitration. A takedown upheld
    // without appeal and one retracted by the brand are decided, but not on appeal.
    let w3 = FIRST + 3 * WEEK;
    s.appealed(w3, &[("appealed", "upheld", w3 + DAY)]);
    s.appealed(
        w3 + hours(1),
        &[
            ("appealed", "in_arbitration", w3 + DAY),
            ("in_arbitration", "reinstated", w3 + 2 * DAY),
        ],
    );
    s.appealed(w3 + hours(2), &[("appealed", "reinstated", w3 + DAY)]);
    s.appealed(
        FIRST - DAY,
        &[
            ("appealed", "in_arbitration", FIRST + HOUR),
            ("in_arbitration", "upheld", FIRST + 2 * HOUR),
        ],
    );
    // These two were taken down the Sunday before, 24 hours after filing: week 3 (index 2).
    let no_appeal = s.case(
        a,
        "report",
        "upheld",
        None,
        w3 - 2 * DAY,
        None,
        Some(w3 + 15 * DAY),
    );
    s.event(
        &no_appeal,
        Some("takedown_requested"),
        Some("taken_down"),
        w3 - DAY,
    );
    s.event(
        &no_appeal,
        Some("taken_down"),
        Some("upheld"),
        w3 + 15 * DAY,
    );
    let retracted = s.case(
        a,
        "report",
        "reinstated",
        None,
        w3 - 2 * DAY,
        None,
        Some(w3 + DAY),
    );
    s.event(
        &retracted,
        Some("takedown_requested"),
        Some("taken_down"),
        w3 - DAY,
    );
    s.event(&retracted, Some("taken_down"), Some("reinstated"), w3 + DAY);
    // Decided long ago: outside the standing's window.
    s.case(
        a,
        "report",
        "upheld",
        None,
        NOW - 300 * DAY,
        None,
        Some(NOW - 200 * DAY),
    );

    // Another brand's takedowns, appeals and backlog in the same weeks are not Aurelia's.
    s.taken_down(OTHER, "report", Some("S-TOP"), THIS_WEEK, THIS_WEEK + HOUR);
    s.taken_down(OTHER, "report", Some("S-TOP"), w5, w5 + HOUR);
    s.case(
        OTHER,
        "detection",
        "awaiting_brand",
        None,
        NOW,
        Some(NOW + HOUR),
        None,
    );
}

/// The one-case brand: a report filed last week, taken down 90 minutes later.
fn seed_one_case(s: &Seed) {
    let filed = THIS_WEEK - 3 * DAY;
    s.taken_down(
        ONE_CASE,
        "report",
        Some("S-SOLO"),
        filed,
        filed + 90 * MINUTE,
    );
}

fn seeded() -> Seed {
    let s = Seed::new();
    seed_aurelia(&s);
    seed_one_case(&s);
    s
}

fn dashboard_of(db: &impl Db, n: u8) -> Result<BrandDashboard> {
    let clock = FixedClock::at(NOW);
    let entropy = SeededEntropy::default();
    let deps = Deps {
        db,
        clock: &clock,
        entropy: &entropy,
        address: None,
    };
    block_on(cases::brand_dashboard(&deps, &admin_of(n), brand_id(n)))
}

fn week(i: i64, reports: i64, flags: i64, p50: Option<i64>, p90: Option<i64>) -> DashboardWeek {
    DashboardWeek {
        starts_at: FIRST + i * WEEK,
        from_reports: reports,
        from_flags: flags,
        p50_ms: p50,
        p90_ms: p90,
    }
}

fn quiet_weeks() -> Vec<DashboardWeek> {
    (0..12).map(|i| week(i, 0, 0, None, None)).collect()
}

fn seller(id: &str, name: &str, takedowns: i64, flagged: bool) -> RepeatSeller {
    RepeatSeller {
        seller_id: id.into(),
        name: name.into(),
        takedowns,
        flagged,
    }
}

#[test]
fn the_twelve_weeks_end_with_the_one_holding_now() {
    assert_eq!(week_start(NOW), THIS_WEEK);
    let d = dashboard_of(&Seed::new().db, EMPTY).unwrap();
    assert_eq!(d.as_of, NOW);
    assert_eq!(d.weeks.len(), 12);
    assert_eq!(d.weeks[0].starts_at, FIRST);
    assert_eq!(d.weeks[11].starts_at, THIS_WEEK);
}

#[test]
fn aurelia_by_hand() {
    let s = seeded();
    let d = dashboard_of(&s.db, AURELIA).unwrap();

    let mut weeks = quiet_weeks();
    weeks[0] = week(0, 1, 0, Some(hours(7)), Some(hours(7)));
    // 10 values: median rank 5, 90th rank 9 (nearest rank, not interpolated: not 5.5 h).
    weeks[2] = week(2, 2, 0, Some(hours(24)), Some(hours(24)));
    weeks[5] = week(5, 0, 10, Some(hours(5)), Some(hours(9)));
    // 5 values: ranks 3 and 5.
    weeks[9] = week(9, 3, 2, Some(hours(3)), Some(hours(10)));
    // 2, 5, 30, 34 hours: ranks 2 and 4.
    weeks[11] = week(11, 2, 2, Some(hours(5)), Some(hours(34)));
    assert_eq!(d.weeks, weeks);

    assert_eq!(
        d.backlog,
        ConfirmationBacklog {
            awaiting: 4,
            due_soon: 2,
            due_soon_hours: 48,
            next_deadline_at: Some(NOW + hours(10)),
        }
    );
    assert_eq!(
        d.appeals,
        AppealFigures {
            since: FIRST,
            // The three below and the one appealed before its takedown in week 10.
            received: 4,
            upheld: 2,
            reinstated: 2,
        }
    );
    // Decided within 90 days: the four appeals, the takedown upheld without appeal and the
    // retraction; reinstated: three of them.
    assert_eq!((d.standing.decided, d.standing.reinstated), (6, 3));

    let mut sellers = vec![
        seller("S-TOP", "Top Seller Ltd", 4, true),
        seller("S-B", "Case name of S-B", 3, false),
    ];
    for i in 1..=8 {
        let id = format!("S-G{i:02}");
        let name = format!("Case name of {id}");
        sellers.push(seller(&id, &name, 2, false));
    }
    assert_eq!(d.repeat_sellers, sellers);
}

#[test]
fn the_standing_is_the_one_that_decides_the_lane() {
    let s = seeded();
    let clock = FixedClock::at(NOW);
    let entropy = SeededEntropy::default();
    let deps = Deps {
        db: &s.db,
        clock: &clock,
        entropy: &entropy,
        address: None,
    };
    let actor = admin_of(AURELIA);
    let stats = block_on(cases::brand_stats(&deps, &actor, brand_id(AURELIA))).unwrap();
    let dashboard = dashboard_of(&s.db, AURELIA).unwrap();
    assert_eq!(dashboard.standing, stats.standing);
}

#[test]
fn an_empty_brand_has_twelve_quiet_weeks_and_nothing_else() {
    let s = seeded();
    let d = dashboard_of(&s.db, EMPTY).unwrap();
    assert_eq!(d.weeks, quiet_weeks());
    assert_eq!(
        d.backlog,
        ConfirmationBacklog {
            awaiting: 0,
            due_soon: 0,
            due_soon_hours: 48,
            next_deadline_at: None,
        }
    );
    assert_eq!(
        d.appeals,
        AppealFigures {
            since: FIRST,
            received: 0,
            upheld: 0,
            reinstated: 0,
        }
    );
    assert_eq!((d.standing.decided, d.standing.reinstated), (0, 0));
    assert!(d.repeat_sellers.is_empty());
}

#[test]
fn a_brand_with_one_case() {
    let s = seeded();
    let d = dashboard_of(&s.db, ONE_CASE).unwrap();
    let mut weeks = quiet_weeks();
    weeks[10] = week(10, 1, 0, Some(90 * MINUTE), Some(90 * MINUTE));
    assert_eq!(d.weeks, weeks);
    assert_eq!((d.backlog.awaiting, d.backlog.due_soon), (0, 0));
    assert_eq!(d.appeals.received, 0);
    // One takedown is not a repeat.
    assert!(d.repeat_sellers.is_empty());
}

#[test]
fn another_brand_or_no_brand_is_not_found() {
    let s = seeded();
    let clock = FixedClock::at(NOW);
    let entropy = SeededEntropy::default();
    let deps = Deps {
        db: &s.db,
        clock: &clock,
        entropy: &entropy,
        address: None,
    };
    let foreign = block_on(cases::brand_dashboard(
        &deps,
        &admin_of(EMPTY),
        brand_id(AURELIA),
    ));
    assert!(matches!(foreign, Err(Error::NotFound)), "{foreign:?}");
    let anonymous = block_on(cases::brand_dashboard(
        &deps,
        &Actor::Anonymous,
        brand_id(AURELIA),
    ));
    assert!(matches!(anonymous, Err(Error::Unauthenticated)));
}

// ---------------------------------------------------------------- against plain SQL

/// The figures again from plain SQL (no window functions, no grouping by week): every takedown
/// read out and ranked here.
fn plain_figures(s: &Seed, n: u8) -> (Vec<DashboardWeek>, (i64, i64), (i64, i64, i64)) {
    let brand = brand_id(n).to_string();
    let conn = s.conn();
    let mut stmt = conn
        .prepare(
            "SELECT c.origin, e.at, e.at - c.created_at FROM case_events e, cases c
             WHERE c.id = e.case_id AND c.brand_id = ?1 AND e.to_status = 'taken_down'",
        )
        .unwrap();
    let done: Vec<(String, i64, i64)> = stmt
        .query_map(params![brand], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let weeks = (0..12)
        .map(|i| {
            let starts_at = FIRST + i * WEEK;
            let in_week: Vec<&(String, i64, i64)> = done
                .iter()
                .filter(|(_, at, _)| *at >= starts_at && *at < starts_at + WEEK)
                .collect();
            let mut took: Vec<i64> = in_week.iter().map(|(_, _, t)| *t).collect();
            took.sort_unstable();
            let rank = |p: usize| -> Option<i64> {
                let n = took.len();
                (n > 0).then(|| took[(p * n).div_ceil(100) - 1])
            };
            DashboardWeek {
                starts_at,
                from_reports: in_week.iter().filter(|(o, _, _)| o == "report").count() as i64,
                from_flags: in_week.iter().filter(|(o, _, _)| o == "detection").count() as i64,
                p50_ms: rank(50),
                p90_ms: rank(90),
            }
        })
        .collect();
    let count = |sql: &str, p: &[&dyn rusqlite::ToSql]| -> i64 {
        conn.query_row(sql, p, |r| r.get(0)).unwrap()
    };
    let awaiting = "SELECT count(*) FROM cases WHERE brand_id = ?1 AND status = 'awaiting_brand'";
    let due = "SELECT count(*) FROM cases WHERE brand_id = ?1 AND status = 'awaiting_brand'
               AND deadline_at - ?2 <= 48 * 3600 * 1000";
    let backlog = (count(awaiting, &[&brand]), count(due, &[&brand, &NOW]));
    let moves = "SELECT count(*) FROM case_events e, cases c WHERE c.id = e.case_id
                 AND c.brand_id = ?1 AND e.at >= ?2 AND e.to_status = ?3
                 AND (?3 = 'appealed' OR e.from_status IN ('appealed', 'in_arbitration'))";
    let appeals = (
        count(moves, &[&brand, &FIRST, &"appealed"]),
        count(moves, &[&brand, &FIRST, &"upheld"]),
        count(moves, &[&brand, &FIRST, &"reinstated"]),
    );
    (weeks, backlog, appeals)
}

#[test]
fn every_figure_matches_plain_sql() {
    let s = seeded();
    for n in [AURELIA, OTHER, EMPTY, ONE_CASE] {
        let d = dashboard_of(&s.db, n).unwrap();
        let (weeks, backlog, appeals) = plain_figures(&s, n);
        assert_eq!(d.weeks, weeks, "brand {n}");
        assert_eq!(
            (d.backlog.awaiting, d.backlog.due_soon),
            backlog,
            "brand {n}"
        );
        assert_eq!(
            (d.appeals.received, d.appeals.upheld, d.appeals.reinstated),
            appeals,
            "brand {n}"
        );
    }
}

// ---------------------------------------------------------------- indexes

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

#[test]
fn the_dashboard_reads_cases_by_brand_index() {
    let s = seeded();
    let recording = Recording {
        inner: &s.db,
        seen: RefCell::new(Vec::new()),
    };
    dashboard_of(&recording, AURELIA).unwrap();
    let seen = recording.seen.borrow();
    assert!(seen.len() >= 5, "{seen:?}");
    for stmt in seen.iter() {
        let mut plan = s
            .conn()
            .prepare(&format!("EXPLAIN QUERY PLAN {}", stmt.sql))
            .unwrap();
        let details: Vec<String> = plan
            .query_map(
                rusqlite::params_from_iter(stmt.params.iter().map(|v| match v {
                    jf_core::store::Value::Null => rusqlite::types::Value::Null,
                    jf_core::store::Value::Int(i) => rusqlite::types::Value::Integer(*i),
                    jf_core::store::Value::Text(t) => rusqlite::types::Value::Text(t.clone()),
                })),
                |r| r.get::<_, String>(3),
            )
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        // Each figure reads the brand's range of an index on cases (migration 0012), never the
        // history of every brand.
        assert!(!stmt.sql.contains("case_events"), "{}", stmt.sql);
        for detail in details.iter().filter(|d| d.starts_with("SEARCH cases")) {
            assert!(detail.contains("(brand_id=?"), "{detail}\n{details:#?}");
        }
        // A table read whole shows as a bare "SCAN <table>"; CTEs and temp b-trees are fine.
        for detail in &details {
            let bare_scan = detail.starts_with("SCAN ") && !detail.contains(" USING ");
            let of_a_table = ["cases", "case_events", "c", "e", "brands", "sellers", "s"]
                .iter()
                .any(|t| detail == &format!("SCAN {t}"));
            assert!(
                !(bare_scan && of_a_table),
                "{detail} in the plan of {}\n{details:#?}",
                stmt.sql
            );
        }
    }
}

/// Migration 0012 gives cases moved before it their moments from their history, so the
/// dashboard's figures stay what they were.
#[test]
fn cases_moved_before_migration_0012_take_their_moments_from_their_history() {
    let db = Sqlite::migrated_before("0012");
    let s = Seed {
        db,
        next: RefCell::new(0),
    };
    block_on(s.db.batch(vec![sql::insert_brand(
        brand_id(AURELIA),
        "Aurelia",
        "BR-AURELIA",
        FIRST - 400 * DAY,
    )]))
    .unwrap();
    // Written as the schema before 0012 was: the fixture's column update does not exist yet.
    let case = |n: u128, events: &[(Option<&str>, &str, i64)]| {
        let id = uuid::Uuid::from_u128(n).to_string();
        s.conn()
            .execute(
                "INSERT INTO cases (id, brand_id, listing_id, origin, status, is_open, created_at, updated_at)
                 VALUES (?1, ?2, ?3, 'report', ?4, 1, ?5, ?5)",
                params![id, brand_id(AURELIA).to_string(), format!("L-{n}"), events.last().unwrap().1, FIRST],
            )
            .unwrap();
        for (seq, (from, to, at)) in events.iter().enumerate() {
            s.conn()
                .execute(
                    "INSERT INTO case_events (case_id, seq, kind, from_status, to_status, actor_label, at)
                     VALUES (?1, ?2, 'k', ?3, ?4, 'x', ?5)",
                    params![id, seq as i64 + 1, from, to, at],
                )
                .unwrap();
        }
        id
    };
    let down = case(
        1,
        &[
            (None, "takedown_requested", FIRST),
            (Some("takedown_requested"), "taken_down", FIRST + HOUR),
            (Some("taken_down"), "appealed", FIRST + DAY),
        ],
    );
    let waiting = case(2, &[(None, "takedown_requested", FIRST)]);
    s.db.migrate_from("0012");
    let moments = |id: &str| -> (Option<i64>, Option<i64>) {
        s.conn()
            .query_row(
                "SELECT taken_down_at, appealed_at FROM cases WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
    };
    assert_eq!(moments(&down), (Some(FIRST + HOUR), Some(FIRST + DAY)));
    assert_eq!(moments(&waiting), (None, None));
}
