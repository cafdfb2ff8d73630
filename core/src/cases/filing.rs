//! Filing reports: one at a time (JSON or multipart, with evidence files), up to 1,000 from a
//! CSV, or up to 50 listings found by a search (all or nothing, by the same row checks and the
//! same write), each case filed in the brand's lane with its takedown action.

use super::queries::case_file;
use super::rights::{right_usable, usable_right};
use super::standing::lane_now;
use super::transitions::deadline_for;
use super::{evidence_urls, statement, Mover, ReasonCode, MAX_EVIDENCE_URLS, MIN_STATEMENT_CHARS};
use crate::access::{self, Action, Actor};
use crate::api::*;
use crate::audit::{AuditEntry, AuditKind};
use crate::case::{ActionKind, Origin, Status};
use crate::clock::{Entropy, Millis};
use crate::files::{StoredFile, MAX_EVIDENCE_FILES};
use crate::history::{Note, NoteCode};
use crate::identity::Deps;
use crate::ids::{ActionId, BrandId, CaseId, FileId};
use crate::listing::{ListingId, Snapshot};
use crate::ports::{FileStore, Lookup, Marketplace, Settings};
use crate::programme::Lane;
use crate::reasons::{Reason, RowProblem};
use crate::sql::{self, IpRightRecord};
use crate::store::Db;
use crate::{Error, Result};
use std::collections::HashMap;

pub const MAX_BULK_ROWS: usize = 1000;
/// Listings reported at once from a search.
pub const MAX_BATCH_LISTINGS: usize = 50;

/// One checked report, ready to file.
struct CheckedReport {
    listing: ListingId,
    right: IpRightRecord,
    reason: ReasonCode,
    statement: String,
    evidence_urls: Vec<String>,
}

/// The checks of a report's own fields (the listing reference, reason code, statement,
/// evidence links, good faith), before any read: what `file_report` does first.
pub fn check_report(
    req: &ReportRequest,
    settings: &Settings,
) -> Result<(ListingId, ReasonCode, String, Vec<String>)> {
    let listing = ListingId::from_reference(&req.listing, &settings.listing_url_prefix)?;
    let reason = ReasonCode::parse(&req.reason_code)?;
    let statement = statement(&req.statement)?;
    let urls = evidence_urls(&req.evidence_urls)?;
    if !req.good_faith {
        return Err(Error::invalid("good_faith", Reason::GoodFaith));
    }
    Ok((listing, reason, statement, urls))
}

fn new_case(
    r: &CheckedReport,
    id: CaseId,
    lane: Lane,
    snapshot: Option<&Snapshot>,
    now: Millis,
) -> sql::NewCase {
    let status = if lane == Lane::Auto {
        Status::TakedownRequested
    } else {
        Status::UnderReview
    };
    sql::NewCase {
        id,
        listing_id: r.listing.as_str().to_owned(),
        origin: Origin::Report.as_str(),
        status: status.as_str(),
        lane: Some(if lane == Lane::Auto { "auto" } else { "review" }),
        ip_right_id: Some(r.right.id),
        reason_code: Some(r.reason.as_str().to_owned()),
        statement: Some(r.statement.clone()),
        evidence_urls: serde_json::to_string(&r.evidence_urls).unwrap_or_else(|_| "[]".into()),
        snapshot: snapshot.and_then(|s| serde_json::to_string(s).ok()),
        title: snapshot.map(|s| s.title.clone()).unwrap_or_default(),
        seller_id: snapshot.map(|s| s.seller.seller_id.clone()),
        seller_name: snapshot.map(|s| s.seller.name.clone()).unwrap_or_default(),
        detection: None,
        deadline_at: deadline_for(status, now),
        event_kind: "filed",
        event_note: Some(Note::coded(
            match (lane, snapshot) {
                (Lane::Auto, Some(_)) => NoteCode::FiledAuto,
                (Lane::Review, Some(_)) => NoteCode::FiledReview,
                (_, None) => NoteCode::FiledUnreachable,
            },
            &[],
        )),
    }
}

fn takedown_rows(
    cases: &[sql::NewCase],
    brand_id: BrandId,
    brand_ref: &str,
    entropy: &dyn Entropy,
) -> (Vec<ActionId>, serde_json::Value) {
    let mut ids = Vec::new();
    let rows: Vec<serde_json::Value> = cases
        .iter()
        .filter(|c| c.status == Status::TakedownRequested.as_str())
        .map(|c| {
            let id = ActionId(entropy.uuid());
            ids.push(id);
            let payload = serde_json::json!({
                "action_id": id, "case_id": c.id, "brand_ref": brand_ref,
                "listing_id": c.listing_id, "reason_code": c.reason_code,
            });
            serde_json::json!({ "id": id, "kind": ActionKind::ListingTakedown.as_str(), "case_id": c.id,
                                "brand_id": brand_id, "payload": payload.to_string() })
        })
        .collect();
    (ids, serde_json::Value::Array(rows))
}

/// The statements that file new cases (any number) with their listings and takedown actions.
fn filing_stmts(
    brand: &sql::BrandRecord,
    cases: &[sql::NewCase],
    snapshots: &[Snapshot],
    by: &Mover,
    entropy: &dyn Entropy,
    now: Millis,
) -> Result<(Vec<crate::store::Stmt>, Vec<ActionId>)> {
    let cases_json = serde_json::to_string(cases)?;
    let mut stmts = Vec::new();
    if !snapshots.is_empty() {
        let snaps = serde_json::to_string(snapshots)?;
        stmts.extend(sql::upsert_listings(&snaps, now));
    }
    stmts.extend(sql::insert_cases(brand.id, &cases_json, by, now));
    stmts.push(sql::enqueue_created(
        brand.id,
        &cases_json,
        &crate::outbox::rfc3339(now),
        now,
    ));
    let (ids, actions) = takedown_rows(cases, brand.id, &brand.brand_ref, entropy);
    if !ids.is_empty() {
        stmts.push(sql::insert_actions(&actions.to_string(), now));
    }
    Ok((stmts, ids))
}

/// What filing needs besides the database.
pub struct Ports<'a, F: FileStore, M: Marketplace> {
    pub files: &'a F,
    pub market: &'a M,
    pub settings: &'a Settings,
}

/// Files one report. Returns the case and the actions to send at once.
pub async fn file_report<D: Db, F: FileStore, M: Marketplace>(
    deps: &Deps<'_, D>,
    ports: &Ports<'_, F, M>,
    actor: &Actor,
    brand_id: BrandId,
    req: ReportRequest,
    evidence: Vec<StoredFile>,
) -> Result<(CaseView, Vec<ActionId>)> {
    let capacity = access::authorize(actor, brand_id, Action::FileReport)?;
    let (listing, reason, statement, evidence_urls) = check_report(&req, ports.settings)?;
    if evidence.len() > MAX_EVIDENCE_FILES {
        return Err(Error::invalid(
            "evidence",
            Reason::TooManyFiles {
                max: MAX_EVIDENCE_FILES,
            },
        ));
    }
    let now = deps.clock.now();
    let brand = sql::brand(deps.db, brand_id)
        .await?
        .ok_or(Error::NotFound)?;
    let lane = lane_now(deps.db, &brand, now).await?;
    let right = usable_right(deps.db, brand_id, &req.ip_right_id, now).await?;
    if let Some(open) = sql::open_case_for_listing(deps.db, brand_id, listing.as_str()).await? {
        return Err(Error::OpenCase(open.id.to_string()));
    }
    let known = sql::listing(deps.db, listing.as_str()).await?;
    let (snapshot, fresh) =
        match known.and_then(|l| serde_json::from_str::<Snapshot>(&l.snapshot).ok()) {
            Some(s) => (Some(s), false),
            None => match ports.market.lookup(listing.as_str()).await {
                Lookup::Found(s) => (Some(s), true),
                Lookup::Unknown => {
                    return Err(Error::unprocessable(Reason::NoListing {
                        listing: listing.as_str().to_owned(),
                    }));
                }
                Lookup::Unavailable(_) => (None, false),
            },
        };
    let checked = CheckedReport {
        listing,
        right,
        reason,
        statement,
        evidence_urls,
    };
    let id = CaseId(deps.entropy.uuid());
    let case = new_case(&checked, id, lane, snapshot.as_ref(), now);
    let by = Mover::of(actor, capacity, &brand.name);
    let new_snapshots: Vec<Snapshot> = snapshot.into_iter().filter(|_| fresh).collect();
    let opened = AuditEntry::by_mover(AuditKind::CaseMoved, &by, brand.id)
        .stmt_for_new_cases(deps, &serde_json::to_string(&[&case])?);
    let (mut stmts, ids) = filing_stmts(&brand, &[case], &new_snapshots, &by, deps.entropy, now)?;
    stmts.push(opened);
    if !evidence.is_empty() {
        let mut rows = Vec::new();
        for f in &evidence {
            ports.files.put(&f.key(brand_id), &f.bytes).await?;
            rows.push(serde_json::json!({ "id": FileId(deps.entropy.uuid()), "sha256": f.sha256, "name": f.name,
                                          "content_type": f.content_type, "size": f.bytes.len() }));
        }
        stmts.push(sql::insert_evidence(
            &serde_json::Value::Array(rows).to_string(),
            id,
            brand_id,
            now,
        ));
    }
    deps.db.batch(stmts).await.map_err(|e| match e {
        Error::Conflict(_) => Error::Conflict(
            "This listing already has an open case (filed at the same moment).".into(),
        ),
        other => other,
    })?;
    Ok((case_file(deps, actor, brand_id, id).await?, ids))
}

/// The CSV columns of a bulk report, in the template's order.
pub const BULK_COLUMNS: [&str; 5] = [
    BulkColumn::Listing.as_str(),
    BulkColumn::IpRight.as_str(),
    BulkColumn::Reason.as_str(),
    BulkColumn::Statement.as_str(),
    BulkColumn::EvidenceUrls.as_str(),
];

/// What stands in a template row's `listing` for the person to replace (it is no listing, so a
/// row left as it is refuses the file instead of filing anything).
pub const TEMPLATE_LISTING: &str = "<listing id>";

/// A line of a bulk file that is a note, never a row: its first cell starts with `#` (no listing
/// id or URL does).
pub fn is_note(record: &[String]) -> bool {
    record
        .first()
        .is_some_and(|cell| cell.trim_start().starts_with('#'))
}

const TEMPLATE_STATEMENT: &str = "Counterfeit: logo and stitching differ from the genuine product.";
const TEMPLATE_EVIDENCE: &str =
    "https://example.com/evidence-photo.jpg https://example.com/test-buy.pdf";

/// The bulk template for a brand: the header, one example row for each right the brand may
/// invoke now (verified, unexpired; its listing left for the person to fill), then notes (lines
/// starting with `#`, which the upload skips) listing those rights and the reason codes with
/// their meaning.
pub async fn bulk_template<D: Db>(
    deps: &Deps<'_, D>,
    settings: &Settings,
    actor: &Actor,
    brand_id: BrandId,
) -> Result<String> {
    access::authorize(actor, brand_id, Action::ViewBrand)?;
    sql::brand(deps.db, brand_id)
        .await?
        .ok_or(Error::NotFound)?;
    let now = deps.clock.now();
    let usable: Vec<IpRightRecord> = sql::ip_rights(deps.db, brand_id)
        .await?
        .into_iter()
        .filter(|r| right_usable(r, now))
        .collect();
    Ok(template_text(settings, &usable))
}

fn template_text(settings: &Settings, usable: &[IpRightRecord]) -> String {
    let listing = format!("{}{TEMPLATE_LISTING}", settings.listing_url_prefix);
    let mut out = crate::csv::row(&BULK_COLUMNS);
    let example = |number: &str| {
        crate::csv::row(&[
            &listing,
            number,
            ReasonCode::Counterfeit.as_str(),
            TEMPLATE_STATEMENT,
            TEMPLATE_EVIDENCE,
        ])
    };
    if usable.is_empty() {
        out.push_str(&example("<registration number of a verified right>"));
    }
    for r in usable {
        out.push_str(&example(&r.registration_number));
    }
    let mut notes = vec![
        "# Lines starting with # are notes: they are never filed. One listing per row; every row is checked and a file with any bad row files nothing.".to_owned(),
        format!("# listing: the listing's id or its URL ({}…); replace {TEMPLATE_LISTING} in each example row.", settings.listing_url_prefix),
    ];
    if usable.is_empty() {
        notes.push("# ip_right: your brand has no verified right yet; register one (IP rights) and have it verified, then download this template again.".to_owned());
    } else {
        notes.push(
            "# ip_right: the registration number of a right your brand may invoke:".to_owned(),
        );
        for r in usable {
            notes.push(format!(
                "#   {} ({} · {})",
                r.registration_number, r.kind, r.jurisdiction
            ));
        }
    }
    notes.push("# reason: one of these codes:".to_owned());
    for code in ReasonCode::ALL {
        notes.push(format!("#   {}: {}", code.as_str(), code.meaning()));
    }
    notes.push(format!(
        "# statement: at least {MIN_STATEMENT_CHARS} characters: why the listing infringes the right."
    ));
    notes.push(format!(
        "# evidence_urls: optional; up to {MAX_EVIDENCE_URLS} http(s) links separated by spaces."
    ));
    for note in notes {
        out.push_str(&crate::csv::row(&[&note]));
    }
    out
}

/// The cells of one row, by column (a column the file lacks reads as empty).
struct RowCells<'a> {
    header: &'a [String],
    row: &'a [String],
}

impl RowCells<'_> {
    fn get(&self, column: BulkColumn) -> String {
        self.header
            .iter()
            .position(|h| h == column.as_str())
            .and_then(|i| self.row.get(i))
            .map(|s| s.trim().to_owned())
            .unwrap_or_default()
    }
}

/// Why a column's own check refused, kept with the column the person wrote (any other error is
/// no refusal of the row: it stops the upload).
fn in_column<T>(
    column: BulkColumn,
    checked: Result<T>,
    problems: &mut Vec<RowProblem>,
) -> Result<Option<T>> {
    match checked {
        Ok(v) => Ok(Some(v)),
        Err(Error::Invalid { why, .. }) => {
            problems.push(RowProblem::Invalid { column, why });
            Ok(None)
        }
        Err(other) => Err(other),
    }
}

/// Every check of one row, each problem named by its column: the listing (when it reads as one,
/// even if the row has other problems, so repeats and open cases are found too), the report
/// when the row has no problem, and the problems.
fn check_row(
    cells: &RowCells<'_>,
    rights: &[IpRightRecord],
    settings: &Settings,
    now: Millis,
) -> Result<(Option<ListingId>, Option<CheckedReport>, Vec<RowProblem>)> {
    let mut problems = Vec::new();
    let listing = in_column(
        BulkColumn::Listing,
        ListingId::from_reference(
            &cells.get(BulkColumn::Listing),
            &settings.listing_url_prefix,
        ),
        &mut problems,
    )?;
    let reference = cells.get(BulkColumn::IpRight);
    let right = if reference.is_empty() {
        problems.push(RowProblem::Invalid {
            column: BulkColumn::IpRight,
            why: Reason::Empty.into(),
        });
        None
    } else {
        match rights
            .iter()
            .find(|r| r.id.to_string() == reference || r.registration_number == reference)
        {
            None => {
                problems.push(RowProblem::UnknownRight { reference });
                None
            }
            Some(r) if r.status != "verified" => {
                problems.push(RowProblem::RightNotVerified {
                    number: r.registration_number.clone(),
                });
                None
            }
            Some(r) if !right_usable(r, now) => {
                problems.push(RowProblem::RightExpired {
                    number: r.registration_number.clone(),
                });
                None
            }
            Some(r) => Some(r.clone()),
        }
    };
    let reason = in_column(
        BulkColumn::Reason,
        ReasonCode::parse(&cells.get(BulkColumn::Reason)),
        &mut problems,
    )?;
    let statement = in_column(
        BulkColumn::Statement,
        statement(&cells.get(BulkColumn::Statement)),
        &mut problems,
    )?;
    let links: Vec<String> = cells
        .get(BulkColumn::EvidenceUrls)
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let evidence_urls = in_column(
        BulkColumn::EvidenceUrls,
        evidence_urls(&links),
        &mut problems,
    )?;
    let report = match (listing.clone(), right, reason, statement, evidence_urls) {
        (Some(listing), Some(right), Some(reason), Some(statement), Some(evidence_urls)) => {
            Some(CheckedReport {
                listing,
                right,
                reason,
                statement,
                evidence_urls,
            })
        }
        _ => None,
    };
    Ok((listing, report, problems))
}

/// A bulk file read: its header (trimmed, lower case) and rows, notes left out, each row with
/// the line it starts on. The file's own problems (not CSV, no header, a required column missing,
/// no rows or too many) refuse it before any row is checked.
#[derive(Debug, Clone)]
pub struct BulkRecords {
    header: Vec<String>,
    rows: Vec<crate::csv::Record>,
}

impl BulkRecords {
    pub fn read(csv_bytes: &[u8]) -> Result<Self> {
        let mut records = crate::csv::parse(csv_bytes)?
            .into_iter()
            .filter(|(_, record)| !is_note(record));
        let Some((_, header)) = records.next() else {
            return Err(Error::invalid("file", Reason::FileEmpty));
        };
        let rows: Vec<crate::csv::Record> = records.collect();
        let header: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
        let missing: Vec<String> = BulkColumn::ALL
            .into_iter()
            .filter(|c| c.required() && !header.iter().any(|h| h == c.as_str()))
            .map(|c| c.as_str().to_owned())
            .collect();
        if !missing.is_empty() {
            return Err(Error::invalid("file", Reason::FileColumns { missing }));
        }
        if rows.is_empty() {
            return Err(Error::invalid("file", Reason::FileNoRows));
        }
        if rows.len() > MAX_BULK_ROWS {
            return Err(Error::invalid(
                "file",
                Reason::FileTooManyRows {
                    rows: rows.len(),
                    max: MAX_BULK_ROWS,
                },
            ));
        }
        Ok(BulkRecords { header, rows })
    }

    /// The rows, each with the line it starts on.
    pub fn rows(&self) -> &[crate::csv::Record] {
        &self.rows
    }

    /// Every check of every row against the brand's rights at `now` (all but the open cases,
    /// which only the database knows), and the lines each listing is on.
    pub fn check(
        &self,
        rights: &[IpRightRecord],
        settings: &Settings,
        now: Millis,
    ) -> Result<BulkChecked> {
        let mut problems: Vec<(usize, RowProblem)> = Vec::new();
        let mut checked: Vec<CheckedReport> = Vec::new();
        // Each listing read from the file, with the lines it is on (in file order).
        let mut lines_of: HashMap<String, Vec<usize>> = HashMap::new();
        for (line, row) in &self.rows {
            let cells = RowCells {
                header: &self.header,
                row,
            };
            let (listing, report, found) = check_row(&cells, rights, settings, now)?;
            problems.extend(found.into_iter().map(|p| (*line, p)));
            if let Some(listing) = listing {
                let lines = lines_of.entry(listing.as_str().to_owned()).or_default();
                if let Some(first) = lines.first() {
                    problems.push((
                        *line,
                        RowProblem::DuplicateListing {
                            listing: listing.as_str().to_owned(),
                            first_line: *first,
                        },
                    ));
                }
                lines.push(*line);
            }
            checked.extend(report);
        }
        Ok(BulkChecked {
            checked,
            problems,
            lines_of,
        })
    }
}

/// The rows of a bulk file as checked: the reports of rows without a problem, every problem by
/// line, and the lines of each listing named.
pub struct BulkChecked {
    checked: Vec<CheckedReport>,
    problems: Vec<(usize, RowProblem)>,
    lines_of: HashMap<String, Vec<usize>>,
}

impl BulkChecked {
    /// The listings of the rows that passed every check, in file order.
    pub fn listings(&self) -> impl Iterator<Item = &ListingId> {
        self.checked.iter().map(|c| &c.listing)
    }

    pub fn problems(&self) -> &[(usize, RowProblem)] {
        &self.problems
    }

    /// Each listing the file names (whether or not its row passed), with the lines it is on.
    pub fn lines_of(&self) -> &HashMap<String, Vec<usize>> {
        &self.lines_of
    }
}

/// Files a CSV of reports: every row is checked first, every check of it; any problem → nothing
/// filed and every problem listed by line and column; otherwise all rows are filed in one atomic
/// write. Lines whose first cell starts with `#` are notes (the template's) and are skipped.
pub async fn bulk_file<D: Db>(
    deps: &Deps<'_, D>,
    settings: &Settings,
    actor: &Actor,
    brand_id: BrandId,
    csv_bytes: &[u8],
) -> Result<(BulkFiled, Vec<ActionId>)> {
    let capacity = access::authorize(actor, brand_id, Action::FileReport)?;
    let records = BulkRecords::read(csv_bytes)?;
    let now = deps.clock.now();
    let brand = sql::brand(deps.db, brand_id)
        .await?
        .ok_or(Error::NotFound)?;
    let lane = lane_now(deps.db, &brand, now).await?;
    let rights = sql::ip_rights(deps.db, brand_id).await?;
    let BulkChecked {
        checked,
        problems: mut errors,
        lines_of,
    } = records.check(&rights, settings, now)?;
    let mut listed: Vec<&str> = lines_of.keys().map(String::as_str).collect();
    listed.sort_unstable();
    for (listing, case_id) in
        sql::open_cases_for_listings(deps.db, brand_id, serde_json::to_string(&listed)?).await?
    {
        for line in lines_of.get(&listing).into_iter().flatten() {
            errors.push((
                *line,
                RowProblem::OpenCase {
                    listing: listing.clone(),
                    case_id,
                },
            ));
        }
    }
    if !errors.is_empty() {
        // By line, then in the template's order of columns (stable: a column's problems keep
        // the order they were found in).
        errors.sort_by_key(|(line, p)| (*line, p.column() as usize));
        return Err(Error::InvalidRows(errors));
    }
    let ids: Vec<&str> = checked.iter().map(|c| c.listing.as_str()).collect();
    let ids_json = serde_json::to_string(&ids)?;
    // Listings JointForce knows keep their snapshot; others are filed pending and looked up
    // before their takedown is sent (`outbox::deliver`), or by the cron.
    let known: HashMap<String, Snapshot> = sql::known_listings(deps.db, ids_json)
        .await?
        .into_iter()
        .filter_map(|l| serde_json::from_str(&l.snapshot).ok().map(|s| (l.id, s)))
        .collect();
    let filing = Filing {
        actor,
        capacity,
        brand: &brand,
        lane,
    };
    let (created, action_ids) = file_all(deps, &filing, &checked, &known, &[]).await?;
    Ok((BulkFiled { created }, action_ids))
}

/// Who files, for which brand, in which lane.
struct Filing<'a> {
    actor: &'a Actor,
    capacity: access::Capacity,
    brand: &'a sql::BrandRecord,
    lane: Lane,
}

/// Files checked reports in one atomic write, or none: the cases (with the snapshot each has,
/// pending where none), the listings seen for the first time (`fresh`), the takedown actions
/// and the audit entries. Answers the created cases and the actions to send.
async fn file_all<D: Db>(
    deps: &Deps<'_, D>,
    filing: &Filing<'_>,
    checked: &[CheckedReport],
    snapshots: &HashMap<String, Snapshot>,
    fresh: &[Snapshot],
) -> Result<(Vec<CaseSummary>, Vec<ActionId>)> {
    let (brand, now) = (filing.brand, deps.clock.now());
    let cases: Vec<sql::NewCase> = checked
        .iter()
        .map(|c| {
            new_case(
                c,
                CaseId(deps.entropy.uuid()),
                filing.lane,
                snapshots.get(c.listing.as_str()),
                now,
            )
        })
        .collect();
    let by = Mover::of(filing.actor, filing.capacity, &brand.name);
    let (mut stmts, action_ids) = filing_stmts(brand, &cases, fresh, &by, deps.entropy, now)?;
    stmts.push(
        AuditEntry::by_mover(AuditKind::CaseMoved, &by, brand.id)
            .stmt_for_new_cases(deps, &serde_json::to_string(&cases)?),
    );
    deps.db.batch(stmts).await.map_err(|e| match e {
        Error::Conflict(_) => Error::Conflict(
            "Some of these listings got an open case at the same moment; nothing was filed.".into(),
        ),
        other => other,
    })?;
    let created = cases
        .iter()
        .map(|c| {
            let snapshot = snapshots.get(&c.listing_id);
            CaseSummary {
                id: c.id,
                brand_id: brand.id,
                brand_name: brand.name.clone(),
                listing_id: c.listing_id.clone(),
                title: c.title.clone(),
                seller_id: c.seller_id.clone(),
                seller_name: c.seller_name.clone(),
                image_url: snapshot.and_then(|s| s.image_url.clone()),
                price: snapshot.map(|s| s.price.clone()),
                detection: None,
                origin: Origin::Report,
                status: Status::parse(c.status).unwrap_or(Status::UnderReview),
                // As `insert_cases` writes it.
                version: 1,
                reason_code: c.reason_code.clone(),
                right_number: None,
                deadline_at: c.deadline_at,
                overdue: false,
                created_at: now,
                updated_at: now,
            }
        })
        .collect();
    Ok((created, action_ids))
}

/// Reports up to 50 listings at once (found by a search), with one right, reason, statement and
/// evidence: every listing passes the bulk file's row checks, is looked up on the marketplace
/// (the snapshot is the marketplace's, never the client's) and must have no open case of the
/// brand. Any problem → nothing filed, every problem listed under its listing; otherwise all
/// are filed in one atomic write, each in the brand's lane as a single report would be.
pub async fn batch_file<D: Db, F: FileStore, M: Marketplace>(
    deps: &Deps<'_, D>,
    ports: &Ports<'_, F, M>,
    actor: &Actor,
    brand_id: BrandId,
    req: BatchReportRequest,
) -> Result<(BulkFiled, Vec<ActionId>)> {
    let capacity = access::authorize(actor, brand_id, Action::FileReport)?;
    let given: Vec<String> = req.listings.iter().map(|l| l.trim().to_owned()).collect();
    if given.is_empty() {
        return Err(Error::invalid("listings", Reason::Empty));
    }
    if given.len() > MAX_BATCH_LISTINGS {
        return Err(Error::invalid(
            "listings",
            Reason::TooManyListings {
                max: MAX_BATCH_LISTINGS,
            },
        ));
    }
    for (i, listing) in given.iter().enumerate() {
        if given[..i].contains(listing) {
            return Err(Error::invalid(
                "listings",
                Reason::ListingTwice {
                    listing: listing.clone(),
                },
            ));
        }
    }
    if !req.good_faith {
        return Err(Error::invalid("good_faith", Reason::GoodFaith));
    }
    let now = deps.clock.now();
    let brand = sql::brand(deps.db, brand_id)
        .await?
        .ok_or(Error::NotFound)?;
    let lane = lane_now(deps.db, &brand, now).await?;
    let rights = sql::ip_rights(deps.db, brand_id).await?;

    // Each listing is a row of the bulk file, its other cells the request's shared fields.
    let header: Vec<String> = BULK_COLUMNS.iter().map(|c| (*c).to_owned()).collect();
    let evidence = req.evidence_links.join(" ");
    let mut refused: Vec<(String, RowProblem)> = Vec::new();
    let mut checked: Vec<(String, CheckedReport)> = Vec::new();
    // The listing each id read from the request was given as.
    let mut given_as: HashMap<String, String> = HashMap::new();
    for listing in &given {
        let row = [
            listing.clone(),
            req.ip_right_id.clone(),
            req.reason_code.clone(),
            req.statement.clone(),
            evidence.clone(),
        ];
        let cells = RowCells {
            header: &header,
            row: &row,
        };
        let (id, report, problems) = check_row(&cells, &rights, ports.settings, now)?;
        refused.extend(problems.into_iter().map(|p| (listing.clone(), p)));
        if let Some(id) = id {
            if given_as
                .insert(id.as_str().to_owned(), listing.clone())
                .is_some()
            {
                // The same listing by its id and by its URL.
                return Err(Error::invalid(
                    "listings",
                    Reason::ListingTwice {
                        listing: id.as_str().to_owned(),
                    },
                ));
            }
        }
        checked.extend(report.map(|r| (listing.clone(), r)));
    }
    let mut ids: Vec<&str> = given_as.keys().map(String::as_str).collect();
    ids.sort_unstable();
    let open: HashMap<String, CaseId> =
        sql::open_cases_for_listings(deps.db, brand_id, serde_json::to_string(&ids)?)
            .await?
            .into_iter()
            .collect();
    for (id, case_id) in &open {
        let listing = given_as.get(id).cloned().unwrap_or_else(|| id.clone());
        refused.push((
            listing,
            RowProblem::OpenCase {
                listing: id.clone(),
                case_id: *case_id,
            },
        ));
    }
    // Each listing as the marketplace shows it now; when it cannot be asked, as JointForce last
    // saw it, else pending (filled before the takedown is sent, as for a single report).
    let stored: HashMap<String, Snapshot> =
        sql::known_listings(deps.db, serde_json::to_string(&ids)?)
            .await?
            .into_iter()
            .filter_map(|l| serde_json::from_str(&l.snapshot).ok().map(|s| (l.id, s)))
            .collect();
    let mut snapshots: HashMap<String, Snapshot> = HashMap::new();
    let mut fresh: Vec<Snapshot> = Vec::new();
    for (listing, report) in &checked {
        let id = report.listing.as_str();
        if open.contains_key(id) {
            continue;
        }
        match ports.market.lookup(id).await {
            Lookup::Found(s) => {
                snapshots.insert(id.to_owned(), s.clone());
                fresh.push(s);
            }
            Lookup::Unknown => refused.push((
                listing.clone(),
                RowProblem::Invalid {
                    column: BulkColumn::Listing,
                    why: Reason::NoListing {
                        listing: id.to_owned(),
                    }
                    .into(),
                },
            )),
            Lookup::Unavailable(_) => {
                if let Some(s) = stored.get(id) {
                    snapshots.insert(id.to_owned(), s.clone());
                }
            }
        }
    }
    if !refused.is_empty() {
        // In the order the listings were given, then in the template's order of columns.
        let place = |l: &str| given.iter().position(|g| g == l).unwrap_or(usize::MAX);
        refused.sort_by_key(|(l, p)| (place(l), p.column() as usize));
        return Err(Error::RefusedListings(refused));
    }
    let checked: Vec<CheckedReport> = checked.into_iter().map(|(_, r)| r).collect();
    let filing = Filing {
        actor,
        capacity,
        brand: &brand,
        lane,
    };
    let (created, action_ids) = file_all(deps, &filing, &checked, &snapshots, &fresh).await?;
    Ok((BulkFiled { created }, action_ids))
}

/// A report sent as multipart/form-data: the fields of `ReportRequest` (evidence links one per
/// line or space-separated, `good_faith` ticked as "true" or "on") and up to 5 `evidence` files.
pub fn report_from_multipart(
    parts: &[crate::form::Part],
) -> Result<(ReportRequest, Vec<StoredFile>)> {
    use crate::form::field;
    let required = |name: &str| -> Result<String> {
        field(parts, name)?.ok_or_else(|| Error::invalid(name, "is missing"))
    };
    let req = ReportRequest {
        listing: required("listing")?,
        ip_right_id: required("ip_right_id")?,
        reason_code: required("reason_code")?,
        statement: required("statement")?,
        evidence_urls: field(parts, "evidence_urls")?
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
        good_faith: matches!(
            field(parts, "good_faith")?.as_deref(),
            Some("true" | "on" | "1")
        ),
    };
    let uploads: Vec<&crate::form::Part> = parts
        .iter()
        .filter(|p| p.name == "evidence" && p.filename.as_deref().is_some_and(|n| !n.is_empty()))
        .collect();
    if uploads.len() > MAX_EVIDENCE_FILES {
        return Err(Error::invalid(
            "evidence",
            Reason::TooManyFiles {
                max: MAX_EVIDENCE_FILES,
            },
        ));
    }
    let files = uploads
        .into_iter()
        .map(|p| StoredFile::accept(p.filename.as_deref().unwrap_or("file"), p.data.clone()))
        .collect::<Result<Vec<_>>>()?;
    Ok((req, files))
}

/// The one file of an upload (`file` part, or the first file part).
pub fn single_file(parts: &[crate::form::Part]) -> Result<StoredFile> {
    let part = parts
        .iter()
        .find(|p| p.filename.is_some() && (p.name == "file" || p.name == "certificate"))
        .or_else(|| parts.iter().find(|p| p.filename.is_some()))
        .ok_or_else(|| Error::invalid("file", "is missing"))?;
    StoredFile::accept(
        part.filename.as_deref().unwrap_or("file"),
        part.data.clone(),
    )
}
