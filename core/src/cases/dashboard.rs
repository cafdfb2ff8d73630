//! The brand dashboard: twelve weeks of takedowns, the backlog, appeals beside the standing, and
//! the sellers the brand takes down most; every figure is counted in SQL.

use super::standing::standing_of;
use crate::access::{self, Action, Actor};
use crate::api::*;
use crate::clock::{Millis, DAY, HOUR};
use crate::identity::Deps;
use crate::ids::BrandId;
use crate::sql;
use crate::store::Db;
use crate::{Error, Result};

pub const WEEK: Millis = 7 * DAY;
/// The dashboard's weeks, the current one last.
pub const DASHBOARD_WEEKS: i64 = 12;
/// A confirmation is "due soon" this close to its deadline (as in the brand's reminders).
pub const DUE_SOON: Millis = 48 * HOUR;
/// Repeat sellers are counted over this window…
pub const SELLER_WINDOW: Millis = 180 * DAY;
/// …from this many takedowns…
pub const REPEAT_TAKEDOWNS: i64 = 2;
/// …and this many are shown.
pub const TOP_SELLERS: i64 = 10;

/// The Monday 00:00 UTC on or before `at` (1970-01-01 was a Thursday; the 5th a Monday).
pub fn week_start(at: Millis) -> Millis {
    let monday = 4 * DAY;
    at - (at - monday).rem_euclid(WEEK)
}

pub async fn brand_dashboard<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
) -> Result<BrandDashboard> {
    access::authorize(actor, brand_id, Action::ViewBrand)?;
    let now = deps.clock.now();
    let first = week_start(now) - (DASHBOARD_WEEKS - 1) * WEEK;
    // Six independent reads, asked at once: one after another they cost six round trips, three
    // times the floor's one batch for a brand of a few hundred cases (`bench/SCALE.md`).
    let (brand, weeks, backlog, appeals, standing, repeat_sellers) = futures_util::try_join!(
        sql::brand(deps.db, brand_id),
        weeks(deps.db, brand_id, first),
        backlog(deps.db, brand_id, now),
        appeals(deps.db, brand_id, first),
        standing_of(deps.db, brand_id, now),
        repeat_sellers(deps.db, brand_id, now),
    )?;
    brand.ok_or(Error::NotFound)?;
    Ok(BrandDashboard {
        as_of: now,
        weeks,
        backlog,
        appeals,
        standing,
        repeat_sellers,
    })
}

/// Every one of the 12 weeks from `first`, the empty ones too.
async fn weeks(db: &impl Db, brand_id: BrandId, first: Millis) -> Result<Vec<DashboardWeek>> {
    let until = first + DASHBOARD_WEEKS * WEEK;
    let rows = sql::takedown_weeks(db, brand_id, first, until, WEEK).await?;
    Ok((0..DASHBOARD_WEEKS)
        .map(|i| {
            let row = rows.iter().find(|r| r.week == i);
            DashboardWeek {
                starts_at: first + i * WEEK,
                from_reports: row.map_or(0, |r| r.from_reports),
                from_flags: row.map_or(0, |r| r.from_flags),
                p50_ms: row.and_then(|r| r.p50_ms),
                p90_ms: row.and_then(|r| r.p90_ms),
            }
        })
        .collect())
}

async fn backlog(db: &impl Db, brand_id: BrandId, now: Millis) -> Result<ConfirmationBacklog> {
    let row = sql::confirmation_backlog(db, brand_id, now + DUE_SOON).await?;
    Ok(ConfirmationBacklog {
        awaiting: row.awaiting,
        due_soon: row.due_soon,
        due_soon_hours: DUE_SOON / HOUR,
        next_deadline_at: row.next_deadline_at,
    })
}

async fn appeals(db: &impl Db, brand_id: BrandId, since: Millis) -> Result<AppealFigures> {
    let row = sql::appeal_counts(db, brand_id, since).await?;
    Ok(AppealFigures {
        since,
        received: row.received,
        upheld: row.upheld,
        reinstated: row.reinstated,
    })
}

async fn repeat_sellers(db: &impl Db, brand_id: BrandId, now: Millis) -> Result<Vec<RepeatSeller>> {
    let since = now - SELLER_WINDOW;
    let rows = sql::repeat_sellers(db, brand_id, since, REPEAT_TAKEDOWNS, TOP_SELLERS).await?;
    Ok(rows
        .into_iter()
        .map(|r| RepeatSeller {
            seller_id: r.seller_id,
            name: r.name,
            takedowns: r.takedowns,
            flagged: r.flagged != 0,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday_at_midnight_utc() {
        // 2026-03-04 (a Wednesday) 15:30 UTC → Monday 2026-03-02 00:00 UTC.
        let wednesday = 1_772_638_200_000;
        assert_eq!(week_start(wednesday), 1_772_409_600_000);
        // A Monday at midnight is its own week's start; a millisecond earlier is the week before.
        assert_eq!(week_start(1_772_409_600_000), 1_772_409_600_000);
        assert_eq!(week_start(1_772_409_600_000 - 1), 1_772_409_600_000 - WEEK);
        assert_eq!(week_start(0), -3 * DAY);
    }
}
