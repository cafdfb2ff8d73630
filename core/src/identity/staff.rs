//! The operator's set-up (brands, users, account managers, programme standing) and the account
//! lifecycle: disabling and re-enabling accounts, staff roles, set-password links sent again.

use super::mail::{Mailer, PasswordLinkReason};
use super::{get_brand, person, user_view, Deps};
use crate::access::{self, Actor, StaffArea};
use crate::api::*;
use crate::audit::{AuditEntry, AuditKind, Subject};
use crate::ids::{BrandId, UserId};
use crate::notifications::Notice;
use crate::reasons::Reason;
use crate::store::Db;
use crate::types::{
    BrandName, BrandRef, BrandRole, DisplayName, Email, ProgrammeStatus, StaffRole,
};
use crate::{sql, Error, Result};

fn brand_summary(b: sql::BrandRecord) -> BrandSummary {
    BrandSummary {
        id: b.id,
        name: b.name,
        brand_ref: b.brand_ref,
        programme_status: b.programme_status,
        account_manager_name: b.manager_name,
        member_count: b.member_count,
    }
}

/// The brands a staff member looks after: all of them for operators.
pub async fn staff_brands<D: Db>(deps: &Deps<'_, D>, actor: &Actor) -> Result<BrandList> {
    let role = access::authorize_staff(actor, StaffArea::Manager)?;
    let rows = match role {
        StaffRole::Operator => sql::all_brands(deps.db).await?,
        StaffRole::AccountManager => {
            sql::brands_managed_by(deps.db, person(actor)?.user_id).await?
        }
    };
    Ok(BrandList {
        brands: rows.into_iter().map(brand_summary).collect(),
    })
}

pub async fn admin_list_users<D: Db>(deps: &Deps<'_, D>, actor: &Actor) -> Result<UserList> {
    access::authorize_staff(actor, StaffArea::Admin)?;
    Ok(UserList {
        users: sql::all_users(deps.db)
            .await?
            .iter()
            .map(user_view)
            .collect(),
    })
}

/// Creates an account (a staff member, or a person to add to brands) without a password, and
/// emails its own set-password link: the operator never sees the link.
pub async fn admin_create_user<D: Db>(
    deps: &Deps<'_, D>,
    mailer: &impl Mailer,
    actor: &Actor,
    req: CreateUserRequest,
) -> Result<CreatedUser> {
    access::authorize_staff(actor, StaffArea::Admin)?;
    let email = Email::parse(&req.email)?;
    let name = DisplayName::parse(&req.display_name)?;
    let staff_role = req
        .staff_role
        .as_deref()
        .map(StaffRole::parse)
        .transpose()?;
    if sql::user_by_email(deps.db, &email).await?.is_some() {
        return Err(Error::conflict(Reason::UserExists {
            email: email.as_str().to_owned(),
        }));
    }
    let id = UserId(deps.entropy.uuid());
    deps.db
        .batch(vec![
            sql::insert_user(
                id,
                &email,
                name.as_str(),
                None,
                staff_role,
                deps.clock.now(),
            ),
            AuditEntry::by(AuditKind::UserCreated, actor)
                .subject(Subject::User, id)
                .detail("email", email.as_str())
                .detail("staff_role", staff_role)
                .stmt(deps),
        ])
        .await?;
    let user = sql::user_by_id(deps.db, id).await?.ok_or(Error::NotFound)?;
    let link_sent =
        super::send_password_link(deps, mailer, &user, PasswordLinkReason::NewAccount).await?;
    Ok(CreatedUser {
        user: user_view(&user),
        link_sent,
    })
}

async fn other_user<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    user_id: UserId,
) -> Result<sql::UserRecord> {
    access::authorize_staff(actor, StaffArea::Admin)?;
    let user = sql::user_by_id(deps.db, user_id)
        .await?
        .ok_or(Error::NotFound)?;
    if user.id == person(actor)?.user_id {
        return Err(Error::conflict(Reason::OwnAccount));
    }
    Ok(user)
}

/// Emails a user a new set-password link (the older ones stop working).
pub async fn admin_send_password_link<D: Db>(
    deps: &Deps<'_, D>,
    mailer: &impl Mailer,
    actor: &Actor,
    user_id: UserId,
) -> Result<LinkSent> {
    access::authorize_staff(actor, StaffArea::Admin)?;
    let user = sql::user_by_id(deps.db, user_id)
        .await?
        .ok_or(Error::NotFound)?;
    if user.disabled_at.is_some() {
        return Err(Error::conflict(Reason::EnableFirst));
    }
    super::send_password_link(deps, mailer, &user, PasswordLinkReason::Reset).await
}

/// Disables an account: its sessions end at once, the invitations it sent and those addressed
/// to it are cancelled, its set-password links stop working. API keys it made stay: they belong
/// to the brand (the key list shows their maker as disabled).
pub async fn admin_disable_user<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    user_id: UserId,
) -> Result<UserView> {
    let user = other_user(deps, actor, user_id).await?;
    let now = deps.clock.now();
    if user.disabled_at.is_none() {
        deps.db
            .batch(vec![
                sql::set_disabled(user.id, Some(now)),
                sql::revoke_all_sessions(user.id, now),
                sql::cancel_invitations_of(user.id, &user.email, now),
                sql::end_password_links(user.id, now),
                AuditEntry::by(AuditKind::UserDisabled, actor)
                    .subject(Subject::User, user.id)
                    .stmt(deps),
            ])
            .await?;
    }
    reread(deps, user.id).await
}

/// Re-enables an account; the person signs in with their password as before (or asks for a
/// set-password link if they never set one).
pub async fn admin_enable_user<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    user_id: UserId,
) -> Result<UserView> {
    let user = other_user(deps, actor, user_id).await?;
    let mut writes = vec![sql::set_disabled(user.id, None)];
    if user.disabled_at.is_some() {
        writes.push(
            AuditEntry::by(AuditKind::UserEnabled, actor)
                .subject(Subject::User, user.id)
                .stmt(deps),
        );
    }
    deps.db.batch(writes).await?;
    reread(deps, user.id).await
}

/// Grants, changes or removes a staff role. Staff belong to no brand, so granting one ends the
/// person's memberships. Someone who stops being an account manager looks after no brand any
/// more: those brands show "no account manager" until one is assigned.
pub async fn admin_set_staff_role<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    user_id: UserId,
    req: StaffRoleRequest,
) -> Result<UserView> {
    let user = other_user(deps, actor, user_id).await?;
    let role = req
        .staff_role
        .as_deref()
        .map(StaffRole::parse)
        .transpose()?;
    let mut writes = vec![sql::set_staff_role(user.id, role)];
    if role.is_some() {
        // Staff belong to no brand.
        writes.push(sql::delete_memberships_of(user.id));
    }
    if user.staff_role == Some(StaffRole::AccountManager) && role != Some(StaffRole::AccountManager)
    {
        writes.push(sql::clear_manager_assignments(user.id));
    }
    if role != user.staff_role {
        let kind = if role.is_some() {
            AuditKind::StaffRoleGranted
        } else {
            AuditKind::StaffRoleRemoved
        };
        writes.push(
            AuditEntry::by(kind, actor)
                .subject(Subject::User, user.id)
                .detail("from", user.staff_role)
                .detail("to", role)
                .stmt(deps),
        );
    }
    deps.db.batch(writes).await?;
    reread(deps, user.id).await
}

async fn reread<D: Db>(deps: &Deps<'_, D>, user_id: UserId) -> Result<UserView> {
    sql::user_by_id(deps.db, user_id)
        .await?
        .map(|u| user_view(&u))
        .ok_or(Error::NotFound)
}

pub async fn admin_create_brand<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    req: CreateBrandRequest,
) -> Result<BrandView> {
    access::authorize_staff(actor, StaffArea::Admin)?;
    let name = BrandName::parse(&req.name)?;
    let brand_ref = BrandRef::parse(&req.brand_ref)?;
    if sql::brand_exists_named(deps.db, name.as_str(), brand_ref.as_str()).await? {
        return Err(Error::Conflict(
            "a brand with this name or brand_ref exists".into(),
        ));
    }
    let id = BrandId(deps.entropy.uuid());
    deps.db
        .batch(vec![
            sql::insert_brand(id, name.as_str(), brand_ref.as_str(), deps.clock.now()),
            AuditEntry::by(AuditKind::BrandCreated, actor)
                .in_brand(id)
                .subject(Subject::Brand, id)
                .detail("brand_ref", brand_ref.as_str())
                .stmt(deps),
        ])
        .await?;
    get_brand(deps, actor, id).await
}

pub async fn admin_add_member<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
    req: AddMemberRequest,
) -> Result<MemberView> {
    access::authorize_staff(actor, StaffArea::Admin)?;
    sql::brand(deps.db, brand_id)
        .await?
        .ok_or(Error::NotFound)?;
    let email = Email::parse(&req.email)?;
    let role = BrandRole::parse(&req.role)?;
    let user = sql::user_by_email(deps.db, &email).await?.ok_or_else(|| {
        Error::unprocessable(Reason::NoSuchUser {
            email: email.as_str().to_owned(),
        })
    })?;
    if !super::invitations::may_join(&user) {
        return Err(super::cannot_join(&email));
    }
    if sql::member(deps.db, brand_id, user.id).await?.is_some() {
        return Err(Error::conflict(Reason::AlreadyMember {
            email: email.as_str().to_owned(),
        }));
    }
    let now = deps.clock.now();
    deps.db
        .batch(vec![
            sql::insert_membership(user.id, brand_id, role, now),
            AuditEntry::by(AuditKind::MemberAdded, actor)
                .in_brand(brand_id)
                .subject(Subject::User, user.id)
                .detail("role", role)
                .stmt(deps),
        ])
        .await?;
    Ok(MemberView {
        user_id: user.id,
        email: user.email,
        display_name: user.display_name,
        role,
        joined_at: now,
    })
}

/// Enrols, suspends or re-enrols a brand. Enrolment needs a verified IP right and an official
/// shop or a cooperation agreement; a suspension needs a reason, which the brand sees.
pub async fn admin_set_programme<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
    req: ProgrammeRequest,
) -> Result<BrandView> {
    access::authorize_staff(actor, StaffArea::Admin)?;
    let brand = sql::brand(deps.db, brand_id)
        .await?
        .ok_or(Error::NotFound)?;
    let status = ProgrammeStatus::parse(&req.status)?;
    let agreement = req
        .cooperation_agreement
        .unwrap_or(brand.cooperation_agreement);
    let reason = req
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if reason.is_some_and(|r| r.chars().count() > 1000) {
        return Err(Error::invalid("reason", Reason::TooLong { max: 1000 }));
    }
    match status {
        ProgrammeStatus::Suspended if reason.is_none() => {
            return Err(Error::invalid("reason", Reason::SayWhySuspended));
        }
        ProgrammeStatus::Enrolled => {
            let now = deps.clock.now();
            let verified = sql::ip_rights(deps.db, brand_id)
                .await?
                .iter()
                .any(|r| r.status == "verified" && r.expires_at.is_none_or(|e| e > now));
            if !verified {
                return Err(Error::unprocessable(Reason::EnrolNeedsRight));
            }
            if brand.shop_id.is_none() && !agreement {
                return Err(Error::unprocessable(Reason::EnrolNeedsShopOrAgreement));
            }
        }
        _ => {}
    }
    let reason = if status == ProgrammeStatus::Suspended {
        reason
    } else {
        None
    };
    deps.db
        .batch(
            [sql::set_programme(
                brand_id,
                status,
                brand.shop_id.as_deref(),
                agreement,
                reason,
            )]
            .into_iter()
            .chain(
                AuditEntry::by(AuditKind::ProgrammeChanged, actor)
                    .in_brand(brand_id)
                    .subject(Subject::Brand, brand_id)
                    .detail("from", brand.programme_status)
                    .detail("to", status)
                    .detail("cooperation_agreement", agreement)
                    .detail("reason", reason)
                    .notice(Some(Notice::ProgrammeChanged))
                    .stmts(deps),
            )
            .collect(),
        )
        .await?;
    get_brand(deps, actor, brand_id).await
}

pub async fn admin_assign_manager<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
    req: AssignManagerRequest,
) -> Result<BrandView> {
    access::authorize_staff(actor, StaffArea::Admin)?;
    sql::brand(deps.db, brand_id)
        .await?
        .ok_or(Error::NotFound)?;
    let manager_id = UserId::parse(&req.manager_id)
        .map_err(|_| Error::invalid("manager_id", "must be a UUID"))?;
    let manager = sql::user_by_id(deps.db, manager_id)
        .await?
        .filter(|m| m.disabled_at.is_none());
    if manager.and_then(|m| m.staff_role) != Some(StaffRole::AccountManager) {
        return Err(Error::unprocessable(Reason::NotAccountManager));
    }
    deps.db
        .batch(vec![
            sql::set_brand_manager(brand_id, manager_id),
            AuditEntry::by(AuditKind::ManagerAssigned, actor)
                .in_brand(brand_id)
                .subject(Subject::User, manager_id)
                .stmt(deps),
        ])
        .await?;
    get_brand(deps, actor, brand_id).await
}
