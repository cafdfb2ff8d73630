//! The query-plan catalogue (`sql::plans`) on SQLite with the real migrations and a few thousand
//! cases over a few brands (one much larger than the rest), without statistics and after
//! `ANALYZE`: no list, queue, dashboard, search or export statement reads every brand's cases,
//! history or inbound events, and no page of the case list sorts its rows.

mod support;

use jf_core::clock::DAY;
use jf_core::ids::{BrandId, UserId};
use jf_core::sql::{self, plans};
use jf_core::store::{Db, Stmt, Value};
use jf_core::types::{BrandRole, Email};
use support::{block_on, Sqlite};

const NOW: i64 = 1_790_000_000_000;
const CASES: i64 = 6000;

fn brand(n: u128) -> BrandId {
    BrandId(uuid::Uuid::from_u128(n))
}

fn user(n: u128) -> UserId {
    UserId(uuid::Uuid::from_u128(0x100 + n))
}

/// Four brands (six cases in ten are the first's), a member of two of them and their manager;
/// every case with three events and its search row; inbound events in every state; audit
/// entries that notify.
fn seeded() -> Sqlite {
    let db = Sqlite::migrated();
    let mut setup = vec![
        sql::insert_user(
            user(1),
            &Email::parse("agent@aurelia.test").unwrap(),
            "Agent",
            None,
            None,
            NOW - 400 * DAY,
        ),
        sql::insert_user(
            user(2),
            &Email::parse("marco@market.test").unwrap(),
            "Marco",
            None,
            None,
            NOW - 400 * DAY,
        ),
    ];
    for n in 1..=4 {
        setup.push(sql::insert_brand(
            brand(n),
            &format!("Brand {n}"),
            &format!("BR-{n}"),
            NOW - 400 * DAY,
        ));
    }
    for n in 1..=2 {
        setup.push(sql::insert_membership(
            user(1),
            brand(n),
            BrandRole::BrandAgent,
            NOW - 400 * DAY,
        ));
        setup.push(sql::set_brand_manager(brand(n), user(2)));
    }
    block_on(db.batch(setup)).unwrap();
    let b = |n: u128| brand(n).to_string();
    db.0.execute_batch(&format!(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {last}),
              s(statuses) AS (SELECT '[\"under_review\",\"awaiting_brand\",\"takedown_requested\",\"takedown_failed\",
                  \"taken_down\",\"appealed\",\"in_arbitration\",\"declined\",\"cleared\",\"expired\",\"withdrawn\",
                  \"upheld\",\"reinstated\",\"listing_gone\"]')
         INSERT INTO cases (id, brand_id, listing_id, origin, status, is_open, reason_code, title, seller_id,
                            seller_name, deadline_at, created_at, updated_at, decided_at, taken_down_at, appealed_at)
         SELECT printf('00000000-0000-4000-8000-%012d', i),
                CASE WHEN i % 10 < 6 THEN '{b1}' WHEN i % 10 < 8 THEN '{b2}' WHEN i % 10 < 9 THEN '{b3}' ELSE '{b4}' END,
                'L-' || i, CASE i % 3 WHEN 0 THEN 'detection' ELSE 'report' END,
                json_extract(s.statuses, '$[' || (i % 14) || ']'), (i % 14) < 7,
                json_extract('[\"counterfeit\",\"trademark_misuse\",\"copyright\",\"design_right\",\"patent\"]', '$[' || (i % 5) || ']'),
                'Sneaker ' || i, 'S-' || (i % 200), 'Seller ' || (i % 200),
                CASE WHEN i % 4 = 0 THEN NULL ELSE {now} + (i % 50 - 25) * {day} END,
                {now} - i * 60000, {now} - i * 30000,
                CASE WHEN (i % 14) IN (11, 12) THEN {now} - (i % 90) * {day} END,
                CASE WHEN (i % 14) IN (4, 5, 6, 11, 12) THEN {now} - (i % 80) * {day} END,
                CASE WHEN (i % 14) IN (5, 6) THEN {now} - (i % 70) * {day} END
         FROM n, s;
         INSERT INTO case_events (case_id, seq, kind, from_status, to_status, actor_id, actor_label, actor_kind, at)
         SELECT c.id, k.seq, 'moved', NULL, CASE k.seq WHEN 3 THEN c.status ELSE 'awaiting_brand' END,
                '{agent}', 'Agent', 'brand_agent', c.created_at + k.seq * 1000
         FROM cases c, (SELECT 1 AS seq UNION ALL SELECT 2 UNION ALL SELECT 3) k;
         WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 1999)
         INSERT INTO inbound_events (webhook_id, type, body, received_at, state, applied_at)
         SELECT 'msg_' || i, 'listing.flagged', '{{}}', {now} - i * 60000,
                json_extract('[\"stored\",\"applied\",\"dead\",\"discarded\"]', '$[' || (i % 4) || ']'),
                CASE WHEN i % 4 = 1 THEN {now} - i * 60000 END
         FROM n;
         WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 2999)
         INSERT INTO audit_log (id, at, kind, actor_kind, actor_id, brand_id, subject_kind, subject_id, details,
                                notice, notice_to)
         SELECT printf('%032d', i), {now} - i * 60000, 'case_moved', 'person', '{agent}',
                CASE WHEN i % 2 = 0 THEN '{b1}' ELSE '{b3}' END, 'case', printf('00000000-0000-4000-8000-%012d', i),
                '{{}}', CASE WHEN i % 3 = 0 THEN 'appeal_filed' END, CASE WHEN i % 6 = 0 THEN '{agent}' END
         FROM n;",
        last = CASES - 1,
        b1 = b(1),
        b2 = b(2),
        b3 = b(3),
        b4 = b(4),
        now = NOW,
        day = DAY,
        agent = user(1),
    ))
    .unwrap();
    db
}

fn sqlite_value(v: &Value) -> rusqlite::types::Value {
    match v {
        Value::Null => rusqlite::types::Value::Null,
        Value::Int(i) => rusqlite::types::Value::Integer(*i),
        Value::Text(t) => rusqlite::types::Value::Text(t.clone()),
    }
}

fn plan(db: &Sqlite, stmt: &Stmt) -> Vec<plans::PlanRow> {
    let mut plan =
        db.0.prepare(&format!("EXPLAIN QUERY PLAN {}", stmt.sql))
            .unwrap_or_else(|e| panic!("{e}: {}", stmt.sql));
    plan.query_map(
        rusqlite::params_from_iter(stmt.params.iter().map(sqlite_value)),
        |r| Ok((r.get(0)?, r.get(1)?, r.get(3)?)),
    )
    .unwrap()
    .map(|r| r.unwrap())
    .collect()
}

/// The indexes that lead with `brand_id`, read from the schema as on D1, and checked against
/// what SQLite itself says is each index's first column.
fn brand_led(db: &Sqlite) -> Vec<String> {
    let schema: Vec<(String, Option<String>)> =
        db.0.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index'")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
    for (name, sql) in &schema {
        let first: Option<String> =
            db.0.query_row(
                "SELECT name FROM pragma_index_info(?1) WHERE seqno = 0",
                [name],
                |r| r.get(0),
            )
            .unwrap();
        if let (Some(sql), Some(first)) = (sql, first) {
            assert_eq!(
                plans::first_indexed_column(sql),
                Some(first.as_str()),
                "{name}: {sql}"
            );
        }
    }
    let led = plans::brand_led_indexes(&schema);
    for index in ["cases_by_brand", "cases_by_brand_due", "cases_taken_down"] {
        assert!(led.iter().any(|l| l == index), "{index}: {led:?}");
    }
    assert!(!led.iter().any(|l| l == "cases_by_status_deadline"));
    led
}

fn problems(db: &Sqlite, led: &[String]) -> Vec<String> {
    let catalogue = plans::catalogue(brand(1), &[brand(1), brand(2)], user(1), NOW);
    let mut found = Vec::new();
    for p in &catalogue {
        let rows = plan(db, &p.stmt);
        assert!(!rows.is_empty(), "{}: no plan", p.name);
        for problem in plans::plan_problems(p, &rows, led) {
            found.push(format!("{}: {problem}\n{rows:#?}", p.name));
        }
    }
    found
}

#[test]
fn no_list_queue_or_dashboard_statement_reads_every_brands_cases() {
    let db = seeded();
    let led = brand_led(&db);
    // Without statistics (a fresh database), then with SQLite's statistics of these brands.
    let before = problems(&db, &led);
    assert!(before.is_empty(), "{}", before.join("\n\n"));
    db.0.execute_batch("ANALYZE").unwrap();
    let after = problems(&db, &led);
    assert!(after.is_empty(), "after ANALYZE:\n{}", after.join("\n\n"));
}

/// The checker catches what it is for on SQLite's own plans: a filter no index serves, an
/// index not led by the brand read whole, and a page sorted after the fact.
#[test]
fn the_checker_catches_real_plans_that_read_every_brand() {
    let db = seeded();
    let led = brand_led(&db);
    let bad = |sql: &'static str, index_ordered: bool| {
        let p = plans::Planned {
            name: "bad".into(),
            stmt: Stmt::new(sql, vec![Value::Text("x".into())]),
            index_ordered,
        };
        let rows = plan(&db, &p.stmt);
        (plans::plan_problems(&p, &rows, &led), rows)
    };
    for (sql, ordered) in [
        ("SELECT c.id FROM cases c WHERE c.title = ?1", false),
        ("SELECT count(*) FROM case_events WHERE note = ?1", false),
        (
            "SELECT webhook_id FROM inbound_events WHERE body = ?1",
            false,
        ),
        (
            "SELECT c.id FROM cases c INDEXED BY cases_by_status_deadline WHERE c.title = ?1",
            false,
        ),
        (
            "SELECT c.id FROM cases c WHERE c.brand_id = ?1 ORDER BY c.title LIMIT 50",
            true,
        ),
    ] {
        let (problems, rows) = bad(sql, ordered);
        assert_eq!(problems.len(), 1, "{sql}: {problems:?}\n{rows:#?}");
    }
}

/// The plan's lines for the catalogue's statement `name`.
fn plan_of(db: &Sqlite, name: &str) -> Vec<String> {
    let catalogue = plans::catalogue(brand(1), &[brand(1), brand(2)], user(1), NOW);
    let p = catalogue
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("{name} is not in the catalogue"));
    plan(db, &p.stmt).into_iter().map(|(_, _, d)| d).collect()
}

#[test]
fn a_status_asked_for_is_sought_in_its_index_and_a_search_in_the_brands_block() {
    let db = seeded();
    db.0.execute_batch("ANALYZE").unwrap();
    for page in ["first page", "next page"] {
        for sort in ["-created", "created"] {
            let lines = plan_of(&db, &format!("case_page {sort} status {page}"));
            assert!(
                lines
                    .iter()
                    .any(|l| l
                        .contains("USING INDEX cases_by_brand_status (brand_id=? AND status=?")),
                "{sort} {page}: {lines:#?}"
            );
        }
        // The text index is read with the brand's block of rowids as bounds (FTS5 writes the
        // bounds of a rowid range as `>` and `<` in its index string).
        let lines = plan_of(&db, &format!("case_page -created search {page}"));
        let search = lines
            .iter()
            .find(|l| l.contains("cases_search VIRTUAL TABLE INDEX"))
            .unwrap_or_else(|| panic!("{lines:#?}"));
        let index = search.rsplit("INDEX").next().unwrap_or_default();
        assert!(
            index.contains('M') && index.contains('>') && index.contains('<'),
            "{search}"
        );
    }
}

/// A decision's statements find its cases by their ids, never by walking the brand's cases (a
/// brand of 200,000 made a confirm 4.5× its floor when the read after the move took the brand's
/// index): the move, its event, action, deliveries and audit entry, and the read of where the
/// cases stand, without statistics and after `ANALYZE`.
#[test]
fn a_decisions_cases_are_found_by_their_ids_not_by_the_brands_index() {
    let db = seeded();
    let ids = r#"["00000000-0000-4000-8000-000000000000","00000000-0000-4000-8000-000000000010"]"#;
    let moves = r#"[{"case_id":"00000000-0000-4000-8000-000000000000","version":null,"event":"confirm",
        "to":"takedown_requested","is_open":1,"deadline_at":null,"decided_at":null,
        "ip_right_id":"00000000-0000-4000-8000-0000000000aa","reason_code":"counterfeit","note":null,
        "action_id":"00000000-0000-4000-8000-0000000000bb","action_kind":"listing.takedown"}]"#;
    let by = jf_core::history::Mover::member(user(1), "Agent", BrandRole::BrandAgent);
    let mut stmts = sql::move_many(&sql::ManyMoves {
        brand_id: brand(1),
        brand_ref: None,
        from: jf_core::case::Status::AwaitingBrand,
        moves_json: moves,
        move_id: "move-1",
        by: &by,
        timestamp: "2026-09-21T00:00:00Z",
        now: NOW,
    });
    stmts.push(sql::case_moves_stmt(brand(1), ids, "move-1"));
    for analyzed in [false, true] {
        if analyzed {
            db.0.execute_batch("ANALYZE").unwrap();
        }
        for stmt in &stmts {
            for (_, _, detail) in plan(&db, stmt) {
                // `cases` is read as itself or as `c`; its one index by id is SQLite's own.
                let walks_cases = detail.contains("INDEX cases_")
                    || ["SCAN cases", "SCAN c "]
                        .iter()
                        .any(|s| detail.starts_with(s))
                    || detail == "SCAN c";
                assert!(!walks_cases, "analyzed: {analyzed}: {detail}\n{}", stmt.sql);
            }
        }
    }
}

/// What a sender leased is read back by its owner, and a request's own actions are leased by
/// their ids: never by walking every pending row, which pile up while the marketplace or a
/// brand's endpoint is down (3,000 of each here), without statistics and after `ANALYZE`.
#[test]
fn leases_are_taken_by_id_and_read_back_by_owner_not_by_walking_every_pending_row() {
    let db = seeded();
    db.0.execute_batch(&format!(
        "INSERT INTO webhook_endpoints (id, brand_id, url, secret, events, created_by, created_at)
         VALUES ('ep-1', '{b1}', 'https://hooks.test/', 'whsec_x', '[\"case.status_changed\"]', '{agent}', {now});
         WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 2999)
         INSERT INTO outbox (id, kind, case_id, brand_id, payload, next_attempt_at, lease_until, lease_owner, created_at)
         SELECT 'act-' || i, 'listing.takedown', printf('00000000-0000-4000-8000-%012d', i), '{b1}', '{{}}',
                {now} - i * 1000, CASE WHEN i % 2 = 0 THEN {now} + 60000 ELSE 0 END,
                CASE WHEN i % 2 = 0 THEN 'sender-' || (i % 50) END, {now} - i * 1000
         FROM n;
         WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 2999)
         INSERT INTO webhook_deliveries (id, endpoint_id, brand_id, event_type, payload, next_attempt_at,
                                         lease_until, lease_owner, created_at)
         SELECT 'msg-' || i, 'ep-1', '{b1}', 'case.status_changed', '{{}}', {now} - i * 1000,
                CASE WHEN i % 2 = 0 THEN {now} + 60000 ELSE 0 END,
                CASE WHEN i % 2 = 0 THEN 'sender-' || (i % 50) END, {now} - i * 1000
         FROM n;",
        b1 = brand(1),
        now = NOW,
        agent = user(1),
    ))
    .unwrap();
    let by_owner = [
        (
            "outbox_leased",
            sql::leased_takedowns_pending_snapshot_stmt("sender-1", NOW),
        ),
        ("outbox_leased", sql::leased_actions_stmt("sender-1", NOW)),
        (
            "webhook_deliveries_leased",
            sql::leased_deliveries_stmt("sender-1", NOW),
        ),
    ];
    let own = sql::lease_due_actions("me", NOW, NOW + 120_000, 40, Some(r#"["act-8","act-9"]"#));
    for analyzed in [false, true] {
        if analyzed {
            db.0.execute_batch("ANALYZE").unwrap();
        }
        for (index, stmt) in &by_owner {
            let lines: Vec<String> = plan(&db, stmt).into_iter().map(|(_, _, d)| d).collect();
            assert!(
                lines
                    .iter()
                    .any(|l| l.contains(&format!("USING INDEX {index} (lease_owner=?"))),
                "analyzed: {analyzed}: {lines:#?}\n{}",
                stmt.sql
            );
        }
        let lines: Vec<String> = plan(&db, &own).into_iter().map(|(_, _, d)| d).collect();
        assert!(
            lines.iter().all(|l| !l.contains("outbox_due"))
                && lines
                    .iter()
                    .any(|l| l.contains("SEARCH o USING INDEX sqlite_autoindex_outbox_1 (id=?)")),
            "analyzed: {analyzed}: {lines:#?}"
        );
    }
    // Leased by id: the request's own due action, not one another sender holds, nor any other.
    block_on(db.batch(vec![own])).unwrap();
    let mine: Vec<serde_json::Value> = block_on(jf_core::store::query(
        &db,
        Stmt::new(
            "SELECT id FROM outbox WHERE lease_owner = 'me' ORDER BY id",
            vec![],
        ),
    ))
    .unwrap();
    assert_eq!(mine, vec![serde_json::json!({ "id": "act-9" })]);
}
