//! All HTTP the app does, over `gloo-net`: JSON answers read into `jf_core::api` types by serde,
//! same-origin credentials (the session cookie), API paths from core's route table, and one error
//! type read from the API's `{"error":{code,message,field?,reason?,args?,rows?,refused?}}` body.

use crate::i18n::{field_zh, fill, t, Key, Lang};
use crate::reason::reason_zh;
use gloo_net::http::{Request, RequestBuilder, Response};
use jf_core::api::{ListingProblem, RowError};
use jf_core::reasons::Reason;
use jf_core::routes::RouteId;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::RequestCredentials;

/// An answer whose body the caller does not need.
pub type Ignored = serde::de::IgnoredAny;

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
    /// A report of many listings' refused listings: every problem of each, by listing (boxed,
    /// like `reason`).
    pub refused: Box<Refused>,
    /// Why, when the server said it as one of `jf_core::reasons` (boxed: errors travel in every
    /// `Result` and are rarely this detailed).
    pub reason: Option<Box<Reason>>,
}

/// The refused listings of a report of many: every problem of each, by listing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Refused(pub BTreeMap<String, Vec<ListingProblem>>);

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status, self.code)
    }
}

impl std::error::Error for ApiError {}

/// The error body as the API writes it.
#[derive(Deserialize)]
struct ErrorAnswer {
    error: ErrorDetail,
}

#[derive(Deserialize)]
struct ErrorDetail {
    code: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    field: Option<String>,
    #[serde(default)]
    rows: Vec<RowError>,
    #[serde(default)]
    refused: BTreeMap<String, Vec<ListingProblem>>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    args: Vec<String>,
}

impl ApiError {
    pub fn local(status: u16, code: &str) -> Self {
        ApiError {
            status,
            code: code.to_owned(),
            message: String::new(),
            field: None,
            rows: Vec::new(),
            refused: Box::default(),
            reason: None,
        }
    }

    /// The network failed or the browser refused the request.
    pub fn network() -> Self {
        Self::local(0, "network_error")
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
            "invalid_input" | "invalid_rows" | "refused_listings" => Some(Key::ErrInvalidInput),
            "too_many_searches" => Some(Key::ErrTooManySearches),
            "marketplace_unavailable" => Some(Key::ErrMarketplaceDown),
            "too_many_requests" => Some(Key::ErrTooManyRequests),
            "service_unavailable" => Some(Key::ErrUnavailable),
            "unprocessable" => Some(Key::ErrUnprocessable),
            "conflict" => Some(Key::ErrConflict),
            "open_case_exists" => Some(Key::ErrOpenCase),
            _ => None,
        };
        match (lang, fixed) {
            (_, _) if self.message.is_empty() => {
                t(lang, fixed.unwrap_or(Key::ErrGeneric)).to_owned()
            }
            // The server explains in English; the Chinese interface says why in Chinese when the
            // server gave the reason's code, else what kind of problem it is (never English).
            (Lang::Zh, key) => self
                .reason_zh()
                .unwrap_or_else(|| t(lang, key.unwrap_or(Key::ErrGeneric)).to_owned()),
            (Lang::En, _) => self.message.clone(),
        }
    }

    /// The reason in Chinese, led by the field's name when the field is one a form shows.
    fn reason_zh(&self) -> Option<String> {
        let (field, template, args) = self.reason_zh_parts()?;
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let why = fill(template, &args);
        Some(match field {
            Some(field) => format!("{field}：{why}"),
            None => why,
        })
    }

    /// The Chinese reason's parts: the field's name (when a form shows it), the sentence with
    /// `{0}`… in it and the data for those places (for a view that marks the data as data).
    pub fn reason_zh_parts(&self) -> Option<(Option<&'static str>, &'static str, Vec<String>)> {
        let reason = self.reason.as_deref()?;
        let field = self.field.as_deref().and_then(field_zh);
        let (template, args) = reason_zh(reason);
        Some((field, template, args))
    }
}

/// The error of a non-2xx answer, from its body when it is the API's.
fn error_of(status: u16, body: &str) -> ApiError {
    let Ok(ErrorAnswer { error }) = serde_json::from_str::<ErrorAnswer>(body) else {
        return ApiError::local(status, "http_error");
    };
    ApiError {
        status,
        code: error.code,
        message: error.message,
        field: error.field,
        rows: error.rows,
        refused: Box::new(Refused(error.refused)),
        reason: error
            .reason
            .and_then(|code| Reason::from_wire(&code, &error.args))
            .map(Box::new),
    }
}

/// An API path from core's route table: `{…}` segments filled in order, each encoded.
pub fn api(route: RouteId, params: &[&str]) -> String {
    let encoded: Vec<String> = params.iter().map(|p| encode(p)).collect();
    let encoded: Vec<&str> = encoded.iter().map(String::as_str).collect();
    route.path(&encoded)
}

/// Encodes a value for a path segment or a query string.
pub fn encode(raw: &str) -> String {
    String::from(js_sys::encode_uri_component(raw))
}

/// How long an answer `session.js` asked for may be taken: the first screen takes its answers
/// within moments; a part built later (a first card arriving by the queue's poll, say) asks
/// afresh rather than show what was true when the page opened.
const EARLY_FOR_MS: f64 = 10_000.0;

/// A property of `window` (the early answers `session.js` leaves there).
fn window_get(name: &str) -> Option<JsValue> {
    let window = web_sys::window()?;
    js_sys::Reflect::get(&window, &name.into())
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

/// Drops the answers `session.js` asked for and no page took: after the first screen, a later
/// visit must not be shown an old answer.
pub fn forget_asked_before_start() {
    if let Some(window) = web_sys::window() {
        let _ = js_sys::Reflect::set(&window, &"jfEarly".into(), &js_sys::Object::new());
    }
}

/// The answer `session.js` asked for before the app started (`{status, text}`), taken once;
/// None when it asked for no such path, its request failed or it is too old.
async fn asked_before_start(path: &str) -> Option<(u16, String)> {
    let at = window_get("jfEarlyAt")?.as_f64()?;
    if js_sys::Date::now() - at > EARLY_FOR_MS {
        forget_asked_before_start();
        return None;
    }
    let asked = window_get("jfEarly")?;
    let key = JsValue::from_str(path);
    let promise = js_sys::Reflect::get(&asked, &key).ok()?;
    let promise = promise.dyn_into::<js_sys::Promise>().ok()?;
    let _ = js_sys::Reflect::delete_property(asked.unchecked_ref::<js_sys::Object>(), &key);
    let got = JsFuture::from(promise).await.ok()?;
    let status = js_sys::Reflect::get(&got, &"status".into())
        .ok()?
        .as_f64()? as u16;
    let text = js_sys::Reflect::get(&got, &"text".into())
        .ok()?
        .as_string()?;
    (status != 0).then_some((status, text))
}

/// Who is signed in, as `session.js` asked while the app downloaded (its answer waits for the
/// first page's answers too, so that page is built at once); None when it could not.
pub async fn early_session() -> Option<jf_core::api::SessionView> {
    let promise = window_get("jfSession")?
        .dyn_into::<js_sys::Promise>()
        .ok()?;
    if let Some(window) = web_sys::window() {
        let _ = js_sys::Reflect::delete_property(&window, &"jfSession".into());
    }
    let answer = JsFuture::from(promise).await.ok()?;
    if answer.is_null() || answer.is_undefined() {
        return None;
    }
    let text = js_sys::JSON::stringify(&answer).ok()?.as_string()?;
    serde_json::from_str(&text).ok()
}

/// A request with the headers and credentials every call carries.
fn request(builder: RequestBuilder) -> RequestBuilder {
    builder
        .header("Accept", "application/json")
        .credentials(RequestCredentials::SameOrigin)
}

/// Sends `request`: the answer's status and text.
async fn send(request: Request) -> Result<(u16, String), ApiError> {
    let response: Response = request.send().await.map_err(|_| ApiError::network())?;
    let text = response.text().await.map_err(|_| ApiError::network())?;
    Ok((response.status(), text))
}

/// An answer as the page gets it: a 2xx body read as `T` (an empty body reads as `null`).
fn answer<T: DeserializeOwned>(status: u16, text: &str) -> Result<T, ApiError> {
    if !(200..300).contains(&status) {
        return Err(error_of(status, text));
    }
    let text = if text.is_empty() { "null" } else { text };
    serde_json::from_str(text).map_err(|_| ApiError::local(status, "bad_response"))
}

/// `GET path` (taking `session.js`'s answer for it when there is one).
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    if let Some((status, text)) = asked_before_start(path).await {
        return answer(status, &text);
    }
    let (status, text) = send(request(Request::get(path)).build().map_err(net)?).await?;
    answer(status, &text)
}

fn net<E>(_: E) -> ApiError {
    ApiError::network()
}

async fn with_json<B: Serialize, T: DeserializeOwned>(
    builder: RequestBuilder,
    body: &B,
) -> Result<T, ApiError> {
    let (status, text) = send(request(builder).json(body).map_err(net)?).await?;
    answer(status, &text)
}

/// `POST path` with a JSON body.
pub async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    with_json(Request::post(path), body).await
}

/// `POST path` with a JSON body, sent with `keepalive` so that it completes though the page is
/// being left (`pagehide`). The fetch is started before this returns, not when the answer is
/// first awaited: a page going away may run no later task. The same credentials as every call
/// (the session cookie, same origin; the browser adds the `Origin` the CSRF check reads).
pub fn post_keepalive<B: Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
) -> impl std::future::Future<Output = Result<T, ApiError>> {
    let started = start_keepalive(path, body);
    async move {
        let response: web_sys::Response = JsFuture::from(started?)
            .await
            .map_err(net)?
            .dyn_into()
            .map_err(net)?;
        let text = JsFuture::from(response.text().map_err(net)?)
            .await
            .map_err(net)?
            .as_string()
            .unwrap_or_default();
        answer(response.status(), &text)
    }
}

/// Starts `post_keepalive`'s fetch: its promise.
fn start_keepalive<B: Serialize>(path: &str, body: &B) -> Result<js_sys::Promise, ApiError> {
    let json = serde_json::to_string(body).map_err(net)?;
    let headers = web_sys::Headers::new().map_err(net)?;
    headers.set("Accept", "application/json").map_err(net)?;
    headers
        .set("Content-Type", "application/json")
        .map_err(net)?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(&json));
    init.set_credentials(RequestCredentials::SameOrigin);
    // `RequestInit` of this web-sys has no setter for it: the dictionary's own member.
    js_sys::Reflect::set(&init, &"keepalive".into(), &JsValue::TRUE).map_err(net)?;
    let window = web_sys::window().ok_or_else(ApiError::network)?;
    Ok(window.fetch_with_str_and_init(path, &init))
}

/// `PUT path` with a JSON body.
pub async fn put<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    with_json(Request::put(path), body).await
}

/// `PATCH path` with a JSON body.
pub async fn patch<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    with_json(Request::patch(path), body).await
}

/// `POST path` with no body.
pub async fn post_empty<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let (status, text) = send(request(Request::post(path)).build().map_err(net)?).await?;
    answer(status, &text)
}

/// `DELETE path`.
pub async fn delete<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let (status, text) = send(request(Request::delete(path)).build().map_err(net)?).await?;
    answer(status, &text)
}

/// `POST path` with a `multipart/form-data` body (the browser writes its boundary).
pub async fn post_form<T: DeserializeOwned>(
    path: &str,
    form: &web_sys::FormData,
) -> Result<T, ApiError> {
    let request = request(Request::post(path))
        .body(JsValue::from(form.clone()))
        .map_err(net)?;
    let (status, text) = send(request).await?;
    answer(status, &text)
}

/// `POST path` with a CSV body.
pub async fn post_csv<T: DeserializeOwned>(path: &str, csv: String) -> Result<T, ApiError> {
    let request = request(Request::post(path))
        .header("Content-Type", "text/csv")
        .body(csv)
        .map_err(net)?;
    let (status, text) = send(request).await?;
    answer(status, &text)
}

/// The text of a file the person picked.
pub async fn read_text(file: &web_sys::File) -> Result<String, ApiError> {
    let text = JsFuture::from(file.text()).await.map_err(net)?;
    text.as_string()
        .ok_or_else(|| ApiError::local(0, "unreadable_file"))
}
