//! What the Cron Trigger does each minute: apply stored events, enforce deadlines, fill pending
//! listing snapshots, deliver due actions and forget what is kept only for a while — each step
//! bounded so one run stays small.

use crate::case::{Status, Transition};
use crate::cases::{self, Mover};
use crate::clock::{Millis, DAY};
use crate::history::{Note, NoteCode};
use crate::identity::Deps;
use crate::outbox::{self, Delivery, Looked};
use crate::ports::Marketplace;
use crate::sql;
use crate::store::Db;
use crate::{Error, Result};

const DEADLINE: Mover = Mover::DEADLINE;
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
const DEADLINE_MOVES: [(Status, Transition, NoteCode); 3] = [
    (
        Status::AwaitingBrand,
        Transition::Expire,
        NoteCode::FlagExpired,
    ),
    (Status::TakenDown, Transition::NoAppeal, NoteCode::NoAppeal),
    (
        Status::Appealed,
        Transition::AppealDeadlinePassed,
        NoteCode::AppealUnanswered,
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
        let note = Note::coded(code, &[]);
        for c in sql::cases_past_deadline(deps.db, status, now, PER_STEP).await? {
            let brand_ref = refs.get(&c.brand_id).cloned().unwrap_or_default();
            match cases::apply_transition(deps, &c, &brand_ref, t, &DEADLINE, Some(&note), vec![])
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
    // Chunk after chunk, within the run's budget of subrequests (a chunk's sends, and the
    // lookups of listings its takedowns wait for: at most two per action).
    let budget = outbox::RUN_BUDGET as usize;
    let chunk = outbox::CHUNK as usize;
    let mut used = 0;
    while used + 2 * chunk <= budget {
        let d = outbox::deliver(deps, market, None).await?;
        let done = d.sent + d.failed + d.dead;
        used += done + d.looked_up;
        report.delivery.sent += d.sent;
        report.delivery.failed += d.failed;
        report.delivery.dead += d.dead;
        report.delivery.looked_up += d.looked_up;
        if done < chunk {
            break;
        }
    }
    Ok(report)
}

/// Asks the marketplace about listings whose cases still wait for their snapshot (filed while
/// it was unreachable, or in bulk and not yet sent a takedown).
async fn fill_snapshots<D: Db>(deps: &Deps<'_, D>, market: &impl Marketplace) -> Result<usize> {
    let mut filled = 0;
    for listing_id in sql::listings_pending_snapshot(deps.db, LOOKUPS).await? {
        let lookup = market.lookup(&listing_id).await;
        match outbox::apply_lookup(deps, &listing_id, lookup).await? {
            Looked::Filled => filled += 1,
            Looked::Unknown => {}
            Looked::Unavailable => break,
        }
    }
    Ok(filled)
}

/// Events the backfill fills per run: one read and one write, each well under D1's per-query
/// time limit (both go by the primary key and the partial index of rows still to fill).
pub const BACKFILL_CHUNK: i64 = 500;

/// The cron's step that fills the typed history columns (migration 0006) of events written
/// before them, up to [`BACKFILL_CHUNK`] a run (in the order of the index of rows still to fill);
/// returns how many were filled (0 once every row is). Each row's columns are derived from ids
/// and roles (`history::backfilled`), never from a person's label.
pub async fn backfill_history<D: Db>(deps: &Deps<'_, D>) -> Result<usize> {
    let rows: Vec<crate::history::Backfilled> = sql::events_to_backfill(deps.db, BACKFILL_CHUNK)
        .await?
        .iter()
        .map(crate::history::backfilled)
        .collect();
    if !rows.is_empty() {
        let json = serde_json::to_string(&rows)?;
        deps.db.batch(vec![sql::backfill_events(&json)]).await?;
    }
    Ok(rows.len())
}

/// How long settled inbound events (applied, or discarded by an operator) are kept.
pub const KEEP_SETTLED_EVENTS: Millis = 90 * DAY;
/// How long the brands' webhook delivery log is kept (deliveries and their attempts).
pub const KEEP_DELIVERY_LOG: Millis = 90 * DAY;
/// How long a session is kept once it has ended (revoked or expired): the session list and the
/// audit log name sessions, and a recent one may still need explaining.
pub const KEEP_ENDED_SESSIONS: Millis = 30 * DAY;
/// Rows each retention step deletes at most per run (each through an index: migration 0015).
pub const RETENTION_BATCH: i64 = 5_000;

/// What one run of retention forgot.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Forgotten {
    pub settled_events: u64,
    pub delivery_attempts: u64,
    pub deliveries: u64,
    pub ended_sessions: u64,
}

/// The cron's retention step: up to [`RETENTION_BATCH`] rows of each kind past its time, oldest
/// state first where it matters (attempts before the deliveries they refer to). What is left is
/// forgotten by the next runs.
pub async fn forget_expired<D: Db>(deps: &Deps<'_, D>) -> Result<Forgotten> {
    let now = deps.clock.now();
    let n = RETENTION_BATCH;
    let events = sql::forget_settled_events(now - KEEP_SETTLED_EVENTS, n);
    let attempts = sql::forget_delivery_attempts(now - KEEP_DELIVERY_LOG, n);
    let deliveries = sql::forget_deliveries(now - KEEP_DELIVERY_LOG, n);
    let ended = now - KEEP_ENDED_SESSIONS;
    let sessions = sql::forget_ended_sessions(
        ended,
        ended - crate::identity::SESSION_IDLE,
        ended - crate::identity::SESSION_ABSOLUTE,
        n,
    );
    Ok(Forgotten {
        settled_events: deps.db.execute(events).await?,
        delivery_attempts: deps.db.execute(attempts).await?,
        deliveries: deps.db.execute(deliveries).await?,
        ended_sessions: deps.db.execute(sessions).await?,
    })
}
