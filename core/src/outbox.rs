//! The marketplace link, outbound: actions written in a transition's batch are delivered at least
//! once — right after the transition, then by the cron with exponential backoff — under a lease so
//! no two senders send one row at once. After 10 failed tries an action is dead, for operators.

use crate::access::{self, Actor, StaffArea};
use crate::api::{ActionList, ActionView};
use crate::case::Transition;
use crate::cases::transitions::apply_transition;
use crate::clock::{Millis, HOUR, MINUTE};
use crate::history::{Mover, Note, NoteCode};
use crate::identity::Deps;
use crate::ids::ActionId;
use crate::ports::{Lookup, Marketplace};
use crate::sql;
use crate::store::{decode_rows, Db, Rows, Stmt};
use crate::{Error, Result};

pub const MAX_ATTEMPTS: i64 = 10;
/// How long a sender owns a leased row (longer than a send can take).
pub const LEASE: Millis = 2 * MINUTE;
/// Sends per lease: a request sends at most one chunk right after its transition.
pub const CHUNK: i64 = 40;
/// Sends per cron run: under the Workers Paid plan's 1,000 subrequests an invocation, with room
/// for the run's lookups.
pub const RUN_BUDGET: i64 = 800;

/// Wait before the next try after `attempts` failures: 1 min, 2, 4, … capped at 6 hours.
pub fn backoff(attempts: i64) -> Millis {
    let exp = (attempts.max(1) - 1).min(20) as u32;
    (MINUTE.saturating_mul(1 << exp)).min(6 * HOUR)
}

/// The envelope sent for an action: `{type, timestamp, data}`.
pub fn envelope(kind: &str, payload: &str, now: Millis) -> String {
    let data: serde_json::Value = serde_json::from_str(payload).unwrap_or(serde_json::Value::Null);
    serde_json::json!({ "type": kind, "timestamp": rfc3339(now), "data": data }).to_string()
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub sent: usize,
    pub failed: usize,
    pub dead: usize,
    /// Listings looked up before their takedowns were sent (each a subrequest, like a send).
    pub looked_up: usize,
}

/// What a listing lookup came to once applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Looked {
    /// The snapshot of every case still waiting for it is filled.
    Filled,
    /// The marketplace has no such listing: its open cases that can move are moved by `listing_removed`.
    Unknown,
    /// No answer: nothing changed; ask again later.
    Unavailable,
}

/// Applies a lookup's answer for `listing_id`: a listing found is kept (with its seller) and
/// fills the filing snapshot (title, seller) of every case still waiting for one; a listing the
/// marketplace does not know moves its open cases by `listing_removed` where they can move.
pub async fn apply_lookup<D: Db>(
    deps: &Deps<'_, D>,
    listing_id: &str,
    lookup: Lookup,
) -> Result<Looked> {
    match lookup {
        Lookup::Found(s) => {
            let json = serde_json::to_string(&s)?;
            let mut stmts = sql::upsert_listings(&format!("[{json}]"), deps.clock.now());
            stmts.push(sql::fill_pending_snapshots(
                listing_id,
                &json,
                &s.title,
                &s.seller.seller_id,
                &s.seller.name,
            ));
            deps.db.batch(stmts).await?;
            Ok(Looked::Filled)
        }
        Lookup::Unknown => {
            let note = Note::coded(NoteCode::ListingUnknown, &[]);
            for c in sql::open_cases_of_listing(deps.db, listing_id).await? {
                if crate::case::next(c.status, Transition::ListingRemoved).is_some() {
                    match apply_transition(
                        deps,
                        &c,
                        "",
                        Transition::ListingRemoved,
                        &Mover::MARKETPLACE,
                        Some(&note),
                        vec![],
                    )
                    .await
                    {
                        // Moved by someone else at the same moment: their move stands.
                        Ok(_) | Err(Error::Conflict(_)) => {}
                        Err(e) => return Err(e),
                    }
                }
            }
            Ok(Looked::Unknown)
        }
        Lookup::Unavailable(_) => Ok(Looked::Unavailable),
    }
}

/// Actions leased to one sender, with the listings to look up before they go.
#[derive(Debug)]
pub struct Leased {
    owner: String,
    /// The listings of leased takedowns whose cases still wait for their snapshot.
    pending: Vec<String>,
    actions: Vec<sql::OutboxRecord>,
}

impl Leased {
    /// The lease of due actions (only `only`, a JSON array of ids, when given) to `owner`, and
    /// the reads of what it leased: for one batch, after the writes that made the actions.
    pub fn stmts(owner: &str, only: Option<&str>, now: Millis) -> (Stmt, Vec<Stmt>) {
        (
            sql::lease_due_actions(owner, now, now + LEASE, CHUNK, only),
            vec![
                sql::leased_takedowns_pending_snapshot_stmt(owner, now),
                sql::leased_actions_stmt(owner, now),
            ],
        )
    }

    /// What the reads of `stmts` found.
    pub fn read(owner: String, rows: &mut impl Iterator<Item = Rows>) -> Result<Leased> {
        #[derive(serde::Deserialize)]
        struct Pending {
            listing_id: String,
        }
        let pending: Vec<Pending> = decode_rows(rows.next())?;
        Ok(Leased {
            owner,
            pending: pending.into_iter().map(|p| p.listing_id).collect(),
            actions: decode_rows(rows.next())?,
        })
    }

    /// Whether nothing was leased.
    pub fn is_empty(&self) -> bool {
        self.actions.is_empty() && self.pending.is_empty()
    }
}

/// What a request owes the marketplace once it has answered: the actions it wrote.
#[derive(Debug)]
pub enum Owed {
    /// Leased when they are sent: one round trip more.
    Actions(Vec<ActionId>),
    /// Leased to the request in the batch that wrote them, and read back in it.
    Leased(Leased),
}

impl Owed {
    /// Whether nothing is owed.
    pub fn is_empty(&self) -> bool {
        match self {
            Owed::Actions(ids) => ids.is_empty(),
            Owed::Leased(leased) => leased.is_empty(),
        }
    }

    /// Sends what is owed (at most one chunk): what fails stays in the outbox for the cron.
    pub async fn send<D: Db>(
        self,
        deps: &Deps<'_, D>,
        market: &impl Marketplace,
    ) -> Result<Delivery> {
        match self {
            owed if owed.is_empty() => Ok(Delivery::default()),
            Owed::Actions(ids) => {
                // One chunk at most: a bulk filing's remaining actions go with the next cron run.
                deliver(deps, market, Some(&ids[..ids.len().min(CHUNK as usize)])).await
            }
            Owed::Leased(leased) => send(deps, market, leased).await,
        }
    }
}

/// Delivers due actions (only `only` when given), at most `CHUNK`, under this sender's lease.
pub async fn deliver<D: Db>(
    deps: &Deps<'_, D>,
    market: &impl Marketplace,
    only: Option<&[ActionId]>,
) -> Result<Delivery> {
    let now = deps.clock.now();
    let owner = deps.entropy.uuid().to_string();
    let only_json = only.map(|ids| serde_json::to_string(ids).unwrap_or_else(|_| "[]".into()));
    // The lease, and what it leased, in one round trip.
    let (lease, reads) = Leased::stmts(&owner, only_json.as_deref(), now);
    let mut rows = deps
        .db
        .write_then_read(vec![lease], reads)
        .await?
        .into_iter();
    send(deps, market, Leased::read(owner, &mut rows)?).await
}

/// Sends leased actions, each marked sent or failed as it goes; the listings of takedowns whose
/// snapshot is still pending are looked up first (at most one lookup per send).
pub async fn send<D: Db>(
    deps: &Deps<'_, D>,
    market: &impl Marketplace,
    leased: Leased,
) -> Result<Delivery> {
    let Leased {
        owner,
        pending,
        mut actions,
    } = leased;
    let mut report = Delivery::default();
    // A takedown never leaves before its listing's snapshot is taken: once it is down, the
    // marketplace may no longer show the listing, and the case would keep no title or seller.
    for listing_id in &pending {
        report.looked_up += 1;
        let lookup = market.lookup(listing_id).await;
        if apply_lookup(deps, listing_id, lookup).await? == Looked::Unavailable {
            // Down: the sends will most likely fail too, and the cron asks again.
            break;
        }
    }
    if !pending.is_empty() {
        // A lookup may have settled actions (a listing already gone): read them again.
        actions = sql::leased_actions(deps.db, &owner, deps.clock.now()).await?;
    }
    for row in actions {
        let body = envelope(&row.kind, &row.payload, deps.clock.now());
        match market.send(&row.id.to_string(), &body).await {
            Ok(()) => {
                deps.db
                    .batch(vec![sql::mark_action_sent(
                        row.id,
                        &owner,
                        deps.clock.now(),
                    )])
                    .await?;
                report.sent += 1;
            }
            Err(why) => {
                let attempts = row.attempts + 1;
                let next = (attempts < MAX_ATTEMPTS).then(|| deps.clock.now() + backoff(attempts));
                deps.db
                    .batch(vec![sql::mark_action_failed(row.id, &owner, &why, next)])
                    .await?;
                if next.is_none() {
                    report.dead += 1;
                } else {
                    report.failed += 1;
                }
            }
        }
    }
    Ok(report)
}

fn view(r: sql::OutboxRecord) -> ActionView {
    ActionView {
        id: r.id,
        kind: r.kind,
        case_id: r.case_id,
        brand_id: r.brand_id,
        state: r.state,
        attempts: r.attempts,
        last_error: r.last_error,
        next_attempt_at: r.next_attempt_at,
        created_at: r.created_at,
    }
}

pub async fn dead_actions<D: Db>(deps: &Deps<'_, D>, actor: &Actor) -> Result<ActionList> {
    access::authorize_staff(actor, StaffArea::Admin)?;
    Ok(ActionList {
        actions: sql::actions_in_state(deps.db, "dead", 200)
            .await?
            .into_iter()
            .map(view)
            .collect(),
    })
}

/// An operator sends a dead action again (it rejoins the queue with fresh tries).
pub async fn retry_dead_action<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    id: ActionId,
) -> Result<ActionView> {
    access::authorize_staff(actor, StaffArea::Admin)?;
    let row = sql::action(deps.db, id).await?.ok_or(Error::NotFound)?;
    if row.state != "dead" {
        return Err(Error::conflict(format!(
            "This action is {}, not dead.",
            row.state
        )));
    }
    deps.db
        .batch(vec![sql::revive_action(id, deps.clock.now())])
        .await?;
    sql::action(deps.db, id)
        .await?
        .map(view)
        .ok_or(Error::NotFound)
}

/// `2026-11-28T19:00:00Z` from milliseconds since the epoch (no date library in the wasm).
pub fn rfc3339(ms: Millis) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_a_minute_to_six_hours() {
        assert_eq!(backoff(1), MINUTE);
        assert_eq!(backoff(2), 2 * MINUTE);
        assert_eq!(backoff(5), 16 * MINUTE);
        assert_eq!(backoff(9), 256 * MINUTE);
        assert_eq!(backoff(10), 6 * HOUR, "512 min is capped at 6 hours");
        assert_eq!(backoff(50), 6 * HOUR);
    }

    #[test]
    fn timestamps_are_rfc3339() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_614_265_330_000), "2021-02-25T15:02:10Z");
        assert_eq!(rfc3339(951_782_400_000), "2000-02-29T00:00:00Z");
        let e = envelope("listing.takedown", r#"{"action_id":"a"}"#, 0);
        assert!(e.contains(r#""type":"listing.takedown""#) && e.contains(r#""action_id":"a""#));
    }
}
