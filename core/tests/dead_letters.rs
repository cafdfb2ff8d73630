//! Dead letters against SQLite with the real migrations: a retry says what became of the event,
//! a discard needs a reason, takes the letter off the list and is audited, and migration 0013
//! (which rebuilds `inbound_events` to allow `discarded`) keeps every row it finds.

mod support;

use jf_core::access::{Actor, Person};
use jf_core::api::ReasonRequest;
use jf_core::clock::{Entropy, FixedClock, SeededEntropy};
use jf_core::identity::Deps;
use jf_core::ids::UserId;
use jf_core::reasons::Reason;
use jf_core::store::{query, Db, Row, Stmt};
use jf_core::types::{Email, StaffRole};
use jf_core::{marketplace, sql, Error};
use serde_json::json;
use support::{block_on, Sqlite};

const T0: i64 = 1_790_000_000_000;

struct World {
    db: Sqlite,
    clock: FixedClock,
    entropy: SeededEntropy,
    ops: Actor,
    ops_id: UserId,
}

impl World {
    fn new() -> Self {
        let (db, entropy) = (Sqlite::migrated(), SeededEntropy::default());
        let ops_id = UserId(entropy.uuid());
        let email = Email::parse("ops@marketplace.test").unwrap();
        block_on(db.batch(vec![sql::insert_user(
            ops_id,
            &email,
            "Olga Operator",
            None,
            Some(StaffRole::Operator),
            T0,
        )]))
        .unwrap();
        // D1 enforces foreign keys (`discarded_by` names a user): so does this database.
        db.0.execute_batch("PRAGMA foreign_keys = ON").unwrap();
        let ops = Actor::Person(Person {
            user_id: ops_id,
            display_name: "Olga Operator".into(),
            staff_role: Some(StaffRole::Operator),
            memberships: vec![],
            managed_brands: vec![],
        });
        World {
            db,
            clock: FixedClock::at(T0),
            entropy,
            ops,
            ops_id,
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

    fn rows(&self, sql: &'static str) -> Vec<Row> {
        block_on(query::<Row>(&self.db, Stmt::new(sql, vec![]))).unwrap()
    }

    /// A `shop.verified` for a brand nobody knows: stored, then dead-lettered.
    fn dead_letter(&self, id: &str) {
        let body = json!({ "type": "shop.verified", "timestamp": "t",
                           "data": { "brand_ref": "BR-NOBODY", "shop_id": "SHOP-1" } });
        let (receipt, _) = block_on(marketplace::receive(
            &self.deps(),
            id,
            body.to_string().as_bytes(),
        ))
        .unwrap();
        assert!(matches!(receipt, marketplace::Receipt::DeadLetter(_)));
    }

    fn listed(&self) -> Vec<String> {
        block_on(marketplace::dead_letters(&self.deps(), &self.ops))
            .unwrap()
            .letters
            .into_iter()
            .map(|l| l.webhook_id)
            .collect()
    }

    fn discard(&self, actor: &Actor, id: &str, reason: &str) -> jf_core::Result<()> {
        block_on(marketplace::discard_dead_letter(
            &self.deps(),
            actor,
            id,
            &ReasonRequest {
                reason: reason.into(),
            },
        ))
    }
}

#[test]
fn a_dead_letter_is_discarded_only_with_a_reason_and_the_discard_is_audited() {
    let w = World::new();
    w.dead_letter("msg_keep");
    w.dead_letter("msg_test");
    for blank in ["", "   \n "] {
        match w.discard(&w.ops, "msg_test", blank) {
            Err(Error::Invalid { field, why }) => {
                assert_eq!(field, "reason");
                assert_eq!(why.reason(), Some(&Reason::SayWhyDiscarded));
            }
            other => panic!("{other:?}"),
        }
    }
    let long = "x".repeat(1001);
    assert!(matches!(
        w.discard(&w.ops, "msg_test", &long),
        Err(Error::Invalid { .. })
    ));
    // Refused: nothing changed, nothing recorded.
    assert_eq!(w.listed().len(), 2);
    assert!(w.rows("SELECT id FROM audit_log").is_empty());

    w.discard(
        &w.ops,
        "msg_test",
        "  A test event from the marketplace's staging  ",
    )
    .unwrap();
    assert_eq!(w.listed(), ["msg_keep"], "it leaves the list");
    let row = &w.rows(
        "SELECT state, discarded_at, discarded_by, discard_reason, dead_reason, body
         FROM inbound_events WHERE webhook_id = 'msg_test'",
    )[0];
    assert_eq!(row["state"], "discarded");
    assert_eq!(row["discarded_at"], T0);
    assert_eq!(row["discarded_by"], w.ops_id.to_string());
    assert_eq!(
        row["discard_reason"],
        "A test event from the marketplace's staging"
    );
    assert_eq!(row["dead_reason"], "unknown brand BR-NOBODY", "kept");
    assert!(row["body"].as_str().unwrap().contains("SHOP-1"), "kept");
    let audit = w.rows(
        "SELECT kind, actor_kind, actor_id, brand_id, subject_kind, subject_id, details FROM audit_log",
    );
    assert_eq!(audit.len(), 1);
    let e = &audit[0];
    assert_eq!(e["kind"], "dead_letter_discarded");
    assert_eq!(
        (e["actor_kind"].as_str(), e["actor_id"].as_str()),
        (Some("person"), Some(w.ops_id.to_string().as_str()))
    );
    assert_eq!(e["brand_id"], serde_json::Value::Null);
    assert_eq!(
        (e["subject_kind"].as_str(), e["subject_id"].as_str()),
        (Some("dead_letter"), Some("msg_test"))
    );
    let details: serde_json::Value = serde_json::from_str(e["details"].as_str().unwrap()).unwrap();
    assert_eq!(
        details["reason"],
        "A test event from the marketplace's staging"
    );
    assert_eq!(details["type"], "shop.verified");
    assert_eq!(details["dead_reason"], "unknown brand BR-NOBODY");

    // Discarded is no longer dead: neither retried nor discarded again.
    assert_eq!(
        block_on(marketplace::retry_dead_letter(
            &w.deps(),
            &w.ops,
            "msg_test"
        ))
        .unwrap_err(),
        Error::NotFound
    );
    assert_eq!(
        w.discard(&w.ops, "msg_test", "again").unwrap_err(),
        Error::NotFound
    );
    assert_eq!(
        w.discard(&w.ops, "msg_none", "no such letter").unwrap_err(),
        Error::NotFound
    );
    assert_eq!(w.rows("SELECT id FROM audit_log").len(), 1);
}

#[test]
fn only_operators_discard_dead_letters() {
    let w = World::new();
    w.dead_letter("msg_x");
    let manager = Actor::Person(Person {
        user_id: UserId(w.entropy.uuid()),
        display_name: "Marco".into(),
        staff_role: Some(StaffRole::AccountManager),
        memberships: vec![],
        managed_brands: vec![],
    });
    for actor in [manager, Actor::Anonymous] {
        assert!(w.discard(&actor, "msg_x", "not mine to discard").is_err());
    }
    assert_eq!(w.listed(), ["msg_x"]);
}

#[test]
fn a_retry_says_whether_the_letter_applied_or_why_it_is_still_dead() {
    let w = World::new();
    w.dead_letter("msg_retry");
    let (receipt, _) = block_on(marketplace::retry_dead_letter(
        &w.deps(),
        &w.ops,
        "msg_retry",
    ))
    .unwrap();
    let answer = marketplace::retried(&receipt);
    assert_eq!(answer.state, "dead");
    assert_eq!(answer.reason.as_deref(), Some("unknown brand BR-NOBODY"));
    assert_eq!(answer.outcome, "dead letter: unknown brand BR-NOBODY");
    let applied = marketplace::retried(&marketplace::Receipt::Applied);
    assert_eq!(
        (
            applied.state.as_str(),
            applied.reason,
            applied.outcome.as_str()
        ),
        ("applied", None, "applied")
    );
}

#[test]
fn migration_0013_keeps_every_inbound_event_and_allows_discarded() {
    let db = Sqlite::migrated_before("0013");
    let insert = |id: &str, state: &str, reason: Option<&str>, applied: Option<i64>| {
        Stmt::new(
            "INSERT INTO inbound_events (webhook_id, type, body, received_at, state, dead_reason, applied_at, attempts)
             VALUES (?1, 'listing.flagged', ?2, ?3, ?4, ?5, ?6, 2)",
            vec![
                id.into(),
                format!("{{\"id\":\"{id}\"}}").into(),
                T0.into(),
                state.into(),
                reason.into(),
                applied.into(),
            ],
        )
    };
    block_on(db.batch(vec![
        insert("msg_stored", "stored", None, None),
        insert("msg_applied", "applied", None, Some(T0 + 5)),
        insert("msg_dead", "dead", Some("unknown brand BR-X"), None),
    ]))
    .unwrap();
    let read = |db: &Sqlite| {
        block_on(query::<Row>(
            db,
            Stmt::new(
                "SELECT webhook_id, type, body, received_at, state, dead_reason, applied_at, attempts
                 FROM inbound_events ORDER BY webhook_id",
                vec![],
            ),
        ))
        .unwrap()
    };
    let before = read(&db);
    db.migrate_from("0013");
    assert_eq!(read(&db), before, "every row, every column");
    // The index the cron and the list read by is there again.
    let index = block_on(query::<Row>(
        &db,
        Stmt::new(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'inbound_events' AND name = 'inbound_by_state'",
            vec![],
        ),
    ))
    .unwrap();
    assert_eq!(index.len(), 1);
    // The wider CHECK: discarded is a state now, anything else still is not.
    db.0.execute(
        "UPDATE inbound_events SET state = 'discarded', discard_reason = 'test' WHERE webhook_id = 'msg_dead'",
        [],
    )
    .unwrap();
    assert!(db
        .0
        .execute(
            "UPDATE inbound_events SET state = 'lost' WHERE webhook_id = 'msg_stored'",
            [],
        )
        .is_err());
    // A new event is stored as before.
    block_on(db.batch(vec![sql::store_inbound(
        "msg_new",
        "shop.verified",
        "{}",
        T0,
    )]))
    .unwrap();
    assert_eq!(read(&db).len(), 4);
}
