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
}

pub async fn user_by_email(db: &impl Db, email: &Email) -> Result<Option<UserRecord>> {
    const SQL: &str =
        "SELECT id, email, display_name, password_hash, staff_role FROM users WHERE email = ?1";
    query_one(db, Stmt::new(SQL, vec![email.as_str().into()])).await
}

pub async fn user_by_id(db: &impl Db, id: UserId) -> Result<Option<UserRecord>> {
    const SQL: &str =
        "SELECT id, email, display_name, password_hash, staff_role FROM users WHERE id = ?1";
    query_one(db, Stmt::new(SQL, vec![id.into()])).await
}

pub async fn all_users(db: &impl Db) -> Result<Vec<UserRecord>> {
    const SQL: &str =
        "SELECT id, email, display_name, password_hash, staff_role FROM users ORDER BY display_name, email";
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
    /// JSON array of `{brand_id, role}`.
    pub memberships: String,
    /// JSON array of brand ids this user is account manager of.
    pub managed_brands: String,
}

pub async fn session(db: &impl Db, token_hash: &str) -> Result<Option<SessionRecord>> {
    const SQL: &str = "SELECT s.user_id, u.display_name, u.staff_role, s.created_at, s.last_seen_at, s.revoked_at,
          (SELECT json_group_array(json_object('brand_id', m.brand_id, 'role', m.role))
             FROM memberships m WHERE m.user_id = s.user_id) AS memberships,
          (SELECT json_group_array(b.id) FROM brands b WHERE b.account_manager_id = s.user_id) AS managed_brands
        FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = ?1";
    query_one(db, Stmt::new(SQL, vec![token_hash.into()])).await
}

pub fn insert_session(token_hash: &str, user_id: UserId, now: Millis) -> Stmt {
    Stmt::new(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES (?1, ?2, ?3, ?3)",
        vec![token_hash.into(), user_id.into(), now.into()],
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

pub fn revoke_other_sessions(user_id: UserId, keep_token_hash: &str, now: Millis) -> Stmt {
    Stmt::new(
        "UPDATE sessions SET revoked_at = ?3 WHERE user_id = ?1 AND token_hash <> ?2 AND revoked_at IS NULL",
        vec![user_id.into(), keep_token_hash.into(), now.into()],
    )
}

// ---------------------------------------------------------------- sign-in throttling

#[derive(Debug, Deserialize)]
struct FailureTimes {
    at: Millis,
}

/// Failed sign-ins for an email since `since`, newest first (at most `limit`).
pub async fn recent_login_failures(
    db: &impl Db,
    email: &Email,
    since: Millis,
    limit: i64,
) -> Result<Vec<Millis>> {
    const SQL: &str =
        "SELECT at FROM login_failures WHERE email = ?1 AND at > ?2 ORDER BY at DESC LIMIT ?3";
    let rows: Vec<FailureTimes> = query(
        db,
        Stmt::new(SQL, vec![email.as_str().into(), since.into(), limit.into()]),
    )
    .await?;
    Ok(rows.into_iter().map(|r| r.at).collect())
}

pub fn insert_login_failure(email: &Email, now: Millis) -> Stmt {
    Stmt::new(
        "INSERT INTO login_failures (email, at) VALUES (?1, ?2)",
        vec![email.as_str().into(), now.into()],
    )
}

/// Clears an email's failures after a successful sign-in, and forgets old ones everywhere.
pub fn clear_login_failures(email: &Email, older_than: Millis) -> Stmt {
    Stmt::new(
        "DELETE FROM login_failures WHERE email = ?1 OR at <= ?2",
        vec![email.as_str().into(), older_than.into()],
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
    const SQL: &str = brand_select!(" WHERE b.id = ?1");
    query_one(db, Stmt::new(SQL, vec![id.into()])).await
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
}

pub async fn memberships_of(db: &impl Db, user_id: UserId) -> Result<Vec<MembershipNameRecord>> {
    const SQL: &str = "SELECT m.brand_id, b.name AS brand_name, m.role
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
    pub brand_id: Option<BrandId>,
    pub brand_name: Option<String>,
    pub role: Option<BrandRole>,
    pub expires_at: Millis,
    pub accepted_at: Option<Millis>,
}

pub async fn invitation_by_token(
    db: &impl Db,
    token_hash: &str,
) -> Result<Option<InvitationRecord>> {
    const SQL: &str = "SELECT i.id, i.email, i.brand_id, b.name AS brand_name, i.role, i.expires_at, i.accepted_at
        FROM invitations i LEFT JOIN brands b ON b.id = i.brand_id
        WHERE i.token_hash = ?1";
    query_one(db, Stmt::new(SQL, vec![token_hash.into()])).await
}

pub async fn pending_invitations(
    db: &impl Db,
    brand_id: BrandId,
    now: Millis,
) -> Result<Vec<InvitationRecord>> {
    const SQL: &str = "SELECT i.id, i.email, i.brand_id, b.name AS brand_name, i.role, i.expires_at, i.accepted_at
        FROM invitations i JOIN brands b ON b.id = i.brand_id
        WHERE i.brand_id = ?1 AND i.accepted_at IS NULL AND i.expires_at > ?2
        ORDER BY i.created_at DESC";
    query(db, Stmt::new(SQL, vec![brand_id.into(), now.into()])).await
}

pub struct NewInvitation<'a> {
    pub id: InvitationId,
    pub token_hash: &'a str,
    pub email: &'a Email,
    pub brand: Option<(BrandId, BrandRole)>,
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
            inv.brand.map(|(b, _)| b).into(),
            inv.brand.map(|(_, r)| r.as_str()).into(),
            inv.invited_by.into(),
            inv.now.into(),
            inv.expires_at.into(),
        ],
    )
}

/// A newer invitation for the same person and brand replaces any still pending.
pub fn withdraw_pending_invitations(email: &Email, brand_id: BrandId, now: Millis) -> Stmt {
    Stmt::new(
        "UPDATE invitations SET expires_at = ?3 WHERE email = ?1 AND brand_id = ?2 AND accepted_at IS NULL AND expires_at > ?3",
        vec![email.as_str().into(), brand_id.into(), now.into()],
    )
}

pub fn mark_invitation_accepted(id: InvitationId, now: Millis) -> Stmt {
    Stmt::new(
        "UPDATE invitations SET accepted_at = ?2 WHERE id = ?1 AND accepted_at IS NULL",
        vec![id.into(), now.into()],
    )
}
