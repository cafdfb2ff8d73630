//! An account's own set-password link: the only way a password is set without knowing the
//! current one. It reaches the account's mailbox only, works once, for 72 hours, and a newer
//! link ends the older ones.

use super::mail::{self, Mail, Mailer, PasswordLinkReason};
use super::throttle::{self, Check};
use super::{me_of, open_session, Client, Deps, SignedIn};
use crate::api::*;
use crate::audit::{AuditEntry, AuditKind, Subject};
use crate::clock::{Millis, HOUR};
use crate::reasons::{Reason, Why};
use crate::store::{Db, Stmt, LINK_GONE};
use crate::types::{Email, NewPassword};
use crate::{password, sql, token, Error, Result};

pub const PASSWORD_LINK_LIFETIME: Millis = 72 * HOUR;

/// A new link for an account: its secret, and the statements that end the older links and store
/// this one (also used by `cargo xtask first-operator`, which prints the link instead).
pub fn new_password_link<D: Db>(deps: &Deps<'_, D>, user: &sql::UserRecord) -> (String, Vec<Stmt>) {
    let now = deps.clock.now();
    let secret = token::generate(deps.entropy);
    let id = deps.entropy.uuid().to_string();
    let writes = vec![
        sql::end_password_links(user.id, now),
        sql::insert_password_link(
            &id,
            &token::digest(&secret),
            user.id,
            now,
            now + PASSWORD_LINK_LIFETIME,
        ),
    ];
    (secret, writes)
}

/// Stores a new link for the account and writes the email that carries it (for the caller to
/// send).
async fn password_link_mail<D: Db>(
    deps: &Deps<'_, D>,
    site_url: &str,
    user: &sql::UserRecord,
    reason: PasswordLinkReason,
) -> Result<(LinkSent, Mail)> {
    let (secret, writes) = new_password_link(deps, user);
    deps.db.batch(writes).await?;
    let mail = mail::password_link(
        site_url,
        &mail::PasswordLink {
            to: &user.email,
            display_name: &user.display_name,
            secret: &secret,
            lifetime: PASSWORD_LINK_LIFETIME,
            reason,
        },
    );
    let sent = LinkSent {
        email: user.email.clone(),
        expires_at: deps.clock.now() + PASSWORD_LINK_LIFETIME,
    };
    Ok((sent, mail))
}

/// Emails an account its set-password link.
pub async fn send_password_link<D: Db>(
    deps: &Deps<'_, D>,
    mailer: &impl Mailer,
    user: &sql::UserRecord,
    reason: PasswordLinkReason,
) -> Result<LinkSent> {
    let (sent, mail) = password_link_mail(deps, mailer.site_url(), user, reason).await?;
    mailer.send(mail).await?;
    Ok(sent)
}

/// "Forgot your password?": for an enabled account with this address, a new link and the email
/// to send — which the caller sends after answering, so that neither the answer nor its timing
/// tells whether the account exists. Requests are counted per address and per email, apart from
/// password failures (a guesser cannot stop the owner asking; nobody can flood a mailbox).
pub async fn request_password_link<D: Db>(
    deps: &Deps<'_, D>,
    site_url: &str,
    client: &Client,
    req: PasswordLinkRequest,
) -> Result<Option<Mail>> {
    let email = Email::parse(&req.email)?;
    let _counted =
        throttle::attempt(deps.db, deps.clock, client, Check::LinkRequest(&email)).await?;
    match sql::user_by_email(deps.db, &email).await? {
        Some(user) if user.disabled_at.is_none() => {
            let (_, mail) =
                password_link_mail(deps, site_url, &user, PasswordLinkReason::Reset).await?;
            Ok(Some(mail))
        }
        _ => Ok(None),
    }
}

async fn live_link<D: Db>(
    deps: &Deps<'_, D>,
    client: &Client,
    secret: &str,
) -> Result<sql::PasswordLinkRecord> {
    let attempt = throttle::attempt(deps.db, deps.clock, client, Check::Link).await?;
    let now = deps.clock.now();
    let link = match sql::password_link(deps.db, &token::digest(secret)).await? {
        Some(l) if l.ended_at.is_none() && l.disabled_at.is_none() && l.expires_at > now => l,
        _ => return Err(Error::NotFound),
    };
    deps.db.batch(attempt.succeeded()).await?;
    Ok(link)
}

pub async fn view_password_link<D: Db>(
    deps: &Deps<'_, D>,
    client: &Client,
    secret: &str,
) -> Result<PasswordLinkView> {
    let link = live_link(deps, client, secret).await?;
    Ok(PasswordLinkView {
        email: link.email,
        display_name: link.display_name,
        expires_at: link.expires_at,
    })
}

/// Sets the account's password from its link, signs out its every session and signs it in here.
pub async fn set_password_with_link<D: Db>(
    deps: &Deps<'_, D>,
    client: &Client,
    secret: &str,
    req: SetPasswordRequest,
) -> Result<SignedIn> {
    let link = live_link(deps, client, secret).await?;
    let new = NewPassword::parse(&req.password, "password")?;
    let hash = password::hash(new.as_str(), deps.entropy)?;
    let now = deps.clock.now();
    let (session_token, session) = open_session(deps, link.user_id, client);
    let token_hash = token::digest(secret);
    deps.db
        .batch(vec![
            sql::use_link(&token_hash, now),
            // Replaced, expired or its account disabled since it was read: the batch fails.
            sql::check_password_link_live(&token_hash, now),
            sql::set_password(link.user_id, &hash),
            sql::end_password_links(link.user_id, now),
            sql::revoke_all_sessions(link.user_id, now),
            session,
            sql::clear_link_checks(),
            AuditEntry::by_person(AuditKind::PasswordChanged, link.user_id)
                .subject(Subject::User, link.user_id)
                .detail("via", "link")
                .from_address(client.known_address())
                .stmt(deps),
            AuditEntry::by_person(AuditKind::SignedIn, link.user_id)
                .subject(Subject::User, link.user_id)
                .detail("via", "link")
                .from_address(client.known_address())
                .stmt(deps),
        ])
        .await
        .map_err(|e| match e {
            Error::Conflict(Why::Text(m)) if m == LINK_GONE => Error::NotFound,
            Error::Conflict(_) => Error::conflict(Reason::LinkUsed),
            other => other,
        })?;
    let user = sql::user_by_id(deps.db, link.user_id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(SignedIn {
        session_token,
        me: me_of(deps.db, user).await?,
    })
}

/// The first operator of a new deployment: their account (or an existing one, made an operator)
/// and a set-password link, as statements for whoever holds the database's credentials. Returns
/// the link's secret, to be printed for that person alone.
pub fn first_operator(
    entropy: &dyn crate::clock::Entropy,
    now: Millis,
    email: &Email,
    display_name: &crate::types::DisplayName,
) -> (String, Vec<Stmt>) {
    let secret = token::generate(entropy);
    let writes = vec![
        sql::upsert_operator(
            crate::ids::UserId(entropy.uuid()),
            email,
            display_name.as_str(),
            now,
        ),
        sql::delete_memberships_of_email(email),
        sql::end_password_links_of_email(email, now),
        sql::insert_password_link_for_email(
            &entropy.uuid().to_string(),
            &token::digest(&secret),
            email,
            now,
            now + PASSWORD_LINK_LIFETIME,
        ),
    ];
    (secret, writes)
}
