//! A brand as its people see it: the brand itself, its members and their roles.

use super::Deps;
use crate::access::{self, Action, Actor, Capacity};
use crate::api::*;
use crate::audit::{AuditEntry, AuditKind, Subject};
use crate::ids::{BrandId, UserId};
use crate::reasons::Reason;
use crate::store::Db;
use crate::types::BrandRole;
use crate::{sql, Error, Result};

fn viewer_capacity(c: Capacity) -> ViewerCapacity {
    match c {
        Capacity::Member(role) => ViewerCapacity::Member(role),
        Capacity::AccountManager => ViewerCapacity::AccountManager,
        Capacity::Operator => ViewerCapacity::Operator,
        Capacity::Key(scope) => ViewerCapacity::Key(scope),
    }
}

pub async fn get_brand<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
) -> Result<BrandView> {
    let capacity = access::authorize(actor, brand_id, Action::ViewBrand)?;
    let b = sql::brand(deps.db, brand_id)
        .await?
        .ok_or(Error::NotFound)?;
    let account_manager = match (b.account_manager_id, b.manager_name, b.manager_email) {
        (Some(id), Some(display_name), Some(email)) => Some(PersonRef {
            id,
            display_name,
            email,
        }),
        _ => None,
    };
    Ok(BrandView {
        id: b.id,
        name: b.name,
        brand_ref: b.brand_ref,
        programme_status: b.programme_status,
        suspension_reason: b.suspension_reason,
        has_official_shop: b.shop_id.is_some(),
        cooperation_agreement: b.cooperation_agreement,
        account_manager,
        viewer: viewer_capacity(capacity),
    })
}

pub async fn list_members<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
) -> Result<MembersView> {
    access::authorize(actor, brand_id, Action::ViewBrand)?;
    let members = sql::members(deps.db, brand_id)
        .await?
        .into_iter()
        .map(|m| MemberView {
            user_id: m.user_id,
            email: m.email,
            display_name: m.display_name,
            role: m.role,
            joined_at: m.joined_at,
        })
        .collect();
    let pending_invitations = if access::authorize(actor, brand_id, Action::ManageMembers).is_ok() {
        sql::pending_invitations(deps.db, brand_id, deps.clock.now())
            .await?
            .into_iter()
            .map(|i| PendingInvitation {
                id: i.id,
                email: i.email,
                role: i.role,
                expires_at: i.expires_at,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(MembersView {
        members,
        pending_invitations,
    })
}

/// Refuses a change that would leave the brand without an admin.
async fn keep_an_admin(db: &impl Db, brand_id: BrandId, changing: UserId) -> Result<()> {
    let admins_left = sql::members(db, brand_id)
        .await?
        .iter()
        .filter(|m| m.role == BrandRole::BrandAdmin && m.user_id != changing)
        .count();
    if admins_left == 0 {
        return Err(Error::conflict(Reason::LastAdmin));
    }
    Ok(())
}

pub async fn change_member_role<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
    user_id: UserId,
    req: ChangeRoleRequest,
) -> Result<MemberView> {
    let capacity = access::authorize(actor, brand_id, Action::ManageMembers)?;
    let role = BrandRole::parse(&req.role)?;
    let current = sql::member(deps.db, brand_id, user_id)
        .await?
        .ok_or(Error::NotFound)?;
    if current.role == BrandRole::BrandAdmin && role != BrandRole::BrandAdmin {
        keep_an_admin(deps.db, brand_id, user_id).await?;
    }
    let mut writes = vec![
        sql::update_membership_role(brand_id, user_id, role),
        AuditEntry::by(AuditKind::MemberRoleChanged, actor)
            .for_brand(brand_id, capacity)
            .subject(Subject::User, user_id)
            .detail("from", current.role)
            .detail("to", role)
            .stmt(deps),
    ];
    if role != BrandRole::BrandAdmin {
        // Someone who may no longer invite leaves no invitation of theirs pending.
        writes.push(sql::cancel_invitations_sent_for(
            user_id,
            brand_id,
            deps.clock.now(),
        ));
    }
    deps.db.batch(writes).await?;
    Ok(MemberView {
        role,
        user_id,
        email: current.email,
        display_name: current.display_name,
        joined_at: current.joined_at,
    })
}

pub async fn remove_member<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
    user_id: UserId,
) -> Result<()> {
    let capacity = access::authorize(actor, brand_id, Action::ManageMembers)?;
    let current = sql::member(deps.db, brand_id, user_id)
        .await?
        .ok_or(Error::NotFound)?;
    if current.role == BrandRole::BrandAdmin {
        keep_an_admin(deps.db, brand_id, user_id).await?;
    }
    // Invitations they sent for this brand go with them.
    deps.db
        .batch(vec![
            sql::delete_membership(brand_id, user_id),
            sql::cancel_invitations_sent_for(user_id, brand_id, deps.clock.now()),
            AuditEntry::by(AuditKind::MemberRemoved, actor)
                .for_brand(brand_id, capacity)
                .subject(Subject::User, user_id)
                .detail("role", current.role)
                .stmt(deps),
        ])
        .await
}
