//! The marketplace as the Worker reaches it (signed HTTP calls), and KV as file storage.

use jf_core::clock::Entropy;
use jf_core::endpoint_secret::SecretsKeys;
use jf_core::integrations::WebhookSettings;
use jf_core::listing::Snapshot;
use jf_core::ports::{
    DeliveryFailure, FileStore, Lookup, Marketplace, Search, SearchPage, Settings,
};
use jf_core::webhook::Secret;
use jf_core::Result;
use worker::{Env, Fetch, Headers, Method, Request, RequestInit};

/// How long JointForce waits for the marketplace before treating it as down.
const TIMEOUT_MS: u32 = 5_000;

pub struct MarketplaceHttp {
    api_url: String,
    actions_url: String,
    secret: Secret,
}

fn var(env: &Env, name: &str) -> Result<String> {
    env.var(name)
        .map(|v| v.to_string())
        .map_err(|e| crate::reply::platform(format!("{name} is not configured"), e))
}

fn secret(env: &Env, name: &str) -> Result<Secret> {
    let raw = env
        .secret(name)
        .map(|s| s.to_string())
        .map_err(|e| crate::reply::platform(format!("{name} is not set"), e))?;
    Secret::parse(&raw)
}

pub fn webhook_secret(env: &Env) -> Result<Secret> {
    secret(env, "MARKETPLACE_WEBHOOK_SECRET")
}

pub fn settings(env: &Env) -> Result<Settings> {
    Ok(Settings {
        listing_url_prefix: var(env, "MARKETPLACE_LISTING_URL_PREFIX")?,
    })
}

/// Real wall-clock seconds (signatures are never judged by a test clock).
pub fn wall_clock_secs() -> i64 {
    (worker::Date::now().as_millis() / 1000) as i64
}

impl MarketplaceHttp {
    pub fn from_env(env: &Env) -> Result<Self> {
        Ok(MarketplaceHttp {
            api_url: var(env, "MARKETPLACE_API_URL")?,
            actions_url: var(env, "MARKETPLACE_ACTIONS_URL")?,
            secret: secret(env, "MARKETPLACE_ACTIONS_SECRET")?,
        })
    }

    async fn call(
        &self,
        method: Method,
        url: &str,
        id: &str,
        body: &str,
    ) -> std::result::Result<(u16, String), String> {
        let ts = wall_clock_secs();
        let headers = Headers::new();
        let set = |k: &str, v: &str| headers.set(k, v).map_err(|e| e.to_string());
        set("webhook-id", id)?;
        set("webhook-timestamp", &ts.to_string())?;
        set(
            "webhook-signature",
            &self.secret.sign(id, ts, body.as_bytes()),
        )?;
        set("idempotency-key", id)?;
        if method == Method::Post {
            set("content-type", "application/json")?;
        }
        let mut init = RequestInit::new();
        init.with_method(method.clone())
            .with_headers(headers.clone());
        if method == Method::Post {
            init.with_body(Some(body.into()));
        }
        let request = Request::new_with_init(url, &init).map_err(|e| e.to_string())?;
        let signal = worker::AbortSignal::from(web_sys::AbortSignal::timeout_with_u32(TIMEOUT_MS));
        let mut response = Fetch::Request(request)
            .send_with_signal(&signal)
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status_code();
        let text = response.text().await.unwrap_or_default();
        Ok((status, text))
    }
}

impl Marketplace for MarketplaceHttp {
    async fn lookup(&self, listing_id: &str) -> Lookup {
        let id = format!("lookup_{}", crate::platform::WebCrypto.uuid().simple());
        let url = format!(
            "{}/listings/{}",
            self.api_url.trim_end_matches('/'),
            listing_id
        );
        match self.call(Method::Get, &url, &id, "").await {
            Ok((200, text)) => match serde_json::from_str::<Snapshot>(&text) {
                Ok(s) if s.validate("listing").is_ok() && s.listing_id == listing_id => {
                    Lookup::Found(s)
                }
                _ => Lookup::Unavailable(
                    "the marketplace answered a listing we could not read".into(),
                ),
            },
            Ok((404, _)) => Lookup::Unknown,
            Ok((status, _)) => Lookup::Unavailable(format!("the marketplace answered {status}")),
            Err(e) => Lookup::Unavailable(e),
        }
    }

    async fn search(&self, q: &str, cursor: Option<&str>, limit: u32) -> Search {
        #[derive(serde::Deserialize)]
        struct Page {
            listings: Vec<Snapshot>,
            #[serde(default)]
            next_cursor: Option<String>,
        }
        let id = format!("search_{}", crate::platform::WebCrypto.uuid().simple());
        let limit = limit.to_string();
        let mut params = vec![("q", q), ("limit", limit.as_str())];
        params.extend(cursor.map(|c| ("cursor", c)));
        let base = format!("{}/listings", self.api_url.trim_end_matches('/'));
        let url = match worker::Url::parse_with_params(&base, &params) {
            Ok(url) => url,
            Err(e) => return Search::Unavailable(format!("MARKETPLACE_API_URL: {e}")),
        };
        match self.call(Method::Get, url.as_str(), &id, "").await {
            Ok((200, text)) => match serde_json::from_str::<Page>(&text) {
                // A listing that does not read as one is left out, not shown half-read.
                Ok(page) => Search::Found(SearchPage {
                    listings: page
                        .listings
                        .into_iter()
                        .filter(|s| s.validate("listing").is_ok())
                        .collect(),
                    next_cursor: page.next_cursor.filter(|c| !c.is_empty()),
                }),
                Err(_) => Search::Unavailable(
                    "the marketplace answered a search we could not read".into(),
                ),
            },
            Ok((status, _)) => Search::Unavailable(format!("the marketplace answered {status}")),
            Err(e) => Search::Unavailable(e),
        }
    }

    async fn send(&self, action_id: &str, body: &str) -> std::result::Result<(), String> {
        match self
            .call(Method::Post, &self.actions_url, action_id, body)
            .await?
        {
            (200..=299, _) => Ok(()),
            (status, text) => Err(format!(
                "{status}: {}",
                text.chars().take(200).collect::<String>()
            )),
        }
    }
}

/// Files in KV, under keys that carry the brand id.
pub struct KvFiles(pub worker::KvStore);

impl KvFiles {
    pub fn from_env(env: &Env) -> Result<Self> {
        env.kv("FILES")
            .map(KvFiles)
            .map_err(|e| crate::reply::platform("the FILES binding", e))
    }
}

impl FileStore for KvFiles {
    async fn put(&self, key: &str, bytes: &[u8]) -> Result<()> {
        self.0
            .put_bytes(key, bytes)
            .map_err(|e| crate::reply::platform("KV put", e))?
            .execute()
            .await
            .map_err(|e| crate::reply::platform("KV put", e))
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        self.0
            .get(key)
            .bytes()
            .await
            .map_err(|e| crate::reply::platform("KV get", e))
    }
}

/// Brands' webhook endpoints, reached with Fetch (5-second timeout, redirects not followed).
/// What went wrong is logged here in the runtime's words and handed on only as its class.
pub struct BrandWebhooks;

impl BrandWebhooks {
    fn failed(url: &str, step: &str, e: impl std::fmt::Display) -> DeliveryFailure {
        let text = e.to_string();
        let class = DeliveryFailure::of_fetch_error(&text);
        // The origin only: a path or query may carry the brand's own token.
        let origin = url.split('/').take(3).collect::<Vec<_>>().join("/");
        worker::console_error!(
            "brand webhook to {origin}: {step} failed ({}): {text}",
            class.as_str()
        );
        class
    }
}

impl jf_core::ports::WebhookClient for BrandWebhooks {
    async fn post(
        &self,
        url: &str,
        headers: &[(&str, String)],
        body: &str,
    ) -> std::result::Result<u16, DeliveryFailure> {
        let h = Headers::new();
        for (k, v) in headers {
            h.set(k, v)
                .map_err(|e| Self::failed(url, "setting a header", e))?;
        }
        let mut init = RequestInit::new();
        init.with_method(Method::Post)
            .with_headers(h)
            .with_body(Some(body.into()))
            .with_redirect(worker::RequestRedirect::Manual);
        let request = Request::new_with_init(url, &init)
            .map_err(|e| Self::failed(url, "building the request", e))?;
        let signal = worker::AbortSignal::from(web_sys::AbortSignal::timeout_with_u32(TIMEOUT_MS));
        let response = Fetch::Request(request)
            .send_with_signal(&signal)
            .await
            .map_err(|e| Self::failed(url, "fetch", e))?;
        let status = response.status_code();
        // Only the status counts. The body is cancelled, not left unread: a run sends up to a
        // chunk of deliveries one after another, and every unread body keeps its connection
        // open (workerd cancels such "stalled" responses itself, with a warning, once a few are
        // open), while reading it would let an endpoint stream into the Worker's memory.
        if let worker::ResponseBody::Stream(body) = response.body() {
            let cancelled = worker::wasm_bindgen_futures::JsFuture::from(body.cancel()).await;
            if let Err(e) = cancelled {
                worker::console_warn!("brand webhook answer not cancelled: {e:?}");
            }
        }
        Ok(status)
    }
}

/// Local development may send brand webhooks to http://127.0.0.1 (set in `.dev.vars` only).
pub fn allow_loopback_webhooks(env: &Env) -> bool {
    let on = |v: String| v == "true";
    env.var("ALLOW_LOOPBACK_WEBHOOKS")
        .map(|v| on(v.to_string()))
        .unwrap_or(false)
        || env
            .secret("ALLOW_LOOPBACK_WEBHOOKS")
            .map(|v| on(v.to_string()))
            .unwrap_or(false)
}

/// What registering and sending to brand endpoints needs: the loopback switch and the key that
/// seals endpoint secrets (`ENDPOINT_SECRETS_KEY`, a secret; `.dev.vars` and `[env.test.vars]`
/// hold local-only ones). Missing or malformed, it is an internal error (logged, never shown).
pub fn webhook_settings(env: &Env) -> Result<WebhookSettings> {
    const NAME: &str = "ENDPOINT_SECRETS_KEY";
    let raw = env
        .secret(NAME)
        .map(|s| s.to_string())
        .or_else(|_| env.var(NAME).map(|v| v.to_string()))
        .map_err(|e| crate::reply::platform(format!("{NAME} is not set"), e))?;
    Ok(WebhookSettings {
        allow_loopback: allow_loopback_webhooks(env),
        keys: SecretsKeys::parse(&raw)?,
    })
}
