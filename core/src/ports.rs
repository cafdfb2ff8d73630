//! What the use cases need from outside the database: file storage and the marketplace.

use crate::listing::Snapshot;
use crate::Result;

/// Blob storage for uploaded files (KV in the Worker).
#[allow(async_fn_in_trait)]
pub trait FileStore {
    async fn put(&self, key: &str, bytes: &[u8]) -> Result<()>;
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>>;
}

/// The marketplace's answer to "what is this listing?".
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    Found(Snapshot),
    Unknown,
    /// Down, slow or answering nonsense: try again later.
    Unavailable(String),
}

/// One page of the marketplace's answer to "which listings match these words?".
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchPage {
    pub listings: Vec<Snapshot>,
    /// The marketplace's own cursor for the next page, passed back as it is.
    pub next_cursor: Option<String>,
}

/// The marketplace's answer to a search.
#[derive(Debug, Clone, PartialEq)]
pub enum Search {
    Found(SearchPage),
    /// Down, slow or answering nonsense: the brand is told to try again later.
    Unavailable(String),
}

/// The marketplace, as JointForce calls it.
#[allow(async_fn_in_trait)]
pub trait Marketplace {
    async fn lookup(&self, listing_id: &str) -> Lookup;
    /// Listings whose title, seller or brand contain the words of `q` (one page of `limit`,
    /// after `cursor`).
    async fn search(&self, q: &str, cursor: Option<&str>, limit: u32) -> Search;
    /// Delivers one action (an envelope, signed by the implementation); `Err` carries why not.
    async fn send(&self, action_id: &str, body: &str) -> std::result::Result<(), String>;
}

/// Deployment settings the rules depend on.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Listing URLs are `{listing_url_prefix}{listing_id}`.
    pub listing_url_prefix: String,
}

/// Outgoing HTTP to brands' webhook endpoints: the status code, or the class of why there was
/// none. The network's own words stay in the Worker's log: in a brand's delivery log they would
/// tell what answers at any address it names.
#[allow(async_fn_in_trait)]
pub trait WebhookClient {
    async fn post(
        &self,
        url: &str,
        headers: &[(&str, String)],
        body: &str,
    ) -> std::result::Result<u16, DeliveryFailure>;
}

/// Why a webhook delivery failed, as the delivery log says it: a small closed set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryFailure {
    Timeout,
    ConnectionFailed,
    Tls,
    /// The endpoint answered 3xx (redirects are not followed).
    Redirected,
    /// The endpoint answered 4xx.
    ClientError,
    /// The endpoint answered 5xx.
    ServerError,
    /// The stored address is not one webhooks may be sent to: nothing was fetched.
    RefusedAddress,
    Other,
}

impl DeliveryFailure {
    /// The words stored in the delivery log (`last_error`, an attempt's `error`).
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryFailure::Timeout => "timeout",
            DeliveryFailure::ConnectionFailed => "connection failed",
            DeliveryFailure::Tls => "tls",
            DeliveryFailure::Redirected => "HTTP 3xx",
            DeliveryFailure::ClientError => "HTTP 4xx",
            DeliveryFailure::ServerError => "HTTP 5xx",
            DeliveryFailure::RefusedAddress => "refused address",
            DeliveryFailure::Other => "other",
        }
    }

    /// The failure an answer's status is, or `None` for 2xx (delivered).
    pub fn of_status(status: u16) -> Option<Self> {
        match status {
            200..=299 => None,
            300..=399 => Some(DeliveryFailure::Redirected),
            400..=499 => Some(DeliveryFailure::ClientError),
            500..=599 => Some(DeliveryFailure::ServerError),
            _ => Some(DeliveryFailure::Other),
        }
    }

    /// The class of a failed fetch, read off the runtime's error text (workerd says e.g. "The
    /// operation was aborted due to timeout", "TLS peer's certificate is not trusted",
    /// "Network connection lost").
    pub fn of_fetch_error(text: &str) -> Self {
        let text = text.to_ascii_lowercase();
        let says = |words: &[&str]| words.iter().any(|w| text.contains(w));
        if says(&["timed out", "timeout"]) {
            DeliveryFailure::Timeout
        } else if says(&["tls", "ssl", "certificate"]) {
            DeliveryFailure::Tls
        } else if says(&[
            "connect",
            "network",
            "dns",
            "refused",
            "unreachable",
            "reset",
        ]) {
            DeliveryFailure::ConnectionFailed
        } else {
            DeliveryFailure::Other
        }
    }
}

#[cfg(test)]
mod tests {
    use super::DeliveryFailure as F;

    #[test]
    fn fetch_errors_and_statuses_fall_into_the_closed_set() {
        for (text, class) in [
            (
                "TimeoutError: The operation was aborted due to timeout",
                F::Timeout,
            ),
            ("connection timed out", F::Timeout),
            ("TLS peer's certificate is not trusted", F::Tls),
            ("SSL handshake failed", F::Tls),
            ("Network connection lost.", F::ConnectionFailed),
            ("connect ECONNREFUSED 10.0.0.1:443", F::ConnectionFailed),
            ("DNS lookup failed", F::ConnectionFailed),
            ("internal error", F::Other),
        ] {
            assert_eq!(F::of_fetch_error(text), class, "{text}");
        }
        assert_eq!(F::of_status(204), None);
        assert_eq!(F::of_status(302).map(F::as_str), Some("HTTP 3xx"));
        assert_eq!(F::of_status(404).map(F::as_str), Some("HTTP 4xx"));
        assert_eq!(F::of_status(503).map(F::as_str), Some("HTTP 5xx"));
        assert_eq!(F::of_status(600), Some(F::Other));
    }
}
