//! Programme rules: good standing (accuracy of decided takedowns) and the lane a report takes.

use crate::clock::{Millis, DAY};
use crate::types::ProgrammeStatus;
use serde::{Deserialize, Serialize};

/// Decided takedowns are counted over this window…
pub const STANDING_WINDOW: Millis = 90 * DAY;
/// …once there are at least this many…
pub const MIN_DECIDED: i64 = 20;
/// …and more than this share reinstated (5%, in basis points) costs the auto lane…
pub const MAX_REINSTATED_BP: i64 = 500;
/// …for this long, after which it is checked again.
pub const REVOCATION: Millis = 90 * DAY;

/// One decided takedown: when it reached `upheld` or `reinstated`, and which.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decided {
    pub at: Millis,
    pub reinstated: bool,
}

/// A brand's standing as the brand sees it: the figures, the rule, and what follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Standing {
    pub decided: i64,
    pub reinstated: i64,
    /// Reinstated share in basis points (1/100 of a percent).
    pub reinstated_bp: i64,
    pub threshold_bp: i64,
    pub min_decided: i64,
    pub window_days: i64,
    pub good: bool,
    /// When the auto lane returns (set while revoked).
    pub revoked_until: Option<Millis>,
}

fn over_threshold(decided: i64, reinstated: i64) -> bool {
    // reinstated / decided > 5%  ⇔  reinstated × 10,000 > 500 × decided (exact, no floats).
    decided >= MIN_DECIDED && reinstated * 10_000 > MAX_REINSTATED_BP * decided
}

fn counts(history: &[Decided], now: Millis) -> (i64, i64) {
    let recent = history
        .iter()
        .filter(|d| d.at <= now && now - d.at < STANDING_WINDOW);
    recent.fold((0, 0), |(n, r), d| (n + 1, r + d.reinstated as i64))
}

/// Replays the rule over the decided takedowns as it would have run live: it is checked whenever
/// a decision arrives or an old one leaves the window; a breach revokes the auto lane for 90 days,
/// and at the end of a revocation the rule is checked again.
pub fn standing(history: &[Decided], now: Millis) -> Standing {
    let mut checkpoints: Vec<Millis> = history
        .iter()
        .flat_map(|d| [d.at, d.at + STANDING_WINDOW])
        .filter(|&t| t <= now)
        .collect();
    checkpoints.sort_unstable();
    checkpoints.dedup();
    let mut revoked_until: Option<Millis> = None;
    let mut points = checkpoints.into_iter().peekable();
    loop {
        // The next moment the rule looks: a checkpoint, or the end of the current revocation.
        let check = match (revoked_until.filter(|&u| u <= now), points.peek().copied()) {
            (Some(until), Some(p)) if until <= p => until,
            (Some(until), None) => until,
            (_, Some(p)) => {
                points.next();
                p
            }
            (None, None) => break,
        };
        if revoked_until.is_some_and(|until| check < until) {
            continue;
        }
        let (n, r) = counts(history, check);
        revoked_until = over_threshold(n, r).then_some(check + REVOCATION);
    }
    let (decided, reinstated) = counts(history, now);
    standing_of_counts(decided, reinstated, revoked_until, now)
}

/// The standing from the moments the rule's verdict changes (as a statement can find them:
/// `(at, breached)` at each checkpoint where the verdict differs from the one before, oldest
/// first; no verdict before the first is a pass) and the counts at `now`. The same replay as
/// `standing`: between checkpoints the counts do not change, so the verdict at a revocation's
/// end is that of the latest change at or before it.
pub fn standing_from_turns(
    turns: &[(Millis, bool)],
    decided: i64,
    reinstated: i64,
    now: Millis,
) -> Standing {
    let verdict_at = |t: Millis| {
        turns
            .iter()
            .take_while(|(at, _)| *at <= t)
            .last()
            .is_some_and(|(_, breached)| *breached)
    };
    let mut revoked_until: Option<Millis> = None;
    let mut checked = Millis::MIN;
    loop {
        match revoked_until {
            Some(until) if until <= now => {
                checked = until;
                revoked_until = verdict_at(until).then_some(until + REVOCATION);
            }
            Some(_) => break,
            // Not revoked: the next breach is where a verdict turns to breached.
            None => match turns
                .iter()
                .find(|(at, breached)| *breached && *at > checked && *at <= now)
            {
                Some((at, _)) => {
                    checked = *at;
                    revoked_until = Some(at + REVOCATION);
                }
                None => break,
            },
        }
    }
    standing_of_counts(decided, reinstated, revoked_until, now)
}

fn standing_of_counts(
    decided: i64,
    reinstated: i64,
    revoked_until: Option<Millis>,
    now: Millis,
) -> Standing {
    let revoked_until = revoked_until.filter(|&until| until > now);
    Standing {
        decided,
        reinstated,
        reinstated_bp: if decided == 0 {
            0
        } else {
            reinstated * 10_000 / decided
        },
        threshold_bp: MAX_REINSTATED_BP,
        min_decided: MIN_DECIDED,
        window_days: STANDING_WINDOW / DAY,
        good: revoked_until.is_none(),
        revoked_until,
    }
}

/// Which way a new report goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Lane {
    /// Straight to `takedown_requested`.
    Auto,
    /// To `under_review` by the account manager.
    Review,
}

/// Why a brand may not file at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NotEnrolled,
    Suspended(Option<String>),
}

impl Refusal {
    /// The refusal as a code an interface says in its own language: `not_enrolled`, `suspended`.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::NotEnrolled => "not_enrolled",
            Refusal::Suspended(_) => "suspended",
        }
    }

    /// The reason the marketplace recorded for a suspension (data, as it was written).
    pub fn reason(&self) -> Option<String> {
        match self {
            Refusal::Suspended(reason) => reason.clone(),
            Refusal::NotEnrolled => None,
        }
    }

    pub fn message(&self) -> String {
        match self {
            Refusal::NotEnrolled => "Your brand is not enrolled in the programme yet: reports open once an IP right is verified and an official shop or a cooperation agreement is recorded.".into(),
            Refusal::Suspended(Some(reason)) => format!("Your brand's programme membership is suspended: {reason}"),
            Refusal::Suspended(None) => "Your brand's programme membership is suspended.".into(),
        }
    }
}

/// Why a report goes to review instead of straight to takedown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReviewReason {
    NoOfficialShop,
    OutOfGoodStanding,
}

pub fn lane(
    status: ProgrammeStatus,
    suspension_reason: Option<&str>,
    has_official_shop: bool,
    standing: &Standing,
) -> Result<(Lane, Option<ReviewReason>), Refusal> {
    match status {
        ProgrammeStatus::Applied => Err(Refusal::NotEnrolled),
        ProgrammeStatus::Suspended => Err(Refusal::Suspended(suspension_reason.map(str::to_owned))),
        ProgrammeStatus::Enrolled if !standing.good => {
            Ok((Lane::Review, Some(ReviewReason::OutOfGoodStanding)))
        }
        ProgrammeStatus::Enrolled if !has_official_shop => {
            Ok((Lane::Review, Some(ReviewReason::NoOfficialShop)))
        }
        ProgrammeStatus::Enrolled => Ok((Lane::Auto, None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Millis = 1_800_000_000_000;

    fn history(upheld: usize, reinstated: usize, days_ago: i64) -> Vec<Decided> {
        let at = NOW - days_ago * DAY;
        let mut v = vec![
            Decided {
                at,
                reinstated: false
            };
            upheld
        ];
        v.extend(vec![
            Decided {
                at,
                reinstated: true
            };
            reinstated
        ]);
        v
    }

    #[test]
    fn needs_twenty_decided_before_judging() {
        // 19 decided with 10 reinstated: too few to judge.
        assert!(standing(&history(9, 10, 1), NOW).good);
        // 20 decided with 2 reinstated (10%): revoked.
        let s = standing(&history(18, 2, 1), NOW);
        assert!(!s.good);
        assert_eq!((s.decided, s.reinstated, s.reinstated_bp), (20, 2, 1000));
        assert_eq!(s.revoked_until, Some(NOW - DAY + REVOCATION));
    }

    #[test]
    fn exactly_five_percent_is_fine_just_over_is_not() {
        assert!(standing(&history(19, 1, 1), NOW).good, "1 of 20 = 5%");
        assert!(standing(&history(38, 2, 1), NOW).good, "2 of 40 = 5%");
        assert!(!standing(&history(37, 2, 1), NOW).good, "2 of 39 > 5%");
        assert!(
            !standing(&history(23, 2, 1), NOW).good,
            "2 of 25 = 8%: Dorado"
        );
    }

    #[test]
    fn old_decisions_leave_the_window_and_the_lane_returns_after_ninety_days() {
        // Breach 100 days ago: revoked until 10 days ago, then re-checked with nothing in window.
        let s = standing(&history(18, 2, 100), NOW);
        assert!(s.good);
        assert_eq!(s.decided, 0);
        // Breach 30 days ago: still revoked, returns 60 days from now.
        let s = standing(&history(18, 2, 30), NOW);
        assert_eq!(s.revoked_until, Some(NOW + 60 * DAY));
        // Re-checked at the end of a revocation: still breaching (fresh bad decisions) → revoked again.
        let mut h = history(18, 2, 95);
        h.extend(history(18, 2, 3));
        let s = standing(&h, NOW);
        assert!(!s.good);
    }

    #[test]
    fn upheld_decisions_leaving_the_window_can_breach_on_their_own() {
        // 20 upheld 80 days ago, then 2 reinstated 20 days ago: 2 of 22 (9%) is over 5%,
        // revoked 20 days ago; on its own merits anyway.
        let mut h = history(20, 0, 80);
        h.extend(history(0, 2, 20));
        assert!(!standing(&h, NOW).good);
        // At 40 days ago: 19 + 19 upheld and 2 reinstated = exactly 5%, fine. Ten days ago the
        // oldest 19 left the window: 2 of 21 (9.5%) with no new decision, and the lane went.
        let mut h = history(19, 0, 100);
        h.extend(history(19, 0, 50));
        h.extend(history(0, 2, 40));
        assert!(standing(&h, NOW - 20 * DAY).good);
        let s = standing(&h, NOW);
        assert!(!s.good);
        assert_eq!(s.revoked_until, Some(NOW - 10 * DAY + REVOCATION));
    }

    /// The verdict's turns as a statement finds them: at each checkpoint (sorted, up to `now`),
    /// the counts and whether they breach, kept where the verdict differs from the one before.
    fn turns_of(history: &[Decided], now: Millis) -> Vec<(Millis, bool)> {
        let mut points: Vec<Millis> = history
            .iter()
            .flat_map(|d| [d.at, d.at + STANDING_WINDOW])
            .filter(|&t| t <= now)
            .collect();
        points.sort_unstable();
        points.dedup();
        let mut before = false;
        let mut turns = Vec::new();
        for t in points {
            let (n, r) = counts(history, t);
            let breached = over_threshold(n, r);
            if breached != before {
                turns.push((t, breached));
                before = breached;
            }
        }
        turns
    }

    #[test]
    fn the_replay_from_turns_is_the_replay() {
        // Random histories dense enough to breach, revoke and come back (a fixed LCG: no
        // dependency, the same cases every run).
        let mut seed: u64 = 0x5eed;
        let mut next = |m: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % m
        };
        let mut revoked = 0;
        for round in 0..400 {
            let n = next(120) as usize;
            let span = 1 + next(400) as i64;
            let history: Vec<Decided> = (0..n)
                .map(|_| Decided {
                    at: NOW - next(span as u64 * DAY as u64) as i64,
                    reinstated: next(100) < 2 + round % 12,
                })
                .collect();
            for now in [NOW, NOW - 45 * DAY, NOW + 100 * DAY] {
                let (decided, reinstated) = counts(&history, now);
                let expected = standing(&history, now);
                revoked += !expected.good as usize;
                assert_eq!(
                    standing_from_turns(&turns_of(&history, now), decided, reinstated, now),
                    expected,
                    "round {round} at {now}"
                );
            }
        }
        // Both verdicts were replayed, many times each.
        assert!((100..1100).contains(&revoked), "{revoked} revoked");
    }

    #[test]
    fn lanes() {
        let good = standing(&[], NOW);
        let bad = standing(&history(23, 2, 1), NOW);
        assert_eq!(
            lane(ProgrammeStatus::Enrolled, None, true, &good),
            Ok((Lane::Auto, None))
        );
        assert_eq!(
            lane(ProgrammeStatus::Enrolled, None, false, &good),
            Ok((Lane::Review, Some(ReviewReason::NoOfficialShop)))
        );
        assert_eq!(
            lane(ProgrammeStatus::Enrolled, None, true, &bad),
            Ok((Lane::Review, Some(ReviewReason::OutOfGoodStanding)))
        );
        assert_eq!(
            lane(ProgrammeStatus::Applied, None, true, &good),
            Err(Refusal::NotEnrolled)
        );
        let refused = lane(
            ProgrammeStatus::Suspended,
            Some("forged certificates"),
            true,
            &good,
        )
        .unwrap_err();
        assert!(refused.message().contains("forged certificates"));
    }
}
