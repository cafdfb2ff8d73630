//! Statements of notifications (migration 0016): audit entries that notify, a person's page and
//! unread count, read marks, email choices, and the queue of emails owed.

use super::audit::NewAuditEntry;
use crate::clock::Millis;
use crate::ids::{BrandId, UserId};
use crate::store::{int_bool, query, query_one, Db, Stmt, Value};
use crate::Result;
use serde::Deserialize;

/// An audit entry that notifies: `insert_audit` with its notice kind and, when the table names a
/// person, the actor of the case's latest `named_event` (the filer, whoever escalated), read
/// from the case's history in the same batch.
pub fn insert_audit_notice(e: &NewAuditEntry<'_>, notice: &str, named_event: Option<&str>) -> Stmt {
    Stmt::new(
        "INSERT INTO audit_log (id, at, kind, actor_kind, actor_id, on_behalf_of, brand_id,
                                subject_kind, subject_id, address, details, notice, notice_to)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,
                 CASE WHEN ?13 IS NULL OR ?8 IS NOT 'case' THEN NULL
                      ELSE (SELECT ev.actor_id FROM case_events ev WHERE ev.case_id = ?9 AND ev.kind = ?13
                            ORDER BY ev.seq DESC LIMIT 1) END)",
        vec![
            e.id.into(),
            e.at.into(),
            e.kind.into(),
            e.actor_kind.into(),
            e.actor_id.into(),
            e.on_behalf_of.into(),
            e.brand_id.into(),
            e.subject_kind.into(),
            e.subject_id.into(),
            e.address.into(),
            e.details.into(),
            notice.into(),
            named_event.into(),
        ],
    )
}

/// The emails an entry owes, after it in the same batch: one per member of its brand whom the
/// table gives it (`roles_json`, or named by the entry, not a viewer), whose choice for its kind
/// (or `by_default`) is on, in their language now.
pub fn queue_notice_mail(audit_id: &str, roles_json: &str, by_default: bool) -> Stmt {
    Stmt::new(
        "INSERT OR IGNORE INTO notification_mail (id, audit_id, user_id, language, created_at)
         SELECT lower(hex(randomblob(16))), a.id, u.id, u.language, a.at
         FROM audit_log a JOIN memberships m ON m.brand_id = a.brand_id
              JOIN users u ON u.id = m.user_id
         WHERE a.id = ?1 AND a.notice IS NOT NULL AND u.disabled_at IS NULL
           AND (m.role IN (SELECT value FROM json_each(?2))
                OR (m.user_id = a.notice_to AND m.role <> 'brand_viewer'))
           AND coalesce((SELECT s.email FROM notification_settings s
                         WHERE s.user_id = u.id AND s.notice = a.notice), ?3) = 1",
        vec![audit_id.into(), roles_json.into(), by_default.into()],
    )
}

/// One notification as a person reads it.
#[derive(Debug, Clone, Deserialize)]
pub struct NotificationRecord {
    pub id: String,
    pub at: Millis,
    pub notice: String,
    pub brand_id: BrandId,
    pub brand_name: String,
    pub subject_kind: Option<String>,
    pub subject_id: Option<String>,
    /// The case's listing title, the right's registration number, the brand's name.
    pub subject_name: Option<String>,
    pub details: String,
    #[serde(deserialize_with = "int_bool")]
    pub read: bool,
}

/// The ids of a person's notifications (`?1` the user, `?2` the table as `[[role, notice], …]`)
/// with `at` after `?3` (by default the person's "read up to" moment) and up to the keyset
/// `(?4, ?5)`: one range of `audit_log_notices` per
/// brand of theirs and kind their role there receives, and one of `audit_log_notices_to` for
/// those naming them in a brand where they are still more than a viewer; from when they joined
/// the brand (a newcomer is not handed the brand's past as unread). `CROSS JOIN` keeps the
/// order (membership, then kind, then the log), so the kind is known when the index is searched.
macro_rules! mine {
    () => {
        "WITH mine(id) AS (
           SELECT a.id FROM memberships m CROSS JOIN json_each(?2) t CROSS JOIN audit_log a
           WHERE m.user_id = ?1 AND json_extract(t.value, '$[0]') = m.role
             AND a.brand_id = m.brand_id AND a.notice = json_extract(t.value, '$[1]') AND a.notice IS NOT NULL
             AND a.at >= m.created_at
             AND a.at > coalesce(?3, (SELECT notices_read_up_to FROM users WHERE id = ?1)) AND a.at <= coalesce(?4, 9223372036854775807)
             AND (?4 IS NULL OR a.at < ?4 OR a.id < ?5)
           UNION
           SELECT a.id FROM audit_log a
             JOIN memberships m ON m.user_id = ?1 AND m.brand_id = a.brand_id AND m.role <> 'brand_viewer'
           WHERE a.notice_to = ?1 AND a.notice IS NOT NULL
             AND a.at >= m.created_at
             AND a.at > coalesce(?3, (SELECT notices_read_up_to FROM users WHERE id = ?1)) AND a.at <= coalesce(?4, 9223372036854775807)
             AND (?4 IS NULL OR a.at < ?4 OR a.id < ?5)
         )"
    };
}

/// A page of a person's notifications, newest first, after the keyset cursor `(at, id)`.
pub async fn notification_page(
    db: &impl Db,
    user: UserId,
    table_json: &str,
    after: Option<(Millis, String)>,
    limit: i64,
) -> Result<Vec<NotificationRecord>> {
    query(db, notification_page_stmt(user, table_json, after, limit)).await
}

pub fn notification_page_stmt(
    user: UserId,
    table_json: &str,
    after: Option<(Millis, String)>,
    limit: i64,
) -> Stmt {
    const SQL: &str = concat!(
        mine!(),
        "SELECT a.id, a.at, a.notice, a.brand_id, b.name AS brand_name, a.subject_kind, a.subject_id,
                CASE a.subject_kind WHEN 'case' THEN c.title WHEN 'ip_right' THEN r.registration_number
                     WHEN 'brand' THEN b.name END AS subject_name,
                a.details,
                (a.at <= u.notices_read_up_to
                 OR EXISTS (SELECT 1 FROM notification_reads nr WHERE nr.user_id = ?1 AND nr.audit_id = a.id)) AS read
         FROM mine JOIN audit_log a ON a.id = mine.id
              JOIN brands b ON b.id = a.brand_id
              JOIN users u ON u.id = ?1
              LEFT JOIN cases c ON a.subject_kind = 'case' AND c.id = a.subject_id
              LEFT JOIN ip_rights r ON a.subject_kind = 'ip_right' AND r.id = a.subject_id
         ORDER BY a.at DESC, a.id DESC LIMIT ?6"
    );
    let (at, id) = after.map_or((None, None), |(at, id)| (Some(at), Some(id)));
    Stmt::new(
        SQL,
        vec![
            user.into(),
            table_json.into(),
            (-1i64).into(),
            at.into(),
            id.into(),
            limit.into(),
        ],
    )
}

/// How many of a person's notifications are unread: after their "read up to" moment and not
/// marked one by one. One statement, on the same index ranges as the page.
pub async fn unread_notifications(db: &impl Db, user: UserId, table_json: &str) -> Result<i64> {
    #[derive(Deserialize)]
    struct Row {
        n: i64,
    }
    let row: Option<Row> = query_one(db, unread_notifications_stmt(user, table_json)).await?;
    Ok(row.map_or(0, |r| r.n))
}

pub fn unread_notifications_stmt(user: UserId, table_json: &str) -> Stmt {
    const SQL: &str = concat!(
        mine!(),
        "SELECT count(*) AS n FROM mine
         WHERE NOT EXISTS (SELECT 1 FROM notification_reads nr WHERE nr.user_id = ?1 AND nr.audit_id = mine.id)"
    );
    Stmt::new(
        SQL,
        vec![
            user.into(),
            table_json.into(),
            Value::Null,
            Value::Null,
            Value::Null,
        ],
    )
}

/// Everything up to `up_to` is read (never moving back); marks one by one below it are no
/// longer needed.
pub fn read_notices_up_to(user: UserId, up_to: Millis) -> Vec<Stmt> {
    vec![
        Stmt::new(
            "UPDATE users SET notices_read_up_to = max(notices_read_up_to, ?2) WHERE id = ?1",
            vec![user.into(), up_to.into()],
        ),
        Stmt::new(
            "DELETE FROM notification_reads WHERE user_id = ?1
               AND audit_id IN (SELECT a.id FROM audit_log a
                                WHERE a.id IN (SELECT audit_id FROM notification_reads WHERE user_id = ?1)
                                  AND a.at <= ?2)",
            vec![user.into(), up_to.into()],
        ),
    ]
}

/// These notifications (a JSON array of entry ids) are read.
pub fn read_notices(user: UserId, ids_json: &str) -> Stmt {
    Stmt::new(
        "INSERT OR IGNORE INTO notification_reads (user_id, audit_id)
         SELECT ?1, value FROM json_each(?2)",
        vec![user.into(), ids_json.into()],
    )
}

/// The kinds a person has chosen for, with their choice.
pub async fn notification_settings(db: &impl Db, user: UserId) -> Result<Vec<(String, bool)>> {
    #[derive(Deserialize)]
    struct Row {
        notice: String,
        #[serde(deserialize_with = "int_bool")]
        email: bool,
    }
    let rows: Vec<Row> = query(
        db,
        Stmt::new(
            "SELECT notice, email FROM notification_settings WHERE user_id = ?1",
            vec![user.into()],
        ),
    )
    .await?;
    Ok(rows.into_iter().map(|r| (r.notice, r.email)).collect())
}

/// Sets choices given as `[[notice, 0|1], …]`.
pub fn set_notification_settings(user: UserId, rows_json: &str) -> Stmt {
    Stmt::new(
        "INSERT INTO notification_settings (user_id, notice, email)
         SELECT ?1, json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?2) WHERE 1
         ON CONFLICT (user_id, notice) DO UPDATE SET email = excluded.email",
        vec![user.into(), rows_json.into()],
    )
}

pub fn set_language(user: UserId, language: &str) -> Stmt {
    Stmt::new(
        "UPDATE users SET language = ?2 WHERE id = ?1",
        vec![user.into(), language.into()],
    )
}

/// Takes up to `limit` emails owed that no run holds, for `lease`, counting the attempt.
pub fn lease_owed_mail(lease: &str, now: Millis, hold: Millis, attempts: i64, limit: i64) -> Stmt {
    Stmt::new(
        "UPDATE notification_mail SET lease = ?1, leased_until = ?2 + ?3, attempts = attempts + 1
         WHERE id IN (SELECT id FROM notification_mail
                      WHERE sent_at IS NULL AND attempts < ?4
                        AND (leased_until IS NULL OR leased_until <= ?2)
                      ORDER BY created_at LIMIT ?5)",
        vec![
            lease.into(),
            now.into(),
            hold.into(),
            attempts.into(),
            limit.into(),
        ],
    )
}

/// An email owed, with what its text needs.
#[derive(Debug, Clone, Deserialize)]
pub struct OwedMail {
    pub id: String,
    pub language: String,
    pub email: String,
    pub display_name: String,
    pub notice: String,
    pub brand_id: BrandId,
    pub brand_name: String,
    pub subject_kind: Option<String>,
    pub subject_id: Option<String>,
    pub subject_name: Option<String>,
    pub details: String,
}

/// The emails `lease` holds (of people not disabled since).
pub async fn leased_mail(db: &impl Db, lease: &str) -> Result<Vec<OwedMail>> {
    query(
        db,
        Stmt::new(
            "SELECT q.id, q.language, u.email, u.display_name, a.notice, a.brand_id, b.name AS brand_name,
                    a.subject_kind, a.subject_id,
                    CASE a.subject_kind WHEN 'case' THEN c.title WHEN 'ip_right' THEN r.registration_number
                         WHEN 'brand' THEN b.name END AS subject_name,
                    a.details
             FROM notification_mail q JOIN audit_log a ON a.id = q.audit_id
                  JOIN users u ON u.id = q.user_id JOIN brands b ON b.id = a.brand_id
                  LEFT JOIN cases c ON a.subject_kind = 'case' AND c.id = a.subject_id
                  LEFT JOIN ip_rights r ON a.subject_kind = 'ip_right' AND r.id = a.subject_id
             WHERE q.lease = ?1 AND q.sent_at IS NULL AND u.disabled_at IS NULL
             ORDER BY q.created_at",
            vec![lease.into()],
        ),
    )
    .await
}

pub fn mail_sent(id: &str, now: Millis) -> Stmt {
    Stmt::new(
        "UPDATE notification_mail SET sent_at = ?2, lease = NULL, leased_until = NULL WHERE id = ?1",
        vec![id.into(), now.into()],
    )
}
