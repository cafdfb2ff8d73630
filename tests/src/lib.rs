//! Shared pieces of the API and browser tests: the address of the running stack, an HTTP client
//! that signs in like the SPA does, and the demo world's people.

pub mod browser;

use serde_json::Value;
use std::sync::OnceLock;

pub const DEMO_PASSWORD: &str = "jointforce-demo";

/// The `wrangler dev` under test (set by `cargo xtask test`).
pub fn base_url() -> String {
    std::env::var("JF_BASE_URL").unwrap_or_else(|_| {
        panic!("JF_BASE_URL is not set: run these tests through `cargo xtask test`, which starts the stack")
    })
}

fn http() -> &'static reqwest::Client {
    static HTTP: OnceLock<reqwest::Client> = OnceLock::new();
    HTTP.get_or_init(|| {
        // No pooled connections: each test runs its own runtime, and a connection must not outlive it.
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(0)
            .build()
            .expect("http client")
    })
}

/// One answer, read whole.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }
    pub fn error_code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

/// A caller: anonymous, or holding a session cookie. Sends the site's Origin like a browser.
#[derive(Clone, Debug, Default)]
pub struct Caller {
    pub cookie: Option<String>,
    /// The client address the edge reports (`CF-Connecting-IP`); wrangler dev fills in
    /// 127.0.0.1 when it is not set. Tests of the throttle use addresses of their own.
    pub address: Option<String>,
}

/// The start of wrangler dev's own 503 when it lost the Worker under a request (`read`).
const WRANGLER_LOST_THE_WORKER: &str = "Your worker restarted mid-request.";

impl Caller {
    pub fn anonymous() -> Self {
        Caller::default()
    }

    /// An anonymous caller at a given client address.
    pub fn at(address: &str) -> Self {
        Caller {
            cookie: None,
            address: Some(address.to_owned()),
        }
    }

    /// The same caller holding the session cookie an answer set.
    pub fn with_session_of(&self, answer: &Answer) -> Self {
        Caller {
            cookie: Some(session_cookie(answer).expect("the answer sets the session cookie")),
            address: self.address.clone(),
        }
    }

    /// Signs in from this caller's address.
    pub async fn sign_in(&self, email: &str, password: &str) -> Result<Self, Answer> {
        let answer = self
            .send(
                "POST",
                "/api/v1/auth/login",
                Some(serde_json::json!({ "email": email, "password": password })),
            )
            .await;
        if answer.status != 200 {
            return Err(answer);
        }
        Ok(self.with_session_of(&answer))
    }

    pub async fn login(email: &str) -> Self {
        Self::login_with(email, DEMO_PASSWORD)
            .await
            .expect("demo sign-in")
    }

    pub async fn login_with(email: &str, password: &str) -> Result<Self, Answer> {
        Caller::anonymous().sign_in(email, password).await
    }

    pub fn request(&self, method: &str, path: &str) -> reqwest::RequestBuilder {
        let base = base_url();
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut rb = http()
            .request(method, format!("{base}{path}"))
            .header("origin", &base);
        if let Some(c) = &self.cookie {
            rb = rb.header("cookie", format!("jf_session={c}"));
        }
        if let Some(a) = &self.address {
            rb = rb.header("cf-connecting-ip", a);
        }
        rb
    }

    pub async fn send(&self, method: &str, path: &str, body: Option<Value>) -> Answer {
        let mut rb = self.request(method, path);
        if let Some(body) = body {
            rb = rb
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        read(rb).await
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.send("GET", path, None).await
    }
}

/// Sends a request and reads its answer. wrangler dev's own proxy answers a 503 starting
/// `WRANGLER_LOST_THE_WORKER` when its pooled connection to the Worker was closed by the 5 s
/// keep-alive just as the request went out on it (workers-sdk#14641; the proxy retries itself
/// since #15252, after the pinned wrangler 4.86.0), so the Worker never saw it: such a request
/// is sent once more, as wrangler asks (a streamed body, which cannot be sent twice, is not).
/// A test binary's first request, after the idle gap between binaries, met it twice in ten
/// runs. Any other answer, and a second such one, stand.
pub async fn read(rb: reqwest::RequestBuilder) -> Answer {
    let again = rb.try_clone();
    let answer = answer_of(rb).await;
    match again {
        Some(rb) if answer.status == 503 && answer.text.starts_with(WRANGLER_LOST_THE_WORKER) => {
            answer_of(rb).await
        }
        _ => answer,
    }
}

async fn answer_of(rb: reqwest::RequestBuilder) -> Answer {
    let resp = rb.send().await.expect("request reaches wrangler dev");
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let text = resp.text().await.unwrap_or_default();
    Answer {
        status,
        headers,
        text,
    }
}

/// The session token from a `set-cookie` answer.
pub fn session_cookie(answer: &Answer) -> Option<String> {
    answer.headers.get_all("set-cookie").iter().find_map(|v| {
        let v = v.to_str().ok()?;
        let token = v.strip_prefix("jf_session=")?.split(';').next()?;
        (!token.is_empty()).then(|| token.to_owned())
    })
}

/// The demo brands' ids and names, read as the operator sees them.
pub async fn demo_brands() -> Vec<(String, String)> {
    let ops = Caller::login("ops@marketplace.test").await;
    let list = ops.get("/api/v1/manager/brands").await.json();
    list["brands"]
        .as_array()
        .expect("brands")
        .iter()
        .map(|b| {
            (
                b["name"].as_str().unwrap_or_default().to_owned(),
                b["id"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

pub async fn brand_id(name: &str) -> String {
    demo_brands()
        .await
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, id)| id)
        .expect("demo brand")
}

/// A fresh, unique suffix for data a test creates.
pub fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "{prefix}{}{}",
        nanos % 1_000_000_000,
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// The marketplace simulator under test (set by `cargo xtask test`).
pub fn simulator_url() -> String {
    std::env::var("JF_SIMULATOR_URL")
        .unwrap_or_else(|_| panic!("JF_SIMULATOR_URL is not set: run through `cargo xtask test`"))
}

/// Talks to the simulator's control routes.
pub async fn simulator(method: &str, path: &str, body: Option<Value>) -> Answer {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut rb = http().request(method, format!("{}{path}", simulator_url()));
    if let Some(b) = body {
        rb = rb
            .header("content-type", "application/json")
            .body(b.to_string());
    }
    read(rb).await
}

/// The local development secret of DESIGN.md (never used outside wrangler dev).
pub const DEV_WEBHOOK_SECRET: &str = "whsec_am9pbnRmb3JjZS1sb2NhbC1kZXYtc2VjcmV0LTAwMDE=";

pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Sends raw bytes to the marketplace webhook with the given Standard Webhooks headers.
pub async fn post_webhook(
    id: Option<&str>,
    timestamp: Option<i64>,
    signature: Option<&str>,
    body: &[u8],
) -> Answer {
    let mut rb = http()
        .post(format!("{}/api/v1/webhooks/marketplace", base_url()))
        .header("content-type", "application/json")
        .body(body.to_vec());
    if let Some(id) = id {
        rb = rb.header("webhook-id", id);
    }
    if let Some(ts) = timestamp {
        rb = rb.header("webhook-timestamp", ts.to_string());
    }
    if let Some(sig) = signature {
        rb = rb.header("webhook-signature", sig);
    }
    read(rb).await
}

/// A correctly signed marketplace event.
pub async fn webhook(id: &str, event: &Value) -> Answer {
    let body = event.to_string();
    let secret = jf_core::webhook::Secret::parse(DEV_WEBHOOK_SECRET).expect("dev secret");
    let ts = now_secs();
    post_webhook(
        Some(id),
        Some(ts),
        Some(&secret.sign(id, ts, body.as_bytes())),
        body.as_bytes(),
    )
    .await
}

/// Runs the Cron Trigger once (wrangler dev --test-scheduled).
pub async fn run_cron() {
    let a = read(http().get(format!("{}/__scheduled?cron=*+*+*+*+*", base_url()))).await;
    assert_eq!(a.status, 200, "cron: {}", a.text);
}

/// Moves the Worker's domain clock (only the test configuration has this binding).
pub async fn set_clock_offset(ms: i64) {
    let a = Caller::anonymous()
        .send(
            "POST",
            "/api/__test/clock",
            Some(serde_json::json!({ "offset_ms": ms })),
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.text);
}

/// Polls `f` until it returns Some, for up to 10 seconds.
pub async fn eventually<T, F, Fut>(what: &str, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    for _ in 0..50 {
        if let Some(v) = f().await {
            return v;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("never happened: {what}");
}

/// A statement long enough for a report.
pub const STATEMENT: &str =
    "Counterfeit: the logo, stitching and serial plate differ from our genuine product.";

/// A listing the simulator knows and JointForce has never seen; returns its id.
pub async fn new_listing(title: &str, seller_id: &str) -> String {
    let id = unique("MKT-T");
    let listing = serde_json::json!({
        "listing_id": id, "url": format!("https://market.example/item/{id}"), "title": title,
        "price": { "amount": "49.00", "currency": "EUR" },
        "image_url": "data:image/svg+xml;utf8,%3Csvg xmlns='http://www.w3.org/2000/svg' width='8' height='8'/%3E",
        "seller": { "seller_id": seller_id, "name": format!("Seller {seller_id}") } });
    let a = simulator("POST", "/__listings", Some(listing)).await;
    assert_eq!(a.status, 200, "{}", a.text);
    id
}

/// The id of a verified, unexpired right of the brand.
pub async fn usable_right(caller: &Caller, brand: &str) -> String {
    let rights = caller
        .get(&format!("/api/v1/brands/{brand}/ip-rights"))
        .await
        .json();
    let usable = rights["rights"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["usable"] == true));
    usable
        .and_then(|r| r["id"].as_str())
        .expect("a usable right")
        .to_owned()
}

/// A report of `listing` (given by its marketplace URL) invoking `right`.
pub fn report_body(listing: &str, right: &str) -> Value {
    serde_json::json!({ "listing": format!("https://market.example/item/{listing}"), "ip_right_id": right,
        "reason_code": "counterfeit", "statement": STATEMENT,
        "evidence_urls": ["https://brand-evidence.example/test-buy.pdf"], "good_faith": true })
}

/// Files a report, as `caller` for `brand`, of a fresh listing the simulator knows; returns the
/// listing id and the answer.
pub async fn report_fresh_listing(caller: &Caller, brand: &str, title: &str) -> (String, Answer) {
    let right = usable_right(caller, brand).await;
    let listing = new_listing(title, "SEL-T1").await;
    let path = format!("/api/v1/brands/{brand}/reports");
    let answer = caller
        .send("POST", &path, Some(report_body(&listing, &right)))
        .await;
    (listing, answer)
}

/// A brand admin invites an address with a role (the link goes only by email).
pub async fn invite(admin: &Caller, brand: &str, email: &str, role: &str) -> Answer {
    admin
        .send(
            "POST",
            &format!("/api/v1/brands/{brand}/members"),
            Some(serde_json::json!({ "email": email, "role": role })),
        )
        .await
}

/// One email the local `send_email` binding was given (collected by xtask into `JF_MAILBOX`).
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
}

impl Mail {
    /// The path of the first link in the message (`/invite/…`, `/set-password/…`).
    pub fn link_path(&self) -> String {
        let base = base_url();
        let at = self
            .text
            .find(&base)
            .unwrap_or_else(|| panic!("no link to {base} in: {}", self.text));
        self.text[at + base.len()..]
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned()
    }
    /// The link's token (its last path segment).
    pub fn token(&self) -> String {
        self.link_path()
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_owned()
    }
}

/// Every email sent so far, oldest first.
pub fn mailbox() -> Vec<Mail> {
    let path = std::env::var("JF_MAILBOX").unwrap_or_else(|_| {
        panic!("JF_MAILBOX is not set: run these tests through `cargo xtask test`")
    });
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// How many emails went to this address so far.
pub fn mails_to(to: &str) -> usize {
    mailbox().iter().filter(|m| m.to == to).count()
}

/// Waits for the email to `to` that comes after the first `seen` ones (the log is written a
/// moment after the answer).
pub async fn mail_after(to: &str, seen: usize) -> Mail {
    eventually(&format!("email number {} to {to}", seen + 1), || async {
        mailbox().into_iter().filter(|m| m.to == to).nth(seen)
    })
    .await
}

/// Waits for the first email to `to` (for addresses made up by one test).
pub async fn first_mail(to: &str) -> Mail {
    mail_after(to, 0).await
}

/// Rows of a read-only query on the test stack's D1, for what no API answer shows, such as how
/// a secret is stored. Asked of the Worker itself (`POST /api/__test/read`, test configuration
/// only): a second process opening workerd's database file can make workerd's own reads fail.
pub async fn d1_rows(sql: &str) -> Vec<Value> {
    let a = Caller::anonymous()
        .send(
            "POST",
            "/api/__test/read",
            Some(serde_json::json!({ "sql": sql })),
        )
        .await;
    assert_eq!(a.status, 200, "{sql}: {}", a.text);
    a.json()["results"].as_array().cloned().unwrap_or_default()
}

/// Rows of `sql` on the test stack's D1 with `params` bound to `?1`, `?2`, … as the Worker binds
/// a statement's values: one SELECT, or `EXPLAIN QUERY PLAN` of any one statement (planned by
/// the Worker's D1, never run).
pub async fn d1_rows_with(sql: &str, params: &[jf_core::store::Value]) -> Vec<Value> {
    use jf_core::store::Value as V;
    let params: Vec<Value> = params
        .iter()
        .map(|v| match v {
            V::Null => Value::Null,
            V::Int(i) => Value::from(*i),
            V::Text(t) => Value::from(t.as_str()),
        })
        .collect();
    let a = Caller::anonymous()
        .send(
            "POST",
            "/api/__test/read",
            Some(serde_json::json!({ "sql": sql, "params": params })),
        )
        .await;
    assert_eq!(a.status, 200, "{sql}: {}", a.text);
    a.json()["results"].as_array().cloned().unwrap_or_default()
}

/// The `n` of a `SELECT count(*) AS n …`.
pub async fn d1_count(sql: &str) -> i64 {
    d1_rows(sql).await[0]["n"]
        .as_i64()
        .unwrap_or_else(|| panic!("no count from {sql}"))
}

/// The OpenAPI document the Worker serves (`GET /api/v1/openapi.json`), fetched once.
pub async fn openapi() -> &'static Value {
    static DOC: tokio::sync::OnceCell<Value> = tokio::sync::OnceCell::const_new();
    DOC.get_or_init(|| async {
        let a = Caller::anonymous().get("/api/v1/openapi.json").await;
        assert_eq!(a.status, 200, "{}", a.text);
        a.json()
    })
    .await
}

/// Every object schema that lists its properties gets `additionalProperties: false` (unless it
/// says otherwise): an answer must carry exactly the documented fields, no undocumented extra.
fn closed(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                map.insert("additionalProperties".into(), Value::Bool(false));
            }
            map.values_mut().for_each(closed);
        }
        Value::Array(items) => items.iter_mut().for_each(closed),
        _ => {}
    }
}

/// The documented response of `method route_path_template` for `status` in `doc`: its own entry,
/// or the `default` (error) entry for an error status. A success status the document does not
/// name fails.
pub fn response_in(doc: &Value, method: &str, route_path_template: &str, status: u16) -> Value {
    let op = &doc["paths"][route_path_template][method.to_lowercase()];
    assert!(
        op.is_object(),
        "{method} {route_path_template} is not in the OpenAPI document"
    );
    let responses = &op["responses"];
    match responses.get(status.to_string()) {
        Some(r) => r.clone(),
        None if status >= 400 => responses["default"].clone(),
        None => panic!(
            "{method} {route_path_template} answered {status}, which the document does not name (it names {:?})",
            responses.as_object().map(|r| r.keys().collect::<Vec<_>>())
        ),
    }
}

/// The served document's response of a route for a status (see `response_in`).
pub async fn documented_response(method: &str, route_path_template: &str, status: u16) -> Value {
    response_in(openapi().await, method, route_path_template, status)
}

/// Where a JSON answer departs from the schema `doc` gives for its route and status (`$ref`s
/// resolve within the document's components; formats such as `uuid` are checked; an object may
/// carry no property the schema does not list). Empty when it matches.
pub fn schema_problems(
    doc: &Value,
    method: &str,
    route_path_template: &str,
    status: u16,
    body: &Value,
) -> Vec<String> {
    let response = response_in(doc, method, route_path_template, status);
    let Some(schema) = response["content"]["application/json"]["schema"].as_object() else {
        panic!("{method} {route_path_template} {status}: no JSON schema documented: {response}");
    };
    let mut root = Value::Object(schema.clone());
    let mut components = doc["components"].clone();
    closed(&mut components);
    closed(&mut root);
    root["components"] = components;
    root["$schema"] = "https://json-schema.org/draft/2020-12/schema".into();
    let validator = jsonschema::draft202012::options()
        .should_validate_formats(true)
        .should_ignore_unknown_formats(true)
        .build(&root)
        .unwrap_or_else(|e| panic!("{method} {route_path_template} {status}: bad schema: {e}"));
    validator
        .iter_errors(body)
        .map(|e| format!("at {}: {e}", e.instance_path()))
        .collect()
}

/// Checks a JSON answer against the schema the served OpenAPI document gives for its route and
/// status (see `schema_problems`).
pub async fn assert_matches_schema(
    method: &str,
    route_path_template: &str,
    status: u16,
    body: &Value,
) {
    let problems = schema_problems(openapi().await, method, route_path_template, status, body);
    if !problems.is_empty() {
        let text = body.to_string();
        panic!(
            "{method} {route_path_template} {status}: the answer does not match its documented schema:\n{}\nanswer: {}",
            problems.join("\n"),
            &text[..text.len().min(2000)]
        );
    }
}
