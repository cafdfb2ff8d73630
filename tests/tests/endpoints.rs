//! Brand webhook endpoints on wrangler dev: disguised private addresses refused with their reason
//! and nothing stored, the signing secret shown once and never listed, and a delivery log that
//! names a failure's class rather than the network's words.

use jf_tests::*;
use serde_json::{json, Value};

/// The closed set of words a delivery log may say about a failure.
const FAILURE_CLASSES: [&str; 8] = [
    "timeout",
    "connection failed",
    "tls",
    "HTTP 3xx",
    "HTTP 4xx",
    "HTTP 5xx",
    "refused address",
    "other",
];

fn endpoints_path(brand: &str) -> String {
    format!("/api/v1/brands/{brand}/webhook-endpoints")
}

async fn listed(caller: &Caller, brand: &str) -> Value {
    let list = caller.get(&endpoints_path(brand)).await;
    assert_eq!(list.status, 200, "{}", list.text);
    list.json()["endpoints"].clone()
}

#[tokio::test]
async fn disguised_private_addresses_are_refused_with_their_reason_and_nothing_is_stored() {
    // Dorado's admin: no other test of this file adds endpoints there, so the list must not move.
    let dora = Caller::login("dora@dorado.test").await;
    let dorado = brand_id("Dorado").await;
    let before = listed(&dora, &dorado).await;
    for (url, reason) in [
        // In an https URL a backslash ends the host: this goes to 10.0.0.1.
        ("https://10.0.0.1\\@example.com/", "url_not_public"),
        ("https://167772161/", "url_not_public"),
        ("https://0x0a.0.0.1/", "url_not_public"),
        ("https://10.1/", "url_not_public"),
        ("https://10.0.0.1./", "url_not_public"),
        ("https://%31%30.0.0.1/", "url_not_public"),
        ("https://[0:0:0:0:0:ffff:a9fe:a9fe]/", "url_not_public"),
        ("https://[::1]/", "url_not_public"),
        ("https://[fe80::1]/", "url_not_public"),
        ("https://[64:ff9b::a00:1]/", "url_not_public"),
        ("https://[2002:a00:1::]/", "url_not_public"),
        ("https://[2001:0::1]/", "url_not_public"),
        ("https://100.64.0.1/", "url_not_public"),
        ("https://198.18.0.1/", "url_not_public"),
        ("https://169.254.169.254/latest/meta-data", "url_not_public"),
        // The test stack allows the local receiver on 127.0.0.1, and nothing more.
        ("https://127.0.0.2/", "url_not_public"),
        ("https://user:pw@example.com/", "url_credentials"),
        ("http://example.com/", "url_https"),
        ("https://localhost./", "url_localhost"),
        ("https://a.localhost/", "url_localhost"),
        ("not a url", "url_invalid"),
    ] {
        let a = dora
            .send(
                "POST",
                &endpoints_path(&dorado),
                Some(json!({ "url": url, "events": ["case.status_changed"] })),
            )
            .await;
        assert_eq!(a.status, 400, "{url}: {}", a.text);
        let error = &a.json()["error"];
        assert_eq!(error["field"], "url", "{url}: {error}");
        assert_eq!(error["reason"], reason, "{url}: {error}");
    }
    assert_eq!(listed(&dora, &dorado).await, before, "nothing stored");
}

#[tokio::test]
async fn the_signing_secret_is_answered_once_and_never_listed() {
    let nina = Caller::login("nina@northwind.test").await;
    let northwind = brand_id("Northwind").await;
    let path = endpoints_path(&northwind);
    let created = nina
        .send(
            "POST",
            &path,
            Some(json!({ "url": "HTTPS://Hooks.Northwind.Example:443/jf", "events": ["deadline.approaching"] })),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let created = created.json();
    assert!(created["secret"].as_str().unwrap().starts_with("whsec_"));
    assert_eq!(
        created["endpoint"]["url"], "https://hooks.northwind.example/jf",
        "stored as the address the fetch will use"
    );
    let id = created["endpoint"]["id"].as_str().unwrap();
    let list = nina.get(&path).await;
    assert!(list.text.contains(id));
    assert!(!list.text.contains("whsec_"), "{}", list.text);
    // At rest, in D1 itself, no secret is plaintext: each is sealed under the key.
    let stored = d1_rows("SELECT id, secret FROM webhook_endpoints").await;
    let mine = stored
        .iter()
        .find(|r| r["id"] == id)
        .expect("the endpoint is stored");
    assert!(
        mine["secret"].as_str().unwrap().starts_with("v1."),
        "{mine}"
    );
    assert!(
        stored
            .iter()
            .all(|r| !r["secret"].to_string().contains("whsec_")),
        "no plaintext secret in D1"
    );
    assert_eq!(
        nina.send("DELETE", &format!("{path}/{id}"), None)
            .await
            .status,
        204
    );
}

#[tokio::test]
async fn an_unreachable_endpoint_is_logged_by_class_not_by_the_networks_words() {
    let alice = Caller::login("alice@aurelia.test").await;
    let arjun = Caller::login("arjun@aurelia.test").await;
    let aurelia = brand_id("Aurelia").await;
    let path = endpoints_path(&aurelia);
    // A port on this machine that nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let created = alice
        .send(
            "POST",
            &path,
            Some(json!({ "url": format!("http://127.0.0.1:{port}/hook"), "events": ["case.created"] })),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let endpoint = created.json()["endpoint"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, filed) =
        report_fresh_listing(&arjun, &aurelia, "Aurelia bag, unreachable endpoint").await;
    assert_eq!(filed.status, 201, "{}", filed.text);
    run_cron().await;
    let attempt = eventually("an attempt is logged", || async {
        let log = alice
            .get(&format!("{path}/{endpoint}/deliveries"))
            .await
            .json();
        log["deliveries"]
            .as_array()?
            .iter()
            .flat_map(|d| d["attempt_log"].as_array().cloned().unwrap_or_default())
            .next()
    })
    .await;
    assert_eq!(attempt["status"], Value::Null, "{attempt}");
    let error = attempt["error"].as_str().unwrap_or_default();
    assert!(
        FAILURE_CLASSES.contains(&error) && error != "refused address",
        "the log says a class, not the runtime's words: {attempt}"
    );
    assert_eq!(
        alice
            .send("DELETE", &format!("{path}/{endpoint}"), None)
            .await
            .status,
        204
    );
}

/// The ids of the deliveries in an endpoint's log, and whether each was tried yet.
async fn deliveries(caller: &Caller, brand: &str, endpoint: &str) -> Vec<Value> {
    let log = caller
        .get(&format!("{}/{endpoint}/deliveries", endpoints_path(brand)))
        .await;
    assert_eq!(log.status, 200, "{}", log.text);
    log.json()["deliveries"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[tokio::test]
async fn an_endpoint_is_disabled_enabled_and_deleted_by_its_own_routes_and_is_gone_with_its_log() {
    let alice = Caller::login("alice@aurelia.test").await;
    let arjun = Caller::login("arjun@aurelia.test").await;
    let vera = Caller::login("vera@aurelia.test").await;
    let nina = Caller::login("nina@northwind.test").await;
    let aurelia = brand_id("Aurelia").await;
    let northwind = brand_id("Northwind").await;
    let path = endpoints_path(&aurelia);
    // Nothing listens on this port: each attempt fails and is logged.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let created = alice
        .send(
            "POST",
            &path,
            Some(json!({ "url": format!("http://127.0.0.1:{port}/gone"), "events": ["case.created"] })),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let endpoint = created.json()["endpoint"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let one = format!("{path}/{endpoint}");

    // A delivery, with its payload in the log.
    let (_, filed) = report_fresh_listing(&arjun, &aurelia, "Aurelia belt, endpoint deleted").await;
    assert_eq!(filed.status, 201, "{}", filed.text);
    let first = eventually("a delivery is queued", || async {
        deliveries(&alice, &aurelia, &endpoint)
            .await
            .first()
            .cloned()
    })
    .await;
    assert_eq!(first["payload"]["type"], "case.created", "{first}");
    assert_eq!(first["payload"]["data"]["brand_id"], aurelia.as_str());
    let delivery = first["id"].as_str().unwrap().to_owned();
    let redeliver = format!("{one}/deliveries/{delivery}/redeliver");
    // Never tried, it is not sent "again". (Another test's cron run may try it meanwhile: then
    // the log says it was tried, and sending it again is allowed.)
    let early = alice.send("POST", &redeliver, None).await;
    if early.status == 409 {
        assert_eq!(early.json()["error"]["reason"], "delivery_not_tried");
    } else {
        assert_eq!(early.status, 204, "{}", early.text);
        let tried = deliveries(&alice, &aurelia, &endpoint).await;
        assert!(tried
            .iter()
            .any(|d| d["id"] == delivery.as_str() && d["attempts"].as_i64() > Some(0)));
    }
    run_cron().await;
    eventually("an attempt is logged", || async {
        deliveries(&alice, &aurelia, &endpoint)
            .await
            .iter()
            .find(|d| d["attempts"].as_i64() > Some(0))
            .cloned()
    })
    .await;
    // Tried and failed: sent again at once.
    assert_eq!(alice.send("POST", &redeliver, None).await.status, 204);
    let stored_log = |endpoint: String| async move {
        (
            d1_count(&format!(
                "SELECT count(*) AS n FROM webhook_deliveries WHERE endpoint_id = '{endpoint}'"
            ))
            .await,
            d1_count(&format!(
                "SELECT count(*) AS n FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
                 WHERE d.endpoint_id = '{endpoint}'"
            ))
            .await,
        )
    };
    let (queued, attempts) = stored_log(endpoint.clone()).await;
    assert!(
        queued >= 1 && attempts >= 1,
        "{queued} deliveries, {attempts} attempts"
    );

    // Not by a viewer, nor by another brand, through its own brand or through Aurelia's.
    for (method, tail) in [("POST", "/disable"), ("POST", "/enable"), ("DELETE", "")] {
        let a = vera.send(method, &format!("{one}{tail}"), None).await;
        assert_eq!(a.status, 403, "viewer {method} {tail}: {}", a.text);
        for brand in [&northwind, &aurelia] {
            let foreign = format!("{}/{endpoint}{tail}", endpoints_path(brand));
            let a = nina.send(method, &foreign, None).await;
            assert_eq!(a.status, 404, "Northwind {method} {foreign}: {}", a.text);
        }
    }
    assert!(listed(&alice, &aurelia)
        .await
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["id"] == endpoint.as_str()));

    // Disabled, enabled: each its own route, each answered 204, the list following.
    let state = |list: Value| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == endpoint.as_str())
            .map(|e| e["disabled_at"].is_null())
    };
    assert_eq!(
        alice
            .send("POST", &format!("{one}/disable"), None)
            .await
            .status,
        204
    );
    assert_eq!(
        state(listed(&alice, &aurelia).await),
        Some(false),
        "disabled"
    );
    assert_eq!(
        alice
            .send("POST", &format!("{one}/enable"), None)
            .await
            .status,
        204
    );
    assert_eq!(state(listed(&alice, &aurelia).await), Some(true), "enabled");
    // Bad inputs: the wrong method, an unknown endpoint.
    let wrong = alice.get(&format!("{one}/disable")).await;
    assert_eq!(wrong.status, 405, "{}", wrong.text);
    assert_eq!(
        state(listed(&alice, &aurelia).await),
        Some(true),
        "nothing changed"
    );
    let unknown = alice
        .send(
            "DELETE",
            &format!("{path}/6f1c7a52-3b9e-4c1d-8a55-0e2b7d9c4f10"),
            None,
        )
        .await;
    assert_eq!(unknown.status, 404, "{}", unknown.text);

    // Deleted: gone from the list, its log gone with it, in D1 too.
    let deleted = alice.send("DELETE", &one, None).await;
    assert_eq!(deleted.status, 204, "{}", deleted.text);
    assert_eq!(state(listed(&alice, &aurelia).await), None, "gone");
    let log = alice.get(&format!("{one}/deliveries")).await;
    assert_eq!(log.status, 404, "{}", log.text);
    assert_eq!(
        stored_log(endpoint.clone()).await,
        (0, 0),
        "no delivery, no attempt left"
    );
    assert_eq!(alice.send("POST", &redeliver, None).await.status, 404);
    assert_eq!(
        alice.send("DELETE", &one, None).await.status,
        404,
        "deleted once"
    );

    // The brand's log: disabled, enabled, deleted, each once, the deletion naming the URL.
    let audit = alice
        .get(&format!("/api/v1/brands/{aurelia}/audit?limit=100"))
        .await;
    assert_eq!(audit.status, 200, "{}", audit.text);
    let about: Vec<Value> = audit.json()["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["subject_id"] == endpoint.as_str())
        .cloned()
        .collect();
    let kinds: Vec<&str> = about.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "endpoint_deleted",
            "endpoint_enabled",
            "endpoint_disabled",
            "endpoint_created"
        ],
        "newest first"
    );
    assert_eq!(
        about[0]["details"]["url"],
        format!("http://127.0.0.1:{port}/gone")
    );
}
