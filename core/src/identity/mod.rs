//! Identity use cases: signing in and out, sessions, members and invitations, one-time links, and
//! the operator's set-up of brands, users and account managers.
//!
//! A link proves nothing about an existing account: invitations only add memberships (for the
//! account that signs in to accept), and only an account's own set-password link sets its
//! password. Every password and link check goes through `throttle`.

mod invitations;
mod links;
pub mod mail;
mod members;
mod staff;
pub mod throttle;

pub use invitations::*;
pub use links::*;
pub use members::*;
pub use staff::*;
pub use throttle::Client;

use crate::access::{Actor, Person};
use crate::api::*;
use crate::audit::{self, AuditEntry, AuditKind, Subject};
use crate::clock::{Clock, Entropy, Millis, DAY, HOUR, MINUTE};
use crate::ids::{BrandId, UserId};
use crate::reasons::Reason;
use crate::store::{Db, Stmt};
use crate::types::{BrandRole, Email, NewPassword};
use crate::{password, sql, token, Error, Result};
use throttle::Check;

/// A session ends after 12 hours without use…
pub const SESSION_IDLE: Millis = 12 * HOUR;
/// …and 7 days after sign-in in any case.
pub const SESSION_ABSOLUTE: Millis = 7 * DAY;
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
    /// The client's IP address, for the audit log (None when unknown, or for the Cron Trigger).
    pub address: Option<&'a str>,
}

fn password_field(raw: &str, field: &str) -> Result<()> {
    if raw.is_empty() {
        return Err(Error::invalid(field, Reason::Empty));
    }
    if raw.chars().count() > NewPassword::MAX_CHARS {
        return Err(Error::invalid(
            field,
            Reason::TooLong {
                max: NewPassword::MAX_CHARS,
            },
        ));
    }
    Ok(())
}

/// A new session for a person: the cookie's secret, and the statement that stores its hash.
fn open_session<D: Db>(deps: &Deps<'_, D>, user_id: UserId, client: &Client) -> (String, Stmt) {
    let session_token = token::generate(deps.entropy);
    let id = deps.entropy.uuid().to_string();
    let stmt = sql::insert_session(&sql::NewSession {
        id: &id,
        token_hash: &token::digest(&session_token),
        user_id,
        user_agent: &client.user_agent,
        address: &client.address,
        now: deps.clock.now(),
    });
    (session_token, stmt)
}

pub async fn login<D: Db>(
    deps: &Deps<'_, D>,
    client: &Client,
    req: LoginRequest,
) -> Result<SignedIn> {
    let email = Email::parse(&req.email)?;
    password_field(&req.password, "password")?;
    let attempt = throttle::attempt(deps.db, deps.clock, client, Check::Password(&email)).await?;
    let user = sql::user_by_email(deps.db, &email).await?;
    // Unknown emails, disabled accounts and accounts without a password are checked against a
    // dummy hash, so the answer and its timing do not reveal which emails exist.
    let stored = user
        .as_ref()
        .filter(|u| u.disabled_at.is_none())
        .and_then(|u| u.password_hash.as_deref())
        .unwrap_or(password::DUMMY_HASH);
    let matches = password::verify(&req.password, stored);
    let user = match user {
        Some(u) if matches && u.password_hash.is_some() && u.disabled_at.is_none() => u,
        _ => {
            // Recorded beside the throttle's count; the answer stays the same for every cause.
            let failed = AuditEntry::anonymous(AuditKind::SignInFailed)
                .detail("email", email.as_str())
                .detail("cause", sign_in_failure(user.as_ref()))
                .from_address(client.known_address());
            let failed = match &user {
                Some(u) => failed.subject(Subject::User, u.id),
                None => failed,
            };
            deps.db.batch(vec![failed.stmt(deps)]).await?;
            return Err(Error::InvalidCredentials);
        }
    };
    let (session_token, session) = open_session(deps, user.id, client);
    let signed_in = AuditEntry::by_person(AuditKind::SignedIn, user.id)
        .subject(Subject::User, user.id)
        .detail("via", "password")
        .from_address(client.known_address());
    let mut writes = vec![session, signed_in.stmt(deps)];
    writes.extend(attempt.succeeded());
    deps.db.batch(writes).await?;
    let me = me_of(deps.db, user).await?;
    Ok(SignedIn { session_token, me })
}

/// Why a sign-in failed, as the audit log records it (the answer never tells).
fn sign_in_failure(user: Option<&sql::UserRecord>) -> &'static str {
    match user {
        None => "unknown_email",
        Some(u) if u.disabled_at.is_some() => "disabled",
        Some(u) if u.password_hash.is_none() => "no_password",
        Some(_) => "wrong_password",
    }
}

/// Resolves a session cookie to an actor; an unknown, revoked or expired session, or one of a
/// disabled account, is anonymous.
pub async fn actor_for_session<D: Db>(deps: &Deps<'_, D>, session_token: &str) -> Result<Actor> {
    let token_hash = token::digest(session_token);
    let Some(s) = sql::session(deps.db, &token_hash).await? else {
        return Ok(Actor::Anonymous);
    };
    let now = deps.clock.now();
    let expired = now - s.last_seen_at > SESSION_IDLE || now - s.created_at > SESSION_ABSOLUTE;
    if s.revoked_at.is_some() || s.disabled_at.is_some() || expired {
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
    let parse =
        |what: &str, e: serde_json::Error| Error::internal_from(format!("session {what}"), e);
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
            .map(|m| crate::access::Membership {
                brand_id: m.brand_id,
                role: m.role,
            })
            .collect(),
        managed_brands,
    }))
}

pub async fn logout<D: Db>(deps: &Deps<'_, D>, actor: &Actor, session_token: &str) -> Result<()> {
    let revoke = sql::revoke_session(&token::digest(session_token), deps.clock.now());
    let entry = match actor {
        Actor::Person(p) => {
            AuditEntry::by(AuditKind::SignedOut, actor).subject(Subject::User, p.user_id)
        }
        _ => return deps.db.batch(vec![revoke]).await,
    };
    audit::change_recorded(deps, revoke, &entry).await?;
    Ok(())
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
        disabled: u.disabled_at.is_some(),
        has_password: u.password_hash.is_some(),
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
            programme_status: m.programme_status,
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

/// Changes one's own password (the current one is checked through the throttle); every other
/// session of the person is signed out and any set-password link of theirs stops working.
pub async fn change_password<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    client: &Client,
    session_token: &str,
    req: ChangePasswordRequest,
) -> Result<()> {
    let p = person(actor)?;
    password_field(&req.current_password, "current_password")?;
    let new = NewPassword::parse(&req.new_password, "new_password")?;
    let user = sql::user_by_id(deps.db, p.user_id)
        .await?
        .ok_or(Error::Unauthenticated)?;
    let email = Email::parse(&user.email)?;
    let attempt = throttle::attempt(deps.db, deps.clock, client, Check::Password(&email)).await?;
    let stored = user
        .password_hash
        .as_deref()
        .unwrap_or(password::DUMMY_HASH);
    if !password::verify(&req.current_password, stored) || user.password_hash.is_none() {
        return Err(Error::invalid("current_password", Reason::WrongPassword));
    }
    let hash = password::hash(new.as_str(), deps.entropy)?;
    let now = deps.clock.now();
    let changed = AuditEntry::by(AuditKind::PasswordChanged, actor)
        .subject(Subject::User, user.id)
        .detail("via", "current_password");
    let mut writes = vec![
        sql::set_password(user.id, &hash),
        sql::revoke_other_sessions(user.id, &token::digest(session_token), now),
        sql::end_password_links(user.id, now),
        changed.stmt(deps),
    ];
    writes.extend(attempt.succeeded());
    deps.db.batch(writes).await
}

/// The person's own open sessions, to recognise and end the ones they do not know.
pub async fn my_sessions<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    session_token: &str,
) -> Result<OwnSessionList> {
    let p = person(actor)?;
    let now = deps.clock.now();
    let current = token::digest(session_token);
    let sessions = sql::open_sessions(
        deps.db,
        p.user_id,
        now - SESSION_IDLE,
        now - SESSION_ABSOLUTE,
    )
    .await?
    .into_iter()
    .map(|s| OwnSession {
        current: s.token_hash == current,
        id: s.id,
        created_at: s.created_at,
        last_seen_at: s.last_seen_at,
        user_agent: s.user_agent,
        address: s.address,
    })
    .collect();
    Ok(OwnSessionList { sessions })
}

/// Ends one of the person's own sessions (another person's session id is simply not found).
pub async fn end_my_session<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    session_id: &str,
) -> Result<()> {
    let p = person(actor)?;
    // Ownership is in the statement's WHERE clause: another person's session is not found.
    let revoke = sql::revoke_own_session(p.user_id, session_id, deps.clock.now());
    let entry = AuditEntry::by(AuditKind::SessionEnded, actor)
        .subject(Subject::Session, session_id)
        .detail("user_id", p.user_id);
    if !audit::change_recorded(deps, revoke, &entry).await? {
        return Err(Error::NotFound);
    }
    Ok(())
}

/// Signs the person out everywhere but here.
pub async fn end_other_sessions<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    session_token: &str,
) -> Result<()> {
    let p = person(actor)?;
    deps.db
        .batch(vec![
            sql::revoke_other_sessions(p.user_id, &token::digest(session_token), deps.clock.now()),
            AuditEntry::by(AuditKind::OtherSessionsEnded, actor)
                .subject(Subject::User, p.user_id)
                .stmt(deps),
        ])
        .await
}

/// Forgets what can no longer be used (cron): throttle windows that have ended, ended
/// set-password links, and the record of used links once every link is past its lifetime.
/// (Ended sessions are kept a while: `jobs::forget_expired`.)
pub async fn purge_expired<D: Db>(deps: &Deps<'_, D>) -> Result<()> {
    let now = deps.clock.now();
    let longest_link = INVITATION_LIFETIME.max(PASSWORD_LINK_LIFETIME);
    deps.db
        .batch(vec![
            sql::purge_throttle(now),
            sql::purge_password_links(now),
            sql::purge_used_links(now - longest_link),
            sql::purge_audit(),
        ])
        .await
}
