//! Streamed CSV exports on wrangler dev: 100,000 cases in one download, whole and each once; a read failing midway aborts the download.

use jf_core::export::{AUDIT_COLUMNS, CASE_COLUMNS};
use jf_tests::*;
use serde_json::json;
use std::collections::HashSet;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// A brand of its own, made by the operator, so nothing else sees its cases.
async fn fresh_brand(ops: &Caller) -> String {
    let reference = format!("BR-{}", unique("EXP").to_uppercase());
    let brand = ops
        .send(
            "POST",
            "/api/v1/admin/brands",
            Some(json!({ "name": unique("Export brand "), "brand_ref": reference })),
        )
        .await;
    assert_eq!(brand.status, 201, "{}", brand.text);
    brand.json()["id"].as_str().unwrap().to_owned()
}

/// The first 8 hex digits of this run's case ids (the rest is the row number).
fn id_prefix() -> String {
    format!("{:08x}", now_ms() as u32)
}

/// `n` withdrawn cases of `brand`, straight into D1 in one statement; ten share each
/// millisecond (the cursor's id breaks the ties) and every thousandth title is a formula.
fn seed_cases(brand: &str, prefix: &str, n: i64, since: i64) {
    let changed = d1_exec(&format!(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {last})
         INSERT INTO cases (id, brand_id, listing_id, origin, status, is_open, reason_code, title,
                            seller_name, created_at, updated_at)
         SELECT printf('{prefix}-0000-4000-8000-%012d', i), '{brand}', 'EXP-' || i, 'report',
                'withdrawn', 0, 'counterfeit',
                CASE WHEN i % 1000 = 0 THEN '=HYPERLINK(\"http://evil.example\")'
                     ELSE 'Export bag, no. ' || i END,
                'Seller', {since} + i / 10, {since} + i / 10
         FROM n",
        last = n - 1
    ));
    assert_eq!(changed, n, "seeded");
}

fn case_id(prefix: &str, i: i64) -> String {
    format!("{prefix}-0000-4000-8000-{i:012}")
}

#[tokio::test]
async fn a_hundred_thousand_cases_export_whole_each_once_in_under_a_minute() {
    const N: i64 = 100_000;
    let ops = Caller::login("ops@marketplace.test").await;
    let brand = fresh_brand(&ops).await;
    let prefix = id_prefix();
    let since = now_ms() - 60_000_000;
    seed_cases(&brand, &prefix, N, since);

    let started = Instant::now();
    let resp = ops
        .request("GET", &format!("/api/v1/brands/{brand}/export/cases.csv"))
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
    assert_eq!(
        header("content-disposition"),
        "attachment; filename=\"cases.csv\""
    );
    assert_eq!(header("content-length"), "", "streamed, not sized up front");
    let body = resp
        .bytes()
        .await
        .expect("the whole file arrives: an aborted stream fails here");
    let took = started.elapsed();
    assert!(took < Duration::from_secs(60), "took {took:?}");
    eprintln!("{N} cases, {} bytes, in {took:?}", body.len());

    let records = jf_core::csv::parse(&body).expect("the file parses");
    assert_eq!(records[0].1, CASE_COLUMNS);
    assert_eq!(records.len() as i64, N + 1, "every row");
    let mut seen = HashSet::new();
    for (line, r) in &records[1..] {
        assert!(seen.insert(r[0].clone()), "line {line}: {} twice", r[0]);
        assert!(!r[2].starts_with('='), "line {line}: {}", r[2]);
    }
    assert!((0..N).all(|i| seen.contains(&case_id(&prefix, i))));
    let guarded = records
        .iter()
        .filter(|(_, r)| r[2].starts_with("'="))
        .count();
    assert_eq!(guarded, (N / 1000) as usize, "formula titles are guarded");
    assert!(records.iter().any(|(_, r)| r[2] == "Export bag, no. 7"));

    // The current filter applies: 10 milliseconds hold 100 cases.
    let from = since + 5_000;
    let some = ops
        .get(&format!(
            "/api/v1/brands/{brand}/export/cases.csv?from={from}&to={}",
            from + 10
        ))
        .await;
    assert_eq!(some.status, 200);
    let some = jf_core::csv::parse(some.text.as_bytes()).unwrap();
    assert_eq!(some.len(), 1 + 100);
}

/// D1 cannot be made to fail between two queries from outside, but a read can fail midway: a
/// row the store cannot decode (an id that is not a UUID) on the third page fails that read
/// after the first page has gone out.
#[tokio::test]
async fn a_read_failing_midway_aborts_the_download_never_a_short_file() {
    let ops = Caller::login("ops@marketplace.test").await;
    let brand = fresh_brand(&ops).await;
    let prefix = id_prefix();
    let since = now_ms() - 60_000_000;
    seed_cases(&brand, &prefix, 1_500, since);
    // Newest first: 1,390 cases are newer than this one, so it is read with the third page.
    let at = since + 10;
    d1_exec(&format!(
        "INSERT INTO cases (id, brand_id, listing_id, origin, status, is_open, title, created_at, updated_at)
         VALUES ('not-a-uuid-{prefix}', '{brand}', 'EXP-BAD', 'report', 'withdrawn', 0, 'Bad', {at}, {at})"
    ));
    let resp = ops
        .request("GET", &format!("/api/v1/brands/{brand}/export/cases.csv"))
        .send()
        .await
        .expect("request reaches wrangler dev");
    assert_eq!(
        resp.status(),
        200,
        "the first page went out before the failure"
    );
    let body = resp.bytes().await;
    assert!(
        body.is_err(),
        "the transfer must fail, not end short ({} bytes arrived as if whole)",
        body.map(|b| b.len()).unwrap_or_default()
    );

    // A failure before the first byte is an ordinary error answer: here the first page.
    let at = since + 1_000;
    d1_exec(&format!(
        "INSERT INTO cases (id, brand_id, listing_id, origin, status, is_open, title, created_at, updated_at)
         VALUES ('not-a-uuid-either-{prefix}', '{brand}', 'EXP-BAD2', 'report', 'withdrawn', 0, 'Bad', {at}, {at})"
    ));
    let first = ops
        .get(&format!("/api/v1/brands/{brand}/export/cases.csv"))
        .await;
    assert_eq!(first.status, 500, "{}", first.text);
    assert_eq!(first.error_code(), "internal_error");
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
