//! The portal installs like an app: a web app manifest with icons, and a service worker that
//! keeps the app shell (and never API answers), so it starts with no network.

use jf_tests::browser::{Browser, PHONE};
use jf_tests::*;
use serde_json::Value;
use std::time::Duration;

async fn script(b: &Browser, js: &str) -> Value {
    b.client
        .execute_async(js, vec![])
        .await
        .unwrap_or_else(|e| panic!("{js}: {e}"))
}

#[tokio::test]
async fn the_manifest_names_the_app_and_its_icons_load() {
    let manifest = Caller::anonymous().get("/manifest.webmanifest").await;
    assert_eq!(manifest.status, 200);
    let manifest = manifest.json();
    assert_eq!(manifest["name"], "JointForce");
    assert_eq!(manifest["display"], "standalone");
    assert_eq!(manifest["start_url"], "/");
    let icons = manifest["icons"].as_array().expect("icons");
    for size in ["192x192", "512x512"] {
        let icon = icons
            .iter()
            .find(|i| i["sizes"] == size)
            .unwrap_or_else(|| panic!("no {size} icon"));
        let png = Caller::anonymous().get(icon["src"].as_str().unwrap()).await;
        assert_eq!(png.status, 200, "{size}");
        assert_eq!(
            png.header("content-type").as_deref(),
            Some("image/png"),
            "{size}"
        );
    }
    assert!(icons.iter().any(|i| i["purpose"] == "maskable"));
    let index = Caller::anonymous().get("/login").await;
    // index.html is minified: attribute values may have lost their quotes.
    let links_manifest = ["rel=manifest", r#"rel="manifest""#]
        .iter()
        .any(|l| index.text.contains(l));
    assert!(links_manifest, "{}", index.text);
}

#[tokio::test]
async fn the_service_worker_keeps_the_shell_never_api_answers_and_starts_offline() {
    let b = Browser::open(PHONE).await;
    b.sign_in("alice@aurelia.test").await;
    b.find("#sign-out").await;
    let ready = script(
        &b,
        "const done = arguments[arguments.length - 1];
         navigator.serviceWorker.ready.then(r => done(r.active ? r.active.scriptURL : null), e => done(String(e)));",
    )
    .await;
    assert!(
        ready.as_str().unwrap_or_default().ends_with("/sw.js"),
        "{ready}"
    );
    // Browse a few screens that read the API, under the worker's control.
    b.goto("/").await;
    b.find("main h1").await;
    let aurelia = brand_id("Aurelia").await;
    for path in [
        format!("/brands/{aurelia}/cases"),
        format!("/brands/{aurelia}/confirm"),
    ] {
        b.goto(&path).await;
        b.find("main h1").await;
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let controlled = script(
        &b,
        "arguments[arguments.length - 1](!!navigator.serviceWorker.controller)",
    )
    .await;
    assert_eq!(controlled, Value::Bool(true));
    let cached = script(
        &b,
        "const done = arguments[arguments.length - 1];
         caches.keys().then(async keys => {
           const urls = [];
           for (const k of keys) for (const r of await (await caches.open(k)).keys()) urls.push(new URL(r.url).pathname);
           done(urls);
         });",
    )
    .await;
    let cached: Vec<String> = serde_json::from_value(cached).unwrap();
    assert!(cached.iter().any(|u| u == "/"), "{cached:?}");
    assert!(cached.iter().any(|u| u.ends_with(".wasm")), "{cached:?}");
    assert!(cached.iter().any(|u| u.ends_with(".css")), "{cached:?}");
    assert!(
        !cached.iter().any(|u| u.starts_with("/api/")),
        "API answers cached: {cached:?}"
    );

    // No network: the shell still starts from the cache and says the server is out of reach.
    b.set_offline(true).await;
    b.goto("/account").await;
    let text = b.wait_text("body", "Could not reach JointForce").await;
    assert!(!text.is_empty());
    b.set_offline(false).await;
    let _ = b.console_problems().await; // offline requests fail loudly, as they should
    let _ = b.client.close().await;
}
