//! Statements about the marketplace link: inbound webhook events, brand lookup by reference, and
//! the outbox of actions.

use crate::clock::Millis;
use crate::ids::{ActionId, BrandId, CaseId, UserId};
use crate::store::{decode, query, query_one, Db, Stmt};
use crate::Result;
use serde::Deserialize;

// ---------------------------------------------------------------- inbound events

#[derive(Debug, Clone, Deserialize)]
pub struct InboundRecord {
    pub webhook_id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub body: String,
    pub received_at: Millis,
    pub state: String,
    pub dead_reason: Option<String>,
    pub attempts: i64,
}

/// Stores a raw event once: a repeated webhook-id changes nothing.
pub fn store_inbound(webhook_id: &str, kind: &str, body: &str, now: Millis) -> Stmt {
    Stmt::new(
        "INSERT INTO inbound_events (webhook_id, type, body, received_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (webhook_id) DO NOTHING",
        vec![webhook_id.into(), kind.into(), body.into(), now.into()],
    )
}

/// `store_inbound` answering with the event's id when it stored it, and with no row when the id
/// was stored before: for `Db::all_of`, beside what applying the event reads.
pub fn store_new_inbound(webhook_id: &str, kind: &str, body: &str, now: Millis) -> Stmt {
    Stmt::new(
        "INSERT INTO inbound_events (webhook_id, type, body, received_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (webhook_id) DO NOTHING RETURNING webhook_id",
        vec![webhook_id.into(), kind.into(), body.into(), now.into()],
    )
}

pub async fn inbound(db: &impl Db, webhook_id: &str) -> Result<Option<InboundRecord>> {
    const SQL: &str = "SELECT webhook_id, type, body, received_at, state, dead_reason, attempts
        FROM inbound_events WHERE webhook_id = ?1";
    query_one(db, Stmt::new(SQL, vec![webhook_id.into()])).await
}

/// Events stored but never applied (a crash between storing and applying), oldest first.
pub async fn unapplied_inbound(
    db: &impl Db,
    older_than: Millis,
    limit: i64,
) -> Result<Vec<InboundRecord>> {
    query(db, unapplied_inbound_stmt(older_than, limit)).await
}

pub fn unapplied_inbound_stmt(older_than: Millis, limit: i64) -> Stmt {
    const SQL: &str = "SELECT webhook_id, type, body, received_at, state, dead_reason, attempts
        FROM inbound_events WHERE state = 'stored' AND received_at <= ?1 ORDER BY received_at LIMIT ?2";
    Stmt::new(SQL, vec![older_than.into(), limit.into()])
}

pub async fn dead_letters(db: &impl Db, limit: i64) -> Result<Vec<InboundRecord>> {
    query(db, dead_letters_stmt(limit)).await
}

pub fn dead_letters_stmt(limit: i64) -> Stmt {
    const SQL: &str = "SELECT webhook_id, type, body, received_at, state, dead_reason, attempts
        FROM inbound_events WHERE state = 'dead' ORDER BY received_at DESC LIMIT ?1";
    Stmt::new(SQL, vec![limit.into()])
}

/// Takes the lease on a stored event for the run about to apply it, until `lease_until`: 1 row
/// when this run holds it, 0 when the event was applied, dead-lettered or leased by another run
/// since it was read (then the run leaves it alone).
pub fn lease_inbound(webhook_id: &str, now: Millis, lease_until: Millis) -> Stmt {
    Stmt::new(
        "UPDATE inbound_events SET lease_until = ?3
         WHERE webhook_id = ?1 AND state = 'stored' AND lease_until <= ?2",
        vec![webhook_id.into(), now.into(), lease_until.into()],
    )
}

/// An operator's retry takes a dead letter back: stored again, leased to the retry until
/// `lease_until` (so no cron run applies it meanwhile). 0 rows when it is no longer dead
/// (retried or discarded by someone else since it was read).
pub fn take_back_dead_letter(webhook_id: &str, lease_until: Millis) -> Stmt {
    Stmt::new(
        "UPDATE inbound_events SET state = 'stored', lease_until = ?2
         WHERE webhook_id = ?1 AND state = 'dead'",
        vec![webhook_id.into(), lease_until.into()],
    )
}

/// Marks an event applied, in the batch that applies it; a no-op on one already applied (so the
/// application's own batch and the receipt after it count one attempt).
pub fn mark_inbound_applied(webhook_id: &str, now: Millis) -> Stmt {
    Stmt::new(
        "UPDATE inbound_events SET state = 'applied', applied_at = ?2, dead_reason = NULL, attempts = attempts + 1
         WHERE webhook_id = ?1 AND state <> 'applied'",
        vec![webhook_id.into(), now.into()],
    )
}

pub fn mark_inbound_dead(webhook_id: &str, reason: &str) -> Stmt {
    Stmt::new(
        "UPDATE inbound_events SET state = 'dead', dead_reason = ?2, attempts = attempts + 1 WHERE webhook_id = ?1",
        vec![webhook_id.into(), reason.into()],
    )
}

/// A dead letter set aside by an operator, with who and why; only while it is still dead.
pub fn discard_inbound(webhook_id: &str, by: UserId, reason: &str, now: Millis) -> Stmt {
    Stmt::new(
        "UPDATE inbound_events SET state = 'discarded', discarded_at = ?4, discarded_by = ?2, discard_reason = ?3
         WHERE webhook_id = ?1 AND state = 'dead'",
        vec![webhook_id.into(), by.into(), reason.into(), now.into()],
    )
}

#[derive(Debug, Clone, Deserialize)]
pub struct BrandRefRecord {
    pub id: BrandId,
    pub name: String,
    pub programme_status: crate::types::ProgrammeStatus,
}

pub async fn brand_by_ref(db: &impl Db, brand_ref: &str) -> Result<Option<BrandRefRecord>> {
    const SQL: &str = "SELECT id, name, programme_status FROM brands WHERE brand_ref = ?1";
    query_one(db, Stmt::new(SQL, vec![brand_ref.into()])).await
}

/// The brand a marketplace event names by reference, with its open case for the listing if it
/// has one: what a flag or an appeal needs to know before it writes, in one round trip.
#[derive(Debug, Clone)]
pub struct ListingTarget {
    pub brand: BrandRefRecord,
    pub open_case: Option<crate::sql::CaseRecord>,
}

/// `brand_by_ref` and `open_case_for_listing` in one statement: the brand row, and beside it the
/// columns of `open_case_for_listing`'s row (NULL when the listing has no open case of the brand).
/// Its rows read with `listing_target_of`.
pub fn listing_target_stmt(brand_ref: &str, listing_id: &str) -> Stmt {
    const SQL: &str = "SELECT b.id AS target_brand_id, b.name AS target_brand_name,
                b.programme_status AS target_programme_status,
                c.id, c.brand_id, b.name AS brand_name, c.listing_id, c.origin, c.status, c.version, c.lane,
                c.ip_right_id, c.reason_code, c.statement, c.evidence_urls, c.snapshot, c.title, c.seller_id,
                c.seller_name, c.detection, c.deadline_at, c.appeal_id, c.appeal, c.created_at, c.updated_at,
                (SELECT count(*) FROM case_events e WHERE e.case_id = c.id) AS event_count
         FROM brands b LEFT JOIN cases c ON c.brand_id = b.id AND c.listing_id = ?2 AND c.is_open = 1
         WHERE b.brand_ref = ?1 LIMIT 1";
    Stmt::new(SQL, vec![brand_ref.into(), listing_id.into()])
}

/// What `listing_target_stmt` found: None for an unknown brand.
pub fn listing_target_of(rows: crate::store::Rows) -> Result<Option<ListingTarget>> {
    #[derive(Deserialize)]
    struct Brand {
        target_brand_id: BrandId,
        target_brand_name: String,
        target_programme_status: crate::types::ProgrammeStatus,
    }
    let Some(row) = rows.first::<crate::store::Row>()? else {
        return Ok(None);
    };
    let has_case = row.get("id").is_some_and(|v| !v.is_null());
    let b: Brand = decode(row.clone())?;
    let open_case = if has_case { Some(decode(row)?) } else { None };
    Ok(Some(ListingTarget {
        brand: BrandRefRecord {
            id: b.target_brand_id,
            name: b.target_brand_name,
            programme_status: b.target_programme_status,
        },
        open_case,
    }))
}

pub async fn listing_target(
    db: &impl Db,
    brand_ref: &str,
    listing_id: &str,
) -> Result<Option<ListingTarget>> {
    listing_target_of(db.all(listing_target_stmt(brand_ref, listing_id)).await?)
}

pub fn set_shop(brand_id: BrandId, shop_id: &str) -> Stmt {
    Stmt::new(
        "UPDATE brands SET shop_id = ?2 WHERE id = ?1",
        vec![brand_id.into(), shop_id.into()],
    )
}

// ---------------------------------------------------------------- outbox

#[derive(Debug, Clone, Deserialize)]
pub struct OutboxRecord {
    pub id: ActionId,
    pub kind: String,
    pub case_id: Option<CaseId>,
    pub brand_id: Option<BrandId>,
    pub payload: String,
    pub state: String,
    pub attempts: i64,
    pub next_attempt_at: Millis,
    pub last_error: Option<String>,
    pub created_at: Millis,
    pub sent_at: Option<Millis>,
}

pub fn insert_action(
    id: ActionId,
    kind: &str,
    case_id: Option<CaseId>,
    brand_id: Option<BrandId>,
    payload: &str,
    now: Millis,
) -> Stmt {
    Stmt::new(
        "INSERT INTO outbox (id, kind, case_id, brand_id, payload, next_attempt_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        vec![
            id.into(),
            kind.into(),
            case_id.into(),
            brand_id.into(),
            payload.into(),
            now.into(),
        ],
    )
}

/// Many actions at once from a JSON array of `{id, kind, case_id, brand_id, payload}`.
pub fn insert_actions(actions_json: &str, now: Millis) -> Stmt {
    Stmt::new(
        "INSERT INTO outbox (id, kind, case_id, brand_id, payload, next_attempt_at, created_at)
         SELECT json_extract(value, '$.id'), json_extract(value, '$.kind'), json_extract(value, '$.case_id'),
                json_extract(value, '$.brand_id'), json_extract(value, '$.payload'), ?2, ?2
         FROM json_each(?1)",
        vec![actions_json.into(), now.into()],
    )
}

/// Takes a lease on due rows (only the given ids, a JSON array, when given): no other sender
/// touches them until the lease ends. Returns nothing; `leased` reads what this owner now holds.
/// The given ids are looked up one by one (`CROSS JOIN` keeps SQLite to that order): through the
/// `state` index, a request's own action would be sought among every pending one.
pub fn lease_due_actions(
    owner: &str,
    now: Millis,
    lease_until: Millis,
    limit: i64,
    only_ids_json: Option<&str>,
) -> Stmt {
    let mut params = vec![owner.into(), now.into(), lease_until.into(), limit.into()];
    let sql = match only_ids_json {
        None => {
            "UPDATE outbox SET lease_owner = ?1, lease_until = ?3
             WHERE id IN (SELECT id FROM outbox
                          WHERE state = 'pending' AND next_attempt_at <= ?2 AND lease_until <= ?2
                          ORDER BY next_attempt_at LIMIT ?4)"
        }
        Some(ids) => {
            params.push(ids.into());
            "UPDATE outbox SET lease_owner = ?1, lease_until = ?3
             WHERE id IN (SELECT o.id FROM json_each(?5) j CROSS JOIN outbox o ON o.id = j.value
                          WHERE o.state = 'pending' AND o.next_attempt_at <= ?2 AND o.lease_until <= ?2
                          ORDER BY o.next_attempt_at LIMIT ?4)"
        }
    };
    Stmt::new(sql, params)
}

/// The listings of the takedowns `owner` holds whose cases still wait for their snapshot (filed
/// in bulk, or while the marketplace was unreachable): looked up before the takedowns are sent.
pub fn leased_takedowns_pending_snapshot_stmt(owner: &str, now: Millis) -> Stmt {
    const SQL: &str = "SELECT DISTINCT c.listing_id FROM outbox o JOIN cases c ON c.id = o.case_id
         WHERE o.lease_owner = ?1 AND o.lease_until > ?2 AND o.state = 'pending'
           AND o.kind = 'listing.takedown' AND c.snapshot IS NULL AND c.is_open = 1
         ORDER BY c.listing_id";
    Stmt::new(SQL, vec![owner.into(), now.into()])
}

pub async fn leased_actions(db: &impl Db, owner: &str, now: Millis) -> Result<Vec<OutboxRecord>> {
    query(db, leased_actions_stmt(owner, now)).await
}

pub fn leased_actions_stmt(owner: &str, now: Millis) -> Stmt {
    const SQL: &str = "SELECT id, kind, case_id, brand_id, payload, state, attempts, next_attempt_at, last_error,
                created_at, sent_at
         FROM outbox WHERE lease_owner = ?1 AND lease_until > ?2 AND state = 'pending' ORDER BY next_attempt_at";
    Stmt::new(SQL, vec![owner.into(), now.into()])
}

pub fn mark_action_sent(id: ActionId, owner: &str, now: Millis) -> Stmt {
    Stmt::new(
        "UPDATE outbox SET state = 'sent', sent_at = ?3, attempts = attempts + 1, lease_until = 0, last_error = NULL
         WHERE id = ?1 AND lease_owner = ?2",
        vec![id.into(), owner.into(), now.into()],
    )
}

pub fn mark_action_failed(
    id: ActionId,
    owner: &str,
    error: &str,
    next_attempt_at: Option<Millis>,
) -> Stmt {
    Stmt::new(
        "UPDATE outbox SET attempts = attempts + 1, last_error = ?3, lease_until = 0,
                state = CASE WHEN ?4 IS NULL THEN 'dead' ELSE 'pending' END,
                next_attempt_at = coalesce(?4, next_attempt_at)
         WHERE id = ?1 AND lease_owner = ?2",
        vec![
            id.into(),
            owner.into(),
            error.into(),
            next_attempt_at.into(),
        ],
    )
}

pub async fn actions_in_state(db: &impl Db, state: &str, limit: i64) -> Result<Vec<OutboxRecord>> {
    query(db, actions_in_state_stmt(state, limit)).await
}

pub fn actions_in_state_stmt(state: &str, limit: i64) -> Stmt {
    const SQL: &str =
        "SELECT id, kind, case_id, brand_id, payload, state, attempts, next_attempt_at, last_error,
                created_at, sent_at
         FROM outbox WHERE state = ?1 ORDER BY created_at DESC LIMIT ?2";
    Stmt::new(SQL, vec![state.into(), limit.into()])
}

pub async fn actions_of_case(db: &impl Db, case_id: CaseId) -> Result<Vec<OutboxRecord>> {
    const SQL: &str =
        "SELECT id, kind, case_id, brand_id, payload, state, attempts, next_attempt_at, last_error,
                created_at, sent_at
         FROM outbox WHERE case_id = ?1 ORDER BY created_at";
    query(db, Stmt::new(SQL, vec![case_id.into()])).await
}

pub async fn action(db: &impl Db, id: ActionId) -> Result<Option<OutboxRecord>> {
    const SQL: &str =
        "SELECT id, kind, case_id, brand_id, payload, state, attempts, next_attempt_at, last_error,
                created_at, sent_at
         FROM outbox WHERE id = ?1";
    query_one(db, Stmt::new(SQL, vec![id.into()])).await
}

/// A dead action goes back to the queue (an operator's retry).
pub fn revive_action(id: ActionId, now: Millis) -> Stmt {
    Stmt::new(
        "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?2, lease_until = 0 WHERE id = ?1 AND state = 'dead'",
        vec![id.into(), now.into()],
    )
}
