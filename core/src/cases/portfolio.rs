//! The staff portfolio: an account manager's brands (every brand, for operators) side by side, a page at a time, in two statements per page.

use super::dashboard::week_start;
use crate::access::{self, Actor, StaffArea};
use crate::api::{Portfolio, PortfolioBrand};
use crate::clock::Millis;
use crate::identity::Deps;
use crate::ids::BrandId;
use crate::programme;
use crate::reasons::Reason;
use crate::sql;
use crate::store::Db;
use crate::types::StaffRole;
use crate::{Error, Result};
use std::collections::HashMap;

pub const PORTFOLIO_PAGE_DEFAULT: i64 = 25;
pub const PORTFOLIO_PAGE_MAX: i64 = 100;

/// The portfolio's query string.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PortfolioQuery {
    /// Text the brand's name contains (any case).
    pub q: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    pub limit: Option<String>,
}

pub async fn portfolio<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    q: &PortfolioQuery,
) -> Result<Portfolio> {
    let manager = match access::authorize_staff(actor, StaffArea::Manager)? {
        StaffRole::Operator => None,
        StaffRole::AccountManager => match actor {
            Actor::Person(p) => Some(p.user_id),
            _ => return Err(Error::NotFound),
        },
    };
    let nonempty = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let name = nonempty(&q.q);
    if name.as_ref().is_some_and(|t| t.chars().count() > 200) {
        return Err(Error::invalid("q", Reason::TooLong { max: 200 }));
    }
    let limit = match nonempty(&q.limit) {
        None => PORTFOLIO_PAGE_DEFAULT,
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=PORTFOLIO_PAGE_MAX).contains(n))
            .ok_or_else(|| Error::invalid("limit", format!("must be 1–{PORTFOLIO_PAGE_MAX}")))?,
    };
    let after = nonempty(&q.cursor)
        .map(|c| {
            BrandId::parse(&c)
                .map_err(|_| Error::invalid("cursor", "is not a cursor this API gave out"))
        })
        .transpose()?;
    let now = deps.clock.now();
    let week = week_start(now);
    let mut rows = sql::portfolio_page(
        deps.db,
        &sql::PortfolioPage {
            manager,
            name_contains: name.map(|n| n.to_lowercase()),
            after,
            limit: limit + 1,
            now,
            week_start: week,
        },
    )
    .await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = if more {
        rows.last().map(|r| r.id.to_string())
    } else {
        None
    };
    let mut standings = standings(deps.db, &rows, now).await?;
    let brands = rows
        .into_iter()
        .map(|r| {
            let standing = standings
                .remove(&r.id)
                .unwrap_or_else(|| programme::standing(&[], now));
            let lane = programme::lane(
                r.programme_status,
                r.suspension_reason.as_deref(),
                r.shop_id.is_some(),
                &standing,
            )
            .ok()
            .map(|(lane, _)| lane);
            PortfolioBrand {
                id: r.id,
                name: r.name,
                programme_status: r.programme_status,
                has_official_shop: r.shop_id.is_some(),
                suspension_reason: r.suspension_reason,
                cooperation_agreement: r.cooperation_agreement,
                account_manager_id: r.account_manager_id,
                account_manager_name: r.manager_name,
                standing,
                lane,
                awaiting_brand: r.awaiting_brand,
                under_review: r.under_review,
                reviews_overdue: r.reviews_overdue,
                in_arbitration: r.in_arbitration,
                arbitrations_overdue: r.arbitrations_overdue,
                expired_this_week: r.expired_this_week,
            }
        })
        .collect();
    Ok(Portfolio {
        as_of: now,
        week_starts_at: week,
        brands,
        next_cursor,
    })
}

/// The page's standings from one statement: the rule's verdict turns per brand, replayed as
/// `standing_of` replays the decisions (the same horizon), so each equals the brand's `…/stats`.
async fn standings(
    db: &impl Db,
    rows: &[sql::PortfolioRow],
    now: Millis,
) -> Result<HashMap<BrandId, programme::Standing>> {
    if rows.is_empty() {
        return Ok(HashMap::new());
    }
    let ids: Vec<String> = rows.iter().map(|r| r.id.to_string()).collect();
    let since = now - programme::STANDING_WINDOW - 2 * programme::REVOCATION;
    let turns = sql::standing_turns(
        db,
        &serde_json::to_string(&ids)?,
        since,
        now,
        programme::STANDING_WINDOW,
        programme::MIN_DECIDED,
        programme::MAX_REINSTATED_BP,
    )
    .await?;
    /// A brand's verdict turns, and its decided and reinstated now.
    type Turns = (Vec<(Millis, bool)>, i64, i64);
    let mut by_brand: HashMap<BrandId, Turns> = HashMap::new();
    for t in turns {
        let entry = by_brand.entry(t.brand_id).or_default();
        if t.turns != 0 {
            entry.0.push((t.at, t.breached != 0));
        }
        if t.last != 0 {
            (entry.1, entry.2) = (t.decided, t.reinstated);
        }
    }
    Ok(by_brand
        .into_iter()
        .map(|(id, (turns, decided, reinstated))| {
            (
                id,
                programme::standing_from_turns(&turns, decided, reinstated, now),
            )
        })
        .collect())
}
