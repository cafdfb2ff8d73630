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
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("http client")
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
        self.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
    }
    pub fn error_code(&self) -> String {
        self.json()["error"]["code"].as_str().unwrap_or_default().to_owned()
    }
}

/// A caller: anonymous, or holding a session cookie. Sends the site's Origin like a browser.
#[derive(Clone, Debug, Default)]
pub struct Caller {
    pub cookie: Option<String>,
}

impl Caller {
    pub fn anonymous() -> Self {
        Caller { cookie: None }
    }

    pub async fn login(email: &str) -> Self {
        Self::login_with(email, DEMO_PASSWORD).await.expect("demo sign-in")
    }

    pub async fn login_with(email: &str, password: &str) -> Result<Self, Answer> {
        let answer = Caller::anonymous()
            .send("POST", "/api/v1/auth/login", Some(serde_json::json!({ "email": email, "password": password })))
            .await;
        if answer.status != 200 {
            return Err(answer);
        }
        Ok(Caller { cookie: Some(session_cookie(&answer).expect("login sets the session cookie")) })
    }

    pub fn request(&self, method: &str, path: &str) -> reqwest::RequestBuilder {
        let base = base_url();
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut rb = http().request(method, format!("{base}{path}")).header("origin", &base);
        if let Some(c) = &self.cookie {
            rb = rb.header("cookie", format!("jf_session={c}"));
        }
        rb
    }

    pub async fn send(&self, method: &str, path: &str, body: Option<Value>) -> Answer {
        let mut rb = self.request(method, path);
        if let Some(body) = body {
            rb = rb.header("content-type", "application/json").body(body.to_string());
        }
        read(rb).await
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.send("GET", path, None).await
    }
}

pub async fn read(rb: reqwest::RequestBuilder) -> Answer {
    let resp = rb.send().await.expect("request reaches wrangler dev");
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let text = resp.text().await.unwrap_or_default();
    Answer { status, headers, text }
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
        .map(|b| (b["name"].as_str().unwrap_or_default().to_owned(), b["id"].as_str().unwrap_or_default().to_owned()))
        .collect()
}

pub async fn brand_id(name: &str) -> String {
    demo_brands().await.into_iter().find(|(n, _)| n == name).map(|(_, id)| id).expect("demo brand")
}

/// A fresh, unique suffix for data a test creates.
pub fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("{prefix}{}{}", nanos % 1_000_000_000, N.fetch_add(1, Ordering::Relaxed))
}
