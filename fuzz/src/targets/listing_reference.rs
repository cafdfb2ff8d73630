//! A listing as a person types it: its id, or its marketplace URL.

use crate::LISTING_URL_PREFIX;
use jf_core::listing::ListingId;

pub fn listing_reference(data: &[u8]) {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let plain = ListingId::parse(raw);
    let Ok(id) = ListingId::from_reference(raw, LISTING_URL_PREFIX) else {
        assert!(plain.is_err(), "an id is a reference: {raw:?}");
        return;
    };
    let s = id.as_str();
    assert!(
        (1..=64).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
        "{raw:?} read as {s:?}"
    );
    if let Ok(plain) = plain {
        assert_eq!(plain, id, "an id reads as itself");
        assert_eq!(s, raw.trim());
    } else {
        assert!(raw.trim().starts_with(LISTING_URL_PREFIX), "{raw:?}");
    }
    // The id, its URL and its JSON all read back as the same listing.
    assert_eq!(ListingId::parse(s).ok().as_ref(), Some(&id));
    let url = format!("{LISTING_URL_PREFIX}{s}");
    assert_eq!(
        ListingId::from_reference(&url, LISTING_URL_PREFIX)
            .ok()
            .as_ref(),
        Some(&id)
    );
    let json = serde_json::to_string(&id).unwrap_or_default();
    assert_eq!(serde_json::from_str::<ListingId>(&json).ok(), Some(id));
}
