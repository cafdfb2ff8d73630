//! Decisions on a case: one at a time (`decide`, every transition a person may make) or many
//! flagged listings of one brand confirmed or rejected in one write (`decide_many`).

use super::queries::case_view;
use super::rights::{check_usable, usable_among};
use super::transitions::{changed_meanwhile, deadline_for, transition_stmts};
use super::{optional_text, text, Mover, ReasonCode};
use crate::access::{self, Action, Actor, Capacity};
use crate::api::*;
use crate::audit::{AuditEntry, AuditKind};
use crate::case::{self, ActionKind, Status, Transition};
use crate::history::Note;
use crate::identity::Deps;
use crate::ids::{ActionId, BrandId, CaseId, IpRightId};
use crate::outbox::{self, Owed};
use crate::reasons::{Reason, Why};
use crate::sql;
use crate::store::{decode_rows, Db, Rows};
use crate::{Error, Result};

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
) -> Result<(CaseView, Owed)> {
    let (action, transition) = decision.action_and_transition()?;
    let capacity = access::authorize(actor, brand_id, action)?;
    let now = deps.clock.now();
    let note = decision.note()?;
    if let Some(decided) = decide_flag_at_once(
        deps,
        actor,
        capacity,
        brand_id,
        case_id,
        &decision,
        note.as_deref(),
        now,
    )
    .await?
    {
        return Ok(decided);
    }
    // The case, its brand and the right a confirmation invokes are read in one batch; their
    // refusals still come in this order: no case, no brand, a move its status does not allow,
    // then the reason and the right.
    let right_id = match &decision {
        Decision::Confirm(req) => Some(IpRightId::parse(&req.ip_right_id)),
        _ => None,
    };
    let mut reads = vec![sql::case_stmt(brand_id, case_id), sql::brand_stmt(brand_id)];
    if let Some(Ok(id)) = &right_id {
        reads.push(sql::ip_right_stmt(brand_id, *id));
    }
    let mut parts = deps.db.all_of(reads).await?.into_iter();
    let c: Option<sql::CaseRecord> = decode_rows(parts.next())?.pop();
    let brand: Option<sql::BrandRecord> = decode_rows(parts.next())?.pop();
    let right: Option<sql::IpRightRecord> = decode_rows(parts.next())?.pop();
    let c = c.ok_or(Error::NotFound)?;
    let brand = brand.ok_or(Error::NotFound)?;
    case::require(c.status, transition)?;
    let mut extra = Vec::new();
    let mut record = c.clone();
    if let (Decision::Confirm(req), Some(id)) = (&decision, right_id) {
        let reason = ReasonCode::parse(&req.reason_code)?;
        id?;
        let right = check_usable(right.as_ref(), now)?;
        extra.push(sql::set_confirmed_right(c.id, right.id, reason.as_str()));
        record.reason_code = Some(reason.as_str().to_owned());
    }
    let by = Mover::of(actor, capacity, &brand.name);
    let note = note.map(Note::typed);
    let (writes, ids) = transition_stmts(
        deps,
        &record,
        &brand.brand_ref,
        transition,
        &by,
        note.as_ref(),
        extra,
    )?;
    // The case file after the move, read in the same round trip as the move's writes.
    let rows = deps
        .db
        .write_then_read(writes, sql::case_file_stmts(brand_id, case_id).into())
        .await
        .map_err(changed_meanwhile)?;
    access::authorize(actor, brand_id, Action::ViewBrand)?;
    let view = case_view(actor, brand_id, case_id, sql::case_file_records(rows)?, now)?;
    Ok((view, Owed::Actions(ids)))
}

/// A decision on a flagged listing (`awaiting_brand`) as `sql::move_many` writes it.
struct FlagMove<'a> {
    case_id: CaseId,
    /// The version the decider saw (None: whatever the case's is when the move is written).
    version: Option<i64>,
    transition: Transition,
    right: Option<IpRightId>,
    reason: Option<ReasonCode>,
    note: Option<&'a str>,
}

impl FlagMove<'_> {
    /// The move as one entry of `ManyMoves::moves_json`, the status it leads to, and the
    /// takedown it owes the marketplace (a confirmation's).
    fn json<D: Db>(
        &self,
        deps: &Deps<'_, D>,
        now: crate::clock::Millis,
    ) -> Result<(serde_json::Value, Status, Option<ActionId>)> {
        let from = Status::AwaitingBrand;
        let to = case::require(from, self.transition)?;
        let mut action = None;
        for kind in case::actions(from, self.transition) {
            match kind {
                ActionKind::ListingTakedown => action = Some(ActionId(deps.entropy.uuid())),
                other => {
                    return Err(Error::internal(format!(
                        "{} is not written by a batch of decisions",
                        other.as_str()
                    )))
                }
            }
        }
        let json = serde_json::json!({
            "case_id": self.case_id, "version": self.version, "event": self.transition.as_str(),
            "to": to.as_str(), "is_open": i64::from(to.is_open()),
            "deadline_at": deadline_for(to, now), "decided_at": sql::decided_at(to, now),
            "ip_right_id": self.right, "reason_code": self.reason.map(|r| r.as_str()), "note": self.note,
            "action_id": action, "action_kind": action.map(|_| ActionKind::ListingTakedown.as_str()),
        });
        Ok((json, to, action))
    }
}

/// The writes of decisions on flags (`sql::move_many` over `moves_json`), and one audit entry per
/// case the batch really moved, as `apply_transition` writes it.
fn flag_moves_stmts<D: Db>(
    deps: &Deps<'_, D>,
    brand_id: BrandId,
    brand_ref: Option<&str>,
    by: &Mover,
    moves_json: &str,
    move_id: &str,
    now: crate::clock::Millis,
) -> Vec<crate::store::Stmt> {
    // A flag is decided while it awaits the brand (the UPDATE checks it again).
    let from = Status::AwaitingBrand;
    let mut stmts = sql::move_many(&sql::ManyMoves {
        brand_id,
        brand_ref,
        from,
        moves_json,
        move_id,
        by,
        timestamp: &crate::outbox::rfc3339(now),
        now,
    });
    stmts.push(
        AuditEntry::by_mover(AuditKind::CaseMoved, by, brand_id).stmt_for_moves(
            deps,
            moves_json,
            move_id,
            from.as_str(),
        ),
    );
    stmts
}

/// A flag confirmed or rejected by one of the brand's own members, in one round trip: the move
/// is written on condition that the case still awaits the brand (and, for a confirmation, that
/// the right may still be invoked), and the case file is read after it in the same batch. None
/// when the move did not apply, or when this is not such a decision (another transition; staff
/// or a key, whom the history names with the brand's name; a right or reason that does not
/// parse): the careful path then reads first and answers why, in its order, or moves the case.
#[allow(clippy::too_many_arguments)]
async fn decide_flag_at_once<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    capacity: Capacity,
    brand_id: BrandId,
    case_id: CaseId,
    decision: &Decision,
    note: Option<&str>,
    now: crate::clock::Millis,
) -> Result<Option<(CaseView, Owed)>> {
    if !matches!(capacity, Capacity::Member(_)) {
        return Ok(None);
    }
    let (transition, right, reason) = match decision {
        Decision::Confirm(req) => match (
            IpRightId::parse(&req.ip_right_id),
            ReasonCode::parse(&req.reason_code),
        ) {
            (Ok(right), Ok(reason)) => (Transition::Confirm, Some(right), Some(reason)),
            _ => return Ok(None),
        },
        Decision::Reject(_) => (Transition::Reject, None, None),
        _ => return Ok(None),
    };
    let planned = FlagMove {
        case_id,
        version: None,
        transition,
        right,
        reason,
        note,
    };
    let (json, _, action) = planned.json(deps, now)?;
    let moves_json = serde_json::Value::Array(vec![json]).to_string();
    let move_id = deps.entropy.uuid().to_string();
    // A member acts for their own brand: the history names them, not the brand.
    let by = Mover::of(actor, capacity, "");
    let mut writes = flag_moves_stmts(deps, brand_id, None, &by, &moves_json, &move_id, now);
    let ids_json = serde_json::to_string(&[case_id])?;
    let mut reads = vec![sql::case_moves_stmt(brand_id, &ids_json, &move_id)];
    reads.extend(sql::case_file_stmts(brand_id, case_id));
    // The takedown is leased to this request in the same batch, so that sending it after the
    // answer is one round trip (the send and its mark). Should the request die first, the cron
    // sends it once the lease ends.
    let leased_to = match action {
        Some(id) => {
            let owner = deps.entropy.uuid().to_string();
            let only = serde_json::to_string(&[id])?;
            let (lease, leased_reads) = outbox::Leased::stmts(&owner, Some(&only), now);
            writes.push(lease);
            reads.extend(leased_reads);
            Some(owner)
        }
        None => None,
    };
    let mut rows = deps
        .db
        .write_then_read(writes, reads)
        .await
        .map_err(changed_meanwhile)?
        .into_iter();
    let moved: Vec<sql::CaseMove> = decode_rows(rows.next())?;
    if !moved.iter().any(|m| m.moved) {
        return Ok(None);
    }
    access::authorize(actor, brand_id, Action::ViewBrand)?;
    let file: Vec<Rows> = rows.by_ref().take(sql::CASE_FILE_READS).collect();
    let view = case_view(actor, brand_id, case_id, sql::case_file_records(file)?, now)?;
    let owed = match leased_to {
        Some(owner) => Owed::Leased(outbox::Leased::read(owner, &mut rows)?),
        None => Owed::Actions(Vec::new()),
    };
    Ok(Some((view, owed)))
}

/// At most this many decisions in one request (one batch of a few statements whatever the count).
pub const MAX_DECISIONS: usize = 100;

/// A check of one entry of many, named by its place: `decisions[3].reason_code`.
fn entry_error(i: usize, e: Error) -> Error {
    match e {
        Error::Invalid { field, why } => Error::Invalid {
            field: format!("decisions[{i}].{field}"),
            why,
        },
        other => other,
    }
}

/// The right and reason a confirmation of many invokes, or why it may not (the refusals the
/// single confirm answers with a 422): a well-formed entry that may not invoke its right is
/// refused alone, and the others still go.
fn confirmation(
    i: usize,
    c: &ConfirmRequest,
    rights: &[sql::IpRightRecord],
    now: crate::clock::Millis,
) -> Result<std::result::Result<(IpRightId, ReasonCode), Refusal>> {
    let reason = ReasonCode::parse(&c.reason_code).map_err(|e| entry_error(i, e))?;
    let refusal = |e: Error| match &e {
        Error::Unprocessable(Why::Reason(r)) => Refusal::of(r).ok_or(e),
        _ => Err(entry_error(i, e)),
    };
    match usable_among(rights, &c.ip_right_id, now) {
        Ok(right) => Ok(Ok((right.id, reason))),
        Err(e) => refusal(e).map(Err),
    }
}

/// Confirms or rejects many flagged listings of one brand at once. Every entry is checked as the
/// single confirm and reject check theirs: a malformed entry is a 400 naming it, and nothing is
/// stored; a confirmation whose right may not be invoked (not the brand's, not verified,
/// expired) is `refused` on its own, with its reason, and left as it is. Then one batch of a few
/// statements over the JSON of the other moves (`sql::move_many`) moves each case that is still
/// the brand's, `awaiting_brand` and at the version given, and writes its event, its takedown
/// action and its webhooks; a case someone else moved meanwhile is a `conflict`, left as it is,
/// and does not fail the others. Returns the outcomes in the order asked and the actions to send
/// at once.
pub async fn decide_many<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
    req: DecisionsRequest,
) -> Result<(DecisionsAnswer, Vec<ActionId>)> {
    let capacity = access::authorize(actor, brand_id, Action::DecideFlag)?;
    let entries = req.decisions;
    if entries.is_empty() {
        return Err(Error::invalid("decisions", Reason::Empty));
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
    let mut first_at: std::collections::HashMap<CaseId, usize> = Default::default();
    let mut moves = Vec::with_capacity(entries.len());
    // Per entry: where the decision takes the case and the action it owes the marketplace, or
    // why it is refused.
    let mut planned: Vec<std::result::Result<(Status, Option<ActionId>), Refusal>> =
        Vec::with_capacity(entries.len());
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
        let (right, reason) = match &decision {
            Decision::Confirm(c) => match confirmation(i, c, &rights, now)? {
                Ok((right, reason)) => (Some(right), Some(reason)),
                Err(refusal) => {
                    planned.push(Err(refusal));
                    continue;
                }
            },
            _ => (None, None),
        };
        let planned_move = FlagMove {
            case_id: d.case_id,
            version: Some(d.version),
            transition,
            right,
            reason,
            note: note.as_deref(),
        };
        let (json, to, action) = planned_move.json(deps, now)?;
        moves.push(json);
        planned.push(Ok((to, action)));
    }
    let ids: Vec<CaseId> = entries.iter().map(|d| d.case_id).collect();
    let ids_json = serde_json::to_string(&ids)?;
    let moves_json = serde_json::to_string(&moves)?;
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
    let stmts = flag_moves_stmts(
        deps,
        brand_id,
        Some(&brand.brand_ref),
        &by,
        &moves_json,
        &move_id,
        now,
    );
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
    for (d, plan) in entries.iter().zip(planned) {
        let now_is = after.iter().find(|c| c.id == d.case_id);
        let result = match (now_is, plan) {
            (Some(c), Err(refusal)) => FlagDecisionResult {
                case_id: d.case_id,
                outcome: DecisionOutcome::Refused,
                status: c.status,
                version: c.version,
                refusal: Some(refusal),
            },
            (Some(c), Ok((to, action))) if c.moved => {
                actions.extend(action);
                FlagDecisionResult {
                    case_id: d.case_id,
                    outcome: DecisionOutcome::Decided,
                    status: to,
                    version: d.version + 1,
                    refusal: None,
                }
            }
            (Some(c), Ok(_)) => FlagDecisionResult {
                case_id: d.case_id,
                outcome: DecisionOutcome::Conflict,
                status: c.status,
                version: c.version,
                refusal: None,
            },
            (None, _) => return Err(Error::internal(format!("case {} vanished", d.case_id))),
        };
        results.push(result);
    }
    Ok((DecisionsAnswer { results }, actions))
}
