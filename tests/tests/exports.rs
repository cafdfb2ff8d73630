//! Streamed CSV exports on wrangler dev: the case list and the audit log, whole and each row once,
//! sent as a stream (no length up front), 100,000 rows included. The pager's paging and its
//! abort on a failure midway are tested natively (`core/tests/exports.rs`).

use jf_core::export::{AUDIT_COLUMNS, CASE_COLUMNS};
use jf_tests::*;
use std::collections::HashSet;

/// A demo brand's whole case list comes as one streamed file: every case the list pages
/// through, once each, and no formula left unguarded. (Northwind's: a brand has 5 exports a
/// minute, and Aurelia's are used by the tests of the sorts and of the audit log.)
#[tokio::test]
async fn the_case_list_exports_whole_as_a_stream() {
    let northwind = brand_id("Northwind").await;
    let nina = Caller::login("nina@northwind.test").await;
    let mut listed = HashSet::new();
    let mut cursor = String::new();
    loop {
        let page = nina
            .get(&format!(
                "/api/v1/brands/{northwind}/cases?limit=100{cursor}"
            ))
            .await
            .json();
        for case in page["cases"].as_array().unwrap() {
            listed.insert(case["id"].as_str().unwrap().to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => break,
        }
    }
    let resp = nina
        .request(
            "GET",
            &format!("/api/v1/brands/{northwind}/export/cases.csv"),
        )
        .send()
        .await
        .expect("request reaches wrangler dev");
    assert_eq!(resp.status(), 200);
    let header = |name: &str| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert!(header("content-type").starts_with("text/csv"));
    assert_eq!(header("content-length"), "", "streamed, not sized up front");
    let body = resp.bytes().await.expect("the whole file arrives");
    let records = jf_core::csv::parse(&body).expect("the file parses");
    assert_eq!(records[0].1, CASE_COLUMNS);
    let mut exported = HashSet::new();
    let iso = |c: &str| {
        c.len() == 20 && c.ends_with('Z') && c.as_bytes()[4] == b'-' && c.as_bytes()[10] == b'T'
    };
    for (line, r) in &records[1..] {
        assert_eq!(r.len(), CASE_COLUMNS.len(), "line {line}");
        assert!(exported.insert(r[0].clone()), "line {line}: {} twice", r[0]);
        assert!(!r[2].starts_with('='), "line {line}: {}", r[2]);
        // created_at and deadline: ISO 8601 in UTC, never epoch milliseconds.
        assert!(iso(&r[7]), "line {line}: created_at {}", r[7]);
        assert!(
            r[9].is_empty() || iso(&r[9]),
            "line {line}: deadline {}",
            r[9]
        );
        assert!(
            r[10].is_empty() || r[10].starts_with("http"),
            "line {line}: listing_url {}",
            r[10]
        );
    }
    // The demo's filed reports name their right; their listings have an address.
    assert!(
        records[1..].iter().any(|(_, r)| !r[8].is_empty()),
        "a case with its right"
    );
    assert!(
        records[1..].iter().any(|(_, r)| !r[10].is_empty()),
        "a case with its listing's address"
    );
    // Cases filed meanwhile by other tests may be in one and not the other: all listed before
    // the export began are in it.
    assert!(
        listed.is_subset(&exported),
        "{:?}",
        listed.difference(&exported)
    );
}

#[tokio::test]
async fn the_audit_log_exports_for_its_readers_with_its_filters() {
    let aurelia = brand_id("Aurelia").await;
    let ops = Caller::login("ops@marketplace.test").await;
    let all = ops
        .get("/api/v1/admin/export/audit.csv?kind=signed_in")
        .await;
    assert_eq!(all.status, 200, "{}", all.text);
    assert!(all.header("content-type").unwrap().starts_with("text/csv"));
    assert_eq!(
        all.header("content-disposition").as_deref(),
        Some("attachment; filename=\"audit.csv\"")
    );
    let rows = jf_core::csv::parse(all.text.as_bytes()).unwrap();
    assert_eq!(rows[0].1, AUDIT_COLUMNS);
    assert!(rows.len() > 1, "the operator's own sign-in at least");
    assert!(rows[1..].iter().all(|(_, r)| r[2] == "signed_in"));
    assert!(
        rows[1..].iter().any(|(_, r)| !r[10].is_empty()),
        "operators see addresses"
    );

    let alice = Caller::login("alice@aurelia.test").await;
    let brand = alice
        .get(&format!("/api/v1/brands/{aurelia}/export/audit.csv"))
        .await;
    assert_eq!(brand.status, 200, "{}", brand.text);
    let rows = jf_core::csv::parse(brand.text.as_bytes()).unwrap();
    assert!(rows.len() > 1);
    assert!(
        rows[1..].iter().all(|(_, r)| r[10].is_empty()),
        "a brand's export has no addresses"
    );

    // Refusals come before the first byte, as ordinary error answers.
    let vera = Caller::login("vera@aurelia.test").await;
    let refused = vera
        .get(&format!("/api/v1/brands/{aurelia}/export/audit.csv"))
        .await;
    assert_eq!(refused.status, 403, "{}", refused.text);
    assert_eq!(refused.error_code(), "forbidden");
    let bad = ops
        .get("/api/v1/admin/export/audit.csv?kind=everything")
        .await;
    assert_eq!(bad.status, 400, "{}", bad.text);
    assert_eq!(bad.json()["error"]["field"], "kind");
}

/// A brand of 100,000 cases (`cargo xtask test` writes it into local D1 before workerd starts:
/// `xtask/src/scale.rs`) exports every one of them, once each, in one streamed file that parses.
#[tokio::test]
async fn a_hundred_thousand_cases_export_whole_and_once_each() {
    let admin = std::env::var("JF_EXPORT_ADMIN").expect("cargo xtask test seeds the export brand");
    let expected: usize = std::env::var("JF_EXPORT_CASES")
        .expect("cargo xtask test says its size")
        .parse()
        .unwrap();
    assert!(expected >= 100_000);
    let caller = Caller::login(&admin).await;
    let me = caller.get("/api/v1/me").await.json();
    let brand = me["memberships"][0]["brand_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let started = std::time::Instant::now();
    let resp = caller
        .request("GET", &format!("/api/v1/brands/{brand}/export/cases.csv"))
        .send()
        .await
        .expect("request reaches wrangler dev");
    assert_eq!(resp.status(), 200);
    let body = resp.bytes().await.expect("the whole file arrives");
    println!(
        "exported {} bytes in {:.1} s",
        body.len(),
        started.elapsed().as_secs_f64()
    );
    let records = jf_core::csv::parse(&body).expect("the file parses");
    assert_eq!(records[0].1, CASE_COLUMNS);
    let mut ids = HashSet::new();
    for (line, r) in &records[1..] {
        assert_eq!(r.len(), CASE_COLUMNS.len(), "line {line}");
        assert!(ids.insert(r[0].clone()), "line {line}: {} twice", r[0]);
    }
    assert_eq!(ids.len(), expected, "every case, once each");
}
