//! Reports, reviews, confirmations and the marketplace link, end to end: wrangler dev (workerd,
//! local D1 and KV) talking to the marketplace simulator over signed HTTP.

use jf_tests::*;
use serde_json::{json, Value};
use tokio::sync::RwLock;

/// Tests that change the simulator's mode or the domain clock take this for writing.
static WORLD: RwLock<()> = RwLock::const_new(());

async fn case_status(caller: &Caller, brand: &str, case: &str) -> String {
    caller
        .get(&format!("/api/v1/brands/{brand}/cases/{case}"))
        .await
        .json()["status"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn wait_for_status(caller: &Caller, brand: &str, case: &str, want: &str) {
    eventually(&format!("case {case} becomes {want}"), || async {
        (case_status(caller, brand, case).await == want).then_some(())
    })
    .await
}

async fn dead_letter_ids() -> Vec<String> {
    let ops = Caller::login("ops@marketplace.test").await;
    let letters = ops.get("/api/v1/admin/dead-letters").await.json();
    letters["letters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["webhook_id"].as_str().unwrap().to_owned())
        .collect()
}

fn flag_event(brand_ref: &str, listing: &str, title: &str) -> Value {
    json!({ "type": "listing.flagged", "timestamp": "2026-11-28T10:00:00Z", "data": {
        "brand_ref": brand_ref,
        "listing": { "listing_id": listing, "url": format!("https://market.example/item/{listing}"), "title": title,
                     "price": { "amount": "19.99", "currency": "EUR" }, "image_url": null,
                     "seller": { "seller_id": "SEL-T2", "name": "Flagged Seller" } },
        "detection": { "score": 0.93, "signals": ["logo_mismatch"] } } })
}

#[tokio::test]
async fn signatures_are_checked_against_the_real_clock_and_nothing_unsigned_is_stored() {
    let _w = WORLD.read().await;
    let secret = jf_core::webhook::Secret::parse(DEV_WEBHOOK_SECRET).unwrap();
    let wrong = jf_core::webhook::Secret::parse("whsec_bm90IHRoZSBzZWNyZXQ=").unwrap();
    let body = json!({ "type": "listing.teleported", "timestamp": "t", "data": {} }).to_string();
    let b = body.as_bytes();
    let now = now_secs();
    let id = unique("msg_sig");
    // (what, webhook-id, timestamp, signature, body)
    type Attempt<'a> = (
        &'a str,
        Option<&'a str>,
        Option<i64>,
        Option<String>,
        Vec<u8>,
    );
    let cases: Vec<Attempt> = vec![
        (
            "forged",
            Some(&id),
            Some(now),
            Some("v1,Zm9yZ2VkIHNpZ25hdHVyZQ==".into()),
            b.to_vec(),
        ),
        (
            "wrong secret",
            Some(&id),
            Some(now),
            Some(wrong.sign(&id, now, b)),
            b.to_vec(),
        ),
        // A minute past the 5-minute tolerance either way: seconds pass between reading the
        // clock here and the Worker reading its own (the exact bounds are unit-tested).
        (
            "stale",
            Some(&id),
            Some(now - 360),
            Some(secret.sign(&id, now - 360, b)),
            b.to_vec(),
        ),
        (
            "future",
            Some(&id),
            Some(now + 360),
            Some(secret.sign(&id, now + 360, b)),
            b.to_vec(),
        ),
        (
            "timestamp i64::MIN (arithmetic that must not overflow)",
            Some(&id),
            Some(i64::MIN),
            Some(secret.sign(&id, i64::MIN, b)),
            b.to_vec(),
        ),
        (
            "timestamp i64::MAX",
            Some(&id),
            Some(i64::MAX),
            Some(secret.sign(&id, i64::MAX, b)),
            b.to_vec(),
        ),
        (
            "no id",
            None,
            Some(now),
            Some(secret.sign(&id, now, b)),
            b.to_vec(),
        ),
        (
            "no timestamp",
            Some(&id),
            None,
            Some(secret.sign(&id, now, b)),
            b.to_vec(),
        ),
        ("no signature", Some(&id), Some(now), None, b.to_vec()),
        (
            "tampered",
            Some(&id),
            Some(now),
            Some(secret.sign(&id, now, b)),
            body.replace("teleported", "flagged").into_bytes(),
        ),
    ];
    for (what, id, ts, sig, bytes) in cases {
        let a = post_webhook(id, ts, sig.as_deref(), &bytes).await;
        assert_eq!(a.status, 401, "{what}: {}", a.text);
        assert_eq!(a.error_code(), "bad_signature", "{what}");
    }
    assert!(!dead_letter_ids().await.contains(&id), "nothing was stored");
    // Signed properly, the same event is stored (and dead-lettered: its type is unknown).
    let ok = webhook(&id, &serde_json::from_str(&body).unwrap()).await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert!(dead_letter_ids().await.contains(&id));
}

#[tokio::test]
async fn malformed_events_are_refused_naming_the_field() {
    let _w = WORLD.read().await;
    let id = unique("msg_bad");
    let not_json = {
        let secret = jf_core::webhook::Secret::parse(DEV_WEBHOOK_SECRET).unwrap();
        let ts = now_secs();
        post_webhook(
            Some(&id),
            Some(ts),
            Some(&secret.sign(&id, ts, b"{nope")),
            b"{nope",
        )
        .await
    };
    assert_eq!(not_json.status, 400);
    assert_eq!(not_json.json()["error"]["field"], "body");
    let no_type = webhook(&id, &json!({ "timestamp": "t", "data": {} })).await;
    assert_eq!(no_type.status, 400);
    assert_eq!(no_type.json()["error"]["field"], "type");
    let mut mistyped = flag_event("BR-AURELIA", "MKT-X1", "x");
    mistyped["data"]["detection"]["score"] = json!("high");
    let a = webhook(&id, &mistyped).await;
    assert_eq!(a.status, 400);
    assert_eq!(a.json()["error"]["field"], "data.detection.score");
    let mut missing = flag_event("BR-AURELIA", "MKT-X1", "x");
    missing["data"]["listing"]
        .as_object_mut()
        .unwrap()
        .remove("seller");
    let a = webhook(&id, &missing).await;
    assert_eq!(a.json()["error"]["field"], "data.listing.seller");
    let mut huge = flag_event("BR-AURELIA", "MKT-X1", "x");
    huge["data"]["listing"]["title"] = json!("x".repeat(300 * 1024));
    assert_eq!(webhook(&id, &huge).await.status, 413);
    // None of those took the webhook-id: a good event with it is still stored.
    let ok = webhook(
        &id,
        &json!({ "type": "listing.teleported", "timestamp": "t", "data": {} }),
    )
    .await;
    assert_eq!(ok.status, 200);
    assert!(dead_letter_ids().await.contains(&id));
}

#[tokio::test]
async fn events_that_cannot_be_applied_become_dead_letters_never_409() {
    let _w = WORLD.read().await;
    let cobalt = unique("msg_cobalt");
    let a = webhook(
        &cobalt,
        &flag_event("BR-COBALT", "MKT-COB-1", "Cobalt headphones"),
    )
    .await;
    assert_eq!(a.status, 200);
    assert!(a.json()["outcome"]
        .as_str()
        .unwrap()
        .contains("not enrolled"));
    let final_appeal = unique("msg_appeal");
    let appeal = json!({ "type": "appeal.filed", "timestamp": "t", "data": { "appeal_id": "AP-T1", "brand_ref": "BR-AURELIA",
        "listing_id": "MKT-900007", "seller": { "seller_id": "SEL-9002", "name": "x" }, "statement": "Genuine", "evidence_urls": [] } });
    let a = webhook(&final_appeal, &appeal).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert!(a.json()["outcome"]
        .as_str()
        .unwrap()
        .contains("dead letter"));
    let ops = Caller::login("ops@marketplace.test").await;
    let letters = ops.get("/api/v1/admin/dead-letters").await.json();
    let reason_of = |id: &str| {
        letters["letters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["webhook_id"] == id)
            .map(|l| l["reason"].as_str().unwrap().to_owned())
    };
    assert!(reason_of(&cobalt)
        .unwrap()
        .contains("BR-COBALT is not enrolled"));
    assert!(reason_of(&final_appeal).is_some());
    // Repeating a webhook-id is a 2xx no-op.
    let again = webhook(
        &cobalt,
        &flag_event("BR-COBALT", "MKT-COB-1", "Cobalt headphones"),
    )
    .await;
    assert_eq!(again.status, 200);
    assert_eq!(again.json()["outcome"], "duplicate");
    // Brands cannot see the dead letters; operators retry them.
    let alice = Caller::login("alice@aurelia.test").await;
    assert_eq!(alice.get("/api/v1/admin/dead-letters").await.status, 404);
    let retry = ops
        .send(
            "POST",
            &format!("/api/v1/admin/dead-letters/{cobalt}/retry"),
            None,
        )
        .await;
    assert_eq!(retry.status, 200, "{}", retry.text);
    let retried = retry.json();
    assert!(
        retried["outcome"]
            .as_str()
            .unwrap()
            .contains("not enrolled"),
        "still not enrolled"
    );
    // What became of it, for the operator's screen: still dead, and why.
    assert_eq!(retried["state"], "dead", "{retried}");
    assert!(
        retried["reason"]
            .as_str()
            .unwrap()
            .contains("BR-COBALT is not enrolled"),
        "{retried}"
    );
}

#[tokio::test]
async fn a_dead_letter_is_discarded_only_with_a_reason_and_the_discard_is_in_the_audit() {
    let _w = WORLD.read().await;
    let id = unique("msg_discard");
    let event = json!({ "type": "shop.verified", "timestamp": "t",
                        "data": { "brand_ref": "BR-NOBODY", "shop_id": "SHOP-D1" } });
    let stored = webhook(&id, &event).await;
    assert_eq!(stored.status, 200, "{}", stored.text);
    assert!(dead_letter_ids().await.contains(&id));
    let ops = Caller::login("ops@marketplace.test").await;
    let path = format!("/api/v1/admin/dead-letters/{id}/discard");

    // No reason, a blank one, one too long: 400 naming `reason`, and the letter stays.
    for (body, code) in [
        (json!({}), None),
        (json!({ "reason": "   " }), Some("say_why_discarded")),
        (json!({ "reason": "x".repeat(1001) }), Some("too_long")),
    ] {
        let refused = ops.send("POST", &path, Some(body.clone())).await;
        assert_eq!(refused.status, 400, "{body}: {}", refused.text);
        let error = &refused.json()["error"];
        assert_eq!(error["field"], "reason", "{body}: {error}");
        if let Some(code) = code {
            assert_eq!(error["reason"], code, "{body}: {error}");
        }
    }
    assert!(dead_letter_ids().await.contains(&id), "nothing changed");
    // Nobody but an operator: not even a route they could know of.
    for who in ["alice@aurelia.test", "am@marketplace.test"] {
        let caller = Caller::login(who).await;
        let a = caller
            .send("POST", &path, Some(json!({ "reason": "not mine" })))
            .await;
        assert_eq!(a.status, 404, "{who}: {}", a.text);
    }
    assert!(dead_letter_ids().await.contains(&id));

    let reason = "A test event from the marketplace's staging";
    let discarded = ops
        .send("POST", &path, Some(json!({ "reason": reason })))
        .await;
    assert_eq!(discarded.status, 204, "{}", discarded.text);
    assert!(!dead_letter_ids().await.contains(&id), "it leaves the list");
    // No longer a dead letter: neither retried nor discarded again.
    let retry = ops
        .send(
            "POST",
            &format!("/api/v1/admin/dead-letters/{id}/retry"),
            None,
        )
        .await;
    assert_eq!(retry.status, 404, "{}", retry.text);
    let again = ops
        .send("POST", &path, Some(json!({ "reason": reason })))
        .await;
    assert_eq!(again.status, 404, "{}", again.text);
    // The row stays, marked.
    let rows = d1_rows(&format!(
        "SELECT state, discard_reason FROM inbound_events WHERE webhook_id = '{id}'"
    ))
    .await;
    assert_eq!(rows[0]["state"], "discarded");
    assert_eq!(rows[0]["discard_reason"], reason);

    // The operators' log has it once, with the reason, by the operator.
    let log = ops
        .get("/api/v1/admin/audit?kind=dead_letter_discarded&limit=100")
        .await;
    assert_eq!(log.status, 200, "{}", log.text);
    let entries: Vec<Value> = log.json()["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["subject_id"] == id.as_str())
        .cloned()
        .collect();
    assert_eq!(entries.len(), 1, "{}", log.text);
    let e = &entries[0];
    assert_eq!(e["subject_kind"], "dead_letter");
    assert_eq!(e["details"]["reason"], reason);
    assert_eq!(e["details"]["type"], "shop.verified");
    assert_eq!(e["actor_kind"], "person");
    assert!(e["actor_id"].is_string(), "{e}");
    assert_eq!(
        e["brand_id"],
        Value::Null,
        "a dead letter belongs to no brand"
    );
}

#[tokio::test]
async fn one_webhook_id_delivered_twice_at_once_is_applied_once() {
    let _w = WORLD.read().await;
    let aurelia = brand_id("Aurelia").await;
    let agent = Caller::login("agent@brandguard.test").await;
    let listing = unique("MKT-RACE");
    let id = unique("msg_race");
    let event = flag_event("BR-AURELIA", &listing, "Aurelia race copy");
    let (first, second) = tokio::join!(webhook(&id, &event), webhook(&id, &event));
    let mut outcomes = Vec::new();
    for a in [&first, &second] {
        assert_eq!(a.status, 200, "{}", a.text);
        outcomes.push(a.json()["outcome"].as_str().unwrap_or_default().to_owned());
    }
    outcomes.sort();
    assert_eq!(outcomes, ["applied", "duplicate"]);
    let list = agent
        .get(&format!("/api/v1/brands/{aurelia}/cases?q={listing}"))
        .await
        .json();
    let cases = list["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 1, "one case: {list}");
    let case = agent
        .get(&format!(
            "/api/v1/brands/{aurelia}/cases/{}",
            cases[0]["id"].as_str().unwrap()
        ))
        .await
        .json();
    let kinds: Vec<&str> = case["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["flagged"], "one flag, no second detection");
    // Marked applied in the batch that applied it (so a crash cannot leave it to be applied
    // again), and counted once: the receipt's own mark after that batch changes nothing.
    let stored = d1_rows(&format!(
        "SELECT state, attempts FROM inbound_events WHERE webhook_id = '{id}'"
    ))
    .await;
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert_eq!(stored[0]["state"], "applied");
    assert_eq!(stored[0]["attempts"], 1, "{stored:?}");
}

#[tokio::test]
async fn a_report_for_an_unseen_listing_is_looked_up_filed_and_taken_down() {
    let _w = WORLD.read().await;
    let arjun = Caller::login("arjun@aurelia.test").await;
    let aurelia = brand_id("Aurelia").await;
    let (listing, filed) = report_fresh_listing(
        &arjun,
        &aurelia,
        "Aurelia Classic Tote replica, 'AAA quality'",
    )
    .await;
    assert_eq!(filed.status, 201, "{}", filed.text);
    let case = filed.json();
    assert_eq!(case["status"], "takedown_requested");
    assert_eq!(case["lane"], "auto");
    assert_eq!(
        case["snapshot"]["title"],
        "Aurelia Classic Tote replica, 'AAA quality'"
    );
    let id = case["id"].as_str().unwrap().to_owned();
    // The action goes out at once; the simulator answers with takedown.completed.
    wait_for_status(&arjun, &aurelia, &id, "taken_down").await;
    let timeline = arjun
        .get(&format!("/api/v1/brands/{aurelia}/cases/{id}"))
        .await
        .json()["events"]
        .clone();
    let kinds: Vec<&str> = timeline
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["filed", "takedown_completed"]);
    let actions = simulator("GET", "/__actions", None).await.json();
    assert!(actions
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["data"]["case_id"] == id.as_str() && a["verified"] == true));

    // A second report for the same listing names the open case.
    let right = usable_right(&arjun, &aurelia).await;
    let again = arjun
        .send(
            "POST",
            &format!("/api/v1/brands/{aurelia}/reports"),
            Some(report_body(&listing, &right)),
        )
        .await;
    assert_eq!(again.status, 409);
    assert_eq!(again.json()["error"]["case_id"], id.as_str());
    assert!(again.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains(&id));
    // A listing the marketplace does not know: 422, nothing filed.
    let unknown = arjun
        .send(
            "POST",
            &format!("/api/v1/brands/{aurelia}/reports"),
            Some(report_body("MKT-NO-SUCH-1", &right)),
        )
        .await;
    assert_eq!(unknown.status, 422);
}

#[tokio::test]
async fn lanes_refusals_and_the_review_lane() {
    let _w = WORLD.read().await;
    let northwind = brand_id("Northwind").await;
    let dorado = brand_id("Dorado").await;
    let cobalt = brand_id("Cobalt").await;
    let nina = Caller::login("nina@northwind.test").await;
    let (_, filed) = report_fresh_listing(
        &nina,
        &northwind,
        "Northwind Summit jacket — factory seconds",
    )
    .await;
    assert_eq!(filed.status, 201, "{}", filed.text);
    assert_eq!(filed.json()["status"], "under_review");
    let id = filed.json()["id"].as_str().unwrap().to_owned();
    let stats = nina
        .get(&format!("/api/v1/brands/{northwind}/stats"))
        .await
        .json();
    assert_eq!(stats["lane"], "review");
    assert_eq!(stats["review_reason"], "no_official_shop");

    let am = Caller::login("am@marketplace.test").await;
    let queue = am.get("/api/v1/manager/review-queue").await.json();
    let queue = queue["cases"].as_array().unwrap();
    assert!(
        !queue.is_empty()
            && queue
                .iter()
                .all(|c| c["status"] == "under_review" && c["brand_name"] != "Cobalt")
    );
    let approved = am
        .send(
            "POST",
            &format!("/api/v1/brands/{northwind}/cases/{id}/approve"),
            Some(json!({})),
        )
        .await;
    assert_eq!(approved.status, 200, "{}", approved.text);
    assert_eq!(approved.json()["status"], "takedown_requested");
    let last = approved.json()["events"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(
        last["actor"],
        "Marco Bianchi (account manager) for Northwind"
    );
    // Approving twice is an illegal move.
    let twice = am
        .send(
            "POST",
            &format!("/api/v1/brands/{northwind}/cases/{id}/approve"),
            Some(json!({})),
        )
        .await;
    assert_eq!(twice.status, 409);

    let dora = Caller::login("dora@dorado.test").await;
    let stats = dora
        .get(&format!("/api/v1/brands/{dorado}/stats"))
        .await
        .json();
    assert_eq!(stats["lane"], "review");
    assert_eq!(stats["review_reason"], "out_of_good_standing");
    assert_eq!(stats["standing"]["decided"], 25);
    assert_eq!(stats["standing"]["reinstated"], 2);
    assert!(stats["standing"]["revoked_until"].as_i64().is_some());
    let d_right = usable_right(&dora, &dorado).await;
    let d_listing = new_listing("Dorado DR-900 sunglasses", "SEL-T1").await;
    let filed = dora
        .send(
            "POST",
            &format!("/api/v1/brands/{dorado}/reports"),
            Some(report_body(&d_listing, &d_right)),
        )
        .await;
    assert_eq!(filed.json()["status"], "under_review");

    let carl = Caller::login("carl@cobalt.test").await;
    let c_listing = new_listing("Cobalt studio headphones", "SEL-T1").await;
    let refused = carl
        .send(
            "POST",
            &format!("/api/v1/brands/{cobalt}/reports"),
            Some(report_body(
                &c_listing,
                "6f1c7a52-3b9e-4c1d-8a55-0e2b7d9c4f10",
            )),
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("not enrolled"));
}

#[tokio::test]
async fn evidence_files_are_checked_by_content_and_served_to_the_brand_only() {
    let _w = WORLD.read().await;
    let arjun = Caller::login("arjun@aurelia.test").await;
    let aurelia = brand_id("Aurelia").await;
    let right = usable_right(&arjun, &aurelia).await;
    let path = format!("/api/v1/brands/{aurelia}/reports");
    let form = |listing: &str, name: &str, bytes: Vec<u8>| {
        reqwest::multipart::Form::new()
            .text("listing", listing.to_owned())
            .text("ip_right_id", right.clone())
            .text("reason_code", "counterfeit")
            .text("statement", STATEMENT)
            .text("evidence_urls", "https://brand-evidence.example/a.jpg")
            .text("good_faith", "true")
            .part(
                "evidence",
                reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
            )
    };
    let listing = new_listing("Aurelia watch, evidence test", "SEL-T1").await;
    let filed_for = || async {
        arjun
            .get(&format!("/api/v1/brands/{aurelia}/cases?q={listing}"))
            .await
            .json()["cases"]
            .as_array()
            .unwrap()
            .len()
    };
    let text_as_png = read(arjun.request("POST", &path).multipart(form(
        &listing,
        "photo.png",
        b"this is just text".to_vec(),
    )))
    .await;
    assert_eq!(text_as_png.status, 415, "{}", text_as_png.text);
    let big = read(arjun.request("POST", &path).multipart(form(
        &listing,
        "big.pdf",
        vec![b'%'; 5 * 1024 * 1024 + 10],
    )))
    .await;
    assert_eq!(big.status, 413, "{}", big.text);
    assert_eq!(filed_for().await, 0, "nothing was filed");

    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR evidence".to_vec();
    let ok = read(
        arjun
            .request("POST", &path)
            .multipart(form(&listing, "photo.png", png.clone())),
    )
    .await;
    assert_eq!(ok.status, 201, "{}", ok.text);
    let url = ok.json()["evidence_files"][0]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let vera = Caller::login("vera@aurelia.test").await;
    let file = vera.get(&url).await;
    assert_eq!(file.status, 200);
    assert_eq!(file.header("content-type").as_deref(), Some("image/png"));
    assert!(file
        .header("content-security-policy")
        .unwrap()
        .contains("sandbox"));
    let nina = Caller::login("nina@northwind.test").await;
    assert_eq!(
        nina.get(&url).await.status,
        404,
        "another brand cannot reach the file"
    );
}

fn bulk_csv(rows: usize, right: &str, prefix: &str) -> String {
    let mut s = String::from("listing,ip_right,reason,statement,evidence_urls\n");
    for i in 0..rows {
        s.push_str(&format!("{prefix}-{i},{right},counterfeit,\"{STATEMENT}\",https://brand-evidence.example/{i}.jpg\n"));
    }
    s
}

#[tokio::test]
async fn bulk_reports_file_a_thousand_rows_or_nothing() {
    let _w = WORLD.read().await;
    // Northwind files in the review lane: 1,000 cases for the manager, no takedowns yet.
    let nina = Caller::login("nina@northwind.test").await;
    let northwind = brand_id("Northwind").await;
    let path = format!("/api/v1/brands/{northwind}/reports/bulk");
    let template = nina
        .get(&format!("/api/v1/brands/{northwind}/reports/template.csv"))
        .await;
    assert!(template
        .text
        .starts_with("listing,ip_right,reason,statement,evidence_urls"));
    let csv = |body: String| {
        read(
            nina.request("POST", &path)
                .header("content-type", "text/csv")
                .body(body),
        )
    };
    let prefix = unique("BULK");
    let count = || async {
        let list = nina
            .get(&format!("/api/v1/brands/{northwind}/cases?limit=1"))
            .await
            .json();
        list["counts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c[1].as_i64().unwrap())
            .sum::<i64>()
    };
    let before = count().await;

    let too_many = csv(bulk_csv(1001, "US-TM-5123456", &prefix)).await;
    assert_eq!(too_many.status, 400);
    let mut one_bad = bulk_csv(1000, "US-TM-5123456", &prefix);
    one_bad = one_bad.replacen(
        &format!("{prefix}-700,US-TM-5123456"),
        &format!("{prefix}-700,EUTM-018234567"),
        1,
    );
    let refused = csv(one_bad).await;
    assert_eq!(
        refused.status,
        422,
        "{}",
        &refused.text[..refused.text.len().min(300)]
    );
    let rows = refused.json()["error"]["rows"].clone();
    assert_eq!(rows.as_array().unwrap().len(), 1, "{}", rows[0]);
    assert_eq!(rows[0]["line"], 702);
    assert!(
        rows[0]["problem"]
            .as_str()
            .unwrap()
            .contains("not one of your brand's rights"),
        "another brand's right"
    );
    let ten_mb =
        csv("listing,ip_right,reason,statement\n".to_owned() + &"x".repeat(10 * 1024 * 1024)).await;
    assert_eq!(ten_mb.status, 413);
    let wrong_type = read(
        nina.request("POST", &path)
            .header("content-type", "application/json")
            .body("{}"),
    )
    .await;
    assert_eq!(wrong_type.status, 415);
    assert_eq!(count().await, before, "nothing was filed");

    let started = std::time::Instant::now();
    let filed = csv(bulk_csv(1000, "US-TM-5123456", &prefix)).await;
    let took = started.elapsed();
    assert_eq!(
        filed.status,
        201,
        "{}",
        &filed.text[..filed.text.len().min(300)]
    );
    assert_eq!(filed.json()["created"].as_array().unwrap().len(), 1000);
    assert!(filed.json()["created"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["status"] == "under_review"));
    println!(
        "bench: bulk filing of 1,000 rows took {} ms",
        took.as_millis()
    );
    assert_eq!(count().await, before + 1000);
}

#[tokio::test]
async fn flagged_listings_are_confirmed_and_taken_down() {
    let _w = WORLD.read().await;
    let aurelia = brand_id("Aurelia").await;
    let agent = Caller::login("agent@brandguard.test").await;
    let right = usable_right(&agent, &aurelia).await;
    let mut ids = Vec::new();
    for n in 0..2 {
        let listing = new_listing(&format!("Aurelia Mini Crossbody copy #{n}"), "SEL-T1").await;
        let flagged = simulator("POST", "/__send", Some(json!({ "type": "listing.flagged", "data": flag_event("BR-AURELIA", &listing, &format!("Aurelia Mini Crossbody copy #{n}"))["data"] }))).await;
        assert_eq!(flagged.json()["status"], 200, "{}", flagged.text);
        let list = agent
            .get(&format!(
                "/api/v1/brands/{aurelia}/cases?status=awaiting_brand&q={listing}"
            ))
            .await
            .json();
        ids.push(list["cases"][0]["id"].as_str().unwrap().to_owned());
    }
    // A second flag of the same listing joins the open case.
    for id in &ids {
        let confirmed = agent
            .send(
                "POST",
                &format!("/api/v1/brands/{aurelia}/cases/{id}/confirm"),
                Some(json!({ "ip_right_id": right, "reason_code": "counterfeit" })),
            )
            .await;
        assert_eq!(confirmed.status, 200, "{}", confirmed.text);
        assert_eq!(confirmed.json()["status"], "takedown_requested");
    }
    for id in &ids {
        wait_for_status(&agent, &aurelia, id, "taken_down").await;
    }
    // Rejecting a taken-down case is illegal: 409, nothing changes.
    let illegal = agent
        .send(
            "POST",
            &format!("/api/v1/brands/{aurelia}/cases/{}/reject", ids[0]),
            Some(json!({})),
        )
        .await;
    assert_eq!(illegal.status, 409);
    assert_eq!(case_status(&agent, &aurelia, &ids[0]).await, "taken_down");
}

#[tokio::test]
async fn nothing_is_lost_while_the_marketplace_is_down() {
    let _w = WORLD.write().await;
    let arjun = Caller::login("arjun@aurelia.test").await;
    let aurelia = brand_id("Aurelia").await;
    simulator("POST", "/__mode", Some(json!({ "mode": "down" }))).await;
    let (_, filed) =
        report_fresh_listing(&arjun, &aurelia, "Aurelia Chrono replica, down test").await;
    assert_eq!(filed.status, 201, "{}", filed.text);
    let case = filed.json();
    assert_eq!(
        case["snapshot"],
        Value::Null,
        "filed with the snapshot pending"
    );
    assert!(case["events"][0]["note"]
        .as_str()
        .unwrap()
        .contains("unreachable"));
    let id = case["id"].as_str().unwrap().to_owned();
    run_cron().await;
    assert_eq!(
        case_status(&arjun, &aurelia, &id).await,
        "takedown_requested"
    );
    simulator("POST", "/__mode", Some(json!({ "mode": "normal" }))).await;
    // The retry waits for its backoff: move the clock past it, then run the cron.
    set_clock_offset(3 * 60_000).await;
    run_cron().await;
    set_clock_offset(0).await;
    wait_for_status(&arjun, &aurelia, &id, "taken_down").await;
    let view = arjun
        .get(&format!("/api/v1/brands/{aurelia}/cases/{id}"))
        .await
        .json();
    assert_eq!(
        view["snapshot"]["title"], "Aurelia Chrono replica, down test",
        "snapshot filled later"
    );
}

#[tokio::test]
async fn failed_takedowns_are_retried_by_the_manager() {
    let _w = WORLD.write().await;
    let arjun = Caller::login("arjun@aurelia.test").await;
    let aurelia = brand_id("Aurelia").await;
    simulator("POST", "/__mode", Some(json!({ "mode": "fail_takedowns" }))).await;
    let (_, filed) = report_fresh_listing(&arjun, &aurelia, "Aurelia belt, failing takedown").await;
    let id = filed.json()["id"].as_str().unwrap().to_owned();
    wait_for_status(&arjun, &aurelia, &id, "takedown_failed").await;
    simulator("POST", "/__mode", Some(json!({ "mode": "normal" }))).await;
    let am = Caller::login("am@marketplace.test").await;
    let failed = am.get("/api/v1/manager/failed-takedowns").await.json();
    assert!(failed["cases"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["id"] == id.as_str()));
    assert_eq!(
        arjun
            .send(
                "POST",
                &format!("/api/v1/brands/{aurelia}/cases/{id}/retry"),
                Some(json!({}))
            )
            .await
            .status,
        403
    );
    let retried = am
        .send(
            "POST",
            &format!("/api/v1/brands/{aurelia}/cases/{id}/retry"),
            Some(json!({})),
        )
        .await;
    assert_eq!(retried.status, 200, "{}", retried.text);
    wait_for_status(&arjun, &aurelia, &id, "taken_down").await;
}

#[tokio::test]
async fn unanswered_flags_expire_after_seven_days() {
    let _w = WORLD.write().await;
    let aurelia = brand_id("Aurelia").await;
    let listing = new_listing("Aurelia scarf, expiry test", "SEL-T1").await;
    let a = webhook(
        &unique("msg_exp"),
        &flag_event("BR-AURELIA", &listing, "Aurelia scarf, expiry test"),
    )
    .await;
    assert_eq!(a.status, 200);
    let vera = Caller::login("vera@aurelia.test").await;
    let list = vera
        .get(&format!("/api/v1/brands/{aurelia}/cases?q={listing}"))
        .await
        .json();
    let id = list["cases"][0]["id"].as_str().unwrap().to_owned();
    // Sessions idle for a week have ended too: sign in again at each moment.
    set_clock_offset(7 * 24 * 3_600_000 - 60_000).await;
    run_cron().await;
    let before_deadline =
        case_status(&Caller::login("vera@aurelia.test").await, &aurelia, &id).await;
    set_clock_offset(7 * 24 * 3_600_000 + 60_000).await;
    run_cron().await;
    let after_deadline =
        case_status(&Caller::login("vera@aurelia.test").await, &aurelia, &id).await;
    let am = Caller::login("am@marketplace.test").await;
    let expired = am.get("/api/v1/manager/expired").await.json();
    set_clock_offset(0).await;
    assert_eq!(before_deadline, "awaiting_brand");
    assert_eq!(after_deadline, "expired");
    assert!(expired["cases"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["id"] == id.as_str()));
}

#[tokio::test]
async fn exports_neutralise_formulas() {
    let _w = WORLD.read().await;
    let aurelia = brand_id("Aurelia").await;
    let listing = unique("MKT-EQ");
    webhook(
        &unique("msg_eq"),
        &flag_event(
            "BR-AURELIA",
            &listing,
            "=HYPERLINK(\"http://evil.example\",\"click\")",
        ),
    )
    .await;
    let vera = Caller::login("vera@aurelia.test").await;
    let csv = vera
        .get(&format!(
            "/api/v1/brands/{aurelia}/export/cases.csv?q={listing}"
        ))
        .await;
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert!(csv.text.contains("'=HYPERLINK"), "{}", csv.text);
    assert!(!csv.text.contains(",=HYPERLINK") && !csv.text.contains("\"=HYPERLINK"));
}
