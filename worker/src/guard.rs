//! The guard every API request passes, in the order DESIGN.md fixes: route → body size (411, 413)
//! → authentication (401) → the caller's rate (429) → CSRF (403) → scope (404) → role (403) →
//! a brand's exports (429) → content type (415) → the body, read only now (a marketplace
//! webhook's body is read first: its signature covers it).
//! Handlers only ever receive an `Admitted` request, which only this module can make.

use crate::d1::D1;
use crate::platform::WorkerClock;
use crate::reply::session_cookie_name;
use jf_core::access::{self, Actor};
use jf_core::form::Part;
use jf_core::identity::{self, Client, Deps};
use jf_core::ids::BrandId;
use jf_core::limits::{self, Counted, Counter};
use jf_core::routes::{self, Access, Body, PathParams, Resolution, Route};
use jf_core::{Error, Result};
use worker::{Env, FormEntry, Method, Request};

/// A request that passed the guard, with what its handler needs.
pub struct Admitted {
    pub route: &'static Route,
    pub params: PathParams,
    pub actor: Actor,
    /// The brand of a brand-scoped route, already checked against the actor.
    pub brand_id: Option<BrandId>,
    /// A JSON or CSV body (empty for multipart and bodiless routes).
    pub body: Vec<u8>,
    /// A multipart/form-data body, read by workerd: the parts the route knows by name.
    pub form: Option<Vec<Part>>,
    /// The `webhook-id` of a signed marketplace request.
    pub webhook_id: Option<String>,
    pub session_token: Option<String>,
    /// Where the request comes from (for the throttle and the session list).
    pub client: Client,
    /// Cookies get `Secure` everywhere but plain-http local development.
    pub secure: bool,
    pub url: worker::Url,
    pub db: D1,
    pub clock: WorkerClock,
}

fn internal(e: worker::Error) -> Error {
    crate::reply::platform("reading the request", e)
}

fn cookie(req: &Request, name: &str) -> Result<Option<String>> {
    let header = req
        .headers()
        .get("cookie")
        .map_err(internal)?
        .unwrap_or_default();
    Ok(header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name && !v.is_empty()).then(|| v.to_owned())
    }))
}

fn method_name(m: &Method) -> &'static str {
    match m {
        Method::Get => "GET",
        Method::Head => "HEAD",
        Method::Post => "POST",
        Method::Put => "PUT",
        Method::Patch => "PATCH",
        Method::Delete => "DELETE",
        _ => "OTHER",
    }
}

pub async fn admit(mut req: Request, env: &Env) -> Result<Admitted> {
    let method = method_name(&req.method());
    let path = req.path();
    let (route, params) = match routes::resolve(method, &path) {
        Resolution::Found(route, params) => (route, params),
        Resolution::MethodNotAllowed => return Err(Error::MethodNotAllowed),
        Resolution::NotFound => return Err(Error::NotFound),
    };
    let url = req.url().map_err(internal)?;

    // 1. Body size, before anything is read or looked up. A body must state its size, so that
    // an oversized one is refused unread; a JSON body is held to JSON's limit on any route.
    let essence = essence(
        &req.headers()
            .get("content-type")
            .map_err(internal)?
            .unwrap_or_default(),
    );
    let limit = route.body.max_bytes_as(&essence);
    let declared: Option<usize> = req
        .headers()
        .get("content-length")
        .map_err(internal)?
        .and_then(|v| v.trim().parse().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(Error::PayloadTooLarge);
    }
    // (A request with no body at all has nothing to measure.)
    if route.body != Body::None && declared.is_none() && req.inner().body().is_some() {
        return Err(Error::LengthRequired);
    }
    // The marketplace's signature covers its body: that one is read before authentication.
    let mut body = Vec::new();
    if route.access == Access::Signed {
        body = read_bytes(&mut req, limit).await?;
    }

    // 2. Authentication.
    let host = url.host_str().unwrap_or_default();
    let secure = url.scheme() == "https" || !(host == "127.0.0.1" || host == "localhost");
    let db = D1(env
        .d1("DB")
        .map_err(|e| crate::reply::platform("the DB binding", e))?);
    let clock = WorkerClock::for_env(env).await?;
    let session_token = cookie(&req, session_cookie_name(secure))?;
    let header = |name: &str| req.headers().get(name).map_err(internal);
    let webhook_id = header("webhook-id")?;
    let client = Client::from_headers(
        header("cf-connecting-ip")?.as_deref(),
        header("user-agent")?.as_deref(),
    );
    if route.access == Access::Signed {
        let secret = crate::marketplace::webhook_secret(env)?;
        let signature = header("webhook-signature")?;
        let timestamp = header("webhook-timestamp")?;
        let now = crate::marketplace::wall_clock_secs();
        jf_core::webhook::verify(
            &secret,
            webhook_id.as_deref(),
            timestamp.as_deref(),
            signature.as_deref(),
            &body,
            now,
        )
        .map_err(|r| Error::BadSignature(r.message()))?;
    }
    // Machines use `Authorization: Bearer jfk_…` (no cookie, so no CSRF); people the session cookie.
    let bearer = header("authorization")?
        .and_then(|h| h.strip_prefix("Bearer ").map(|k| k.trim().to_owned()));
    // 2b. The caller's reads or writes this minute: a session or a key, by its secret's digest.
    // The counter is asked while the secret is looked up (one wait, not two) and heeded once the
    // secret names a caller; an anonymous request is not counted.
    let counted = match (&bearer, &session_token) {
        (Some(key), _) => Some(Counted::Key(jf_core::token::digest(key))),
        (None, Some(token)) => Some(Counted::Session(jf_core::token::digest(token))),
        (None, None) => None,
    };
    let identify = async {
        if matches!(route.access, Access::Public | Access::Signed) {
            return Ok(Actor::Anonymous);
        }
        let deps = Deps {
            db: &db,
            clock: &clock,
            entropy: &crate::platform::WebCrypto,
            address: None,
        };
        match (&bearer, &session_token) {
            (Some(key), _) => jf_core::integrations::actor_for_key(&deps, key).await,
            (None, Some(token)) => identity::actor_for_session(&deps, token).await,
            (None, None) => Ok(Actor::Anonymous),
        }
    };
    let count = async {
        match counted.as_ref() {
            Some(who) if !matches!(route.access, Access::Public | Access::Signed) => {
                Some(within_limit(env, &limits::secret_counter(route, who)).await)
            }
            _ => None,
        }
    };
    let (actor, within) = futures_util::future::join(identify, count).await;
    let actor = actor?;
    if !matches!(
        route.access,
        Access::Public | Access::Optional | Access::Signed
    ) && actor == Actor::Anonymous
    {
        return Err(Error::Unauthenticated);
    }
    if limits::caller_counter(route, &actor, counted.as_ref()).is_some() {
        within.transpose()?;
    }

    // 3. CSRF: a state-changing browser request must come from this site.
    if route.method.changes_state() && route.access != Access::Signed && bearer.is_none() {
        let origin = req.headers().get("origin").map_err(internal)?;
        if origin.as_deref() != Some(url.origin().ascii_serialization().as_str()) {
            return Err(Error::CrossSite);
        }
    }

    // 4 and 5. Scope (404) and role (403).
    let brand_id = match route.access {
        Access::Brand(action) => {
            let brand_id = BrandId::parse(params.get("brand_id").unwrap_or_default())?;
            access::authorize(&actor, brand_id, action)?;
            Some(brand_id)
        }
        Access::Staff(area) => {
            access::authorize_staff(&actor, area)?;
            None
        }
        // Keys act for a brand, never as a person.
        Access::Person if matches!(actor, Actor::ApiKey { .. }) => return Err(Error::NotFound),
        Access::Public | Access::Optional | Access::Person | Access::Signed => None,
    };

    // 5b. A brand's exports this minute, counted only for a caller who may export.
    if let Some(counter) = limits::export_counter(route, brand_id) {
        within_limit(env, &counter).await?;
    }

    // 6. The content type the route accepts.
    if route.body != Body::None && !route.body.accepts().contains(&essence.as_str()) {
        return Err(Error::UnsupportedMediaType(
            route.body.accepts().join(" or "),
        ));
    }

    // 7. Only an admitted request's body is read.
    let mut form = None;
    if route.access != Access::Signed && route.body != Body::None {
        if essence == "multipart/form-data" {
            form = Some(read_form(&mut req, route.body).await?);
        } else {
            body = read_bytes(&mut req, limit).await?;
        }
    }

    Ok(Admitted {
        route,
        params,
        actor,
        brand_id,
        body,
        form,
        webhook_id,
        session_token,
        client,
        secure,
        url,
        db,
        clock,
    })
}

/// Counts one request on the counter's rate-limiting binding; a refusal is a 429 saying when the
/// period ends. The platform counts (no database write): the binding is eventually consistent
/// across locations, so a limit is a guard against floods, not an exact quota.
async fn within_limit(env: &Env, counter: &Counter) -> Result<()> {
    let binding = counter.kind.binding();
    let limiter = env
        .rate_limiter(binding)
        .map_err(|e| crate::reply::platform(format!("the {binding} binding"), e))?;
    // A counter that fails to answer lets the request through: the limit guards against floods,
    // and its outage must not become the service's. (A missing binding is a misconfiguration,
    // refused above like any other.)
    let success = match limiter.limit(counter.key.clone()).await {
        Ok(outcome) => outcome.success,
        Err(e) => {
            worker::console_error!("rate limiter {binding} failed: {e}");
            true
        }
    };
    if success {
        return Ok(());
    }
    // The periods are the wall clock's minutes, whatever a test's domain clock says.
    let now_ms = worker::Date::now().as_millis() as i64;
    Err(Error::RateLimited {
        kind: counter.kind,
        retry_after_secs: limits::retry_after_secs(now_ms),
    })
}

/// A content type's essence (`multipart/form-data` of `multipart/form-data; boundary=…`).
fn essence(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

async fn read_bytes(req: &mut Request, limit: usize) -> Result<Vec<u8>> {
    let body = req.bytes().await.map_err(internal)?;
    if body.len() > limit {
        return Err(Error::PayloadTooLarge);
    }
    Ok(body)
}

/// The names each upload route's form may carry; other parts are not read.
fn form_names(body: Body) -> &'static [&'static str] {
    match body {
        Body::Report => &[
            "listing",
            "ip_right_id",
            "reason_code",
            "statement",
            "evidence_urls",
            "good_faith",
            "evidence",
        ],
        Body::Upload => &["file", "certificate"],
        Body::Csv => &["file"],
        Body::None | Body::Json | Body::Webhook => &[],
    }
}

/// Reads a multipart body with workerd's own parser (`Request::form_data`): each file's bytes
/// are copied into wasm once.
async fn read_form(req: &mut Request, body: Body) -> Result<Vec<Part>> {
    let form = req
        .form_data()
        .await
        .map_err(|_| Error::invalid("body", "is not a readable multipart/form-data body"))?;
    let mut parts = Vec::new();
    for name in form_names(body) {
        for entry in form.get_all(name).unwrap_or_default() {
            parts.push(match entry {
                FormEntry::Field(text) => Part {
                    name: (*name).to_owned(),
                    filename: None,
                    data: text.into_bytes(),
                },
                FormEntry::File(file) => Part {
                    name: (*name).to_owned(),
                    filename: Some(file.name()),
                    data: file.bytes().await.map_err(internal)?,
                },
            });
        }
    }
    Ok(parts)
}
