//! A bulk report file: the CSV reader (what it reads, written back by the export writer, reads
//! the same), then the file's and every row's checks against a brand's rights.

use crate::LISTING_URL_PREFIX;
use jf_core::cases::BulkRecords;
use jf_core::csv;
use jf_core::ids::{BrandId, IpRightId};
use jf_core::listing::ListingId;
use jf_core::ports::Settings;
use jf_core::reasons::RowProblem;
use jf_core::sql::IpRightRecord;
use std::collections::HashSet;

/// Noon of 2027-01-15 (UTC): the rights below are judged at this moment.
const NOW: i64 = 1_800_000_000_000;

fn right(n: u128, number: &str, status: &str, expires_at: Option<i64>) -> IpRightRecord {
    IpRightRecord {
        id: IpRightId(uuid::Uuid::from_u128(n)),
        brand_id: BrandId(uuid::Uuid::from_u128(1)),
        kind: "trademark".into(),
        registration_number: number.into(),
        jurisdiction: "EU".into(),
        classes: "18, 25".into(),
        owner: "Aurelia S.p.A.".into(),
        expires_at,
        certificate_sha256: None,
        certificate_name: None,
        certificate_type: None,
        status: status.into(),
        review_note: None,
        created_at: NOW - 86_400_000,
    }
}

/// A brand's rights of every standing: verified, pending, verified but expired.
fn rights() -> Vec<IpRightRecord> {
    vec![
        right(10, "EU-018273645", "verified", None),
        right(11, "US-5551234", "pending", None),
        right(12, "UK-00003141592", "verified", Some(NOW - 1)),
    ]
}

/// How the export writer changes a cell: text that starts like a formula gets a `'`.
fn neutralised(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

pub fn bulk_csv(data: &[u8]) {
    if let Ok(records) = csv::parse(data) {
        assert!(
            records.windows(2).all(|w| w[0].0 < w[1].0),
            "records start on increasing lines: {records:?}"
        );
        // Written back as an export writes (a BOM first, so a cell's own BOM stays a cell's).
        let mut written = String::from("\u{feff}");
        for (_, record) in &records {
            let cells: Vec<&str> = record.iter().map(String::as_str).collect();
            written.push_str(&csv::row(&cells));
        }
        let again = csv::parse(written.as_bytes())
            .unwrap_or_else(|e| panic!("the writer's CSV is refused ({e:?}): {written:?}"));
        let expected: Vec<Vec<String>> = records
            .iter()
            .map(|(_, r)| r.iter().map(|c| neutralised(c)).collect())
            .collect();
        let read: Vec<Vec<String>> = again.into_iter().map(|(_, r)| r).collect();
        assert_eq!(read, expected, "written back: {written:?}");
    }

    let Ok(file) = BulkRecords::read(data) else {
        return;
    };
    let settings = Settings {
        listing_url_prefix: LISTING_URL_PREFIX.into(),
    };
    let checked = file
        .check(&rights(), &settings, NOW)
        .unwrap_or_else(|e| panic!("a row check failed other than by refusing the row: {e:?}"));
    let lines: HashSet<usize> = file.rows().iter().map(|(line, _)| *line).collect();
    assert!(
        checked.problems().iter().all(|(l, _)| lines.contains(l)),
        "every problem is on a row's line"
    );
    // A repeated listing is the file's problem (it refuses the file), not its row's.
    let refused: HashSet<usize> = checked
        .problems()
        .iter()
        .filter(|(_, p)| !matches!(p, RowProblem::DuplicateListing { .. }))
        .map(|(l, _)| *l)
        .collect();
    let passed: Vec<&ListingId> = checked.listings().collect();
    assert_eq!(
        passed.len(),
        lines.len() - refused.len(),
        "a row passes exactly when it has no problem of its own"
    );
    let repeats = checked
        .problems()
        .iter()
        .filter(|(_, p)| matches!(p, RowProblem::DuplicateListing { .. }))
        .count();
    let named_again: usize = checked.lines_of().values().map(|on| on.len() - 1).sum();
    assert_eq!(
        repeats, named_again,
        "each repeat of a listing is a problem"
    );
    for listing in passed {
        assert_eq!(
            ListingId::parse(listing.as_str()).ok().as_ref(),
            Some(listing),
            "a filed listing is a listing id"
        );
        assert!(checked.lines_of().contains_key(listing.as_str()));
    }
    for (listing, on) in checked.lines_of() {
        assert!(ListingId::parse(listing).is_ok(), "{listing:?}");
        assert!(on.windows(2).all(|w| w[0] < w[1]) && on.iter().all(|l| lines.contains(l)));
    }
}
