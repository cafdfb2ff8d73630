//! The staff portfolio: an account manager's brands (every brand, for operators) side by side, a page at a time, in two statements per page.

use super::dashboard::week_start;
use super::standing::standings_of;
use crate::access::{self, Actor, StaffArea};
use crate::api::{Portfolio, PortfolioBrand};
use crate::identity::Deps;
use crate::ids::BrandId;
use crate::programme;
use crate::reasons::Reason;
use crate::sql;
use crate::store::Db;
use crate::types::StaffRole;
use crate::{Error, Result};

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
    let ids: Vec<BrandId> = rows.iter().map(|r| r.id).collect();
    let mut standings = standings_of(deps.db, &ids, now).await?;
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
