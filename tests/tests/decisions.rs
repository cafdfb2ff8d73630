//! Many decisions in one request (`POST /api/v1/brands/{brand_id}/cases/decisions`), end to end
//! on wrangler dev: flagged listings arrive by signed webhooks, a brand member decides them all at
//! once, and a case someone else changed meanwhile is a conflict that fails nothing else.

use jf_tests::*;
use serde_json::{json, Value};

fn flag_event(listing: &str, title: &str) -> Value {
    json!({ "type": "listing.flagged", "timestamp": "2026-11-28T10:00:00Z", "data": {
        "brand_ref": "BR-AURELIA",
        "listing": { "listing_id": listing, "url": format!("https://market.example/item/{listing}"), "title": title,
                     "price": { "amount": "19.99", "currency": "EUR" }, "image_url": null,
                     "seller": { "seller_id": "SEL-DEC", "name": "Seller SEL-DEC" } },
        "detection": { "score": 0.91, "signals": ["logo_mismatch"] } } })
}

/// Flags `n` new listings of Aurelia whose titles carry `token`; the cases awaiting Aurelia, in
/// title order.
async fn flagged(caller: &Caller, aurelia: &str, token: &str, n: usize) -> Vec<Value> {
    for i in 0..n {
        let title = format!("Decisions batch {token} #{i:02}");
        let listing = new_listing(&title, "SEL-DEC").await;
        let sent = webhook(&unique("msg_dec"), &flag_event(&listing, &title)).await;
        assert_eq!(sent.status, 200, "{}", sent.text);
    }
    let mut cases = awaiting(caller, aurelia, token).await;
    cases.sort_by(|a, b| a["title"].as_str().cmp(&b["title"].as_str()));
    assert_eq!(
        cases.len(),
        n,
        "every flag opened a case awaiting the brand"
    );
    cases
}

/// Aurelia's cases awaiting it whose titles carry `token`.
async fn awaiting(caller: &Caller, aurelia: &str, token: &str) -> Vec<Value> {
    let list = caller
        .get(&format!(
            "/api/v1/brands/{aurelia}/cases?status=awaiting_brand&q={token}&limit=100"
        ))
        .await;
    assert_eq!(list.status, 200, "{}", list.text);
    list.json()["cases"].as_array().cloned().unwrap_or_default()
}

fn confirm(case: &Value, right: &str) -> Value {
    json!({ "case_id": case["id"], "version": case["version"], "decision": "confirm",
            "ip_right_id": right, "reason_code": "counterfeit" })
}

fn reject(case: &Value, note: &str) -> Value {
    json!({ "case_id": case["id"], "version": case["version"], "decision": "reject", "note": note })
}

async fn decide(caller: &Caller, aurelia: &str, decisions: Vec<Value>) -> Answer {
    caller
        .send(
            "POST",
            &format!("/api/v1/brands/{aurelia}/cases/decisions"),
            Some(json!({ "decisions": decisions })),
        )
        .await
}

#[tokio::test]
async fn fifty_flags_are_decided_in_one_request_and_one_changed_meanwhile_is_a_conflict() {
    let aurelia = brand_id("Aurelia").await;
    let agent = Caller::login("agent@brandguard.test").await;
    let right = usable_right(&agent, &aurelia).await;
    let token = unique("DECB");
    let cases = flagged(&agent, &aurelia, &token, 50).await;
    assert!(
        cases.iter().all(|c| c["version"].is_i64()),
        "{:?}",
        cases[0]
    );

    // Between reading the queue and deciding, someone else rejects one of the cases.
    let alice = Caller::login("alice@aurelia.test").await;
    let moved = cases[7]["id"].as_str().unwrap().to_owned();
    let alone = alice
        .send(
            "POST",
            &format!("/api/v1/brands/{aurelia}/cases/{moved}/reject"),
            Some(json!({ "note": "Ours, sold through a partner" })),
        )
        .await;
    assert_eq!(alone.status, 200, "{}", alone.text);

    let decisions: Vec<Value> = cases
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i % 2 == 0 {
                confirm(c, &right)
            } else {
                reject(c, &format!("Genuine stock {i}"))
            }
        })
        .collect();
    let answer = decide(&agent, &aurelia, decisions).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let results = answer.json()["results"].as_array().cloned().unwrap();
    assert_eq!(results.len(), 50);
    let decided = results.iter().filter(|r| r["outcome"] == "decided").count();
    assert_eq!(decided, 49, "{}", answer.text);
    for (i, (c, r)) in cases.iter().zip(&results).enumerate() {
        assert_eq!(r["case_id"], c["id"], "results in the order asked");
        if i == 7 {
            assert_eq!(r["outcome"], "conflict");
            assert_eq!(r["status"], "cleared", "as the other decision left it");
        } else if i % 2 == 0 {
            assert_eq!(
                (&r["outcome"], &r["status"]),
                (&json!("decided"), &json!("takedown_requested"))
            );
        } else {
            assert_eq!(
                (&r["outcome"], &r["status"]),
                (&json!("decided"), &json!("cleared"))
            );
        }
    }
    assert!(
        awaiting(&agent, &aurelia, &token).await.is_empty(),
        "nothing left awaiting"
    );

    // Each case's history has its decision, by whom; the conflicting one only the other one.
    let file = |id: String| {
        let agent = agent.clone();
        let aurelia = aurelia.clone();
        async move {
            let a = agent
                .get(&format!("/api/v1/brands/{aurelia}/cases/{id}"))
                .await;
            assert_eq!(a.status, 200, "{}", a.text);
            a.json()
        }
    };
    let confirmed = file(cases[0]["id"].as_str().unwrap().to_owned()).await;
    let status = confirmed["status"].as_str().unwrap();
    assert!(
        status == "takedown_requested" || status == "taken_down",
        "{status}"
    );
    assert_eq!(confirmed["reason_code"], "counterfeit");
    assert_eq!(confirmed["ip_right"]["id"], right.as_str());
    let event = confirmed["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "confirm")
        .cloned()
        .expect("the confirmation is in the history");
    assert_eq!(event["from_status"], "awaiting_brand");
    // The agency's agent decided as a member of Aurelia, as the single decision records it.
    assert_eq!(event["actor_kind"], "brand_agent", "{event}");
    assert_eq!(event["actor_name"], "Sam Okafor (BrandGuard)", "{event}");
    let rejected = file(cases[1]["id"].as_str().unwrap().to_owned()).await;
    assert_eq!(rejected["status"], "cleared");
    assert!(rejected["events"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["kind"] == "reject" && e["note"] == "Genuine stock 1"));
    let conflict = file(moved).await;
    let rejections: Vec<&Value> = conflict["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "reject" || e["kind"] == "confirm")
        .collect();
    assert_eq!(rejections.len(), 1, "only the other decision: {conflict}");
    assert_eq!(rejections[0]["note"], "Ours, sold through a partner");
}

#[tokio::test]
async fn a_refused_request_of_decisions_stores_nothing() {
    let aurelia = brand_id("Aurelia").await;
    let agent = Caller::login("agent@brandguard.test").await;
    let right = usable_right(&agent, &aurelia).await;
    let token = unique("DECR");
    let cases = flagged(&agent, &aurelia, &token, 2).await;
    let field = |a: &Answer| {
        a.json()["error"]["field"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };

    // A right that is no id at all in the second entry (a right that may not be invoked is
    // refused alone: `a_confirmation_whose_right_may_not_be_invoked_is_refused_and_the_other_decided`).
    let mut bad_right = confirm(&cases[1], &right);
    bad_right["ip_right_id"] = json!("TM-123");
    let a = decide(
        &agent,
        &aurelia,
        vec![confirm(&cases[0], &right), bad_right],
    )
    .await;
    assert_eq!(
        (a.status, field(&a)),
        (400, "decisions[1].ip_right_id".into()),
        "{}",
        a.text
    );
    // A confirmation without a reason.
    let mut no_reason = confirm(&cases[0], &right);
    no_reason["reason_code"] = Value::Null;
    let a = decide(&agent, &aurelia, vec![no_reason]).await;
    assert_eq!(
        (a.status, field(&a)),
        (400, "decisions[0].reason_code".into())
    );
    // An unknown decision.
    let mut unknown = reject(&cases[1], "x");
    unknown["decision"] = json!("approve");
    let a = decide(&agent, &aurelia, vec![reject(&cases[0], "x"), unknown]).await;
    assert_eq!(
        (a.status, field(&a)),
        (400, "decisions[1].decision".into()),
        "{}",
        a.text
    );
    // The same case twice.
    let a = decide(
        &agent,
        &aurelia,
        vec![reject(&cases[0], "x"), confirm(&cases[0], &right)],
    )
    .await;
    assert_eq!((a.status, field(&a)), (400, "decisions[1].case_id".into()));
    // Over a hundred.
    let many: Vec<Value> = (0..101).map(|_| reject(&cases[0], "x")).collect();
    let a = decide(&agent, &aurelia, many).await;
    assert_eq!((a.status, field(&a)), (400, "decisions".into()));
    // A viewer may not decide at all.
    let vera = Caller::login("vera@aurelia.test").await;
    let a = decide(&vera, &aurelia, vec![reject(&cases[0], "x")]).await;
    assert_eq!(a.status, 403, "{}", a.text);

    let still = awaiting(&agent, &aurelia, &token).await;
    assert_eq!(still.len(), 2, "nothing decided");
    for (before, now) in cases.iter().zip(&still) {
        assert_eq!(before["version"], now["version"], "nothing changed");
    }
}

/// A right of Aurelia's, registered by Alice and verified by its account manager, expiring at
/// `expires_at` (ms; in the past for an expired one); its id.
async fn verified_right(alice: &Caller, aurelia: &str, number: &str, expires_at: i64) -> String {
    let created = alice
        .send(
            "POST",
            &format!("/api/v1/brands/{aurelia}/ip-rights"),
            Some(json!({ "kind": "trademark", "registration_number": number,
                         "jurisdiction": "JP", "owner": "Aurelia SA", "expires_at": expires_at })),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    let am = Caller::login("am@marketplace.test").await;
    let verified = am
        .send(
            "POST",
            &format!("/api/v1/brands/{aurelia}/ip-rights/{id}/review"),
            Some(json!({ "decision": "verify" })),
        )
        .await;
    assert_eq!(verified.status, 200, "{}", verified.text);
    id
}

#[tokio::test]
async fn a_confirmation_whose_right_may_not_be_invoked_is_refused_and_the_other_decided() {
    let aurelia = brand_id("Aurelia").await;
    let agent = Caller::login("agent@brandguard.test").await;
    let alice = Caller::login("alice@aurelia.test").await;
    let right = usable_right(&agent, &aurelia).await;
    let number = unique("TM-EXP-");
    let expired = verified_right(&alice, &aurelia, &number, (now_secs() - 86_400) * 1000).await;
    // Another brand's right, valid for Northwind.
    let northwind = brand_id("Northwind").await;
    let nina = Caller::login("nina@northwind.test").await;
    let foreign = usable_right(&nina, &northwind).await;
    let token = unique("DECX");
    let cases = flagged(&agent, &aurelia, &token, 3).await;
    let events_of = |id: &Value| {
        let agent = agent.clone();
        let path = format!("/api/v1/brands/{aurelia}/cases/{}", id.as_str().unwrap());
        async move {
            let a = agent.get(&path).await;
            assert_eq!(a.status, 200, "{}", a.text);
            a.json()
        }
    };

    let answer = decide(
        &agent,
        &aurelia,
        vec![
            confirm(&cases[0], &expired),
            confirm(&cases[1], &right),
            confirm(&cases[2], &foreign),
        ],
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let results = answer.json()["results"].as_array().cloned().unwrap();
    let outcomes: Vec<(&Value, &Value)> = results
        .iter()
        .map(|r| (&r["outcome"], &r["status"]))
        .collect();
    assert_eq!(
        outcomes,
        [
            (&json!("refused"), &json!("awaiting_brand")),
            (&json!("decided"), &json!("takedown_requested")),
            (&json!("refused"), &json!("awaiting_brand")),
        ],
        "{}",
        answer.text
    );
    assert_eq!(
        results[0]["refusal"],
        json!({ "code": "right_expired", "args": [number],
                "message": format!("The IP right {number} has expired.") })
    );
    assert_eq!(results[2]["refusal"]["code"], "right_not_yours");
    assert_eq!(results[0]["version"], cases[0]["version"], "unchanged");
    assert!(results[1].get("refusal").is_none(), "{}", answer.text);

    // The refused cases still await Aurelia, nothing written: the flag is all their history.
    let still = awaiting(&agent, &aurelia, &token).await;
    let still_ids: Vec<&Value> = still.iter().map(|c| &c["id"]).collect();
    assert_eq!(still.len(), 2, "{still:?}");
    assert!(still_ids.contains(&&cases[0]["id"]) && still_ids.contains(&&cases[2]["id"]));
    for refused in [&cases[0], &cases[2]] {
        let file = events_of(&refused["id"]).await;
        assert_eq!(file["status"], "awaiting_brand");
        assert_eq!(file["ip_right"], Value::Null, "{file}");
        let kinds: Vec<&Value> = file["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| &e["kind"])
            .collect();
        assert!(!kinds.contains(&&json!("confirm")), "{kinds:?}");
        let id = refused["id"].as_str().unwrap();
        assert_eq!(
            d1_count(&format!(
                "SELECT count(*) AS n FROM outbox WHERE case_id = '{id}'"
            ))
            .await,
            0,
            "no takedown asked for {id}"
        );
    }
    let decided = events_of(&cases[1]["id"]).await;
    assert_eq!(decided["ip_right"]["id"], right.as_str());

    // The expired right is refused on the single route too, with the same reason.
    let alone = agent
        .send(
            "POST",
            &format!(
                "/api/v1/brands/{aurelia}/cases/{}/confirm",
                cases[0]["id"].as_str().unwrap()
            ),
            Some(json!({ "ip_right_id": expired, "reason_code": "counterfeit" })),
        )
        .await;
    assert_eq!(alone.status, 422, "{}", alone.text);
    assert_eq!(alone.json()["error"]["reason"], "right_expired");
}
