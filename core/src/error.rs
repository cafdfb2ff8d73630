//! The one error type of the domain, and its mapping to HTTP statuses and client-facing codes.

use crate::limits::LimitKind;
use crate::reasons::{RowProblem, Why};
use std::sync::Arc;

/// The cause kept under an internal error: any error that may cross threads.
pub type Source = Arc<dyn std::error::Error + Send + Sync + 'static>;

/// Everything a use case or the guard can answer other than success.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("request body too large")]
    PayloadTooLarge,
    /// An upload that does not say its size up front (it could not be refused before reading).
    #[error("length required")]
    LengthRequired,
    #[error("not signed in")]
    Unauthenticated,
    /// Wrong password and unknown email alike: the answer must not tell them apart.
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("cross-site request refused")]
    CrossSite,
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("forbidden: {0}")]
    Forbidden(Why),
    #[error("invalid {field}: {why}")]
    Invalid { field: String, why: Why },
    #[error("unsupported media type")]
    UnsupportedMediaType(String),
    /// A marketplace request whose Standard Webhooks signature does not hold.
    #[error("bad signature: {0}")]
    BadSignature(&'static str),
    #[error("unprocessable: {0}")]
    Unprocessable(Why),
    /// Bulk input with bad rows: every problem of each, named by its line (in order) and
    /// column; nothing stored.
    #[error("invalid rows")]
    InvalidRows(Vec<(usize, RowProblem)>),
    #[error("conflict: {0}")]
    Conflict(Why),
    /// A report for a listing the brand already has an open case for (409 naming the case).
    #[error("open case {0}")]
    OpenCase(String),
    #[error("too many attempts")]
    TooManyAttempts { retry_after_secs: i64 },
    /// A brand searched the marketplace more often than its quota allows.
    #[error("too many searches")]
    TooManySearches { retry_after_secs: i64 },
    /// Reports of many listings at once with problems: every problem of each listing, keyed by
    /// the listing as it was given; nothing stored.
    #[error("refused listings")]
    RefusedListings(Vec<(String, RowProblem)>),
    /// The marketplace did not answer (down, slow, or answering nonsense): try again later.
    #[error("marketplace unavailable")]
    MarketplaceUnavailable,
    /// A session, an API key or a brand made more requests of a kind than a minute allows.
    #[error("too many {}", kind.code())]
    RateLimited {
        kind: LimitKind,
        retry_after_secs: i64,
    },
    /// The database failed in a way that passes (a lost connection, a restart, an overload):
    /// logged in full like an internal error, answered 503 with when to try again.
    #[error("unavailable: {context}")]
    Unavailable {
        /// What was being done, in the server's words.
        context: String,
        #[source]
        source: Option<Source>,
    },
    /// A storage or platform failure: logged in full (`log_message`, the whole cause chain),
    /// never described to the client.
    #[error("internal: {context}")]
    Internal {
        /// What was being done, in the server's words.
        context: String,
        /// What failed underneath, when there is an error value to keep.
        #[source]
        source: Option<Source>,
    },
}

/// Errors compare by variant and content; an internal error by its context alone (its source is
/// a foreign error that may not compare).
impl PartialEq for Error {
    fn eq(&self, other: &Self) -> bool {
        use Error::*;
        match (self, other) {
            (PayloadTooLarge, PayloadTooLarge)
            | (LengthRequired, LengthRequired)
            | (Unauthenticated, Unauthenticated)
            | (InvalidCredentials, InvalidCredentials)
            | (CrossSite, CrossSite)
            | (NotFound, NotFound)
            | (MethodNotAllowed, MethodNotAllowed)
            | (MarketplaceUnavailable, MarketplaceUnavailable) => true,
            (BadSignature(a), BadSignature(b)) => a == b,
            (Invalid { field, why }, Invalid { field: f, why: w }) => field == f && why == w,
            (Forbidden(a), Forbidden(b))
            | (Unprocessable(a), Unprocessable(b))
            | (Conflict(a), Conflict(b)) => a == b,
            (UnsupportedMediaType(a), UnsupportedMediaType(b)) | (OpenCase(a), OpenCase(b)) => {
                a == b
            }
            (InvalidRows(a), InvalidRows(b)) => a == b,
            (RefusedListings(a), RefusedListings(b)) => a == b,
            (
                TooManySearches {
                    retry_after_secs: a,
                },
                TooManySearches {
                    retry_after_secs: b,
                },
            ) => a == b,
            (
                TooManyAttempts {
                    retry_after_secs: a,
                },
                TooManyAttempts {
                    retry_after_secs: b,
                },
            ) => a == b,
            (
                RateLimited {
                    kind: a,
                    retry_after_secs: x,
                },
                RateLimited {
                    kind: b,
                    retry_after_secs: y,
                },
            ) => a == b && x == y,
            (Internal { context: a, .. }, Internal { context: b, .. })
            | (Unavailable { context: a, .. }, Unavailable { context: b, .. }) => a == b,
            _ => false,
        }
    }
}

/// A foreign error that cannot be kept as it is (a `worker::Error` may hold JavaScript values,
/// which are neither `Send` nor `Sync`), kept as the text of its whole chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CauseText(pub String);

impl CauseText {
    /// The text of `e` and of every error under it.
    pub fn of(e: &(dyn std::error::Error + 'static)) -> Self {
        CauseText(chain(e))
    }
}

impl std::fmt::Display for CauseText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CauseText {}

/// An error and its causes, outermost first: `error: cause: cause…`.
pub fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    append_sources(&mut text, e.source());
    text
}

fn append_sources(text: &mut String, mut next: Option<&(dyn std::error::Error + 'static)>) {
    while let Some(cause) = next {
        let part = cause.to_string();
        // A wrapper that repeats its cause's text adds nothing to read.
        if !text.ends_with(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        next = cause.source();
    }
}

impl From<serde_json::Error> for Error {
    /// JSON the server itself writes or reads back failed: an internal error.
    fn from(e: serde_json::Error) -> Self {
        Error::internal_from("JSON", e)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How long a client waits after a passing storage failure: D1 restarts its database object in
/// seconds; a client that comes back too early is told again.
pub const UNAVAILABLE_RETRY_AFTER_SECS: i64 = 5;

impl Error {
    /// A 400 naming `field` and why: a [`Reason`](crate::reasons::Reason) where the refusal has
    /// a code, else plain English.
    pub fn invalid(field: impl Into<String>, why: impl Into<Why>) -> Self {
        Error::Invalid {
            field: field.into(),
            why: why.into(),
        }
    }

    /// A 422: the request is well formed but cannot be done.
    pub fn unprocessable(why: impl Into<Why>) -> Self {
        Error::Unprocessable(why.into())
    }

    /// A 409: the request clashes with what is stored.
    pub fn conflict(why: impl Into<Why>) -> Self {
        Error::Conflict(why.into())
    }

    /// An internal error with only a message (no error value underneath).
    pub fn internal(context: impl Into<String>) -> Self {
        Error::Internal {
            context: context.into(),
            source: None,
        }
    }

    /// An internal error that keeps what failed underneath as its source.
    pub fn internal_from(
        context: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Error::Internal {
            context: context.into(),
            source: Some(Arc::new(source)),
        }
    }

    /// A passing storage failure (503 with Retry-After) that keeps its cause for the log.
    pub fn unavailable_from(
        context: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Error::Unavailable {
            context: context.into(),
            source: Some(Arc::new(source)),
        }
    }

    /// How long a client should wait before trying again, when the answer says (`Retry-After`).
    pub fn retry_after_secs(&self) -> Option<i64> {
        match self {
            Error::TooManyAttempts { retry_after_secs }
            | Error::TooManySearches { retry_after_secs }
            | Error::RateLimited {
                retry_after_secs, ..
            } => Some(*retry_after_secs),
            Error::Unavailable { .. } => Some(UNAVAILABLE_RETRY_AFTER_SECS),
            // "Please try again in a minute", as its message says.
            Error::MarketplaceUnavailable => Some(60),
            _ => None,
        }
    }

    /// The text for the server's log: an internal error's context and its whole cause chain
    /// (`context: cause: cause…`), any other error as it displays. Never sent to the client.
    pub fn log_message(&self) -> String {
        let mut text = match self {
            Error::Internal { context, .. } => context.clone(),
            Error::Unavailable { context, .. } => format!("unavailable: {context}"),
            other => other.to_string(),
        };
        append_sources(&mut text, std::error::Error::source(self));
        text
    }

    pub fn status(&self) -> u16 {
        match self {
            Error::PayloadTooLarge => 413,
            Error::LengthRequired => 411,
            Error::Unauthenticated | Error::InvalidCredentials | Error::BadSignature(_) => 401,
            Error::CrossSite => 403,
            Error::NotFound => 404,
            Error::MethodNotAllowed => 405,
            Error::Forbidden(_) => 403,
            Error::Invalid { .. } => 400,
            Error::UnsupportedMediaType(_) => 415,
            Error::Unprocessable(_) | Error::InvalidRows(_) | Error::RefusedListings(_) => 422,
            Error::Conflict(_) | Error::OpenCase(_) => 409,
            Error::TooManyAttempts { .. }
            | Error::TooManySearches { .. }
            | Error::RateLimited { .. } => 429,
            Error::Internal { .. } => 500,
            Error::MarketplaceUnavailable | Error::Unavailable { .. } => 503,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Error::PayloadTooLarge => "payload_too_large",
            Error::LengthRequired => "length_required",
            Error::Unauthenticated => "unauthenticated",
            Error::InvalidCredentials => "invalid_credentials",
            Error::BadSignature(_) => "bad_signature",
            Error::CrossSite => "cross_site_request",
            Error::NotFound => "not_found",
            Error::MethodNotAllowed => "method_not_allowed",
            Error::Forbidden(_) => "forbidden",
            Error::Invalid { .. } => "invalid_input",
            Error::UnsupportedMediaType(_) => "unsupported_media_type",
            Error::Unprocessable(_) => "unprocessable",
            Error::InvalidRows(_) => "invalid_rows",
            Error::Conflict(_) => "conflict",
            Error::OpenCase(_) => "open_case_exists",
            Error::TooManyAttempts { .. } => "too_many_attempts",
            Error::TooManySearches { .. } => "too_many_searches",
            Error::RefusedListings(_) => "refused_listings",
            Error::MarketplaceUnavailable => "marketplace_unavailable",
            Error::RateLimited { .. } => "too_many_requests",
            Error::Unavailable { .. } => "service_unavailable",
            Error::Internal { .. } => "internal_error",
        }
    }

    /// The message a person may read. Internal details never leave the server.
    pub fn public_message(&self) -> String {
        match self {
            Error::PayloadTooLarge => "The request body is too large.".into(),
            Error::LengthRequired => "An upload must state its size (Content-Length).".into(),
            Error::Unauthenticated => "Please sign in.".into(),
            Error::InvalidCredentials => "Email or password is incorrect.".into(),
            Error::BadSignature(why) => format!("Webhook refused: {why}."),
            Error::CrossSite => "This request must come from the JointForce site itself.".into(),
            Error::NotFound => "Not found.".into(),
            Error::MethodNotAllowed => "This method is not allowed here.".into(),
            Error::Forbidden(why) => format!("You may not do this: {why}."),
            Error::Invalid { field, why } => format!("{field}: {why}"),
            Error::UnsupportedMediaType(expected) => {
                format!("Unsupported content type; this route accepts {expected}.")
            }
            Error::Unprocessable(why) => why.english(),
            Error::InvalidRows(problems) => {
                let mut lines: Vec<usize> = problems.iter().map(|(line, _)| *line).collect();
                lines.dedup();
                format!(
                    "{} row(s) have {} problem(s); nothing was filed.",
                    lines.len(),
                    problems.len()
                )
            }
            Error::Conflict(why) => why.english(),
            Error::OpenCase(id) => format!("This listing already has an open case: {id}"),
            Error::TooManyAttempts { retry_after_secs } => format!(
                "Too many failed attempts (a password or a link). Try again in {} minutes.",
                (retry_after_secs + 59) / 60
            ),
            Error::TooManySearches { retry_after_secs } => format!(
                "Too many marketplace searches for this brand. Try again in {retry_after_secs} seconds."
            ),
            Error::RefusedListings(problems) => {
                let mut listings: Vec<&str> = problems.iter().map(|(l, _)| l.as_str()).collect();
                listings.sort_unstable();
                listings.dedup();
                format!(
                    "{} listing(s) have {} problem(s); nothing was filed.",
                    listings.len(),
                    problems.len()
                )
            }
            Error::MarketplaceUnavailable => {
                "The marketplace cannot be reached just now. Please try again in a minute.".into()
            }
            Error::RateLimited {
                kind,
                retry_after_secs,
            } => format!(
                "Too many {} for {}: at most {} a minute. Try again in {retry_after_secs} seconds.",
                kind.code(),
                kind.whose(),
                kind.per_minute()
            ),
            Error::Unavailable { .. } => format!(
                "The service is briefly unavailable. Please try again in {UNAVAILABLE_RETRY_AFTER_SECS} seconds."
            ),
            Error::Internal { .. } => "Something went wrong on our side. Please try again.".into(),
        }
    }

    /// The JSON body every error answers with.
    pub fn body(&self) -> serde_json::Value {
        let mut error =
            serde_json::json!({ "code": self.code(), "message": self.public_message() });
        if let Error::Invalid { field, .. } = self {
            error["field"] = serde_json::Value::String(field.clone());
        }
        // Why, as a code and its data, for an interface in another language.
        let why = match self {
            Error::Invalid { why, .. }
            | Error::Unprocessable(why)
            | Error::Conflict(why)
            | Error::Forbidden(why) => why.reason(),
            _ => None,
        };
        if let Some(reason) = why {
            error["reason"] = reason.code().into();
            error["args"] = reason.args().into();
        }
        if let Error::RateLimited { kind, .. } = self {
            error["limit"] = kind.code().into();
        }
        if let Error::OpenCase(id) = self {
            error["case_id"] = serde_json::Value::String(id.clone());
        }
        if let Error::InvalidRows(rows) = self {
            let rows: Vec<_> = rows
                .iter()
                .map(|(line, problem)| problem.row_error(*line))
                .collect();
            error["rows"] = serde_json::to_value(rows).unwrap_or_default();
        }
        if let Error::RefusedListings(problems) = self {
            let mut refused: std::collections::BTreeMap<&str, Vec<crate::api::ListingProblem>> =
                std::collections::BTreeMap::new();
            for (listing, problem) in problems {
                refused
                    .entry(listing.as_str())
                    .or_default()
                    .push(problem.listing_problem());
            }
            error["refused"] = serde_json::to_value(refused).unwrap_or_default();
        }
        serde_json::json!({ "error": error })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("disk on fire")]
    struct Root;

    #[derive(Debug, thiserror::Error)]
    #[error("storage failed")]
    struct Middle(#[source] Root);

    /// A wrapper that repeats its cause in its own text (as many do).
    #[derive(Debug, thiserror::Error)]
    #[error("reading failed: {0}")]
    struct Repeating(#[source] Root);

    #[test]
    fn an_internal_chain_is_logged_in_full_and_never_sent() {
        let e = Error::internal_from("saving case c-1", Middle(Root));
        assert_eq!(
            e.log_message(),
            "saving case c-1: storage failed: disk on fire"
        );
        assert_eq!(e.to_string(), "internal: saving case c-1");
        assert_eq!(e.status(), 500);
        assert_eq!(e.code(), "internal_error");
        assert_eq!(
            e.public_message(),
            "Something went wrong on our side. Please try again."
        );
        let sent = e.body().to_string();
        for detail in ["saving case", "storage failed", "disk on fire"] {
            assert!(!e.public_message().contains(detail), "{detail}");
            assert!(!sent.contains(detail), "{sent}");
        }
    }

    #[test]
    fn chains_read_once_and_compare_by_context() {
        let e = Error::internal_from("loading", Repeating(Root));
        assert_eq!(e.log_message(), "loading: reading failed: disk on fire");
        assert_eq!(Error::internal("no source").log_message(), "no source");
        assert_eq!(Error::NotFound.log_message(), "not found");
        // Text kept in place of an error that cannot cross threads.
        let text = Error::internal_from("D1", CauseText::of(&Middle(Root)));
        assert_eq!(text.log_message(), "D1: storage failed: disk on fire");
        // Internal errors compare by context; the source is not compared.
        assert_eq!(e, Error::internal("loading"));
        assert_ne!(e, Error::internal("saving"));
        assert_ne!(e, Error::NotFound);
        assert_eq!(Error::invalid("a", "b"), Error::invalid("a", "b"));
        assert_ne!(Error::invalid("a", "b"), Error::invalid("a", "c"));
        // serde_json's error is kept as the source.
        let json: Error = serde_json::from_str::<u8>("x").unwrap_err().into();
        assert!(std::error::Error::source(&json).is_some());
        assert!(
            json.log_message().starts_with("JSON: expected value"),
            "{}",
            json.log_message()
        );
    }

    #[test]
    fn a_refused_rate_says_which_limit_and_when_to_come_back() {
        let e = Error::RateLimited {
            kind: LimitKind::Writes,
            retry_after_secs: 42,
        };
        assert_eq!(e.status(), 429);
        assert_eq!(e.code(), "too_many_requests");
        assert_eq!(e.retry_after_secs(), Some(42));
        assert_eq!(e.body()["error"]["limit"], "writes");
        assert_eq!(
            e.public_message(),
            "Too many writes for this session or API key: at most 120 a minute. Try again in 42 seconds."
        );
        let exports = Error::RateLimited {
            kind: LimitKind::Exports,
            retry_after_secs: 3,
        };
        assert!(exports
            .public_message()
            .contains("for this brand: at most 5"));
        assert_ne!(e, exports);
    }

    #[test]
    fn a_passing_storage_failure_is_503_with_retry_after_and_no_detail() {
        let e = Error::unavailable_from(
            "D1 [SELECT 1]",
            CauseText("D1_ERROR: Network connection lost.".into()),
        );
        assert_eq!(e.status(), 503);
        assert_eq!(e.code(), "service_unavailable");
        assert_eq!(e.retry_after_secs(), Some(UNAVAILABLE_RETRY_AFTER_SECS));
        assert_eq!(
            e.log_message(),
            "unavailable: D1 [SELECT 1]: D1_ERROR: Network connection lost."
        );
        let sent = e.body().to_string();
        for detail in ["SELECT", "Network", "D1"] {
            assert!(!sent.contains(detail), "{sent}");
        }
        // An internal error has no Retry-After: trying again will not help.
        assert_eq!(Error::internal("x").retry_after_secs(), None);
    }
}
