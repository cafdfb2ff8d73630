//! Standard Webhooks signatures (https://www.standardwebhooks.com): HMAC-SHA256 over
//! "id.timestamp.body", sent as `webhook-signature: v1,<base64>`, secrets as `whsec_<base64>`.

use crate::{Error, Result};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How far a signed timestamp may be from the real wall clock, either way.
pub const TOLERANCE_SECS: i64 = 5 * 60;

#[derive(Clone)]
pub struct Secret(Vec<u8>);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl Secret {
    pub fn parse(raw: &str) -> Result<Self> {
        let b64 = raw.trim().strip_prefix("whsec_").unwrap_or(raw.trim());
        let bytes = STANDARD
            .decode(b64)
            .map_err(|e| Error::internal_from("webhook secret is not whsec_<base64>", e))?;
        if bytes.is_empty() {
            return Err(Error::internal("webhook secret is empty"));
        }
        Ok(Secret(bytes))
    }

    pub fn from_bytes(bytes: &[u8]) -> Self {
        Secret(bytes.to_vec())
    }

    /// The `whsec_…` form, shown once to whoever registers an endpoint.
    pub fn encoded(&self) -> String {
        format!("whsec_{}", STANDARD.encode(&self.0))
    }

    fn mac(&self, id: &str, timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
        // HMAC accepts keys of any length, so this cannot fail.
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.0).unwrap_or_else(|_| unreachable!());
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        mac
    }

    /// The `webhook-signature` header value for a message.
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        format!(
            "v1,{}",
            STANDARD.encode(self.mac(id, timestamp, body).finalize().into_bytes())
        )
    }
}

/// Why a delivery was refused (all answer 401).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    MissingHeaders,
    BadTimestamp,
    Stale,
    BadSignature,
}

impl Rejection {
    pub fn message(self) -> &'static str {
        match self {
            Rejection::MissingHeaders => {
                "webhook-id, webhook-timestamp and webhook-signature are required"
            }
            Rejection::BadTimestamp => "webhook-timestamp must be whole seconds since the epoch",
            Rejection::Stale => "webhook-timestamp is more than 5 minutes from now",
            Rejection::BadSignature => "no signature matches",
        }
    }
}

/// Verifies a delivery against the real wall clock (`now_secs`); any one `v1,` signature in the
/// space-separated header may match (senders rotating secrets send several).
pub fn verify(
    secret: &Secret,
    id: Option<&str>,
    timestamp: Option<&str>,
    signatures: Option<&str>,
    body: &[u8],
    now_secs: i64,
) -> std::result::Result<(), Rejection> {
    let (Some(id), Some(timestamp), Some(signatures)) = (id, timestamp, signatures) else {
        return Err(Rejection::MissingHeaders);
    };
    if id.is_empty() {
        return Err(Rejection::MissingHeaders);
    }
    let ts: i64 = timestamp
        .trim()
        .parse()
        .map_err(|_| Rejection::BadTimestamp)?;
    // `abs_diff` cannot overflow, so an extreme timestamp (i64::MIN) is stale, never a panic.
    if now_secs.abs_diff(ts) > TOLERANCE_SECS.unsigned_abs() {
        return Err(Rejection::Stale);
    }
    let matches = signatures
        .split_whitespace()
        .filter_map(|s| s.strip_prefix("v1,"))
        .any(|b64| {
            STANDARD
                .decode(b64)
                .is_ok_and(|sig| secret.mac(id, ts, body).verify_slice(&sig).is_ok())
        });
    if matches {
        Ok(())
    } else {
        Err(Rejection::BadSignature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The example published with the Standard Webhooks specification's reference libraries.
    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const TS: i64 = 1614265330;
    const BODY: &[u8] = br#"{"test": 2432232314}"#;
    const SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    #[test]
    fn the_published_example_verifies() {
        let secret = Secret::parse(SECRET).unwrap();
        assert_eq!(secret.sign(ID, TS, BODY), SIGNATURE);
        assert_eq!(
            verify(
                &secret,
                Some(ID),
                Some("1614265330"),
                Some(SIGNATURE),
                BODY,
                TS + 10
            ),
            Ok(())
        );
        // Several signatures: one match is enough.
        let several = format!("v1,bm90IGl0 {SIGNATURE}");
        assert_eq!(
            verify(
                &secret,
                Some(ID),
                Some("1614265330"),
                Some(&several),
                BODY,
                TS
            ),
            Ok(())
        );
        assert_eq!(secret.encoded(), SECRET);
    }

    #[test]
    fn forgeries_and_stale_messages_are_refused() {
        let secret = Secret::parse(SECRET).unwrap();
        let other = Secret::parse("whsec_b3RoZXItc2VjcmV0").unwrap();
        let ts = "1614265330";
        assert_eq!(
            verify(&other, Some(ID), Some(ts), Some(SIGNATURE), BODY, TS),
            Err(Rejection::BadSignature)
        );
        assert_eq!(
            verify(
                &secret,
                Some(ID),
                Some(ts),
                Some(SIGNATURE),
                b"{\"test\": 1}",
                TS
            ),
            Err(Rejection::BadSignature)
        );
        assert_eq!(
            verify(
                &secret,
                Some("msg_other"),
                Some(ts),
                Some(SIGNATURE),
                BODY,
                TS
            ),
            Err(Rejection::BadSignature)
        );
        assert_eq!(
            verify(&secret, Some(ID), Some(ts), Some("v1,AAAA"), BODY, TS),
            Err(Rejection::BadSignature)
        );
        assert_eq!(
            verify(&secret, Some(ID), Some(ts), Some("v2,xyz"), BODY, TS),
            Err(Rejection::BadSignature)
        );
        assert_eq!(
            verify(&secret, Some(ID), Some(ts), Some(SIGNATURE), BODY, TS + 301),
            Err(Rejection::Stale)
        );
        assert_eq!(
            verify(&secret, Some(ID), Some(ts), Some(SIGNATURE), BODY, TS - 301),
            Err(Rejection::Stale)
        );
        assert_eq!(
            verify(&secret, Some(ID), Some("soon"), Some(SIGNATURE), BODY, TS),
            Err(Rejection::BadTimestamp)
        );
        assert_eq!(
            verify(&secret, None, Some(ts), Some(SIGNATURE), BODY, TS),
            Err(Rejection::MissingHeaders)
        );
        assert_eq!(
            verify(&secret, Some(ID), None, Some(SIGNATURE), BODY, TS),
            Err(Rejection::MissingHeaders)
        );
        assert_eq!(
            verify(&secret, Some(ID), Some(ts), None, BODY, TS),
            Err(Rejection::MissingHeaders)
        );
    }

    #[test]
    fn extreme_timestamps_are_stale_not_a_panic() {
        let secret = Secret::parse(SECRET).unwrap();
        for (ts, now) in [
            (i64::MIN, TS),
            (i64::MAX, TS),
            (i64::MIN, i64::MAX),
            (i64::MAX, i64::MIN),
            (i64::MIN, 0),
        ] {
            let header = ts.to_string();
            let signature = secret.sign(ID, ts, BODY);
            assert_eq!(
                verify(
                    &secret,
                    Some(ID),
                    Some(&header),
                    Some(&signature),
                    BODY,
                    now
                ),
                Err(Rejection::Stale),
                "{ts} at {now}"
            );
        }
        assert_eq!(
            verify(
                &secret,
                Some(ID),
                Some("-9223372036854775808"),
                Some(SIGNATURE),
                BODY,
                TS
            ),
            Err(Rejection::Stale)
        );
        // One past i64's range does not parse at all.
        assert_eq!(
            verify(
                &secret,
                Some(ID),
                Some("-9223372036854775809"),
                Some(SIGNATURE),
                BODY,
                TS
            ),
            Err(Rejection::BadTimestamp)
        );
    }

    #[test]
    fn the_tolerance_is_inclusive_on_both_sides() {
        let secret = Secret::parse(SECRET).unwrap();
        let check = |now: i64| {
            verify(
                &secret,
                Some(ID),
                Some("1614265330"),
                Some(SIGNATURE),
                BODY,
                now,
            )
        };
        assert_eq!(check(TS + TOLERANCE_SECS), Ok(()));
        assert_eq!(check(TS - TOLERANCE_SECS), Ok(()));
        assert_eq!(check(TS + TOLERANCE_SECS + 1), Err(Rejection::Stale));
        assert_eq!(check(TS - TOLERANCE_SECS - 1), Err(Rejection::Stale));
    }
}
