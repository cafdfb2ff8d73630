//! All HTTP the app does: JSON over `fetch` (and the multipart and CSV uploads), same-origin
//! credentials (the session cookie), and one error type parsed from the API's
//! `{"error":{"code","message","field"?,"rows"?}}` body.

use crate::i18n::{t, Key, Lang};
use jf_core::api::RowError;
use leptos::prelude::{Get, LocalResource, Signal};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestCredentials, RequestInit, Response};

/// A failed request: the HTTP status (0 when the network failed), the API's error code and its
/// message (empty when the server sent none we could read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub code: String,
    pub message: String,
    pub field: Option<String>,
    /// A bulk upload's bad rows: the line of the file, the problem and its code.
    pub rows: Vec<RowError>,
}

impl ApiError {
    pub fn local(status: u16, code: &str) -> Self {
        ApiError {
            status,
            code: code.to_owned(),
            message: String::new(),
            field: None,
            rows: Vec::new(),
        }
    }

    /// The network failed or the browser refused the request.
    pub fn network() -> Self {
        Self::local(0, "network_error")
    }

    /// Not signed in (what `GET /api/v1/me` answers a visitor): a normal state, not a failure.
    pub fn signed_out() -> Self {
        Self::local(401, "unauthenticated")
    }

    /// Placeholder for a request not made (yet): `me` on pages that don't need it.
    pub fn not_requested() -> Self {
        Self::local(0, "not_requested")
    }

    pub fn is_not_requested(&self) -> bool {
        self.code == "not_requested"
    }

    /// The session is missing or has ended (but not a failed sign-in attempt).
    pub fn is_signed_out(&self) -> bool {
        self.status == 401 && self.code != "invalid_credentials"
    }

    pub fn is_not_found(&self) -> bool {
        self.status == 404
    }

    /// The text to show a person. English shows the server's own message; Chinese translates the
    /// codes whose meaning is fixed and keeps the server's explanation for the others.
    pub fn text(&self, lang: Lang) -> String {
        let fixed = match self.code.as_str() {
            "network_error" => Some(Key::ErrNetwork),
            "unauthenticated" => Some(Key::ErrUnauthenticated),
            "invalid_credentials" => Some(Key::ErrInvalidCredentials),
            "too_many_attempts" => Some(Key::ErrTooManyAttempts),
            "cross_site_request" => Some(Key::ErrCrossSite),
            "not_found" => Some(Key::ErrNotFound),
            "payload_too_large" => Some(Key::ErrTooLarge),
            "unsupported_media_type" => Some(Key::ErrFileType),
            "forbidden" => Some(Key::ErrForbidden),
            "internal_error" => Some(Key::ErrInternal),
            "unreadable_file" => Some(Key::ErrUnreadable),
            _ => None,
        };
        match (lang, fixed) {
            (_, _) if self.message.is_empty() => {
                t(lang, fixed.unwrap_or(Key::ErrGeneric)).to_owned()
            }
            (Lang::Zh, Some(key)) => t(lang, key).to_owned(),
            _ => self.message.clone(),
        }
    }
}

#[derive(Deserialize)]
struct ErrorEnvelope {
    error: ErrorBody,
}

#[derive(Deserialize)]
struct ErrorBody {
    code: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    field: Option<String>,
    #[serde(default)]
    rows: Vec<RowError>,
}

fn parse_error(status: u16, body: &str) -> ApiError {
    match serde_json::from_str::<ErrorEnvelope>(body) {
        Ok(ErrorEnvelope { error }) => ApiError {
            status,
            code: error.code,
            message: error.message,
            field: error.field,
            rows: error.rows,
        },
        Err(_) => ApiError::local(status, "http_error"),
    }
}

fn net<E>(_: E) -> ApiError {
    ApiError::network()
}

/// Sends one JSON request (or a GET) and answers the body text of a 2xx response.
async fn send(method: &str, path: &str, body: Option<String>) -> Result<String, ApiError> {
    let content_type = (method != "GET").then_some("application/json");
    let body = body.map(|b| JsValue::from_str(&b));
    fetch(method, path, body.as_ref(), content_type).await
}

/// One request: `content_type` None lets the browser set it (multipart with its boundary).
async fn fetch(
    method: &str,
    path: &str,
    body: Option<&JsValue>,
    content_type: Option<&str>,
) -> Result<String, ApiError> {
    let window = web_sys::window().ok_or_else(ApiError::network)?;
    let headers = Headers::new().map_err(net)?;
    headers.set("Accept", "application/json").map_err(net)?;
    if let Some(content_type) = content_type {
        headers.set("Content-Type", content_type).map_err(net)?;
    }
    let init = RequestInit::new();
    init.set_method(method);
    init.set_credentials(RequestCredentials::SameOrigin);
    init.set_headers(&headers);
    if let Some(body) = body {
        init.set_body(body);
    }
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(path, &init))
        .await
        .map_err(net)?
        .dyn_into()
        .map_err(net)?;
    let status = response.status();
    let text = JsFuture::from(response.text().map_err(net)?)
        .await
        .map_err(net)?;
    let text = text.as_string().unwrap_or_default();
    if (200..300).contains(&status) {
        Ok(text)
    } else {
        Err(parse_error(status, &text))
    }
}

fn parse<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    serde_json::from_str(text).map_err(|_| ApiError::local(200, "bad_response"))
}

/// A response body as fetched, not yet decoded. Every resource in the app holds this one type and
/// the view that shows it decodes it: each distinct resource type would be its own copy of the
/// async machinery in the wasm, and the download has a size budget.
pub type Body = Result<String, ApiError>;

/// Decodes a fetched body into the API type it carries. Never inlined: one copy of each type's
/// decoder, however many views read that type.
#[inline(never)]
pub fn decode<T: DeserializeOwned>(body: Body) -> Result<T, ApiError> {
    body.and_then(|text| parse(&text))
}

/// `GET` of the path `path` gives, fetched again when it changes; an empty path fetches nothing
/// and holds `ApiError::not_requested()`.
pub fn resource(path: Signal<String>) -> LocalResource<Body> {
    LocalResource::new(move || {
        let path = path.get();
        async move {
            if path.is_empty() {
                Err(ApiError::not_requested())
            } else {
                send("GET", &path, None).await
            }
        }
    })
}

fn encode<B: Serialize>(body: &B) -> Result<String, ApiError> {
    serde_json::to_string(body).map_err(|_| ApiError::local(0, "bad_request"))
}

/// `POST path` with a JSON body → the answer's body, to `decode`.
pub async fn post<B: Serialize>(path: &str, body: &B) -> Body {
    send("POST", path, Some(encode(body)?)).await
}

/// `POST path` with a JSON body (or none), when the answer's body does not matter.
pub async fn post_unit<B: Serialize>(path: &str, body: Option<&B>) -> Result<(), ApiError> {
    let body = body.map(encode).transpose()?;
    send("POST", path, body).await.map(drop)
}

/// `POST path` with a `multipart/form-data` body (the browser writes its boundary).
pub async fn post_form(path: &str, form: &web_sys::FormData) -> Body {
    fetch("POST", path, Some(form.as_ref()), None).await
}

/// `POST path` with a CSV body.
pub async fn post_csv(path: &str, csv: &str) -> Body {
    fetch(
        "POST",
        path,
        Some(&JsValue::from_str(csv)),
        Some("text/csv"),
    )
    .await
}

/// The text of a file the person picked.
pub async fn read_text(file: &web_sys::File) -> Result<String, ApiError> {
    let text = JsFuture::from(file.text()).await.map_err(net)?;
    text.as_string()
        .ok_or_else(|| ApiError::local(0, "unreadable_file"))
}

/// What a request carries (the one type every shared action sends).
#[derive(Clone)]
pub enum Payload {
    Get,
    /// A `POST` without a body.
    Empty,
    /// A `DELETE` (no body).
    Delete,
    Json(String),
    Form(web_sys::FormData),
    /// A CSV file the person picked, sent as its text.
    Csv(web_sys::File),
}

impl Payload {
    pub fn json<B: Serialize>(body: &B) -> Result<Self, ApiError> {
        encode(body).map(Payload::Json)
    }

    /// Sends it to `path`; the answer's body, to `decode`.
    pub async fn send(&self, path: &str) -> Body {
        match self {
            Payload::Get => send("GET", path, None).await,
            Payload::Empty => send("POST", path, None).await,
            Payload::Delete => send("DELETE", path, None).await,
            Payload::Json(body) => send("POST", path, Some(body.clone())).await,
            Payload::Form(form) => post_form(path, form).await,
            Payload::Csv(file) => post_csv(path, &read_text(file).await?).await,
        }
    }
}

/// `PATCH path` with a JSON body; the answer's body is not needed.
pub async fn patch<B: Serialize>(path: &str, body: &B) -> Result<(), ApiError> {
    send("PATCH", path, Some(encode(body)?)).await.map(drop)
}

/// `DELETE path`.
pub async fn delete(path: &str) -> Result<(), ApiError> {
    send("DELETE", path, None).await.map(drop)
}

/// Escapes a value taken from the address bar before it goes into an API path.
pub fn segment(raw: &str) -> String {
    String::from(js_sys::encode_uri_component(raw))
}
