//! Statements of the audit log (migration 0008): appending an entry, and reading pages of it.

use crate::clock::{Millis, DAY};
use crate::ids::{BrandId, UserId};
use crate::store::{query, query_one, Db, Stmt, Value};
use crate::Result;
use serde::Deserialize;

/// How long entries are kept (the DELETE trigger refuses anything younger).
pub const AUDIT_RETENTION: Millis = 730 * DAY;

/// One entry as it is written.
pub struct NewAuditEntry<'a> {
    pub id: &'a str,
    pub at: Millis,
    pub kind: &'a str,
    pub actor_kind: &'a str,
    pub actor_id: Option<&'a str>,
    pub on_behalf_of: Option<BrandId>,
    pub brand_id: Option<BrandId>,
    pub subject_kind: Option<&'a str>,
    pub subject_id: Option<&'a str>,
    pub address: Option<&'a str>,
    pub details: &'a str,
}

fn entry_params(e: &NewAuditEntry<'_>) -> Vec<Value> {
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
    ]
}

pub fn insert_audit(e: &NewAuditEntry<'_>) -> Stmt {
    Stmt::new(
        "INSERT INTO audit_log (id, at, kind, actor_kind, actor_id, on_behalf_of, brand_id,
                                subject_kind, subject_id, address, details)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        entry_params(e),
    )
}

/// The entry, only if the statement just before it in the batch changed a row: a change that
/// turned out to be nothing (already cancelled, another person's session) records nothing.
pub fn insert_audit_if_changed(e: &NewAuditEntry<'_>) -> Stmt {
    Stmt::new(
        "INSERT INTO audit_log (id, at, kind, actor_kind, actor_id, on_behalf_of, brand_id,
                                subject_kind, subject_id, address, details)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11 WHERE changes() > 0",
        entry_params(e),
    )
}

/// One entry per case that a batch of decisions moved (`move_many` marks them with `move_id`),
/// each with its own random id: `moves_json` lists `{case_id, event, to}` per case; who, when and
/// from where are `e`'s, and its details beside each case's own (its id and subject are not used).
pub fn insert_audit_for_moves(
    e: &NewAuditEntry<'_>,
    moves_json: &str,
    move_id: &str,
    from: &str,
) -> Stmt {
    Stmt::new(
        "INSERT INTO audit_log (id, at, kind, actor_kind, actor_id, on_behalf_of, brand_id,
                                subject_kind, subject_id, address, details)
         SELECT lower(hex(randomblob(16))), ?3, ?4, ?5, ?6, ?7, ?8, 'case', c.id, ?9,
                json_patch(json_object('event', json_extract(d.value, '$.event'), 'from', ?10,
                            'to', json_extract(d.value, '$.to'),
                            'seq', (SELECT max(seq) FROM case_events ev WHERE ev.case_id = c.id)), ?11)
         FROM json_each(?1) d JOIN cases c ON c.id = json_extract(d.value, '$.case_id')
         WHERE c.move_id = ?2",
        vec![
            moves_json.into(),
            move_id.into(),
            e.at.into(),
            e.kind.into(),
            e.actor_kind.into(),
            e.actor_id.into(),
            e.on_behalf_of.into(),
            e.brand_id.into(),
            e.address.into(),
            from.into(),
            e.details.into(),
        ],
    )
}

/// One entry per case a filing opens (`insert_cases` reads the same JSON): the case's first event.
pub fn insert_audit_for_new_cases(e: &NewAuditEntry<'_>, cases_json: &str) -> Stmt {
    Stmt::new(
        "INSERT INTO audit_log (id, at, kind, actor_kind, actor_id, on_behalf_of, brand_id,
                                subject_kind, subject_id, address, details)
         SELECT lower(hex(randomblob(16))), ?2, ?3, ?4, ?5, ?6, ?7, 'case', json_extract(value, '$.id'), ?8,
                json_patch(json_object('event', json_extract(value, '$.event_kind'), 'from', NULL,
                            'to', json_extract(value, '$.status'), 'seq', 1), ?9)
         FROM json_each(?1)",
        vec![
            cases_json.into(),
            e.at.into(),
            e.kind.into(),
            e.actor_kind.into(),
            e.actor_id.into(),
            e.on_behalf_of.into(),
            e.brand_id.into(),
            e.address.into(),
            e.details.into(),
        ],
    )
}

/// Whether an entry was written (after `insert_audit_if_changed`, whether the change happened).
pub async fn audit_recorded(db: &impl Db, id: &str) -> Result<bool> {
    #[derive(Deserialize)]
    struct Row {
        #[allow(dead_code)]
        id: String,
    }
    let row: Option<Row> = query_one(
        db,
        Stmt::new("SELECT id FROM audit_log WHERE id = ?1", vec![id.into()]),
    )
    .await?;
    Ok(row.is_some())
}

/// Entries past the retention period (the Cron Trigger), by the database's clock as the DELETE
/// trigger reads it, so the purge never trips the trigger.
pub fn purge_audit() -> Stmt {
    Stmt::new(
        "DELETE FROM audit_log WHERE at <= CAST(strftime('%s', 'now') AS INTEGER) * 1000 - ?1",
        vec![AUDIT_RETENTION.into()],
    )
}

#[derive(Debug, Clone, Deserialize)]
pub struct AuditRecord {
    pub id: String,
    pub at: Millis,
    pub kind: String,
    pub actor_kind: String,
    pub actor_id: Option<String>,
    pub actor_name: Option<String>,
    pub on_behalf_of: Option<BrandId>,
    pub brand_id: Option<BrandId>,
    pub subject_kind: Option<String>,
    pub subject_id: Option<String>,
    /// The subject's name now, as far as the scope's reader may know it (`audit_page`).
    pub subject_name: Option<String>,
    pub address: Option<String>,
    pub details: String,
}

/// Which entries a reader may see.
#[derive(Debug, Clone, Copy)]
pub enum AuditScope {
    /// A brand's entries, and the sign-ins of its members.
    Brand(BrandId),
    /// A person's own sign-ins.
    Person(UserId),
    /// Everything (operators).
    All,
}

/// Filters of a page, already checked.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub kind: Option<String>,
    pub from: Option<Millis>,
    pub to: Option<Millis>,
}

/// One page of the entries in `scope`, newest first, after the keyset cursor `(at, id)`.
/// `sign_in_kinds` is a JSON array of the kinds a brand and a person see about members/themselves.
///
/// Each entry's subject is named as it is now, by its primary key (null when it is gone, and for
/// sessions and cases). A brand's log names only what the brand's own pages show: its own
/// invitations, keys, endpoints and rights, and a person only while they are one of its members
/// or its account manager (a former member, or another brand's manager, stays a user id).
pub async fn audit_page(
    db: &impl Db,
    scope: AuditScope,
    sign_in_kinds: &str,
    f: &AuditFilter,
    after: Option<(Millis, String)>,
    limit: i64,
) -> Result<Vec<AuditRecord>> {
    query(db, audit_page_stmt(scope, sign_in_kinds, f, after, limit)).await
}

pub fn audit_page_stmt(
    scope: AuditScope,
    sign_in_kinds: &str,
    f: &AuditFilter,
    after: Option<(Millis, String)>,
    limit: i64,
) -> Stmt {
    const SQL: &str =
        "SELECT a.id, a.at, a.kind, a.actor_kind, a.actor_id, u.display_name AS actor_name,
                a.on_behalf_of, a.brand_id, a.subject_kind, a.subject_id,
                CASE a.subject_kind WHEN 'user' THEN su.display_name WHEN 'invitation' THEN si.email
                     WHEN 'api_key' THEN sk.name WHEN 'endpoint' THEN se.url
                     WHEN 'ip_right' THEN sr.registration_number WHEN 'brand' THEN sb.name
                END AS subject_name,
                a.address, a.details
         FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
         LEFT JOIN users su ON a.subject_kind = 'user' AND su.id = a.subject_id
              AND (?1 <> 'brand'
                   OR EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = su.id AND m.brand_id = ?2)
                   OR EXISTS (SELECT 1 FROM brands mb WHERE mb.id = ?2 AND mb.account_manager_id = su.id))
         LEFT JOIN invitations si ON a.subject_kind = 'invitation' AND si.id = a.subject_id
              AND (?1 <> 'brand' OR si.brand_id = ?2)
         LEFT JOIN api_keys sk ON a.subject_kind = 'api_key' AND sk.id = a.subject_id
              AND (?1 <> 'brand' OR sk.brand_id = ?2)
         LEFT JOIN webhook_endpoints se ON a.subject_kind = 'endpoint' AND se.id = a.subject_id
              AND (?1 <> 'brand' OR se.brand_id = ?2)
         LEFT JOIN ip_rights sr ON a.subject_kind = 'ip_right' AND sr.id = a.subject_id
              AND (?1 <> 'brand' OR sr.brand_id = ?2)
         LEFT JOIN brands sb ON a.subject_kind = 'brand' AND sb.id = a.subject_id
              AND (?1 <> 'brand' OR sb.id = ?2)
         WHERE (?1 = 'all'
                OR (?1 = 'brand' AND (a.brand_id = ?2
                    OR (a.kind IN (SELECT value FROM json_each(?3)) AND a.subject_kind = 'user'
                        AND a.subject_id IN (SELECT user_id FROM memberships WHERE brand_id = ?2))))
                OR (?1 = 'person' AND a.kind IN (SELECT value FROM json_each(?3))
                    AND a.subject_kind = 'user' AND a.subject_id = ?2))
           AND (?4 IS NULL OR a.actor_id = ?4)
           AND (?5 IS NULL OR a.kind = ?5)
           AND (?6 IS NULL OR a.at >= ?6)
           AND (?7 IS NULL OR a.at < ?7)
           AND a.at <= coalesce(?8, 9223372036854775807)
           AND (?8 IS NULL OR a.at < ?8 OR (a.at = ?8 AND a.id < ?9))
         ORDER BY a.at DESC, a.id DESC LIMIT ?10";
    let (scope, id): (&str, Option<String>) = match scope {
        AuditScope::Brand(b) => ("brand", Some(b.to_string())),
        AuditScope::Person(u) => ("person", Some(u.to_string())),
        AuditScope::All => ("all", None),
    };
    let (at, after_id) = after.map_or((None, None), |(at, id)| (Some(at), Some(id)));
    Stmt::new(
        SQL,
        vec![
            scope.into(),
            id.into(),
            sign_in_kinds.into(),
            f.actor.clone().into(),
            f.kind.clone().into(),
            f.from.into(),
            f.to.into(),
            at.into(),
            after_id.into(),
            limit.into(),
        ],
    )
}
