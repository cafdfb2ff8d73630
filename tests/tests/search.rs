//! Finding infringements from the portal: searching the marketplace (words, open-case marks, the
//! per-brand quota, the marketplace down) and reporting many listings at once (all or none).

use jf_tests::*;
use serde_json::{json, Value};
use tokio::sync::RwLock;

/// Taken for writing by the test that turns the marketplace off; every other test reads.
static MARKET: RwLock<()> = RwLock::const_new(());

const SEARCH: &str = "/api/v1/brands/{brand_id}/marketplace/listings";
const BATCH: &str = "/api/v1/brands/{brand_id}/reports/batch";

fn search_path(brand: &str, q: &str) -> String {
    let mut url = url::Url::parse("http://x/").unwrap();
    url.query_pairs_mut().append_pair("q", q);
    format!(
        "/api/v1/brands/{brand}/marketplace/listings?{}",
        url.query().unwrap_or_default()
    )
}

fn batch_body(listings: &[&str], right: &str) -> Value {
    json!({ "listings": listings, "ip_right_id": right, "reason_code": "counterfeit",
            "statement": STATEMENT, "evidence_links": ["https://brand-evidence.example/test-buy.pdf"],
            "good_faith": true })
}

fn listing_ids(page: &Value) -> Vec<String> {
    page["listings"]
        .as_array()
        .unwrap_or_else(|| panic!("no listings: {page}"))
        .iter()
        .map(|l| l["listing_id"].as_str().unwrap().to_owned())
        .collect()
}

/// How many cases (any brand) there are for these listings, read from D1.
async fn cases_of(listings: &[&str]) -> i64 {
    let ids: Vec<String> = listings.iter().map(|l| format!("'{l}'")).collect();
    d1_count(&format!(
        "SELECT count(*) AS n FROM cases WHERE listing_id IN ({})",
        ids.join(", ")
    ))
    .await
}

#[tokio::test]
async fn a_search_finds_listings_by_their_words_and_marks_the_one_already_open() {
    let _m = MARKET.read().await;
    let arjun = Caller::login("arjun@aurelia.test").await;
    let aurelia = brand_id("Aurelia").await;
    let word = unique("Qz");
    let tote = new_listing(&format!("Aurelia {word} Tote Bag"), "SEL-T1").await;
    let watch = new_listing(&format!("奥瑞莉亚 {word} 机械手表"), "SEL-T2").await;
    let right = usable_right(&arjun, &aurelia).await;
    let filed = arjun
        .send(
            "POST",
            &format!("/api/v1/brands/{aurelia}/reports"),
            Some(report_body(&watch, &right)),
        )
        .await;
    assert_eq!(filed.status, 201, "{}", filed.text);
    let case_id = filed.json()["id"].as_str().unwrap().to_owned();

    // The word in any case finds both; the one reported carries its open case.
    let a = arjun
        .get(&search_path(&aurelia, &word.to_lowercase()))
        .await;
    assert_eq!(a.status, 200, "{}", a.text);
    let page = a.json();
    assert_matches_schema("GET", SEARCH, 200, &page).await;
    let mut found = listing_ids(&page);
    found.sort();
    let mut expected = vec![tote.clone(), watch.clone()];
    expected.sort();
    assert_eq!(found, expected);
    let by_id = |id: &str| {
        page["listings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["listing_id"] == id)
            .cloned()
            .unwrap()
    };
    let t = by_id(&tote);
    assert_eq!(t["open_case_id"], Value::Null);
    assert_eq!(t["title"], format!("Aurelia {word} Tote Bag"));
    assert_eq!(t["price"], json!({ "amount": "49.00", "currency": "EUR" }));
    assert_eq!(t["seller"]["seller_id"], "SEL-T1");
    assert!(t["image_url"]
        .as_str()
        .unwrap()
        .starts_with("data:image/svg+xml"));
    assert_eq!(by_id(&watch)["open_case_id"], case_id.as_str());

    // A Chinese word with it narrows to the Chinese title.
    let a = arjun
        .get(&search_path(&aurelia, &format!("手表 {word}")))
        .await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(listing_ids(&a.json()), vec![watch.clone()]);

    // Another brand's agent sees no mark of Aurelia's case.
    let agency = Caller::login("agent@brandguard.test").await;
    let northwind = brand_id("Northwind").await;
    let theirs = agency.get(&search_path(&northwind, &word)).await;
    assert_eq!(theirs.status, 200, "{}", theirs.text);
    assert!(!theirs.text.contains(&case_id), "{}", theirs.text);
    assert!(theirs.json()["listings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l["open_case_id"].is_null()));
}

#[tokio::test]
async fn bad_words_are_400_naming_q_a_viewer_is_403_and_another_brand_404() {
    let _m = MARKET.read().await;
    let arjun = Caller::login("arjun@aurelia.test").await;
    let aurelia = brand_id("Aurelia").await;
    for bad in [
        format!("/api/v1/brands/{aurelia}/marketplace/listings"),
        search_path(&aurelia, ""),
        search_path(&aurelia, "x"),
        search_path(&aurelia, &"包".repeat(201)),
    ] {
        let a = arjun.get(&bad).await;
        assert_eq!(a.status, 400, "{bad}: {}", a.text);
        assert_eq!(a.json()["error"]["field"], "q", "{bad}: {}", a.text);
    }
    let vera = Caller::login("vera@aurelia.test").await;
    let a = vera.get(&search_path(&aurelia, "Aurelia")).await;
    assert_eq!(a.status, 403, "{}", a.text);
    let a = vera
        .send(
            "POST",
            &format!("/api/v1/brands/{aurelia}/reports/batch"),
            Some(batch_body(&["MKT-100001"], "x")),
        )
        .await;
    assert_eq!(a.status, 403, "{}", a.text);

    let nina = Caller::login("nina@northwind.test").await;
    let a = nina.get(&search_path(&aurelia, "Aurelia")).await;
    assert_eq!(a.status, 404, "{}", a.text);
    assert!(!a.text.contains("Aurelia"), "{}", a.text);
    let a = nina
        .send(
            "POST",
            &format!("/api/v1/brands/{aurelia}/reports/batch"),
            Some(batch_body(&["MKT-100001"], "x")),
        )
        .await;
    assert_eq!(a.status, 404, "{}", a.text);
}

#[tokio::test]
async fn a_brand_searching_past_its_quota_is_told_when_to_try_again() {
    let _m = MARKET.read().await;
    // Dorado's searches are this test's alone: the other tests search as Aurelia and Northwind.
    let dora = Caller::login("dora@dorado.test").await;
    let dorado = brand_id("Dorado").await;
    let mut answered = 0;
    let refused = loop {
        let a = dora.get(&search_path(&dorado, "Dorado sunglasses")).await;
        if a.status != 200 {
            break a;
        }
        answered += 1;
        assert!(answered <= 30, "the 31st search in a minute was answered");
    };
    assert_eq!(refused.status, 429, "{}", refused.text);
    assert_eq!(refused.error_code(), "too_many_searches");
    let wait: i64 = refused
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    // Another brand still searches.
    let arjun = Caller::login("arjun@aurelia.test").await;
    let aurelia = brand_id("Aurelia").await;
    assert_eq!(
        arjun.get(&search_path(&aurelia, "Aurelia")).await.status,
        200
    );
}

#[tokio::test]
async fn the_marketplace_down_answers_503_with_its_code() {
    let _m = MARKET.write().await;
    let arjun = Caller::login("arjun@aurelia.test").await;
    let aurelia = brand_id("Aurelia").await;
    let down = simulator("POST", "/__mode", Some(json!({ "mode": "down" }))).await;
    assert_eq!(down.status, 200, "{}", down.text);
    let a = arjun.get(&search_path(&aurelia, "Aurelia")).await;
    let back = simulator("POST", "/__mode", Some(json!({ "mode": "normal" }))).await;
    assert_eq!(back.status, 200, "{}", back.text);
    assert_eq!(a.status, 503, "{}", a.text);
    assert_eq!(a.error_code(), "marketplace_unavailable");
    assert_eq!(
        arjun.get(&search_path(&aurelia, "Aurelia")).await.status,
        200
    );
}

#[tokio::test]
async fn a_batch_files_two_listings_at_once_with_the_marketplaces_snapshots() {
    let _m = MARKET.read().await;
    let arjun = Caller::login("arjun@aurelia.test").await;
    let aurelia = brand_id("Aurelia").await;
    let right = usable_right(&arjun, &aurelia).await;
    let word = unique("Bt");
    let one = new_listing(&format!("Aurelia {word} Belt Bag"), "SEL-T3").await;
    let two = new_listing(&format!("Aurelia {word} Card Holder"), "SEL-T3").await;
    assert_eq!(cases_of(&[&one, &two]).await, 0);

    let a = arjun
        .send(
            "POST",
            &format!("/api/v1/brands/{aurelia}/reports/batch"),
            Some(batch_body(&[&one, &two], &right)),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.text);
    let filed = a.json();
    assert_matches_schema("POST", BATCH, 201, &filed).await;
    let created = filed["created"].as_array().unwrap();
    assert_eq!(created.len(), 2);
    assert_eq!(cases_of(&[&one, &two]).await, 2);
    for (case, listing, title) in [
        (&created[0], &one, format!("Aurelia {word} Belt Bag")),
        (&created[1], &two, format!("Aurelia {word} Card Holder")),
    ] {
        assert_eq!(case["listing_id"], listing.as_str());
        // Aurelia is in the auto lane, as for a single report.
        assert_eq!(case["status"], "takedown_requested");
        let id = case["id"].as_str().unwrap();
        let file = arjun
            .get(&format!("/api/v1/brands/{aurelia}/cases/{id}"))
            .await
            .json();
        // The snapshot is the marketplace's (the request carried only ids).
        assert_eq!(file["snapshot"]["title"], title.as_str());
        assert_eq!(file["snapshot"]["seller"]["seller_id"], "SEL-T3");
        assert_eq!(
            file["evidence_urls"][0],
            "https://brand-evidence.example/test-buy.pdf"
        );
    }
    // Both now show as open in a search.
    let page = arjun.get(&search_path(&aurelia, &word)).await.json();
    assert!(page["listings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l["open_case_id"].is_string()));
}

#[tokio::test]
async fn a_batch_with_one_bad_listing_is_refused_by_that_listing_and_stores_nothing() {
    let _m = MARKET.read().await;
    let arjun = Caller::login("arjun@aurelia.test").await;
    let aurelia = brand_id("Aurelia").await;
    let right = usable_right(&arjun, &aurelia).await;
    let (open, filed) = report_fresh_listing(&arjun, &aurelia, "Aurelia Chrono, reported").await;
    assert_eq!(filed.status, 201, "{}", filed.text);
    let open_case = filed.json()["id"].as_str().unwrap().to_owned();
    let fine = new_listing("Aurelia Diver Watch, batch", "SEL-T4").await;
    let before = cases_of(&[&open, &fine]).await;
    assert_eq!(before, 1);
    let listings_before = d1_count(&format!(
        "SELECT count(*) AS n FROM listings WHERE id = '{fine}'"
    ))
    .await;

    let a = arjun
        .send(
            "POST",
            &format!("/api/v1/brands/{aurelia}/reports/batch"),
            Some(batch_body(&[&fine, &open], &right)),
        )
        .await;
    assert_eq!(a.status, 422, "{}", a.text);
    let body = a.json();
    assert_matches_schema("POST", BATCH, 422, &body).await;
    assert_eq!(body["error"]["code"], "refused_listings");
    let refused = body["error"]["refused"].as_object().unwrap();
    assert_eq!(
        refused.keys().collect::<Vec<_>>(),
        [&open],
        "only the bad listing: {body}"
    );
    let problem = &refused[&open][0];
    assert_eq!(problem["code"], "open_case");
    assert_eq!(problem["field"], "listings");
    assert_eq!(problem["args"], json!([open, open_case]));

    // Nothing stored: no case, no listing, no action for the good one.
    assert_eq!(cases_of(&[&open, &fine]).await, before);
    assert_eq!(
        d1_count(&format!(
            "SELECT count(*) AS n FROM listings WHERE id = '{fine}'"
        ))
        .await,
        listings_before
    );
    assert_eq!(
        d1_count(&format!(
            "SELECT count(*) AS n FROM outbox WHERE payload LIKE '%{fine}%'"
        ))
        .await,
        0
    );

    // A listing the marketplace does not know is refused by its id, with its reason.
    let a = arjun
        .send(
            "POST",
            &format!("/api/v1/brands/{aurelia}/reports/batch"),
            Some(batch_body(&[&fine, "MKT-NOWHERE-1"], &right)),
        )
        .await;
    assert_eq!(a.status, 422, "{}", a.text);
    assert_eq!(
        a.json()["error"]["refused"]["MKT-NOWHERE-1"][0]["reason"],
        "no_listing"
    );
    assert_eq!(cases_of(&[&fine]).await, 0);

    // No good-faith declaration, or no listing: 400 naming the field.
    let mut no_faith = batch_body(&[&fine], &right);
    no_faith["good_faith"] = json!(false);
    let a = arjun
        .send(
            "POST",
            &format!("/api/v1/brands/{aurelia}/reports/batch"),
            Some(no_faith),
        )
        .await;
    assert_eq!(
        (a.status, a.json()["error"]["field"].clone()),
        (400, json!("good_faith"))
    );
    let a = arjun
        .send(
            "POST",
            &format!("/api/v1/brands/{aurelia}/reports/batch"),
            Some(batch_body(&[], &right)),
        )
        .await;
    assert_eq!(
        (a.status, a.json()["error"]["field"].clone()),
        (400, json!("listings"))
    );
    assert_eq!(cases_of(&[&fine]).await, 0);
}
