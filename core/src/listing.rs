//! Listings on the marketplace: their ids, how brands refer to them (id or URL), the snapshot a
//! case keeps as evidence, and a seller's appeal as the marketplace sends it.

use crate::reasons::Reason;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// The marketplace's id of a listing.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ListingId(String);

fn is_marketplace_id(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl ListingId {
    pub fn parse(raw: &str) -> Result<Self> {
        let s = raw.trim();
        if !is_marketplace_id(s) {
            return Err(Error::invalid(
                "listing_id",
                "must be 1–64 letters, digits, '-' or '_'",
            ));
        }
        Ok(ListingId(s.to_owned()))
    }

    /// A listing as a brand gives it: the id itself, or the marketplace URL
    /// `{prefix}{listing_id}` (query and fragment ignored).
    pub fn from_reference(raw: &str, url_prefix: &str) -> Result<Self> {
        let s = raw.trim();
        if s.starts_with("http://") || s.starts_with("https://") {
            let rest = s.strip_prefix(url_prefix).ok_or_else(|| {
                Error::invalid(
                    "listing",
                    Reason::ListingReference {
                        prefix: url_prefix.to_owned(),
                    },
                )
            })?;
            let id = rest
                .split(['?', '#'])
                .next()
                .unwrap_or_default()
                .trim_end_matches('/');
            return ListingId::parse(id)
                .map_err(|_| Error::invalid("listing", Reason::ListingUrlId));
        }
        ListingId::parse(s).map_err(|_| Error::invalid("listing", Reason::ListingReferenceAny))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A seller on the marketplace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Seller {
    pub seller_id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Price {
    /// A decimal string, kept exactly as the marketplace sent it.
    pub amount: String,
    pub currency: String,
}

/// A seller's appeal of a takedown, as the marketplace sends it (`appeal.filed`); the case keeps it
/// as JSON and the case file shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Appeal {
    pub appeal_id: String,
    pub brand_ref: String,
    pub listing_id: String,
    pub seller: Seller,
    pub statement: String,
    pub evidence_urls: Vec<String>,
}

/// A listing as it looked at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Snapshot {
    pub listing_id: String,
    pub url: String,
    pub title: String,
    pub price: Price,
    #[serde(default)]
    pub image_url: Option<String>,
    pub seller: Seller,
}

impl Snapshot {
    /// Checks a snapshot received from the marketplace; the error names the field.
    pub fn validate(&self, field: &str) -> Result<()> {
        let bad = |name: &str, why: &str| Err(Error::invalid(format!("{field}.{name}"), why));
        if !is_marketplace_id(&self.listing_id) {
            return bad("listing_id", "must be 1–64 letters, digits, '-' or '_'");
        }
        if self.title.trim().is_empty() {
            return Err(Error::invalid(format!("{field}.title"), Reason::Empty));
        }
        let amount = self.price.amount.trim();
        let decimal = !amount.is_empty()
            && amount.chars().filter(|c| *c == '.').count() <= 1
            && amount.chars().all(|c| c.is_ascii_digit() || c == '.')
            && !amount.starts_with('.')
            && !amount.ends_with('.');
        if !decimal {
            return bad("price.amount", "must be a decimal string like \"129.00\"");
        }
        if self.price.currency.len() != 3
            || !self.price.currency.chars().all(|c| c.is_ascii_uppercase())
        {
            return bad("price.currency", "must be a three-letter currency code");
        }
        if !is_marketplace_id(&self.seller.seller_id) {
            return bad(
                "seller.seller_id",
                "must be 1–64 letters, digits, '-' or '_'",
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PREFIX: &str = "https://market.example/item/";

    #[test]
    fn references_are_ids_or_marketplace_urls() {
        assert_eq!(
            ListingId::from_reference("MKT-100001", PREFIX)
                .unwrap()
                .as_str(),
            "MKT-100001"
        );
        assert_eq!(
            ListingId::from_reference("https://market.example/item/MKT-100001?ref=x#top", PREFIX)
                .unwrap()
                .as_str(),
            "MKT-100001"
        );
        assert_eq!(
            ListingId::from_reference(" https://market.example/item/MKT-7/ ", PREFIX)
                .unwrap()
                .as_str(),
            "MKT-7"
        );
        for bad in [
            "",
            "https://evil.example/item/MKT-1",
            "https://market.example/item/",
            "MKT 1",
            "a/b",
            &"x".repeat(65),
        ] {
            assert!(ListingId::from_reference(bad, PREFIX).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn snapshots_are_checked_field_by_field() {
        let good = Snapshot {
            listing_id: "MKT-1".into(),
            url: "https://market.example/item/MKT-1".into(),
            title: "Bag".into(),
            price: Price {
                amount: "129.00".into(),
                currency: "EUR".into(),
            },
            image_url: None,
            seller: Seller {
                seller_id: "S-1".into(),
                name: "Shop".into(),
            },
        };
        assert!(good.validate("listing").is_ok());
        let mut bad = good.clone();
        bad.price.amount = "12,00".into();
        assert!(
            matches!(bad.validate("listing"), Err(Error::Invalid { field, .. }) if field == "listing.price.amount")
        );
        let mut bad = good;
        bad.price.currency = "euro".into();
        assert!(bad.validate("listing").is_err());
    }
}
