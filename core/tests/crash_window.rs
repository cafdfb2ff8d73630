//! A crash right after an event's application was written (before anything else is) against
//! SQLite with the real migrations: the event is applied once, never again by the cron — the
//! at-most-once half of `cargo xtask crash`, with the crash placed exactly in that window.

mod support;

use jf_core::clock::{FixedClock, SeededEntropy, MINUTE};
use jf_core::identity::Deps;
use jf_core::ids::BrandId;
use jf_core::store::{query, Db, Row, Stmt};
use jf_core::types::ProgrammeStatus;
use jf_core::{marketplace, sql, Error, Result};
use serde_json::json;
use std::cell::Cell;
use support::{block_on, Sqlite};

const T0: i64 = 1_790_000_000_000;

/// The store of a Worker that dies after `batches` more batches: every write after those fails,
/// as if the process had been killed there.
struct DiesAfter<'a> {
    db: &'a Sqlite,
    batches: Cell<usize>,
}

impl Db for DiesAfter<'_> {
    async fn all(&self, stmt: Stmt) -> Result<jf_core::store::Rows> {
        self.db.all(stmt).await
    }
    async fn batch(&self, stmts: Vec<Stmt>) -> Result<()> {
        match self.batches.get() {
            0 => Err(Error::internal("killed")),
            n => {
                self.batches.set(n - 1);
                self.db.batch(stmts).await
            }
        }
    }
    async fn execute(&self, stmt: Stmt) -> Result<u64> {
        self.db.execute(stmt).await
    }
}

fn flagged(listing_id: &str) -> Vec<u8> {
    json!({ "type": "listing.flagged", "timestamp": "2026-09-21T10:00:00Z", "data": {
        "brand_ref": "BR-CRASH",
        "listing": { "listing_id": listing_id, "url": format!("https://market.example/item/{listing_id}"),
            "title": "Tote bag", "price": { "amount": "39.00", "currency": "EUR" },
            "image_url": "https://img.example/1.png",
            "seller": { "seller_id": "S-1", "name": "Seller" } },
        "detection": { "score": 0.9, "signals": ["price"] } } })
    .to_string()
    .into_bytes()
}

fn count(db: &Sqlite, sql: &'static str, param: &str) -> i64 {
    let rows = block_on(query::<Row>(db, Stmt::new(sql, vec![param.into()]))).unwrap();
    rows[0].get("n").and_then(|v| v.as_i64()).unwrap()
}

/// Killed between the batch that applies a flag and anything after it: the flag is applied
/// (its case exists) and so marked, and the next cron run does not apply it a second time
/// (which would add a `detection` event to its case, as a new flag of the listing does).
#[test]
fn a_flag_applied_just_before_a_crash_is_never_applied_again() {
    let db = Sqlite::migrated();
    let brand = BrandId(uuid::Uuid::from_u128(7));
    block_on(db.batch(vec![
        sql::insert_brand(brand, "Crash", "BR-CRASH", T0),
        sql::set_programme(brand, ProgrammeStatus::Enrolled, Some("SHOP"), false, None),
    ]))
    .unwrap();
    let entropy = SeededEntropy::default();
    let clock = FixedClock::at(T0);
    let dying = DiesAfter {
        db: &db,
        batches: Cell::new(1),
    };
    let deps = Deps {
        db: &dying,
        clock: &clock,
        entropy: &entropy,
        address: None,
    };
    // The request dies after the application's batch: no answer reaches the marketplace. That
    // batch is its last write (it marks the event applied itself), so all the crash loses is
    // the answer — a second batch here would be the one the dying store refuses.
    let answered = block_on(marketplace::receive(
        &deps,
        "msg-crash-1",
        &flagged("L-CRASH-1"),
    ));
    assert!(
        matches!(answered, Ok((marketplace::Receipt::Applied, _))),
        "nothing is written after the application's batch: {answered:?}"
    );

    // The restarted Worker's cron, a while later.
    let later = FixedClock::at(T0 + 2 * MINUTE);
    let deps = Deps {
        db: &db,
        clock: &later,
        entropy: &entropy,
        address: None,
    };
    block_on(marketplace::apply_stored(&deps, 20)).unwrap();
    // And the marketplace's retry of the delivery it never got an answer to.
    let (receipt, _) = block_on(marketplace::receive(
        &deps,
        "msg-crash-1",
        &flagged("L-CRASH-1"),
    ))
    .unwrap();
    assert_eq!(receipt, marketplace::Receipt::Duplicate);

    let state = "SELECT count(*) AS n FROM inbound_events WHERE webhook_id = ?1 AND state = 'applied' AND attempts = 1";
    assert_eq!(count(&db, state, "msg-crash-1"), 1, "applied, once");
    let cases = "SELECT count(*) AS n FROM cases WHERE listing_id = ?1";
    assert_eq!(count(&db, cases, "L-CRASH-1"), 1);
    let events = "SELECT count(*) AS n FROM case_events e JOIN cases c ON c.id = e.case_id
                  WHERE c.listing_id = ?1";
    assert_eq!(
        count(&db, events, "L-CRASH-1"),
        1,
        "only the flag's own event: it was not applied a second time"
    );
    let version = "SELECT version AS n FROM cases WHERE listing_id = ?1";
    assert_eq!(count(&db, version, "L-CRASH-1"), 1);
}

/// Killed after storing an event and before applying it: the cron applies it, once.
#[test]
fn a_flag_stored_just_before_a_crash_is_applied_by_the_cron() {
    let db = Sqlite::migrated();
    let brand = BrandId(uuid::Uuid::from_u128(8));
    block_on(db.batch(vec![
        sql::insert_brand(brand, "Crash", "BR-CRASH", T0),
        sql::set_programme(brand, ProgrammeStatus::Enrolled, Some("SHOP"), false, None),
    ]))
    .unwrap();
    let entropy = SeededEntropy::default();
    let clock = FixedClock::at(T0);
    let dying = DiesAfter {
        db: &db,
        batches: Cell::new(0),
    };
    let deps = Deps {
        db: &dying,
        clock: &clock,
        entropy: &entropy,
        address: None,
    };
    assert!(block_on(marketplace::receive(
        &deps,
        "msg-crash-2",
        &flagged("L-CRASH-2")
    ))
    .is_err());
    let stored =
        "SELECT count(*) AS n FROM inbound_events WHERE webhook_id = ?1 AND state = 'stored'";
    assert_eq!(count(&db, stored, "msg-crash-2"), 1);

    let later = FixedClock::at(T0 + 2 * MINUTE);
    let deps = Deps {
        db: &db,
        clock: &later,
        entropy: &entropy,
        address: None,
    };
    assert_eq!(block_on(marketplace::apply_stored(&deps, 20)).unwrap(), 1);
    assert_eq!(block_on(marketplace::apply_stored(&deps, 20)).unwrap(), 0);
    let applied = "SELECT count(*) AS n FROM inbound_events WHERE webhook_id = ?1 AND state = 'applied' AND attempts = 1";
    assert_eq!(count(&db, applied, "msg-crash-2"), 1);
    let events = "SELECT count(*) AS n FROM case_events e JOIN cases c ON c.id = e.case_id
                  WHERE c.listing_id = ?1";
    assert_eq!(count(&db, events, "L-CRASH-2"), 1);
}
