//! Building responses: JSON bodies, the one mapping from errors to answers, cookies and the
//! security headers every API response carries.

use jf_core::error::CauseText;
use jf_core::export::Export;
use jf_core::store::Db;
use jf_core::{Error, Result};
use worker::{Headers, Response};

/// The session cookie's name. Over https it carries the `__Host-` prefix, so the browser insists
/// on `Secure`, `Path=/` and no `Domain` (no sibling subdomain can set or shadow it); plain-http
/// local development cannot use the prefix and keeps the bare name.
pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-jf_session"
    } else {
        "jf_session"
    }
}

/// A platform failure as an internal error. A `worker::Error` may hold JavaScript values, which
/// are neither `Send` nor `Sync`, so its whole chain is kept as text, the source under `context`.
pub fn platform(context: impl Into<String>, e: impl Into<worker::Error>) -> Error {
    Error::internal_from(context, CauseText::of(&e.into()))
}

fn headers(content_type: &str) -> Result<Headers> {
    let h = Headers::new();
    let set = |k: &str, v: &str| h.set(k, v).map_err(|e| platform(format!("setting {k}"), e));
    set("content-type", content_type)?;
    set("cache-control", "no-store")?;
    set("x-content-type-options", "nosniff")?;
    set("referrer-policy", "strict-origin-when-cross-origin")?;
    set(
        "content-security-policy",
        "default-src 'none'; frame-ancestors 'none'",
    )?;
    set("x-frame-options", "DENY")?;
    set(
        "strict-transport-security",
        "max-age=63072000; includeSubDomains",
    )?;
    set("cross-origin-opener-policy", "same-origin")?;
    Ok(h)
}

pub fn json<T: serde::Serialize>(status: u16, body: &T) -> Result<Response> {
    let bytes = serde_json::to_vec(body)?;
    let response = Response::from_bytes(bytes).map_err(|e| platform("a JSON response", e))?;
    Ok(response
        .with_status(status)
        .with_headers(headers("application/json")?))
}

pub fn no_content() -> Result<Response> {
    let response = Response::empty().map_err(|e| platform("an empty response", e))?;
    Ok(response
        .with_status(204)
        .with_headers(headers("application/json")?))
}

fn file_headers(content_type: &str, disposition: &str) -> Result<Headers> {
    let h = headers(content_type)?;
    h.set("content-disposition", disposition)
        .map_err(|e| platform("setting content-disposition", e))?;
    // A stored file is shown, never run: no scripts, whatever it contains.
    h.set("content-security-policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'")
        .map_err(|e| platform("setting a file's content-security-policy", e))?;
    Ok(h)
}

fn bytes_response(bytes: Vec<u8>, content_type: &str, disposition: &str) -> Result<Response> {
    let response = Response::from_bytes(bytes).map_err(|e| platform("a file response", e))?;
    Ok(response
        .with_status(200)
        .with_headers(file_headers(content_type, disposition)?))
}

fn safe_filename(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// An uploaded file, shown inline.
pub fn file(bytes: Vec<u8>, content_type: &str, name: &str) -> Result<Response> {
    bytes_response(
        bytes,
        content_type,
        &format!("inline; filename=\"{}\"", safe_filename(name)),
    )
}

/// A CSV download.
pub fn csv(text: String, name: &str) -> Result<Response> {
    bytes_response(
        text.into_bytes(),
        "text/csv; charset=utf-8",
        &format!("attachment; filename=\"{}\"", safe_filename(name)),
    )
}

/// A CSV download written as the export is read, a page per chunk. The first chunk is awaited
/// here, so a failure before any byte goes out is a normal error answer. A later failure errors
/// the stream: the runtime aborts the transfer, and the client sees a failed download, never a
/// short file.
pub async fn csv_stream<D: Db + 'static>(mut export: Export<D>, name: &str) -> Result<Response> {
    let first = export.next_chunk().await?;
    let chunks =
        futures_util::stream::unfold((first, export), |(pending, mut export)| async move {
            let next = match pending {
                Some(chunk) => Ok(Some(chunk)),
                None => export.next_chunk().await,
            };
            match next {
                Ok(Some(chunk)) => Some((Ok(chunk.into_bytes()), (None, export))),
                Ok(None) => None,
                Err(e) => {
                    worker::console_error!("export aborted mid-stream: {}", e.log_message());
                    let aborted = worker::Error::RustError("the export failed".into());
                    Some((Err(aborted), (None, export)))
                }
            }
        });
    let response = Response::from_stream(chunks).map_err(|e| platform("a CSV stream", e))?;
    let disposition = format!("attachment; filename=\"{}\"", safe_filename(name));
    Ok(response
        .with_status(200)
        .with_headers(file_headers("text/csv; charset=utf-8", &disposition)?))
}

/// Adds a header to a response built here.
pub fn with_header(mut response: Response, name: &str, value: &str) -> Result<Response> {
    response
        .headers_mut()
        .append(name, value)
        .map_err(|e| platform(format!("adding {name}"), e))?;
    Ok(response)
}

/// The answer for any error: its status and `{"error":{code,message}}`; internal details (the
/// whole cause chain) are logged here and never sent.
pub fn error(e: &Error) -> worker::Result<Response> {
    if let Error::Internal { .. } | Error::Unavailable { .. } = e {
        worker::console_error!("internal error: {}", e.log_message());
    }
    let mut response = match json(e.status(), &e.body()) {
        Ok(r) => r,
        Err(_) => Response::error("internal error", 500)?,
    };
    if let Some(secs) = e.retry_after_secs() {
        response
            .headers_mut()
            .set("retry-after", &secs.to_string())?;
    }
    Ok(response)
}

/// The session cookie: HttpOnly, SameSite=Strict, and Secure everywhere but local development.
pub fn session_cookie(token: &str, secure: bool, max_age_secs: i64) -> String {
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}{}",
        session_cookie_name(secure),
        if secure { "; Secure" } else { "" }
    )
}
