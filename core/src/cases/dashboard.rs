//! The brand dashboard: twelve weeks of takedowns, the backlog, appeals beside the standing, and
//! the sellers the brand takes down most; every figure is counted in SQL.

use super::standing::{standings_from_turns, turns_stmt};
use crate::access::{self, Action, Actor};
use crate::api::*;
use crate::clock::{Millis, DAY, HOUR};
use crate::identity::Deps;
use crate::ids::BrandId;
use crate::programme;
use crate::sql;
use crate::store::{decode_rows, Db};
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
    let until = first + DASHBOARD_WEEKS * WEEK;
    let since = now - SELLER_WINDOW;
    // Six independent reads in one batch: one round trip to D1, as the floor's
    // (`bench/SCALE.md`).
    let mut parts = deps
        .db
        .all_of(vec![
            sql::brand_stmt(brand_id),
            sql::takedown_weeks_stmt(brand_id, first, until, WEEK),
            sql::confirmation_backlog_stmt(brand_id, now + DUE_SOON),
            sql::appeal_counts_stmt(brand_id, first),
            turns_stmt(&[brand_id], now)?,
            sql::repeat_sellers_stmt(brand_id, since, REPEAT_TAKEDOWNS, TOP_SELLERS),
        ])
        .await?
        .into_iter();
    let brand: Vec<sql::BrandRecord> = decode_rows(parts.next())?;
    if brand.is_empty() {
        return Err(Error::NotFound);
    }
    let weeks = weeks(decode_rows(parts.next())?, first);
    let backlog = backlog(decode_rows(parts.next())?.pop());
    let appeals = appeals(decode_rows(parts.next())?.pop(), first);
    let standing = standings_from_turns(decode_rows(parts.next())?, now)
        .remove(&brand_id)
        .unwrap_or_else(|| programme::standing(&[], now));
    let repeat_sellers = repeat_sellers(decode_rows(parts.next())?);
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
fn weeks(rows: Vec<sql::WeekRow>, first: Millis) -> Vec<DashboardWeek> {
    (0..DASHBOARD_WEEKS)
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
        .collect()
}

fn backlog(row: Option<sql::BacklogRow>) -> ConfirmationBacklog {
    ConfirmationBacklog {
        awaiting: row.as_ref().map_or(0, |r| r.awaiting),
        due_soon: row.as_ref().map_or(0, |r| r.due_soon),
        due_soon_hours: DUE_SOON / HOUR,
        next_deadline_at: row.and_then(|r| r.next_deadline_at),
    }
}

fn appeals(row: Option<sql::AppealRow>, since: Millis) -> AppealFigures {
    AppealFigures {
        since,
        received: row.as_ref().map_or(0, |r| r.received),
        upheld: row.as_ref().map_or(0, |r| r.upheld),
        reinstated: row.as_ref().map_or(0, |r| r.reinstated),
    }
}

fn repeat_sellers(rows: Vec<sql::RepeatSellerRow>) -> Vec<RepeatSeller> {
    rows.into_iter()
        .map(|r| RepeatSeller {
            seller_id: r.seller_id,
            name: r.name,
            takedowns: r.takedowns,
            flagged: r.flagged != 0,
        })
        .collect()
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
