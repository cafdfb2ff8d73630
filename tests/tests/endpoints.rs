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
