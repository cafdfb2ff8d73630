//! Retention against SQLite with the real migrations: the cron forgets settled inbound events and
//! the brands' delivery log after 90 days and ended sessions 30 days after they ended, never a
//! dead letter waiting for an operator or anything young; at most a batch a run, each delete
//! through its index (migration 0015).

mod support;

use jf_core::clock::{FixedClock, SeededEntropy, DAY, HOUR};
use jf_core::identity::Deps;
use jf_core::jobs::{self, Forgotten, RETENTION_BATCH};
use jf_core::sql;
use jf_core::store::{query, Row, Stmt};
use support::{block_on, Sqlite};

const NOW: i64 = 1_800_000_000_000;

struct World {
    db: Sqlite,
    clock: FixedClock,
    entropy: SeededEntropy,
}

impl World {
    fn new() -> Self {
        let db = Sqlite::migrated();
        // The delivery log's rows refer to an endpoint, of a brand, made by someone.
        db.0.execute_batch(
            "INSERT INTO users (id, email, display_name, created_at) VALUES ('u', 'u@example.test', 'U', 0);
             INSERT INTO brands (id, name, brand_ref, created_at) VALUES ('b', 'B', 'BR-B', 0);
             INSERT INTO webhook_endpoints (id, brand_id, url, events, secret, created_by, created_at)
               VALUES ('ep', 'b', 'https://erp.example/hook', '[]', 'whsec_x', 'u', 0);",
        )
        .unwrap();
        World {
            db,
            clock: FixedClock::at(NOW),
            entropy: SeededEntropy::default(),
        }
    }

    fn deps(&self) -> Deps<'_, Sqlite> {
        Deps {
            db: &self.db,
            clock: &self.clock,
            entropy: &self.entropy,
            address: None,
        }
    }

    fn run(&self) -> Forgotten {
        block_on(jobs::forget_expired(&self.deps())).unwrap()
    }

    fn ids(&self, sql: &'static str) -> Vec<String> {
        let rows: Vec<Row> = block_on(query(&self.db, Stmt::new(sql, vec![]))).unwrap();
        let mut ids: Vec<String> = rows
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_owned())
            .collect();
        ids.sort();
        ids
    }

    fn exec(&self, sql: &str) {
        self.db.0.execute_batch(sql).unwrap();
    }

    /// An inbound event received `age` ago in `state`, settled when given.
    fn event(&self, id: &str, state: &str, received_ago: i64, settled_ago: Option<i64>) {
        let (applied, discarded) = match (state, settled_ago) {
            ("applied", Some(ago)) => (Some(NOW - ago), None),
            ("discarded", Some(ago)) => (None, Some(NOW - ago)),
            _ => (None, None),
        };
        let sql_value = |v: Option<i64>| v.map_or("NULL".to_owned(), |v| v.to_string());
        self.exec(&format!(
            "INSERT INTO inbound_events (webhook_id, type, body, received_at, state, applied_at, discarded_at)
             VALUES ('{id}', 'listing.flagged', '{{}}', {}, '{state}', {}, {})",
            NOW - received_ago,
            sql_value(applied),
            sql_value(discarded)
        ));
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
fn settled_events_go_after_ninety_days_and_dead_letters_stay() {
    let w = World::new();
    w.event("old-applied", "applied", 100 * DAY, Some(100 * DAY));
    w.event("old-discarded", "discarded", 200 * DAY, Some(91 * DAY));
    // Received long ago, but settled lately: kept for 90 days from its settling.
    w.event("late-discard", "discarded", 200 * DAY, Some(10 * DAY));
    w.event("late-apply", "applied", 120 * DAY, Some(89 * DAY));
    w.event("young-applied", "applied", 5 * DAY, Some(5 * DAY));
    // Waiting for an operator, or for the cron to apply it: never forgotten.
    w.event("old-dead", "dead", 400 * DAY, None);
    w.event("old-stored", "stored", 400 * DAY, None);
    let forgotten = w.run();
    assert_eq!(forgotten.settled_events, 2);
    assert_eq!(
        w.ids("SELECT webhook_id AS id FROM inbound_events"),
        [
            "late-apply",
            "late-discard",
            "old-dead",
            "old-stored",
            "young-applied"
        ]
    );
    // Exactly on the 90th day it goes.
    w.clock.advance(DAY);
    assert_eq!(w.run().settled_events, 1);
    assert!(!w
        .ids("SELECT webhook_id AS id FROM inbound_events")
        .contains(&"late-apply".to_owned()));
}

#[test]
fn a_run_forgets_at_most_a_batch_and_the_next_runs_the_rest() {
    let w = World::new();
    let old = NOW - 100 * DAY;
    w.exec(&format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {})
         INSERT INTO inbound_events (webhook_id, type, body, received_at, state, applied_at)
         SELECT 'e' || i, 'listing.flagged', '{{}}', {old}, 'applied', {old} FROM n",
        RETENTION_BATCH + 7
    ));
    assert_eq!(w.run().settled_events, RETENTION_BATCH as u64);
    assert_eq!(w.run().settled_events, 7);
    assert_eq!(w.run().settled_events, 0);
}

#[test]
fn the_delivery_log_goes_after_ninety_days_attempts_first() {
    let w = World::new();
    // D1 enforces foreign keys: an attempt refers to its delivery, so it must go first.
    let at = |ago: i64| NOW - ago;
    w.exec(&format!(
        "INSERT INTO webhook_deliveries (id, endpoint_id, brand_id, event_type, payload, state, next_attempt_at, created_at)
         VALUES ('old-delivered', 'ep', 'b', 'case.created', '{{}}', 'delivered', 0, {old}),
                ('old-failed', 'ep', 'b', 'case.created', '{{}}', 'failed', 0, {old}),
                ('old-pending', 'ep', 'b', 'case.created', '{{}}', 'pending', 0, {old}),
                ('old-retried-late', 'ep', 'b', 'case.created', '{{}}', 'delivered', 0, {old}),
                ('young', 'ep', 'b', 'case.created', '{{}}', 'delivered', 0, {young});
         INSERT INTO webhook_attempts (delivery_id, at, status) VALUES
                ('old-delivered', {old}, 200),
                ('old-failed', {old}, 500), ('old-failed', {old2}, 500),
                ('old-pending', {old}, 500),
                ('old-retried-late', {old}, 500), ('old-retried-late', {late}, 200),
                ('young', {young}, 200);",
        old = at(95 * DAY),
        old2 = at(94 * DAY),
        late = at(60 * DAY),
        young = at(2 * DAY),
    ));
    w.exec("PRAGMA foreign_keys = ON");
    let forgotten = w.run();
    assert_eq!(forgotten.delivery_attempts, 5, "every attempt 90 days old");
    assert_eq!(forgotten.deliveries, 2, "{forgotten:?}");
    assert_eq!(
        w.ids("SELECT id FROM webhook_deliveries"),
        ["old-pending", "old-retried-late", "young"],
        "one still pending, one with a recent attempt, one young"
    );
    assert_eq!(
        w.ids("SELECT delivery_id || '@' || status AS id FROM webhook_attempts"),
        ["old-retried-late@200", "young@200"]
    );
    // Once its last attempt is 90 days old, the delivery goes with it.
    w.clock.advance(31 * DAY);
    let forgotten = w.run();
    assert_eq!((forgotten.delivery_attempts, forgotten.deliveries), (1, 1));
    assert_eq!(
        w.ids("SELECT id FROM webhook_deliveries"),
        ["old-pending", "young"]
    );
}

#[test]
fn ended_sessions_go_thirty_days_after_they_ended() {
    let w = World::new();
    w.exec(&format!(
        "INSERT INTO sessions (token_hash, id, user_id, created_at, last_seen_at, revoked_at) VALUES
           ('h-revoked-old', 'revoked-old', 'u', {d40}, {d40}, {d31}),
           ('h-revoked-lately', 'revoked-lately', 'u', {d30}, {d29}, {d29}),
           ('h-idle-old', 'idle-old', 'u', {d40}, {idle_old}, NULL),
           ('h-idle-lately', 'idle-lately', 'u', {idle_lately_begun}, {idle_lately}, NULL),
           ('h-absolute-old', 'absolute-old', 'u', {abs_old}, {h1}, NULL),
           ('h-open', 'open', 'u', {h1}, {h1}, NULL);",
        d40 = NOW - 40 * DAY,
        d31 = NOW - 31 * DAY,
        d30 = NOW - 30 * DAY,
        d29 = NOW - 29 * DAY,
        // Idle for 12 hours ends a session: last seen 30 days and 13 hours ago, it ended over
        // 30 days ago; last seen 30 days and 11 hours ago, not yet.
        idle_old = NOW - 30 * DAY - 13 * HOUR,
        idle_lately = NOW - 30 * DAY - 11 * HOUR,
        idle_lately_begun = NOW - 31 * DAY,
        // Seven days after it began a session ends however busy: begun 38 days ago, it ended 31.
        abs_old = NOW - 38 * DAY,
        h1 = NOW - HOUR,
    ));
    let forgotten = w.run();
    assert_eq!(forgotten.ended_sessions, 3);
    assert_eq!(
        w.ids("SELECT id FROM sessions"),
        ["idle-lately", "open", "revoked-lately"]
    );
}

#[test]
fn each_retention_delete_reads_an_index() {
    let w = World::new();
    let statements = [
        ("inbound_events", sql::forget_settled_events(NOW, 10)),
        ("webhook_attempts", sql::forget_delivery_attempts(NOW, 10)),
        ("webhook_deliveries", sql::forget_deliveries(NOW, 10)),
        ("sessions", sql::forget_ended_sessions(NOW, NOW, NOW, 10)),
    ];
    for (table, stmt) in statements {
        let plan = plan(&w.db, &stmt);
        // No step scans a table: each finds its rows through an index.
        for step in &plan {
            assert!(!step.starts_with("SCAN"), "{table}: {step} in {plan:#?}");
        }
        assert!(
            plan.iter()
                .any(|s| s.contains("USING INDEX") || s.contains("USING COVERING INDEX")),
            "{table}: {plan:#?}"
        );
    }
    let sessions = plan(&w.db, &sql::forget_ended_sessions(NOW, NOW, NOW, 10));
    for index in [
        "sessions_revoked",
        "sessions_by_last_seen",
        "sessions_by_created",
    ] {
        assert!(
            sessions.iter().any(|s| s.contains(index)),
            "{index}: {sessions:#?}"
        );
    }
    // Each reads only the rows past the cutoff (a range on the index, not every settled row).
    let events = plan(&w.db, &sql::forget_settled_events(NOW, 10));
    assert!(
        events
            .iter()
            .any(|s| s.contains("inbound_settled (state=? AND <expr><?)")),
        "{events:#?}"
    );
    let deliveries = plan(&w.db, &sql::forget_deliveries(NOW, 10));
    assert!(
        deliveries
            .iter()
            .any(|s| s.contains("webhook_deliveries_by_state_created (state=? AND created_at<?)")),
        "{deliveries:#?}"
    );
}
