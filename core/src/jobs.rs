//! What the Cron Trigger does each minute: apply stored events, enforce deadlines, fill pending
//! listing snapshots, and deliver due actions — each step bounded so one run stays small.

use crate::case::{Status, Transition};
use crate::cases::{self, Mover};
use crate::identity::Deps;
use crate::outbox::{self, Delivery};
use crate::ports::{Lookup, Marketplace};
use crate::sql;
use crate::store::Db;
use crate::{Error, Result};

const DEADLINE: Mover<'static> = Mover {
    actor_id: None,
    label: crate::history::DEADLINE_LABEL,
};
const PER_STEP: i64 = 50;
const LOOKUPS: i64 = 50;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Run {
    pub events_applied: usize,
    pub deadlines: usize,
    pub snapshots_filled: usize,
    pub delivery: Delivery,
}

/// The time-based moves: (status, what happens when its deadline passes, the note's code).
const DEADLINE_MOVES: [(Status, Transition, &str); 3] = [
    (Status::AwaitingBrand, Transition::Expire, "flag_expired"),
    (Status::TakenDown, Transition::NoAppeal, "no_appeal"),
    (
        Status::Appealed,
        Transition::AppealDeadlinePassed,
        "appeal_unanswered",
    ),
];

pub async fn run<D: Db>(deps: &Deps<'_, D>, market: &impl Marketplace) -> Result<Run> {
    // Actions these steps write are due at once, so the delivery step below sends them.
    let mut report = Run {
        events_applied: crate::marketplace::apply_stored(deps, 20).await?,
        ..Run::default()
    };
    let now = deps.clock.now();
    // The actions these moves write name the brand by its marketplace reference: one query.
    let refs: std::collections::HashMap<_, _> = sql::all_brands(deps.db)
        .await?
        .into_iter()
        .map(|b| (b.id, b.brand_ref))
        .collect();
    for (status, t, code) in DEADLINE_MOVES {
        let note = crate::history::note(code, &[]);
        let note = note.as_str();
        for c in sql::cases_past_deadline(deps.db, status, now, PER_STEP).await? {
            let brand_ref = refs.get(&c.brand_id).cloned().unwrap_or_default();
            match cases::apply_transition(deps, &c, &brand_ref, t, &DEADLINE, Some(note), vec![])
                .await
            {
                Ok(_) => report.deadlines += 1,
                // Someone acted at the same moment: their move stands.
                Err(Error::Conflict(_)) => {}
                Err(e) => return Err(e),
            }
        }
    }
    report.snapshots_filled = fill_snapshots(deps, market).await?;
    // Chunk after chunk, within the run's budget of sends (subrequests).
    for _ in 0..outbox::RUN_BUDGET / outbox::CHUNK {
        let d = outbox::deliver(deps, market, None).await?;
        let done = d.sent + d.failed + d.dead;
        report.delivery.sent += d.sent;
        report.delivery.failed += d.failed;
        report.delivery.dead += d.dead;
        if done < outbox::CHUNK as usize {
            break;
        }
    }
    Ok(report)
}

/// Asks the marketplace about listings whose cases were filed while it was unreachable.
async fn fill_snapshots<D: Db>(deps: &Deps<'_, D>, market: &impl Marketplace) -> Result<usize> {
    let mut filled = 0;
    for listing_id in sql::listings_pending_snapshot(deps.db, LOOKUPS).await? {
        match market.lookup(&listing_id).await {
            Lookup::Found(s) => {
                let json = serde_json::to_string(&s).map_err(|e| Error::Internal(e.to_string()))?;
                let mut stmts = sql::upsert_listings(&format!("[{json}]"), deps.clock.now());
                stmts.extend(sql::fill_pending_snapshots(
                    &listing_id,
                    &json,
                    &s.title,
                    &s.seller.seller_id,
                    &s.seller.name,
                ));
                deps.db.batch(stmts).await?;
                filled += 1;
            }
            Lookup::Unknown => {
                let note = crate::history::note("listing_unknown", &[]);
                let note = note.as_str();
                let marketplace = Mover {
                    actor_id: None,
                    label: crate::history::MARKETPLACE_LABEL,
                };
                for c in sql::open_cases_of_listing(deps.db, &listing_id).await? {
                    if crate::case::next(c.status, Transition::ListingRemoved).is_some() {
                        cases::apply_transition(
                            deps,
                            &c,
                            "",
                            Transition::ListingRemoved,
                            &marketplace,
                            Some(note),
                            vec![],
                        )
                        .await?;
                    }
                }
            }
            Lookup::Unavailable(_) => break,
        }
    }
    Ok(filled)
}
