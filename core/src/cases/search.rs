//! Finding infringements from the portal: a brand searches the marketplace's listings by words,
//! within a per-brand quota, and sees which of them it already has an open case for.

use crate::access::{self, Action, Actor};
use crate::api::{FoundListing, ListingSearch};
use crate::clock::{Millis, MINUTE};
use crate::identity::Deps;
use crate::ids::{BrandId, CaseId};
use crate::ports::{Marketplace, Search};
use crate::reasons::Reason;
use crate::sql;
use crate::store::{query, Db};
use crate::{Error, Result};
use serde::Deserialize;
use std::collections::HashMap;

/// Searches a brand may make in one window (every search asks the marketplace).
pub const SEARCH_LIMIT: i64 = 30;
pub const SEARCH_WINDOW: Millis = MINUTE;
/// Listings per page.
pub const SEARCH_PAGE: u32 = 20;
const MIN_WORDS_CHARS: usize = 2;
const MAX_WORDS_CHARS: usize = 200;
const MAX_CURSOR_CHARS: usize = 200;

/// The query string of a search: the words, and the marketplace's cursor for a later page.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListingSearchQuery {
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub cursor: Option<String>,
}

/// The words searched for: 2–200 characters, no control characters.
fn words(raw: Option<&str>) -> Result<String> {
    let s = raw.unwrap_or_default().trim();
    let chars = s.chars().count();
    if chars == 0 {
        return Err(Error::invalid("q", Reason::Empty));
    }
    if chars < MIN_WORDS_CHARS {
        return Err(Error::invalid(
            "q",
            Reason::TooShort {
                min: MIN_WORDS_CHARS,
            },
        ));
    }
    if chars > MAX_WORDS_CHARS {
        return Err(Error::invalid(
            "q",
            Reason::TooLong {
                max: MAX_WORDS_CHARS,
            },
        ));
    }
    if s.chars().any(char::is_control) {
        return Err(Error::invalid("q", Reason::ControlCharacters));
    }
    Ok(s.to_owned())
}

/// The marketplace's cursor, passed back as it gave it (only its size and characters checked).
fn cursor(raw: Option<&str>) -> Result<Option<String>> {
    match raw.filter(|c| !c.is_empty()) {
        None => Ok(None),
        Some(c) if c.chars().count() > MAX_CURSOR_CHARS || c.chars().any(char::is_control) => Err(
            Error::invalid("cursor", "is not a cursor this API gave out"),
        ),
        Some(c) => Ok(Some(c.to_owned())),
    }
}

/// Counts one search against the brand's quota and refuses it (429, with the wait) when over:
/// counted and read back in one statement, so parallel searches cannot all slip past the count.
/// The count lives in the throttle's table under `search:<brand id>` (a fixed window, purged
/// with the throttle's own rows once it has ended).
async fn count_search<D: Db>(deps: &Deps<'_, D>, brand_id: BrandId) -> Result<()> {
    let now = deps.clock.now();
    let key = format!("search:{brand_id}");
    let keys = serde_json::json!([[key, SEARCH_WINDOW]]).to_string();
    let rows: Vec<sql::ThrottleRecord> = query(deps.db, sql::count_attempt(&keys, now)).await?;
    if let Some(over) = rows
        .iter()
        .find(|r| r.key == key && r.attempts > SEARCH_LIMIT)
    {
        let wait = over.window_start + over.window_ms - now;
        return Err(Error::TooManySearches {
            // Rounded up: a client that waits this long is never refused again at once.
            retry_after_secs: ((wait + 999) / 1000).max(1),
        });
    }
    Ok(())
}

/// One page of the marketplace's listings matching the words, each with the brand's open case.
pub async fn search_listings<D: Db, M: Marketplace>(
    deps: &Deps<'_, D>,
    market: &M,
    actor: &Actor,
    brand_id: BrandId,
    q: &ListingSearchQuery,
) -> Result<ListingSearch> {
    access::authorize(actor, brand_id, Action::FileReport)?;
    let words = words(q.q.as_deref())?;
    let cursor = cursor(q.cursor.as_deref())?;
    sql::brand(deps.db, brand_id)
        .await?
        .ok_or(Error::NotFound)?;
    count_search(deps, brand_id).await?;
    let page = match market.search(&words, cursor.as_deref(), SEARCH_PAGE).await {
        Search::Found(page) => page,
        Search::Unavailable(_) => return Err(Error::MarketplaceUnavailable),
    };
    let ids: Vec<&str> = page
        .listings
        .iter()
        .map(|l| l.listing_id.as_str())
        .collect();
    // One query for the whole page.
    let open: HashMap<String, CaseId> =
        sql::open_cases_for_listings(deps.db, brand_id, serde_json::to_string(&ids)?)
            .await?
            .into_iter()
            .collect();
    let listings = page
        .listings
        .into_iter()
        .map(|s| FoundListing {
            open_case_id: open.get(&s.listing_id).copied(),
            listing_id: s.listing_id,
            url: s.url,
            title: s.title,
            image_url: s.image_url,
            price: s.price,
            seller: s.seller,
        })
        .collect();
    Ok(ListingSearch {
        listings,
        next_cursor: page.next_cursor,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_two_to_two_hundred_characters_chinese_counted_by_character() {
        assert_eq!(words(Some("  Aurelia tote ")).unwrap(), "Aurelia tote");
        assert_eq!(words(Some("手表")).unwrap(), "手表");
        let refused = |raw: Option<&str>| match words(raw) {
            Err(Error::Invalid { field, why }) => (field, why.reason().cloned()),
            other => panic!("{raw:?}: {other:?}"),
        };
        assert_eq!(refused(None), ("q".into(), Some(Reason::Empty)));
        assert_eq!(refused(Some("   ")), ("q".into(), Some(Reason::Empty)));
        assert_eq!(
            refused(Some("a")),
            ("q".into(), Some(Reason::TooShort { min: 2 }))
        );
        assert_eq!(
            refused(Some("表")),
            ("q".into(), Some(Reason::TooShort { min: 2 }))
        );
        let long = "包".repeat(201);
        assert_eq!(
            refused(Some(&long)),
            ("q".into(), Some(Reason::TooLong { max: 200 }))
        );
        assert!(words(Some(&"包".repeat(200))).is_ok());
        assert_eq!(
            refused(Some("bag\u{0}")),
            ("q".into(), Some(Reason::ControlCharacters))
        );
    }

    #[test]
    fn cursors_are_passed_back_as_given_within_bounds() {
        assert_eq!(cursor(None).unwrap(), None);
        assert_eq!(cursor(Some("")).unwrap(), None);
        assert_eq!(
            cursor(Some("MKT-100020")).unwrap().as_deref(),
            Some("MKT-100020")
        );
        assert!(cursor(Some(&"x".repeat(201))).is_err());
        assert!(cursor(Some("a\nb")).is_err());
    }
}
