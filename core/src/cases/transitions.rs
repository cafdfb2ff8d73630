//! Moving a case: one transition applied in one batch (the event, the actions owed to the
//! marketplace, the brand's webhooks, the repeat-infringer flag) and the deadline each status
//! starts. It sits below every caller that moves cases (`marketplace`, `jobs`, the decisions) and
//! never uses `crate::marketplace`.

use crate::audit::{AuditEntry, AuditKind, Subject};
use crate::case::{self, ActionKind, Status, Transition};
use crate::clock::{Entropy, Millis, DAY};
use crate::history::{Mover, Note};
use crate::identity::Deps;
use crate::ids::ActionId;
use crate::notifications::Notice;
use crate::reasons::Reason;
use crate::sql::{self, CaseRecord};
use crate::store::Db;
use crate::{Error, Result};

pub const REVIEW_SLA: Millis = 2 * DAY;
pub const CONFIRM_DEADLINE: Millis = 7 * DAY;
pub const APPEAL_WINDOW: Millis = 14 * DAY;

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
    let (stmts, ids) = transition_stmts(deps, case, brand_ref, t, by, note, extra)?;
    deps.db.batch(stmts).await.map_err(changed_meanwhile)?;
    Ok(ids)
}

/// A move's batch failing on the version guard: someone moved the case first.
pub fn changed_meanwhile(e: Error) -> Error {
    match e {
        Error::Conflict(_) => Error::conflict(Reason::ChangedMeanwhile),
        other => other,
    }
}

/// The statements of `apply_transition`'s batch, and the ids of the actions they write, for a
/// caller that sends them with more (a decision reads the case file in the same round trip).
pub fn transition_stmts<D: Db>(
    deps: &Deps<'_, D>,
    case: &CaseRecord,
    brand_ref: &str,
    t: Transition,
    by: &Mover,
    note: Option<&Note>,
    extra: Vec<crate::store::Stmt>,
) -> Result<(Vec<crate::store::Stmt>, Vec<ActionId>)> {
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
    stmts.extend(
        AuditEntry::by_mover(AuditKind::CaseMoved, by, case.brand_id)
            .subject(Subject::Case, case.id)
            .detail("event", t.as_str())
            .detail("from", case.status)
            .detail("to", to)
            .detail("seq", case.event_count + 1)
            .notice(Notice::of_move(t))
            .stmts(deps),
    );
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
    Ok((stmts, ids))
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
