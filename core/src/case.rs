//! The case state machine of DESIGN.md: one case is one listing for one brand. Every move is a
//! `Transition`; `next` is the whole table, and anything not in it is illegal (409).

use crate::reasons::Reason;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    UnderReview,
    AwaitingBrand,
    TakedownRequested,
    TakedownFailed,
    TakenDown,
    Appealed,
    InArbitration,
    Declined,
    Cleared,
    Expired,
    Withdrawn,
    Upheld,
    Reinstated,
    ListingGone,
}

impl Status {
    pub const ALL: [Status; 14] = [
        Status::UnderReview,
        Status::AwaitingBrand,
        Status::TakedownRequested,
        Status::TakedownFailed,
        Status::TakenDown,
        Status::Appealed,
        Status::InArbitration,
        Status::Declined,
        Status::Cleared,
        Status::Expired,
        Status::Withdrawn,
        Status::Upheld,
        Status::Reinstated,
        Status::ListingGone,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::UnderReview => "under_review",
            Status::AwaitingBrand => "awaiting_brand",
            Status::TakedownRequested => "takedown_requested",
            Status::TakedownFailed => "takedown_failed",
            Status::TakenDown => "taken_down",
            Status::Appealed => "appealed",
            Status::InArbitration => "in_arbitration",
            Status::Declined => "declined",
            Status::Cleared => "cleared",
            Status::Expired => "expired",
            Status::Withdrawn => "withdrawn",
            Status::Upheld => "upheld",
            Status::Reinstated => "reinstated",
            Status::ListingGone => "listing_gone",
        }
    }

    pub fn parse(raw: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| Error::invalid("status", "is not a case status"))
    }

    /// Open cases still need someone to act; final ones never change again.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Status::UnderReview
                | Status::AwaitingBrand
                | Status::TakedownRequested
                | Status::TakedownFailed
                | Status::TakenDown
                | Status::Appealed
                | Status::InArbitration
        )
    }
}

/// Where a case came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    Report,
    Detection,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Report => "report",
            Origin::Detection => "detection",
        }
    }
    pub fn parse(raw: &str) -> Result<Self> {
        match raw {
            "report" => Ok(Origin::Report),
            "detection" => Ok(Origin::Detection),
            _ => Err(Error::invalid("origin", "must be report or detection")),
        }
    }
}

/// Something that happens to an existing case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transition {
    /// Manager approves a report in the review lane.
    Approve,
    /// Manager declines a report in the review lane.
    Decline,
    /// Brand confirms a flagged listing is infringing.
    Confirm,
    /// Brand says a flagged listing is genuine.
    Reject,
    /// The brand's 7 days to answer a flag ran out.
    Expire,
    Withdraw,
    TakedownCompleted,
    TakedownFailed,
    /// Manager retries a failed takedown.
    RetryTakedown,
    /// Brand retracts a takedown it made by mistake.
    Retract,
    AppealFiled,
    /// 14 days taken down without an appeal.
    NoAppeal,
    /// Brand upholds its takedown against the appeal.
    UpholdAppeal,
    /// Brand accepts the appeal: the listing comes back.
    RetractOnAppeal,
    /// Brand hands the appeal to its account manager.
    Escalate,
    ArbitrationUphold,
    ArbitrationReinstate,
    /// The brand's 3 days to answer an appeal ran out.
    AppealDeadlinePassed,
    /// The seller deleted the listing (or the marketplace removed it) before a takedown.
    ListingRemoved,
}

impl Transition {
    pub const ALL: [Transition; 19] = [
        Transition::Approve,
        Transition::Decline,
        Transition::Confirm,
        Transition::Reject,
        Transition::Expire,
        Transition::Withdraw,
        Transition::TakedownCompleted,
        Transition::TakedownFailed,
        Transition::RetryTakedown,
        Transition::Retract,
        Transition::AppealFiled,
        Transition::NoAppeal,
        Transition::UpholdAppeal,
        Transition::RetractOnAppeal,
        Transition::Escalate,
        Transition::ArbitrationUphold,
        Transition::ArbitrationReinstate,
        Transition::AppealDeadlinePassed,
        Transition::ListingRemoved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Transition::Approve => "approve",
            Transition::Decline => "decline",
            Transition::Confirm => "confirm",
            Transition::Reject => "reject",
            Transition::Expire => "expire",
            Transition::Withdraw => "withdraw",
            Transition::TakedownCompleted => "takedown_completed",
            Transition::TakedownFailed => "takedown_failed",
            Transition::RetryTakedown => "retry_takedown",
            Transition::Retract => "retract",
            Transition::AppealFiled => "appeal_filed",
            Transition::NoAppeal => "no_appeal",
            Transition::UpholdAppeal => "uphold_appeal",
            Transition::RetractOnAppeal => "retract_on_appeal",
            Transition::Escalate => "escalate",
            Transition::ArbitrationUphold => "arbitration_uphold",
            Transition::ArbitrationReinstate => "arbitration_reinstate",
            Transition::AppealDeadlinePassed => "appeal_deadline_passed",
            Transition::ListingRemoved => "listing_removed",
        }
    }
}

/// A message the marketplace must receive because of a transition (written to the outbox in the
/// transition's own batch).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActionKind {
    #[serde(rename = "listing.takedown")]
    ListingTakedown,
    #[serde(rename = "listing.reinstate")]
    ListingReinstate,
    #[serde(rename = "appeal.decided")]
    AppealDecided,
    #[serde(rename = "seller.flagged")]
    SellerFlagged,
}

impl ActionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::ListingTakedown => "listing.takedown",
            ActionKind::ListingReinstate => "listing.reinstate",
            ActionKind::AppealDecided => "appeal.decided",
            ActionKind::SellerFlagged => "seller.flagged",
        }
    }
}

/// The whole table: the status a transition leads to from `from`, or `None` when illegal.
pub fn next(from: Status, t: Transition) -> Option<Status> {
    use Status::*;
    use Transition as T;
    Some(match (from, t) {
        (UnderReview, T::Approve) => TakedownRequested,
        (UnderReview, T::Decline) => Declined,
        (AwaitingBrand, T::Confirm) => TakedownRequested,
        (AwaitingBrand, T::Reject) => Cleared,
        (AwaitingBrand, T::Expire) => Expired,
        (UnderReview | AwaitingBrand | TakedownFailed, T::Withdraw) => Withdrawn,
        (TakedownRequested, T::TakedownCompleted) => TakenDown,
        (TakedownRequested, T::TakedownFailed) => TakedownFailed,
        (TakedownFailed, T::RetryTakedown) => TakedownRequested,
        (TakenDown, T::Retract) => Reinstated,
        (TakenDown | TakedownRequested, T::AppealFiled) => Appealed,
        (TakenDown, T::NoAppeal) => Upheld,
        (Appealed, T::UpholdAppeal) => Upheld,
        (Appealed, T::RetractOnAppeal) => Reinstated,
        (Appealed, T::Escalate) => InArbitration,
        (InArbitration, T::ArbitrationUphold) => Upheld,
        (InArbitration, T::ArbitrationReinstate) => Reinstated,
        (Appealed, T::AppealDeadlinePassed) => Reinstated,
        (UnderReview | AwaitingBrand | TakedownRequested | TakedownFailed, T::ListingRemoved) => {
            ListingGone
        }
        _ => return None,
    })
}

/// The marketplace actions a legal transition writes.
pub fn actions(from: Status, t: Transition) -> Vec<ActionKind> {
    let Some(to) = next(from, t) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if to == Status::TakedownRequested {
        out.push(ActionKind::ListingTakedown);
    }
    if to == Status::Reinstated {
        out.push(ActionKind::ListingReinstate);
    }
    if matches!(from, Status::Appealed | Status::InArbitration) && !to.is_open() {
        out.push(ActionKind::AppealDecided);
    }
    out
}

/// The status a transition asked for through the API must reach, or 409 naming why not.
pub fn require(from: Status, t: Transition) -> Result<Status> {
    next(from, t).ok_or_else(|| {
        Error::conflict(Reason::CaseState {
            status: from,
            transition: t,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;
    use Transition as T;

    #[test]
    fn the_table_of_legal_moves_is_exactly_designs() {
        let legal: &[(Status, Transition, Status)] = &[
            (UnderReview, T::Approve, TakedownRequested),
            (UnderReview, T::Decline, Declined),
            (AwaitingBrand, T::Confirm, TakedownRequested),
            (AwaitingBrand, T::Reject, Cleared),
            (AwaitingBrand, T::Expire, Expired),
            (UnderReview, T::Withdraw, Withdrawn),
            (AwaitingBrand, T::Withdraw, Withdrawn),
            (TakedownFailed, T::Withdraw, Withdrawn),
            (TakedownRequested, T::TakedownCompleted, TakenDown),
            (TakedownRequested, T::TakedownFailed, TakedownFailed),
            (TakedownFailed, T::RetryTakedown, TakedownRequested),
            (TakenDown, T::Retract, Reinstated),
            (TakenDown, T::AppealFiled, Appealed),
            (TakedownRequested, T::AppealFiled, Appealed),
            (TakenDown, T::NoAppeal, Upheld),
            (Appealed, T::UpholdAppeal, Upheld),
            (Appealed, T::RetractOnAppeal, Reinstated),
            (Appealed, T::Escalate, InArbitration),
            (InArbitration, T::ArbitrationUphold, Upheld),
            (InArbitration, T::ArbitrationReinstate, Reinstated),
            (Appealed, T::AppealDeadlinePassed, Reinstated),
            (UnderReview, T::ListingRemoved, ListingGone),
            (AwaitingBrand, T::ListingRemoved, ListingGone),
            (TakedownRequested, T::ListingRemoved, ListingGone),
            (TakedownFailed, T::ListingRemoved, ListingGone),
        ];
        let mut count = 0;
        for from in Status::ALL {
            for t in Transition::ALL {
                let expected = legal
                    .iter()
                    .find(|(f, tr, _)| *f == from && *tr == t)
                    .map(|(_, _, to)| *to);
                assert_eq!(next(from, t), expected, "{from:?} --{t:?}-->");
                if expected.is_none() {
                    assert_eq!(require(from, t).unwrap_err().status(), 409);
                } else {
                    count += 1;
                }
            }
        }
        assert_eq!(count, legal.len());
    }

    #[test]
    fn final_states_never_move() {
        for from in Status::ALL.into_iter().filter(|s| !s.is_open()) {
            for t in Transition::ALL {
                assert_eq!(next(from, t), None, "{from:?} is final");
            }
        }
    }

    #[test]
    fn actions_follow_the_transitions() {
        assert_eq!(
            actions(UnderReview, T::Approve),
            [ActionKind::ListingTakedown]
        );
        assert_eq!(
            actions(AwaitingBrand, T::Confirm),
            [ActionKind::ListingTakedown]
        );
        assert_eq!(
            actions(TakedownFailed, T::RetryTakedown),
            [ActionKind::ListingTakedown]
        );
        assert_eq!(
            actions(TakenDown, T::Retract),
            [ActionKind::ListingReinstate]
        );
        assert_eq!(
            actions(Appealed, T::UpholdAppeal),
            [ActionKind::AppealDecided]
        );
        assert_eq!(
            actions(Appealed, T::RetractOnAppeal),
            [ActionKind::ListingReinstate, ActionKind::AppealDecided]
        );
        assert_eq!(
            actions(Appealed, T::AppealDeadlinePassed),
            [ActionKind::ListingReinstate, ActionKind::AppealDecided]
        );
        assert_eq!(
            actions(InArbitration, T::ArbitrationUphold),
            [ActionKind::AppealDecided]
        );
        assert_eq!(
            actions(InArbitration, T::ArbitrationReinstate),
            [ActionKind::ListingReinstate, ActionKind::AppealDecided]
        );
        assert!(actions(Appealed, T::Escalate).is_empty());
        assert!(actions(AwaitingBrand, T::Reject).is_empty());
        assert!(
            actions(Upheld, T::Retract).is_empty(),
            "illegal moves write nothing"
        );
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()).unwrap(), s);
        }
    }
}
