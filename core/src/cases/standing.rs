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
use crate::store::Db;
use crate::{Error, Result};

pub async fn standing_of(
    db: &impl Db,
    brand_id: BrandId,
    now: Millis,
) -> Result<programme::Standing> {
    // Long enough back to replay revocations that could still be in force.
    let since = now - programme::STANDING_WINDOW - 2 * programme::REVOCATION;
    let history: Vec<programme::Decided> = sql::decided_takedowns(db, brand_id, since)
        .await?
        .into_iter()
        .map(|(at, reinstated)| programme::Decided { at, reinstated })
        .collect();
    Ok(programme::standing(&history, now))
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
    let usable_rights = sql::ip_rights(deps.db, brand_id)
        .await?
        .iter()
        .filter(|r| right_usable(r, now))
        .count() as i64;
    Ok(BrandStats {
        standing,
        lane,
        review_reason,
        refusal_code: refusal.as_ref().map(|r| r.code().to_owned()),
        refusal_reason: refusal.as_ref().and_then(|r| r.reason()),
        refusal: refusal.map(|r| r.message()),
        counts,
        usable_rights,
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
