//! The confirmation queue's decisions, held ten seconds so they can be undone: kept above the
//! routes (going to another page of the app keeps them), then sent together, one
//! `cases/decisions` request per brand, or at once with a keepalive fetch when the page is left.

use crate::http::{self, ApiError};
use jf_core::api::{
    CaseSummary, DecisionOutcome, DecisionsAnswer, DecisionsRequest, FlagDecision,
    FlagDecisionRequest, Refusal,
};
use jf_core::case::Status;
use jf_core::ids::CaseId;
use jf_core::routes::RouteId;
use leptos::prelude::*;
use std::time::Duration;

/// How long a decision may be undone before it is sent.
pub const UNDO_MS: u64 = 10_000;

/// One decision on a flagged listing, as its card took it.
#[derive(Clone, Debug, PartialEq)]
pub struct Held {
    /// The brand's id as the path writes it.
    pub brand: String,
    /// The case as the card showed it: its version is the one decided on, and the card can be
    /// shown again from it once the queue no longer lists the case.
    pub case: CaseSummary,
    pub decision: FlagDecision,
    /// A confirmation's right (its id) and reason code (empty for a rejection).
    pub right: String,
    pub reason: String,
}

/// Where a held decision is.
#[derive(Clone, Debug, PartialEq)]
pub enum Stage {
    /// The window is open: it may still be undone.
    Waiting,
    Sending,
    /// Decided: the status the case moved to.
    Decided(Status),
    /// Someone else changed the case meanwhile: left as it is.
    Conflict,
    /// The confirmation's right may not be invoked: left as it is.
    Refused(Refusal),
    /// The request failed: nothing was decided.
    Failed(ApiError),
}

impl Stage {
    /// Not answered yet (the card waits; its decision may not be taken again).
    pub fn is_open(&self) -> bool {
        matches!(self, Stage::Waiting | Stage::Sending)
    }

    /// Answered, and the case still awaits the brand: its card may decide again.
    pub fn may_decide_again(&self) -> bool {
        matches!(self, Stage::Refused(_) | Stage::Failed(_))
    }
}

#[derive(Clone, Debug, PartialEq)]
struct Entry {
    held: Held,
    stage: Stage,
}

/// The held decisions of the whole app (provided by `App`).
#[derive(Clone, Copy)]
pub struct HeldDecisions {
    entries: RwSignal<Vec<Entry>>,
    /// The end of the window: it starts again at each decision, so each may be undone for the
    /// whole ten seconds, and all go in one request.
    timer: StoredValue<Option<TimeoutHandle>>,
    /// Counts the answers: the queue asks for its list again after each.
    answered: RwSignal<u64>,
    /// Counts the windows started: a waiting card draws its window afresh with each.
    windows: RwSignal<u64>,
}

/// Makes the held decisions and provides them to every page (called once, by `App`, above the
/// routes, so that they outlive the queue). Leaving the page sends what is waiting at once.
pub fn provide_held_decisions() {
    let held = HeldDecisions {
        entries: RwSignal::new(Vec::new()),
        timer: StoredValue::new(None),
        answered: RwSignal::new(0),
        windows: RwSignal::new(0),
    };
    // One listener for the app's life: `App` is never unmounted.
    let _ = window_event_listener(leptos::ev::pagehide, move |_| held.send(true));
    provide_context(held);
}

/// The app's held decisions (provided by `App`).
pub fn held_decisions() -> HeldDecisions {
    expect_context::<HeldDecisions>()
}

impl HeldDecisions {
    /// Holds decisions for the window (a case whose decision is still open is left as it is).
    pub fn hold(self, decisions: Vec<Held>) {
        if decisions.is_empty() {
            return;
        }
        self.entries.update(|all| {
            for held in decisions {
                let id = held.case.id;
                if all
                    .iter()
                    .any(|e| e.held.case.id == id && e.stage.is_open())
                {
                    continue;
                }
                all.retain(|e| e.held.case.id != id);
                all.push(Entry {
                    held,
                    stage: Stage::Waiting,
                });
            }
        });
        self.stop_window();
        let handle =
            set_timeout_with_handle(move || self.send(false), Duration::from_millis(UNDO_MS)).ok();
        self.timer.set_value(handle);
    }

    /// Takes back the decision on `case` while its window is open.
    pub fn undo(self, case: CaseId) {
        self.entries.update(|all| {
            all.retain(|e| !(e.held.case.id == case && e.stage == Stage::Waiting));
        });
        let waiting = self
            .entries
            .with_untracked(|all| all.iter().any(|e| e.stage == Stage::Waiting));
        if !waiting {
            self.stop_window();
        }
    }

    fn stop_window(self) {
        if let Some(handle) = self.timer.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    }

    /// The decision taken on `case` and where it is, if one was (a tracked read).
    pub fn of(self, case: CaseId) -> Option<(FlagDecision, Stage)> {
        self.entries.with(|all| {
            all.iter()
                .find(|e| e.held.case.id == case)
                .map(|e| (e.held.decision, e.stage.clone()))
        })
    }

    /// The cases of `brand` with a decision, as their cards showed them (a tracked read).
    pub fn cases_of(self, brand: &str) -> Vec<CaseSummary> {
        self.entries.with(|all| {
            all.iter()
                .filter(|e| e.held.brand == brand)
                .map(|e| e.held.case.clone())
                .collect()
        })
    }

    /// How many windows were started so far (a tracked read).
    pub fn windows(self) -> u64 {
        self.windows.get()
    }

    /// How many answers came so far (a tracked read).
    pub fn answers(self) -> u64 {
        self.answered.get()
    }

    /// Forgets what came of the answered decisions of `brand` (its queue is left: the cards
    /// showed it). Those still open stay.
    pub fn forget_answered(self, brand: &str) {
        self.entries.try_update(|all| {
            all.retain(|e| e.held.brand != brand || e.stage.is_open());
        });
    }

    /// Sends every waiting decision now, one request per brand; with `keepalive` (the page is
    /// being left) each fetch is started before this returns and outlives the page.
    pub fn send(self, keepalive: bool) {
        self.stop_window();
        let mut waiting: Vec<Held> = Vec::new();
        self.entries.try_update(|all| {
            for e in all.iter_mut().filter(|e| e.stage == Stage::Waiting) {
                e.stage = Stage::Sending;
                waiting.push(e.held.clone());
            }
        });
        for (brand, held) in by_brand(waiting) {
            let path = http::api(RouteId::DecideMany, &[&brand]);
            let body = body_of(&held);
            let cases: Vec<CaseId> = held.iter().map(|h| h.case.id).collect();
            if keepalive {
                let answer = http::post_keepalive::<_, DecisionsAnswer>(&path, &body);
                leptos::task::spawn_local(async move { self.settle(&cases, answer.await) });
            } else {
                leptos::task::spawn_local(async move {
                    self.settle(&cases, http::post(&path, &body).await);
                });
            }
        }
    }

    /// Records what the answer says of each of `cases`.
    fn settle(self, cases: &[CaseId], answer: Result<DecisionsAnswer, ApiError>) {
        self.entries.try_update(|all| {
            for e in all
                .iter_mut()
                .filter(|e| e.stage == Stage::Sending && cases.contains(&e.held.case.id))
            {
                e.stage = stage_of(&answer, e.held.case.id);
            }
        });
        self.answered.try_update(|n| *n += 1);
    }
}

/// The decisions grouped by brand, in the order first taken.
fn by_brand(held: Vec<Held>) -> Vec<(String, Vec<Held>)> {
    let mut groups: Vec<(String, Vec<Held>)> = Vec::new();
    for h in held {
        match groups.iter_mut().find(|(b, _)| *b == h.brand) {
            Some((_, of)) => of.push(h),
            None => groups.push((h.brand.clone(), vec![h])),
        }
    }
    groups
}

/// The body of `cases/decisions`: each case at the version its card showed, each confirmation
/// with its own right and reason.
fn body_of(held: &[Held]) -> DecisionsRequest {
    DecisionsRequest {
        decisions: held
            .iter()
            .map(|h| {
                let confirm = h.decision == FlagDecision::Confirm;
                FlagDecisionRequest {
                    case_id: h.case.id,
                    version: h.case.version,
                    decision: h.decision,
                    ip_right_id: confirm.then(|| h.right.clone()),
                    reason_code: confirm.then(|| h.reason.clone()),
                    note: None,
                }
            })
            .collect(),
    }
}

/// What the answer of `cases/decisions` says of `case`.
fn stage_of(answer: &Result<DecisionsAnswer, ApiError>, case: CaseId) -> Stage {
    let answer = match answer {
        Ok(answer) => answer,
        Err(e) => return Stage::Failed(e.clone()),
    };
    let bad = || Stage::Failed(ApiError::local(200, "bad_response"));
    match answer.results.iter().find(|r| r.case_id == case) {
        Some(r) => match (r.outcome, &r.refusal) {
            (DecisionOutcome::Decided, _) => Stage::Decided(r.status),
            (DecisionOutcome::Conflict, _) => Stage::Conflict,
            (DecisionOutcome::Refused, Some(refusal)) => Stage::Refused(refusal.clone()),
            (DecisionOutcome::Refused, None) => bad(),
        },
        None => bad(),
    }
}

/// A refusal as the error it is, to be said in the reader's language (`ErrorText`): the
/// server's English, or the reason's own sentence in Chinese.
pub fn refusal_error(refusal: &Refusal) -> ApiError {
    ApiError {
        status: 422,
        code: "unprocessable".into(),
        message: refusal.message.clone(),
        field: None,
        rows: Vec::new(),
        refused: Box::default(),
        reason: refusal.reason().map(Box::new),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jf_core::api::{FlagDecisionResult, RefusalCode};

    fn case(n: u8, version: i64) -> CaseSummary {
        let mut c: CaseSummary = serde_json::from_value(serde_json::json!({
            "id": uuid_of(n), "brand_id": uuid_of(99), "brand_name": "Aurelia",
            "listing_id": format!("MKT-{n}"), "title": "t", "seller_id": "S", "seller_name": "S",
            "status": "awaiting_brand", "origin": "detection", "overdue": false,
            "created_at": 0, "updated_at": 0, "version": version
        }))
        .expect("a case summary");
        c.price = None;
        c
    }

    fn uuid_of(n: u8) -> String {
        format!("00000000-0000-4000-8000-0000000000{n:02}")
    }

    fn held(brand: &str, n: u8, decision: FlagDecision, right: &str) -> Held {
        Held {
            brand: brand.into(),
            case: case(n, i64::from(n)),
            decision,
            right: right.into(),
            reason: "counterfeit".into(),
        }
    }

    #[test]
    fn each_confirmation_carries_its_own_right_and_the_version_its_card_showed() {
        let body = body_of(&[
            held("b", 1, FlagDecision::Confirm, "r-eu"),
            held("b", 2, FlagDecision::Confirm, "r-cn"),
            held("b", 3, FlagDecision::Reject, ""),
        ]);
        let sent: Vec<_> = body
            .decisions
            .iter()
            .map(|d| (d.version, d.ip_right_id.clone(), d.reason_code.clone()))
            .collect();
        assert_eq!(
            sent,
            [
                (1, Some("r-eu".into()), Some("counterfeit".into())),
                (2, Some("r-cn".into()), Some("counterfeit".into())),
                (3, None, None),
            ]
        );
    }

    #[test]
    fn decisions_go_one_request_per_brand_in_the_order_taken() {
        let groups = by_brand(vec![
            held("a", 1, FlagDecision::Reject, ""),
            held("b", 2, FlagDecision::Reject, ""),
            held("a", 3, FlagDecision::Reject, ""),
        ]);
        let shape: Vec<(String, Vec<i64>)> = groups
            .into_iter()
            .map(|(b, h)| (b, h.iter().map(|h| h.case.version).collect()))
            .collect();
        assert_eq!(shape, [("a".into(), vec![1, 3]), ("b".into(), vec![2])]);
    }

    #[test]
    fn an_answer_says_of_each_case_decided_conflict_or_refused_with_why() {
        let id = |n| case(n, 1).id;
        let refusal = Refusal {
            code: RefusalCode::RightExpired,
            args: vec!["TM-1".into()],
            message: "The IP right TM-1 has expired.".into(),
        };
        let result = |n, outcome, status, refusal| FlagDecisionResult {
            case_id: id(n),
            outcome,
            status,
            version: 1,
            refusal,
        };
        let answer = Ok(DecisionsAnswer {
            results: vec![
                result(1, DecisionOutcome::Decided, Status::TakedownRequested, None),
                result(2, DecisionOutcome::Conflict, Status::Cleared, None),
                result(
                    3,
                    DecisionOutcome::Refused,
                    Status::AwaitingBrand,
                    Some(refusal.clone()),
                ),
            ],
        });
        assert_eq!(
            stage_of(&answer, id(1)),
            Stage::Decided(Status::TakedownRequested)
        );
        assert_eq!(stage_of(&answer, id(2)), Stage::Conflict);
        assert_eq!(stage_of(&answer, id(3)), Stage::Refused(refusal.clone()));
        assert!(matches!(stage_of(&answer, id(4)), Stage::Failed(_)));
        let failed = Err(ApiError::network());
        assert_eq!(stage_of(&failed, id(1)), Stage::Failed(ApiError::network()));
        // The refusal reads in Chinese from its code, its data kept.
        let err = refusal_error(&refusal);
        let zh = err.text(crate::i18n::Lang::Zh);
        assert!(zh.contains("TM-1") && zh.contains("已过期"), "{zh}");
        assert_eq!(
            err.text(crate::i18n::Lang::En),
            "The IP right TM-1 has expired."
        );
    }
}
