//! Statements about IP rights, listings, sellers, cases, their events and evidence.

use crate::case::Status;
use crate::case_list::{CaseCursor, CaseSort, KeyValue, SortKey};
use crate::clock::Millis;
use crate::history::{Mover, Note};
use crate::ids::{BrandId, CaseId, IpRightId};
use crate::store::{decode, decode_rows, query, query_one, Db, Row, Rows, Stmt, Value};
use crate::Result;
use serde::Deserialize;

/// The rowids of `cases_search` that a brand's cases take (migration 0020): its `search_block`
/// shifted left by 32 bits, and the 2^32 after. A search bounded to them reads only the brand's
/// part of each posting list.
macro_rules! search_block {
    ($brand:literal) => {
        concat!(
            "rowid BETWEEN (SELECT search_block << 32 FROM brands WHERE id = ",
            $brand,
            ") AND (SELECT (search_block << 32) + 4294967295 FROM brands WHERE id = ",
            $brand,
            ")"
        )
    };
}

// ---------------------------------------------------------------- IP rights

#[derive(Debug, Clone, Deserialize)]
pub struct IpRightRecord {
    pub id: IpRightId,
    pub brand_id: BrandId,
    pub kind: String,
    pub registration_number: String,
    pub jurisdiction: String,
    pub classes: String,
    pub owner: String,
    pub expires_at: Option<Millis>,
    pub certificate_sha256: Option<String>,
    pub certificate_name: Option<String>,
    pub certificate_type: Option<String>,
    pub status: String,
    pub review_note: Option<String>,
    pub created_at: Millis,
}

macro_rules! right_select {
    ($tail:literal) => {
        concat!(
            "SELECT id, brand_id, kind, registration_number, jurisdiction, classes, owner, expires_at,
                    certificate_sha256, certificate_name, certificate_type, status, review_note, created_at
             FROM ip_rights ",
            $tail
        )
    };
}

pub async fn ip_rights(db: &impl Db, brand_id: BrandId) -> Result<Vec<IpRightRecord>> {
    const SQL: &str = right_select!("WHERE brand_id = ?1 ORDER BY created_at DESC");
    query(db, Stmt::new(SQL, vec![brand_id.into()])).await
}

/// One right of one brand: the ownership check is in the WHERE clause.
pub async fn ip_right(
    db: &impl Db,
    brand_id: BrandId,
    id: IpRightId,
) -> Result<Option<IpRightRecord>> {
    query_one(db, ip_right_stmt(brand_id, id)).await
}

pub fn ip_right_stmt(brand_id: BrandId, id: IpRightId) -> Stmt {
    const SQL: &str = right_select!("WHERE id = ?1 AND brand_id = ?2");
    Stmt::new(SQL, vec![id.into(), brand_id.into()])
}

/// The right a brand's case was filed or confirmed under, found by the case (so a case file reads
/// it alongside the case, not after).
fn ip_right_of_case_stmt(brand_id: BrandId, case_id: CaseId) -> Stmt {
    const SQL: &str = right_select!(
        "WHERE id = (SELECT ip_right_id FROM cases WHERE id = ?1 AND brand_id = ?2) AND brand_id = ?2"
    );
    Stmt::new(SQL, vec![case_id.into(), brand_id.into()])
}

/// Pending rights of the given brands (a manager's queue); all brands when `brands` is None.
pub async fn pending_ip_rights(
    db: &impl Db,
    brands_json: Option<String>,
) -> Result<Vec<IpRightRecord>> {
    query(db, pending_ip_rights_stmt(brands_json)).await
}

pub fn pending_ip_rights_stmt(brands_json: Option<String>) -> Stmt {
    const SQL: &str = right_select!(
        "WHERE status = 'pending' AND (?1 IS NULL OR brand_id IN (SELECT value FROM json_each(?1)))
         ORDER BY created_at"
    );
    Stmt::new(SQL, vec![brands_json.into()])
}

pub struct NewIpRight<'a> {
    pub id: IpRightId,
    pub brand_id: BrandId,
    pub kind: &'a str,
    pub registration_number: &'a str,
    pub jurisdiction: &'a str,
    pub classes: &'a str,
    pub owner: &'a str,
    pub expires_at: Option<Millis>,
    pub now: Millis,
}

pub fn insert_ip_right(r: &NewIpRight<'_>) -> Stmt {
    Stmt::new(
        "INSERT INTO ip_rights (id, brand_id, kind, registration_number, jurisdiction, classes, owner, expires_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        vec![
            r.id.into(),
            r.brand_id.into(),
            r.kind.into(),
            r.registration_number.into(),
            r.jurisdiction.into(),
            r.classes.into(),
            r.owner.into(),
            r.expires_at.into(),
            r.now.into(),
        ],
    )
}

/// Attaching a new certificate sends the right back for verification.
pub fn set_certificate(
    brand_id: BrandId,
    id: IpRightId,
    sha256: &str,
    name: &str,
    content_type: &str,
) -> Stmt {
    Stmt::new(
        "UPDATE ip_rights SET certificate_sha256 = ?3, certificate_name = ?4, certificate_type = ?5,
                status = 'pending', review_note = NULL, reviewed_by = NULL, reviewed_at = NULL
         WHERE id = ?1 AND brand_id = ?2",
        vec![id.into(), brand_id.into(), sha256.into(), name.into(), content_type.into()],
    )
}

pub fn review_ip_right(
    brand_id: BrandId,
    id: IpRightId,
    status: &str,
    note: Option<&str>,
    reviewer: crate::ids::UserId,
    now: Millis,
) -> Stmt {
    Stmt::new(
        "UPDATE ip_rights SET status = ?3, review_note = ?4, reviewed_by = ?5, reviewed_at = ?6
         WHERE id = ?1 AND brand_id = ?2",
        vec![
            id.into(),
            brand_id.into(),
            status.into(),
            note.into(),
            reviewer.into(),
            now.into(),
        ],
    )
}

// ---------------------------------------------------------------- listings and sellers

#[derive(Debug, Clone, Deserialize)]
pub struct ListingRecord {
    pub id: String,
    pub snapshot: String,
    pub removed_at: Option<Millis>,
}

pub async fn listing(db: &impl Db, id: &str) -> Result<Option<ListingRecord>> {
    const SQL: &str = "SELECT id, snapshot, removed_at FROM listings WHERE id = ?1";
    query_one(db, Stmt::new(SQL, vec![id.into()])).await
}

/// The listing of a brand's case as the marketplace last described it, found by the case.
fn listing_of_case_stmt(brand_id: BrandId, case_id: CaseId) -> Stmt {
    const SQL: &str = "SELECT l.id, l.snapshot, l.removed_at
        FROM cases c JOIN listings l ON l.id = c.listing_id WHERE c.id = ?1 AND c.brand_id = ?2";
    Stmt::new(SQL, vec![case_id.into(), brand_id.into()])
}

/// Listings already known, among the given ids (JSON array).
pub async fn known_listings(db: &impl Db, ids_json: String) -> Result<Vec<ListingRecord>> {
    const SQL: &str =
        "SELECT id, snapshot, removed_at FROM listings WHERE id IN (SELECT value FROM json_each(?1))";
    query(db, Stmt::new(SQL, vec![ids_json.into()])).await
}

/// Upserts listings and their sellers from a JSON array of snapshots (one statement each, any
/// number of rows).
pub fn upsert_listings(snapshots_json: &str, now: Millis) -> Vec<Stmt> {
    vec![
        Stmt::new(
            "INSERT INTO sellers (id, name, updated_at)
             SELECT json_extract(value, '$.seller.seller_id'), json_extract(value, '$.seller.name'), ?2
             FROM json_each(?1) WHERE true
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at",
            vec![snapshots_json.into(), now.into()],
        ),
        Stmt::new(
            "INSERT INTO listings (id, snapshot, seller_id, updated_at)
             SELECT json_extract(value, '$.listing_id'), value, json_extract(value, '$.seller.seller_id'), ?2
             FROM json_each(?1) WHERE true
             ON CONFLICT (id) DO UPDATE SET snapshot = excluded.snapshot, seller_id = excluded.seller_id,
                                            updated_at = excluded.updated_at",
            vec![snapshots_json.into(), now.into()],
        ),
    ]
}

pub fn mark_listing_removed(id: &str, reason: &str, now: Millis) -> Stmt {
    Stmt::new(
        "UPDATE listings SET removed_at = ?3, removed_reason = ?2, updated_at = ?3 WHERE id = ?1",
        vec![id.into(), reason.into(), now.into()],
    )
}

/// Cases filed while the marketplace was down get their filing snapshot from the first answer
/// (and their search text with it, by trigger: migration 0021).
pub fn fill_pending_snapshots(
    listing_id: &str,
    snapshot_json: &str,
    title: &str,
    seller_id: &str,
    seller_name: &str,
) -> Stmt {
    Stmt::new(
        "UPDATE cases SET snapshot = ?2, title = ?3, seller_id = ?4, seller_name = ?5
         WHERE listing_id = ?1 AND snapshot IS NULL",
        vec![
            listing_id.into(),
            snapshot_json.into(),
            title.into(),
            seller_id.into(),
            seller_name.into(),
        ],
    )
}

/// Cases whose filing snapshot is still pending (for the cron's lookups).
pub async fn listings_pending_snapshot(db: &impl Db, limit: i64) -> Result<Vec<String>> {
    #[derive(Deserialize)]
    struct Row {
        listing_id: String,
    }
    Ok(query::<Row>(db, listings_pending_snapshot_stmt(limit))
        .await?
        .into_iter()
        .map(|r| r.listing_id)
        .collect())
}

pub fn listings_pending_snapshot_stmt(limit: i64) -> Stmt {
    // Newest first: the case someone just filed is the one they are looking at.
    const SQL: &str = "SELECT listing_id FROM cases WHERE snapshot IS NULL AND is_open = 1
        GROUP BY listing_id ORDER BY max(created_at) DESC LIMIT ?1";
    Stmt::new(SQL, vec![limit.into()])
}

// ---------------------------------------------------------------- cases

/// A new case, as one element of the JSON array the insert statements read.
#[derive(Debug, Clone, serde::Serialize)]
pub struct NewCase {
    pub id: CaseId,
    pub listing_id: String,
    pub origin: &'static str,
    pub status: &'static str,
    pub lane: Option<&'static str>,
    pub ip_right_id: Option<IpRightId>,
    pub reason_code: Option<String>,
    pub statement: Option<String>,
    pub evidence_urls: String,
    pub snapshot: Option<String>,
    pub title: String,
    pub seller_id: Option<String>,
    pub seller_name: String,
    pub detection: Option<String>,
    pub deadline_at: Option<Millis>,
    pub event_kind: &'static str,
    /// The first event's note: `{text, code, args}` in the JSON.
    pub event_note: Option<Note>,
}

/// Inserts any number of new cases of one brand (with their first event, by `by`; their search
/// rows follow by trigger, migration 0021) in a constant number of statements: bulk filing stays
/// far below D1's statement limits.
pub fn insert_cases(brand_id: BrandId, cases_json: &str, by: &Mover, now: Millis) -> Vec<Stmt> {
    vec![
        Stmt::new(
            "INSERT INTO cases (id, brand_id, listing_id, origin, status, is_open, version, lane, ip_right_id,
                                reason_code, statement, evidence_urls, snapshot, title, seller_id, seller_name,
                                detection, deadline_at, created_by, created_at, updated_at)
             SELECT json_extract(value, '$.id'), ?1, json_extract(value, '$.listing_id'),
                    json_extract(value, '$.origin'), json_extract(value, '$.status'), 1, 1,
                    json_extract(value, '$.lane'), json_extract(value, '$.ip_right_id'),
                    json_extract(value, '$.reason_code'), json_extract(value, '$.statement'),
                    json_extract(value, '$.evidence_urls'), json_extract(value, '$.snapshot'),
                    json_extract(value, '$.title'), json_extract(value, '$.seller_id'),
                    json_extract(value, '$.seller_name'), json_extract(value, '$.detection'),
                    json_extract(value, '$.deadline_at'), ?3, ?4, ?4
             FROM json_each(?2)",
            vec![brand_id.into(), cases_json.into(), by.actor_id.clone().into(), now.into()],
        ),
        // `$.event_note.args` is a JSON array, which json_extract hands back as its JSON text.
        Stmt::new(
            "INSERT INTO case_events (case_id, seq, kind, from_status, to_status, actor_id, actor_label,
                                      actor_kind, actor_name, on_behalf_of, note, note_code, note_args, at)
             SELECT json_extract(value, '$.id'), 1, json_extract(value, '$.event_kind'), NULL,
                    json_extract(value, '$.status'), ?2, ?3, ?4, ?5, ?6,
                    json_extract(value, '$.event_note.text'), json_extract(value, '$.event_note.code'),
                    json_extract(value, '$.event_note.args'), ?7
             FROM json_each(?1)",
            vec![
                cases_json.into(),
                by.actor_id.clone().into(),
                by.label().into(),
                by.kind.as_str().into(),
                by.name.clone().into(),
                by.on_behalf_of.clone().into(),
                now.into(),
            ],
        ),
    ]
}

#[derive(Debug, Clone, Deserialize)]
pub struct CaseRecord {
    pub id: CaseId,
    pub brand_id: BrandId,
    pub brand_name: String,
    pub listing_id: String,
    pub origin: String,
    pub status: Status,
    pub version: i64,
    pub lane: Option<String>,
    pub ip_right_id: Option<IpRightId>,
    pub reason_code: Option<String>,
    pub statement: Option<String>,
    pub evidence_urls: String,
    pub snapshot: Option<String>,
    pub title: String,
    pub seller_id: Option<String>,
    pub seller_name: String,
    pub detection: Option<String>,
    pub deadline_at: Option<Millis>,
    pub appeal_id: Option<String>,
    pub appeal: Option<String>,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub event_count: i64,
}

macro_rules! case_select {
    ($tail:literal) => {
        concat!(
            "SELECT c.id, c.brand_id, b.name AS brand_name, c.listing_id, c.origin, c.status, c.version, c.lane,
                    c.ip_right_id, c.reason_code, c.statement, c.evidence_urls, c.snapshot, c.title, c.seller_id,
                    c.seller_name, c.detection, c.deadline_at, c.appeal_id, c.appeal, c.created_at, c.updated_at,
                    (SELECT count(*) FROM case_events e WHERE e.case_id = c.id) AS event_count
             FROM cases c JOIN brands b ON b.id = c.brand_id ",
            $tail
        )
    };
}

/// One case of one brand: a case id from another brand is simply not found.
pub async fn case(db: &impl Db, brand_id: BrandId, id: CaseId) -> Result<Option<CaseRecord>> {
    query_one(db, case_stmt(brand_id, id)).await
}

pub fn case_stmt(brand_id: BrandId, id: CaseId) -> Stmt {
    const SQL: &str = case_select!("WHERE c.id = ?1 AND c.brand_id = ?2");
    Stmt::new(SQL, vec![id.into(), brand_id.into()])
}

/// Everything a case file shows, each part found by the case's id within the brand.
pub struct CaseFileRecords {
    pub case: Option<CaseRecord>,
    pub listing: Option<ListingRecord>,
    pub right: Option<IpRightRecord>,
    pub evidence: Vec<EvidenceRecord>,
    pub events: Vec<EventRecord>,
}

/// A case file's five reads in one batch: one round trip to D1. The history is read by the
/// case's id alone, so it is returned only when the case is the brand's.
pub async fn case_file(db: &impl Db, brand_id: BrandId, id: CaseId) -> Result<CaseFileRecords> {
    case_file_records(db.all_of(case_file_stmts(brand_id, id).into()).await?)
}

/// How many statements `case_file_stmts` reads with.
pub const CASE_FILE_READS: usize = 5;

/// The case file's reads, for a batch of their own or after a write (`Db::write_then_read`).
pub fn case_file_stmts(brand_id: BrandId, id: CaseId) -> [Stmt; CASE_FILE_READS] {
    [
        case_stmt(brand_id, id),
        listing_of_case_stmt(brand_id, id),
        ip_right_of_case_stmt(brand_id, id),
        evidence_stmt(brand_id, id),
        case_events_stmt(id),
    ]
}

/// The rows of `case_file_stmts`, decoded.
pub fn case_file_records(rows: Vec<Rows>) -> Result<CaseFileRecords> {
    let mut parts = rows.into_iter();
    let case: Option<CaseRecord> = decode_rows(parts.next())?.pop();
    let listing = decode_rows(parts.next())?.pop();
    let right = decode_rows(parts.next())?.pop();
    let evidence = decode_rows(parts.next())?;
    let events = decode_rows(parts.next())?;
    Ok(CaseFileRecords {
        events: if case.is_some() { events } else { Vec::new() },
        case,
        listing,
        right,
        evidence,
    })
}

pub async fn open_case_for_listing(
    db: &impl Db,
    brand_id: BrandId,
    listing_id: &str,
) -> Result<Option<CaseRecord>> {
    const SQL: &str = case_select!("WHERE c.brand_id = ?1 AND c.listing_id = ?2 AND c.is_open = 1");
    query_one(db, Stmt::new(SQL, vec![brand_id.into(), listing_id.into()])).await
}

/// Open cases of a brand among the given listings (JSON array): bulk filing's duplicate check.
pub async fn open_cases_for_listings(
    db: &impl Db,
    brand_id: BrandId,
    ids_json: String,
) -> Result<Vec<(String, CaseId)>> {
    #[derive(Deserialize)]
    struct Row {
        listing_id: String,
        id: CaseId,
    }
    let rows: Vec<Row> = query(db, open_cases_for_listings_stmt(brand_id, ids_json)).await?;
    Ok(rows.into_iter().map(|r| (r.listing_id, r.id)).collect())
}

pub fn open_cases_for_listings_stmt(brand_id: BrandId, ids_json: String) -> Stmt {
    const SQL: &str = "SELECT listing_id, id FROM cases
        WHERE brand_id = ?1 AND is_open = 1 AND listing_id IN (SELECT value FROM json_each(?2))";
    Stmt::new(SQL, vec![brand_id.into(), ids_json.into()])
}

/// Open cases (any brand) for a listing: what marketplace events about the listing touch.
pub async fn open_cases_of_listing(db: &impl Db, listing_id: &str) -> Result<Vec<CaseRecord>> {
    const SQL: &str = case_select!("WHERE c.listing_id = ?1 AND c.is_open = 1");
    query(db, Stmt::new(SQL, vec![listing_id.into()])).await
}

/// A case by id alone: only for marketplace events and the cron, which act for no one brand.
pub async fn case_by_id(db: &impl Db, id: CaseId) -> Result<Option<CaseRecord>> {
    const SQL: &str = case_select!("WHERE c.id = ?1");
    query_one(db, Stmt::new(SQL, vec![id.into()])).await
}

/// Cases in one status whose deadline has passed (the cron's work list).
pub async fn cases_past_deadline(
    db: &impl Db,
    status: Status,
    now: Millis,
    limit: i64,
) -> Result<Vec<CaseRecord>> {
    query(db, cases_past_deadline_stmt(status, now, limit)).await
}

pub fn cases_past_deadline_stmt(status: Status, now: Millis, limit: i64) -> Stmt {
    const SQL: &str = case_select!("WHERE c.status = ?1 AND c.deadline_at IS NOT NULL AND c.deadline_at <= ?2 ORDER BY c.deadline_at LIMIT ?3");
    Stmt::new(SQL, vec![status.as_str().into(), now.into(), limit.into()])
}

/// What changes with a transition: guarded by the version read, and recorded as the next event
/// (whose sequence number is UNIQUE per case, so a concurrent loser's batch fails whole).
pub struct Move<'a> {
    pub case: &'a CaseRecord,
    pub to: Status,
    pub kind: &'a str,
    pub by: &'a Mover,
    pub note: Option<&'a Note>,
    pub deadline_at: Option<Millis>,
    pub now: Millis,
}

/// When a move into `to` decides a takedown (the input of good standing): reaching `upheld` or
/// `reinstated`.
pub fn decided_at(to: Status, now: Millis) -> Option<Millis> {
    matches!(to, Status::Upheld | Status::Reinstated).then_some(now)
}

pub fn move_case(m: &Move<'_>) -> Vec<Stmt> {
    let decided = decided_at(m.to, m.now);
    vec![
        Stmt::new(
            // The dashboard's moments (migration 0012): the first move into each status. (No
            // CASE … END here: wrangler's splitter of `d1 execute` files, which seeds the demo
            // world, ends a CASE only at an END followed by a space or a semicolon.)
            "UPDATE cases SET status = ?3, is_open = ?4, version = version + 1, deadline_at = ?5,
                    decided_at = coalesce(?6, decided_at), updated_at = ?7,
                    taken_down_at = coalesce(taken_down_at, iif(?3 = 'taken_down', ?7, NULL)),
                    appealed_at = coalesce(appealed_at, iif(?3 = 'appealed', ?7, NULL))
             WHERE id = ?1 AND version = ?2",
            vec![
                m.case.id.into(),
                m.case.version.into(),
                m.to.as_str().into(),
                m.to.is_open().into(),
                m.deadline_at.into(),
                decided.into(),
                m.now.into(),
            ],
        ),
        insert_event(
            m.case,
            m.kind,
            Some(m.case.status),
            Some(m.to),
            m.by,
            m.note,
            m.now,
        ),
    ]
}

/// The right and reason a brand confirms a flagged listing under (in the confirmation's batch).
pub fn set_confirmed_right(case_id: CaseId, right_id: IpRightId, reason_code: &str) -> Stmt {
    Stmt::new(
        "UPDATE cases SET ip_right_id = ?2, reason_code = ?3 WHERE id = ?1",
        vec![case_id.into(), right_id.into(), reason_code.into()],
    )
}

/// An event that does not change the status (another detection, a note), still version-guarded.
pub fn note_on_case(
    case: &CaseRecord,
    kind: &str,
    by: &Mover,
    note: Option<&Note>,
    now: Millis,
) -> Vec<Stmt> {
    vec![
        Stmt::new(
            "UPDATE cases SET version = version + 1, updated_at = ?3 WHERE id = ?1 AND version = ?2",
            vec![case.id.into(), case.version.into(), now.into()],
        ),
        insert_event(case, kind, None, None, by, note, now),
    ]
}

/// The next event of a case: who acted and the note as typed columns, with their English
/// rendering beside them (`history`).
fn insert_event(
    case: &CaseRecord,
    kind: &str,
    from: Option<Status>,
    to: Option<Status>,
    by: &Mover,
    note: Option<&Note>,
    now: Millis,
) -> Stmt {
    Stmt::new(
        "INSERT INTO case_events (case_id, seq, kind, from_status, to_status, actor_id, actor_label,
                                  actor_kind, actor_name, on_behalf_of, note, note_code, note_args, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        vec![
            case.id.into(),
            (case.event_count + 1).into(),
            kind.into(),
            from.map(Status::as_str).into(),
            to.map(Status::as_str).into(),
            by.actor_id.clone().into(),
            by.label().into(),
            by.kind.as_str().into(),
            by.name.clone().into(),
            by.on_behalf_of.clone().into(),
            note.map(Note::text).into(),
            note.and_then(Note::code).map(|c| c.as_str()).into(),
            note.and_then(Note::args_json).into(),
            now.into(),
        ],
    )
}

/// Many moves of one brand's cases in one batch (`cases::decide_many`, and a member's decision on
/// one flag), in a constant number of statements over a JSON array of moves: `{case_id, version,
/// event, to, is_open, deadline_at, decided_at, ip_right_id, reason_code, note, action_id,
/// action_kind}` (a null version: whatever the case's; the last two only where the move owes the
/// marketplace an action).
pub struct ManyMoves<'a> {
    pub brand_id: BrandId,
    /// The brand's reference, when already read (else the statement reads it).
    pub brand_ref: Option<&'a str>,
    /// The status every listed case must still be in.
    pub from: Status,
    pub moves_json: &'a str,
    /// This batch's own id, marking the cases its UPDATE really moved.
    pub move_id: &'a str,
    /// Who decides them all (the notes are theirs: typed, never coded).
    pub by: &'a Mover,
    /// RFC 3339, for the brand's webhook envelopes.
    pub timestamp: &'a str,
    pub now: Millis,
}

/// The statements of `ManyMoves`, for one `batch`: the UPDATE applies only where the case is the
/// brand's, still in `from` and at the version listed, and where a confirmation's right is still
/// the brand's, verified and unexpired (`cases::rights::right_usable`), and marks what it moved
/// with `move_id`;
/// the event, the outbox action and the webhook deliveries are written only for cases so marked.
/// A case moved by someone else in between is left alone and gets nothing, and the batch does
/// not fail for it.
pub fn move_many(m: &ManyMoves<'_>) -> Vec<Stmt> {
    vec![
        // Found by id (the unary `+` keeps the planner off the brand's status index, which would
        // scan every case awaiting the brand); SQLite materialises `d` (used more than once) and
        // scans it per column.
        Stmt::new(
            "WITH d AS (
                SELECT json_extract(value, '$.case_id') AS case_id, json_extract(value, '$.version') AS version,
                       json_extract(value, '$.to') AS to_status, json_extract(value, '$.is_open') AS is_open,
                       json_extract(value, '$.deadline_at') AS deadline_at,
                       json_extract(value, '$.decided_at') AS decided_at,
                       json_extract(value, '$.ip_right_id') AS ip_right_id,
                       json_extract(value, '$.reason_code') AS reason_code
                FROM json_each(?1))
             UPDATE cases SET
                status = (SELECT d.to_status FROM d WHERE d.case_id = cases.id),
                is_open = (SELECT d.is_open FROM d WHERE d.case_id = cases.id),
                version = version + 1,
                deadline_at = (SELECT d.deadline_at FROM d WHERE d.case_id = cases.id),
                decided_at = coalesce((SELECT d.decided_at FROM d WHERE d.case_id = cases.id), decided_at),
                ip_right_id = coalesce((SELECT d.ip_right_id FROM d WHERE d.case_id = cases.id), ip_right_id),
                reason_code = coalesce((SELECT d.reason_code FROM d WHERE d.case_id = cases.id), reason_code),
                updated_at = ?4,
                move_id = ?5
             WHERE id IN (SELECT d.case_id FROM d)
               AND +brand_id = ?2 AND +status = ?3
               AND version = coalesce((SELECT d.version FROM d WHERE d.case_id = cases.id), version)
               AND coalesce((SELECT r.status = 'verified' AND (r.expires_at IS NULL OR r.expires_at > ?4)
                             FROM ip_rights r
                             WHERE r.id = (SELECT d.ip_right_id FROM d WHERE d.case_id = cases.id)
                               AND r.brand_id = ?2),
                            (SELECT d.ip_right_id FROM d WHERE d.case_id = cases.id) IS NULL)",
            vec![
                m.moves_json.into(),
                m.brand_id.into(),
                m.from.as_str().into(),
                m.now.into(),
                m.move_id.into(),
            ],
        ),
        // The next event of each case moved: its sequence number as `insert_event` gives it.
        Stmt::new(
            "INSERT INTO case_events (case_id, seq, kind, from_status, to_status, actor_id, actor_label,
                                      actor_kind, actor_name, on_behalf_of, note, at)
             SELECT c.id, (SELECT count(*) FROM case_events e WHERE e.case_id = c.id) + 1,
                    json_extract(d.value, '$.event'), ?3, json_extract(d.value, '$.to'), ?4, ?5, ?7, ?8, ?9,
                    json_extract(d.value, '$.note'), ?6
             FROM json_each(?1) d JOIN cases c ON c.id = json_extract(d.value, '$.case_id')
             WHERE c.move_id = ?2",
            vec![
                m.moves_json.into(),
                m.move_id.into(),
                m.from.as_str().into(),
                m.by.actor_id.clone().into(),
                m.by.label().into(),
                m.now.into(),
                m.by.kind.as_str().into(),
                m.by.name.clone().into(),
                m.by.on_behalf_of.clone().into(),
            ],
        ),
        // The payload `cases::action_stmt` builds for a takedown (the reason just set included).
        Stmt::new(
            "INSERT INTO outbox (id, kind, case_id, brand_id, payload, next_attempt_at, created_at)
             SELECT json_extract(d.value, '$.action_id'), json_extract(d.value, '$.action_kind'), c.id, c.brand_id,
                    json_object('action_id', json_extract(d.value, '$.action_id'), 'case_id', c.id,
                                'brand_ref', coalesce(?3, (SELECT b.brand_ref FROM brands b WHERE b.id = c.brand_id)),
                                'listing_id', c.listing_id, 'reason_code', c.reason_code),
                    ?4, ?4
             FROM json_each(?1) d JOIN cases c ON c.id = json_extract(d.value, '$.case_id')
             WHERE c.move_id = ?2 AND json_extract(d.value, '$.action_id') IS NOT NULL",
            vec![
                m.moves_json.into(),
                m.move_id.into(),
                m.brand_ref.into(),
                m.now.into(),
            ],
        ),
        // `case.status_changed` to every endpoint of the brand that asked for it, as
        // `cases::brand_events` builds it.
        Stmt::new(
            "INSERT INTO webhook_deliveries (id, endpoint_id, brand_id, event_type, payload, next_attempt_at, created_at)
             SELECT 'msg_' || lower(hex(randomblob(16))), e.id, e.brand_id, 'case.status_changed',
                    json_object('type', 'case.status_changed', 'timestamp', ?5, 'data', json_object(
                        'case_id', c.id, 'brand_id', c.brand_id, 'listing_id', c.listing_id, 'from', ?4,
                        'to', json_extract(d.value, '$.to'), 'event', json_extract(d.value, '$.event'),
                        'note', json_extract(d.value, '$.note'))),
                    ?6, ?6
             FROM json_each(?1) d JOIN cases c ON c.id = json_extract(d.value, '$.case_id'), webhook_endpoints e
             WHERE c.move_id = ?2 AND e.brand_id = ?3 AND e.disabled_at IS NULL
               AND EXISTS (SELECT 1 FROM json_each(e.events) WHERE value = 'case.status_changed')",
            vec![
                m.moves_json.into(),
                m.move_id.into(),
                m.brand_id.into(),
                m.from.as_str().into(),
                m.timestamp.into(),
                m.now.into(),
            ],
        ),
    ]
}

/// Where the listed cases of a brand (JSON array of ids) stand, and whether `move_id` moved them.
#[derive(Debug, Clone, Deserialize)]
pub struct CaseMove {
    pub id: CaseId,
    pub status: Status,
    pub version: i64,
    #[serde(deserialize_with = "crate::store::int_bool")]
    pub moved: bool,
}

pub fn case_moves_stmt(brand_id: BrandId, ids_json: &str, move_id: &str) -> Stmt {
    Stmt::new(
        // By id: the unary `+` keeps the planner off the brand's indexes, which would walk every
        // case of a large brand (core/tests/plans.rs).
        "SELECT id, status, version, move_id IS ?3 AS moved FROM cases
         WHERE +brand_id = ?1 AND id IN (SELECT value FROM json_each(?2))",
        vec![brand_id.into(), ids_json.into(), move_id.into()],
    )
}

pub async fn case_moves(
    db: &impl Db,
    brand_id: BrandId,
    ids_json: &str,
    move_id: &str,
) -> Result<Vec<CaseMove>> {
    query(db, case_moves_stmt(brand_id, ids_json, move_id)).await
}

pub fn set_case_detection(id: CaseId, detection_json: &str) -> Stmt {
    Stmt::new(
        "UPDATE cases SET detection = ?2 WHERE id = ?1",
        vec![id.into(), detection_json.into()],
    )
}

pub fn set_case_appeal(id: CaseId, appeal_id: &str, appeal_json: &str) -> Stmt {
    Stmt::new(
        "UPDATE cases SET appeal_id = ?2, appeal = ?3 WHERE id = ?1",
        vec![id.into(), appeal_id.into(), appeal_json.into()],
    )
}

#[derive(Debug, Clone, Deserialize)]
pub struct EventRecord {
    pub seq: i64,
    pub kind: String,
    pub from_status: Option<Status>,
    pub to_status: Option<Status>,
    pub actor_label: String,
    /// NULL until an event from before migration 0006 is backfilled.
    pub actor_kind: Option<String>,
    pub actor_name: Option<String>,
    pub on_behalf_of: Option<String>,
    pub note: Option<String>,
    pub note_code: Option<String>,
    /// A JSON array.
    pub note_args: Option<String>,
    pub at: Millis,
}

pub async fn case_events(db: &impl Db, id: CaseId) -> Result<Vec<EventRecord>> {
    query(db, case_events_stmt(id)).await
}

pub fn case_events_stmt(id: CaseId) -> Stmt {
    const SQL: &str =
        "SELECT seq, kind, from_status, to_status, actor_label, actor_kind, actor_name,
               on_behalf_of, note, note_code, note_args, at
        FROM case_events WHERE case_id = ?1 ORDER BY seq";
    Stmt::new(SQL, vec![id.into()])
}

/// Up to `limit` events from before migration 0006 (no `actor_kind` yet), with what the backfill
/// derives their columns from: the acting user's membership role in the case's brand and staff
/// role, their name, and the brand's name (all as they are now). The inner select reads only the
/// partial index `case_events_to_backfill` (it holds exactly these rows), so the chunk is found
/// without a scan of the whole history, and the rest goes by primary keys.
pub async fn events_to_backfill(db: &impl Db, limit: i64) -> Result<Vec<crate::history::OldEvent>> {
    const SQL: &str = "SELECT e.case_id, e.seq, e.kind, e.actor_id, e.actor_label, e.note,
               m.role AS member_role, u.staff_role, u.display_name AS user_name, b.name AS brand_name
        FROM (SELECT case_id, seq FROM case_events
              WHERE actor_kind IS NULL LIMIT ?1) todo
        JOIN case_events e ON e.case_id = todo.case_id AND e.seq = todo.seq
        JOIN cases c ON c.id = e.case_id
        JOIN brands b ON b.id = c.brand_id
        LEFT JOIN users u ON u.id = e.actor_id
        LEFT JOIN memberships m ON m.user_id = e.actor_id AND m.brand_id = c.brand_id";
    query(db, Stmt::new(SQL, vec![limit.into()])).await
}

/// Writes the backfill's columns (a JSON array of `history::Backfilled`) in one statement; a row
/// someone filled meanwhile is left as it is.
pub fn backfill_events(rows_json: &str) -> Stmt {
    Stmt::new(
        "UPDATE case_events SET actor_kind = json_extract(d.value, '$.actor_kind'),
                actor_name = json_extract(d.value, '$.actor_name'),
                on_behalf_of = json_extract(d.value, '$.on_behalf_of'),
                note_code = json_extract(d.value, '$.note_code'),
                note_args = json_extract(d.value, '$.note_args')
         FROM json_each(?1) d
         WHERE case_events.case_id = json_extract(d.value, '$.case_id')
           AND case_events.seq = json_extract(d.value, '$.seq')
           AND case_events.actor_kind IS NULL",
        vec![rows_json.into()],
    )
}

// ---------------------------------------------------------------- case lists

/// Filters of a case list; every one optional.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub status: Option<String>,
    pub origin: Option<String>,
    pub reason: Option<String>,
    pub from: Option<Millis>,
    pub to: Option<Millis>,
    /// An FTS5 query (trigram), for searches of three characters or more.
    pub fts: Option<String>,
    /// A plain substring, for shorter searches (no LIKE: D1 caps LIKE patterns at 50 bytes).
    pub substring: Option<String>,
}

impl CaseFilter {
    /// Whether it finds every case of the brand.
    pub fn is_brand_wide(&self) -> bool {
        let CaseFilter {
            status,
            origin,
            reason,
            from,
            to,
            fts,
            substring,
        } = self;
        status.is_none()
            && origin.is_none()
            && reason.is_none()
            && from.is_none()
            && to.is_none()
            && fts.is_none()
            && substring.is_none()
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct CaseRow {
    pub id: CaseId,
    pub brand_id: BrandId,
    pub brand_name: String,
    pub listing_id: String,
    pub title: String,
    pub seller_id: Option<String>,
    pub seller_name: String,
    pub origin: String,
    pub status: Status,
    pub version: i64,
    pub reason_code: Option<String>,
    pub deadline_at: Option<Millis>,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub snapshot: Option<String>,
    pub detection: Option<String>,
    /// The invoked right's registration number: read by `case_page` only (for the export).
    #[serde(default)]
    pub ip_right_number: Option<String>,
    /// The value the page is ordered by: read by `case_page` only (for the next cursor).
    #[serde(default)]
    pub sort_key: Option<KeyValue>,
}

fn filter_params(brand_id: BrandId, f: &CaseFilter) -> Vec<Value> {
    vec![
        brand_id.into(),
        f.status.clone().into(),
        f.origin.clone().into(),
        f.reason.clone().into(),
        f.from.into(),
        f.to.into(),
        f.fts.clone().into(),
        f.substring.clone().map(|s| s.to_lowercase()).into(),
    ]
}

/// The case list's filters, `?1` to `?8`. Given a status (`status`), the statement says
/// `c.status = ?2` outright: `?2 IS NULL OR …` would keep SQLite from seeking the brand's cases
/// in that status (`cases_by_brand_status`), and a rare status would walk the whole brand.
/// `search` leaves the full-text match (`?7`) to a join on `search_matches!`; `matched` reads it
/// from the matches `searched_page_sql!` found.
macro_rules! case_filter {
    () => {
        case_filter!(
            "(?2 IS NULL OR c.status = ?2)",
            concat!("(?7 IS NULL OR c.id IN (SELECT case_id FROM (", search_matches!(), ")))")
        )
    };
    (status) => {
        case_filter!(
            "c.status = ?2",
            concat!("(?7 IS NULL OR c.id IN (SELECT case_id FROM (", search_matches!(), ")))")
        )
    };
    (search) => {
        case_filter!("(?2 IS NULL OR c.status = ?2)", "?7 IS NOT NULL")
    };
    // The page of a search alone, its matches found beforehand (`searched_page_sql!`).
    (matched) => {
        case_filter!("(?2 IS NULL OR c.status = ?2)", "c.id IN (SELECT case_id FROM matched)")
    };
    (matched status) => {
        case_filter!("c.status = ?2", "c.id IN (SELECT case_id FROM matched)")
    };
    ($status:expr, $search:expr) => {
        concat!("c.brand_id = ?1
         AND ", $status, "
         AND (?3 IS NULL OR c.origin = ?3)
         AND (?4 IS NULL OR c.reason_code = ?4)
         AND (?5 IS NULL OR c.created_at >= ?5)
         AND (?6 IS NULL OR c.created_at < ?6)
         AND ", $search, "
         AND (?8 IS NULL OR instr(lower(c.title || ' ' || c.seller_name || ' ' || coalesce(c.seller_id, '') || ' ' || c.listing_id || ' ' || c.id), ?8) > 0)")
    };
}

/// The brand's scope in `cases_search` (migration 0021): one trigram no text holds, three
/// private-use characters spelling the brand's `search_block` seven bits each.
macro_rules! search_scope {
    ($block:literal) => {
        concat!(
            "char(57344 + ((",
            $block,
            " >> 14) & 127), 57344 + ((",
            $block,
            " >> 7) & 127), 57344 + (",
            $block,
            " & 127))"
        )
    };
}

/// The index rows (`search_row`) of the brand's cases whose text matches the full-text search
/// `?7`: the brand's scope AND the phrase (migration 0021), read in the brand's block.
macro_rules! search_rows {
    () => {
        concat!(
            "SELECT rowid AS search_row FROM cases_search WHERE cases_search MATCH
               (SELECT 'scope : \"' || ",
            search_scope!("search_block"),
            " || '\" AND body : ' || ?7 FROM brands WHERE id = ?1) AND ",
            search_block!("?1")
        )
    };
}

/// The brand's cases whose text matches the full-text search `?7`: their ids and statuses, kept
/// beside the index (migration 0021).
macro_rules! search_matches {
    () => {
        concat!(
            "SELECT r.case_id, r.status FROM (",
            search_rows!(),
            ") m CROSS JOIN case_search_rows r USING (search_row)"
        )
    };
}

/// One page's statement for each sort: the filters, then the rows after the keyset bounds
/// `(?9, ?10)` in the sort's order. The key is selected as `sort_key`, for the next cursor.
/// The key's own bound (`key >= ?9`) lets the index seek straight to the cursor, so every page
/// of a long walk (or export) costs the same; the tie on the key is then broken by the id. Not
/// a row-value comparison: SQLite seeks by one on plain columns but not on the deadline's
/// expression. The key expressions are the indexes' own (migration 0014), which is what lets
/// an index give the order.
macro_rules! case_page_sql {
    ($key:literal, $cmp:literal, $dir:literal) => {
        case_page_sql!($key, $cmp, $dir, case_filter!())
    };
    ($key:literal, $cmp:literal, $dir:literal, $filter:expr) => {
        concat!(
            "SELECT c.id, c.brand_id, b.name AS brand_name, c.listing_id, c.title, c.seller_id, c.seller_name, c.origin,
                    c.status, c.version, c.reason_code, c.deadline_at, c.created_at, c.updated_at, c.snapshot, c.detection,
                    ir.registration_number AS ip_right_number, ",
            $key,
            // CROSS JOIN keeps the cases the outer loop, read in the index's order: with
            // statistics of a few brands, SQLite would rather scan brands and sort the cases.
            " AS sort_key
             FROM cases c CROSS JOIN brands b ON b.id = c.brand_id
             LEFT JOIN ip_rights ir ON ir.id = c.ip_right_id
             WHERE ",
            $filter,
            " AND ",
            $key,
            " ",
            $cmp,
            "= ?9 AND (",
            $key,
            " ",
            $cmp,
            " ?9 OR c.id ",
            $cmp,
            " ?10) ORDER BY ",
            $key,
            " ",
            $dir,
            ", c.id ",
            $dir,
            " LIMIT ?11"
        )
    };
}

/// The statement of each sort's page, as `$page!` writes it from the key, its comparison, its
/// direction and the filter. A status given is matched outright in the sorts by filing time,
/// which `cases_by_brand_status` (brand, status, filing time) gives in order.
macro_rules! by_sort {
    ($page:ident, $sort:expr, $status_given:expr, $filter:tt, $filter_status:tt) => {
        match ($sort.key, $sort.descending) {
            (SortKey::Created, false) if $status_given => {
                $page!("c.created_at", ">", "ASC", case_filter!$filter_status)
            }
            (SortKey::Created, true) if $status_given => {
                $page!("c.created_at", "<", "DESC", case_filter!$filter_status)
            }
            (SortKey::Created, false) => $page!("c.created_at", ">", "ASC", case_filter!$filter),
            (SortKey::Created, true) => $page!("c.created_at", "<", "DESC", case_filter!$filter),
            (SortKey::Updated, false) => $page!("c.updated_at", ">", "ASC", case_filter!$filter),
            (SortKey::Updated, true) => $page!("c.updated_at", "<", "DESC", case_filter!$filter),
            // `case_list::NO_DEADLINE_ASC` and `NO_DEADLINE_DESC`, as the indexes write them.
            (SortKey::Deadline, false) => $page!(
                "coalesce(c.deadline_at, 9007199254740991)",
                ">",
                "ASC",
                case_filter!$filter
            ),
            (SortKey::Deadline, true) => {
                $page!("coalesce(c.deadline_at, 0)", "<", "DESC", case_filter!$filter)
            }
            (SortKey::Status, false) => $page!("c.status", ">", "ASC", case_filter!$filter),
            (SortKey::Status, true) => $page!("c.status", "<", "DESC", case_filter!$filter),
        }
    };
}

fn case_page_sql(sort: CaseSort, status_given: bool) -> &'static str {
    by_sort!(case_page_sql, sort, status_given, (), (status))
}

/// A search alone (a status aside) and its counts by status, from one reading of the index: the
/// matches, with their statuses, are found once (`matched`), then give the page's rows (`part`
/// 0) and the counts' (`part` 1, in `count_status` and `count_n`). Two statements would read
/// the index twice, and a search of the largest brand matches 16,000 cases.
macro_rules! searched_page_sql {
    ($key:literal, $cmp:literal, $dir:literal, $filter:expr) => {
        concat!(
            "WITH matched AS MATERIALIZED (",
            search_matches!(),
            ")
             SELECT 0 AS part, p.*, NULL AS count_status, NULL AS count_n FROM (",
            case_page_sql!($key, $cmp, $dir, $filter),
            ") p
             UNION ALL
             SELECT 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                    NULL, NULL, NULL, NULL, status, count(*) FROM matched GROUP BY status
             ORDER BY part, sort_key ",
            $dir,
            ", id ",
            $dir
        )
    };
}

fn searched_page_sql(sort: CaseSort, status_given: bool) -> &'static str {
    by_sort!(
        searched_page_sql,
        sort,
        status_given,
        (matched),
        (matched status)
    )
}

/// One page of a brand's cases in `sort`'s order, after the keyset cursor `after` (of the same
/// sort: `CaseCursor::parse` makes sure), one statement whatever the sort.
pub async fn case_page(
    db: &impl Db,
    brand_id: BrandId,
    f: &CaseFilter,
    sort: CaseSort,
    after: Option<&CaseCursor>,
    limit: i64,
) -> Result<Vec<CaseRow>> {
    query(db, case_page_stmt(brand_id, f, sort, after, limit)).await
}

pub fn case_page_stmt(
    brand_id: BrandId,
    f: &CaseFilter,
    sort: CaseSort,
    after: Option<&CaseCursor>,
    limit: i64,
) -> Stmt {
    Stmt::new(
        case_page_sql(sort, f.status.is_some()),
        page_params(brand_id, f, sort, after, limit),
    )
}

/// A page's parameters: the filters (`?1` to `?8`), the keyset bounds (`?9`, `?10`), the limit.
fn page_params(
    brand_id: BrandId,
    f: &CaseFilter,
    sort: CaseSort,
    after: Option<&CaseCursor>,
    limit: i64,
) -> Vec<Value> {
    let mut params = filter_params(brand_id, f);
    let (key, id) = after.map_or_else(|| sort.start(), CaseCursor::bounds);
    params.extend([key, id, limit.into()]);
    params
}

/// Counts per status under the same filters (the status filter itself aside).
pub async fn case_counts(
    db: &impl Db,
    brand_id: BrandId,
    f: &CaseFilter,
) -> Result<Vec<(Status, i64)>> {
    let rows: Vec<StatusCount> = query(db, case_counts_stmt(brand_id, f)).await?;
    Ok(rows.into_iter().map(|r| (r.status, r.n)).collect())
}

#[derive(Deserialize)]
struct StatusCount {
    status: Status,
    n: i64,
}

/// A page of the case list and its counts by status, in one round trip to D1.
pub async fn case_page_and_counts(
    db: &impl Db,
    brand_id: BrandId,
    f: &CaseFilter,
    sort: CaseSort,
    after: Option<&CaseCursor>,
    limit: i64,
) -> Result<(Vec<CaseRow>, Vec<(Status, i64)>)> {
    let mut parts = db
        .all_of(case_page_and_counts_stmts(brand_id, f, sort, after, limit))
        .await?
        .into_iter();
    let (page, counts) = match (parts.next(), parts.next()) {
        (page, Some(counts)) => (
            decode_rows(page)?,
            decode_rows::<StatusCount>(Some(counts))?
                .into_iter()
                .map(|r| (r.status, r.n))
                .collect(),
        ),
        // A search alone: one statement, its page's rows, then its counts'.
        (rows, None) => {
            let (counts, page): (Vec<Row>, Vec<Row>) = decode_rows::<Row>(rows)?
                .into_iter()
                .partition(|r| r.get("part").and_then(serde_json::Value::as_i64) == Some(1));
            (
                page.into_iter().map(decode).collect::<Result<_>>()?,
                counts
                    .into_iter()
                    .map(|r| decode::<SearchCount>(r).map(|r| (r.count_status, r.count_n)))
                    .collect::<Result<_>>()?,
            )
        }
    };
    Ok((page, counts))
}

#[derive(Deserialize)]
struct SearchCount {
    count_status: Status,
    count_n: i64,
}

/// The statements of `case_page_and_counts`: the page's and the counts', or for a search alone
/// (a status aside) one that reads the index once for both.
pub fn case_page_and_counts_stmts(
    brand_id: BrandId,
    f: &CaseFilter,
    sort: CaseSort,
    after: Option<&CaseCursor>,
    limit: i64,
) -> Vec<Stmt> {
    if !is_search_alone(f) {
        return vec![
            case_page_stmt(brand_id, f, sort, after, limit),
            case_counts_stmt(brand_id, f),
        ];
    }
    vec![Stmt::new(
        searched_page_sql(sort, f.status.is_some()),
        page_params(brand_id, f, sort, after, limit),
    )]
}

/// Whether the filter is a full-text search and at most a status besides.
fn is_search_alone(f: &CaseFilter) -> bool {
    f.fts.is_some()
        && CaseFilter {
            fts: None,
            status: None,
            ..f.clone()
        }
        .is_brand_wide()
}

/// The counts by status of the cases the filter finds, whatever status it asks for (the list's
/// tabs). Brand-wide, they are the kept counts (migration 0019); narrowed, they are counted.
pub fn case_counts_stmt(brand_id: BrandId, f: &CaseFilter) -> Stmt {
    const SQL: &str = concat!(
        "SELECT c.status, count(*) AS n FROM cases c WHERE ",
        case_filter!(),
        " GROUP BY c.status"
    );
    // A search's matches, each case looked up by id, rather than each of the brand's cases
    // tested against them (CROSS JOIN keeps the matches the outer loop).
    const SEARCHED: &str = concat!(
        "SELECT c.status, count(*) AS n FROM (",
        search_matches!(),
        ") s CROSS JOIN cases c ON c.id = s.case_id WHERE ",
        case_filter!(search),
        " GROUP BY c.status"
    );
    const KEPT: &str =
        "SELECT status, n FROM brand_case_counts WHERE brand_id = ?1 AND n > 0 ORDER BY status";
    let mut without_status = f.clone();
    without_status.status = None;
    if without_status.is_brand_wide() {
        return Stmt::new(KEPT, vec![brand_id.into()]);
    }
    let sql = if f.fts.is_some() { SEARCHED } else { SQL };
    Stmt::new(sql, filter_params(brand_id, &without_status))
}

/// Cases in one status across the given brands (JSON array; all brands when None): staff queues.
pub async fn staff_queue(
    db: &impl Db,
    status: Status,
    brands_json: Option<String>,
    limit: i64,
) -> Result<Vec<CaseRow>> {
    query(db, staff_queue_stmt(status, brands_json, limit)).await
}

pub fn staff_queue_stmt(status: Status, brands_json: Option<String>, limit: i64) -> Stmt {
    const SQL: &str = "SELECT c.id, c.brand_id, b.name AS brand_name, c.listing_id, c.title, c.seller_id, c.seller_name,
                c.origin, c.status, c.version, c.reason_code, c.deadline_at, c.created_at, c.updated_at, c.snapshot, c.detection
         FROM cases c JOIN brands b ON b.id = c.brand_id
         WHERE c.status = ?1 AND (?2 IS NULL OR c.brand_id IN (SELECT value FROM json_each(?2)))
         ORDER BY coalesce(c.deadline_at, c.created_at), c.created_at LIMIT ?3";
    Stmt::new(
        SQL,
        vec![status.as_str().into(), brands_json.into(), limit.into()],
    )
}

// ---------------------------------------------------------------- evidence

#[derive(Debug, Clone, Deserialize)]
pub struct EvidenceRecord {
    pub id: crate::ids::FileId,
    pub sha256: String,
    pub name: String,
    pub content_type: String,
    pub size: i64,
}

pub fn insert_evidence(files_json: &str, case_id: CaseId, brand_id: BrandId, now: Millis) -> Stmt {
    Stmt::new(
        "INSERT INTO evidence_files (id, case_id, brand_id, sha256, name, content_type, size, created_at)
         SELECT json_extract(value, '$.id'), ?2, ?3, json_extract(value, '$.sha256'), json_extract(value, '$.name'),
                json_extract(value, '$.content_type'), json_extract(value, '$.size'), ?4
         FROM json_each(?1)",
        vec![files_json.into(), case_id.into(), brand_id.into(), now.into()],
    )
}

pub async fn evidence(
    db: &impl Db,
    brand_id: BrandId,
    case_id: CaseId,
) -> Result<Vec<EvidenceRecord>> {
    query(db, evidence_stmt(brand_id, case_id)).await
}

fn evidence_stmt(brand_id: BrandId, case_id: CaseId) -> Stmt {
    const SQL: &str = "SELECT id, sha256, name, content_type, size FROM evidence_files
        WHERE case_id = ?1 AND brand_id = ?2 ORDER BY created_at, name";
    Stmt::new(SQL, vec![case_id.into(), brand_id.into()])
}
