//! Case use cases, one file per capability; this module holds what they share and re-exports them.

mod dashboard;
mod decisions;
mod filing;
mod portfolio;
mod queries;
mod rights;
mod search;
mod standing;
pub(crate) mod transitions;

pub use dashboard::{
    brand_dashboard, week_start, DASHBOARD_WEEKS, DUE_SOON, REPEAT_TAKEDOWNS, SELLER_WINDOW,
    TOP_SELLERS, WEEK,
};
pub use decisions::{decide, decide_many, Decision, MAX_DECISIONS};
pub use filing::{
    batch_file, bulk_file, bulk_template, check_report, file_report, is_note,
    report_from_multipart, single_file, BulkChecked, BulkRecords, Ports, BULK_COLUMNS,
    MAX_BATCH_LISTINGS, MAX_BULK_ROWS, TEMPLATE_LISTING,
};
pub use portfolio::{portfolio, PortfolioQuery, PORTFOLIO_PAGE_MAX};
pub(crate) use queries::cursor_after;
pub use queries::{
    case_file, case_filter, evidence_file, export_cases, list_cases, staff_queue, CaseQuery,
};
pub use rights::{
    certificate, create_ip_right, list_ip_rights, pending_rights, review_ip_right,
    upload_certificate,
};
pub use search::{search_listings, ListingSearchQuery, SEARCH_LIMIT, SEARCH_PAGE, SEARCH_WINDOW};
pub use standing::{brand_stats, standing_of};
pub use transitions::{
    action_stmt, apply_transition, deadline_for, APPEAL_WINDOW, CONFIRM_DEADLINE, REPEAT_THRESHOLD,
    REPEAT_WINDOW, REVIEW_SLA,
};

use crate::access::{self, Actor, Capacity, StaffArea};
use crate::api::*;
use crate::case::{Origin, Status};
use crate::clock::Millis;
use crate::ids::IpRightId;
use crate::reasons::Reason;
use crate::sql::CaseRow;
use crate::types::StaffRole;
use crate::{Error, Result};

pub const MIN_STATEMENT_CHARS: usize = 20;
pub const MAX_EVIDENCE_URLS: usize = 10;

// ---------------------------------------------------------------- validated inputs

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReasonCode {
    Counterfeit,
    TrademarkMisuse,
    Copyright,
    DesignRight,
    Patent,
}

impl ReasonCode {
    pub const ALL: [ReasonCode; 5] = [
        ReasonCode::Counterfeit,
        ReasonCode::TrademarkMisuse,
        ReasonCode::Copyright,
        ReasonCode::DesignRight,
        ReasonCode::Patent,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonCode::Counterfeit => "counterfeit",
            ReasonCode::TrademarkMisuse => "trademark_misuse",
            ReasonCode::Copyright => "copyright",
            ReasonCode::DesignRight => "design_right",
            ReasonCode::Patent => "patent",
        }
    }
    /// What the code means, in the API's English (the bulk template's notes say it).
    pub fn meaning(self) -> &'static str {
        match self {
            ReasonCode::Counterfeit => "the goods are fakes of the brand's genuine product",
            ReasonCode::TrademarkMisuse => {
                "the listing uses the brand's name or logo without permission"
            }
            ReasonCode::Copyright => "the listing copies protected work such as photos or texts",
            ReasonCode::DesignRight => "the product copies a registered design",
            ReasonCode::Patent => "the product uses a patented invention",
        }
    }
    pub fn parse(raw: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == raw.trim())
            .ok_or_else(|| Error::invalid("reason_code", Reason::ReasonCodes))
    }
}

/// The jurisdiction a listing's currency points to: the one rule the confirmation queue
/// preselects a right by (CNY→CN, EUR→EU, USD→US, GBP→GB; any other currency points nowhere).
pub fn currency_jurisdiction(currency: &str) -> Option<&'static str> {
    match currency.trim().to_ascii_uppercase().as_str() {
        "CNY" => Some("CN"),
        "EUR" => Some("EU"),
        "USD" => Some("US"),
        "GBP" => Some("GB"),
        _ => None,
    }
}

/// The right to preselect for a listing priced in `currency`: the brand's one usable right in
/// the jurisdiction the currency points to; None when the currency points nowhere or no usable
/// right, or more than one, is there (then the person chooses: a guess could invoke the wrong
/// right).
pub fn preselected_right(currency: Option<&str>, rights: &[IpRightView]) -> Option<IpRightId> {
    let jurisdiction = currency_jurisdiction(currency?)?;
    let mut there = rights
        .iter()
        .filter(|r| r.usable && r.jurisdiction.trim().eq_ignore_ascii_case(jurisdiction));
    match (there.next(), there.next()) {
        (Some(only), None) => Some(only.id),
        _ => None,
    }
}

pub const RIGHT_KINDS: [&str; 4] = ["trademark", "copyright", "design_right", "patent"];

fn text(raw: &str, field: &str, max: usize) -> Result<String> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(Error::invalid(field, Reason::Empty));
    }
    if s.chars().count() > max {
        return Err(Error::invalid(field, Reason::TooLong { max }));
    }
    Ok(s.to_owned())
}

fn optional_text(raw: Option<&str>, field: &str, max: usize) -> Result<Option<String>> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => text(s, field, max).map(Some),
    }
}

fn statement(raw: &str) -> Result<String> {
    let s = raw.trim();
    if s.chars().count() < MIN_STATEMENT_CHARS {
        return Err(Error::invalid(
            "statement",
            Reason::TooShort {
                min: MIN_STATEMENT_CHARS,
            },
        ));
    }
    text(s, "statement", 5000)
}

fn evidence_urls(urls: &[String]) -> Result<Vec<String>> {
    if urls.len() > MAX_EVIDENCE_URLS {
        return Err(Error::invalid(
            "evidence_urls",
            Reason::TooManyLinks {
                max: MAX_EVIDENCE_URLS,
            },
        ));
    }
    urls.iter()
        .map(|u| u.trim())
        .filter(|u| !u.is_empty())
        .map(|u| {
            // Read by the same WHATWG rules as every other address a person gives.
            let ok = (u.starts_with("https://") || u.starts_with("http://"))
                && u.len() <= 2000
                && !u.contains(char::is_whitespace)
                && url::Url::parse(u).is_ok_and(|parsed| {
                    matches!(parsed.scheme(), "http" | "https")
                        && parsed.host_str().is_some_and(|h| !h.is_empty())
                });
            if ok {
                Ok(u.to_owned())
            } else {
                // Only the start of a long link is said back.
                Err(Error::invalid(
                    "evidence_urls",
                    Reason::NotALink {
                        link: format!("{u:.60}"),
                    },
                ))
            }
        })
        .collect()
}

// ---------------------------------------------------------------- shared pieces

/// How an actor is named in the case history's English label: "Marco Bianchi (account manager)
/// for Aurelia" (the history's typed columns come from the same `Mover`).
pub fn actor_label(actor: &Actor, capacity: Capacity, brand_name: &str) -> String {
    Mover::of(actor, capacity, brand_name).label()
}

/// Who moves a case, as the history records it.
pub use crate::history::Mover;

fn is_overdue(status: Status, deadline_at: Option<Millis>, now: Millis) -> bool {
    status.is_open() && status != Status::TakenDown && deadline_at.is_some_and(|d| d <= now)
}

/// What a list shows of a listing's snapshot: its price and picture, the rest skipped unread.
#[derive(serde::Deserialize)]
struct SnapshotFace {
    price: crate::listing::Price,
    #[serde(default)]
    image_url: Option<String>,
}

fn summary(r: CaseRow, now: Millis) -> CaseSummary {
    let snapshot: Option<SnapshotFace> = r
        .snapshot
        .as_deref()
        .and_then(|s| serde_json::from_str(s).ok());
    CaseSummary {
        overdue: is_overdue(r.status, r.deadline_at, now),
        image_url: snapshot.as_ref().and_then(|s| s.image_url.clone()),
        price: snapshot.map(|s| s.price),
        detection: r
            .detection
            .as_deref()
            .and_then(|d| serde_json::from_str(d).ok()),
        id: r.id,
        brand_id: r.brand_id,
        brand_name: r.brand_name,
        listing_id: r.listing_id,
        title: r.title,
        seller_id: r.seller_id,
        seller_name: r.seller_name,
        origin: if r.origin == "detection" {
            Origin::Detection
        } else {
            Origin::Report
        },
        status: r.status,
        version: r.version,
        reason_code: r.reason_code,
        right_number: r.ip_right_number,
        deadline_at: r.deadline_at,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

pub fn case_summary_of_row(r: &CaseRow, now: Millis) -> CaseSummary {
    summary(r.clone(), now)
}

/// A stored file: its bytes, content type and name.
pub type FileBody = (Vec<u8>, String, String);

/// The brands a staff member looks after, as a JSON array for SQL (None: every brand).
fn staff_scope(actor: &Actor) -> Result<Option<String>> {
    match access::authorize_staff(actor, StaffArea::Manager)? {
        StaffRole::Operator => Ok(None),
        StaffRole::AccountManager => {
            let ids = match actor {
                Actor::Person(p) => p.managed_brands.clone(),
                _ => Vec::new(),
            };
            serde_json::to_string(&ids).map(Some).map_err(Error::from)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{currency_jurisdiction, preselected_right};
    use crate::api::IpRightView;
    use crate::ids::IpRightId;

    fn right(n: u8, kind: &str, jurisdiction: &str, usable: bool) -> IpRightView {
        IpRightView {
            id: IpRightId(uuid::Uuid::from_bytes([n; 16])),
            kind: kind.into(),
            registration_number: format!("TM-{n}"),
            jurisdiction: jurisdiction.into(),
            classes: String::new(),
            owner: "Aurelia SA".into(),
            expires_at: None,
            status: if usable { "verified" } else { "pending" }.into(),
            review_note: None,
            certificate: None,
            usable,
            created_at: 0,
        }
    }

    #[test]
    fn a_currency_points_to_one_jurisdiction_or_none() {
        let pairs = [("CNY", "CN"), ("EUR", "EU"), ("USD", "US"), ("GBP", "GB")];
        for (currency, jurisdiction) in pairs {
            assert_eq!(currency_jurisdiction(currency), Some(jurisdiction));
        }
        assert_eq!(currency_jurisdiction(" cny "), Some("CN"));
        for other in ["JPY", "HKD", "", "EU"] {
            assert_eq!(currency_jurisdiction(other), None, "{other}");
        }
    }

    #[test]
    fn the_right_is_preselected_only_when_exactly_one_usable_right_is_there() {
        let eu = right(1, "trademark", "EU", true);
        let cn = right(2, "trademark", "CN", true);
        let rights = vec![eu.clone(), cn.clone()];
        // The case of issue #15: a CN¥ listing gets the Chinese right, not the first one listed.
        assert_eq!(preselected_right(Some("CNY"), &rights), Some(cn.id));
        assert_eq!(preselected_right(Some("EUR"), &rights), Some(eu.id));
        // No right there, an unknown currency or no price: nothing is chosen for the person.
        assert_eq!(preselected_right(Some("USD"), &rights), None);
        assert_eq!(preselected_right(Some("JPY"), &rights), None);
        assert_eq!(preselected_right(None, &rights), None);
        // Two usable rights there: a guess could be wrong, so nothing.
        let two = vec![eu.clone(), right(3, "design_right", "eu", true)];
        assert_eq!(preselected_right(Some("EUR"), &two), None);
        // A right that may not be invoked does not count, either way.
        let one_usable = vec![eu.clone(), right(4, "trademark", "EU", false)];
        assert_eq!(preselected_right(Some("EUR"), &one_usable), Some(eu.id));
        assert_eq!(
            preselected_right(Some("CNY"), &[right(5, "trademark", "CN", false)]),
            None
        );
    }

    /// Where a line names the module `marketplace` in a path (`crate::marketplace`,
    /// `super::marketplace::X`, `use crate::{marketplace, …}` on one line or many), comments left
    /// out; the word in prose or a string ("the marketplace has…") and `Marketplace` (the port
    /// trait) are not paths.
    fn names_marketplace_module(line: &str) -> bool {
        let code = line.split("//").next().unwrap_or("");
        let word = "marketplace";
        let is_ident = |c: char| c.is_alphanumeric() || c == '_';
        code.match_indices(word).any(|(at, _)| {
            let before = code[..at].trim_end();
            let after = code[at + word.len()..].trim_start();
            let whole =
                !code[..at].ends_with(is_ident) && !code[at + word.len()..].starts_with(is_ident);
            whole
                && (before.ends_with("::")
                    || before.ends_with('{')
                    || before.is_empty() && after.starts_with([',', '}'])
                    || after.starts_with("::"))
        })
    }

    #[test]
    fn the_detector_sees_a_use_of_marketplace() {
        for bad in [
            "use crate::marketplace::Appeal;",
            "        .and_then(|a| serde_json::from_str::<crate::marketplace::Appeal>(a).ok())",
            "use crate::{marketplace, sql};",
            "    marketplace,",
            "let x = super::super::marketplace::parse(b);",
        ] {
            assert!(names_marketplace_module(bad), "{bad}");
        }
        for fine in [
            "use crate::ports::{FileStore, Lookup, Marketplace, Settings};",
            "\"The marketplace has no listing {}.\",",
            "/// The payload of an action for the marketplace, and its outbox row.",
            "let x = 1; // see crate::marketplace",
        ] {
            assert!(!names_marketplace_module(fine), "{fine}");
        }
    }

    /// `marketplace` uses cases/ (it applies transitions from `cases::transitions`), never the
    /// reverse: no file of cases/ may name `crate::marketplace`, or the cycle is back.
    #[test]
    fn cases_never_use_marketplace() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/cases");
        let mut read = Vec::new();
        for entry in std::fs::read_dir(&dir).expect("core/src/cases/ is readable") {
            let path = entry.expect("a directory entry").path();
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let source = std::fs::read_to_string(&path).expect("a source file");
            for (n, line) in source.lines().enumerate() {
                // This test's own examples name the module on purpose.
                if line.contains("names_marketplace_module(") || line.trim_start().starts_with('"')
                {
                    continue;
                }
                assert!(
                    !names_marketplace_module(line),
                    "{}:{}: cases/ must not use crate::marketplace (marketplace uses cases, never \
                     the reverse; move what is needed below both): {line}",
                    path.display(),
                    n + 1
                );
            }
            read.push(path.file_name().unwrap().to_string_lossy().into_owned());
        }
        read.sort();
        assert!(
            read.contains(&"mod.rs".to_owned()) && read.contains(&"transitions.rs".to_owned()),
            "read {read:?}"
        );
    }
}
