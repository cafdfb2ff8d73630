//! The simulator over real HTTP, with a small in-test receiver standing in for JointForce.

use jf_core::webhook::{self, Secret};
use jf_simulator::{start, Config, Simulator, DEV_SECRET};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn dev_secret() -> Secret {
    Secret::parse(DEV_SECRET).unwrap()
}

/// One request JointForce's stand-in received.
#[derive(Clone, Debug)]
struct Received {
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    fn kind(&self) -> String {
        self.json()["type"].as_str().unwrap().to_owned()
    }

    fn verify(&self, secret: &Secret) -> Result<(), webhook::Rejection> {
        webhook::verify(
            secret,
            self.header("webhook-id"),
            self.header("webhook-timestamp"),
            self.header("webhook-signature"),
            &self.body,
            now(),
        )
    }
}

/// A tiny HTTP server standing in for JointForce: records every request, answers `status`.
struct Receiver {
    url: String,
    received: Arc<Mutex<Vec<Received>>>,
    status: Arc<AtomicU16>,
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl Receiver {
    fn start() -> Receiver {
        let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
        let url = format!("http://{}", server.server_addr().to_ip().unwrap());
        let received = Arc::new(Mutex::new(Vec::new()));
        let status = Arc::new(AtomicU16::new(200));
        let stop = Arc::new(AtomicBool::new(false));
        let handle = {
            let (received, status, stop) = (received.clone(), status.clone(), stop.clone());
            thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let Ok(Some(mut request)) = server.recv_timeout(Duration::from_millis(50))
                    else {
                        continue;
                    };
                    let mut body = Vec::new();
                    request.as_reader().read_to_end(&mut body).unwrap();
                    let headers = request
                        .headers()
                        .iter()
                        .map(|h| (h.field.as_str().to_string(), h.value.to_string()))
                        .collect();
                    received.lock().unwrap().push(Received {
                        path: request.url().to_owned(),
                        headers,
                        body,
                    });
                    let status = status.load(Ordering::Relaxed);
                    let answer =
                        tiny_http::Response::from_string(r#"{"ok":true}"#).with_status_code(status);
                    let _ = request.respond(answer);
                }
            })
        };
        Receiver {
            url,
            received,
            status,
            stop,
            handle: Some(handle),
        }
    }

    fn all(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Waits until `n` requests arrived (or fails after a few seconds).
    fn wait_for(&self, n: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let all = self.all();
            if all.len() >= n {
                return all;
            }
            assert!(
                Instant::now() < deadline,
                "expected {n} requests, got {all:?}"
            );
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
    }
}

fn setup() -> (Simulator, Receiver) {
    let receiver = Receiver::start();
    let config = Config::new(0, &receiver.url).unwrap();
    (start(config).unwrap(), receiver)
}

/// Sends a request and returns its status and JSON body, whatever the status.
fn call(method: &str, url: &str, headers: &[(&str, String)], body: Option<&[u8]>) -> (u16, Value) {
    let mut request = ureq::request(method, url);
    for (name, value) in headers {
        request = request.set(name, value);
    }
    let result = match body {
        Some(body) => request.send_bytes(body),
        None => request.call(),
    };
    let response = match result {
        Ok(response) => response,
        Err(ureq::Error::Status(_, response)) => response,
        Err(e) => panic!("{method} {url}: {e}"),
    };
    let status = response.status();
    let text = response.into_string().unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn signature_headers(secret: &Secret, id: &str, body: &[u8]) -> Vec<(&'static str, String)> {
    let ts = now();
    vec![
        ("webhook-id", id.to_owned()),
        ("webhook-timestamp", ts.to_string()),
        ("webhook-signature", secret.sign(id, ts, body)),
    ]
}

fn lookup(sim: &Simulator, listing_id: &str, secret: Option<&Secret>) -> (u16, Value) {
    let headers = secret
        .map(|s| signature_headers(s, "msg_lookup", b""))
        .unwrap_or_default();
    call(
        "GET",
        &format!("{}/listings/{listing_id}", sim.url()),
        &headers,
        None,
    )
}

fn action_body(kind: &str, data: Value) -> Vec<u8> {
    json!({ "type": kind, "timestamp": "2026-11-28T19:00:00Z", "data": data })
        .to_string()
        .into_bytes()
}

fn takedown_body(action_id: &str, listing_id: &str) -> Vec<u8> {
    action_body(
        "listing.takedown",
        json!({
            "action_id": action_id,
            "case_id": "case_1",
            "brand_ref": "BR-AURELIA",
            "listing_id": listing_id,
            "reason_code": "counterfeit",
        }),
    )
}

/// POSTs an action signed with `secret`, `key` as its idempotency key.
fn post_action(sim: &Simulator, secret: &Secret, key: &str, body: &[u8]) -> (u16, Value) {
    let mut headers = signature_headers(secret, key, body);
    headers.push(("idempotency-key", key.to_owned()));
    headers.push(("content-type", "application/json".to_owned()));
    call(
        "POST",
        &format!("{}/actions", sim.url()),
        &headers,
        Some(body),
    )
}

fn control(sim: &Simulator, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let bytes = body.map(|b| b.to_string().into_bytes());
    call(
        method,
        &format!("{}{path}", sim.url()),
        &[("content-type", "application/json".to_owned())],
        bytes.as_deref(),
    )
}

fn actions(sim: &Simulator) -> Vec<Value> {
    let (status, body) = control(sim, "GET", "/__actions", None);
    assert_eq!(status, 200);
    body.as_array().unwrap().clone()
}

#[test]
fn lookups_must_be_signed_and_answer_known_and_unknown_listings() {
    let (sim, _receiver) = setup();
    let (status, listing) = lookup(&sim, "MKT-100001", Some(&dev_secret()));
    assert_eq!(status, 200, "{listing}");
    assert_eq!(listing["listing_id"], "MKT-100001");
    assert_eq!(listing["url"], "https://market.example/item/MKT-100001");
    assert!(listing["title"].as_str().unwrap().starts_with("Aurelia"));
    assert!(listing["price"]["amount"].is_string());
    assert!(listing["price"]["currency"].is_string());
    assert!(listing["image_url"]
        .as_str()
        .unwrap()
        .starts_with("data:image/svg+xml;utf8,"));
    assert!(listing["seller"]["seller_id"].is_string());
    assert!(listing["seller"]["name"].is_string());

    assert_eq!(lookup(&sim, "MKT-100001", None).0, 401);
    let forged = Secret::parse("whsec_b3RoZXItc2VjcmV0").unwrap();
    assert_eq!(lookup(&sim, "MKT-100001", Some(&forged)).0, 401);

    let (status, body) = lookup(&sim, "MKT-999999", Some(&dev_secret()));
    assert_eq!(status, 404);
    assert_eq!(body, json!({ "error": "unknown listing" }));
}

#[test]
fn a_takedown_is_acknowledged_then_reported_completed_with_a_signed_event() {
    let (sim, receiver) = setup();
    let body = takedown_body("act_1", "MKT-100004");
    let (status, answer) = post_action(&sim, &dev_secret(), "act_1", &body);
    assert_eq!(status, 200, "{answer}");

    let received = receiver.wait_for(1);
    let event = &received[0];
    assert_eq!(event.path, "/api/v1/webhooks/marketplace");
    assert_eq!(event.header("content-type"), Some("application/json"));
    assert!(event.header("webhook-id").unwrap().starts_with("msg_"));
    assert_eq!(event.verify(&dev_secret()), Ok(()));
    let envelope = event.json();
    assert_eq!(envelope["type"], "takedown.completed");
    assert_eq!(
        envelope["data"],
        json!({ "action_id": "act_1", "listing_id": "MKT-100004" })
    );
    let timestamp = envelope["timestamp"].as_str().unwrap();
    assert_eq!(timestamp.len(), 20, "{timestamp}");
    assert!(timestamp.ends_with('Z') && timestamp.as_bytes()[10] == b'T');

    let recorded = actions(&sim);
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0]["webhook_id"], "act_1");
    assert_eq!(recorded[0]["type"], "listing.takedown");
    assert_eq!(recorded[0]["data"]["listing_id"], "MKT-100004");
    assert_eq!(recorded[0]["verified"], true);
    assert_eq!(recorded[0]["duplicate"], false);
}

#[test]
fn fail_mode_reports_takedowns_failed() {
    let (sim, receiver) = setup();
    let (status, _) = control(
        &sim,
        "POST",
        "/__mode",
        Some(json!({ "mode": "fail_takedowns" })),
    );
    assert_eq!(status, 200);
    let body = takedown_body("act_2", "MKT-100002");
    assert_eq!(post_action(&sim, &dev_secret(), "act_2", &body).0, 200);

    let event = &receiver.wait_for(1)[0];
    assert_eq!(event.verify(&dev_secret()), Ok(()));
    assert_eq!(
        event.json()["data"],
        json!({
            "action_id": "act_2",
            "listing_id": "MKT-100002",
            "reason": "listing locked by a pending order",
        })
    );
    assert_eq!(event.kind(), "takedown.failed");
}

#[test]
fn down_mode_answers_503_and_sends_nothing() {
    let (sim, receiver) = setup();
    assert_eq!(
        control(&sim, "POST", "/__mode", Some(json!({ "mode": "down" }))).0,
        200
    );
    let body = takedown_body("act_3", "MKT-100003");
    assert_eq!(post_action(&sim, &dev_secret(), "act_3", &body).0, 503);
    assert_eq!(lookup(&sim, "MKT-100003", Some(&dev_secret())).0, 503);
    assert_eq!(control(&sim, "GET", "/__health", None).0, 200);
    thread::sleep(Duration::from_millis(800));
    assert!(receiver.all().is_empty());
    assert!(actions(&sim).is_empty());

    // Back up: the same action (retried by JointForce's outbox) goes through.
    control(&sim, "POST", "/__mode", Some(json!({ "mode": "normal" })));
    assert_eq!(post_action(&sim, &dev_secret(), "act_3", &body).0, 200);
    assert_eq!(receiver.wait_for(1)[0].kind(), "takedown.completed");
}

#[test]
fn a_repeated_idempotency_key_does_not_act_twice() {
    let (sim, receiver) = setup();
    let body = takedown_body("act_4", "MKT-100005");
    assert_eq!(post_action(&sim, &dev_secret(), "act_4", &body).0, 200);
    assert_eq!(post_action(&sim, &dev_secret(), "act_4", &body).0, 200);
    receiver.wait_for(1);
    thread::sleep(Duration::from_millis(800));
    assert_eq!(receiver.all().len(), 1);

    let recorded = actions(&sim);
    assert_eq!(recorded.len(), 2);
    assert_eq!(recorded[0]["duplicate"], false);
    assert_eq!(recorded[1]["duplicate"], true);
    assert_eq!(recorded[1]["verified"], true);
}

#[test]
fn a_forged_action_is_refused_and_recorded_as_unverified() {
    let (sim, receiver) = setup();
    let forged = Secret::parse("whsec_b3RoZXItc2VjcmV0").unwrap();
    let body = takedown_body("act_5", "MKT-100006");
    let (status, answer) = post_action(&sim, &forged, "act_5", &body);
    assert_eq!(status, 401, "{answer}");

    // Signed right but over another body: refused too.
    let mut headers = signature_headers(&dev_secret(), "act_6", b"{}");
    headers.push(("content-type", "application/json".to_owned()));
    let url = format!("{}/actions", sim.url());
    assert_eq!(call("POST", &url, &headers, Some(&body)).0, 401);

    thread::sleep(Duration::from_millis(600));
    assert!(receiver.all().is_empty());
    let recorded = actions(&sim);
    assert_eq!(recorded.len(), 2);
    assert!(recorded.iter().all(|a| a["verified"] == false));
    assert_eq!(recorded[0]["webhook_id"], "act_5");
    assert_eq!(recorded[0]["type"], "listing.takedown");

    // A forged key does not count as seen: the genuine action still goes through.
    assert_eq!(post_action(&sim, &dev_secret(), "act_5", &body).0, 200);
    assert_eq!(receiver.wait_for(1)[0].kind(), "takedown.completed");
}

#[test]
fn other_actions_are_recorded_and_unknown_ones_refused() {
    let (sim, receiver) = setup();
    let decided = action_body(
        "appeal.decided",
        json!({
            "action_id": "act_7", "case_id": "case_7", "appeal_id": "APL-1",
            "brand_ref": "BR-AURELIA", "listing_id": "MKT-100001",
            "outcome": "upheld", "reason": "counterfeit confirmed",
        }),
    );
    assert_eq!(post_action(&sim, &dev_secret(), "act_7", &decided).0, 200);
    let flagged = action_body(
        "seller.flagged",
        json!({ "action_id": "act_8", "seller_id": "SEL-3001", "upheld_cases": 3 }),
    );
    assert_eq!(post_action(&sim, &dev_secret(), "act_8", &flagged).0, 200);
    let unknown = action_body("listing.explode", json!({}));
    assert_eq!(post_action(&sim, &dev_secret(), "act_9", &unknown).0, 400);
    let broken = action_body("listing.takedown", json!({ "action_id": "act_10" }));
    assert_eq!(post_action(&sim, &dev_secret(), "act_10", &broken).0, 400);

    let recorded = actions(&sim);
    let kinds: Vec<_> = recorded.iter().map(|a| a["type"].clone()).collect();
    assert_eq!(
        kinds,
        [
            "appeal.decided",
            "seller.flagged",
            "listing.explode",
            "listing.takedown"
        ]
    );
    thread::sleep(Duration::from_millis(600));
    assert!(receiver.all().is_empty());
}

#[test]
fn flag_sends_a_fresh_listing_each_time_and_relays_the_answer() {
    let (sim, receiver) = setup();
    let (status, first) = control(
        &sim,
        "POST",
        "/__flag",
        Some(json!({ "brand_ref": "BR-DORADO" })),
    );
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["status"], 200);
    assert_eq!(first["body"], r#"{"ok":true}"#);
    let (_, second) = control(
        &sim,
        "POST",
        "/__flag",
        Some(json!({ "brand_ref": "BR-DORADO" })),
    );
    assert_ne!(first["listing_id"], second["listing_id"]);

    let received = receiver.wait_for(2);
    for (event, answer) in received.iter().zip([&first, &second]) {
        assert_eq!(event.verify(&dev_secret()), Ok(()));
        assert_eq!(event.header("webhook-id"), answer["webhook_id"].as_str());
        let envelope = event.json();
        assert_eq!(envelope["type"], "listing.flagged");
        let data = &envelope["data"];
        assert_eq!(data["brand_ref"], "BR-DORADO");
        assert_eq!(data["listing"]["listing_id"], answer["listing_id"]);
        assert!(
            data["listing"]["title"]
                .as_str()
                .unwrap()
                .contains("Dorado")
                || data["listing"]["title"]
                    .as_str()
                    .unwrap()
                    .contains("多拉多")
        );
        let score = data["detection"]["score"].as_f64().unwrap();
        assert!((0.55..=0.99).contains(&score));
        let signals = data["detection"]["signals"].as_array().unwrap();
        assert!((1..=3).contains(&signals.len()));
    }

    // JointForce's refusals are relayed as they are.
    receiver.status.store(401, Ordering::Relaxed);
    let (status, answer) = control(
        &sim,
        "POST",
        "/__send",
        Some(
            json!({ "type": "shop.verified", "data": { "brand_ref": "BR-NORTHWIND", "shop_id": "SHOP-9" } }),
        ),
    );
    assert_eq!(status, 200);
    assert_eq!(answer["status"], 401);
    let sent = receiver.wait_for(3);
    assert_eq!(sent[2].kind(), "shop.verified");
    assert_eq!(
        sent[2].json()["data"],
        json!({ "brand_ref": "BR-NORTHWIND", "shop_id": "SHOP-9" })
    );
}

#[test]
fn send_keeps_the_catalogue_in_line_and_listings_can_be_added() {
    let (sim, receiver) = setup();
    let listing = json!({
        "listing_id": "MKT-TEST-1",
        "url": "https://market.example/item/MKT-TEST-1",
        "title": "Test listing",
        "price": { "amount": "10.00", "currency": "EUR" },
        "image_url": "data:image/svg+xml;utf8,%3Csvg%2F%3E",
        "seller": { "seller_id": "SEL-T", "name": "Tester" },
    });
    assert_eq!(
        control(&sim, "POST", "/__listings", Some(listing.clone())).0,
        200
    );
    let (status, found) = lookup(&sim, "MKT-TEST-1", Some(&dev_secret()));
    assert_eq!(status, 200);
    assert_eq!(found, listing);
    assert_eq!(
        control(&sim, "POST", "/__listings", Some(json!({ "title": "x" }))).0,
        400
    );

    let (status, answer) = control(
        &sim,
        "POST",
        "/__send",
        Some(json!({
            "type": "listing.removed",
            "data": { "listing_id": "MKT-TEST-1", "reason": "seller_deleted" },
            "webhook_id": "msg_fixed",
        })),
    );
    assert_eq!(status, 200);
    assert_eq!(answer["webhook_id"], "msg_fixed");
    assert_eq!(
        receiver.wait_for(1)[0].header("webhook-id"),
        Some("msg_fixed")
    );
    assert_eq!(lookup(&sim, "MKT-TEST-1", Some(&dev_secret())).0, 404);
}

#[test]
fn send_answers_502_when_jointforce_does_not_answer() {
    let receiver = Receiver::start();
    let url = receiver.url.clone();
    drop(receiver);
    let sim = start(Config::new(0, &url).unwrap()).unwrap();
    let (status, answer) = control(
        &sim,
        "POST",
        "/__send",
        Some(
            json!({ "type": "shop.verified", "data": { "brand_ref": "BR-AURELIA", "shop_id": "S" } }),
        ),
    );
    assert_eq!(status, 502, "{answer}");
    assert!(answer["error"].is_string());
}

#[test]
fn the_trickle_flags_demo_brands_and_appeals_completed_takedowns() {
    let receiver = Receiver::start();
    let mut config = Config::new(0, &receiver.url).unwrap();
    config.trickle_secs = Some(1);
    let sim = start(config).unwrap();
    // A takedown completes first, so the fifth tick has something to appeal.
    let body = takedown_body("act_11", "MKT-100010");
    assert_eq!(post_action(&sim, &dev_secret(), "act_11", &body).0, 200);

    let deadline = Instant::now() + Duration::from_secs(10);
    let appeal = loop {
        let all = receiver.all();
        if let Some(appeal) = all.iter().find(|r| r.kind() == "appeal.filed") {
            break appeal.json();
        }
        assert!(Instant::now() < deadline, "no appeal in {all:?}");
        thread::sleep(Duration::from_millis(100));
    };
    let data = &appeal["data"];
    assert_eq!(data["listing_id"], "MKT-100010");
    assert_eq!(data["brand_ref"], "BR-AURELIA");
    assert!(data["appeal_id"].as_str().unwrap().starts_with("APL-"));
    assert!(data["seller"]["seller_id"].is_string());
    assert!(data["statement"].is_string());
    assert!(!data["evidence_urls"].as_array().unwrap().is_empty());

    let all = receiver.all();
    let flags: Vec<_> = all
        .iter()
        .filter(|r| r.kind() == "listing.flagged")
        .map(Received::json)
        .collect();
    assert!(flags.len() >= 4, "{} flags", flags.len());
    for flag in &flags {
        let brand = flag["data"]["brand_ref"].as_str().unwrap();
        assert!(["BR-AURELIA", "BR-NORTHWIND", "BR-DORADO"].contains(&brand));
    }
    assert!(all.iter().all(|r| r.verify(&dev_secret()).is_ok()));
    drop(sim);
}

/// A signed search (`q`, `cursor` and `limit` as given, percent-encoded here).
fn search(sim: &Simulator, params: &[(&str, &str)], secret: Option<&Secret>) -> (u16, Value) {
    let headers = secret
        .map(|s| signature_headers(s, "msg_search", b""))
        .unwrap_or_default();
    let query: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{k}={}", jf_simulator::util::percent_encode(v)))
        .collect();
    call(
        "GET",
        &format!("{}/listings?{}", sim.url(), query.join("&")),
        &headers,
        None,
    )
}

fn ids(page: &Value) -> Vec<String> {
    page["listings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["listing_id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_search_finds_listings_by_words_of_title_seller_and_brand_in_any_case() {
    let (sim, _receiver) = setup();
    let secret = dev_secret();
    let (status, page) = search(&sim, &[("q", "aurelia WATCH")], Some(&secret));
    assert_eq!(status, 200, "{page}");
    let found = page["listings"].as_array().unwrap();
    assert!(!found.is_empty(), "{page}");
    for l in found {
        let title = l["title"].as_str().unwrap().to_lowercase();
        assert!(
            title.contains("aurelia") && title.contains("watch"),
            "{title}"
        );
        // Each is the listing a lookup answers.
        let id = l["listing_id"].as_str().unwrap();
        assert_eq!(lookup(&sim, id, Some(&secret)).1, *l);
    }
    assert_eq!(page["next_cursor"], Value::Null);
    // Tote bags are not watches.
    assert!(!found
        .iter()
        .any(|l| l["title"].as_str().unwrap().contains("Tote")));

    // A seller's name finds its listings; a word nobody uses finds none.
    let (_, by_seller) = search(&sim, &[("q", "luxuryoutlet88")], Some(&secret));
    let listings = by_seller["listings"].as_array().unwrap();
    assert!(!listings.is_empty());
    assert!(listings
        .iter()
        .all(|l| l["seller"]["name"] == "LuxuryOutlet88"));
    let (status, none) = search(&sim, &[("q", "zeppelin")], Some(&secret));
    assert_eq!(status, 200);
    assert_eq!(none, json!({ "listings": [], "next_cursor": null }));

    // Unsigned or forged: refused; no words: 400.
    assert_eq!(search(&sim, &[("q", "aurelia")], None).0, 401);
    let forged = Secret::parse("whsec_b3RoZXItc2VjcmV0").unwrap();
    assert_eq!(search(&sim, &[("q", "aurelia")], Some(&forged)).0, 401);
    assert_eq!(search(&sim, &[("q", "  ")], Some(&secret)).0, 400);
    assert_eq!(search(&sim, &[], Some(&secret)).0, 400);
    assert_eq!(
        search(&sim, &[("q", "aurelia"), ("limit", "none")], Some(&secret)).0,
        400
    );
}

#[test]
fn a_chinese_word_finds_chinese_titles_and_the_brand_by_its_chinese_name() {
    let (sim, _receiver) = setup();
    let secret = dev_secret();
    let (status, page) = search(&sim, &[("q", "手表")], Some(&secret));
    assert_eq!(status, 200, "{page}");
    let titles: Vec<&str> = page["listings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["title"].as_str().unwrap())
        .collect();
    assert!(!titles.is_empty());
    assert!(titles.iter().all(|t| t.contains("手表")), "{titles:?}");
    assert!(
        titles.contains(&"奥瑞莉亚 机械男士手表 蓝宝石镜面 防水"),
        "{titles:?}"
    );
    // The brand's Chinese name finds its goods whatever language their titles are in.
    let (_, brand) = search(&sim, &[("q", "北风")], Some(&secret));
    let titles: Vec<&str> = brand["listings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.iter().any(|t| t.starts_with("Northwind")),
        "{titles:?}"
    );
    assert!(titles.iter().any(|t| t.starts_with("北风")), "{titles:?}");
    // A Chinese seller's name too.
    let (_, seller) = search(&sim, &[("q", "深圳名品仓")], Some(&secret));
    assert!(seller["listings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l["seller"]["name"] == "深圳名品仓"));
    assert!(!seller["listings"].as_array().unwrap().is_empty());
}

#[test]
fn search_pages_follow_the_cursor_in_a_stable_order_limit_twenty_by_default_fifty_at_most() {
    let (sim, _receiver) = setup();
    let secret = dev_secret();
    // Every built-in listing is one of the three brands' goods: "MKT" is in none of them, but
    // each brand's name is in its own; Aurelia has a third of the catalogue.
    let (_, first) = search(&sim, &[("q", "aurelia")], Some(&secret));
    assert_eq!(ids(&first).len(), 20, "the default page");
    assert_eq!(
        first["next_cursor"],
        Value::Null,
        "exactly twenty Aurelia listings"
    );

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut params = vec![("q", "aurelia"), ("limit", "7")];
        if let Some(c) = &cursor {
            params.push(("cursor", c.as_str()));
        }
        let (status, page) = search(&sim, &params, Some(&secret));
        assert_eq!(status, 200, "{page}");
        let page_ids = ids(&page);
        assert!(page_ids.len() <= 7);
        seen.extend(page_ids);
        pages += 1;
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(pages, 3, "7 + 7 + 6");
    assert_eq!(seen, ids(&first), "the same listings in the same order");
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, seen, "in id order, none twice");

    // The same search answers the same page again.
    assert_eq!(search(&sim, &[("q", "aurelia")], Some(&secret)).1, first);
    // A limit over fifty answers fifty at most ("r" is in every brand's name: all 60 match).
    let (_, everything) = search(&sim, &[("q", "R"), ("limit", "500")], Some(&secret));
    assert_eq!(ids(&everything).len(), 50);
    assert!(everything["next_cursor"].is_string());
}

#[test]
fn a_search_in_down_mode_answers_503() {
    let (sim, _receiver) = setup();
    assert_eq!(
        control(&sim, "POST", "/__mode", Some(json!({ "mode": "down" }))).0,
        200
    );
    assert_eq!(
        search(&sim, &[("q", "aurelia")], Some(&dev_secret())).0,
        503
    );
}
