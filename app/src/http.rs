//! All HTTP the app does: JSON over `fetch` (and the multipart and CSV uploads), same-origin
//! credentials (the session cookie), and one error type parsed from the API's
//! `{"error":{"code","message","field"?,"reason"?,"args"?,"rows"?}}` body.

use crate::i18n::{field_zh, fill, reason_zh, t, Key, Lang};
use crate::json::{self, Json};
use jf_core::api::RowError;
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
    /// Why, as a code of `jf_core::reasons` and the data inside, when the server knows one
    /// (boxed: errors travel in every `Result` and are rarely this detailed).
    pub reason: Option<Box<(String, Vec<String>)>>,
}

impl ApiError {
    pub fn local(status: u16, code: &str) -> Self {
        Self::new(status, code)
    }

    #[inline(never)]
    fn new(status: u16, code: &str) -> Self {
        ApiError {
            status,
            code: code.to_owned(),
            message: String::new(),
            field: None,
            rows: Vec::new(),
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
            "invalid_input" | "invalid_rows" => Some(Key::ErrInvalidInput),
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
    pub fn reason_zh_parts(&self) -> Option<(Option<&'static str>, &'static str, &[String])> {
        let (code, args) = self.reason.as_deref()?;
        let field = self.field.as_deref().and_then(field_zh);
        Some((field, reason_zh(code)?, args))
    }
}

fn parse_error(status: u16, body: &str) -> ApiError {
    let Some(error) = json::parse(body).map(|v| json::get(&v, "error")) else {
        return ApiError::local(status, "http_error");
    };
    if !json::has(&error, "code") {
        return ApiError::local(status, "http_error");
    }
    ApiError {
        status,
        code: json::s(&error, "code"),
        message: json::s(&error, "message"),
        field: json::os(&error, "field"),
        rows: json::list(&error, "rows")
            .iter()
            .map(|r| RowError {
                line: json::i(r, "line") as usize,
                problem: json::s(r, "problem"),
                code: json::os(r, "code"),
                args: json::strs(r, "args"),
                reason: json::os(r, "reason"),
                reason_args: json::strs(r, "reason_args"),
            })
            .collect(),
        reason: json::os(&error, "reason").map(|code| Box::new((code, json::strs(&error, "args")))),
    }
}

fn net<E>(_: E) -> ApiError {
    ApiError::network()
}

thread_local! {
    /// GETs a page started early (`prefetch`), each taken by the first `get` of its path.
    static EARLY: std::cell::RefCell<Vec<(String, js_sys::Promise)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// The browser's request for `method path`.
fn start(
    method: &str,
    path: &str,
    body: Option<&JsValue>,
    content_type: Option<&str>,
) -> Result<js_sys::Promise, ApiError> {
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
    Ok(window.fetch_with_str_and_init(path, &init))
}

/// Starts `GET path` now, for a `get` of the same path later in this page: a page asks for
/// everything it shows at once rather than one answer after another (which a phone's latency
/// multiplies).
pub fn prefetch(path: &str) {
    let already = EARLY.with(|e| e.borrow().iter().any(|(p, _)| p == path))
        || js_sys::Reflect::get(&crate::dom::window(), &"jfEarly".into())
            .and_then(|asked| js_sys::Reflect::has(&asked, &JsValue::from_str(path)))
            .unwrap_or(false);
    if already {
        return;
    }
    if let Ok(promise) = start("GET", path, None, None) {
        EARLY.with(|e| e.borrow_mut().push((path.to_owned(), promise)));
    }
}

/// Drops what was prefetched (here or by `session.js`) and never read: the person moved to
/// another address, and a later visit must not be shown an old answer.
pub fn forget_prefetched() {
    EARLY.with(|e| e.borrow_mut().clear());
    forget_asked_before_start();
}

fn forget_asked_before_start() {
    let _ = js_sys::Reflect::set(
        &crate::dom::window(),
        &"jfEarly".into(),
        &js_sys::Object::new(),
    );
}

fn prefetched(path: &str) -> Option<js_sys::Promise> {
    EARLY.with(|e| {
        let mut early = e.borrow_mut();
        let i = early.iter().position(|(p, _)| p == path)?;
        Some(early.remove(i).1)
    })
}

/// How long an answer `session.js` asked for may be taken: the first screen takes its answers
/// within moments; a part built later (a first card arriving by the queue's poll, say) asks
/// afresh rather than show what was true when the page opened.
const EARLY_FOR_MS: f64 = 10_000.0;

/// The answer `session.js` asked for before the app started (`{status, text}`), taken once;
/// None when it asked for no such path, its request failed or it is too old.
async fn asked_before_start(path: &str) -> Option<Result<Json, ApiError>> {
    let window = crate::dom::window();
    let at = js_sys::Reflect::get(&window, &"jfEarlyAt".into())
        .ok()?
        .as_f64()?;
    if js_sys::Date::now() - at > EARLY_FOR_MS {
        forget_asked_before_start();
        return None;
    }
    let asked = js_sys::Reflect::get(&window, &"jfEarly".into()).ok()?;
    let key = JsValue::from_str(path);
    let promise = js_sys::Reflect::get(&asked, &key).ok()?;
    let promise = promise.dyn_into::<js_sys::Promise>().ok()?;
    let _ = js_sys::Reflect::delete_property(asked.unchecked_ref::<js_sys::Object>(), &key);
    let got = JsFuture::from(promise).await.ok()?;
    let status = json::i(&got, "status") as u16;
    (status != 0).then(|| answer(status, &json::s(&got, "text")))
}

/// One request: `content_type` None lets the browser set it (multipart with its boundary).
/// Answers the parsed JSON of a 2xx answer (null when it has no body).
async fn fetch(
    method: &str,
    path: &str,
    body: Option<&JsValue>,
    content_type: Option<&str>,
) -> Result<Json, ApiError> {
    if method == "GET" {
        if let Some(answer) = asked_before_start(path).await {
            return answer;
        }
    }
    let early = (method == "GET").then(|| prefetched(path)).flatten();
    let request = match early {
        Some(promise) => promise,
        None => start(method, path, body, content_type)?,
    };
    let response: Response = JsFuture::from(request)
        .await
        .map_err(net)?
        .dyn_into()
        .map_err(net)?;
    let status = response.status();
    let text = JsFuture::from(response.text().map_err(net)?)
        .await
        .map_err(net)?;
    answer(status, &text.as_string().unwrap_or_default())
}

/// An answer's status and body as the page gets them.
fn answer(status: u16, text: &str) -> Result<Json, ApiError> {
    if !(200..300).contains(&status) {
        return Err(parse_error(status, text));
    }
    if text.is_empty() {
        return Ok(JsValue::NULL);
    }
    json::parse(text).ok_or_else(|| ApiError::local(status, "bad_response"))
}

/// `GET path`.
pub async fn get(path: &str) -> Result<Json, ApiError> {
    fetch("GET", path, None, None).await
}

/// `method path` with a JSON body (from `json::obj()…build()`), or none.
pub async fn send(method: &str, path: &str, body: Option<String>) -> Result<Json, ApiError> {
    let content_type = body.is_some().then_some("application/json");
    let body = body.map(|b| JsValue::from_str(&b));
    fetch(method, path, body.as_ref(), content_type).await
}

/// `POST path` with a `multipart/form-data` body (the browser writes its boundary).
pub async fn post_form(path: &str, form: &web_sys::FormData) -> Result<Json, ApiError> {
    fetch("POST", path, Some(form.as_ref()), None).await
}

/// `POST path` with a CSV body.
pub async fn post_csv(path: &str, csv: &str) -> Result<Json, ApiError> {
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

/// Escapes a value taken from the address bar before it goes into an API path.
pub fn segment(raw: &str) -> String {
    String::from(js_sys::encode_uri_component(raw))
}
