//! Appeals, arbitration, API keys and brand webhooks, end to end on wrangler dev with the
//! marketplace simulator.

use jf_tests::*;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::RwLock;

static WORLD: RwLock<()> = RwLock::const_new(());

/// A listing that is taken down for Aurelia (filed by arjun, completed by the simulator).
async fn taken_down_case(title: &str) -> (String, String, String) {
    let arjun = Caller::login("arjun@aurelia.test").await;
    let aurelia = brand_id("Aurelia").await;
    let right = usable_right(&arjun, &aurelia).await;
    let listing = new_listing(title, "SEL-APPEAL").await;
    let report = report_body(&listing, &right);
    let filed = arjun
        .send(
            "POST",
            &format!("/api/v1/brands/{aurelia}/reports"),
            Some(report),
        )
        .await;
    assert_eq!(filed.status, 201, "{}", filed.text);
    let id = filed.json()["id"].as_str().unwrap().to_owned();
    eventually("takedown completed", || async {
        (arjun
            .get(&format!("/api/v1/brands/{aurelia}/cases/{id}"))
            .await
            .json()["status"]
            == "taken_down")
            .then_some(())
    })
    .await;
    (aurelia, id, listing)
}

async fn appeal(listing: &str) {
    let a = webhook(&unique("msg_ap"), &json!({ "type": "appeal.filed", "timestamp": "2026-11-28T10:00:00Z", "data": {
        "appeal_id": unique("AP-"), "brand_ref": "BR-AURELIA", "listing_id": listing,
        "seller": { "seller_id": "SEL-APPEAL", "name": "Appealing Seller" },
        "statement": "These are genuine goods bought from an authorised reseller.", "evidence_urls": ["https://seller.example/invoice.pdf"] } }))
    .await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.json()["outcome"], "applied", "{}", a.text);
}

async fn actions_for(case: &str) -> Vec<String> {
    let actions = simulator("GET", "/__actions", None).await.json();
    actions
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["data"]["case_id"] == case && a["duplicate"] != true)
        .map(|a| a["type"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_brand_upholds_retracts_or_escalates_and_the_manager_arbitrates() {
    let _w = WORLD.read().await;
    let alice = Caller::login("alice@aurelia.test").await;
    let (aurelia, upheld, l1) = taken_down_case("Aurelia tote, appeal to uphold").await;
    let (_, escalated, l2) = taken_down_case("Aurelia tote, appeal to escalate").await;
    appeal(&l1).await;
    appeal(&l2).await;
    let view = alice
        .get(&format!("/api/v1/brands/{aurelia}/cases/{upheld}"))
        .await
        .json();
    assert_eq!(view["status"], "appealed");
    assert_eq!(
        view["appeal"]["statement"],
        "These are genuine goods bought from an authorised reseller."
    );
    assert_eq!(
        view["allowed"],
        json!(["uphold_appeal", "retract_on_appeal", "escalate"])
    );

    let path = |case: &str, what: &str| format!("/api/v1/brands/{aurelia}/cases/{case}/{what}");
    let no_reason = alice
        .send(
            "POST",
            &path(&upheld, "appeal-response"),
            Some(json!({ "decision": "uphold" })),
        )
        .await;
    assert_eq!(no_reason.status, 400);
    let ok = alice
        .send(
            "POST",
            &path(&upheld, "appeal-response"),
            Some(json!({ "decision": "uphold", "reason": "Our test buy proved it fake." })),
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert_eq!(ok.json()["status"], "upheld");
    let esc = alice
        .send(
            "POST",
            &path(&escalated, "appeal-response"),
            Some(json!({ "decision": "escalate" })),
        )
        .await;
    assert_eq!(esc.json()["status"], "in_arbitration");

    let am = Caller::login("am@marketplace.test").await;
    let queue = am.get("/api/v1/manager/arbitration").await.json();
    assert!(queue["cases"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["id"] == escalated.as_str()));
    assert_eq!(
        alice
            .send(
                "POST",
                &path(&escalated, "arbitrate"),
                Some(json!({ "decision": "reinstate", "reason": "x" }))
            )
            .await
            .status,
        403
    );
    let decided = am
        .send(
            "POST",
            &path(&escalated, "arbitrate"),
            Some(json!({ "decision": "reinstate", "reason": "The invoice is genuine." })),
        )
        .await;
    assert_eq!(decided.status, 200, "{}", decided.text);
    assert_eq!(decided.json()["status"], "reinstated");
    eventually(
        "reinstate and appeal.decided reach the marketplace",
        || async {
            let a = actions_for(&escalated).await;
            (a.contains(&"listing.reinstate".to_owned())
                && a.contains(&"appeal.decided".to_owned()))
            .then_some(())
        },
    )
    .await;
    eventually("appeal.decided for the upheld case", || async {
        let a = actions_for(&upheld).await;
        (a.contains(&"appeal.decided".to_owned()) && !a.contains(&"listing.reinstate".to_owned()))
            .then_some(())
    })
    .await;
}

#[tokio::test]
async fn fifty_concurrent_answers_to_one_appeal_have_one_outcome() {
    let _w = WORLD.read().await;
    let (aurelia, case, listing) = taken_down_case("Aurelia watch, contested appeal").await;
    appeal(&listing).await;
    let alice = Caller::login("alice@aurelia.test").await;
    let path = format!("/api/v1/brands/{aurelia}/cases/{case}/appeal-response");
    let mut tasks = Vec::new();
    for i in 0..50 {
        let (alice, path) = (alice.clone(), path.clone());
        let body = if i % 2 == 0 {
            json!({ "decision": "retract" })
        } else {
            json!({ "decision": "uphold", "reason": "Fake, says our test buy." })
        };
        tasks.push(tokio::spawn(async move {
            alice.send("POST", &path, Some(body)).await.status
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 409),
        "{statuses:?}"
    );
    run_cron().await;
    let view = alice
        .get(&format!("/api/v1/brands/{aurelia}/cases/{case}"))
        .await
        .json();
    let moves = view["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["from_status"] == "appealed")
        .count();
    assert_eq!(moves, 1, "one decision in the history");
    let actions = eventually("the decision reaches the marketplace", || async {
        let a = actions_for(&case).await;
        a.contains(&"appeal.decided".to_owned()).then_some(a)
    })
    .await;
    assert_eq!(
        actions.iter().filter(|a| *a == "appeal.decided").count(),
        1,
        "{actions:?}"
    );
    assert!(
        actions.iter().filter(|a| *a == "listing.reinstate").count() <= 1,
        "{actions:?}"
    );
}

#[tokio::test]
async fn an_appeal_before_the_takedown_completes_still_lands() {
    let _w = WORLD.write().await;
    let arjun = Caller::login("arjun@aurelia.test").await;
    let aurelia = brand_id("Aurelia").await;
    let listing = new_listing("Early appeal bag", "SEL-APPEAL").await;
    let right = usable_right(&arjun, &aurelia).await;
    // The marketplace is down when the report is filed: the takedown waits in the outbox.
    simulator("POST", "/__mode", Some(json!({ "mode": "down" }))).await;
    let filed = arjun
        .send(
            "POST",
            &format!("/api/v1/brands/{aurelia}/reports"),
            Some(
                json!({ "listing": listing, "ip_right_id": right, "reason_code": "counterfeit",
                         "statement": STATEMENT, "evidence_urls": [], "good_faith": true }),
            ),
        )
        .await;
    assert_eq!(filed.status, 201, "{}", filed.text);
    let id = filed.json()["id"].as_str().unwrap().to_owned();
    let case_path = format!("/api/v1/brands/{aurelia}/cases/{id}");
    assert_eq!(
        arjun.get(&case_path).await.json()["status"],
        "takedown_requested"
    );
    // The seller appeals before the marketplace ever confirmed the takedown.
    appeal(&listing).await;
    assert_eq!(arjun.get(&case_path).await.json()["status"], "appealed");
    // The marketplace comes back, receives the takedown and confirms it: noted, not a move back.
    simulator("POST", "/__mode", Some(json!({ "mode": "normal" }))).await;
    set_clock_offset(3 * 60_000).await;
    run_cron().await;
    set_clock_offset(0).await;
    let view = eventually("the late takedown.completed is recorded", || async {
        let v = Caller::login("arjun@aurelia.test")
            .await
            .get(&case_path)
            .await
            .json();
        v["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "takedown_completed")
            .then_some(v)
    })
    .await;
    assert_eq!(view["status"], "appealed");
}

#[tokio::test]
async fn api_keys_act_for_their_brand_within_their_scope() {
    let _w = WORLD.read().await;
    let alice = Caller::login("alice@aurelia.test").await;
    let aurelia = brand_id("Aurelia").await;
    let northwind = brand_id("Northwind").await;
    let create = |scope: &'static str| {
        let alice = alice.clone();
        let path = format!("/api/v1/brands/{aurelia}/api-keys");
        async move {
            alice
                .send(
                    "POST",
                    &path,
                    Some(json!({ "name": format!("ERP {scope}"), "scope": scope })),
                )
                .await
                .json()
        }
    };
    let read_key = create("read").await;
    let write = create("read_write").await;
    let secret = |k: &Value| k["secret"].as_str().unwrap().to_owned();
    let with_key = |key: String, method: &'static str, path: String, body: Option<Value>| async move {
        let mut rb = reqwest::Client::new()
            .request(
                reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
                format!("{}{path}", base_url()),
            )
            .header("authorization", format!("Bearer {key}"));
        if let Some(b) = body {
            rb = rb
                .header("content-type", "application/json")
                .body(b.to_string());
        }
        read(rb).await
    };
    let cases = format!("/api/v1/brands/{aurelia}/cases");
    assert_eq!(
        with_key(secret(&read_key), "GET", cases.clone(), None)
            .await
            .status,
        200
    );
    let foreign = with_key(
        secret(&read_key),
        "GET",
        format!("/api/v1/brands/{northwind}/cases"),
        None,
    )
    .await;
    assert_eq!(
        foreign.status, 404,
        "a key of one brand on another brand's route"
    );
    let report = json!({ "listing": "MKT-KEY-NONE", "ip_right_id": "6f1c7a52-3b9e-4c1d-8a55-0e2b7d9c4f10", "reason_code": "counterfeit",
        "statement": STATEMENT, "evidence_urls": [], "good_faith": true });
    let read_write = with_key(
        secret(&read_key),
        "POST",
        format!("/api/v1/brands/{aurelia}/reports"),
        Some(report.clone()),
    )
    .await;
    assert_eq!(read_write.status, 403, "a read key on a write route");
    let rw = with_key(
        secret(&write),
        "POST",
        format!("/api/v1/brands/{aurelia}/reports"),
        Some(report),
    )
    .await;
    assert_eq!(
        rw.status, 422,
        "a read-write key gets as far as the input: {}",
        rw.text
    );
    assert_eq!(
        with_key(secret(&write), "GET", "/api/v1/me".into(), None)
            .await
            .status,
        404,
        "keys are no person"
    );
    assert_eq!(
        with_key(secret(&write), "GET", "/api/v1/manager/brands".into(), None)
            .await
            .status,
        404
    );
    let revoke = alice
        .send(
            "DELETE",
            &format!(
                "/api/v1/brands/{aurelia}/api-keys/{}",
                read_key["key"]["id"].as_str().unwrap()
            ),
            None,
        )
        .await;
    assert_eq!(revoke.status, 204);
    assert_eq!(
        with_key(secret(&read_key), "GET", cases, None).await.status,
        401,
        "revoked key"
    );
    let listed = alice
        .get(&format!("/api/v1/brands/{aurelia}/api-keys"))
        .await;
    assert!(
        !listed.text.contains(&secret(&write)),
        "secrets are shown once only"
    );
    let vera = Caller::login("vera@aurelia.test").await;
    assert_eq!(
        vera.get(&format!("/api/v1/brands/{aurelia}/api-keys"))
            .await
            .status,
        403
    );
}

/// What the endpoint received: headers and body.
type Received = (Vec<(String, String)>, String);

/// A brand's webhook endpoint on loopback: answers `status`, records what it receives.
async fn endpoint_server(status: Arc<Mutex<u16>>, got: Arc<Mutex<Vec<Received>>>) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let (status, got) = (status.clone(), got.clone());
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 8192];
                let (head_end, length) = loop {
                    let Ok(n) = sock.read(&mut chunk).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&buf[..pos]).to_lowercase();
                        let len = head
                            .lines()
                            .find_map(|l| {
                                l.strip_prefix("content-length:")
                                    .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                            })
                            .unwrap_or(0);
                        break (pos + 4, len);
                    }
                };
                while buf.len() < head_end + length {
                    let Ok(n) = sock.read(&mut chunk).await else {
                        return;
                    };
                    if n == 0 {
                        break;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                }
                let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
                let headers = head
                    .lines()
                    .skip(1)
                    .filter_map(|l| {
                        l.split_once(':')
                            .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_owned()))
                    })
                    .collect();
                let body = String::from_utf8_lossy(&buf[head_end..]).into_owned();
                let code = *status.lock().unwrap();
                if code == 200 {
                    got.lock().unwrap().push((headers, body));
                }
                let _ = sock
                    .write_all(
                        format!(
                            "HTTP/1.1 {code} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                        )
                        .as_bytes(),
                    )
                    .await;
            });
        }
    });
    port
}

#[tokio::test]
async fn brand_webhooks_are_signed_retried_after_an_outage_and_logged() {
    let _w = WORLD.write().await;
    let alice = Caller::login("alice@aurelia.test").await;
    let aurelia = brand_id("Aurelia").await;
    let path = format!("/api/v1/brands/{aurelia}/webhook-endpoints");
    for bad in [
        "https://10.0.0.5/hook",
        "https://192.168.1.10/hook",
        "https://169.254.169.254/latest",
        "http://hooks.aurelia.example/x",
    ] {
        let a = alice
            .send(
                "POST",
                &path,
                Some(json!({ "url": bad, "events": ["case.status_changed"] })),
            )
            .await;
        assert_eq!(a.status, 400, "{bad}: {}", a.text);
        assert_eq!(a.json()["error"]["field"], "url");
    }
    let status = Arc::new(Mutex::new(503u16));
    let got = Arc::new(Mutex::new(Vec::new()));
    let port = endpoint_server(status.clone(), got.clone()).await;
    let created = alice.send("POST", &path, Some(json!({ "url": format!("http://127.0.0.1:{port}/hook"), "events": ["case.status_changed"] }))).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let endpoint = created.json()["endpoint"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let secret =
        jf_core::webhook::Secret::parse(created.json()["secret"].as_str().unwrap()).unwrap();

    // A status change while the endpoint is down.
    let (_, case, _) = taken_down_case("Aurelia scarf, webhook test").await;
    run_cron().await;
    let log = alice
        .get(&format!("{path}/{endpoint}/deliveries"))
        .await
        .json();
    let delivery = log["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["state"] == "pending")
        .expect("a pending delivery")
        .clone();
    assert_eq!(delivery["last_status"], 503);
    // Up again: after its backoff the cron delivers it, and the log shows both attempts.
    *status.lock().unwrap() = 200;
    set_clock_offset(10 * 60_000).await;
    run_cron().await;
    set_clock_offset(0).await;
    let log = alice
        .get(&format!("{path}/{endpoint}/deliveries"))
        .await
        .json();
    let d = log["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == delivery["id"])
        .unwrap()
        .clone();
    assert_eq!(d["state"], "delivered", "{d}");
    let codes: Vec<i64> = d["attempt_log"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status"].as_i64().unwrap_or(0))
        .collect();
    assert!(codes.contains(&503) && codes.contains(&200), "{codes:?}");
    // What arrived verifies with a Standard Webhooks verifier and the secret shown at creation.
    let received = got.lock().unwrap().clone();
    assert!(!received.is_empty());
    for (headers, body) in &received {
        let h = |n: &str| {
            headers
                .iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.as_str())
        };
        let ts: i64 = h("webhook-timestamp").unwrap().parse().unwrap();
        assert_eq!(
            jf_core::webhook::verify(
                &secret,
                h("webhook-id"),
                h("webhook-timestamp"),
                h("webhook-signature"),
                body.as_bytes(),
                ts
            ),
            Ok(())
        );
        assert!(body.contains("case.status_changed"));
    }
    assert!(received.iter().any(|(_, b)| b.contains(&case)));
    // Redelivery by hand.
    let redo = alice
        .send(
            "POST",
            &format!(
                "{path}/{endpoint}/deliveries/{}/redeliver",
                delivery["id"].as_str().unwrap()
            ),
            None,
        )
        .await;
    assert_eq!(redo.status, 204);
    let before = got.lock().unwrap().len();
    run_cron().await;
    assert!(got.lock().unwrap().len() > before);
    assert_eq!(
        alice
            .send("DELETE", &format!("{path}/{endpoint}"), None)
            .await
            .status,
        204
    );
}
