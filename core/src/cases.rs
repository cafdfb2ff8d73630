//! Case use cases: IP rights, filing reports (single and bulk) in the right lane, the brand's and
//! the manager's decisions, the case list and the case file.

use crate::access::{self, Action, Actor, Capacity, StaffArea};
use crate::api::*;
use crate::case::{self, ActionKind, Origin, Status, Transition};
use crate::clock::{Entropy, Millis, DAY};
use crate::files::{file_key, StoredFile, MAX_EVIDENCE_FILES};
use crate::history::{self, Note, NoteCode};
use crate::identity::Deps;
use crate::ids::{ActionId, BrandId, CaseId, FileId, IpRightId};
use crate::listing::{ListingId, Snapshot};
use crate::ports::{FileStore, Lookup, Marketplace, Settings};
use crate::programme::{self, Lane};
use crate::sql::{self, CaseRecord, CaseRow, IpRightRecord};
use crate::store::Db;
use crate::types::StaffRole;
use crate::{Error, Result};

pub const REVIEW_SLA: Millis = 2 * DAY;
pub const CONFIRM_DEADLINE: Millis = 7 * DAY;
pub const APPEAL_WINDOW: Millis = 14 * DAY;
pub const MIN_STATEMENT_CHARS: usize = 20;
pub const MAX_BULK_ROWS: usize = 1000;
pub const MAX_EVIDENCE_URLS: usize = 10;
const PAGE_DEFAULT: i64 = 25;
const PAGE_MAX: i64 = 100;

// ---------------------------------------------------------------- validated inputs

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReasonCode {
    Counterfeit,
    TrademarkMisuse,
    Copyright,
    DesignRight,
    Patent,
}

impl ReasonCode {
    pub const ALL: [ReasonCode; 5] = [
        ReasonCode::Counterfeit,
        ReasonCode::TrademarkMisuse,
        ReasonCode::Copyright,
        ReasonCode::DesignRight,
        ReasonCode::Patent,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonCode::Counterfeit => "counterfeit",
            ReasonCode::TrademarkMisuse => "trademark_misuse",
            ReasonCode::Copyright => "copyright",
            ReasonCode::DesignRight => "design_right",
            ReasonCode::Patent => "patent",
        }
    }
    pub fn parse(raw: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == raw.trim())
            .ok_or_else(|| {
                Error::invalid(
                    "reason_code",
                    "must be counterfeit, trademark_misuse, copyright, design_right or patent",
                )
            })
    }
}

pub const RIGHT_KINDS: [&str; 4] = ["trademark", "copyright", "design_right", "patent"];

fn text(raw: &str, field: &str, max: usize) -> Result<String> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    if s.chars().count() > max {
        return Err(Error::invalid(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    Ok(s.to_owned())
}

fn optional_text(raw: Option<&str>, field: &str, max: usize) -> Result<Option<String>> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => text(s, field, max).map(Some),
    }
}

fn statement(raw: &str) -> Result<String> {
    let s = raw.trim();
    if s.chars().count() < MIN_STATEMENT_CHARS {
        return Err(Error::invalid(
            "statement",
            format!("must be at least {MIN_STATEMENT_CHARS} characters"),
        ));
    }
    text(s, "statement", 5000)
}

fn evidence_urls(urls: &[String]) -> Result<Vec<String>> {
    if urls.len() > MAX_EVIDENCE_URLS {
        return Err(Error::invalid(
            "evidence_urls",
            format!("at most {MAX_EVIDENCE_URLS} links"),
        ));
    }
    urls.iter()
        .map(|u| u.trim())
        .filter(|u| !u.is_empty())
        .map(|u| {
            let ok = (u.starts_with("https://") || u.starts_with("http://"))
                && u.len() <= 2000
                && !u.contains(char::is_whitespace);
            if ok {
                Ok(u.to_owned())
            } else {
                Err(Error::invalid(
                    "evidence_urls",
                    format!("{u:.60} is not an http(s) link"),
                ))
            }
        })
        .collect()
}

// ---------------------------------------------------------------- shared pieces

/// How an actor is named in the case history's English label: "Marco Bianchi (account manager)
/// for Aurelia" (the history's typed columns come from the same `Mover`).
pub fn actor_label(actor: &Actor, capacity: Capacity, brand_name: &str) -> String {
    Mover::of(actor, capacity, brand_name).label()
}

fn right_usable(r: &IpRightRecord, now: Millis) -> bool {
    r.status == "verified" && r.expires_at.is_none_or(|e| e > now)
}

fn right_view(r: IpRightRecord, now: Millis) -> IpRightView {
    let certificate = r.certificate_sha256.as_ref().map(|_| FileView {
        name: r
            .certificate_name
            .clone()
            .unwrap_or_else(|| "certificate".into()),
        content_type: r.certificate_type.clone().unwrap_or_default(),
        url: format!(
            "/api/v1/brands/{}/ip-rights/{}/certificate",
            r.brand_id, r.id
        ),
    });
    IpRightView {
        usable: right_usable(&r, now),
        id: r.id,
        kind: r.kind,
        registration_number: r.registration_number,
        jurisdiction: r.jurisdiction,
        classes: r.classes,
        owner: r.owner,
        expires_at: r.expires_at,
        status: r.status,
        review_note: r.review_note,
        certificate,
        created_at: r.created_at,
    }
}

/// The right a report or confirmation invokes: the brand's own, verified and unexpired (422).
async fn usable_right(
    db: &impl Db,
    brand_id: BrandId,
    raw_id: &str,
    now: Millis,
) -> Result<IpRightRecord> {
    let id = IpRightId::parse(raw_id)?;
    let right = sql::ip_right(db, brand_id, id).await?;
    check_usable(right.as_ref(), now).cloned()
}

/// `usable_right` among rights already read (the brand's own): many confirmations, one read.
fn usable_among<'r>(
    rights: &'r [IpRightRecord],
    raw_id: &str,
    now: Millis,
) -> Result<&'r IpRightRecord> {
    let id = IpRightId::parse(raw_id)?;
    check_usable(rights.iter().find(|r| r.id == id), now)
}

/// Why a right of the brand (None: not one of the brand's) cannot be invoked, if it cannot.
fn check_usable(right: Option<&IpRightRecord>, now: Millis) -> Result<&IpRightRecord> {
    let right = right
        .ok_or_else(|| Error::Unprocessable("That IP right is not one of your brand's.".into()))?;
    if right.status != "verified" {
        return Err(Error::Unprocessable(format!(
            "The IP right {} is not verified yet; only verified rights can be invoked.",
            right.registration_number
        )));
    }
    if !right_usable(right, now) {
        return Err(Error::Unprocessable(format!(
            "The IP right {} has expired.",
            right.registration_number
        )));
    }
    Ok(right)
}

fn is_overdue(status: Status, deadline_at: Option<Millis>, now: Millis) -> bool {
    status.is_open() && status != Status::TakenDown && deadline_at.is_some_and(|d| d <= now)
}

fn summary(r: CaseRow, now: Millis) -> CaseSummary {
    let snapshot: Option<Snapshot> = r
        .snapshot
        .as_deref()
        .and_then(|s| serde_json::from_str(s).ok());
    CaseSummary {
        overdue: is_overdue(r.status, r.deadline_at, now),
        image_url: snapshot.as_ref().and_then(|s| s.image_url.clone()),
        price: snapshot.map(|s| s.price),
        detection: r
            .detection
            .as_deref()
            .and_then(|d| serde_json::from_str(d).ok()),
        id: r.id,
        brand_id: r.brand_id,
        brand_name: r.brand_name,
        listing_id: r.listing_id,
        title: r.title,
        seller_id: r.seller_id,
        seller_name: r.seller_name,
        origin: if r.origin == "detection" {
            Origin::Detection
        } else {
            Origin::Report
        },
        status: r.status,
        version: r.version,
        reason_code: r.reason_code,
        deadline_at: r.deadline_at,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

/// The payload of an action for the marketplace, and its outbox row.
pub fn action_stmt(
    kind: ActionKind,
    case: Option<(&CaseRecord, &str)>,
    extra: serde_json::Value,
    entropy: &dyn Entropy,
    now: Millis,
) -> (ActionId, crate::store::Stmt) {
    let id = ActionId(entropy.uuid());
    let mut data = serde_json::json!({ "action_id": id });
    if let Some((c, brand_ref)) = case {
        data["case_id"] = serde_json::json!(c.id);
        data["brand_ref"] = serde_json::json!(brand_ref);
        data["listing_id"] = serde_json::json!(c.listing_id);
    }
    if let (serde_json::Value::Object(d), serde_json::Value::Object(e)) = (&mut data, extra) {
        d.extend(e);
    }
    let stmt = sql::insert_action(
        id,
        kind.as_str(),
        case.map(|(c, _)| c.id),
        case.map(|(c, _)| c.brand_id),
        &data.to_string(),
        now,
    );
    (id, stmt)
}

/// Where a status puts the case's deadline (or SLA) when it is entered.
pub fn deadline_for(to: Status, now: Millis) -> Option<Millis> {
    match to {
        Status::UnderReview => Some(now + REVIEW_SLA),
        Status::AwaitingBrand => Some(now + CONFIRM_DEADLINE),
        Status::TakenDown => Some(now + APPEAL_WINDOW),
        Status::Appealed => Some(now + 3 * DAY),
        Status::InArbitration => Some(now + 5 * DAY),
        _ => None,
    }
}

/// Who moves a case, as the history records it.
pub use crate::history::Mover;

/// Moves a case by a transition in one batch: version-guarded update, the event, and the
/// actions the move owes the marketplace. Returns the ids of the actions written.
pub async fn apply_transition<D: Db>(
    deps: &Deps<'_, D>,
    case: &CaseRecord,
    brand_ref: &str,
    t: Transition,
    by: &Mover,
    note: Option<&Note>,
    extra: Vec<crate::store::Stmt>,
) -> Result<Vec<ActionId>> {
    let to = case::require(case.status, t)?;
    let now = deps.clock.now();
    let mut stmts = sql::move_case(&sql::Move {
        case,
        to,
        kind: t.as_str(),
        by,
        note,
        deadline_at: deadline_for(to, now),
        now,
    });
    let note = note.map(Note::text);
    let mut ids = Vec::new();
    for kind in case::actions(case.status, t) {
        let extra = match kind {
            ActionKind::ListingTakedown => serde_json::json!({ "reason_code": case.reason_code }),
            ActionKind::AppealDecided => serde_json::json!({
                "appeal_id": case.appeal_id,
                "outcome": if to == Status::Reinstated { "reinstated" } else { "upheld" },
                "reason": note,
            }),
            _ => serde_json::json!({}),
        };
        let (id, stmt) = action_stmt(kind, Some((case, brand_ref)), extra, deps.entropy, now);
        ids.push(id);
        stmts.push(stmt);
    }
    stmts.extend(extra);
    stmts.extend(brand_events(case, t, to, note, now));
    if to == Status::Upheld {
        if let Some(seller) = &case.seller_id {
            let action = ActionId(deps.entropy.uuid());
            let payload =
                serde_json::json!({ "action_id": action, "seller_id": seller }).to_string();
            stmts.push(sql::flag_repeat_seller(
                seller,
                now - REPEAT_WINDOW,
                REPEAT_THRESHOLD,
                &action.to_string(),
                now,
            ));
            stmts.push(sql::seller_flagged_action(
                &action.to_string(),
                seller,
                &payload,
                now,
            ));
            ids.push(action);
        }
    }
    deps.db.batch(stmts).await.map_err(|e| match e {
        Error::Conflict(_) => Error::Conflict(
            "This case was changed by someone else at the same moment; reload it and try again."
                .into(),
        ),
        other => other,
    })?;
    Ok(ids)
}

/// A seller with this many upheld cases…
pub const REPEAT_THRESHOLD: i64 = 3;
/// …within this window (across brands) is a repeat infringer.
pub const REPEAT_WINDOW: Millis = 180 * DAY;

/// The brand's webhook events for a move: `case.status_changed`, and `appeal.filed` for appeals.
fn brand_events(
    case: &CaseRecord,
    t: Transition,
    to: Status,
    note: Option<&str>,
    now: Millis,
) -> Vec<crate::store::Stmt> {
    let timestamp = crate::outbox::rfc3339(now);
    let changed = serde_json::json!({ "type": "case.status_changed", "timestamp": timestamp, "data": {
        "case_id": case.id, "brand_id": case.brand_id, "listing_id": case.listing_id,
        "from": case.status, "to": to, "event": t.as_str(), "note": note } });
    let mut out = vec![sql::enqueue_event(
        case.brand_id,
        "case.status_changed",
        &changed.to_string(),
        now,
    )];
    if t == Transition::AppealFiled {
        let appeal = serde_json::json!({ "type": "appeal.filed", "timestamp": timestamp, "data": {
            "case_id": case.id, "brand_id": case.brand_id, "listing_id": case.listing_id,
            "respond_by": deadline_for(to, now) } });
        out.push(sql::enqueue_event(
            case.brand_id,
            "appeal.filed",
            &appeal.to_string(),
            now,
        ));
    }
    out
}

// ---------------------------------------------------------------- IP rights

pub async fn list_ip_rights<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
) -> Result<IpRightList> {
    access::authorize(actor, brand_id, Action::ViewBrand)?;
    let now = deps.clock.now();
    Ok(IpRightList {
        rights: sql::ip_rights(deps.db, brand_id)
            .await?
            .into_iter()
            .map(|r| right_view(r, now))
            .collect(),
    })
}

pub async fn create_ip_right<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
    req: CreateIpRightRequest,
) -> Result<IpRightView> {
    access::authorize(actor, brand_id, Action::ManageIpRights)?;
    let kind = req.kind.trim();
    if !RIGHT_KINDS.contains(&kind) {
        return Err(Error::invalid(
            "kind",
            "must be trademark, copyright, design_right or patent",
        ));
    }
    let registration_number = text(&req.registration_number, "registration_number", 100)?;
    let jurisdiction = text(&req.jurisdiction, "jurisdiction", 100)?;
    let owner = text(&req.owner, "owner", 200)?;
    let classes = optional_text(req.classes.as_deref(), "classes", 200)?.unwrap_or_default();
    let now = deps.clock.now();
    let id = IpRightId(deps.entropy.uuid());
    let new = sql::NewIpRight {
        id,
        brand_id,
        kind,
        registration_number: &registration_number,
        jurisdiction: &jurisdiction,
        classes: &classes,
        owner: &owner,
        expires_at: req.expires_at,
        now,
    };
    deps.db
        .batch(vec![sql::insert_ip_right(&new)])
        .await
        .map_err(|e| match e {
            Error::Conflict(_) => Error::Conflict(
                "This right (kind, jurisdiction and number) is already registered.".into(),
            ),
            other => other,
        })?;
    let right = sql::ip_right(deps.db, brand_id, id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(right_view(right, now))
}

pub async fn upload_certificate<D: Db>(
    deps: &Deps<'_, D>,
    files: &impl FileStore,
    actor: &Actor,
    brand_id: BrandId,
    right_id: IpRightId,
    file: StoredFile,
) -> Result<IpRightView> {
    access::authorize(actor, brand_id, Action::ManageIpRights)?;
    sql::ip_right(deps.db, brand_id, right_id)
        .await?
        .ok_or(Error::NotFound)?;
    files.put(&file.key(brand_id), &file.bytes).await?;
    deps.db
        .batch(vec![sql::set_certificate(
            brand_id,
            right_id,
            &file.sha256,
            &file.name,
            file.content_type,
        )])
        .await?;
    let right = sql::ip_right(deps.db, brand_id, right_id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(right_view(right, deps.clock.now()))
}

/// A stored file: its bytes, content type and name.
pub type FileBody = (Vec<u8>, String, String);

pub async fn certificate<D: Db>(
    deps: &Deps<'_, D>,
    files: &impl FileStore,
    actor: &Actor,
    brand_id: BrandId,
    right_id: IpRightId,
) -> Result<FileBody> {
    access::authorize(actor, brand_id, Action::ViewBrand)?;
    let right = sql::ip_right(deps.db, brand_id, right_id)
        .await?
        .ok_or(Error::NotFound)?;
    let sha = right.certificate_sha256.ok_or(Error::NotFound)?;
    let bytes = files
        .get(&file_key(brand_id, &sha))
        .await?
        .ok_or(Error::NotFound)?;
    Ok((
        bytes,
        right.certificate_type.unwrap_or_default(),
        right.certificate_name.unwrap_or_default(),
    ))
}

pub async fn review_ip_right<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
    right_id: IpRightId,
    req: ReviewIpRightRequest,
) -> Result<IpRightView> {
    access::authorize(actor, brand_id, Action::VerifyIpRight)?;
    let reviewer = match actor {
        Actor::Person(p) => p.user_id,
        _ => return Err(Error::NotFound),
    };
    let note = optional_text(req.note.as_deref(), "note", 1000)?;
    let status = match req.decision.as_str() {
        "verify" => "verified",
        "reject" if note.is_some() => "rejected",
        "reject" => {
            return Err(Error::invalid(
                "note",
                "say why the right is rejected; the brand sees it",
            ))
        }
        _ => return Err(Error::invalid("decision", "must be verify or reject")),
    };
    let right = sql::ip_right(deps.db, brand_id, right_id)
        .await?
        .ok_or(Error::NotFound)?;
    if right.status != "pending" {
        return Err(Error::Conflict(format!(
            "This right was already {}.",
            right.status
        )));
    }
    let now = deps.clock.now();
    deps.db
        .batch(vec![sql::review_ip_right(
            brand_id,
            right_id,
            status,
            note.as_deref(),
            reviewer,
            now,
        )])
        .await?;
    let right = sql::ip_right(deps.db, brand_id, right_id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(right_view(right, now))
}

/// The brands a staff member looks after, as a JSON array for SQL (None: every brand).
fn staff_scope(actor: &Actor) -> Result<Option<String>> {
    match access::authorize_staff(actor, StaffArea::Manager)? {
        StaffRole::Operator => Ok(None),
        StaffRole::AccountManager => {
            let ids = match actor {
                Actor::Person(p) => p.managed_brands.clone(),
                _ => Vec::new(),
            };
            serde_json::to_string(&ids)
                .map(Some)
                .map_err(|e| Error::Internal(e.to_string()))
        }
    }
}

pub async fn pending_rights<D: Db>(deps: &Deps<'_, D>, actor: &Actor) -> Result<PendingRights> {
    let scope = staff_scope(actor)?;
    let now = deps.clock.now();
    // Brand names in one query, not one per right.
    let names: std::collections::HashMap<BrandId, String> = sql::all_brands(deps.db)
        .await?
        .into_iter()
        .map(|b| (b.id, b.name))
        .collect();
    let rights = sql::pending_ip_rights(deps.db, scope)
        .await?
        .into_iter()
        .map(|r| PendingRight {
            brand_id: r.brand_id,
            brand_name: names.get(&r.brand_id).cloned().unwrap_or_default(),
            right: right_view(r, now),
        })
        .collect();
    Ok(PendingRights { rights })
}

// ---------------------------------------------------------------- standing and lanes

pub async fn standing_of(
    db: &impl Db,
    brand_id: BrandId,
    now: Millis,
) -> Result<programme::Standing> {
    // Long enough back to replay revocations that could still be in force.
    let since = now - programme::STANDING_WINDOW - 2 * programme::REVOCATION;
    let history: Vec<programme::Decided> = sql::decided_takedowns(db, brand_id, since)
        .await?
        .into_iter()
        .map(|(at, reinstated)| programme::Decided { at, reinstated })
        .collect();
    Ok(programme::standing(&history, now))
}

pub async fn brand_stats<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
) -> Result<BrandStats> {
    access::authorize(actor, brand_id, Action::ViewBrand)?;
    let brand = sql::brand(deps.db, brand_id)
        .await?
        .ok_or(Error::NotFound)?;
    let now = deps.clock.now();
    let standing = standing_of(deps.db, brand_id, now).await?;
    let (lane, review_reason, refusal) = match programme::lane(
        brand.programme_status,
        brand.suspension_reason.as_deref(),
        brand.shop_id.is_some(),
        &standing,
    ) {
        Ok((lane, why)) => (Some(lane), why, None),
        Err(refusal) => (None, None, Some(refusal)),
    };
    let counts = sql::case_counts(deps.db, brand_id, &sql::CaseFilter::default()).await?;
    let usable_rights = sql::ip_rights(deps.db, brand_id)
        .await?
        .iter()
        .filter(|r| right_usable(r, now))
        .count() as i64;
    Ok(BrandStats {
        standing,
        lane,
        review_reason,
        refusal_code: refusal.as_ref().map(|r| r.code().to_owned()),
        refusal_reason: refusal.as_ref().and_then(|r| r.reason()),
        refusal: refusal.map(|r| r.message()),
        counts,
        usable_rights,
    })
}

// ---------------------------------------------------------------- filing reports

/// One checked report, ready to file.
struct CheckedReport {
    listing: ListingId,
    right: IpRightRecord,
    reason: ReasonCode,
    statement: String,
    evidence_urls: Vec<String>,
}

fn check_report(
    req: &ReportRequest,
    settings: &Settings,
) -> Result<(ListingId, ReasonCode, String, Vec<String>)> {
    let listing = ListingId::from_reference(&req.listing, &settings.listing_url_prefix)?;
    let reason = ReasonCode::parse(&req.reason_code)?;
    let statement = statement(&req.statement)?;
    let urls = evidence_urls(&req.evidence_urls)?;
    if !req.good_faith {
        return Err(Error::invalid(
            "good_faith",
            "you must declare in good faith that the listing infringes your right",
        ));
    }
    Ok((listing, reason, statement, urls))
}

/// Where the brand's reports go now, or why it may not file (422).
async fn lane_now(db: &impl Db, brand: &sql::BrandRecord, now: Millis) -> Result<Lane> {
    let standing = standing_of(db, brand.id, now).await?;
    programme::lane(
        brand.programme_status,
        brand.suspension_reason.as_deref(),
        brand.shop_id.is_some(),
        &standing,
    )
    .map(|(lane, _)| lane)
    .map_err(|refusal| Error::Unprocessable(refusal.message()))
}

fn new_case(
    r: &CheckedReport,
    id: CaseId,
    lane: Lane,
    snapshot: Option<&Snapshot>,
    now: Millis,
) -> sql::NewCase {
    let status = if lane == Lane::Auto {
        Status::TakedownRequested
    } else {
        Status::UnderReview
    };
    sql::NewCase {
        id,
        listing_id: r.listing.as_str().to_owned(),
        origin: Origin::Report.as_str(),
        status: status.as_str(),
        lane: Some(if lane == Lane::Auto { "auto" } else { "review" }),
        ip_right_id: Some(r.right.id),
        reason_code: Some(r.reason.as_str().to_owned()),
        statement: Some(r.statement.clone()),
        evidence_urls: serde_json::to_string(&r.evidence_urls).unwrap_or_else(|_| "[]".into()),
        snapshot: snapshot.and_then(|s| serde_json::to_string(s).ok()),
        title: snapshot.map(|s| s.title.clone()).unwrap_or_default(),
        seller_id: snapshot.map(|s| s.seller.seller_id.clone()),
        seller_name: snapshot.map(|s| s.seller.name.clone()).unwrap_or_default(),
        detection: None,
        deadline_at: deadline_for(status, now),
        event_kind: "filed",
        event_note: Some(Note::coded(
            match (lane, snapshot) {
                (Lane::Auto, Some(_)) => NoteCode::FiledAuto,
                (Lane::Review, Some(_)) => NoteCode::FiledReview,
                (_, None) => NoteCode::FiledUnreachable,
            },
            &[],
        )),
    }
}

fn takedown_rows(
    cases: &[sql::NewCase],
    brand_id: BrandId,
    brand_ref: &str,
    entropy: &dyn Entropy,
) -> (Vec<ActionId>, serde_json::Value) {
    let mut ids = Vec::new();
    let rows: Vec<serde_json::Value> = cases
        .iter()
        .filter(|c| c.status == Status::TakedownRequested.as_str())
        .map(|c| {
            let id = ActionId(entropy.uuid());
            ids.push(id);
            let payload = serde_json::json!({
                "action_id": id, "case_id": c.id, "brand_ref": brand_ref,
                "listing_id": c.listing_id, "reason_code": c.reason_code,
            });
            serde_json::json!({ "id": id, "kind": ActionKind::ListingTakedown.as_str(), "case_id": c.id,
                                "brand_id": brand_id, "payload": payload.to_string() })
        })
        .collect();
    (ids, serde_json::Value::Array(rows))
}

/// The statements that file new cases (any number) with their listings and takedown actions.
fn filing_stmts(
    brand: &sql::BrandRecord,
    cases: &[sql::NewCase],
    snapshots: &[Snapshot],
    by: &Mover,
    entropy: &dyn Entropy,
    now: Millis,
) -> Result<(Vec<crate::store::Stmt>, Vec<ActionId>)> {
    let cases_json = serde_json::to_string(cases).map_err(|e| Error::Internal(e.to_string()))?;
    let mut stmts = Vec::new();
    if !snapshots.is_empty() {
        let snaps = serde_json::to_string(snapshots).map_err(|e| Error::Internal(e.to_string()))?;
        stmts.extend(sql::upsert_listings(&snaps, now));
    }
    stmts.extend(sql::insert_cases(brand.id, &cases_json, by, now));
    stmts.push(sql::enqueue_created(
        brand.id,
        &cases_json,
        &crate::outbox::rfc3339(now),
        now,
    ));
    let (ids, actions) = takedown_rows(cases, brand.id, &brand.brand_ref, entropy);
    if !ids.is_empty() {
        stmts.push(sql::insert_actions(&actions.to_string(), now));
    }
    Ok((stmts, ids))
}

/// What filing needs besides the database.
pub struct Ports<'a, F: FileStore, M: Marketplace> {
    pub files: &'a F,
    pub market: &'a M,
    pub settings: &'a Settings,
}

/// Files one report. Returns the case and the actions to send at once.
pub async fn file_report<D: Db, F: FileStore, M: Marketplace>(
    deps: &Deps<'_, D>,
    ports: &Ports<'_, F, M>,
    actor: &Actor,
    brand_id: BrandId,
    req: ReportRequest,
    evidence: Vec<StoredFile>,
) -> Result<(CaseView, Vec<ActionId>)> {
    let capacity = access::authorize(actor, brand_id, Action::FileReport)?;
    let (listing, reason, statement, evidence_urls) = check_report(&req, ports.settings)?;
    if evidence.len() > MAX_EVIDENCE_FILES {
        return Err(Error::invalid(
            "evidence",
            format!("at most {MAX_EVIDENCE_FILES} files"),
        ));
    }
    let now = deps.clock.now();
    let brand = sql::brand(deps.db, brand_id)
        .await?
        .ok_or(Error::NotFound)?;
    let lane = lane_now(deps.db, &brand, now).await?;
    let right = usable_right(deps.db, brand_id, &req.ip_right_id, now).await?;
    if let Some(open) = sql::open_case_for_listing(deps.db, brand_id, listing.as_str()).await? {
        return Err(Error::OpenCase(open.id.to_string()));
    }
    let known = sql::listing(deps.db, listing.as_str()).await?;
    let (snapshot, fresh) =
        match known.and_then(|l| serde_json::from_str::<Snapshot>(&l.snapshot).ok()) {
            Some(s) => (Some(s), false),
            None => match ports.market.lookup(listing.as_str()).await {
                Lookup::Found(s) => (Some(s), true),
                Lookup::Unknown => {
                    return Err(Error::Unprocessable(format!(
                        "The marketplace has no listing {}.",
                        listing.as_str()
                    )));
                }
                Lookup::Unavailable(_) => (None, false),
            },
        };
    let checked = CheckedReport {
        listing,
        right,
        reason,
        statement,
        evidence_urls,
    };
    let id = CaseId(deps.entropy.uuid());
    let case = new_case(&checked, id, lane, snapshot.as_ref(), now);
    let by = Mover::of(actor, capacity, &brand.name);
    let new_snapshots: Vec<Snapshot> = snapshot.into_iter().filter(|_| fresh).collect();
    let (mut stmts, ids) = filing_stmts(&brand, &[case], &new_snapshots, &by, deps.entropy, now)?;
    if !evidence.is_empty() {
        let mut rows = Vec::new();
        for f in &evidence {
            ports.files.put(&f.key(brand_id), &f.bytes).await?;
            rows.push(serde_json::json!({ "id": FileId(deps.entropy.uuid()), "sha256": f.sha256, "name": f.name,
                                          "content_type": f.content_type, "size": f.bytes.len() }));
        }
        stmts.push(sql::insert_evidence(
            &serde_json::Value::Array(rows).to_string(),
            id,
            brand_id,
            now,
        ));
    }
    deps.db.batch(stmts).await.map_err(|e| match e {
        Error::Conflict(_) => Error::Conflict(
            "This listing already has an open case (filed at the same moment).".into(),
        ),
        other => other,
    })?;
    Ok((case_file(deps, actor, brand_id, id).await?, ids))
}

/// The CSV columns of a bulk report, in the template's order.
pub const BULK_COLUMNS: [&str; 5] = [
    "listing",
    "ip_right",
    "reason",
    "statement",
    "evidence_urls",
];

pub fn bulk_template(settings: &Settings) -> String {
    let mut out = crate::csv::row(&BULK_COLUMNS);
    out.push_str(&crate::csv::row(&[
        &format!("{}MKT-100001", settings.listing_url_prefix),
        "REG-NUMBER-OF-A-VERIFIED-RIGHT",
        "counterfeit",
        "Counterfeit: logo and stitching differ from the genuine product.",
        "https://example.com/evidence-photo.jpg https://example.com/test-buy.pdf",
    ]));
    out
}

/// Files a CSV of reports: every row is checked first; any bad row → nothing filed and every
/// problem listed by line; otherwise all rows are filed in one atomic write.
pub async fn bulk_file<D: Db>(
    deps: &Deps<'_, D>,
    settings: &Settings,
    actor: &Actor,
    brand_id: BrandId,
    csv_bytes: &[u8],
) -> Result<(BulkFiled, Vec<ActionId>)> {
    let capacity = access::authorize(actor, brand_id, Action::FileReport)?;
    let records = crate::csv::parse(csv_bytes)?;
    let Some(((_, header), rows)) = records.split_first() else {
        return Err(Error::invalid("file", "is empty"));
    };
    let header: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let missing: Vec<&str> = BULK_COLUMNS
        .iter()
        .take(4)
        .copied()
        .filter(|c| col(c).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(Error::invalid(
            "file",
            format!("missing column(s): {}", missing.join(", ")),
        ));
    }
    if rows.is_empty() {
        return Err(Error::invalid("file", "has no rows under the header"));
    }
    if rows.len() > MAX_BULK_ROWS {
        return Err(Error::invalid(
            "file",
            format!(
                "has {} rows; at most {MAX_BULK_ROWS} per upload",
                rows.len()
            ),
        ));
    }
    let now = deps.clock.now();
    let brand = sql::brand(deps.db, brand_id)
        .await?
        .ok_or(Error::NotFound)?;
    let lane = lane_now(deps.db, &brand, now).await?;
    let rights = sql::ip_rights(deps.db, brand_id).await?;

    let mut errors: Vec<(usize, String)> = Vec::new();
    let mut checked: Vec<(usize, CheckedReport)> = Vec::new();
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let get = |row: &Vec<String>, name: &str| {
        col(name)
            .and_then(|i| row.get(i))
            .map(|s| s.trim().to_owned())
            .unwrap_or_default()
    };
    for (line, row) in rows {
        let right_ref = get(row, "ip_right");
        let req = ReportRequest {
            listing: get(row, "listing"),
            ip_right_id: String::new(),
            reason_code: get(row, "reason"),
            statement: get(row, "statement"),
            evidence_urls: get(row, "evidence_urls")
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
            good_faith: true,
        };
        let parsed = check_report(&req, settings);
        let right = rights
            .iter()
            .find(|r| r.id.to_string() == right_ref || r.registration_number == right_ref);
        let outcome = match (parsed, right) {
            (Err(e), _) => Err(e.public_message()),
            (Ok(_), None) => Err(history::row_problem(
                "unknown_right",
                &[&format!("{right_ref:?}")],
            )),
            (Ok(_), Some(r)) if r.status != "verified" => Err(history::row_problem(
                "right_not_verified",
                &[&r.registration_number],
            )),
            (Ok(_), Some(r)) if !right_usable(r, now) => Err(history::row_problem(
                "right_expired",
                &[&r.registration_number],
            )),
            (Ok((listing, reason, statement, evidence_urls)), Some(r)) => {
                if let Some(first) = seen.insert(listing.as_str().to_owned(), *line) {
                    Err(history::row_problem(
                        "duplicate_listing",
                        &[listing.as_str(), &first.to_string()],
                    ))
                } else {
                    Ok(CheckedReport {
                        listing,
                        right: r.clone(),
                        reason,
                        statement,
                        evidence_urls,
                    })
                }
            }
        };
        match outcome {
            Ok(c) => checked.push((*line, c)),
            Err(problem) => errors.push((*line, problem)),
        }
    }
    let ids: Vec<&str> = checked.iter().map(|(_, c)| c.listing.as_str()).collect();
    let ids_json = serde_json::to_string(&ids).map_err(|e| Error::Internal(e.to_string()))?;
    for (listing, case_id) in
        sql::open_cases_for_listings(deps.db, brand_id, ids_json.clone()).await?
    {
        if let Some((line, _)) = checked.iter().find(|(_, c)| c.listing.as_str() == listing) {
            errors.push((
                *line,
                history::row_problem("open_case", &[&listing, &case_id.to_string()]),
            ));
        }
    }
    if !errors.is_empty() {
        errors.sort();
        return Err(Error::InvalidRows(errors));
    }
    // Listings JointForce knows keep their snapshot; others are filed pending and looked up later.
    let known: std::collections::HashMap<String, Snapshot> = sql::known_listings(deps.db, ids_json)
        .await?
        .into_iter()
        .filter_map(|l| serde_json::from_str(&l.snapshot).ok().map(|s| (l.id, s)))
        .collect();
    let cases: Vec<sql::NewCase> = checked
        .iter()
        .map(|(_, c)| {
            new_case(
                c,
                CaseId(deps.entropy.uuid()),
                lane,
                known.get(c.listing.as_str()),
                now,
            )
        })
        .collect();
    let by = Mover::of(actor, capacity, &brand.name);
    let (stmts, action_ids) = filing_stmts(&brand, &cases, &[], &by, deps.entropy, now)?;
    deps.db.batch(stmts).await.map_err(|e| match e {
        Error::Conflict(_) => Error::Conflict(
            "Some of these listings got an open case at the same moment; nothing was filed.".into(),
        ),
        other => other,
    })?;
    let created = cases
        .iter()
        .map(|c| CaseSummary {
            id: c.id,
            brand_id,
            brand_name: brand.name.clone(),
            listing_id: c.listing_id.clone(),
            title: c.title.clone(),
            seller_id: c.seller_id.clone(),
            seller_name: c.seller_name.clone(),
            image_url: None,
            price: None,
            detection: None,
            origin: Origin::Report,
            status: Status::parse(c.status).unwrap_or(Status::UnderReview),
            // As `insert_cases` writes it.
            version: 1,
            reason_code: c.reason_code.clone(),
            deadline_at: c.deadline_at,
            overdue: false,
            created_at: now,
            updated_at: now,
        })
        .collect();
    Ok((BulkFiled { created }, action_ids))
}

// ---------------------------------------------------------------- reading cases

/// Filters as given in the query string.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct CaseQuery {
    pub status: Option<String>,
    pub origin: Option<String>,
    pub reason: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub q: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<String>,
}

fn millis_param(raw: Option<&str>, field: &str) -> Result<Option<Millis>> {
    raw.filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<Millis>()
                .map_err(|_| Error::invalid(field, "must be milliseconds since the epoch"))
        })
        .transpose()
}

/// An FTS5 query that matches the text literally (trigram: any substring of 3+ characters).
fn fts_phrase(q: &str) -> String {
    format!("\"{}\"", q.replace('"', "\"\""))
}

fn filter_of(q: &CaseQuery) -> Result<sql::CaseFilter> {
    let nonempty = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let status = nonempty(&q.status)
        .map(|s| Status::parse(&s).map(|s| s.as_str().to_owned()))
        .transpose()?;
    let origin = nonempty(&q.origin)
        .map(|s| Origin::parse(&s).map(|o| o.as_str().to_owned()))
        .transpose()?;
    let reason = nonempty(&q.reason)
        .map(|s| ReasonCode::parse(&s).map(|r| r.as_str().to_owned()))
        .transpose()?;
    let text = nonempty(&q.q);
    if text.as_ref().is_some_and(|t| t.chars().count() > 200) {
        return Err(Error::invalid("q", "must be at most 200 characters"));
    }
    let (fts, substring) = match text {
        Some(t) if t.chars().count() >= 3 => (Some(fts_phrase(&t)), None),
        Some(t) => (None, Some(t)),
        None => (None, None),
    };
    Ok(sql::CaseFilter {
        status,
        origin,
        reason,
        from: millis_param(q.from.as_deref(), "from")?,
        to: millis_param(q.to.as_deref(), "to")?,
        fts,
        substring,
    })
}

fn parse_cursor(raw: Option<&str>) -> Result<Option<(Millis, String)>> {
    let Some(raw) = raw.filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let bad = || Error::invalid("cursor", "is not a cursor this API gave out");
    let (at, id) = raw.split_once('_').ok_or_else(bad)?;
    let at = at.parse().map_err(|_| bad())?;
    let id = CaseId::parse(id).map_err(|_| bad())?;
    Ok(Some((at, id.to_string())))
}

pub async fn list_cases<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
    q: &CaseQuery,
) -> Result<CaseList> {
    access::authorize(actor, brand_id, Action::ViewBrand)?;
    let filter = filter_of(q)?;
    let limit = match q.limit.as_deref().filter(|s| !s.is_empty()) {
        None => PAGE_DEFAULT,
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=PAGE_MAX).contains(n))
            .ok_or_else(|| Error::invalid("limit", format!("must be 1–{PAGE_MAX}")))?,
    };
    let after = parse_cursor(q.cursor.as_deref())?;
    let mut rows = sql::case_page(deps.db, brand_id, &filter, after, limit + 1).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = if more {
        rows.last().map(|r| format!("{}_{}", r.created_at, r.id))
    } else {
        None
    };
    let now = deps.clock.now();
    let counts = sql::case_counts(deps.db, brand_id, &filter).await?;
    Ok(CaseList {
        cases: rows.into_iter().map(|r| summary(r, now)).collect(),
        next_cursor,
        counts,
    })
}

/// The current filter as CSV (every page), with formula-like cells neutralised.
pub async fn export_cases<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
    q: &CaseQuery,
) -> Result<String> {
    access::authorize(actor, brand_id, Action::ViewBrand)?;
    let filter = filter_of(q)?;
    let mut out = crate::csv::row(&[
        "case_id",
        "listing_id",
        "title",
        "seller",
        "origin",
        "status",
        "reason",
        "created_at",
    ]);
    let mut after = None;
    loop {
        let rows = sql::case_page(deps.db, brand_id, &filter, after.clone(), 500).await?;
        for r in &rows {
            out.push_str(&crate::csv::row(&[
                &r.id.to_string(),
                &r.listing_id,
                &r.title,
                &r.seller_name,
                &r.origin,
                r.status.as_str(),
                r.reason_code.as_deref().unwrap_or(""),
                &r.created_at.to_string(),
            ]));
        }
        match rows.last() {
            Some(last) if rows.len() == 500 => after = Some((last.created_at, last.id.to_string())),
            _ => return Ok(out),
        }
    }
}

/// What the actor may do to a case in this status: the policy and the state machine agree.
fn commands(actor: &Actor, brand_id: BrandId, status: Status) -> Vec<CaseCommand> {
    use CaseCommand as C;
    let table: [(C, Action, Transition); 12] = [
        (C::Confirm, Action::DecideFlag, Transition::Confirm),
        (C::Reject, Action::DecideFlag, Transition::Reject),
        (C::Approve, Action::ReviewReport, Transition::Approve),
        (C::Decline, Action::ReviewReport, Transition::Decline),
        (
            C::RetryTakedown,
            Action::RetryTakedown,
            Transition::RetryTakedown,
        ),
        (C::Withdraw, Action::Withdraw, Transition::Withdraw),
        (C::Retract, Action::Retract, Transition::Retract),
        (
            C::UpholdAppeal,
            Action::AnswerAppeal,
            Transition::UpholdAppeal,
        ),
        (
            C::RetractOnAppeal,
            Action::AnswerAppeal,
            Transition::RetractOnAppeal,
        ),
        (C::Escalate, Action::AnswerAppeal, Transition::Escalate),
        (
            C::ArbitrateUphold,
            Action::Arbitrate,
            Transition::ArbitrationUphold,
        ),
        (
            C::ArbitrateReinstate,
            Action::Arbitrate,
            Transition::ArbitrationReinstate,
        ),
    ];
    table
        .into_iter()
        .filter(|(_, action, t)| {
            case::next(status, *t).is_some() && access::authorize(actor, brand_id, *action).is_ok()
        })
        .map(|(c, _, _)| c)
        .collect()
}

pub async fn case_file<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
    case_id: CaseId,
) -> Result<CaseView> {
    access::authorize(actor, brand_id, Action::ViewBrand)?;
    let c = sql::case(deps.db, brand_id, case_id)
        .await?
        .ok_or(Error::NotFound)?;
    let now = deps.clock.now();
    let snapshot: Option<Snapshot> = c
        .snapshot
        .as_deref()
        .and_then(|s| serde_json::from_str(s).ok());
    let listing = sql::listing(deps.db, &c.listing_id).await?;
    let current: Option<Snapshot> = listing
        .as_ref()
        .and_then(|l| serde_json::from_str(&l.snapshot).ok());
    let ip_right = match c.ip_right_id {
        Some(id) => sql::ip_right(deps.db, brand_id, id)
            .await?
            .map(|r| IpRightRef {
                id: r.id,
                kind: r.kind,
                registration_number: r.registration_number,
                jurisdiction: r.jurisdiction,
            }),
        None => None,
    };
    let evidence_files = sql::evidence(deps.db, brand_id, case_id)
        .await?
        .into_iter()
        .map(|f| FileView {
            url: format!(
                "/api/v1/brands/{brand_id}/cases/{case_id}/evidence/{}",
                f.id
            ),
            name: f.name,
            content_type: f.content_type,
        })
        .collect();
    let events = sql::case_events(deps.db, case_id)
        .await?
        .into_iter()
        .map(event_view)
        .collect();
    Ok(CaseView {
        overdue: is_overdue(c.status, c.deadline_at, now),
        allowed: commands(actor, brand_id, c.status),
        appeal: c
            .appeal
            .as_deref()
            .and_then(|a| serde_json::from_str::<crate::marketplace::Appeal>(a).ok())
            .map(|a| AppealView {
                appeal_id: a.appeal_id,
                seller_name: a.seller.name,
                statement: a.statement,
                evidence_urls: a.evidence_urls,
            }),
        current: current.filter(|cur| Some(cur) != snapshot.as_ref()),
        listing_removed: listing.is_some_and(|l| l.removed_at.is_some()),
        detection: c
            .detection
            .as_deref()
            .and_then(|d| serde_json::from_str(d).ok()),
        evidence_urls: serde_json::from_str(&c.evidence_urls).unwrap_or_default(),
        lane: c.lane.as_deref().map(|l| {
            if l == "auto" {
                Lane::Auto
            } else {
                Lane::Review
            }
        }),
        origin: if c.origin == "detection" {
            Origin::Detection
        } else {
            Origin::Report
        },
        id: c.id,
        brand_id: c.brand_id,
        brand_name: c.brand_name,
        listing_id: c.listing_id,
        status: c.status,
        ip_right,
        reason_code: c.reason_code,
        statement: c.statement,
        evidence_files,
        snapshot,
        deadline_at: c.deadline_at,
        events,
        created_at: c.created_at,
        updated_at: c.updated_at,
    })
}

/// An event as the case file shows it, from the history's typed columns as stored. A row from
/// before migration 0006 not yet backfilled (its kind NULL), or one the backfill could not tell
/// (`unknown`), has an empty `actor_kind` and shows its label (`actor`) as it is.
fn event_view(e: sql::EventRecord) -> CaseEventView {
    let kind = e.actor_kind.as_deref().and_then(history::ActorKind::parse);
    CaseEventView {
        seq: e.seq,
        kind: e.kind,
        from_status: e.from_status,
        to_status: e.to_status,
        actor: e.actor_label,
        actor_kind: kind.map(|k| k.as_str().to_owned()).unwrap_or_default(),
        actor_name: e.actor_name,
        actor_brand: kind.and(e.on_behalf_of),
        note_args: e
            .note_args
            .as_deref()
            .filter(|_| e.note_code.is_some())
            .and_then(|a| serde_json::from_str(a).ok())
            .unwrap_or_default(),
        note_code: e.note_code,
        note: e.note,
        at: e.at,
    }
}

pub async fn evidence_file<D: Db>(
    deps: &Deps<'_, D>,
    files: &impl FileStore,
    actor: &Actor,
    brand_id: BrandId,
    case_id: CaseId,
    file_id: FileId,
) -> Result<FileBody> {
    access::authorize(actor, brand_id, Action::ViewBrand)?;
    let f = sql::evidence(deps.db, brand_id, case_id)
        .await?
        .into_iter()
        .find(|f| f.id == file_id)
        .ok_or(Error::NotFound)?;
    let bytes = files
        .get(&file_key(brand_id, &f.sha256))
        .await?
        .ok_or(Error::NotFound)?;
    Ok((bytes, f.content_type, f.name))
}

// ---------------------------------------------------------------- decisions on a case

/// A decision someone takes on a case, with what it needs.
#[derive(Debug, Clone)]
pub enum Decision {
    Confirm(ConfirmRequest),
    Reject(NoteRequest),
    Withdraw(ReasonRequest),
    Approve(NoteRequest),
    Decline(ReasonRequest),
    RetryTakedown(NoteRequest),
    Retract(NoteRequest),
    AppealResponse(AppealResponseRequest),
    Arbitrate(ArbitrationRequest),
}

impl Decision {
    /// The permission it needs and the move it asks for (bad choices are a 400 naming the field).
    fn action_and_transition(&self) -> Result<(Action, Transition)> {
        Ok(match self {
            Decision::Confirm(_) => (Action::DecideFlag, Transition::Confirm),
            Decision::Reject(_) => (Action::DecideFlag, Transition::Reject),
            Decision::Withdraw(_) => (Action::Withdraw, Transition::Withdraw),
            Decision::Approve(_) => (Action::ReviewReport, Transition::Approve),
            Decision::Decline(_) => (Action::ReviewReport, Transition::Decline),
            Decision::RetryTakedown(_) => (Action::RetryTakedown, Transition::RetryTakedown),
            Decision::Retract(_) => (Action::Retract, Transition::Retract),
            Decision::AppealResponse(r) => match r.decision.as_str() {
                "uphold" => (Action::AnswerAppeal, Transition::UpholdAppeal),
                "retract" => (Action::AnswerAppeal, Transition::RetractOnAppeal),
                "escalate" => (Action::AnswerAppeal, Transition::Escalate),
                _ => {
                    return Err(Error::invalid(
                        "decision",
                        "must be uphold, retract or escalate",
                    ))
                }
            },
            Decision::Arbitrate(r) => match r.decision.as_str() {
                "uphold" => (Action::Arbitrate, Transition::ArbitrationUphold),
                "reinstate" => (Action::Arbitrate, Transition::ArbitrationReinstate),
                _ => return Err(Error::invalid("decision", "must be uphold or reinstate")),
            },
        })
    }

    /// The note the history keeps (required where the other side must be told why).
    fn note(&self) -> Result<Option<String>> {
        match self {
            Decision::Reject(n)
            | Decision::Approve(n)
            | Decision::RetryTakedown(n)
            | Decision::Retract(n) => optional_text(n.note.as_deref(), "note", 2000),
            Decision::Confirm(c) => optional_text(c.note.as_deref(), "note", 2000),
            Decision::Withdraw(r) | Decision::Decline(r) => {
                Some(text(&r.reason, "reason", 2000)).transpose()
            }
            Decision::Arbitrate(r) => Some(text(&r.reason, "reason", 2000)).transpose(),
            Decision::AppealResponse(r) if r.decision == "uphold" => {
                Some(text(r.reason.as_deref().unwrap_or(""), "reason", 2000)).transpose()
            }
            Decision::AppealResponse(r) => optional_text(r.reason.as_deref(), "reason", 2000),
        }
    }
}

pub async fn decide<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
    case_id: CaseId,
    decision: Decision,
) -> Result<(CaseView, Vec<ActionId>)> {
    let (action, transition) = decision.action_and_transition()?;
    let capacity = access::authorize(actor, brand_id, action)?;
    let now = deps.clock.now();
    let note = decision.note()?;
    let c = sql::case(deps.db, brand_id, case_id)
        .await?
        .ok_or(Error::NotFound)?;
    let brand = sql::brand(deps.db, brand_id)
        .await?
        .ok_or(Error::NotFound)?;
    case::require(c.status, transition)?;
    let mut extra = Vec::new();
    let mut record = c.clone();
    if let Decision::Confirm(req) = &decision {
        let reason = ReasonCode::parse(&req.reason_code)?;
        let right = usable_right(deps.db, brand_id, &req.ip_right_id, now).await?;
        extra.push(sql::set_confirmed_right(c.id, right.id, reason.as_str()));
        record.reason_code = Some(reason.as_str().to_owned());
    }
    let by = Mover::of(actor, capacity, &brand.name);
    let note = note.map(Note::typed);
    let ids = apply_transition(
        deps,
        &record,
        &brand.brand_ref,
        transition,
        &by,
        note.as_ref(),
        extra,
    )
    .await?;
    Ok((case_file(deps, actor, brand_id, case_id).await?, ids))
}

/// At most this many decisions in one request (one batch of a few statements whatever the count).
pub const MAX_DECISIONS: usize = 100;

/// A check of one entry of many, named by its place: `decisions[3].reason_code`. The right's
/// refusals (422 on the single route) become a 400 naming the entry's `ip_right_id`, their
/// message unchanged.
fn entry_error(i: usize, e: Error) -> Error {
    match e {
        Error::Invalid { field, message } => Error::Invalid {
            field: format!("decisions[{i}].{field}"),
            message,
        },
        Error::Unprocessable(message) => Error::Invalid {
            field: format!("decisions[{i}].ip_right_id"),
            message,
        },
        other => other,
    }
}

/// Confirms or rejects many flagged listings of one brand at once. Every entry is checked as the
/// single confirm and reject check theirs (any bad entry: 400 naming it, nothing stored); then one
/// batch of a few statements over the JSON of all the moves (`sql::move_many`) moves each case
/// that is still the brand's, `awaiting_brand` and at the version given, and writes its event,
/// its takedown action and its webhooks; a case someone else moved meanwhile is a `conflict`,
/// left as it is, and does not fail the others. Returns the outcomes in the order asked and the
/// actions to send at once.
pub async fn decide_many<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
    req: DecisionsRequest,
) -> Result<(DecisionsAnswer, Vec<ActionId>)> {
    let capacity = access::authorize(actor, brand_id, Action::DecideFlag)?;
    let entries = req.decisions;
    if entries.is_empty() {
        return Err(Error::invalid("decisions", "must not be empty"));
    }
    if entries.len() > MAX_DECISIONS {
        return Err(Error::invalid(
            "decisions",
            format!(
                "has {} entries; at most {MAX_DECISIONS} in one request",
                entries.len()
            ),
        ));
    }
    let now = deps.clock.now();
    let brand = sql::brand(deps.db, brand_id)
        .await?
        .ok_or(Error::NotFound)?;
    let rights = if entries.iter().any(|d| d.decision == FlagDecision::Confirm) {
        sql::ip_rights(deps.db, brand_id).await?
    } else {
        Vec::new()
    };
    // Every case is in `awaiting_brand` when decided (the UPDATE checks it again).
    let from = Status::AwaitingBrand;
    let mut first_at: std::collections::HashMap<CaseId, usize> = Default::default();
    let mut moves = Vec::with_capacity(entries.len());
    // Per entry: where the decision takes the case, and the action it owes the marketplace.
    let mut planned: Vec<(Status, Option<ActionId>)> = Vec::with_capacity(entries.len());
    for (i, d) in entries.iter().enumerate() {
        if let Some(first) = first_at.insert(d.case_id, i) {
            return Err(Error::invalid(
                format!("decisions[{i}].case_id"),
                format!("repeats decisions[{first}]; decide each case once"),
            ));
        }
        let decision = match d.decision {
            FlagDecision::Confirm => Decision::Confirm(ConfirmRequest {
                ip_right_id: d.ip_right_id.clone().unwrap_or_default(),
                reason_code: d.reason_code.clone().unwrap_or_default(),
                note: d.note.clone(),
            }),
            FlagDecision::Reject => Decision::Reject(NoteRequest {
                note: d.note.clone(),
            }),
        };
        let (_, transition) = decision
            .action_and_transition()
            .map_err(|e| entry_error(i, e))?;
        let note = decision.note().map_err(|e| entry_error(i, e))?;
        let to = case::require(from, transition)?;
        let (right, reason) = match &decision {
            Decision::Confirm(c) => {
                let reason = ReasonCode::parse(&c.reason_code).map_err(|e| entry_error(i, e))?;
                let right =
                    usable_among(&rights, &c.ip_right_id, now).map_err(|e| entry_error(i, e))?;
                (Some(right.id), Some(reason.as_str()))
            }
            _ => (None, None),
        };
        let mut action = None;
        for kind in case::actions(from, transition) {
            match kind {
                ActionKind::ListingTakedown => action = Some(ActionId(deps.entropy.uuid())),
                other => {
                    return Err(Error::Internal(format!(
                        "{} is not written by a batch of decisions",
                        other.as_str()
                    )))
                }
            }
        }
        moves.push(serde_json::json!({
            "case_id": d.case_id, "version": d.version, "event": transition.as_str(),
            "to": to.as_str(), "is_open": i64::from(to.is_open()),
            "deadline_at": deadline_for(to, now), "decided_at": sql::decided_at(to, now),
            "ip_right_id": right, "reason_code": reason, "note": note,
            "action_id": action, "action_kind": action.map(|_| ActionKind::ListingTakedown.as_str()),
        }));
        planned.push((to, action));
    }
    let internal = |e: serde_json::Error| Error::Internal(e.to_string());
    let ids: Vec<CaseId> = entries.iter().map(|d| d.case_id).collect();
    let ids_json = serde_json::to_string(&ids).map_err(internal)?;
    let moves_json = serde_json::to_string(&moves).map_err(internal)?;
    let move_id = deps.entropy.uuid().to_string();
    // Cases are never deleted and never change brand: one not found now is the caller's mistake.
    let known = sql::case_moves(deps.db, brand_id, &ids_json, &move_id).await?;
    if let Some(i) = ids.iter().position(|id| !known.iter().any(|k| k.id == *id)) {
        return Err(Error::invalid(
            format!("decisions[{i}].case_id"),
            "is not a case of this brand",
        ));
    }
    let by = Mover::of(actor, capacity, &brand.name);
    let stmts = sql::move_many(&sql::ManyMoves {
        brand_id,
        brand_ref: &brand.brand_ref,
        from,
        moves_json: &moves_json,
        move_id: &move_id,
        by: &by,
        timestamp: &crate::outbox::rfc3339(now),
        now,
    });
    deps.db.batch(stmts).await.map_err(|e| match e {
        Error::Conflict(_) => Error::Conflict(
            "These cases were changed by someone else at the same moment; nothing was decided. Reload them and try again."
                .into(),
        ),
        other => other,
    })?;
    let after = sql::case_moves(deps.db, brand_id, &ids_json, &move_id).await?;
    let mut results = Vec::with_capacity(entries.len());
    let mut actions = Vec::new();
    for (d, (to, action)) in entries.iter().zip(planned) {
        let now_is = after.iter().find(|c| c.id == d.case_id);
        let result = match now_is {
            Some(c) if c.moved => {
                actions.extend(action);
                FlagDecisionResult {
                    case_id: d.case_id,
                    outcome: DecisionOutcome::Decided,
                    status: to,
                    version: d.version + 1,
                }
            }
            Some(c) => FlagDecisionResult {
                case_id: d.case_id,
                outcome: DecisionOutcome::Conflict,
                status: c.status,
                version: c.version,
            },
            None => return Err(Error::Internal(format!("case {} vanished", d.case_id))),
        };
        results.push(result);
    }
    Ok((DecisionsAnswer { results }, actions))
}

/// Staff queues: cases in one status across the brands the staff member looks after.
pub async fn staff_queue<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    status: Status,
) -> Result<CaseQueue> {
    let scope = staff_scope(actor)?;
    let now = deps.clock.now();
    let rows = sql::staff_queue(deps.db, status, scope, 200).await?;
    Ok(CaseQueue {
        cases: rows.into_iter().map(|r| summary(r, now)).collect(),
    })
}

pub fn case_summary_of_row(r: &CaseRow, now: Millis) -> CaseSummary {
    summary(r.clone(), now)
}

/// A report sent as multipart/form-data: the fields of `ReportRequest` (evidence links one per
/// line or space-separated, `good_faith` ticked as "true" or "on") and up to 5 `evidence` files.
pub fn report_from_multipart(
    parts: &[crate::form::Part],
) -> Result<(ReportRequest, Vec<StoredFile>)> {
    use crate::form::field;
    let required = |name: &str| -> Result<String> {
        field(parts, name)?.ok_or_else(|| Error::invalid(name, "is missing"))
    };
    let req = ReportRequest {
        listing: required("listing")?,
        ip_right_id: required("ip_right_id")?,
        reason_code: required("reason_code")?,
        statement: required("statement")?,
        evidence_urls: field(parts, "evidence_urls")?
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
        good_faith: matches!(
            field(parts, "good_faith")?.as_deref(),
            Some("true" | "on" | "1")
        ),
    };
    let uploads: Vec<&crate::form::Part> = parts
        .iter()
        .filter(|p| p.name == "evidence" && p.filename.as_deref().is_some_and(|n| !n.is_empty()))
        .collect();
    if uploads.len() > MAX_EVIDENCE_FILES {
        return Err(Error::invalid(
            "evidence",
            format!("at most {MAX_EVIDENCE_FILES} files"),
        ));
    }
    let files = uploads
        .into_iter()
        .map(|p| StoredFile::accept(p.filename.as_deref().unwrap_or("file"), p.data.clone()))
        .collect::<Result<Vec<_>>>()?;
    Ok((req, files))
}

/// The one file of an upload (`file` part, or the first file part).
pub fn single_file(parts: &[crate::form::Part]) -> Result<StoredFile> {
    let part = parts
        .iter()
        .find(|p| p.filename.is_some() && (p.name == "file" || p.name == "certificate"))
        .or_else(|| parts.iter().find(|p| p.filename.is_some()))
        .ok_or_else(|| Error::invalid("file", "is missing"))?;
    StoredFile::accept(
        part.filename.as_deref().unwrap_or("file"),
        part.data.clone(),
    )
}
