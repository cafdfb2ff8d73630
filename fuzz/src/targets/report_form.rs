//! A report as the Worker reads it: a JSON body (`{` first) into `ReportRequest`, or a
//! multipart form's parts as workerd's `FormData` hands them over, then the report's own checks.
//!
//! The multipart bytes themselves are parsed by workerd, not by JointForce; the input here is
//! the parts it yields, written as text: parts separated by a line `--`, each a first line
//! `name` or `name;filename` followed by the part's bytes.

use crate::LISTING_URL_PREFIX;
use jf_core::api::{parse_json, ReportRequest};
use jf_core::cases::{check_report, report_from_multipart, MAX_EVIDENCE_URLS, MIN_STATEMENT_CHARS};
use jf_core::files::MAX_EVIDENCE_FILES;
use jf_core::form::Part;
use jf_core::listing::ListingId;
use jf_core::ports::Settings;

/// The names the report route's form reads (`form_names` in worker/src/guard.rs), in its order.
const FORM_NAMES: [&str; 7] = [
    "listing",
    "ip_right_id",
    "reason_code",
    "statement",
    "evidence_urls",
    "good_faith",
    "evidence",
];

fn split<'a>(data: &'a [u8], separator: &[u8]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut rest = data;
    while let Some(at) = rest.windows(separator.len()).position(|w| w == separator) {
        out.push(&rest[..at]);
        rest = &rest[at + separator.len()..];
    }
    out.push(rest);
    out
}

/// The parts the Worker would read: only the route's names, grouped by name in its order.
fn parts(data: &[u8]) -> Vec<Part> {
    let mut parts: Vec<(usize, Part)> = split(data, b"\n--\n")
        .into_iter()
        .filter_map(|section| {
            let (head, body) = match section.iter().position(|b| *b == b'\n') {
                Some(at) => (&section[..at], &section[at + 1..]),
                None => (section, &[][..]),
            };
            let head = String::from_utf8_lossy(head);
            let (name, filename) = match head.split_once(';') {
                Some((name, file)) => (name, Some(file.to_owned())),
                None => (&*head, None),
            };
            let order = FORM_NAMES.iter().position(|n| *n == name)?;
            Some((
                order,
                Part {
                    name: name.to_owned(),
                    filename,
                    data: body.to_vec(),
                },
            ))
        })
        .collect();
    parts.sort_by_key(|(order, _)| *order);
    parts.into_iter().map(|(_, p)| p).collect()
}

fn checked(req: &ReportRequest) {
    let settings = Settings {
        listing_url_prefix: LISTING_URL_PREFIX.into(),
    };
    let Ok((listing, reason, statement, urls)) = check_report(req, &settings) else {
        return;
    };
    assert!(req.good_faith, "a report is made in good faith");
    assert_eq!(ListingId::parse(listing.as_str()).ok(), Some(listing));
    assert_eq!(reason.as_str(), req.reason_code.trim());
    assert!(statement.chars().count() >= MIN_STATEMENT_CHARS);
    assert_eq!(statement, statement.trim());
    assert!(urls.len() <= MAX_EVIDENCE_URLS);
    for url in urls {
        assert!(
            (url.starts_with("https://") || url.starts_with("http://"))
                && !url.contains(char::is_whitespace),
            "{url:?}"
        );
    }
}

pub fn report_form(data: &[u8]) {
    if data.first() == Some(&b'{') {
        let Ok(req) = parse_json::<ReportRequest>(data) else {
            return;
        };
        // What the API reads, written back, reads the same.
        let written = serde_json::to_vec(&req).unwrap_or_default();
        let again: ReportRequest =
            parse_json(&written).unwrap_or_else(|e| panic!("a written report is refused: {e:?}"));
        assert_eq!(
            serde_json::to_value(&again).ok(),
            serde_json::to_value(&req).ok()
        );
        return checked(&req);
    }
    let parts = parts(data);
    let Ok((req, files)) = report_from_multipart(&parts) else {
        return;
    };
    assert!(files.len() <= MAX_EVIDENCE_FILES);
    for file in &files {
        assert!(
            !file.name.is_empty()
                && file.name.chars().count() <= 200
                && !file
                    .name
                    .contains(|c: char| c.is_control() || c == '/' || c == '\\'),
            "{:?}",
            file.name
        );
    }
    assert!(req
        .evidence_urls
        .iter()
        .all(|u| !u.is_empty() && !u.contains(char::is_whitespace)));
    checked(&req);
}
