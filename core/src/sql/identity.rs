//! Statements about people, brands, memberships, sessions and invitations.

use crate::clock::Millis;
use crate::ids::{BrandId, InvitationId, UserId};
use crate::store::{int_bool, query, query_one, Db, Stmt};
use crate::types::{BrandRole, Email, ProgrammeStatus, StaffRole};
use crate::Result;
use serde::Deserialize;

// ---------------------------------------------------------------- users

#[derive(Debug, Clone, Deserialize)]
pub struct UserRecord {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub password_hash: Option<String>,
    pub staff_role: Option<StaffRole>,
    pub disabled_at: Option<Millis>,
}

/// The user columns every user query returns.
macro_rules! user_select {
    ($tail:literal) => {
        concat!(
            "SELECT id, email, display_name, password_hash, staff_role, disabled_at FROM users",
            $tail
        )
    };
}

pub async fn user_by_email(db: &impl Db, email: &Email) -> Result<Option<UserRecord>> {
    const SQL: &str = user_select!(" WHERE email = ?1");
    query_one(db, Stmt::new(SQL, vec![email.as_str().into()])).await
}

pub async fn user_by_id(db: &impl Db, id: UserId) -> Result<Option<UserRecord>> {
    const SQL: &str = user_select!(" WHERE id = ?1");
    query_one(db, Stmt::new(SQL, vec![id.into()])).await
}

pub async fn all_users(db: &impl Db) -> Result<Vec<UserRecord>> {
    const SQL: &str = user_select!(" ORDER BY display_name, email");
    query(db, Stmt::new(SQL, vec![])).await
}

pub fn insert_user(
    id: UserId,
    email: &Email,
    display_name: &str,
    password_hash: Option<&str>,
    staff_role: Option<StaffRole>,
    now: Millis,
) -> Stmt {
    Stmt::new(
        "INSERT INTO users (id, email, display_name, password_hash, staff_role, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        vec![
            id.into(),
            email.as_str().into(),
            display_name.into(),
            password_hash.into(),
            staff_role.map(StaffRole::as_str).into(),
            now.into(),
        ],
    )
}

pub fn set_password(user_id: UserId, password_hash: &str) -> Stmt {
    Stmt::new(
        "UPDATE users SET password_hash = ?2 WHERE id = ?1",
        vec![user_id.into(), password_hash.into()],
    )
}

pub fn set_display_name(user_id: UserId, display_name: &str) -> Stmt {
    Stmt::new(
        "UPDATE users SET display_name = ?2 WHERE id = ?1",
        vec![user_id.into(), display_name.into()],
    )
}

pub fn set_staff_role(user_id: UserId, staff_role: Option<StaffRole>) -> Stmt {
    Stmt::new(
        "UPDATE users SET staff_role = ?2 WHERE id = ?1",
        vec![user_id.into(), staff_role.map(StaffRole::as_str).into()],
    )
}

/// Disables (`Some(now)`) or re-enables (`None`) an account.
pub fn set_disabled(user_id: UserId, disabled_at: Option<Millis>) -> Stmt {
    Stmt::new(
        "UPDATE users SET disabled_at = ?2 WHERE id = ?1",
        vec![user_id.into(), disabled_at.into()],
    )
}

/// A person who is no longer an account manager looks after no brand.
pub fn clear_manager_assignments(user_id: UserId) -> Stmt {
    Stmt::new(
        "UPDATE brands SET account_manager_id = NULL WHERE account_manager_id = ?1",
        vec![user_id.into()],
    )
}

// ---------------------------------------------------------------- sessions

/// A session with everything the access policy needs, read in one round trip.
#[derive(Debug, Clone, Deserialize)]
pub struct SessionRecord {
    pub user_id: UserId,
    pub display_name: String,
    pub staff_role: Option<StaffRole>,
    pub created_at: Millis,
    pub last_seen_at: Millis,
    pub revoked_at: Option<Millis>,
    pub disabled_at: Option<Millis>,
    /// JSON array of `{brand_id, role}`.
    pub memberships: String,
    /// JSON array of brand ids this user is account manager of.
    pub managed_brands: String,
}

pub async fn session(db: &impl Db, token_hash: &str) -> Result<Option<SessionRecord>> {
    const SQL: &str = "SELECT s.user_id, u.display_name, u.staff_role, s.created_at, s.last_seen_at, s.revoked_at,
          u.disabled_at,
          (SELECT json_group_array(json_object('brand_id', m.brand_id, 'role', m.role))
             FROM memberships m WHERE m.user_id = s.user_id) AS memberships,
          (SELECT json_group_array(b.id) FROM brands b WHERE b.account_manager_id = s.user_id) AS managed_brands
        FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = ?1";
    query_one(db, Stmt::new(SQL, vec![token_hash.into()])).await
}

/// A new session: its public id, and the device and address it was opened from.
pub struct NewSession<'a> {
    pub id: &'a str,
    pub token_hash: &'a str,
    pub user_id: UserId,
    pub user_agent: &'a str,
    pub address: &'a str,
    pub now: Millis,
}

pub fn insert_session(s: &NewSession<'_>) -> Stmt {
    Stmt::new(
        "INSERT INTO sessions (id, token_hash, user_id, created_at, last_seen_at, user_agent, address)
         VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6)",
        vec![
            s.id.into(),
            s.token_hash.into(),
            s.user_id.into(),
            s.now.into(),
            s.user_agent.into(),
            s.address.into(),
        ],
    )
}

pub fn touch_session(token_hash: &str, now: Millis) -> Stmt {
    Stmt::new(
        "UPDATE sessions SET last_seen_at = ?2 WHERE token_hash = ?1",
        vec![token_hash.into(), now.into()],
    )
}

pub fn revoke_session(token_hash: &str, now: Millis) -> Stmt {
    Stmt::new(
        "UPDATE sessions SET revoked_at = ?2 WHERE token_hash = ?1 AND revoked_at IS NULL",
        vec![token_hash.into(), now.into()],
    )
}

/// Ends one of the person's own sessions, named by its public id (ownership in the WHERE clause).
pub fn revoke_own_session(user_id: UserId, session_id: &str, now: Millis) -> Stmt {
    Stmt::new(
        "UPDATE sessions SET revoked_at = ?3 WHERE user_id = ?1 AND id = ?2 AND revoked_at IS NULL",
        vec![user_id.into(), session_id.into(), now.into()],
    )
}

pub fn revoke_other_sessions(user_id: UserId, keep_token_hash: &str, now: Millis) -> Stmt {
    Stmt::new(
        "UPDATE sessions SET revoked_at = ?3 WHERE user_id = ?1 AND token_hash <> ?2 AND revoked_at IS NULL",
        vec![user_id.into(), keep_token_hash.into(), now.into()],
    )
}

pub fn revoke_all_sessions(user_id: UserId, now: Millis) -> Stmt {
    Stmt::new(
        "UPDATE sessions SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL",
        vec![user_id.into(), now.into()],
    )
}

#[derive(Debug, Clone, Deserialize)]
pub struct OwnSessionRecord {
    pub id: String,
    pub token_hash: String,
    pub created_at: Millis,
    pub last_seen_at: Millis,
    pub user_agent: String,
    pub address: String,
}

/// A person's sessions that are still open (not revoked, not past either expiry), newest use first.
pub async fn open_sessions(
    db: &impl Db,
    user_id: UserId,
    idle_since: Millis,
    created_since: Millis,
) -> Result<Vec<OwnSessionRecord>> {
    const SQL: &str =
        "SELECT id, token_hash, created_at, last_seen_at, user_agent, address FROM sessions
        WHERE user_id = ?1 AND revoked_at IS NULL AND last_seen_at > ?2 AND created_at > ?3
        ORDER BY last_seen_at DESC LIMIT 100";
    query(
        db,
        Stmt::new(
            SQL,
            vec![user_id.into(), idle_since.into(), created_since.into()],
        ),
    )
    .await
}

// ---------------------------------------------------------------- the throttle

#[derive(Debug, Clone, Deserialize)]
pub struct ThrottleRecord {
    pub key: String,
    pub attempts: i64,
    pub window_start: Millis,
    pub window_ms: Millis,
}

/// Counts one attempt against each key (a JSON array of `[key, window_ms]`) and returns the
/// counts: the count and the check are one atomic statement, so parallel tries cannot all pass
/// the check before any is counted. A window that has ended starts again at one.
pub fn count_attempt(keys_json: &str, now: Millis) -> Stmt {
    Stmt::new(
        "INSERT INTO auth_throttle (key, window_start, window_ms, attempts)
         SELECT j.value ->> 0, ?2, j.value ->> 1, 1 FROM json_each(?1) j WHERE true
         ON CONFLICT (key) DO UPDATE SET
           attempts = CASE WHEN auth_throttle.window_start + auth_throttle.window_ms <= excluded.window_start
                           THEN 1 ELSE auth_throttle.attempts + 1 END,
           window_start = CASE WHEN auth_throttle.window_start + auth_throttle.window_ms <= excluded.window_start
                               THEN excluded.window_start ELSE auth_throttle.window_start END,
           window_ms = excluded.window_ms
         RETURNING key, attempts, window_start, window_ms",
        vec![keys_json.into(), now.into()],
    )
}

/// Gives back a successful attempt's count (a JSON array of keys): only failures keep counting.
pub fn refund_attempt(keys_json: &str) -> Stmt {
    Stmt::new(
        "UPDATE auth_throttle SET attempts = max(attempts - 1, 0)
         WHERE key IN (SELECT value FROM json_each(?1))",
        vec![keys_json.into()],
    )
}

/// Remembers an address the owner signed in from (a zero-attempt row whose window is how long).
pub fn remember_address(key: &str, now: Millis, for_ms: Millis) -> Stmt {
    Stmt::new(
        "INSERT INTO auth_throttle (key, window_start, window_ms, attempts) VALUES (?1, ?2, ?3, 0)
         ON CONFLICT (key) DO UPDATE SET window_start = excluded.window_start, window_ms = excluded.window_ms",
        vec![key.into(), now.into(), for_ms.into()],
    )
}

pub async fn address_known(db: &impl Db, key: &str, now: Millis) -> Result<bool> {
    #[derive(Deserialize)]
    struct Found {
        #[allow(dead_code)]
        key: String,
    }
    const SQL: &str =
        "SELECT key FROM auth_throttle WHERE key = ?1 AND window_start + window_ms > ?2";
    Ok(
        query_one::<Found>(db, Stmt::new(SQL, vec![key.into(), now.into()]))
            .await?
            .is_some(),
    )
}

/// Forgets set-password links that ended or expired.
pub fn purge_password_links(now: Millis) -> Stmt {
    Stmt::new(
        "DELETE FROM password_links WHERE ended_at IS NOT NULL OR expires_at <= ?1",
        vec![now.into()],
    )
}

/// Forgets the record of links used before every link made then has expired.
pub fn purge_used_links(used_before: Millis) -> Stmt {
    Stmt::new(
        "DELETE FROM used_links WHERE used_at <= ?1",
        vec![used_before.into()],
    )
}

/// Forgets windows that have ended.
pub fn purge_throttle(now: Millis) -> Stmt {
    Stmt::new(
        "DELETE FROM auth_throttle WHERE window_start + window_ms <= ?1",
        vec![now.into()],
    )
}

// ---------------------------------------------------------------- one-time links

/// Records a one-time link's use; a second use of the same link fails the batch it is in
/// (primary key), so of two parallel uses exactly one commits.
pub fn use_link(token_hash: &str, now: Millis) -> Stmt {
    Stmt::new(
        "INSERT INTO used_links (token_hash, used_at) VALUES (?1, ?2)",
        vec![token_hash.into(), now.into()],
    )
}

/// Checks, inside the batch that uses it, that an invitation still works: not accepted, not
/// cancelled, not expired, its sender still entitled to invite, its address still one that may
/// join a brand. A link that stopped working fails the batch (`link_still_live`).
pub fn check_invitation_live(token_hash: &str, now: Millis) -> Stmt {
    Stmt::new(
        "INSERT INTO link_checks (ok) SELECT EXISTS (
           SELECT 1 FROM invitations i
           WHERE i.token_hash = ?1 AND i.accepted_at IS NULL AND i.cancelled_at IS NULL AND i.expires_at > ?2
             AND EXISTS (SELECT 1 FROM users iu WHERE iu.id = i.invited_by AND iu.disabled_at IS NULL
                           AND (iu.staff_role = 'operator'
                                OR EXISTS (SELECT 1 FROM memberships im WHERE im.user_id = iu.id
                                             AND im.brand_id = i.brand_id AND im.role = 'brand_admin')))
             AND NOT EXISTS (SELECT 1 FROM users u WHERE u.email = i.email
                               AND (u.disabled_at IS NOT NULL OR u.staff_role IS NOT NULL)))",
        vec![token_hash.into(), now.into()],
    )
}

/// Checks, inside the batch that uses it, that a set-password link still works: not ended, not
/// expired, its account not disabled.
pub fn check_password_link_live(token_hash: &str, now: Millis) -> Stmt {
    Stmt::new(
        "INSERT INTO link_checks (ok) SELECT EXISTS (
           SELECT 1 FROM password_links p JOIN users u ON u.id = p.user_id
           WHERE p.token_hash = ?1 AND p.ended_at IS NULL AND p.expires_at > ?2 AND u.disabled_at IS NULL)",
        vec![token_hash.into(), now.into()],
    )
}

/// Leaves `link_checks` empty again (last in the batch that checked).
pub fn clear_link_checks() -> Stmt {
    Stmt::new("DELETE FROM link_checks", vec![])
}

#[derive(Debug, Clone, Deserialize)]
pub struct PasswordLinkRecord {
    pub id: String,
    pub user_id: UserId,
    pub email: String,
    pub display_name: String,
    pub expires_at: Millis,
    pub ended_at: Option<Millis>,
    pub disabled_at: Option<Millis>,
}

pub async fn password_link(db: &impl Db, token_hash: &str) -> Result<Option<PasswordLinkRecord>> {
    const SQL: &str =
        "SELECT p.id, p.user_id, u.email, u.display_name, p.expires_at, p.ended_at, u.disabled_at
        FROM password_links p JOIN users u ON u.id = p.user_id
        WHERE p.token_hash = ?1";
    query_one(db, Stmt::new(SQL, vec![token_hash.into()])).await
}

pub fn insert_password_link(
    id: &str,
    token_hash: &str,
    user_id: UserId,
    now: Millis,
    expires_at: Millis,
) -> Stmt {
    Stmt::new(
        "INSERT INTO password_links (id, token_hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        vec![
            id.into(),
            token_hash.into(),
            user_id.into(),
            now.into(),
            expires_at.into(),
        ],
    )
}

/// Ends every live set-password link of an account (a newer one replaces them, or it is disabled).
pub fn end_password_links(user_id: UserId, now: Millis) -> Stmt {
    Stmt::new(
        "UPDATE password_links SET ended_at = ?2 WHERE user_id = ?1 AND ended_at IS NULL",
        vec![user_id.into(), now.into()],
    )
}

// ---------------------------------------------------------------- brands

#[derive(Debug, Clone, Deserialize)]
pub struct BrandRecord {
    pub id: BrandId,
    pub name: String,
    pub brand_ref: String,
    pub programme_status: ProgrammeStatus,
    pub suspension_reason: Option<String>,
    pub shop_id: Option<String>,
    #[serde(deserialize_with = "int_bool")]
    pub cooperation_agreement: bool,
    pub account_manager_id: Option<UserId>,
    pub manager_name: Option<String>,
    pub manager_email: Option<String>,
    pub member_count: i64,
}

/// The brand columns every brand query returns, with the manager's name and the member count.
macro_rules! brand_select {
    ($tail:literal) => {
        concat!(
            "SELECT b.id, b.name, b.brand_ref, b.programme_status, b.suspension_reason, b.shop_id,
                    b.cooperation_agreement, b.account_manager_id, u.display_name AS manager_name,
                    u.email AS manager_email,
                    (SELECT count(*) FROM memberships m WHERE m.brand_id = b.id) AS member_count
             FROM brands b LEFT JOIN users u ON u.id = b.account_manager_id",
            $tail
        )
    };
}

pub async fn brand(db: &impl Db, id: BrandId) -> Result<Option<BrandRecord>> {
    query_one(db, brand_stmt(id)).await
}

pub fn brand_stmt(id: BrandId) -> Stmt {
    const SQL: &str = brand_select!(" WHERE b.id = ?1");
    Stmt::new(SQL, vec![id.into()])
}

pub async fn all_brands(db: &impl Db) -> Result<Vec<BrandRecord>> {
    const SQL: &str = brand_select!(" ORDER BY b.name");
    query(db, Stmt::new(SQL, vec![])).await
}

pub async fn brands_managed_by(db: &impl Db, manager: UserId) -> Result<Vec<BrandRecord>> {
    const SQL: &str = brand_select!(" WHERE b.account_manager_id = ?1 ORDER BY b.name");
    query(db, Stmt::new(SQL, vec![manager.into()])).await
}

pub async fn brand_exists_named(db: &impl Db, name: &str, brand_ref: &str) -> Result<bool> {
    #[derive(Deserialize)]
    struct Found {
        #[allow(dead_code)]
        id: String,
    }
    const SQL: &str = "SELECT id FROM brands WHERE name = ?1 COLLATE NOCASE OR brand_ref = ?2";
    Ok(
        query_one::<Found>(db, Stmt::new(SQL, vec![name.into(), brand_ref.into()]))
            .await?
            .is_some(),
    )
}

pub fn insert_brand(id: BrandId, name: &str, brand_ref: &str, now: Millis) -> Stmt {
    Stmt::new(
        "INSERT INTO brands (id, name, brand_ref, created_at) VALUES (?1, ?2, ?3, ?4)",
        vec![id.into(), name.into(), brand_ref.into(), now.into()],
    )
}

pub fn set_brand_manager(brand_id: BrandId, manager: UserId) -> Stmt {
    Stmt::new(
        "UPDATE brands SET account_manager_id = ?2 WHERE id = ?1",
        vec![brand_id.into(), manager.into()],
    )
}

/// Programme standing, as an operator records it (and as the demo seed sets it).
pub fn set_programme(
    brand_id: BrandId,
    status: ProgrammeStatus,
    shop_id: Option<&str>,
    cooperation_agreement: bool,
    suspension_reason: Option<&str>,
) -> Stmt {
    Stmt::new(
        "UPDATE brands SET programme_status = ?2, shop_id = ?3, cooperation_agreement = ?4, suspension_reason = ?5 WHERE id = ?1",
        vec![
            brand_id.into(),
            status.as_str().into(),
            shop_id.into(),
            cooperation_agreement.into(),
            suspension_reason.into(),
        ],
    )
}

// ---------------------------------------------------------------- memberships

#[derive(Debug, Clone, Deserialize)]
pub struct MemberRecord {
    pub user_id: UserId,
    pub email: String,
    pub display_name: String,
    pub role: BrandRole,
    pub joined_at: Millis,
}

pub async fn members(db: &impl Db, brand_id: BrandId) -> Result<Vec<MemberRecord>> {
    const SQL: &str = "SELECT m.user_id, u.email, u.display_name, m.role, m.created_at AS joined_at
        FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.brand_id = ?1 ORDER BY u.display_name, u.email";
    query(db, Stmt::new(SQL, vec![brand_id.into()])).await
}

/// The membership of one user in one brand: the ownership check lives in the WHERE clause.
pub async fn member(
    db: &impl Db,
    brand_id: BrandId,
    user_id: UserId,
) -> Result<Option<MemberRecord>> {
    const SQL: &str = "SELECT m.user_id, u.email, u.display_name, m.role, m.created_at AS joined_at
        FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.brand_id = ?1 AND m.user_id = ?2";
    query_one(db, Stmt::new(SQL, vec![brand_id.into(), user_id.into()])).await
}

#[derive(Debug, Clone, Deserialize)]
pub struct MembershipNameRecord {
    pub brand_id: BrandId,
    pub brand_name: String,
    pub role: BrandRole,
    pub programme_status: ProgrammeStatus,
}

pub async fn memberships_of(db: &impl Db, user_id: UserId) -> Result<Vec<MembershipNameRecord>> {
    const SQL: &str = "SELECT m.brand_id, b.name AS brand_name, m.role, b.programme_status
        FROM memberships m JOIN brands b ON b.id = m.brand_id
        WHERE m.user_id = ?1 ORDER BY b.name";
    query(db, Stmt::new(SQL, vec![user_id.into()])).await
}

pub fn insert_membership(user_id: UserId, brand_id: BrandId, role: BrandRole, now: Millis) -> Stmt {
    Stmt::new(
        "INSERT INTO memberships (user_id, brand_id, role, created_at) VALUES (?1, ?2, ?3, ?4)",
        vec![
            user_id.into(),
            brand_id.into(),
            role.as_str().into(),
            now.into(),
        ],
    )
}

pub fn update_membership_role(brand_id: BrandId, user_id: UserId, role: BrandRole) -> Stmt {
    Stmt::new(
        "UPDATE memberships SET role = ?3 WHERE brand_id = ?1 AND user_id = ?2",
        vec![brand_id.into(), user_id.into(), role.as_str().into()],
    )
}

/// Staff belong to no brand: granting a staff role ends the person's memberships.
pub fn delete_memberships_of(user_id: UserId) -> Stmt {
    Stmt::new(
        "DELETE FROM memberships WHERE user_id = ?1",
        vec![user_id.into()],
    )
}

pub fn delete_membership(brand_id: BrandId, user_id: UserId) -> Stmt {
    Stmt::new(
        "DELETE FROM memberships WHERE brand_id = ?1 AND user_id = ?2",
        vec![brand_id.into(), user_id.into()],
    )
}

// ---------------------------------------------------------------- invitations

#[derive(Debug, Clone, Deserialize)]
pub struct InvitationRecord {
    pub id: InvitationId,
    pub email: String,
    pub brand_id: BrandId,
    pub brand_name: String,
    pub role: BrandRole,
    pub invited_by: UserId,
    pub expires_at: Millis,
    pub accepted_at: Option<Millis>,
    pub cancelled_at: Option<Millis>,
    /// The inviter may still invite to this brand (an enabled brand admin of it, or an
    /// operator): an invitation outlives no one's right to have sent it.
    #[serde(deserialize_with = "int_bool")]
    pub inviter_may_invite: bool,
}

/// The invitation columns every invitation query returns (brand-less rows are old set-password
/// links, all cancelled by migration 0004).
macro_rules! invitation_select {
    ($tail:literal) => {
        concat!(
            "SELECT i.id, i.email, i.brand_id, b.name AS brand_name, i.role, i.invited_by,
                    i.expires_at, i.accepted_at, i.cancelled_at,
                    EXISTS (SELECT 1 FROM users iu WHERE iu.id = i.invited_by AND iu.disabled_at IS NULL
                              AND (iu.staff_role = 'operator'
                                   OR EXISTS (SELECT 1 FROM memberships im WHERE im.user_id = iu.id
                                                AND im.brand_id = i.brand_id AND im.role = 'brand_admin')))
                      AS inviter_may_invite
             FROM invitations i JOIN brands b ON b.id = i.brand_id",
            $tail
        )
    };
}

pub async fn invitation_by_token(
    db: &impl Db,
    token_hash: &str,
) -> Result<Option<InvitationRecord>> {
    const SQL: &str = invitation_select!(" WHERE i.token_hash = ?1");
    query_one(db, Stmt::new(SQL, vec![token_hash.into()])).await
}

pub async fn pending_invitations(
    db: &impl Db,
    brand_id: BrandId,
    now: Millis,
) -> Result<Vec<InvitationRecord>> {
    const SQL: &str = invitation_select!(
        " WHERE i.brand_id = ?1 AND i.accepted_at IS NULL AND i.cancelled_at IS NULL AND i.expires_at > ?2
          ORDER BY i.created_at DESC"
    );
    query(db, Stmt::new(SQL, vec![brand_id.into(), now.into()])).await
}

pub struct NewInvitation<'a> {
    pub id: InvitationId,
    pub token_hash: &'a str,
    pub email: &'a Email,
    pub brand_id: BrandId,
    pub role: BrandRole,
    pub invited_by: UserId,
    pub now: Millis,
    pub expires_at: Millis,
}

pub fn insert_invitation(inv: &NewInvitation<'_>) -> Stmt {
    Stmt::new(
        "INSERT INTO invitations (id, token_hash, email, brand_id, role, invited_by, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        vec![
            inv.id.into(),
            inv.token_hash.into(),
            inv.email.as_str().into(),
            inv.brand_id.into(),
            inv.role.as_str().into(),
            inv.invited_by.into(),
            inv.now.into(),
            inv.expires_at.into(),
        ],
    )
}

/// A newer invitation for the same person and brand replaces any still pending.
pub fn withdraw_pending_invitations(email: &Email, brand_id: BrandId, now: Millis) -> Stmt {
    Stmt::new(
        "UPDATE invitations SET cancelled_at = ?3
         WHERE email = ?1 AND brand_id = ?2 AND accepted_at IS NULL AND cancelled_at IS NULL",
        vec![email.as_str().into(), brand_id.into(), now.into()],
    )
}

/// A brand admin cancels a pending invitation of their brand (ownership in the WHERE clause).
pub fn cancel_invitation(brand_id: BrandId, id: InvitationId, now: Millis) -> Stmt {
    Stmt::new(
        "UPDATE invitations SET cancelled_at = ?3
         WHERE id = ?2 AND brand_id = ?1 AND accepted_at IS NULL AND cancelled_at IS NULL",
        vec![brand_id.into(), id.into(), now.into()],
    )
}

/// Cancels the pending invitations a person sent for one brand (they left it, or stopped being
/// its admin).
pub fn cancel_invitations_sent_for(user_id: UserId, brand_id: BrandId, now: Millis) -> Stmt {
    Stmt::new(
        "UPDATE invitations SET cancelled_at = ?3
         WHERE invited_by = ?1 AND brand_id = ?2 AND accepted_at IS NULL AND cancelled_at IS NULL",
        vec![user_id.into(), brand_id.into(), now.into()],
    )
}

/// Cancels the pending invitations a person sent and those addressed to them (disabled account).
pub fn cancel_invitations_of(user_id: UserId, email: &str, now: Millis) -> Stmt {
    Stmt::new(
        "UPDATE invitations SET cancelled_at = ?3
         WHERE (invited_by = ?1 OR email = ?2) AND accepted_at IS NULL AND cancelled_at IS NULL",
        vec![user_id.into(), email.into(), now.into()],
    )
}

pub fn mark_invitation_accepted(id: InvitationId, by: UserId, now: Millis) -> Stmt {
    Stmt::new(
        "UPDATE invitations SET accepted_at = ?2, accepted_by = ?3 WHERE id = ?1 AND accepted_at IS NULL",
        vec![id.into(), now.into(), by.into()],
    )
}

// ---------------------------------------------------------------- the first operator

/// The first operator of a deployment (`cargo xtask first-operator`, run with the database's own
/// credentials): made, or made an operator again and enabled, by email.
pub fn upsert_operator(id: UserId, email: &Email, display_name: &str, now: Millis) -> Stmt {
    Stmt::new(
        "INSERT INTO users (id, email, display_name, password_hash, staff_role, created_at)
         VALUES (?1, ?2, ?3, NULL, 'operator', ?4)
         ON CONFLICT (email) DO UPDATE SET staff_role = 'operator', disabled_at = NULL",
        vec![
            id.into(),
            email.as_str().into(),
            display_name.into(),
            now.into(),
        ],
    )
}

pub fn delete_memberships_of_email(email: &Email) -> Stmt {
    Stmt::new(
        "DELETE FROM memberships WHERE user_id = (SELECT id FROM users WHERE email = ?1)",
        vec![email.as_str().into()],
    )
}

pub fn end_password_links_of_email(email: &Email, now: Millis) -> Stmt {
    Stmt::new(
        "UPDATE password_links SET ended_at = ?2
         WHERE ended_at IS NULL AND user_id = (SELECT id FROM users WHERE email = ?1)",
        vec![email.as_str().into(), now.into()],
    )
}

pub fn insert_password_link_for_email(
    id: &str,
    token_hash: &str,
    email: &Email,
    now: Millis,
    expires_at: Millis,
) -> Stmt {
    Stmt::new(
        "INSERT INTO password_links (id, token_hash, user_id, created_at, expires_at)
         SELECT ?1, ?2, id, ?4, ?5 FROM users WHERE email = ?3",
        vec![
            id.into(),
            token_hash.into(),
            email.as_str().into(),
            now.into(),
            expires_at.into(),
        ],
    )
}
