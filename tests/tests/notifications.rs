//! Notifications end to end on wrangler dev: a brand admin reads the review of the brand's report,
//! an appeal is emailed to agents and admins (not viewers, not those who chose otherwise) by the
//! cron in each person's language, read marks, and routes for people only.

use jf_core::routes::{Access, ROUTES};
use jf_tests::*;
use serde_json::{json, Value};

const PASSWORD: &str = "a long and private password";

/// A new member of `brand` invited by its admin `admin_email` (accepted), with their session.
async fn new_member(admin_email: &str, brand: &str, domain: &str, role: &str) -> (String, Caller) {
    let admin = Caller::login(admin_email).await;
    let email = format!("{}@{domain}", unique(role));
    let invited = invite(&admin, brand, &email, role).await;
    assert_eq!(invited.status, 201, "{}", invited.text);
    let token = first_mail(&email).await.token();
    let accepted = Caller::anonymous()
        .send(
            "POST",
            &format!("/api/v1/invitations/{token}/accept"),
            Some(json!({ "display_name": "Notified Member", "password": PASSWORD })),
        )
        .await;
    assert_eq!(accepted.status, 200, "{}", accepted.text);
    (email, Caller::anonymous().with_session_of(&accepted))
}

async fn notifications(caller: &Caller) -> Value {
    let a = caller.get("/api/v1/me/notifications").await;
    assert_eq!(a.status, 200, "{}", a.text);
    a.json()
}

fn about<'a>(list: &'a Value, case: &str, kind: &str) -> Option<&'a Value> {
    list["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["subject_id"] == case && n["kind"] == kind)
}

/// A listing taken down for Aurelia (filed by arjun, completed by the simulator): the case id
/// and the listing id.
async fn taken_down_case(title: &str) -> (String, String) {
    let arjun = Caller::login("arjun@aurelia.test").await;
    let aurelia = brand_id("Aurelia").await;
    let right = usable_right(&arjun, &aurelia).await;
    let listing = new_listing(title, "SEL-NOTICE").await;
    let filed = arjun
        .send(
            "POST",
            &format!("/api/v1/brands/{aurelia}/reports"),
            Some(report_body(&listing, &right)),
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
    (id, listing)
}

async fn appeal(listing: &str) {
    let a = webhook(
        &unique("msg_notice"),
        &json!({ "type": "appeal.filed", "timestamp": "2026-11-28T10:00:00Z", "data": {
        "appeal_id": unique("AP-"), "brand_ref": "BR-AURELIA", "listing_id": listing,
        "seller": { "seller_id": "SEL-NOTICE", "name": "Appealing Seller" },
        "statement": "These are genuine goods.", "evidence_urls": [] } }),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.json()["outcome"], "applied", "{}", a.text);
}

/// Emails to `to` after the first `seen`, that mention `needle`.
fn mails_about(to: &str, seen: usize, needle: &str) -> Vec<Mail> {
    mailbox()
        .into_iter()
        .filter(|m| m.to == to)
        .skip(seen)
        .filter(|m| m.text.contains(needle))
        .collect()
}

#[tokio::test]
async fn a_brand_admin_reads_the_approval_of_the_brands_report() {
    let northwind = brand_id("Northwind").await;
    let (_, admin) = new_member(
        "nina@northwind.test",
        &northwind,
        "northwind.test",
        "brand_admin",
    )
    .await;
    let (_, viewer) = new_member(
        "nina@northwind.test",
        &northwind,
        "northwind.test",
        "brand_viewer",
    )
    .await;
    let nina = Caller::login("nina@northwind.test").await;
    let (_, filed) = report_fresh_listing(&nina, &northwind, "Northwind parka to review").await;
    assert_eq!(filed.json()["status"], "under_review");
    let case = filed.json()["id"].as_str().unwrap().to_owned();
    assert!(about(&notifications(&admin).await, &case, "report_decided").is_none());

    let am = Caller::login("am@marketplace.test").await;
    let approved = am
        .send(
            "POST",
            &format!("/api/v1/brands/{northwind}/cases/{case}/approve"),
            Some(json!({})),
        )
        .await;
    assert_eq!(approved.status, 200, "{}", approved.text);

    let list = notifications(&admin).await;
    let n = about(&list, &case, "report_decided").expect("the admin is told of the approval");
    assert_eq!(n["brand_id"], northwind);
    assert_eq!(n["brand_name"], "Northwind");
    assert_eq!(n["outcome"], "takedown_requested");
    assert_eq!(n["subject_kind"], "case");
    assert_eq!(n["read"], false);
    assert!(list["unread"].as_i64().unwrap() >= 1);
    assert_documented(&list, "GET", "/api/v1/me/notifications").await;
    // Nina filed it (and is an admin): told too. The viewer is not.
    assert!(about(&notifications(&nina).await, &case, "report_decided").is_some());
    assert!(about(&notifications(&viewer).await, &case, "report_decided").is_none());
}

async fn assert_documented(answer: &Value, method: &str, path: &str) {
    assert_matches_schema(method, path, 200, answer).await;
}

#[tokio::test]
async fn an_appeal_is_emailed_to_agents_and_admins_in_their_language_and_not_to_viewers() {
    let aurelia = brand_id("Aurelia").await;
    let (agent_email, agent) = new_member(
        "alice@aurelia.test",
        &aurelia,
        "aurelia.test",
        "brand_agent",
    )
    .await;
    let (admin_email, admin) = new_member(
        "alice@aurelia.test",
        &aurelia,
        "aurelia.test",
        "brand_admin",
    )
    .await;
    let (viewer_email, viewer) = new_member(
        "alice@aurelia.test",
        &aurelia,
        "aurelia.test",
        "brand_viewer",
    )
    .await;
    let (quiet_email, quiet) = new_member(
        "alice@aurelia.test",
        &aurelia,
        "aurelia.test",
        "brand_agent",
    )
    .await;
    // The admin reads in Chinese; the quiet agent wants no appeal emails.
    let lang = admin
        .send(
            "PUT",
            "/api/v1/me/language",
            Some(json!({ "language": "zh" })),
        )
        .await;
    assert_eq!(lang.status, 204, "{}", lang.text);
    let settings = quiet
        .send(
            "PUT",
            "/api/v1/me/notification-settings",
            Some(json!({ "settings": [{ "kind": "appeal_filed", "email": false }] })),
        )
        .await;
    assert_eq!(settings.status, 200, "{}", settings.text);
    assert!(settings.json()["settings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["kind"] == "appeal_filed" && s["email"] == false));
    let defaults = agent.get("/api/v1/me/notification-settings").await.json();
    let on: Vec<&str> = defaults["settings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["email"] == true)
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(on, ["appeal_filed"], "only appeals are emailed by default");

    let seen = |email: &str| mails_to(email);
    let (agent_seen, admin_seen, viewer_seen, quiet_seen) = (
        seen(&agent_email),
        seen(&admin_email),
        seen(&viewer_email),
        seen(&quiet_email),
    );
    let (case, listing) = taken_down_case("Aurelia scarf appealed").await;
    appeal(&listing).await;
    for who in [&agent, &admin, &quiet] {
        assert!(about(&notifications(who).await, &case, "appeal_filed").is_some());
    }
    assert!(about(&notifications(&viewer).await, &case, "appeal_filed").is_none());

    run_cron().await;
    let link = format!("/brands/{aurelia}/cases/{case}");
    let to_agent = eventually("the agent's email", || async {
        mails_about(&agent_email, agent_seen, &link)
            .into_iter()
            .next()
    })
    .await;
    assert!(to_agent.subject.contains("Aurelia"), "{}", to_agent.subject);
    assert!(to_agent.text.contains("3 days"), "{}", to_agent.text);
    let to_admin = eventually("the admin's email", || async {
        mails_about(&admin_email, admin_seen, &link)
            .into_iter()
            .next()
    })
    .await;
    assert!(
        to_admin.text.contains("3 天"),
        "in Chinese: {}",
        to_admin.text
    );
    run_cron().await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(
        mails_about(&viewer_email, viewer_seen, &link).is_empty(),
        "viewers get none"
    );
    assert!(
        mails_about(&quiet_email, quiet_seen, &link).is_empty(),
        "settings off: no email"
    );
    assert_eq!(
        mails_about(&agent_email, agent_seen, &link).len(),
        1,
        "sent once"
    );
}

#[tokio::test]
async fn marking_read_one_by_one_and_all_at_once() {
    let aurelia = brand_id("Aurelia").await;
    let (_, admin) = new_member(
        "alice@aurelia.test",
        &aurelia,
        "aurelia.test",
        "brand_admin",
    )
    .await;
    let (_, other) = new_member(
        "alice@aurelia.test",
        &aurelia,
        "aurelia.test",
        "brand_admin",
    )
    .await;
    let (case, listing) = taken_down_case("Aurelia belt appealed").await;
    appeal(&listing).await;
    let list = notifications(&admin).await;
    let n = about(&list, &case, "appeal_filed").unwrap().clone();
    assert_eq!(n["read"], false);
    let unread = list["unread"].as_i64().unwrap();
    let seen: Vec<Value> = list["notifications"].as_array().unwrap().clone();

    let marked = admin
        .send(
            "POST",
            "/api/v1/me/notifications/read",
            Some(json!({ "ids": [n["id"]] })),
        )
        .await;
    assert_eq!(marked.status, 204, "{}", marked.text);
    let list = notifications(&admin).await;
    assert_eq!(about(&list, &case, "appeal_filed").unwrap()["read"], true);
    // One fewer unread, beside whatever the other tests' appeals brought meanwhile.
    let arrived = list["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["read"] == false && !seen.iter().any(|s| s["id"] == n["id"]))
        .count() as i64;
    assert_eq!(list["unread"].as_i64().unwrap(), unread - 1 + arrived);
    // Another person's marks are theirs: marking someone else's id changes nothing for them.
    assert_eq!(
        about(&notifications(&other).await, &case, "appeal_filed").unwrap()["read"],
        false
    );

    let newest = list["notifications"][0]["at"].as_i64().unwrap();
    let all = other
        .send(
            "POST",
            "/api/v1/me/notifications/read",
            Some(json!({ "up_to": newest })),
        )
        .await;
    assert_eq!(all.status, 204, "{}", all.text);
    let list = notifications(&other).await;
    assert_eq!(about(&list, &case, "appeal_filed").unwrap()["read"], true);
    assert!(list["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .all(|n| n["at"].as_i64().unwrap() > newest || n["read"] == true));

    let neither = admin
        .send("POST", "/api/v1/me/notifications/read", Some(json!({})))
        .await;
    assert_eq!(neither.status, 400, "{}", neither.text);
}

#[tokio::test]
async fn notification_routes_are_for_people_not_api_keys() {
    let alice = Caller::login("alice@aurelia.test").await;
    let aurelia = brand_id("Aurelia").await;
    let key = alice
        .send(
            "POST",
            &format!("/api/v1/brands/{aurelia}/api-keys"),
            Some(json!({ "name": unique("notices key"), "scope": "read_write" })),
        )
        .await;
    assert_eq!(key.status, 201, "{}", key.text);
    let secret = key.json()["secret"].as_str().unwrap().to_owned();
    let mut checked = 0;
    // Every route for people, from the route table: a key is answered as if it did not exist.
    for route in ROUTES.iter().filter(|r| r.access == Access::Person) {
        let path = route
            .path
            .replace("{session_id}", "6f1c7a52-3b9e-4c1d-8a55-0e2b7d9c4f10");
        let mut rb = reqwest::Client::new()
            .request(
                reqwest::Method::from_bytes(route.method.as_str().as_bytes()).unwrap(),
                format!("{}{path}", base_url()),
            )
            .header("authorization", format!("Bearer {secret}"));
        if route.method.changes_state() {
            rb = rb.header("content-type", "application/json").body("{}");
        }
        let a = read(rb).await;
        assert_eq!(
            a.status,
            404,
            "API key on {} {}: {}",
            route.method.as_str(),
            route.path,
            a.text
        );
        checked += 1;
    }
    assert!(checked >= 5);
    for (method, path) in [
        ("GET", "/api/v1/me/notifications"),
        ("POST", "/api/v1/me/notifications/read"),
        ("GET", "/api/v1/me/notification-settings"),
        ("PUT", "/api/v1/me/notification-settings"),
        ("PUT", "/api/v1/me/language"),
    ] {
        let body = (method != "GET").then(|| json!({}));
        let a = Caller::anonymous().send(method, path, body).await;
        assert_eq!(a.status, 401, "anonymous {method} {path}: {}", a.text);
    }
    // A bad language or kind is refused.
    assert_eq!(
        alice
            .send(
                "PUT",
                "/api/v1/me/language",
                Some(json!({ "language": "fr" }))
            )
            .await
            .status,
        400
    );
    assert_eq!(
        alice
            .send(
                "PUT",
                "/api/v1/me/notification-settings",
                Some(json!({ "settings": [{ "kind": "nope", "email": true }] }))
            )
            .await
            .status,
        400
    );
}
