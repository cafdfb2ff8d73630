//! The marketplace link, inbound: signed webhook events are checked, stored raw, then applied;
//! what cannot be applied becomes a dead letter with its reason, for operators to inspect.
//!
//! This module uses cases/, never the reverse: it moves cases through `cases::transitions` (which
//! does not know this module), and the appeal it stores on a case is `listing::Appeal`, which the
//! case file reads from there (a test in `cases/mod.rs` fails if cases/ names this module).

use crate::access::{self, Actor, StaffArea};
use crate::api::{DeadLetter, DeadLetterRetried, DeadLetters, Detection, ReasonRequest};
use crate::audit::{self, AuditEntry, AuditKind, Subject};
use crate::case::{Origin, Status, Transition};
use crate::cases::transitions::{apply_transition, deadline_for};
use crate::clock::MINUTE;
use crate::history::{Mover, Note, NoteCode};
use crate::identity::Deps;
use crate::ids::{ActionId, CaseId};
pub use crate::listing::Appeal;
use crate::listing::Snapshot;
use crate::reasons::Reason;
use crate::sql;
use crate::store::{Db, Rows, Stmt};
use crate::types::ProgrammeStatus;
use crate::{Error, Result};
use serde_json::Value;

/// Largest webhook body accepted.
pub const MAX_BODY: usize = 256 * 1024;
const MARKETPLACE: Mover = Mover::MARKETPLACE;

/// A known event, its data checked field by field.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    ListingFlagged {
        brand_ref: String,
        listing: Snapshot,
        detection: Detection,
    },
    ListingUpdated {
        listing: Snapshot,
    },
    ListingRemoved {
        listing_id: String,
        reason: String,
    },
    TakedownCompleted {
        action_id: String,
        listing_id: String,
    },
    TakedownFailed {
        action_id: String,
        listing_id: String,
        reason: String,
    },
    AppealFiled(Appeal),
    ShopVerified {
        brand_ref: String,
        shop_id: String,
    },
    /// A type this version does not know: stored, then dead-lettered.
    Unknown(String),
}

fn field<T: serde::de::DeserializeOwned>(data: &Value, name: &str) -> Result<T> {
    let v = data
        .get(name)
        .ok_or_else(|| Error::invalid(format!("data.{name}"), "is missing"))?;
    serde_path_to_error::deserialize(v.clone())
        .map_err(|e| crate::api::field_error(&format!("data.{name}"), e))
}

/// Checks an envelope `{type, timestamp, data}` and the data of known types (400 names the field).
pub fn parse(body: &[u8]) -> Result<(String, Event)> {
    let v: Value = serde_json::from_slice(body)
        .map_err(|e| Error::invalid("body", format!("is not JSON ({e})")))?;
    let kind = match v.get("type") {
        Some(Value::String(t)) if !t.is_empty() => t.clone(),
        Some(_) => return Err(Error::invalid("type", "must be a string")),
        None => return Err(Error::invalid("type", "is missing")),
    };
    let data = match v.get("data") {
        Some(d @ Value::Object(_)) => d,
        Some(_) => return Err(Error::invalid("data", "must be an object")),
        None => return Err(Error::invalid("data", "is missing")),
    };
    let event = match kind.as_str() {
        "listing.flagged" => {
            let listing: Snapshot = field(data, "listing")?;
            listing.validate("data.listing")?;
            let detection: Detection = field(data, "detection")?;
            if !(0.0..=1.0).contains(&detection.score) {
                return Err(Error::invalid(
                    "data.detection.score",
                    "must be between 0 and 1",
                ));
            }
            Event::ListingFlagged {
                brand_ref: field(data, "brand_ref")?,
                listing,
                detection,
            }
        }
        "listing.updated" => {
            let listing: Snapshot = field(data, "listing")?;
            listing.validate("data.listing")?;
            Event::ListingUpdated { listing }
        }
        "listing.removed" => {
            let reason: String = field(data, "reason")?;
            if !["seller_deleted", "policy", "other"].contains(&reason.as_str()) {
                return Err(Error::invalid(
                    "data.reason",
                    "must be seller_deleted, policy or other",
                ));
            }
            Event::ListingRemoved {
                listing_id: field(data, "listing_id")?,
                reason,
            }
        }
        "takedown.completed" => Event::TakedownCompleted {
            action_id: field(data, "action_id")?,
            listing_id: field(data, "listing_id")?,
        },
        "takedown.failed" => Event::TakedownFailed {
            action_id: field(data, "action_id")?,
            listing_id: field(data, "listing_id")?,
            reason: field(data, "reason")?,
        },
        "appeal.filed" => Event::AppealFiled(Appeal {
            appeal_id: field(data, "appeal_id")?,
            brand_ref: field(data, "brand_ref")?,
            listing_id: field(data, "listing_id")?,
            seller: field(data, "seller")?,
            statement: field(data, "statement")?,
            evidence_urls: field(data, "evidence_urls")?,
        }),
        "shop.verified" => Event::ShopVerified {
            brand_ref: field(data, "brand_ref")?,
            shop_id: field(data, "shop_id")?,
        },
        _ => Event::Unknown(kind.clone()),
    };
    Ok((kind, event))
}

/// What became of a received event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Receipt {
    Applied,
    /// Stored earlier under the same webhook-id: nothing done.
    Duplicate,
    DeadLetter(String),
    /// Stored; applying failed for a passing reason and the cron will retry.
    Stored,
}

impl Receipt {
    /// The webhook's answer: `applied`, `duplicate`, `stored` or `dead letter: <why>`.
    pub fn outcome(&self) -> String {
        match self {
            Receipt::Applied => "applied".into(),
            Receipt::Duplicate => "duplicate".into(),
            Receipt::Stored => "stored".into(),
            Receipt::DeadLetter(reason) => format!("dead letter: {reason}"),
        }
    }
}

/// Why an event cannot be applied (it becomes a dead letter).
struct Dead(String);

/// What applying an event produced: actions to send at once.
type Applied = std::result::Result<Vec<ActionId>, Dead>;

/// Stores a checked event, then applies it. Returns the receipt and actions to send.
pub async fn receive<D: Db>(
    deps: &Deps<'_, D>,
    webhook_id: &str,
    body: &[u8],
) -> Result<(Receipt, Vec<ActionId>)> {
    let (kind, event) = parse(body)?;
    if webhook_id.is_empty() || webhook_id.len() > 200 {
        return Err(Error::invalid("webhook-id", Reason::Length { max: 200 }));
    }
    let text = String::from_utf8_lossy(body).into_owned();
    let now = deps.clock.now();
    // The insert decides, not an earlier read: of two deliveries of one id arriving at once, only
    // the one whose insert stored the row applies the event.
    if let Event::ListingFlagged {
        brand_ref, listing, ..
    } = &event
    {
        // The flag's own lookup rides in the same round trip as the store (ingestion is bound by
        // round trips to D1, bench/SCALE.md); it reads the state the application will write on,
        // as a lookup after the store would.
        let mut rows = deps
            .db
            .all_of(vec![
                sql::store_new_inbound(webhook_id, &kind, &text, now),
                sql::listing_target_stmt(brand_ref, &listing.listing_id),
            ])
            .await?
            .into_iter();
        let stored = !rows.next().map_or(Ok(true), |r| r.is_empty())?;
        let target = sql::listing_target_of(rows.next().unwrap_or_else(Rows::none))?;
        if !stored {
            return Ok((Receipt::Duplicate, Vec::new()));
        }
        return settle(deps, webhook_id, event, Some(target)).await;
    }
    let stored = deps
        .db
        .execute(sql::store_inbound(webhook_id, &kind, &text, now))
        .await?;
    if stored == 0 {
        return Ok((Receipt::Duplicate, Vec::new()));
    }
    settle(deps, webhook_id, event, None).await
}

/// What a flag's lookup found, when it was read with the store (`None`: not read yet).
type Looked = Option<Option<sql::ListingTarget>>;

async fn settle<D: Db>(
    deps: &Deps<'_, D>,
    webhook_id: &str,
    event: Event,
    looked: Looked,
) -> Result<(Receipt, Vec<ActionId>)> {
    // Every application writes this in its own last batch, so a crash can never leave an event
    // applied but still `stored` for the cron to apply a second time (a listing's removal moves
    // its cases in several batches and marks it after the last: it is harmless to apply again).
    // No batch of its own after that: it would be one more round trip per event, for nothing.
    let applied = sql::mark_inbound_applied(webhook_id, deps.clock.now());
    match apply(deps, event, &applied, looked).await {
        Ok(Ok(actions)) => Ok((Receipt::Applied, actions)),
        Ok(Err(Dead(reason))) => {
            deps.db
                .batch(vec![sql::mark_inbound_dead(webhook_id, &reason)])
                .await?;
            Ok((Receipt::DeadLetter(reason), Vec::new()))
        }
        // A passing failure (a lost race, storage trouble): the event stays stored for the cron.
        Err(Error::Conflict(_)) => Ok((Receipt::Stored, Vec::new())),
        Err(e) => Err(e),
    }
}

/// Applies an event. Whatever applies it (`Ok(Ok(_))`) has `applied` in its last batch: `settle`
/// writes no mark of its own.
async fn apply<D: Db>(
    deps: &Deps<'_, D>,
    event: Event,
    applied: &Stmt,
    looked: Looked,
) -> Result<Applied> {
    let now = deps.clock.now();
    match event {
        Event::Unknown(kind) => Ok(Err(Dead(format!("unknown event type {kind}")))),
        Event::ListingFlagged {
            brand_ref,
            listing,
            detection,
        } => flagged(deps, &brand_ref, listing, detection, applied, looked).await,
        Event::ListingUpdated { listing } => {
            if sql::listing(deps.db, &listing.listing_id).await?.is_none()
                && sql::open_cases_of_listing(deps.db, &listing.listing_id)
                    .await?
                    .is_empty()
            {
                return Ok(Err(Dead(format!("unknown listing {}", listing.listing_id))));
            }
            let json = serde_json::to_string(&listing)?;
            let mut stmts = sql::upsert_listings(&format!("[{json}]"), now);
            stmts.push(sql::fill_pending_snapshots(
                &listing.listing_id,
                &json,
                &listing.title,
                &listing.seller.seller_id,
                &listing.seller.name,
            ));
            stmts.push(applied.clone());
            deps.db.batch(stmts).await?;
            Ok(Ok(Vec::new()))
        }
        Event::ListingRemoved { listing_id, reason } => {
            let cases = sql::open_cases_of_listing(deps.db, &listing_id).await?;
            if sql::listing(deps.db, &listing_id).await?.is_none() && cases.is_empty() {
                return Ok(Err(Dead(format!("unknown listing {listing_id}"))));
            }
            deps.db
                .batch(vec![sql::mark_listing_removed(&listing_id, &reason, now)])
                .await?;
            let note = Note::coded(NoteCode::ListingRemoved, &[&reason]);
            for c in cases
                .iter()
                .filter(|c| crate::case::next(c.status, Transition::ListingRemoved).is_some())
            {
                apply_transition(
                    deps,
                    c,
                    "",
                    Transition::ListingRemoved,
                    &MARKETPLACE,
                    Some(&note),
                    vec![],
                )
                .await?;
            }
            deps.db.batch(vec![applied.clone()]).await?;
            Ok(Ok(Vec::new()))
        }
        Event::TakedownCompleted { action_id, .. } => {
            takedown_answer(
                deps,
                &action_id,
                Transition::TakedownCompleted,
                None,
                applied,
            )
            .await
        }
        Event::TakedownFailed {
            action_id, reason, ..
        } => {
            takedown_answer(
                deps,
                &action_id,
                Transition::TakedownFailed,
                Some(&reason),
                applied,
            )
            .await
        }
        Event::ShopVerified { brand_ref, shop_id } => {
            let Some(brand) = sql::brand_by_ref(deps.db, &brand_ref).await? else {
                return Ok(Err(Dead(format!("unknown brand {brand_ref}"))));
            };
            deps.db
                .batch(vec![sql::set_shop(brand.id, &shop_id), applied.clone()])
                .await?;
            Ok(Ok(Vec::new()))
        }
        Event::AppealFiled(appeal) => appeal_filed(deps, appeal, applied).await,
    }
}

async fn flagged<D: Db>(
    deps: &Deps<'_, D>,
    brand_ref: &str,
    listing: Snapshot,
    detection: Detection,
    applied: &Stmt,
    looked: Looked,
) -> Result<Applied> {
    let now = deps.clock.now();
    // The brand and the listing's open case in one statement (read with the store already when
    // the event just arrived): ingestion's throughput is bound by round trips to D1, not by the
    // statements' own work (bench/SCALE.md).
    let target = match looked {
        Some(target) => target,
        None => sql::listing_target(deps.db, brand_ref, &listing.listing_id).await?,
    };
    let Some(target) = target else {
        return Ok(Err(Dead(format!("unknown brand {brand_ref}"))));
    };
    let brand = target.brand;
    if brand.programme_status != ProgrammeStatus::Enrolled {
        return Ok(Err(Dead(format!("brand {brand_ref} is not enrolled"))));
    }
    let snapshot_json = serde_json::to_string(&listing)?;
    let detection_json = serde_json::to_string(&detection)?;
    let mut stmts = sql::upsert_listings(&format!("[{snapshot_json}]"), now);
    let note = Note::coded(
        NoteCode::Detection,
        &[
            &format!("{:.2}", detection.score),
            &detection.signals.join(", "),
        ],
    );
    if let Some(open) = target.open_case {
        // A second flag adds to the open case instead of opening another.
        stmts.extend(sql::note_on_case(
            &open,
            "detection",
            &MARKETPLACE,
            Some(&note),
            now,
        ));
        stmts.push(sql::set_case_detection(open.id, &detection_json));
        stmts.push(applied.clone());
        deps.db.batch(stmts).await?;
        return Ok(Ok(Vec::new()));
    }
    let case = sql::NewCase {
        id: CaseId(deps.entropy.uuid()),
        listing_id: listing.listing_id.clone(),
        origin: Origin::Detection.as_str(),
        status: Status::AwaitingBrand.as_str(),
        lane: None,
        ip_right_id: None,
        reason_code: None,
        statement: None,
        evidence_urls: "[]".into(),
        snapshot: Some(snapshot_json),
        title: listing.title.clone(),
        seller_id: Some(listing.seller.seller_id.clone()),
        seller_name: listing.seller.name.clone(),
        detection: Some(detection_json),
        deadline_at: deadline_for(Status::AwaitingBrand, now),
        event_kind: "flagged",
        event_note: Some(note),
    };
    let json = serde_json::to_string(&[case])?;
    stmts.extend(sql::insert_cases(brand.id, &json, &MARKETPLACE, now));
    stmts.push(
        AuditEntry::by_mover(AuditKind::CaseMoved, &MARKETPLACE, brand.id)
            .stmt_for_new_cases(deps, &json),
    );
    stmts.push(sql::enqueue_created(
        brand.id,
        &json,
        &crate::outbox::rfc3339(now),
        now,
    ));
    stmts.push(applied.clone());
    deps.db.batch(stmts).await?;
    Ok(Ok(Vec::new()))
}

async fn takedown_answer<D: Db>(
    deps: &Deps<'_, D>,
    action_id: &str,
    t: Transition,
    reason: Option<&str>,
    applied: &Stmt,
) -> Result<Applied> {
    let Ok(id) = ActionId::parse(action_id) else {
        return Ok(Err(Dead(format!("unknown action {action_id}"))));
    };
    let Some(action) = sql::action(deps.db, id)
        .await?
        .filter(|a| a.kind == "listing.takedown")
    else {
        return Ok(Err(Dead(format!("unknown takedown action {action_id}"))));
    };
    let Some(case) = action.case_id else {
        return Ok(Err(Dead("takedown action without a case".into())));
    };
    let Some(c) = sql::case_by_id(deps.db, case).await? else {
        return Ok(Err(Dead(format!("unknown case {case}"))));
    };
    let note = reason.map(|r| Note::coded(NoteCode::TakedownFailed, &[r]));
    if c.status == Status::TakedownRequested {
        let extra = vec![applied.clone()];
        apply_transition(deps, &c, "", t, &MARKETPLACE, note.as_ref(), extra).await?;
    } else {
        // The answer came after the case moved on (an appeal arrived first): recorded, no move.
        let note = note.unwrap_or_else(|| Note::coded(NoteCode::TakedownConfirmed, &[]));
        let mut stmts =
            sql::note_on_case(&c, t.as_str(), &MARKETPLACE, Some(&note), deps.clock.now());
        stmts.push(applied.clone());
        deps.db.batch(stmts).await?;
    }
    Ok(Ok(Vec::new()))
}

async fn appeal_filed<D: Db>(
    deps: &Deps<'_, D>,
    appeal: Appeal,
    applied: &Stmt,
) -> Result<Applied> {
    let Some(target) = sql::listing_target(deps.db, &appeal.brand_ref, &appeal.listing_id).await?
    else {
        return Ok(Err(Dead(format!("unknown brand {}", appeal.brand_ref))));
    };
    let Some(c) = target.open_case else {
        return Ok(Err(Dead(format!(
            "no open case of {} for listing {}",
            appeal.brand_ref, appeal.listing_id
        ))));
    };
    if crate::case::next(c.status, Transition::AppealFiled).is_none() {
        return Ok(Err(Dead(format!(
            "case {} is {} and cannot be appealed",
            c.id,
            c.status.as_str()
        ))));
    }
    let json = serde_json::to_string(&appeal)?;
    let note = Note::coded(
        NoteCode::AppealFiled,
        &[&appeal.seller.name, &appeal.statement],
    );
    let extra = vec![
        sql::set_case_appeal(c.id, &appeal.appeal_id, &json),
        applied.clone(),
    ];
    let ids = apply_transition(
        deps,
        &c,
        &appeal.brand_ref,
        Transition::AppealFiled,
        &MARKETPLACE,
        Some(&note),
        extra,
    )
    .await?;
    Ok(Ok(ids))
}

/// How long a cron run holds a stored event it applies (longer than applying one can take).
pub const INBOUND_LEASE: crate::clock::Millis = 2 * MINUTE;

/// Applies events stored but never applied (a crash in between); returns how many were settled.
pub async fn apply_stored<D: Db>(deps: &Deps<'_, D>, limit: i64) -> Result<usize> {
    let mut settled = 0;
    let now = deps.clock.now();
    // Leave the newest minute alone: those are still being applied by the request that stored them.
    for e in sql::unapplied_inbound(deps.db, now - MINUTE, limit).await? {
        // Another run may have read the same list (runs overlap): only the one that takes the
        // lease applies the event, or it would be applied twice.
        if deps
            .db
            .execute(sql::lease_inbound(&e.webhook_id, now, now + INBOUND_LEASE))
            .await?
            == 0
        {
            continue;
        }
        let event = match parse(e.body.as_bytes()) {
            Ok((_, event)) => event,
            Err(err) => {
                deps.db
                    .batch(vec![sql::mark_inbound_dead(
                        &e.webhook_id,
                        &err.public_message(),
                    )])
                    .await?;
                continue;
            }
        };
        settle(deps, &e.webhook_id, event, None).await?;
        settled += 1;
    }
    Ok(settled)
}

pub async fn dead_letters<D: Db>(deps: &Deps<'_, D>, actor: &Actor) -> Result<DeadLetters> {
    access::authorize_staff(actor, StaffArea::Admin)?;
    let letters = sql::dead_letters(deps.db, 200)
        .await?
        .into_iter()
        .map(|e| DeadLetter {
            webhook_id: e.webhook_id,
            kind: e.kind,
            reason: e.dead_reason.unwrap_or_default(),
            received_at: e.received_at,
            body: e.body,
        })
        .collect();
    Ok(DeadLetters { letters })
}

/// An operator retries a dead letter (say, after enrolling the brand it named).
pub async fn retry_dead_letter<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    webhook_id: &str,
) -> Result<(Receipt, Vec<ActionId>)> {
    access::authorize_staff(actor, StaffArea::Admin)?;
    let e = sql::inbound(deps.db, webhook_id)
        .await?
        .filter(|e| e.state == "dead")
        .ok_or(Error::NotFound)?;
    let (_, event) = parse(e.body.as_bytes())?;
    // Two operators retrying at once (or one retrying as another discards) both read a dead
    // letter: only the one whose UPDATE takes it back (stored, under the lease a cron run
    // would take) applies it; for the other it is no longer a dead letter.
    let until = deps.clock.now() + INBOUND_LEASE;
    if deps
        .db
        .execute(sql::take_back_dead_letter(webhook_id, until))
        .await?
        == 0
    {
        return Err(Error::NotFound);
    }
    settle(deps, webhook_id, event, None).await
}

/// What a retry did, for the operator's screen: applied, left for the cron, or dead again and why.
pub fn retried(receipt: &Receipt) -> DeadLetterRetried {
    let (state, reason) = match receipt {
        // Only `receive` answers a duplicate, never a retry.
        Receipt::Applied | Receipt::Duplicate => ("applied", None),
        Receipt::Stored => ("stored", None),
        Receipt::DeadLetter(reason) => ("dead", Some(reason.clone())),
    };
    DeadLetterRetried {
        outcome: receipt.outcome(),
        state: state.into(),
        reason,
    }
}

/// Why an operator discards a dead letter: required, one line or a few, kept in the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscardReason(String);

impl DiscardReason {
    pub const MAX_CHARS: usize = 1000;

    pub fn parse(raw: &str) -> Result<Self> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(Error::invalid("reason", Reason::SayWhyDiscarded));
        }
        if s.chars().count() > Self::MAX_CHARS {
            return Err(Error::invalid(
                "reason",
                Reason::TooLong {
                    max: Self::MAX_CHARS,
                },
            ));
        }
        Ok(DiscardReason(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An operator discards a dead letter that will never apply (a test event, a brand that left):
/// it leaves the list, keeps its row (state `discarded`, who, when, why) and is audited.
pub async fn discard_dead_letter<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    webhook_id: &str,
    req: &ReasonRequest,
) -> Result<()> {
    access::authorize_staff(actor, StaffArea::Admin)?;
    let reason = DiscardReason::parse(&req.reason)?;
    let by = match actor {
        Actor::Person(p) => p.user_id,
        _ => return Err(Error::NotFound),
    };
    let e = sql::inbound(deps.db, webhook_id)
        .await?
        .filter(|e| e.state == "dead")
        .ok_or(Error::NotFound)?;
    let entry = AuditEntry::by(AuditKind::DeadLetterDiscarded, actor)
        .subject(Subject::DeadLetter, webhook_id)
        .detail("type", &e.kind)
        .detail("dead_reason", &e.dead_reason)
        .detail("reason", reason.as_str());
    let discard = sql::discard_inbound(webhook_id, by, reason.as_str(), deps.clock.now());
    // Retried or discarded by someone else meanwhile: no longer a dead letter.
    if !audit::change_recorded(deps, discard, &entry).await? {
        return Err(Error::NotFound);
    }
    Ok(())
}
