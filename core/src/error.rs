//! The one error type of the domain, and its mapping to HTTP statuses and client-facing codes.

/// Everything a use case or the guard can answer other than success.
#[derive(Debug, thiserror::Error, PartialEq)]
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
    Forbidden(&'static str),
    #[error("invalid {field}: {message}")]
    Invalid { field: String, message: String },
    #[error("unsupported media type")]
    UnsupportedMediaType(String),
    /// A marketplace request whose Standard Webhooks signature does not hold.
    #[error("bad signature: {0}")]
    BadSignature(&'static str),
    #[error("unprocessable: {0}")]
    Unprocessable(String),
    /// Bulk input with bad rows: each named by its line, nothing stored.
    #[error("invalid rows")]
    InvalidRows(Vec<(usize, String)>),
    #[error("conflict: {0}")]
    Conflict(String),
    /// A report for a listing the brand already has an open case for (409 naming the case).
    #[error("open case {0}")]
    OpenCase(String),
    #[error("too many attempts")]
    TooManyAttempts { retry_after_secs: i64 },
    /// A storage or platform failure: logged in full, never described to the client.
    #[error("internal: {0}")]
    Internal(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            message: message.into(),
        }
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
            Error::Unprocessable(_) | Error::InvalidRows(_) => 422,
            Error::Conflict(_) | Error::OpenCase(_) => 409,
            Error::TooManyAttempts { .. } => 429,
            Error::Internal(_) => 500,
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
            Error::Internal(_) => "internal_error",
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
            Error::Invalid { field, message } => format!("{field}: {message}"),
            Error::UnsupportedMediaType(expected) => {
                format!("Unsupported content type; this route accepts {expected}.")
            }
            Error::Unprocessable(why) => why.clone(),
            Error::InvalidRows(rows) => {
                format!("{} row(s) have problems; nothing was filed.", rows.len())
            }
            Error::Conflict(why) => why.clone(),
            Error::OpenCase(id) => format!("This listing already has an open case: {id}"),
            Error::TooManyAttempts { retry_after_secs } => format!(
                "Too many failed attempts (a password or a link). Try again in {} minutes.",
                (retry_after_secs + 59) / 60
            ),
            Error::Internal(_) => "Something went wrong on our side. Please try again.".into(),
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
        let why: Option<&str> = match self {
            Error::Invalid { message, .. } => Some(message),
            Error::Unprocessable(why) | Error::Conflict(why) => Some(why),
            Error::Forbidden(why) => Some(why),
            _ => None,
        };
        if let Some((code, args)) = why.and_then(crate::reasons::reason) {
            error["reason"] = code.into();
            error["args"] = args.into();
        }
        if let Error::OpenCase(id) = self {
            error["case_id"] = serde_json::Value::String(id.clone());
        }
        if let Error::InvalidRows(rows) = self {
            error["rows"] = rows
                .iter()
                .map(|(line, problem)| {
                    let (code, args) = crate::history::row_parts(problem)
                        .map_or((None, Vec::new()), |(code, args)| (Some(code), args));
                    // A field's own check ("invalid": the field, then why) may have a reason.
                    let why = args
                        .get(1)
                        .filter(|_| code == Some("invalid"))
                        .and_then(|why| crate::reasons::reason(why));
                    let (reason, reason_args) =
                        why.map_or((None, Vec::new()), |(code, args)| (Some(code), args));
                    serde_json::json!({ "line": line, "problem": problem, "code": code, "args": args,
                        "reason": reason, "reason_args": reason_args })
                })
                .collect();
        }
        serde_json::json!({ "error": error })
    }
}
