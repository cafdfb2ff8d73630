//! Invitations to join a brand. The link travels only by email to the address invited; it adds a
//! membership for the account that signs in to accept it, and creates an account (with the
//! password chosen there) only when the address has none yet. It never sets or checks the
//! password of an existing account.

use super::mail::{self, Mailer};
use super::throttle::{self, Check};
use super::{me_of, open_session, person, Client, Deps, SignedIn};
use crate::access::{self, Action, Actor};
use crate::api::*;
use crate::audit::{self, AuditEntry, AuditKind, Subject};
use crate::clock::{Millis, DAY};
use crate::ids::{BrandId, InvitationId, UserId};
use crate::reasons::{Reason, Why};
use crate::store::{Db, LINK_GONE};
use crate::types::{BrandRole, DisplayName, Email, NewPassword};
use crate::{password, sql, token, Error, Result};

pub const INVITATION_LIFETIME: Millis = 7 * DAY;

/// Whether an account may belong to brands: staff and disabled accounts may not.
pub(super) fn may_join(user: &sql::UserRecord) -> bool {
    user.staff_role.is_none() && user.disabled_at.is_none()
}

/// The one refusal for every address that cannot join a brand (staff, disabled accounts): it
/// does not say which, so it tells an inviter nothing about the account.
pub(super) fn cannot_join(email: &Email) -> Error {
    Error::unprocessable(Reason::CannotJoin {
        email: email.as_str().to_owned(),
    })
}

pub async fn invite_member<D: Db>(
    deps: &Deps<'_, D>,
    mailer: &impl Mailer,
    actor: &Actor,
    brand_id: BrandId,
    req: InviteRequest,
) -> Result<InvitationSent> {
    let capacity = access::authorize(actor, brand_id, Action::ManageMembers)?;
    let inviter = person(actor)?;
    let email = Email::parse(&req.email)?;
    let role = BrandRole::parse(&req.role)?;
    if let Some(user) = sql::user_by_email(deps.db, &email).await? {
        if !may_join(&user) {
            return Err(cannot_join(&email));
        }
        if sql::member(deps.db, brand_id, user.id).await?.is_some() {
            return Err(Error::conflict(Reason::AlreadyMember {
                email: email.as_str().to_owned(),
            }));
        }
    }
    let brand = sql::brand(deps.db, brand_id)
        .await?
        .ok_or(Error::NotFound)?;
    let now = deps.clock.now();
    let secret = token::generate(deps.entropy);
    let id = InvitationId(deps.entropy.uuid());
    let expires_at = now + INVITATION_LIFETIME;
    let token_hash = token::digest(&secret);
    deps.db
        .batch(vec![
            sql::withdraw_pending_invitations(&email, brand_id, now),
            sql::insert_invitation(&sql::NewInvitation {
                id,
                token_hash: &token_hash,
                email: &email,
                brand_id,
                role,
                invited_by: inviter.user_id,
                now,
                expires_at,
            }),
            AuditEntry::by(AuditKind::InvitationSent, actor)
                .for_brand(brand_id, capacity)
                .subject(Subject::Invitation, id)
                .detail("email", email.as_str())
                .detail("role", role)
                .stmt(deps),
        ])
        .await?;
    let message = mail::invitation(
        mailer.site_url(),
        &mail::Invitation {
            to: email.as_str(),
            brand_name: &brand.name,
            role,
            inviter: &inviter.display_name,
            secret: &secret,
            lifetime: INVITATION_LIFETIME,
        },
    );
    if let Err(e) = mailer.send(message).await {
        // An invitation nobody received must not stay pending.
        let cancelled = AuditEntry::by(AuditKind::InvitationCancelled, actor)
            .for_brand(brand_id, capacity)
            .subject(Subject::Invitation, id)
            .detail("cause", "not_delivered");
        audit::change_recorded(deps, sql::cancel_invitation(brand_id, id, now), &cancelled).await?;
        return Err(e);
    }
    Ok(InvitationSent {
        invitation_id: id,
        email: email.as_str().to_owned(),
        role,
        expires_at,
    })
}

/// A brand admin takes back an invitation that has not been accepted.
pub async fn cancel_invitation<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
    invitation_id: InvitationId,
) -> Result<()> {
    let capacity = access::authorize(actor, brand_id, Action::ManageMembers)?;
    // The brand is in the statement's WHERE clause: another brand's invitation is not found.
    let cancel = sql::cancel_invitation(brand_id, invitation_id, deps.clock.now());
    let entry = AuditEntry::by(AuditKind::InvitationCancelled, actor)
        .for_brand(brand_id, capacity)
        .subject(Subject::Invitation, invitation_id);
    if !audit::change_recorded(deps, cancel, &entry).await? {
        return Err(Error::NotFound);
    }
    Ok(())
}

/// The entry of an accepted invitation: the person who joins, as a member of the brand.
fn accepted(user_id: UserId, inv: &sql::InvitationRecord) -> AuditEntry {
    AuditEntry::by_person(AuditKind::InvitationAccepted, user_id)
        .in_brand(inv.brand_id)
        .subject(Subject::Invitation, inv.id)
        .detail("user_id", user_id)
        .detail("role", inv.role)
}

fn accepted_already() -> Error {
    Error::conflict(Reason::InvitationAccepted)
}

/// Finds a live invitation by its link, counting the check in the throttle (by address): a
/// found link gives its attempt back, so only guesses keep counting. An accepted one is a 409.
async fn live_invitation<D: Db>(
    deps: &Deps<'_, D>,
    client: &Client,
    secret: &str,
) -> Result<sql::InvitationRecord> {
    let attempt = throttle::attempt(deps.db, deps.clock, client, Check::Link).await?;
    let now = deps.clock.now();
    let Some(inv) = sql::invitation_by_token(deps.db, &token::digest(secret)).await? else {
        return Err(Error::NotFound);
    };
    deps.db.batch(attempt.succeeded()).await?;
    if inv.accepted_at.is_some() {
        // Said as it is (the link reached its holder's mailbox): of two parallel accepts the
        // loser hears this whichever step it lost at, and a second click learns to sign in.
        return Err(accepted_already());
    }
    if inv.cancelled_at.is_some() || inv.expires_at <= now || !inv.inviter_may_invite {
        return Err(Error::NotFound);
    }
    Ok(inv)
}

/// The account an invitation is addressed to, if it may join brands (staff and disabled
/// accounts cannot: their invitations read as gone).
async fn invitee(db: &impl Db, inv: &sql::InvitationRecord) -> Result<Option<sql::UserRecord>> {
    let email = Email::parse(&inv.email)?;
    match sql::user_by_email(db, &email).await? {
        Some(u) if !may_join(&u) => Err(Error::NotFound),
        found => Ok(found),
    }
}

pub async fn view_invitation<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    client: &Client,
    secret: &str,
) -> Result<InvitationView> {
    let inv = live_invitation(deps, client, secret).await?;
    let account = invitee(deps.db, &inv).await?;
    let signed_in_as = match actor {
        Actor::Person(p) => Some(p.user_id),
        _ => None,
    };
    Ok(InvitationView {
        email: inv.email,
        brand_name: inv.brand_name,
        role: inv.role,
        account_exists: account.is_some(),
        signed_in_as_invitee: account.is_some_and(|a| Some(a.id) == signed_in_as),
        expires_at: inv.expires_at,
    })
}

/// What accepting did: joined with the account already signed in, or made a new account and
/// signed it in.
#[derive(Debug)]
pub enum Accepted {
    Joined(Me),
    NewAccount(SignedIn),
}

/// Accepts an invitation. For an address with an account, only that account, signed in, can
/// accept (no password is asked or set here); for a new address, the account is made with the
/// name and password given. Of two parallel accepts, one wins and the other answers 409.
pub async fn accept_invitation<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    client: &Client,
    secret: &str,
    req: AcceptInvitationRequest,
) -> Result<Accepted> {
    let inv = live_invitation(deps, client, secret).await?;
    let now = deps.clock.now();
    let token_hash = token::digest(secret);
    // Of two parallel accepts the loser fails at `use_link` (409); an invitation cancelled (or
    // otherwise ended) after it was read fails the batch's own check: gone, as if never read.
    let conflict = |e: Error| match e {
        Error::Conflict(Why::Text(m)) if m == LINK_GONE => Error::NotFound,
        Error::Conflict(_) => accepted_already(),
        other => other,
    };
    match invitee(deps.db, &inv).await? {
        Some(account) => {
            match actor {
                Actor::Person(p) if p.user_id == account.id => {}
                Actor::Person(_) => return Err(Error::Forbidden(Reason::OtherAccount.into())),
                _ if account.password_hash.is_none() => {
                    return Err(Error::unprocessable(Reason::SetPasswordFirst))
                }
                _ => return Err(Error::Unauthenticated),
            }
            if sql::member(deps.db, inv.brand_id, account.id)
                .await?
                .is_some()
            {
                return Err(Error::conflict(Reason::AlreadyMember {
                    email: account.email,
                }));
            }
            deps.db
                .batch(vec![
                    sql::use_link(&token_hash, now),
                    sql::check_invitation_live(&token_hash, now),
                    sql::insert_membership(account.id, inv.brand_id, inv.role, now),
                    sql::mark_invitation_accepted(inv.id, account.id, now),
                    sql::clear_link_checks(),
                    accepted(account.id, &inv).stmt(deps),
                ])
                .await
                .map_err(conflict)?;
            Ok(Accepted::Joined(me_of(deps.db, account).await?))
        }
        None => {
            let name = DisplayName::parse(req.display_name.as_deref().unwrap_or(""))?;
            let new = NewPassword::parse(req.password.as_deref().unwrap_or(""), "password")?;
            let hash = password::hash(new.as_str(), deps.entropy)?;
            let email = Email::parse(&inv.email)?;
            let id = UserId(deps.entropy.uuid());
            let (session_token, session) = open_session(deps, id, client);
            deps.db
                .batch(vec![
                    sql::use_link(&token_hash, now),
                    sql::check_invitation_live(&token_hash, now),
                    sql::insert_user(id, &email, name.as_str(), Some(&hash), None, now),
                    sql::insert_membership(id, inv.brand_id, inv.role, now),
                    sql::mark_invitation_accepted(inv.id, id, now),
                    session,
                    sql::clear_link_checks(),
                    accepted(id, &inv)
                        .detail("new_account", true)
                        .from_address(client.known_address())
                        .stmt(deps),
                    AuditEntry::by_person(AuditKind::SignedIn, id)
                        .subject(Subject::User, id)
                        .detail("via", "invitation")
                        .from_address(client.known_address())
                        .stmt(deps),
                ])
                .await
                .map_err(conflict)?;
            let user = sql::user_by_id(deps.db, id).await?.ok_or(Error::NotFound)?;
            Ok(Accepted::NewAccount(SignedIn {
                session_token,
                me: me_of(deps.db, user).await?,
            }))
        }
    }
}
