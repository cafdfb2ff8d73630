//! A marketplace webhook delivery: the Standard Webhooks signature check the Worker's guard runs
//! on the headers and the raw body, then the event envelope parse of the verified body.
//!
//! Input: three lines (`webhook-id`, `webhook-timestamp`, `webhook-signature`), then the body.
//! A signature line `sign` has the target sign the body with the secret itself, so the fuzzer
//! reaches the event parse; a line `-` is a missing header.

use jf_core::marketplace::{self, Event};
use jf_core::webhook::{verify, Rejection, Secret, TOLERANCE_SECS};

/// The simulator's development secret (`jf_simulator::DEV_SECRET`).
const SECRET: &str = "whsec_am9pbnRmb3JjZS1sb2NhbC1kZXYtc2VjcmV0LTAwMDE=";
/// The wall clock of every delivery here, in seconds.
pub const NOW_SECS: i64 = 1_800_000_000;

fn header(line: &[u8]) -> Option<String> {
    (line != b"-").then(|| String::from_utf8_lossy(line).into_owned())
}

pub fn webhook(data: &[u8]) {
    let mut lines = data.splitn(4, |b| *b == b'\n');
    let (Some(id), Some(timestamp), Some(signature)) = (lines.next(), lines.next(), lines.next())
    else {
        return;
    };
    let body = lines.next().unwrap_or_default();
    let Ok(secret) = Secret::parse(SECRET) else {
        panic!("the secret reads");
    };
    let (id, timestamp) = (header(id), header(timestamp));
    let parsed_ts = timestamp
        .as_deref()
        .and_then(|t| t.trim().parse::<i64>().ok());
    let self_signed = signature == b"sign";
    let signature = match (self_signed, parsed_ts) {
        (true, Some(ts)) => Some(secret.sign(id.as_deref().unwrap_or_default(), ts, body)),
        (true, None) => Some("v1,".to_owned()),
        (false, _) => header(signature),
    };
    let check = |body: &[u8], id: Option<&str>| {
        verify(
            &secret,
            id,
            timestamp.as_deref(),
            signature.as_deref(),
            body,
            NOW_SECS,
        )
    };
    let verdict = check(body, id.as_deref());
    let fresh = parsed_ts.is_some_and(|ts| NOW_SECS.abs_diff(ts) <= TOLERANCE_SECS as u64);
    let named = id.as_deref().is_some_and(|i| !i.is_empty());
    if self_signed && named && fresh {
        assert_eq!(
            verdict,
            Ok(()),
            "a delivery signed with the secret verifies"
        );
    }
    if verdict.is_err() {
        return;
    }
    assert!(named && fresh, "only a named, fresh delivery verifies");
    // The signature covers exactly these bytes and this id.
    let mut longer = body.to_vec();
    longer.push(b' ');
    assert_eq!(check(&longer, id.as_deref()), Err(Rejection::BadSignature));
    if let Some(first) = body.first() {
        let mut changed = body.to_vec();
        changed[0] = first ^ 1;
        assert_eq!(check(&changed, id.as_deref()), Err(Rejection::BadSignature));
    }
    let other_id = format!("{}x", id.as_deref().unwrap_or_default());
    assert_eq!(check(body, Some(&other_id)), Err(Rejection::BadSignature));

    let Ok((kind, event)) = marketplace::parse(body) else {
        return;
    };
    assert!(!kind.is_empty());
    assert_eq!(
        marketplace::parse(body).ok(),
        Some((kind.clone(), event.clone())),
        "parsing is deterministic"
    );
    let named_kind = match &event {
        Event::ListingFlagged {
            listing, detection, ..
        } => {
            assert!(listing.validate("data.listing").is_ok());
            assert!((0.0..=1.0).contains(&detection.score));
            "listing.flagged"
        }
        Event::ListingUpdated { listing } => {
            assert!(listing.validate("data.listing").is_ok());
            "listing.updated"
        }
        Event::ListingRemoved { reason, .. } => {
            assert!(["seller_deleted", "policy", "other"].contains(&reason.as_str()));
            "listing.removed"
        }
        Event::TakedownCompleted { .. } => "takedown.completed",
        Event::TakedownFailed { .. } => "takedown.failed",
        Event::AppealFiled(_) => "appeal.filed",
        Event::ShopVerified { .. } => "shop.verified",
        Event::Unknown(unknown) => {
            assert_eq!(unknown, &kind);
            return;
        }
    };
    assert_eq!(kind, named_kind);
}
