//! The query-plan catalogue (`jf_core::sql::plans`) on D1 through wrangler dev: every list,
//! queue, dashboard, search and export statement, explained by the Worker's own D1 with its
//! parameters, reads no brand's cases, history or inbound events but through an index led by the
//! brand, and no page of the case list sorts its rows (as `core/tests/plans.rs` checks on SQLite).

use jf_core::ids::{BrandId, UserId};
use jf_core::sql::plans;
use jf_tests::*;
use serde_json::Value;

fn text(v: &Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

/// The indexes led by `brand_id` in D1's own schema.
async fn brand_led() -> Vec<String> {
    let schema: Vec<(String, Option<String>)> =
        d1_rows("SELECT name, sql FROM sqlite_master WHERE type = 'index'")
            .await
            .iter()
            .map(|r| (text(&r["name"]).unwrap_or_default(), text(&r["sql"])))
            .collect();
    let led = plans::brand_led_indexes(&schema);
    for index in ["cases_by_brand", "cases_by_brand_due", "cases_taken_down"] {
        assert!(led.iter().any(|l| l == index), "{index}: {led:?}");
    }
    led
}

#[tokio::test]
async fn no_list_queue_or_dashboard_statement_reads_every_brands_cases_on_d1() {
    let led = brand_led().await;
    let brands: Vec<BrandId> = demo_brands()
        .await
        .iter()
        .map(|(_, id)| BrandId::parse(id).expect("a brand id"))
        .collect();
    assert!(brands.len() >= 2, "{brands:?}");
    let user = d1_rows("SELECT user_id FROM memberships ORDER BY user_id LIMIT 1").await;
    let user = UserId::parse(user[0]["user_id"].as_str().expect("a member")).expect("a user id");
    let catalogue = plans::catalogue(brands[0], &brands[..2], user, now_secs() * 1000);
    let mut found = Vec::new();
    for p in &catalogue {
        let rows: Vec<plans::PlanRow> = d1_rows_with(
            &format!("EXPLAIN QUERY PLAN {}", p.stmt.sql),
            &p.stmt.params,
        )
        .await
        .iter()
        .map(|r| {
            (
                r["id"].as_i64().unwrap_or_default(),
                r["parent"].as_i64().unwrap_or_default(),
                text(&r["detail"]).unwrap_or_default(),
            )
        })
        .collect();
        assert!(!rows.is_empty(), "{}: no plan from D1", p.name);
        for problem in plans::plan_problems(p, &rows, &led) {
            found.push(format!("{}: {problem}\n{rows:#?}", p.name));
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n\n"));
}
