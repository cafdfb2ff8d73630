//! Exports that stream: a CSV read from the store a keyset page at a time, so any number of rows fits in memory.

use crate::case_list::{CaseCursor, CaseSort};
use crate::clock::Millis;
use crate::ids::BrandId;
use crate::listing::Snapshot;
use crate::outbox::rfc3339;
use crate::sql::{self, AuditFilter, AuditScope, CaseFilter};
use crate::store::Db;
use crate::{Error, Result};

/// Rows per page (and per chunk): 100,000 rows take 200 queries, well inside a Worker's limit.
pub const EXPORT_PAGE: i64 = 500;

/// Times are ISO 8601 in UTC (`2026-12-05T14:30:00Z`), read alike by people and spreadsheets in
/// any zone; an empty cell is no value (no right invoked, no deadline running, no snapshot yet).
pub const CASE_COLUMNS: [&str; 11] = [
    "case_id",
    "listing_id",
    "title",
    "seller",
    "origin",
    "status",
    "reason",
    "created_at",
    "right",
    "deadline",
    "listing_url",
];

/// `subject_name` comes last: files read by position keep the columns they had.
pub const AUDIT_COLUMNS: [&str; 13] = [
    "id",
    "at",
    "kind",
    "actor_kind",
    "actor_id",
    "actor_name",
    "on_behalf_of",
    "brand_id",
    "subject_kind",
    "subject_id",
    "address",
    "details",
    "subject_name",
];

/// What is exported, its filters already checked.
#[derive(Debug, Clone)]
pub(crate) enum Exported {
    Cases {
        brand_id: BrandId,
        filter: CaseFilter,
        /// The list's order (`sort`), so the file reads as the list it was exported from.
        sort: CaseSort,
    },
    Audit {
        scope: AuditScope,
        sign_ins: String,
        filter: AuditFilter,
        with_address: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Fresh,
    Paging,
    Done,
    Failed,
}

/// A CSV export, pulled one chunk at a time. The first chunk is the header with the first page,
/// so whoever awaits it before answering still answers a failure of the first query as an error;
/// each later chunk is one page. Every cell goes through the formula guard (`csv::cell`).
/// After an error it never ends cleanly: a short file must not pass for a whole one.
pub struct Export<D> {
    db: D,
    what: Exported,
    /// Where the next audit page starts (`at`, id).
    after: Option<(Millis, String)>,
    /// Where the next case page starts, in the export's sort.
    case_after: Option<CaseCursor>,
    state: State,
}

impl<D: Db> Export<D> {
    /// Made by the use cases, after their access check (`cases::export_cases`, `audit::export_*`).
    pub(crate) fn new(db: D, what: Exported) -> Self {
        Export {
            db,
            what,
            after: None,
            case_after: None,
            state: State::Fresh,
        }
    }

    /// The next chunk of the file; `None` once it is whole.
    pub async fn next_chunk(&mut self) -> Result<Option<String>> {
        match self.state {
            State::Done => return Ok(None),
            State::Failed => return Err(Error::internal("an export read after it failed")),
            State::Fresh | State::Paging => {}
        }
        let mut out = if self.state == State::Fresh {
            crate::csv::row(self.header())
        } else {
            String::new()
        };
        match self.page(&mut out).await {
            Ok(more) => {
                self.state = if more { State::Paging } else { State::Done };
                Ok(Some(out))
            }
            Err(e) => {
                self.state = State::Failed;
                Err(e)
            }
        }
    }

    fn header(&self) -> &'static [&'static str] {
        match self.what {
            Exported::Cases { .. } => &CASE_COLUMNS,
            Exported::Audit { .. } => &AUDIT_COLUMNS,
        }
    }

    /// Appends one page to `out`; whether another may follow. One row more than the page is
    /// read, so the last page is known without an empty query after it.
    async fn page(&mut self, out: &mut String) -> Result<bool> {
        let after = self.after.take();
        let case_after = self.case_after.take();
        let (more, last) = match &self.what {
            Exported::Cases {
                brand_id,
                filter,
                sort,
            } => {
                let sort = *sort;
                let mut rows = sql::case_page(
                    &self.db,
                    *brand_id,
                    filter,
                    sort,
                    case_after.as_ref(),
                    EXPORT_PAGE + 1,
                )
                .await?;
                let more = rows.len() as i64 > EXPORT_PAGE;
                rows.truncate(EXPORT_PAGE as usize);
                for r in &rows {
                    // The listing's address as the marketplace reported it with the snapshot.
                    let url = r
                        .snapshot
                        .as_deref()
                        .and_then(|s| serde_json::from_str::<Snapshot>(s).ok())
                        .map(|s| s.url)
                        .unwrap_or_default();
                    // A deadline counts only while its status runs (as the case file shows it).
                    let deadline = r
                        .deadline_at
                        .filter(|_| r.status.is_open())
                        .map(rfc3339)
                        .unwrap_or_default();
                    out.push_str(&crate::csv::row(&[
                        &r.id.to_string(),
                        &r.listing_id,
                        &r.title,
                        &r.seller_name,
                        &r.origin,
                        r.status.as_str(),
                        r.reason_code.as_deref().unwrap_or(""),
                        &rfc3339(r.created_at),
                        r.ip_right_number.as_deref().unwrap_or(""),
                        &deadline,
                        &url,
                    ]));
                }
                self.case_after = rows
                    .last()
                    .and_then(|r| crate::cases::cursor_after(sort, r));
                (more, None)
            }
            Exported::Audit {
                scope,
                sign_ins,
                filter,
                with_address,
            } => {
                let mut rows =
                    sql::audit_page(&self.db, *scope, sign_ins, filter, after, EXPORT_PAGE + 1)
                        .await?;
                let more = rows.len() as i64 > EXPORT_PAGE;
                rows.truncate(EXPORT_PAGE as usize);
                let text = |v: &Option<String>| v.clone().unwrap_or_default();
                let id = |v: Option<BrandId>| v.map(|b| b.to_string()).unwrap_or_default();
                for r in &rows {
                    let address = if *with_address {
                        text(&r.address)
                    } else {
                        String::new()
                    };
                    out.push_str(&crate::csv::row(&[
                        &r.id,
                        &r.at.to_string(),
                        &r.kind,
                        &r.actor_kind,
                        &text(&r.actor_id),
                        &text(&r.actor_name),
                        &id(r.on_behalf_of),
                        &id(r.brand_id),
                        &text(&r.subject_kind),
                        &text(&r.subject_id),
                        &address,
                        &r.details,
                        &text(&r.subject_name),
                    ]));
                }
                (more, rows.last().map(|r| (r.at, r.id.clone())))
            }
        };
        self.after = last;
        Ok(more)
    }
}
