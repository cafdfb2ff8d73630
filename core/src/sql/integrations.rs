//! Statements about API keys, brand webhook endpoints and their deliveries, reminders, and
//! repeat infringers.

use crate::clock::Millis;
use crate::ids::{BrandId, CaseId, UserId};
use crate::store::{query, query_one, Db, Stmt};
use crate::Result;
use serde::Deserialize;

// ---------------------------------------------------------------- API keys

#[derive(Debug, Clone, Deserialize)]
pub struct ApiKeyRecord {
    pub id: String,
    pub brand_id: BrandId,
    pub name: String,
    pub scope: String,
    pub prefix: String,
    pub created_at: Millis,
    pub last_used_at: Option<Millis>,
    pub revoked_at: Option<Millis>,
    /// Who made the key (keys belong to the brand and outlive their maker's access).
    pub created_by: crate::ids::UserId,
    pub maker_name: String,
    #[serde(deserialize_with = "crate::store::int_bool")]
    pub maker_disabled: bool,
}

/// The key columns every key query returns, with its maker.
macro_rules! key_select {
    ($tail:literal) => {
        concat!(
            "SELECT k.id, k.brand_id, k.name, k.scope, k.prefix, k.created_at, k.last_used_at,
                    k.revoked_at, k.created_by, u.display_name AS maker_name,
                    (u.disabled_at IS NOT NULL) AS maker_disabled
             FROM api_keys k JOIN users u ON u.id = k.created_by",
            $tail
        )
    };
}

pub async fn api_key_by_hash(db: &impl Db, key_hash: &str) -> Result<Option<ApiKeyRecord>> {
    const SQL: &str = key_select!(" WHERE k.key_hash = ?1");
    query_one(db, Stmt::new(SQL, vec![key_hash.into()])).await
}

pub async fn api_keys(db: &impl Db, brand_id: BrandId) -> Result<Vec<ApiKeyRecord>> {
    const SQL: &str = key_select!(" WHERE k.brand_id = ?1 ORDER BY k.created_at DESC");
    query(db, Stmt::new(SQL, vec![brand_id.into()])).await
}

#[allow(clippy::too_many_arguments)]
pub fn insert_api_key(
    id: &str,
    brand_id: BrandId,
    name: &str,
    scope: &str,
    key_hash: &str,
    prefix: &str,
    by: UserId,
    now: Millis,
) -> Stmt {
    Stmt::new(
        "INSERT INTO api_keys (id, brand_id, name, scope, key_hash, prefix, created_by, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        vec![
            id.into(),
            brand_id.into(),
            name.into(),
            scope.into(),
            key_hash.into(),
            prefix.into(),
            by.into(),
            now.into(),
        ],
    )
}

pub fn revoke_api_key(brand_id: BrandId, id: &str, now: Millis) -> Stmt {
    Stmt::new(
        "UPDATE api_keys SET revoked_at = ?3 WHERE id = ?1 AND brand_id = ?2 AND revoked_at IS NULL",
        vec![id.into(), brand_id.into(), now.into()],
    )
}

pub fn touch_api_key(id: &str, now: Millis) -> Stmt {
    Stmt::new(
        "UPDATE api_keys SET last_used_at = ?2 WHERE id = ?1",
        vec![id.into(), now.into()],
    )
}

// ---------------------------------------------------------------- webhook endpoints

#[derive(Debug, Clone, Deserialize)]
pub struct EndpointRecord {
    pub id: String,
    pub brand_id: BrandId,
    pub url: String,
    pub events: String,
    pub secret: String,
    pub created_at: Millis,
    pub disabled_at: Option<Millis>,
}

pub async fn endpoints(db: &impl Db, brand_id: BrandId) -> Result<Vec<EndpointRecord>> {
    const SQL: &str = "SELECT id, brand_id, url, events, secret, created_at, disabled_at
        FROM webhook_endpoints WHERE brand_id = ?1 ORDER BY created_at DESC";
    query(db, Stmt::new(SQL, vec![brand_id.into()])).await
}

pub async fn endpoint(db: &impl Db, brand_id: BrandId, id: &str) -> Result<Option<EndpointRecord>> {
    const SQL: &str = "SELECT id, brand_id, url, events, secret, created_at, disabled_at
        FROM webhook_endpoints WHERE id = ?1 AND brand_id = ?2";
    query_one(db, Stmt::new(SQL, vec![id.into(), brand_id.into()])).await
}

#[allow(clippy::too_many_arguments)]
pub fn insert_endpoint(
    id: &str,
    brand_id: BrandId,
    url: &str,
    events_json: &str,
    secret: &str,
    by: UserId,
    now: Millis,
) -> Stmt {
    Stmt::new(
        "INSERT INTO webhook_endpoints (id, brand_id, url, events, secret, created_by, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        vec![
            id.into(),
            brand_id.into(),
            url.into(),
            events_json.into(),
            secret.into(),
            by.into(),
            now.into(),
        ],
    )
}

#[derive(Debug, Clone, Deserialize)]
pub struct StoredSecret {
    pub id: String,
    pub secret: String,
}

/// Endpoints (live or disabled) whose stored secret does not start with `prefix` (the current
/// key's `v1.<kid>.`): plaintext from before sealing, or sealed under an older key. Plaintext
/// first, as it is the more exposed. `substr`, not LIKE: `_` is a LIKE wildcard.
pub async fn secrets_not_sealed_under(
    db: &impl Db,
    prefix: &str,
    limit: i64,
) -> Result<Vec<StoredSecret>> {
    const SQL: &str = "SELECT id, secret FROM webhook_endpoints
        WHERE substr(secret, 1, length(?1)) <> ?1
        ORDER BY substr(secret, 1, 6) = 'whsec_' DESC, id LIMIT ?2";
    query(db, Stmt::new(SQL, vec![prefix.into(), limit.into()])).await
}

/// Replaces a stored secret with its sealed form, only if it is still the value that was read.
pub fn reseal_endpoint_secret(id: &str, old: &str, sealed: &str) -> Stmt {
    Stmt::new(
        "UPDATE webhook_endpoints SET secret = ?3 WHERE id = ?1 AND secret = ?2",
        vec![id.into(), old.into(), sealed.into()],
    )
}

pub fn disable_endpoint(brand_id: BrandId, id: &str, now: Millis) -> Stmt {
    Stmt::new(
        "UPDATE webhook_endpoints SET disabled_at = ?3 WHERE id = ?1 AND brand_id = ?2 AND disabled_at IS NULL",
        vec![id.into(), brand_id.into(), now.into()],
    )
}

pub fn enable_endpoint(brand_id: BrandId, id: &str) -> Stmt {
    Stmt::new(
        "UPDATE webhook_endpoints SET disabled_at = NULL WHERE id = ?1 AND brand_id = ?2 AND disabled_at IS NOT NULL",
        vec![id.into(), brand_id.into()],
    )
}

/// Deletes an endpoint with its delivery log: its attempts, then its deliveries (the foreign keys
/// point that way), then the endpoint itself, last, so an audit entry written "if changed" after
/// these statements records the endpoint's own deletion.
pub fn delete_endpoint(brand_id: BrandId, id: &str) -> Vec<Stmt> {
    vec![
        Stmt::new(
            "DELETE FROM webhook_attempts WHERE delivery_id IN
                (SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
                 WHERE e.id = ?1 AND e.brand_id = ?2)",
            vec![id.into(), brand_id.into()],
        ),
        Stmt::new(
            "DELETE FROM webhook_deliveries WHERE endpoint_id IN
                (SELECT id FROM webhook_endpoints WHERE id = ?1 AND brand_id = ?2)",
            vec![id.into(), brand_id.into()],
        ),
        Stmt::new(
            "DELETE FROM webhook_endpoints WHERE id = ?1 AND brand_id = ?2",
            vec![id.into(), brand_id.into()],
        ),
    ]
}

/// Queues one event for every live endpoint of the brand subscribed to its type. The envelope is
/// built here; each delivery gets its own id (its webhook-id).
pub fn enqueue_event(brand_id: BrandId, event_type: &str, envelope: &str, now: Millis) -> Stmt {
    Stmt::new(
        "INSERT INTO webhook_deliveries (id, endpoint_id, brand_id, event_type, payload, next_attempt_at, created_at)
         SELECT 'msg_' || lower(hex(randomblob(16))), e.id, e.brand_id, ?2, ?3, ?4, ?4
         FROM webhook_endpoints e
         WHERE e.brand_id = ?1 AND e.disabled_at IS NULL
           AND EXISTS (SELECT 1 FROM json_each(e.events) WHERE value = ?2)",
        vec![brand_id.into(), event_type.into(), envelope.into(), now.into()],
    )
}

/// `case.created` for every case in a JSON array of new cases (bulk filing): one statement.
pub fn enqueue_created(brand_id: BrandId, cases_json: &str, timestamp: &str, now: Millis) -> Stmt {
    Stmt::new(
        "INSERT INTO webhook_deliveries (id, endpoint_id, brand_id, event_type, payload, next_attempt_at, created_at)
         SELECT 'msg_' || lower(hex(randomblob(16))), e.id, e.brand_id, 'case.created',
                json_object('type', 'case.created', 'timestamp', ?3, 'data', json_object(
                    'case_id', json_extract(c.value, '$.id'), 'brand_id', e.brand_id,
                    'listing_id', json_extract(c.value, '$.listing_id'), 'origin', json_extract(c.value, '$.origin'),
                    'status', json_extract(c.value, '$.status'))),
                ?4, ?4
         FROM json_each(?2) c, webhook_endpoints e
         WHERE e.brand_id = ?1 AND e.disabled_at IS NULL
           AND EXISTS (SELECT 1 FROM json_each(e.events) WHERE value = 'case.created')",
        vec![brand_id.into(), cases_json.into(), timestamp.into(), now.into()],
    )
}

#[derive(Debug, Clone, Deserialize)]
pub struct DeliveryRecord {
    pub id: String,
    pub endpoint_id: String,
    pub brand_id: BrandId,
    pub event_type: String,
    pub payload: String,
    pub state: String,
    pub attempts: i64,
    pub next_attempt_at: Millis,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: Millis,
    pub delivered_at: Option<Millis>,
    pub url: String,
    pub secret: String,
}

macro_rules! delivery_select {
    ($tail:literal) => {
        concat!(
            "SELECT d.id, d.endpoint_id, d.brand_id, d.event_type, d.payload, d.state, d.attempts, d.next_attempt_at,
                    d.last_status, d.last_error, d.created_at, d.delivered_at, e.url, e.secret
             FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id ",
            $tail
        )
    };
}

pub async fn deliveries(
    db: &impl Db,
    brand_id: BrandId,
    endpoint_id: &str,
    limit: i64,
) -> Result<Vec<DeliveryRecord>> {
    query(db, deliveries_stmt(brand_id, endpoint_id, limit)).await
}

pub fn deliveries_stmt(brand_id: BrandId, endpoint_id: &str, limit: i64) -> Stmt {
    const SQL: &str = delivery_select!(
        "WHERE d.brand_id = ?1 AND d.endpoint_id = ?2 ORDER BY d.created_at DESC LIMIT ?3"
    );
    Stmt::new(SQL, vec![brand_id.into(), endpoint_id.into(), limit.into()])
}

pub async fn delivery(db: &impl Db, brand_id: BrandId, id: &str) -> Result<Option<DeliveryRecord>> {
    const SQL: &str = delivery_select!("WHERE d.id = ?1 AND d.brand_id = ?2");
    query_one(db, Stmt::new(SQL, vec![id.into(), brand_id.into()])).await
}

pub fn lease_due_deliveries(owner: &str, now: Millis, lease_until: Millis, limit: i64) -> Stmt {
    Stmt::new(
        "UPDATE webhook_deliveries SET lease_owner = ?1, lease_until = ?3
         WHERE id IN (SELECT id FROM webhook_deliveries
                      WHERE state = 'pending' AND next_attempt_at <= ?2 AND lease_until <= ?2
                      ORDER BY next_attempt_at LIMIT ?4)",
        vec![owner.into(), now.into(), lease_until.into(), limit.into()],
    )
}

pub async fn leased_deliveries(
    db: &impl Db,
    owner: &str,
    now: Millis,
) -> Result<Vec<DeliveryRecord>> {
    query(db, leased_deliveries_stmt(owner, now)).await
}

pub fn leased_deliveries_stmt(owner: &str, now: Millis) -> Stmt {
    const SQL: &str =
        delivery_select!("WHERE d.lease_owner = ?1 AND d.lease_until > ?2 AND d.state = 'pending'");
    Stmt::new(SQL, vec![owner.into(), now.into()])
}

/// Records one attempt and its outcome: delivered, retry at `next`, or failed for good.
pub fn record_attempt(
    id: &str,
    owner: &str,
    status: Option<i64>,
    error: Option<&str>,
    delivered: bool,
    next: Option<Millis>,
    now: Millis,
) -> Vec<Stmt> {
    vec![
        // Only while the delivery is still there: its endpoint may have been deleted (with its
        // log) while the request was out.
        Stmt::new(
            "INSERT INTO webhook_attempts (delivery_id, at, status, error)
             SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM webhook_deliveries WHERE id = ?1)",
            vec![id.into(), now.into(), status.into(), error.into()],
        ),
        Stmt::new(
            "UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = ?3, last_error = ?4, lease_until = 0,
                    state = CASE WHEN ?5 = 1 THEN 'delivered' WHEN ?6 IS NULL THEN 'failed' ELSE 'pending' END,
                    delivered_at = CASE WHEN ?5 = 1 THEN ?7 ELSE delivered_at END,
                    next_attempt_at = coalesce(?6, next_attempt_at)
             WHERE id = ?1 AND lease_owner = ?2",
            vec![id.into(), owner.into(), status.into(), error.into(), delivered.into(), next.into(), now.into()],
        ),
    ]
}

/// Sends a delivery again at once; only one tried already (a never-tried one is due on its own).
pub fn redeliver(brand_id: BrandId, id: &str, now: Millis) -> Stmt {
    Stmt::new(
        "UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = ?3, lease_until = 0
         WHERE id = ?1 AND brand_id = ?2 AND attempts > 0",
        vec![id.into(), brand_id.into(), now.into()],
    )
}

#[derive(Debug, Clone, Deserialize)]
pub struct AttemptRecord {
    pub delivery_id: String,
    pub at: Millis,
    pub status: Option<i64>,
    pub error: Option<String>,
}

pub async fn attempts_of_endpoint(
    db: &impl Db,
    endpoint_id: &str,
    limit: i64,
) -> Result<Vec<AttemptRecord>> {
    query(db, attempts_of_endpoint_stmt(endpoint_id, limit)).await
}

pub fn attempts_of_endpoint_stmt(endpoint_id: &str, limit: i64) -> Stmt {
    const SQL: &str = "SELECT a.delivery_id, a.at, a.status, a.error FROM webhook_attempts a
        JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.endpoint_id = ?1 ORDER BY a.at DESC LIMIT ?2";
    Stmt::new(SQL, vec![endpoint_id.into(), limit.into()])
}

// ---------------------------------------------------------------- reminders

#[derive(Debug, Clone, Deserialize)]
pub struct DueCase {
    pub id: CaseId,
    pub brand_id: BrandId,
    pub listing_id: String,
    pub title: String,
    pub status: crate::case::Status,
    pub deadline_at: Millis,
}

/// Open cases of a brand in `status` whose deadline falls before `until`.
pub async fn due_cases(
    db: &impl Db,
    brand_id: BrandId,
    status: &str,
    until: Millis,
) -> Result<Vec<DueCase>> {
    query(db, due_cases_stmt(brand_id, status, until)).await
}

pub fn due_cases_stmt(brand_id: BrandId, status: &str, until: Millis) -> Stmt {
    const SQL: &str = "SELECT id, brand_id, listing_id, title, status, deadline_at FROM cases
        WHERE brand_id = ?1 AND status = ?2 AND deadline_at IS NOT NULL AND deadline_at <= ?3 ORDER BY deadline_at";
    Stmt::new(SQL, vec![brand_id.into(), status.into(), until.into()])
}

/// Deadlines (any brand) within `until` not yet announced by `deadline.approaching`.
pub async fn unannounced_deadlines(
    db: &impl Db,
    until: Millis,
    limit: i64,
) -> Result<Vec<DueCase>> {
    query(db, unannounced_deadlines_stmt(until, limit)).await
}

pub fn unannounced_deadlines_stmt(until: Millis, limit: i64) -> Stmt {
    const SQL: &str = "SELECT c.id, c.brand_id, c.listing_id, c.title, c.status, c.deadline_at FROM cases c
        WHERE c.status IN ('awaiting_brand', 'appealed') AND c.deadline_at IS NOT NULL AND c.deadline_at <= ?1
          AND NOT EXISTS (SELECT 1 FROM deadline_notices n WHERE n.case_id = c.id AND n.deadline_at = c.deadline_at)
        ORDER BY c.deadline_at LIMIT ?2";
    Stmt::new(SQL, vec![until.into(), limit.into()])
}

/// Records a deadline as announced. No `ON CONFLICT`: a second announcement of the same deadline
/// breaks the primary key, and its batch (with its deliveries) fails whole.
pub fn mark_deadline_announced(case_id: CaseId, deadline_at: Millis, now: Millis) -> Stmt {
    Stmt::new(
        "INSERT INTO deadline_notices (case_id, deadline_at, sent_at) VALUES (?1, ?2, ?3)",
        vec![case_id.into(), deadline_at.into(), now.into()],
    )
}

// ---------------------------------------------------------------- repeat infringers

/// Flags the seller once it has `threshold` upheld cases since `since` (across brands): runs in
/// the batch that upholds a case, so the count includes it. Flagged once: `flagged_at IS NULL`.
pub fn flag_repeat_seller(
    seller_id: &str,
    since: Millis,
    threshold: i64,
    action_id: &str,
    now: Millis,
) -> Stmt {
    Stmt::new(
        "UPDATE sellers SET flagged_at = ?4, flag_action_id = ?5
         WHERE id = ?1 AND flagged_at IS NULL
           AND (SELECT count(*) FROM cases WHERE seller_id = ?1 AND status = 'upheld' AND decided_at >= ?2) >= ?3",
        vec![seller_id.into(), since.into(), threshold.into(), now.into(), action_id.into()],
    )
}

/// The `seller.flagged` action, written only if the statement before flagged the seller just now.
pub fn seller_flagged_action(action_id: &str, seller_id: &str, payload: &str, now: Millis) -> Stmt {
    Stmt::new(
        "INSERT INTO outbox (id, kind, payload, next_attempt_at, created_at)
         SELECT ?1, 'seller.flagged', json_set(?3, '$.upheld_cases',
                    (SELECT count(*) FROM cases WHERE seller_id = ?2 AND status = 'upheld')), ?4, ?4
         WHERE EXISTS (SELECT 1 FROM sellers WHERE id = ?2 AND flag_action_id = ?1)",
        vec![
            action_id.into(),
            seller_id.into(),
            payload.into(),
            now.into(),
        ],
    )
}

#[derive(Debug, Clone, Deserialize)]
pub struct SellerRecord {
    pub id: String,
    pub name: String,
    pub flagged_at: Option<Millis>,
}

pub async fn seller(db: &impl Db, id: &str) -> Result<Option<SellerRecord>> {
    const SQL: &str = "SELECT id, name, flagged_at FROM sellers WHERE id = ?1";
    query_one(db, Stmt::new(SQL, vec![id.into()])).await
}

/// A seller's cases: of one brand, or of every brand (staff) when `brand` is None.
pub async fn seller_cases(
    db: &impl Db,
    seller_id: &str,
    brand: Option<BrandId>,
    limit: i64,
) -> Result<Vec<super::CaseRow>> {
    query(db, seller_cases_stmt(seller_id, brand, limit)).await
}

pub fn seller_cases_stmt(seller_id: &str, brand: Option<BrandId>, limit: i64) -> Stmt {
    const SQL: &str = "SELECT c.id, c.brand_id, b.name AS brand_name, c.listing_id, c.title, c.seller_id, c.seller_name,
                c.origin, c.status, c.version, c.reason_code, c.deadline_at, c.created_at, c.updated_at, c.snapshot, c.detection
         FROM cases c JOIN brands b ON b.id = c.brand_id
         WHERE c.seller_id = ?1 AND (?2 IS NULL OR c.brand_id = ?2)
         ORDER BY c.created_at DESC LIMIT ?3";
    Stmt::new(SQL, vec![seller_id.into(), brand.into(), limit.into()])
}
