//! Reading cases: the filtered, paged list and its CSV export, the case file with what the actor
//! may do next, evidence files, and the staff queues.

use super::{is_overdue, staff_scope, summary, FileBody, ReasonCode};
use crate::access::{self, Action, Actor};
use crate::api::*;
use crate::case::{self, Origin, Status, Transition};
use crate::case_list::{CaseCursor, CaseSort};
use crate::clock::Millis;
use crate::export::{Export, Exported};
use crate::files::file_key;
use crate::history;
use crate::identity::Deps;
use crate::ids::{BrandId, CaseId, FileId};
use crate::listing::{Appeal, Snapshot};
use crate::ports::FileStore;
use crate::programme::Lane;
use crate::reasons::Reason;
use crate::sql;
use crate::store::Db;
use crate::{Error, Result};

const PAGE_DEFAULT: i64 = 25;
const PAGE_MAX: i64 = 100;

/// Filters as given in the query string.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct CaseQuery {
    pub status: Option<String>,
    pub origin: Option<String>,
    pub reason: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub q: Option<String>,
    /// `created`, `-created` (the default), `updated`, `-updated`, `deadline`, `-deadline`,
    /// `status` or `-status` (`case_list::CaseSort`).
    pub sort: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<String>,
}

fn millis_param(raw: Option<&str>, field: &str) -> Result<Option<Millis>> {
    raw.filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<Millis>()
                .map_err(|_| Error::invalid(field, "must be milliseconds since the epoch"))
        })
        .transpose()
}

/// An FTS5 query that matches the text literally (trigram: any substring of 3+ characters).
fn fts_phrase(q: &str) -> String {
    format!("\"{}\"", q.replace('"', "\"\""))
}

/// The filters of a case list as given: each checked, the text search made an FTS5 phrase
/// (three characters or more) or a plain substring.
pub fn case_filter(q: &CaseQuery) -> Result<sql::CaseFilter> {
    let nonempty = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let status = nonempty(&q.status)
        .map(|s| Status::parse(&s).map(|s| s.as_str().to_owned()))
        .transpose()?;
    let origin = nonempty(&q.origin)
        .map(|s| Origin::parse(&s).map(|o| o.as_str().to_owned()))
        .transpose()?;
    let reason = nonempty(&q.reason)
        .map(|s| ReasonCode::parse(&s).map(|r| r.as_str().to_owned()))
        .transpose()?;
    let text = nonempty(&q.q);
    if text.as_ref().is_some_and(|t| t.chars().count() > 200) {
        return Err(Error::invalid("q", Reason::TooLong { max: 200 }));
    }
    // No case's text holds one, and FTS5 reads a NUL in a phrase as its end ("unterminated
    // string": a 500 where a 400 is due).
    if text.as_ref().is_some_and(|t| t.contains(char::is_control)) {
        return Err(Error::invalid("q", Reason::ControlCharacters));
    }
    let (fts, substring) = match text {
        Some(t) if t.chars().count() >= 3 => (Some(fts_phrase(&t)), None),
        Some(t) => (None, Some(t)),
        None => (None, None),
    };
    Ok(sql::CaseFilter {
        status,
        origin,
        reason,
        from: millis_param(q.from.as_deref(), "from")?,
        to: millis_param(q.to.as_deref(), "to")?,
        fts,
        substring,
    })
}

pub async fn list_cases<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
    q: &CaseQuery,
) -> Result<CaseList> {
    access::authorize(actor, brand_id, Action::ViewBrand)?;
    let filter = case_filter(q)?;
    let limit = match q.limit.as_deref().filter(|s| !s.is_empty()) {
        None => PAGE_DEFAULT,
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=PAGE_MAX).contains(n))
            .ok_or_else(|| Error::invalid("limit", format!("must be 1–{PAGE_MAX}")))?,
    };
    let sort = CaseSort::parse(q.sort.as_deref())?;
    let after = q
        .cursor
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|raw| CaseCursor::parse(raw, sort))
        .transpose()?;
    let (mut rows, counts) =
        sql::case_page_and_counts(deps.db, brand_id, &filter, sort, after.as_ref(), limit + 1)
            .await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = if more {
        rows.last()
            .and_then(|r| cursor_after(sort, r))
            .map(|c| c.encode())
    } else {
        None
    };
    let now = deps.clock.now();
    Ok(CaseList {
        cases: rows.into_iter().map(|r| summary(r, now)).collect(),
        next_cursor,
        counts,
    })
}

/// The cursor of the page that follows `last` in `sort` (its key as the statement read it).
pub(crate) fn cursor_after(sort: CaseSort, last: &sql::CaseRow) -> Option<CaseCursor> {
    last.sort_key.clone().map(|key| CaseCursor {
        sort,
        key,
        id: last.id,
    })
}

/// The current filter as CSV in the list's sort, read a page at a time (`export::Export`): refused here, before the
/// first byte, when the actor may not see the brand or the filter is bad.
pub fn export_cases<D: Db>(
    db: D,
    actor: &Actor,
    brand_id: BrandId,
    q: &CaseQuery,
) -> Result<Export<D>> {
    access::authorize(actor, brand_id, Action::ViewBrand)?;
    let filter = case_filter(q)?;
    let sort = CaseSort::parse(q.sort.as_deref())?;
    Ok(Export::new(
        db,
        Exported::Cases {
            brand_id,
            filter,
            sort,
        },
    ))
}

/// What the actor may do to a case in this status: the policy and the state machine agree.
fn commands(actor: &Actor, brand_id: BrandId, status: Status) -> Vec<CaseCommand> {
    use CaseCommand as C;
    let table: [(C, Action, Transition); 12] = [
        (C::Confirm, Action::DecideFlag, Transition::Confirm),
        (C::Reject, Action::DecideFlag, Transition::Reject),
        (C::Approve, Action::ReviewReport, Transition::Approve),
        (C::Decline, Action::ReviewReport, Transition::Decline),
        (
            C::RetryTakedown,
            Action::RetryTakedown,
            Transition::RetryTakedown,
        ),
        (C::Withdraw, Action::Withdraw, Transition::Withdraw),
        (C::Retract, Action::Retract, Transition::Retract),
        (
            C::UpholdAppeal,
            Action::AnswerAppeal,
            Transition::UpholdAppeal,
        ),
        (
            C::RetractOnAppeal,
            Action::AnswerAppeal,
            Transition::RetractOnAppeal,
        ),
        (C::Escalate, Action::AnswerAppeal, Transition::Escalate),
        (
            C::ArbitrateUphold,
            Action::Arbitrate,
            Transition::ArbitrationUphold,
        ),
        (
            C::ArbitrateReinstate,
            Action::Arbitrate,
            Transition::ArbitrationReinstate,
        ),
    ];
    table
        .into_iter()
        .filter(|(_, action, t)| {
            case::next(status, *t).is_some() && access::authorize(actor, brand_id, *action).is_ok()
        })
        .map(|(c, _, _)| c)
        .collect()
}

pub async fn case_file<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
    case_id: CaseId,
) -> Result<CaseView> {
    access::authorize(actor, brand_id, Action::ViewBrand)?;
    let records = sql::case_file(deps.db, brand_id, case_id).await?;
    case_view(actor, brand_id, case_id, records, deps.clock.now())
}

/// The case file as the actor sees it, from its records (read on their own, or after the write
/// of a decision); not found without the case.
pub(super) fn case_view(
    actor: &Actor,
    brand_id: BrandId,
    case_id: CaseId,
    records: sql::CaseFileRecords,
    now: crate::clock::Millis,
) -> Result<CaseView> {
    let sql::CaseFileRecords {
        case,
        listing,
        right,
        evidence,
        events,
    } = records;
    let c = case.ok_or(Error::NotFound)?;
    let snapshot: Option<Snapshot> = c
        .snapshot
        .as_deref()
        .and_then(|s| serde_json::from_str(s).ok());
    let current: Option<Snapshot> = listing
        .as_ref()
        .and_then(|l| serde_json::from_str(&l.snapshot).ok());
    let ip_right = right.map(|r| IpRightRef {
        id: r.id,
        kind: r.kind,
        registration_number: r.registration_number,
        jurisdiction: r.jurisdiction,
    });
    let evidence_files = evidence
        .into_iter()
        .map(|f| FileView {
            url: format!(
                "/api/v1/brands/{brand_id}/cases/{case_id}/evidence/{}",
                f.id
            ),
            name: f.name,
            content_type: f.content_type,
        })
        .collect();
    let events = events.into_iter().map(event_view).collect();
    Ok(CaseView {
        overdue: is_overdue(c.status, c.deadline_at, now),
        allowed: commands(actor, brand_id, c.status),
        appeal: c
            .appeal
            .as_deref()
            .and_then(|a| serde_json::from_str::<Appeal>(a).ok())
            .map(|a| AppealView {
                appeal_id: a.appeal_id,
                seller_name: a.seller.name,
                statement: a.statement,
                evidence_urls: a.evidence_urls,
            }),
        current: current.filter(|cur| Some(cur) != snapshot.as_ref()),
        listing_removed: listing.is_some_and(|l| l.removed_at.is_some()),
        detection: c
            .detection
            .as_deref()
            .and_then(|d| serde_json::from_str(d).ok()),
        evidence_urls: serde_json::from_str(&c.evidence_urls).unwrap_or_default(),
        lane: c.lane.as_deref().map(|l| {
            if l == "auto" {
                Lane::Auto
            } else {
                Lane::Review
            }
        }),
        origin: if c.origin == "detection" {
            Origin::Detection
        } else {
            Origin::Report
        },
        id: c.id,
        brand_id: c.brand_id,
        brand_name: c.brand_name,
        listing_id: c.listing_id,
        status: c.status,
        ip_right,
        reason_code: c.reason_code,
        statement: c.statement,
        evidence_files,
        snapshot,
        deadline_at: c.deadline_at,
        events,
        created_at: c.created_at,
        updated_at: c.updated_at,
    })
}

/// An event as the case file shows it, from the history's typed columns as stored. A row from
/// before migration 0006 not yet backfilled (its kind NULL), or one the backfill could not tell
/// (`unknown`), has an empty `actor_kind` and shows its label (`actor`) as it is.
fn event_view(e: sql::EventRecord) -> CaseEventView {
    let kind = e.actor_kind.as_deref().and_then(history::ActorKind::parse);
    CaseEventView {
        seq: e.seq,
        kind: e.kind,
        from_status: e.from_status,
        to_status: e.to_status,
        actor: e.actor_label,
        actor_kind: kind.map(|k| k.as_str().to_owned()).unwrap_or_default(),
        actor_name: e.actor_name,
        actor_brand: kind.and(e.on_behalf_of),
        note_args: e
            .note_args
            .as_deref()
            .filter(|_| e.note_code.is_some())
            .and_then(|a| serde_json::from_str(a).ok())
            .unwrap_or_default(),
        note_code: e.note_code,
        note: e.note,
        at: e.at,
    }
}

pub async fn evidence_file<D: Db>(
    deps: &Deps<'_, D>,
    files: &impl FileStore,
    actor: &Actor,
    brand_id: BrandId,
    case_id: CaseId,
    file_id: FileId,
) -> Result<FileBody> {
    access::authorize(actor, brand_id, Action::ViewBrand)?;
    let f = sql::evidence(deps.db, brand_id, case_id)
        .await?
        .into_iter()
        .find(|f| f.id == file_id)
        .ok_or(Error::NotFound)?;
    let bytes = files
        .get(&file_key(brand_id, &f.sha256))
        .await?
        .ok_or(Error::NotFound)?;
    Ok((bytes, f.content_type, f.name))
}

/// Staff queues: cases in one status across the brands the staff member looks after.
pub async fn staff_queue<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    status: Status,
) -> Result<CaseQueue> {
    let scope = staff_scope(actor)?;
    let now = deps.clock.now();
    let rows = sql::staff_queue(deps.db, status, scope, 200).await?;
    Ok(CaseQueue {
        cases: rows.into_iter().map(|r| summary(r, now)).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn searching(q: &str) -> Result<sql::CaseFilter> {
        case_filter(&CaseQuery {
            q: Some(q.to_owned()),
            ..CaseQuery::default()
        })
    }

    /// Found by the `case_search` fuzz target: a NUL made the FTS5 phrase unterminated.
    #[test]
    fn a_search_with_control_characters_is_refused_400() {
        for q in ["\u{12}\0\0rossbody", "ab\0", "Aurelia\tbag", "\u{7f}x"] {
            match searching(q) {
                Err(Error::Invalid { field, why }) => {
                    assert_eq!(field, "q");
                    assert_eq!(why, Reason::ControlCharacters.into(), "{q:?}");
                }
                other => panic!("{q:?}: {other:?}"),
            }
        }
        // Spaces around the search are no part of it.
        let f = searching("  Mini \"Crossbody\"\n").unwrap();
        assert_eq!(f.fts.as_deref(), Some("\"Mini \"\"Crossbody\"\"\""));
        assert_eq!(searching("ab").unwrap().substring.as_deref(), Some("ab"));
    }
}
