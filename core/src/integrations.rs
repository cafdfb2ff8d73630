//! Brand integrations: API keys that act for one brand, outgoing signed webhooks with a delivery
//! log, the reminders bell, and the seller page.

use crate::access::{self, Action, Actor, KeyScope, StaffArea};
use crate::api::*;
use crate::audit::{self, AuditEntry, AuditKind, Subject};
use crate::case::Status;
use crate::clock::{Millis, DAY, HOUR, MINUTE};
use crate::endpoint_address::EndpointUrl;
use crate::endpoint_secret::{SecretsKeys, PLAINTEXT_PREFIX};
use crate::identity::Deps;
use crate::ids::BrandId;
use crate::outbox::{backoff, rfc3339};
use crate::ports::{DeliveryFailure, WebhookClient};
use crate::reasons::Reason;
use crate::store::Db;
use crate::webhook::Secret;
use crate::{sql, token, Error, Result};

/// API keys look like `jfk_<43 characters>`.
pub const KEY_PREFIX: &str = "jfk_";
const MAX_DELIVERY_ATTEMPTS: i64 = 10;
const DELIVERY_CHUNK: i64 = 25;
/// Stored secrets re-sealed per cron run (one batch of updates).
const RESEAL_CHUNK: i64 = 50;
/// Keys record their last use at most this often.
const KEY_TOUCH_EVERY: Millis = MINUTE;

fn person_id(actor: &Actor) -> Result<crate::ids::UserId> {
    match actor {
        Actor::Person(p) => Ok(p.user_id),
        _ => Err(Error::Forbidden("only a person can do this".into())),
    }
}

fn key_view(k: sql::ApiKeyRecord) -> ApiKeyView {
    ApiKeyView {
        id: k.id,
        name: k.name,
        scope: k.scope,
        prefix: k.prefix,
        created_at: k.created_at,
        last_used_at: k.last_used_at,
        revoked_at: k.revoked_at,
        created_by: KeyMaker {
            id: k.created_by,
            display_name: k.maker_name,
            disabled: k.maker_disabled,
        },
    }
}

/// The actor for `Authorization: Bearer jfk_…`: unknown or revoked keys are anonymous (401).
pub async fn actor_for_key<D: Db>(deps: &Deps<'_, D>, secret: &str) -> Result<Actor> {
    if !secret.starts_with(KEY_PREFIX) {
        return Ok(Actor::Anonymous);
    }
    let Some(key) = sql::api_key_by_hash(deps.db, &token::digest(secret)).await? else {
        return Ok(Actor::Anonymous);
    };
    if key.revoked_at.is_some() {
        return Ok(Actor::Anonymous);
    }
    let now = deps.clock.now();
    if key.last_used_at.is_none_or(|t| now - t > KEY_TOUCH_EVERY) {
        deps.db
            .batch(vec![sql::touch_api_key(&key.id, now)])
            .await?;
    }
    let scope = if key.scope == "read_write" {
        KeyScope::ReadWrite
    } else {
        KeyScope::Read
    };
    Ok(Actor::ApiKey {
        brand_id: key.brand_id,
        scope,
    })
}

pub async fn list_keys<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
) -> Result<ApiKeyList> {
    access::authorize(actor, brand_id, Action::ManageApiKeys)?;
    Ok(ApiKeyList {
        keys: sql::api_keys(deps.db, brand_id)
            .await?
            .into_iter()
            .map(key_view)
            .collect(),
    })
}

pub async fn create_key<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
    req: CreateApiKeyRequest,
) -> Result<CreatedApiKey> {
    let capacity = access::authorize(actor, brand_id, Action::ManageApiKeys)?;
    let by = person_id(actor)?;
    let name = req.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(Error::invalid("name", Reason::Length { max: 100 }));
    }
    if !["read", "read_write"].contains(&req.scope.as_str()) {
        return Err(Error::invalid("scope", "must be read or read_write"));
    }
    let secret = format!("{KEY_PREFIX}{}", token::generate(deps.entropy));
    let id = deps.entropy.uuid().to_string();
    let prefix: String = secret.chars().take(KEY_PREFIX.len() + 6).collect();
    let now = deps.clock.now();
    deps.db
        .batch(vec![
            sql::insert_api_key(
                &id,
                brand_id,
                name,
                &req.scope,
                &token::digest(&secret),
                &prefix,
                by,
                now,
            ),
            AuditEntry::by(AuditKind::ApiKeyCreated, actor)
                .for_brand(brand_id, capacity)
                .subject(Subject::ApiKey, &id)
                .detail("name", name)
                .detail("scope", &req.scope)
                .stmt(deps),
        ])
        .await?;
    let key = sql::api_keys(deps.db, brand_id)
        .await?
        .into_iter()
        .find(|k| k.id == id)
        .ok_or(Error::NotFound)?;
    Ok(CreatedApiKey {
        key: key_view(key),
        secret,
    })
}

pub async fn revoke_key<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
    key_id: &str,
) -> Result<()> {
    let capacity = access::authorize(actor, brand_id, Action::ManageApiKeys)?;
    let key = sql::api_keys(deps.db, brand_id)
        .await?
        .into_iter()
        .find(|k| k.id == key_id)
        .ok_or(Error::NotFound)?;
    if key.revoked_at.is_some() {
        return Err(Error::conflict(Reason::KeyRevoked));
    }
    let entry = AuditEntry::by(AuditKind::ApiKeyRevoked, actor)
        .for_brand(brand_id, capacity)
        .subject(Subject::ApiKey, key_id);
    let revoke = sql::revoke_api_key(brand_id, key_id, deps.clock.now());
    audit::change_recorded(deps, revoke, &entry).await?;
    Ok(())
}

// ---------------------------------------------------------------- webhook endpoints

/// What registering endpoints and sending to them needs from the deployment.
pub struct WebhookSettings {
    /// `ALLOW_LOOPBACK_WEBHOOKS` (local development and the test stack only): receivers on
    /// http://127.0.0.1 are accepted.
    pub allow_loopback: bool,
    /// `ENDPOINT_SECRETS_KEY`: seals endpoint secrets at rest.
    pub keys: SecretsKeys,
}

/// Checks an endpoint address: https to a public host (see `endpoint_address`).
pub fn check_endpoint_url(raw: &str, allow_loopback: bool) -> Result<EndpointUrl> {
    EndpointUrl::parse(raw, allow_loopback)
}

fn endpoint_view(e: sql::EndpointRecord) -> EndpointView {
    EndpointView {
        events: serde_json::from_str(&e.events).unwrap_or_default(),
        id: e.id,
        url: e.url,
        created_at: e.created_at,
        disabled_at: e.disabled_at,
    }
}

pub async fn list_endpoints<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
) -> Result<EndpointList> {
    access::authorize(actor, brand_id, Action::ManageWebhooks)?;
    Ok(EndpointList {
        endpoints: sql::endpoints(deps.db, brand_id)
            .await?
            .into_iter()
            .map(endpoint_view)
            .collect(),
    })
}

pub async fn create_endpoint<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
    req: CreateEndpointRequest,
    settings: &WebhookSettings,
) -> Result<CreatedEndpoint> {
    let capacity = access::authorize(actor, brand_id, Action::ManageWebhooks)?;
    let by = person_id(actor)?;
    let url = check_endpoint_url(&req.url, settings.allow_loopback)?;
    if req.events.is_empty() {
        return Err(Error::invalid("events", Reason::ChooseEvent));
    }
    if let Some(bad) = req
        .events
        .iter()
        .find(|e| !WEBHOOK_EVENTS.contains(&e.as_str()))
    {
        return Err(Error::invalid(
            "events",
            format!(
                "{bad} is not an event; choose from {}",
                WEBHOOK_EVENTS.join(", ")
            ),
        ));
    }
    let mut events = req.events.clone();
    events.sort();
    events.dedup();
    let secret = Secret::from_bytes(&deps.entropy.bytes32());
    let id = deps.entropy.uuid().to_string();
    // Stored sealed and bound to this endpoint; the plaintext is in this one answer only.
    let sealed = settings.keys.seal(deps.entropy, &id, &secret)?;
    let now = deps.clock.now();
    let events_json = serde_json::to_string(&events)?;
    deps.db
        .batch(vec![
            sql::insert_endpoint(&id, brand_id, url.as_str(), &events_json, &sealed, by, now),
            AuditEntry::by(AuditKind::EndpointCreated, actor)
                .for_brand(brand_id, capacity)
                .subject(Subject::Endpoint, &id)
                .detail("url", url.as_str())
                .detail("events", &events)
                .stmt(deps),
        ])
        .await?;
    let endpoint = sql::endpoint(deps.db, brand_id, &id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(CreatedEndpoint {
        endpoint: endpoint_view(endpoint),
        secret: secret.encoded(),
    })
}

pub async fn disable_endpoint<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
    id: &str,
) -> Result<()> {
    let capacity = access::authorize(actor, brand_id, Action::ManageWebhooks)?;
    sql::endpoint(deps.db, brand_id, id)
        .await?
        .ok_or(Error::NotFound)?;
    let entry = AuditEntry::by(AuditKind::EndpointDisabled, actor)
        .for_brand(brand_id, capacity)
        .subject(Subject::Endpoint, id);
    // Disabling a disabled endpoint changes nothing and records nothing.
    let disable = sql::disable_endpoint(brand_id, id, deps.clock.now());
    audit::change_recorded(deps, disable, &entry).await?;
    Ok(())
}

/// Sends to a disabled endpoint again: events from now on (those it missed are not queued). Its
/// address is checked again before every send, as always.
pub async fn enable_endpoint<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
    id: &str,
) -> Result<()> {
    let capacity = access::authorize(actor, brand_id, Action::ManageWebhooks)?;
    sql::endpoint(deps.db, brand_id, id)
        .await?
        .ok_or(Error::NotFound)?;
    let entry = AuditEntry::by(AuditKind::EndpointEnabled, actor)
        .for_brand(brand_id, capacity)
        .subject(Subject::Endpoint, id);
    audit::change_recorded(deps, sql::enable_endpoint(brand_id, id), &entry).await?;
    Ok(())
}

/// Deletes an endpoint with its delivery log (deliveries and attempts) in one batch, audited. The
/// entry keeps the URL: once the endpoint is gone the log cannot name it otherwise.
pub async fn delete_endpoint<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
    id: &str,
) -> Result<()> {
    let capacity = access::authorize(actor, brand_id, Action::ManageWebhooks)?;
    let endpoint = sql::endpoint(deps.db, brand_id, id)
        .await?
        .ok_or(Error::NotFound)?;
    let events: Vec<String> = serde_json::from_str(&endpoint.events).unwrap_or_default();
    let (entry_id, entry) = AuditEntry::by(AuditKind::EndpointDeleted, actor)
        .for_brand(brand_id, capacity)
        .subject(Subject::Endpoint, id)
        .detail("url", &endpoint.url)
        .detail("events", &events)
        .stmt_if_changed(deps);
    let mut batch = sql::delete_endpoint(brand_id, id);
    // Last: written only if the endpoint's own DELETE, just before it, removed the row.
    batch.push(entry);
    deps.db.batch(batch).await?;
    // Deleted meanwhile by someone else: gone all the same, and their entry says so.
    if !sql::audit_recorded(deps.db, &entry_id).await? {
        return Err(Error::NotFound);
    }
    Ok(())
}

pub async fn delivery_log<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
    endpoint_id: &str,
) -> Result<DeliveryLog> {
    access::authorize(actor, brand_id, Action::ManageWebhooks)?;
    sql::endpoint(deps.db, brand_id, endpoint_id)
        .await?
        .ok_or(Error::NotFound)?;
    let attempts = sql::attempts_of_endpoint(deps.db, endpoint_id, 1000).await?;
    let deliveries = sql::deliveries(deps.db, brand_id, endpoint_id, 100)
        .await?
        .into_iter()
        .map(|d| DeliveryView {
            attempt_log: attempts
                .iter()
                .filter(|a| a.delivery_id == d.id)
                .map(|a| AttemptView {
                    at: a.at,
                    status: a.status,
                    error: a.error.clone(),
                })
                .collect(),
            id: d.id,
            event_type: d.event_type,
            state: d.state,
            attempts: d.attempts,
            last_status: d.last_status,
            last_error: d.last_error,
            next_attempt_at: d.next_attempt_at,
            created_at: d.created_at,
            delivered_at: d.delivered_at,
            // Stored as the JSON sent; anything else is shown as the text it is.
            payload: serde_json::from_str(&d.payload)
                .unwrap_or(serde_json::Value::String(d.payload)),
        })
        .collect();
    Ok(DeliveryLog { deliveries })
}

pub async fn redeliver<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
    delivery_id: &str,
) -> Result<()> {
    access::authorize(actor, brand_id, Action::ManageWebhooks)?;
    let delivery = sql::delivery(deps.db, brand_id, delivery_id)
        .await?
        .ok_or(Error::NotFound)?;
    // A delivery never tried is already due: "send again" would send it for the first time.
    if delivery.attempts == 0 {
        return Err(Error::conflict(Reason::DeliveryNotTried));
    }
    deps.db
        .batch(vec![sql::redeliver(
            brand_id,
            delivery_id,
            deps.clock.now(),
        )])
        .await
}

/// Sends due deliveries (signed per Standard Webhooks with each endpoint's secret), recording every
/// attempt; failures back off like the outbox and give up after 10 tries.
///
/// Each stored address is checked again before it is fetched (it may predate today's rules): one
/// that fails is not fetched and its delivery fails at once as `refused address`. The log keeps a
/// failure's class, never the network's words. A delivery whose secret is still plaintext waits
/// for the cron to seal it (its lease runs out and a later run sends it); one whose secret does
/// not open waits too, and the run answers an internal error naming it once the others are sent.
pub async fn deliver_webhooks<D: Db>(
    deps: &Deps<'_, D>,
    client: &impl WebhookClient,
    settings: &WebhookSettings,
) -> Result<usize> {
    let now = deps.clock.now();
    let owner = deps.entropy.uuid().to_string();
    deps.db
        .batch(vec![sql::lease_due_deliveries(
            &owner,
            now,
            now + 2 * MINUTE,
            DELIVERY_CHUNK,
        )])
        .await?;
    let mut delivered = 0;
    let mut unopened: Option<Error> = None;
    for d in sql::leased_deliveries(deps.db, &owner, now).await? {
        let outcome = match EndpointUrl::parse(&d.url, settings.allow_loopback) {
            Err(_) => Err(DeliveryFailure::RefusedAddress),
            Ok(url) => {
                if d.secret.starts_with(PLAINTEXT_PREFIX) {
                    continue;
                }
                let secret = match settings.keys.open(&d.endpoint_id, &d.secret) {
                    Ok(secret) => secret,
                    Err(e) => {
                        unopened.get_or_insert(e);
                        continue;
                    }
                };
                // The signature uses the real time of sending; receivers check it against theirs.
                let ts = deps.clock.now() / 1000;
                let headers = [
                    ("content-type", "application/json".to_owned()),
                    ("webhook-id", d.id.clone()),
                    ("webhook-timestamp", ts.to_string()),
                    (
                        "webhook-signature",
                        secret.sign(&d.id, ts, d.payload.as_bytes()),
                    ),
                ];
                client.post(url.as_str(), &headers, &d.payload).await
            }
        };
        let (status, failure) = match outcome {
            Ok(code) => (Some(code as i64), DeliveryFailure::of_status(code)),
            Err(f) => (None, Some(f)),
        };
        let ok = failure.is_none();
        let attempts = d.attempts + 1;
        // A refused address stays refused: trying again would not help.
        let retry = !ok
            && attempts < MAX_DELIVERY_ATTEMPTS
            && failure != Some(DeliveryFailure::RefusedAddress);
        let next = retry.then(|| deps.clock.now() + backoff(attempts));
        deps.db
            .batch(sql::record_attempt(
                &d.id,
                &owner,
                status,
                failure.map(DeliveryFailure::as_str),
                ok,
                next,
                deps.clock.now(),
            ))
            .await?;
        delivered += ok as usize;
    }
    match unopened {
        Some(e) => Err(e),
        None => Ok(delivered),
    }
}

/// What one run of [`seal_endpoint_secrets`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Sealing {
    /// Secrets now sealed under the current key (plaintext ones, or ones under an older key).
    pub sealed: usize,
    /// Secrets that did not open (sealed under a key no longer configured, or damaged).
    pub unreadable: usize,
}

/// The cron's step that seals endpoint secrets still stored as plaintext (`whsec_…`, from before
/// secrets were sealed) or under an older key (after a rotation), a chunk per run. A row changed
/// meanwhile is left alone (the update names the old value).
pub async fn seal_endpoint_secrets<D: Db>(
    deps: &Deps<'_, D>,
    keys: &SecretsKeys,
) -> Result<Sealing> {
    let prefix = keys.current_prefix();
    let mut report = Sealing::default();
    let mut updates = Vec::new();
    for row in sql::secrets_not_sealed_under(deps.db, &prefix, RESEAL_CHUNK).await? {
        match keys.reseal(deps.entropy, &row.id, &row.secret) {
            Ok(sealed) => updates.push(sql::reseal_endpoint_secret(&row.id, &row.secret, &sealed)),
            Err(_) => report.unreadable += 1,
        }
    }
    report.sealed = updates.len();
    if !updates.is_empty() {
        deps.db.batch(updates).await?;
    }
    Ok(report)
}

/// Queues `deadline.approaching` for deadlines within the next day (once per deadline).
pub async fn announce_deadlines<D: Db>(deps: &Deps<'_, D>) -> Result<usize> {
    let now = deps.clock.now();
    let due = sql::unannounced_deadlines(deps.db, now + DAY, 100).await?;
    let mut announced = 0;
    for c in &due {
        let envelope = serde_json::json!({ "type": "deadline.approaching", "timestamp": rfc3339(now), "data": {
            "case_id": c.id, "brand_id": c.brand_id, "listing_id": c.listing_id, "status": c.status, "deadline_at": c.deadline_at } });
        // The notice's primary key decides: of two runs announcing one deadline at once (runs
        // overlap), the second's batch fails whole, so the brand is told once.
        match deps
            .db
            .batch(vec![
                sql::mark_deadline_announced(c.id, c.deadline_at, now),
                sql::enqueue_event(
                    c.brand_id,
                    "deadline.approaching",
                    &envelope.to_string(),
                    now,
                ),
            ])
            .await
        {
            Ok(()) => announced += 1,
            Err(Error::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(announced)
}

// ---------------------------------------------------------------- reminders and sellers

/// The bell: appeals due within 24 hours, confirmations due within 48, rights expiring within 30 days.
pub async fn reminders<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
) -> Result<Reminders> {
    access::authorize(actor, brand_id, Action::ViewBrand)?;
    let now = deps.clock.now();
    let mut reminders = Vec::new();
    for (status, within, kind) in [
        (Status::Appealed, 24 * HOUR, "appeal_due"),
        (Status::AwaitingBrand, 48 * HOUR, "confirmation_due"),
    ] {
        for c in sql::due_cases(deps.db, brand_id, status.as_str(), now + within).await? {
            reminders.push(Reminder {
                kind: kind.into(),
                due_at: c.deadline_at,
                case_id: Some(c.id),
                right_id: None,
                title: c.title,
            });
        }
    }
    for r in sql::ip_rights(deps.db, brand_id).await? {
        if let Some(expires) = r.expires_at.filter(|e| *e > now && *e <= now + 30 * DAY) {
            reminders.push(Reminder {
                kind: "right_expiring".into(),
                due_at: expires,
                case_id: None,
                right_id: Some(r.id),
                title: format!("{} {}", r.registration_number, r.jurisdiction),
            });
        }
    }
    reminders.sort_by_key(|r| r.due_at);
    Ok(Reminders { reminders })
}

/// A seller as a brand sees it (its own cases only) or as staff see it (all cases).
pub async fn seller_page<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: Option<BrandId>,
    seller_id: &str,
) -> Result<SellerView> {
    match brand_id {
        Some(b) => {
            access::authorize(actor, b, Action::ViewBrand)?;
        }
        None => {
            access::authorize_staff(actor, StaffArea::Manager)?;
        }
    }
    let seller = sql::seller(deps.db, seller_id)
        .await?
        .ok_or(Error::NotFound)?;
    let now = deps.clock.now();
    let mut rows = sql::seller_cases(deps.db, seller_id, brand_id, 500).await?;
    // An account manager sees the brands they look after; operators every brand.
    if brand_id.is_none() {
        if let Actor::Person(p) = actor {
            if p.staff_role == Some(crate::types::StaffRole::AccountManager) {
                rows.retain(|r| p.managed_brands.contains(&r.brand_id));
            }
        }
    }
    if brand_id.is_some() && rows.is_empty() {
        // A brand learns nothing about sellers it has no case against.
        return Err(Error::NotFound);
    }
    let cases = rows
        .iter()
        .map(|r| crate::cases::case_summary_of_row(r, now))
        .collect();
    Ok(SellerView {
        seller_id: seller.id,
        name: seller.name,
        repeat_infringer: seller.flagged_at.is_some(),
        flagged_at: seller.flagged_at,
        cases,
    })
}
