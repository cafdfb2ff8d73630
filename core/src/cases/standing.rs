//! A brand's good standing (from its decided takedowns), the lane its reports go to, and the
//! figures its home page shows.

use super::rights::right_usable;
use crate::access::{self, Action, Actor};
use crate::api::*;
use crate::clock::Millis;
use crate::identity::Deps;
use crate::ids::BrandId;
use crate::programme::{self, Lane};
use crate::sql;
use crate::store::{query, Db, Stmt};
use crate::{Error, Result};
use std::collections::HashMap;

pub async fn standing_of(
    db: &impl Db,
    brand_id: BrandId,
    now: Millis,
) -> Result<programme::Standing> {
    Ok(standings_of(db, &[brand_id], now)
        .await?
        .remove(&brand_id)
        .unwrap_or_else(|| programme::standing(&[], now)))
}

/// The standings of some brands from one statement: the rule's verdict turns per brand (a few
/// rows however many takedowns a brand decided), replayed by `programme::standing_from_turns`
/// as `programme::standing` replays the decisions. A brand with no decisions is left out.
pub async fn standings_of(
    db: &impl Db,
    brands: &[BrandId],
    now: Millis,
) -> Result<HashMap<BrandId, programme::Standing>> {
    if brands.is_empty() {
        return Ok(HashMap::new());
    }
    let turns = query(db, turns_stmt(brands, now)?).await?;
    Ok(standings_from_turns(turns, now))
}

/// The statement of `standings_of`, for a caller that batches it with other reads.
pub(super) fn turns_stmt(brands: &[BrandId], now: Millis) -> Result<Stmt> {
    // Long enough back to replay revocations that could still be in force.
    let since = now - programme::STANDING_WINDOW - 2 * programme::REVOCATION;
    let ids: Vec<String> = brands.iter().map(ToString::to_string).collect();
    Ok(sql::standing_turns_stmt(
        &serde_json::to_string(&ids)?,
        since,
        now,
        programme::STANDING_WINDOW,
        programme::MIN_DECIDED,
        programme::MAX_REINSTATED_BP,
    ))
}

/// The standings the verdict turns replay to, per brand.
pub(super) fn standings_from_turns(
    turns: Vec<sql::TurnRow>,
    now: Millis,
) -> HashMap<BrandId, programme::Standing> {
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
    by_brand
        .into_iter()
        .map(|(id, (turns, decided, reinstated))| {
            let standing = programme::standing_from_turns(&turns, decided, reinstated, now);
            (id, standing)
        })
        .collect()
}

pub async fn brand_stats<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
) -> Result<BrandStats> {
    access::authorize(actor, brand_id, Action::ViewBrand)?;
    let brand = sql::brand(deps.db, brand_id)
        .await?
        .ok_or(Error::NotFound)?;
    let now = deps.clock.now();
    let standing = standing_of(deps.db, brand_id, now).await?;
    let (lane, review_reason, refusal) = match programme::lane(
        brand.programme_status,
        brand.suspension_reason.as_deref(),
        brand.shop_id.is_some(),
        &standing,
    ) {
        Ok((lane, why)) => (Some(lane), why, None),
        Err(refusal) => (None, None, Some(refusal)),
    };
    let counts = sql::case_counts(deps.db, brand_id, &sql::CaseFilter::default()).await?;
    let rights = sql::ip_rights(deps.db, brand_id).await?;
    let usable_rights = rights.iter().filter(|r| right_usable(r, now)).count() as i64;
    let pending_rights = rights.iter().filter(|r| r.status == "pending").count() as i64;
    Ok(BrandStats {
        standing,
        lane,
        review_reason,
        refusal_code: refusal.as_ref().map(|r| r.code().to_owned()),
        refusal_reason: refusal.as_ref().and_then(|r| r.reason()),
        refusal: refusal.map(|r| r.message()),
        counts,
        usable_rights,
        pending_rights,
    })
}

/// Where the brand's reports go now, or why it may not file (422).
pub(super) async fn lane_now(db: &impl Db, brand: &sql::BrandRecord, now: Millis) -> Result<Lane> {
    let standing = standing_of(db, brand.id, now).await?;
    programme::lane(
        brand.programme_status,
        brand.suspension_reason.as_deref(),
        brand.shop_id.is_some(),
        &standing,
    )
    .map(|(lane, _)| lane)
    .map_err(|refusal| Error::unprocessable(refusal.message()))
}
