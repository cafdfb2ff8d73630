//! Identity use cases: signing in and out, sessions, members and invitations, and the operator's
//! set-up of brands, users and account managers.

use crate::access::{self, Action, Actor, Capacity, Membership, Person, StaffArea};
use crate::api::*;
use crate::clock::{Clock, Entropy, Millis, DAY, HOUR, MINUTE};
use crate::ids::{BrandId, InvitationId, UserId};
use crate::store::Db;
use crate::types::{
    BrandName, BrandRef, BrandRole, DisplayName, Email, NewPassword, ProgrammeStatus, StaffRole,
};
use crate::{password, sql, token, Error, Result};

/// A session ends after 12 hours without use…
pub const SESSION_IDLE: Millis = 12 * HOUR;
/// …and 7 days after sign-in in any case.
pub const SESSION_ABSOLUTE: Millis = 7 * DAY;
/// Failed sign-ins allowed per email within the window.
pub const MAX_LOGIN_FAILURES: i64 = 10;
pub const LOGIN_WINDOW: Millis = 15 * MINUTE;
pub const INVITATION_LIFETIME: Millis = 7 * DAY;
/// Sessions record their last use at most this often (saves a write per request).
const TOUCH_EVERY: Millis = MINUTE;

/// The secret for the session cookie, and who it belongs to.
#[derive(Debug)]
pub struct SignedIn {
    pub session_token: String,
    pub me: Me,
}

/// Everything the use cases need from the platform.
pub struct Deps<'a, D: Db> {
    pub db: &'a D,
    pub clock: &'a dyn Clock,
    pub entropy: &'a dyn Entropy,
}

fn password_field(raw: &str, field: &str) -> Result<()> {
    if raw.is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    if raw.chars().count() > NewPassword::MAX_CHARS {
        return Err(Error::invalid(
            field,
            format!("must be at most {} characters", NewPassword::MAX_CHARS),
        ));
    }
    Ok(())
}

pub async fn login<D: Db>(deps: &Deps<'_, D>, req: LoginRequest) -> Result<SignedIn> {
    let email = Email::parse(&req.email)?;
    password_field(&req.password, "password")?;
    let now = deps.clock.now();
    let failures =
        sql::recent_login_failures(deps.db, &email, now - LOGIN_WINDOW, MAX_LOGIN_FAILURES).await?;
    if failures.len() as i64 >= MAX_LOGIN_FAILURES {
        // The window ends when the oldest of the counted failures leaves it.
        let oldest = failures.last().copied().unwrap_or(now);
        return Err(Error::TooManyAttempts {
            retry_after_secs: ((oldest + LOGIN_WINDOW - now) / 1000).max(1),
        });
    }
    let user = sql::user_by_email(deps.db, &email).await?;
    // Unknown emails and accounts without a password are checked against a dummy hash, so the
    // answer and its timing do not reveal which emails exist.
    let stored = user
        .as_ref()
        .and_then(|u| u.password_hash.as_deref())
        .unwrap_or(password::DUMMY_HASH);
    let matches = password::verify(&req.password, stored);
    let user = match user {
        Some(u) if matches && u.password_hash.is_some() => u,
        _ => {
            deps.db
                .batch(vec![sql::insert_login_failure(&email, now)])
                .await?;
            return Err(Error::InvalidCredentials);
        }
    };
    let session_token = token::generate(deps.entropy);
    deps.db
        .batch(vec![
            sql::insert_session(&token::digest(&session_token), user.id, now),
            sql::clear_login_failures(&email, now - LOGIN_WINDOW),
        ])
        .await?;
    let me = me_of(deps.db, user).await?;
    Ok(SignedIn { session_token, me })
}

/// Resolves a session cookie to an actor; an unknown, revoked or expired session is anonymous.
pub async fn actor_for_session<D: Db>(deps: &Deps<'_, D>, session_token: &str) -> Result<Actor> {
    let token_hash = token::digest(session_token);
    let Some(s) = sql::session(deps.db, &token_hash).await? else {
        return Ok(Actor::Anonymous);
    };
    let now = deps.clock.now();
    let expired = now - s.last_seen_at > SESSION_IDLE || now - s.created_at > SESSION_ABSOLUTE;
    if s.revoked_at.is_some() || expired {
        return Ok(Actor::Anonymous);
    }
    if now - s.last_seen_at > TOUCH_EVERY {
        deps.db
            .batch(vec![sql::touch_session(&token_hash, now)])
            .await?;
    }
    #[derive(serde::Deserialize)]
    struct M {
        brand_id: BrandId,
        role: BrandRole,
    }
    let parse = |what: &str, e: serde_json::Error| Error::Internal(format!("session {what}: {e}"));
    let memberships: Vec<M> =
        serde_json::from_str(&s.memberships).map_err(|e| parse("memberships", e))?;
    let managed_brands: Vec<BrandId> =
        serde_json::from_str(&s.managed_brands).map_err(|e| parse("managed brands", e))?;
    Ok(Actor::Person(Person {
        user_id: s.user_id,
        display_name: s.display_name,
        staff_role: s.staff_role,
        memberships: memberships
            .into_iter()
            .map(|m| Membership {
                brand_id: m.brand_id,
                role: m.role,
            })
            .collect(),
        managed_brands,
    }))
}

pub async fn logout<D: Db>(deps: &Deps<'_, D>, session_token: &str) -> Result<()> {
    deps.db
        .batch(vec![sql::revoke_session(
            &token::digest(session_token),
            deps.clock.now(),
        )])
        .await
}

fn person(actor: &Actor) -> Result<&Person> {
    match actor {
        Actor::Person(p) => Ok(p),
        Actor::Anonymous => Err(Error::Unauthenticated),
        Actor::ApiKey { .. } => Err(Error::NotFound),
    }
}

fn user_view(u: &sql::UserRecord) -> UserView {
    UserView {
        id: u.id,
        email: u.email.clone(),
        display_name: u.display_name.clone(),
        staff_role: u.staff_role,
    }
}

async fn me_of(db: &impl Db, user: sql::UserRecord) -> Result<Me> {
    let memberships = sql::memberships_of(db, user.id)
        .await?
        .into_iter()
        .map(|m| MembershipView {
            brand_id: m.brand_id,
            brand_name: m.brand_name,
            role: m.role,
        })
        .collect();
    Ok(Me {
        user: user_view(&user),
        memberships,
    })
}

pub async fn me<D: Db>(deps: &Deps<'_, D>, actor: &Actor) -> Result<Me> {
    let p = person(actor)?;
    let user = sql::user_by_id(deps.db, p.user_id)
        .await?
        .ok_or(Error::Unauthenticated)?;
    me_of(deps.db, user).await
}

/// The session, if any: never an error for a visitor.
pub async fn session<D: Db>(deps: &Deps<'_, D>, actor: &Actor) -> Result<SessionView> {
    Ok(SessionView {
        me: if let Actor::Person(_) = actor {
            Some(me(deps, actor).await?)
        } else {
            None
        },
    })
}

/// Changes one's own password; every other session of the person is signed out.
pub async fn change_password<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    session_token: &str,
    req: ChangePasswordRequest,
) -> Result<()> {
    let p = person(actor)?;
    password_field(&req.current_password, "current_password")?;
    let new = NewPassword::parse(&req.new_password, "new_password")?;
    let user = sql::user_by_id(deps.db, p.user_id)
        .await?
        .ok_or(Error::Unauthenticated)?;
    let stored = user
        .password_hash
        .as_deref()
        .unwrap_or(password::DUMMY_HASH);
    if !password::verify(&req.current_password, stored) {
        return Err(Error::invalid(
            "current_password",
            "is not your current password",
        ));
    }
    let hash = password::hash(new.as_str(), deps.entropy)?;
    let now = deps.clock.now();
    deps.db
        .batch(vec![
            sql::set_password(user.id, &hash),
            sql::revoke_other_sessions(user.id, &token::digest(session_token), now),
        ])
        .await
}

// ---------------------------------------------------------------- invitations

fn invitation_link(
    id: InvitationId,
    email: &Email,
    secret: &str,
    expires_at: Millis,
) -> InvitationLink {
    InvitationLink {
        invitation_id: id,
        email: email.as_str().to_owned(),
        link: format!("/invite/{secret}"),
        expires_at,
    }
}

async fn live_invitation(db: &impl Db, now: Millis, secret: &str) -> Result<sql::InvitationRecord> {
    match sql::invitation_by_token(db, &token::digest(secret)).await? {
        Some(inv) if inv.accepted_at.is_none() && inv.expires_at > now => Ok(inv),
        _ => Err(Error::NotFound),
    }
}

pub async fn view_invitation<D: Db>(deps: &Deps<'_, D>, secret: &str) -> Result<InvitationView> {
    let inv = live_invitation(deps.db, deps.clock.now(), secret).await?;
    let email = Email::parse(&inv.email)?;
    let account_exists = sql::user_by_email(deps.db, &email)
        .await?
        .is_some_and(|u| u.password_hash.is_some());
    Ok(InvitationView {
        email: inv.email,
        brand_name: inv.brand_name,
        role: inv.role,
        account_exists,
        expires_at: inv.expires_at,
    })
}

/// Accepts a one-time link: a new person sets their password; someone who already has an
/// account proves it with their password. Either way they are signed in.
pub async fn accept_invitation<D: Db>(
    deps: &Deps<'_, D>,
    secret: &str,
    req: AcceptInvitationRequest,
) -> Result<SignedIn> {
    let now = deps.clock.now();
    let inv = live_invitation(deps.db, now, secret).await?;
    let email = Email::parse(&inv.email)?;
    let existing = sql::user_by_email(deps.db, &email).await?;
    let mut writes = Vec::new();
    let user_id = match &existing {
        Some(user) if user.password_hash.is_some() => {
            password_field(&req.password, "password")?;
            if !password::verify(
                &req.password,
                user.password_hash
                    .as_deref()
                    .unwrap_or(password::DUMMY_HASH),
            ) {
                return Err(Error::InvalidCredentials);
            }
            user.id
        }
        _ => {
            let new = NewPassword::parse(&req.password, "password")?;
            let hash = password::hash(new.as_str(), deps.entropy)?;
            match &existing {
                Some(user) => {
                    if let Some(name) = &req.display_name {
                        writes.push(sql::set_display_name(
                            user.id,
                            DisplayName::parse(name)?.as_str(),
                        ));
                    }
                    writes.push(sql::set_password(user.id, &hash));
                    user.id
                }
                None => {
                    let name = DisplayName::parse(req.display_name.as_deref().unwrap_or(""))?;
                    let id = UserId(deps.entropy.uuid());
                    writes.push(sql::insert_user(
                        id,
                        &email,
                        name.as_str(),
                        Some(&hash),
                        None,
                        now,
                    ));
                    id
                }
            }
        }
    };
    if let (Some(brand_id), Some(role)) = (inv.brand_id, inv.role) {
        if sql::member(deps.db, brand_id, user_id).await?.is_none() {
            writes.push(sql::insert_membership(user_id, brand_id, role, now));
        }
    }
    writes.push(sql::mark_invitation_accepted(inv.id, now));
    let session_token = token::generate(deps.entropy);
    writes.push(sql::insert_session(
        &token::digest(&session_token),
        user_id,
        now,
    ));
    deps.db.batch(writes).await?;
    let user = sql::user_by_id(deps.db, user_id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(SignedIn {
        session_token,
        me: me_of(deps.db, user).await?,
    })
}

// ---------------------------------------------------------------- brands and members

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
            .filter_map(|i| {
                i.role.map(|role| PendingInvitation {
                    id: i.id,
                    email: i.email,
                    role,
                    expires_at: i.expires_at,
                })
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

pub async fn invite_member<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
    req: InviteRequest,
) -> Result<InvitationLink> {
    access::authorize(actor, brand_id, Action::ManageMembers)?;
    let inviter = person(actor)?.user_id;
    let email = Email::parse(&req.email)?;
    let role = BrandRole::parse(&req.role)?;
    if let Some(user) = sql::user_by_email(deps.db, &email).await? {
        if sql::member(deps.db, brand_id, user.id).await?.is_some() {
            return Err(Error::Conflict(format!(
                "{} is already a member of this brand",
                email.as_str()
            )));
        }
    }
    let now = deps.clock.now();
    let secret = token::generate(deps.entropy);
    let id = InvitationId(deps.entropy.uuid());
    let expires_at = now + INVITATION_LIFETIME;
    let token_hash = token::digest(&secret);
    let invitation = sql::NewInvitation {
        id,
        token_hash: &token_hash,
        email: &email,
        brand: Some((brand_id, role)),
        invited_by: inviter,
        now,
        expires_at,
    };
    deps.db
        .batch(vec![
            sql::withdraw_pending_invitations(&email, brand_id, now),
            sql::insert_invitation(&invitation),
        ])
        .await?;
    Ok(invitation_link(id, &email, &secret, expires_at))
}

/// Refuses a change that would leave the brand without an admin.
async fn keep_an_admin(db: &impl Db, brand_id: BrandId, changing: UserId) -> Result<()> {
    let admins_left = sql::members(db, brand_id)
        .await?
        .iter()
        .filter(|m| m.role == BrandRole::BrandAdmin && m.user_id != changing)
        .count();
    if admins_left == 0 {
        return Err(Error::Conflict(
            "a brand needs at least one brand_admin".into(),
        ));
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
    access::authorize(actor, brand_id, Action::ManageMembers)?;
    let role = BrandRole::parse(&req.role)?;
    let current = sql::member(deps.db, brand_id, user_id)
        .await?
        .ok_or(Error::NotFound)?;
    if current.role == BrandRole::BrandAdmin && role != BrandRole::BrandAdmin {
        keep_an_admin(deps.db, brand_id, user_id).await?;
    }
    deps.db
        .batch(vec![sql::update_membership_role(brand_id, user_id, role)])
        .await?;
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
    access::authorize(actor, brand_id, Action::ManageMembers)?;
    let current = sql::member(deps.db, brand_id, user_id)
        .await?
        .ok_or(Error::NotFound)?;
    if current.role == BrandRole::BrandAdmin {
        keep_an_admin(deps.db, brand_id, user_id).await?;
    }
    deps.db
        .batch(vec![sql::delete_membership(brand_id, user_id)])
        .await
}

// ---------------------------------------------------------------- staff

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

pub async fn admin_create_user<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    req: CreateUserRequest,
) -> Result<CreatedUser> {
    access::authorize_staff(actor, StaffArea::Admin)?;
    let operator = person(actor)?.user_id;
    let email = Email::parse(&req.email)?;
    let name = DisplayName::parse(&req.display_name)?;
    let staff_role = req
        .staff_role
        .as_deref()
        .map(StaffRole::parse)
        .transpose()?;
    if sql::user_by_email(deps.db, &email).await?.is_some() {
        return Err(Error::Conflict(format!(
            "a user with the email {} exists",
            email.as_str()
        )));
    }
    let now = deps.clock.now();
    let id = UserId(deps.entropy.uuid());
    let secret = token::generate(deps.entropy);
    let token_hash = token::digest(&secret);
    let invitation_id = InvitationId(deps.entropy.uuid());
    let expires_at = now + INVITATION_LIFETIME;
    let invitation = sql::NewInvitation {
        id: invitation_id,
        token_hash: &token_hash,
        email: &email,
        brand: None,
        invited_by: operator,
        now,
        expires_at,
    };
    deps.db
        .batch(vec![
            sql::insert_user(id, &email, name.as_str(), None, staff_role, now),
            sql::insert_invitation(&invitation),
        ])
        .await?;
    Ok(CreatedUser {
        user: UserView {
            id,
            email: email.as_str().to_owned(),
            display_name: name.as_str().to_owned(),
            staff_role,
        },
        set_password: invitation_link(invitation_id, &email, &secret, expires_at),
    })
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
        .batch(vec![sql::insert_brand(
            id,
            name.as_str(),
            brand_ref.as_str(),
            deps.clock.now(),
        )])
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
        Error::Unprocessable(format!(
            "no user has the email {}; create the user first",
            email.as_str()
        ))
    })?;
    if sql::member(deps.db, brand_id, user.id).await?.is_some() {
        return Err(Error::Conflict(format!(
            "{} is already a member of this brand",
            email.as_str()
        )));
    }
    let now = deps.clock.now();
    deps.db
        .batch(vec![sql::insert_membership(user.id, brand_id, role, now)])
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
        return Err(Error::invalid("reason", "must be at most 1000 characters"));
    }
    match status {
        ProgrammeStatus::Suspended if reason.is_none() => {
            return Err(Error::invalid(
                "reason",
                "say why the brand is suspended; the brand sees it",
            ));
        }
        ProgrammeStatus::Enrolled => {
            let now = deps.clock.now();
            let verified = sql::ip_rights(deps.db, brand_id)
                .await?
                .iter()
                .any(|r| r.status == "verified" && r.expires_at.is_none_or(|e| e > now));
            if !verified {
                return Err(Error::Unprocessable(
                    "Enrolment needs at least one verified, unexpired IP right.".into(),
                ));
            }
            if brand.shop_id.is_none() && !agreement {
                return Err(Error::Unprocessable(
                    "Enrolment needs an official shop (shop.verified) or a signed cooperation agreement.".into(),
                ));
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
        .batch(vec![sql::set_programme(
            brand_id,
            status,
            brand.shop_id.as_deref(),
            agreement,
            reason,
        )])
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
    let manager = sql::user_by_id(deps.db, manager_id).await?;
    if manager.and_then(|m| m.staff_role) != Some(StaffRole::AccountManager) {
        return Err(Error::Unprocessable(
            "manager_id must name an account manager".into(),
        ));
    }
    deps.db
        .batch(vec![sql::set_brand_manager(brand_id, manager_id)])
        .await?;
    get_brand(deps, actor, brand_id).await
}
