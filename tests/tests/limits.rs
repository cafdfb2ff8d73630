//! Limits that protect the service, on wrangler dev: a session's and an API key's writes a minute,
//! a brand's exports a minute (429 with Retry-After, as the OpenAPI document says), and the
//! cron's retention of settled events and ended sessions.
//!
//! The Rate Limiting binding counts in the wall clock's minutes (miniflare starts every counter
//! afresh when the minute changes), so a test that must stay within one minute starts early in
//! one.

use jf_tests::*;
use serde_json::{json, Value};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::RwLock;

/// The retention test moves the domain clock: the others must not run meanwhile (their sessions
/// would begin in the past).
static WORLD: RwLock<()> = RwLock::const_new(());

const DAY_MS: i64 = 24 * 3_600_000;

fn wall_minute() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_millis()
        / 60_000
}

/// Waits for the next minute unless at least `needs_secs` of this one are left; returns the
/// minute the run starts in.
async fn early_in_a_minute(needs_secs: u64) -> u128 {
    let into_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_millis()
        % 60_000;
    if into_ms > u128::from(60 - needs_secs) * 1000 {
        let wait = 60_000 - into_ms + 250;
        tokio::time::sleep(Duration::from_millis(wait as u64)).await;
    }
    wall_minute()
}

/// A refusal by a limit: 429, its code and which limit, and a Retry-After within the minute
/// (the body matches its documented schema).
async fn assert_limited(a: &Answer, limit: &str, method: &str, route: &str) {
    assert_eq!(a.status, 429, "{}", a.text);
    assert_eq!(a.error_code(), "too_many_requests", "{}", a.text);
    assert_eq!(a.json()["error"]["limit"], limit, "{}", a.text);
    let retry: i64 = a
        .header("retry-after")
        .expect("a Retry-After header")
        .parse()
        .expect("Retry-After in seconds");
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
    assert_matches_schema(method, route, 429, &a.json()).await;
}

/// A request made with an API key (no cookie, no Origin: a machine).
async fn with_key(secret: &str, method: &str, path: &str, body: Option<Value>) -> Answer {
    let mut rb = reqwest::Client::new()
        .request(
            reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
            format!("{}{path}", base_url()),
        )
        .header("authorization", format!("Bearer {secret}"));
    if let Some(b) = body {
        rb = rb
            .header("content-type", "application/json")
            .body(b.to_string());
    }
    read(rb).await
}

/// An id nothing has: a write naming it changes nothing (404), however often it is sent.
const NOTHING: &str = "00000000-0000-4000-8000-000000000404";

/// A session's 121st write in a minute is refused with when to come back; its reads are counted
/// apart, and another session of the same person has writes of its own.
#[tokio::test]
async fn a_session_is_refused_its_121st_write_in_a_minute() {
    let _w = WORLD.read().await;
    let alice = Caller::login("alice@aurelia.test").await;
    let other = Caller::login("alice@aurelia.test").await;
    // Ending a session that is not there: a write that changes nothing (404).
    let end_nothing = |c: Caller| async move {
        c.send("DELETE", &format!("/api/v1/me/sessions/{NOTHING}"), None)
            .await
    };
    let minute = early_in_a_minute(45).await;
    for n in 1..=120 {
        let a = end_nothing(alice.clone()).await;
        assert_eq!(a.status, 404, "write {n}: {}", a.text);
    }
    let refused = end_nothing(alice.clone()).await;
    assert_eq!(wall_minute(), minute, "the writes took over a minute");
    assert_limited(
        &refused,
        "writes",
        "DELETE",
        "/api/v1/me/sessions/{session_id}",
    )
    .await;
    // Reads are counted apart; another session counts its own writes.
    assert_eq!(alice.get("/api/v1/me").await.status, 200);
    assert_eq!(end_nothing(other).await.status, 404);
}

/// An API key's writes are its own: a key over its limit is refused while another key of the
/// same brand still writes.
#[tokio::test]
async fn an_api_keys_limit_is_its_own() {
    let _w = WORLD.read().await;
    let alice = Caller::login("alice@aurelia.test").await;
    let aurelia = brand_id("Aurelia").await;
    let mut keys = Vec::new();
    for name in ["limits key A", "limits key B"] {
        let k = alice
            .send(
                "POST",
                &format!("/api/v1/brands/{aurelia}/api-keys"),
                Some(json!({ "name": name, "scope": "read_write" })),
            )
            .await;
        assert_eq!(k.status, 201, "{}", k.text);
        let k = k.json();
        keys.push((
            k["key"]["id"].as_str().unwrap().to_owned(),
            k["secret"].as_str().unwrap().to_owned(),
        ));
    }
    // Withdrawing a case the brand does not have: a write that changes nothing.
    let withdraw_nothing = |secret: String| {
        let path = format!("/api/v1/brands/{aurelia}/cases/{NOTHING}/withdraw");
        async move {
            with_key(
                &secret,
                "POST",
                &path,
                Some(json!({ "reason": "limits test" })),
            )
            .await
        }
    };
    let minute = early_in_a_minute(45).await;
    for n in 1..=120 {
        let a = withdraw_nothing(keys[0].1.clone()).await;
        assert_ne!(a.status, 429, "write {n}: {}", a.text);
        assert_eq!(a.status, 404, "write {n}: {}", a.text);
    }
    let refused = withdraw_nothing(keys[0].1.clone()).await;
    assert_eq!(wall_minute(), minute, "the writes took over a minute");
    assert_limited(
        &refused,
        "writes",
        "POST",
        "/api/v1/brands/{brand_id}/cases/{case_id}/withdraw",
    )
    .await;
    let b = withdraw_nothing(keys[1].1.clone()).await;
    assert_eq!(b.status, 404, "another key is not limited: {}", b.text);
    // The refused key still reads.
    let read = with_key(
        &keys[0].1,
        "GET",
        &format!("/api/v1/brands/{aurelia}"),
        None,
    )
    .await;
    assert_eq!(read.status, 200, "{}", read.text);
    for (id, _) in keys {
        let revoked = alice
            .send(
                "DELETE",
                &format!("/api/v1/brands/{aurelia}/api-keys/{id}"),
                None,
            )
            .await;
        assert!(revoked.status < 300, "{}", revoked.text);
    }
}

/// A brand's sixth export in a minute is refused, whoever asks; another brand still exports; and
/// requests refused before the export (someone with no access) use none of the brand's exports.
#[tokio::test]
async fn a_brands_sixth_export_in_a_minute_is_refused() {
    let _w = WORLD.read().await;
    let ops = Caller::login("ops@marketplace.test").await;
    let new_brand = || {
        let ops = ops.clone();
        async move {
            let name = unique("Limits");
            let a = ops
                .send(
                    "POST",
                    "/api/v1/admin/brands",
                    Some(json!({ "name": name, "brand_ref": format!("BR-{}", name.to_uppercase().replace('-', "")) })),
                )
                .await;
            assert_eq!(a.status, 201, "{}", a.text);
            a.json()["id"].as_str().unwrap().to_owned()
        }
    };
    let (first, second, third) = (new_brand().await, new_brand().await, new_brand().await);
    let export = |brand: &str| format!("/api/v1/brands/{brand}/export/cases.csv");
    let nina = Caller::login("nina@northwind.test").await;
    let minute = early_in_a_minute(30).await;
    for n in 1..=5 {
        let a = ops.get(&export(&first)).await;
        assert_eq!(a.status, 200, "export {n}: {}", a.text);
    }
    let refused = ops.get(&export(&first)).await;
    assert_limited(
        &refused,
        "exports",
        "GET",
        "/api/v1/brands/{brand_id}/export/cases.csv",
    )
    .await;
    // The brand's count, not the caller's: another caller of the same brand is refused too.
    let again = Caller::login("ops@marketplace.test").await;
    assert_eq!(again.get(&export(&first)).await.status, 429);
    assert_eq!(ops.get(&export(&second)).await.status, 200);
    // Someone who may not see the third brand is refused before anything is counted.
    for _ in 0..6 {
        assert_eq!(nina.get(&export(&third)).await.status, 404);
    }
    let a = ops.get(&export(&third)).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(wall_minute(), minute, "the exports took over a minute");
}

/// The served document says where a limit may refuse, with its header.
#[tokio::test]
async fn the_openapi_document_says_where_429_comes_with_retry_after() {
    for (method, route) in [
        ("GET", "/api/v1/me"),
        ("DELETE", "/api/v1/me/sessions/{session_id}"),
        ("GET", "/api/v1/brands/{brand_id}/export/cases.csv"),
        ("POST", "/api/v1/brands/{brand_id}/cases/{case_id}/withdraw"),
    ] {
        let r = documented_response(method, route, 429).await;
        assert_eq!(
            r["headers"]["Retry-After"]["schema"]["type"], "integer",
            "{method} {route}: {r}"
        );
        let unavailable = documented_response(method, route, 503).await;
        assert!(unavailable["headers"]["Retry-After"].is_object(), "{route}");
    }
    let export =
        documented_response("GET", "/api/v1/brands/{brand_id}/export/cases.csv", 429).await;
    assert!(
        export["description"]
            .as_str()
            .unwrap()
            .contains("5 exports a minute"),
        "{export}"
    );
}

/// The cron forgets a dead letter discarded over 90 days ago and a session ended over 30 days
/// ago, and keeps a letter discarded lately, one still waiting for an operator, and an open
/// session. (The domain clock is moved back while they are made.)
#[tokio::test]
async fn the_cron_forgets_settled_events_and_ended_sessions_in_time() {
    let _w = WORLD.write().await;
    let ops = Caller::login("ops@marketplace.test").await;
    let letter = |id: &str| {
        let id = id.to_owned();
        async move {
            let event = json!({ "type": "shop.verified", "timestamp": "t",
                                "data": { "brand_ref": "BR-NOBODY", "shop_id": "SHOP-LIMITS" } });
            let stored = webhook(&id, &event).await;
            assert_eq!(stored.status, 200, "{}", stored.text);
        }
    };
    let discard = |id: String| {
        let ops = ops.clone();
        async move {
            let a = ops
                .send(
                    "POST",
                    &format!("/api/v1/admin/dead-letters/{id}/discard"),
                    Some(json!({ "reason": "retention test" })),
                )
                .await;
            assert_eq!(a.status, 204, "{}", a.text);
        }
    };
    let (old, lately, waiting) = (
        unique("msg_retention_old"),
        unique("msg_retention_lately"),
        unique("msg_retention_waiting"),
    );

    set_clock_offset(-100 * DAY_MS).await;
    letter(&old).await;
    letter(&waiting).await;
    discard(old.clone()).await;
    // A session begun and ended 40 days ago.
    set_clock_offset(-40 * DAY_MS).await;
    let ended = Caller::login("vera@aurelia.test").await;
    assert_eq!(
        ended.send("POST", "/api/v1/auth/logout", None).await.status,
        204
    );
    let ended_before = format!(
        "SELECT count(*) AS n FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = 'vera@aurelia.test') AND revoked_at IS NOT NULL AND revoked_at <= {}",
        now_secs() * 1000 - 39 * DAY_MS
    );
    set_clock_offset(0).await;
    letter(&lately).await;
    discard(lately.clone()).await;
    let open = Caller::login("vera@aurelia.test").await;

    let kept = |id: &str| {
        let sql = format!("SELECT count(*) AS n FROM inbound_events WHERE webhook_id = '{id}'");
        async move { d1_count(&sql).await }
    };
    assert_eq!(kept(&old).await, 1);
    assert_eq!(d1_count(&ended_before).await, 1);
    run_cron().await;
    assert_eq!(kept(&old).await, 0, "discarded 100 days ago: forgotten");
    assert_eq!(kept(&lately).await, 1, "discarded today: kept");
    assert_eq!(
        kept(&waiting).await,
        1,
        "a dead letter waiting is never forgotten"
    );
    assert_eq!(
        d1_count(&ended_before).await,
        0,
        "ended 40 days ago: forgotten"
    );
    assert_eq!(open.get("/api/v1/me").await.status, 200);
    // The waiting letter is settled, so it leaves the operators' list for the tests after this.
    discard(waiting).await;
}
