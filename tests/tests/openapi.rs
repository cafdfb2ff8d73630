//! The OpenAPI document against the Worker's real answers: every route documents its success and
//! its JSON body, and real answers (with their nulls, their other lanes and their errors) match the
//! schema the document gives for their route and status.

use jf_core::routes::{resolve, Resolution, ROUTES};
use jf_tests::*;
use serde_json::{json, Value};

/// Checks an answer against what the document says its route answers with this status: the JSON
/// schema, no content for 204, a CSV, or a file in one of the documented content types.
async fn check(method: &str, path: &str, answer: &Answer) {
    let bare = path.split('?').next().unwrap_or(path);
    let route = match resolve(method, bare) {
        Resolution::Found(route, _) => route,
        other => panic!("{method} {path} is no route: {other:?}"),
    };
    let documented = documented_response(method, route.path, answer.status).await;
    let content_type = answer.header("content-type").unwrap_or_default();
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    if answer.status == 204 {
        assert!(
            documented.get("content").is_none(),
            "{method} {}: 204 documented with content",
            route.path
        );
        assert!(answer.text.is_empty(), "{method} {path}: {}", answer.text);
    } else if essence == "application/json" {
        assert_matches_schema(method, route.path, answer.status, &answer.json()).await;
    } else {
        assert!(
            documented["content"].get(essence).is_some(),
            "{method} {} answered {essence}, documented {}",
            route.path,
            documented["content"]
        );
    }
}

/// Sends a request, insists on the status, and checks the answer against the document.
async fn call(
    caller: &Caller,
    method: &str,
    path: &str,
    body: Option<Value>,
    status: u16,
) -> Answer {
    let answer = caller.send(method, path, body).await;
    assert_eq!(
        answer.status,
        status,
        "{method} {path}: {}",
        &answer.text[..answer.text.len().min(500)]
    );
    check(method, path, &answer).await;
    answer
}

async fn get(caller: &Caller, path: &str) -> Value {
    call(caller, "GET", path, None, 200).await.json()
}

fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                out.push(r);
            }
            map.values().for_each(|v| refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn every_route_documents_its_success_answer_and_its_json_body() {
    let doc = openapi().await;
    assert_eq!(doc["openapi"], "3.1.0");
    for route in ROUTES {
        let method = route.method.as_str().to_lowercase();
        let op = &doc["paths"][route.path][&method];
        assert!(op.is_object(), "{method} {} undocumented", route.path);
        let successes: Vec<&String> = op["responses"]
            .as_object()
            .unwrap()
            .keys()
            .filter(|k| k.starts_with('2'))
            .collect();
        assert_eq!(successes.len(), 1, "{:?}: {successes:?}", route.id);
        // The Worker under test serves the document this build of jf-core makes.
        let (_, success) = jf_core::openapi::route_exchange(route.id);
        assert_eq!(
            *successes[0],
            success.status().to_string(),
            "{:?}",
            route.id
        );
        let response = &op["responses"][successes[0]];
        if success.status() != 204 {
            assert!(response["content"].is_object(), "{:?}", route.id);
        }
        assert!(op["responses"]["default"].is_object(), "{:?}", route.id);
        if route.body.accepts().contains(&"application/json") {
            let schema = &op["requestBody"]["content"]["application/json"]["schema"];
            assert!(
                schema.get("$ref").is_some() || schema.get("type").is_some(),
                "{:?} takes JSON but documents no schema for it: {schema}",
                route.id
            );
        }
        for ct in route.body.accepts() {
            assert!(
                op["requestBody"]["content"][*ct].is_object(),
                "{:?} {ct}",
                route.id
            );
        }
    }
    let mut found = Vec::new();
    refs(doc, &mut found);
    for r in found {
        assert!(
            doc.pointer(r.trim_start_matches('#')).is_some(),
            "{r} does not resolve"
        );
    }
    // Each component is a schema a 2020-12 validator accepts.
    for (name, schema) in doc["components"]["schemas"].as_object().unwrap() {
        let mut root = schema.clone();
        root["components"] = doc["components"].clone();
        jsonschema::draft202012::new(&root).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[tokio::test]
async fn a_brand_admins_reads_match_their_schemas() {
    let alice = Caller::login("alice@aurelia.test").await;
    let aurelia = brand_id("Aurelia").await;
    let b = format!("/api/v1/brands/{aurelia}");
    get(&Caller::anonymous(), "/api/v1/openapi.json").await;
    get(&alice, "/api/v1/auth/session").await;
    get(&alice, "/api/v1/me").await;
    get(&alice, "/api/v1/me/sessions").await;
    get(&alice, &b).await;
    get(&alice, &format!("{b}/members")).await;
    get(&alice, &format!("{b}/stats")).await;
    get(&alice, &format!("{b}/dashboard")).await;
    get(&alice, &format!("{b}/reminders")).await;
    get(&alice, &format!("{b}/api-keys")).await;
    get(&alice, &format!("{b}/webhook-endpoints")).await;
    call(
        &alice,
        "GET",
        &format!("{b}/reports/template.csv"),
        None,
        200,
    )
    .await;
    // Another brand's export: Aurelia's 5 exports a minute belong to the tests that need them.
    let nina = Caller::login("nina@northwind.test").await;
    let northwind = brand_id("Northwind").await;
    call(
        &nina,
        "GET",
        &format!("/api/v1/brands/{northwind}/export/cases.csv?status=taken_down"),
        None,
        200,
    )
    .await;

    let rights = get(&alice, &format!("{b}/ip-rights")).await;
    for right in rights["rights"].as_array().unwrap() {
        if let Some(url) = right["certificate"]["url"].as_str() {
            call(&alice, "GET", url, None, 200).await;
        }
    }

    // The seeded cases are in every state: each case file, with its appeal, detection and
    // snapshots present or null.
    let mut cursor: Option<String> = None;
    let mut seen = 0;
    loop {
        let page = get(
            &alice,
            &format!(
                "{b}/cases?limit=50{}",
                cursor
                    .as_deref()
                    .map(|c| format!("&cursor={c}"))
                    .unwrap_or_default()
            ),
        )
        .await;
        for case in page["cases"].as_array().unwrap() {
            let id = case["id"].as_str().unwrap();
            let file = get(&alice, &format!("{b}/cases/{id}")).await;
            for evidence in file["evidence_files"].as_array().unwrap() {
                call(&alice, "GET", evidence["url"].as_str().unwrap(), None, 200).await;
            }
            seen += 1;
        }
        match page["next_cursor"].as_str() {
            Some(next) if seen < 150 => cursor = Some(next.to_owned()),
            _ => break,
        }
    }
    assert!(seen >= 10, "{seen} cases");
    for status in [
        "awaiting_brand",
        "appealed",
        "taken_down",
        "takedown_failed",
    ] {
        let list = get(&alice, &format!("{b}/cases?status={status}&q=Aurelia")).await;
        if let Some(seller) = list["cases"][0]["seller_id"].as_str() {
            get(&alice, &format!("{b}/sellers/{seller}")).await;
        }
    }
}

#[tokio::test]
async fn other_capacities_lanes_and_nulls_match_their_schemas() {
    // A visitor: `me` is null.
    let session = get(&Caller::anonymous(), "/api/v1/auth/session").await;
    assert_eq!(session["me"], Value::Null);
    // The review lane (no shop), out of good standing, and not enrolled (no lane: null).
    for (email, brand) in [
        ("nina@northwind.test", "Northwind"),
        ("dora@dorado.test", "Dorado"),
        ("carl@cobalt.test", "Cobalt"),
    ] {
        let caller = Caller::login(email).await;
        let id = brand_id(brand).await;
        get(&caller, &format!("/api/v1/brands/{id}")).await;
        let stats = get(&caller, &format!("/api/v1/brands/{id}/stats")).await;
        if brand == "Cobalt" {
            assert_eq!(stats["lane"], Value::Null, "{stats}");
        }
        get(&caller, &format!("/api/v1/brands/{id}/cases?limit=5")).await;
        get(&caller, &format!("/api/v1/brands/{id}/reminders")).await;
    }
    let aurelia = brand_id("Aurelia").await;
    // A viewer, an agency, the account manager and the operator see the brand as what they are.
    for email in [
        "vera@aurelia.test",
        "agent@brandguard.test",
        "am@marketplace.test",
        "ops@marketplace.test",
    ] {
        let caller = Caller::login(email).await;
        get(&caller, "/api/v1/me").await;
        get(&caller, &format!("/api/v1/brands/{aurelia}")).await;
        get(&caller, &format!("/api/v1/brands/{aurelia}/members")).await;
    }
    let am = Caller::login("am@marketplace.test").await;
    get(&am, "/api/v1/manager/brands").await;
    for queue in [
        "review-queue",
        "expired",
        "failed-takedowns",
        "arbitration",
        "ip-rights",
    ] {
        let list = get(&am, &format!("/api/v1/manager/{queue}")).await;
        if let Some(seller) = list["cases"][0]["seller_id"].as_str() {
            get(&am, &format!("/api/v1/manager/sellers/{seller}")).await;
        }
    }
    let ops = Caller::login("ops@marketplace.test").await;
    get(&ops, "/api/v1/manager/brands").await;
    get(&ops, "/api/v1/admin/users").await;
    get(&ops, "/api/v1/admin/dead-letters").await;
    get(&ops, "/api/v1/admin/dead-actions").await;
}

#[tokio::test]
async fn errors_match_the_error_schema() {
    let anonymous = Caller::anonymous();
    let unauthenticated = call(&anonymous, "GET", "/api/v1/me", None, 401).await;
    assert_eq!(unauthenticated.error_code(), "unauthenticated");
    let alice = Caller::login("alice@aurelia.test").await;
    let aurelia = brand_id("Aurelia").await;
    let missing = format!("/api/v1/brands/{aurelia}/cases/00000000-0000-4000-8000-000000000000");
    assert_eq!(
        call(&alice, "GET", &missing, None, 404).await.error_code(),
        "not_found"
    );
    let invalid = call(
        &alice,
        "POST",
        &format!("/api/v1/brands/{aurelia}/ip-rights"),
        Some(json!({ "kind": "trademark" })),
        400,
    )
    .await;
    assert!(
        invalid.json()["error"]["field"].is_string(),
        "{}",
        invalid.text
    );
    let vera = Caller::login("vera@aurelia.test").await;
    call(
        &vera,
        "POST",
        &format!("/api/v1/brands/{aurelia}/api-keys"),
        Some(json!({ "name": "nope", "scope": "read" })),
        403,
    )
    .await;
    // A bulk filing with a bad row: 422 naming each row (code, args and reason, or nulls).
    let nina = Caller::login("nina@northwind.test").await;
    let northwind = brand_id("Northwind").await;
    let path = format!("/api/v1/brands/{northwind}/reports/bulk");
    let listing = unique("MKT-OA");
    let csv = format!(
        "listing,ip_right,reason,statement,evidence_urls\n{listing}-1,NO-SUCH-RIGHT,counterfeit,\"{STATEMENT}\",\n{listing}-2,US-TM-5123456,nonsense,\"{STATEMENT}\",\n"
    );
    let refused = read(
        nina.request("POST", &path)
            .header("content-type", "text/csv")
            .body(csv),
    )
    .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    check("POST", &path, &refused).await;
    assert!(!refused.json()["error"]["rows"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn a_brands_writes_answer_what_the_document_says() {
    let alice = Caller::login("alice@aurelia.test").await;
    let aurelia = brand_id("Aurelia").await;
    let a = format!("/api/v1/brands/{aurelia}");

    // An IP right: pending, without note, certificate or expiry (nulls); then rejected.
    let right = call(
        &alice,
        "POST",
        &format!("{a}/ip-rights"),
        Some(
            json!({ "kind": "trademark", "registration_number": unique("OA-TM-"),
                     "jurisdiction": "EU", "owner": "Aurelia SA" }),
        ),
        201,
    )
    .await
    .json();
    assert_eq!(right["review_note"], Value::Null);
    let am = Caller::login("am@marketplace.test").await;
    call(
        &am,
        "POST",
        &format!("{a}/ip-rights/{}/review", right["id"].as_str().unwrap()),
        Some(json!({ "decision": "reject", "note": "The certificate is missing." })),
        200,
    )
    .await;

    // A report in the auto lane.
    let report_right = usable_right(&alice, &aurelia).await;
    let listing = new_listing("Aurelia Classic Tote (OpenAPI test)", "SEL-T1").await;
    let filed = call(
        &alice,
        "POST",
        &format!("{a}/reports"),
        Some(report_body(&listing, &report_right)),
        201,
    )
    .await
    .json();
    // The same listing again: 409 naming the open case.
    let again = call(
        &alice,
        "POST",
        &format!("{a}/reports"),
        Some(report_body(&listing, &report_right)),
        409,
    )
    .await;
    assert_eq!(again.json()["error"]["case_id"], filed["id"]);

    // Two flagged listings from the marketplace: one rejected with an empty object, one decided
    // among many (`cases/decisions`, naming the version seen).
    let token = unique("OAFLAG");
    for i in 0..2 {
        let title = format!("Aurelia lookalike tote {token} #{i}");
        let flagged = new_listing(&title, "SEL-T2").await;
        let event = json!({ "type": "listing.flagged", "timestamp": "2026-11-28T10:00:00Z", "data": {
            "brand_ref": "BR-AURELIA",
            "listing": { "listing_id": flagged, "url": format!("https://market.example/item/{flagged}"),
                         "title": title, "price": { "amount": "19.99", "currency": "EUR" },
                         "image_url": null, "seller": { "seller_id": "SEL-T2", "name": "Flagged Seller" } },
            "detection": { "score": 0.93, "signals": ["logo_mismatch"] } } });
        let received = webhook(&unique("msg_oa"), &event).await;
        assert_eq!(received.status, 200, "{}", received.text);
        check("POST", "/api/v1/webhooks/marketplace", &received).await;
    }
    let list = get(
        &alice,
        &format!("{a}/cases?status=awaiting_brand&q={token}"),
    )
    .await;
    let cases = list["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 2, "{list}");
    let case = cases[0]["id"].as_str().unwrap();
    let rejected = call(
        &alice,
        "POST",
        &format!("{a}/cases/{case}/reject"),
        Some(json!({})),
        200,
    )
    .await;
    assert_eq!(rejected.json()["status"], "cleared");
    call(
        &alice,
        "POST",
        &format!("{a}/cases/decisions"),
        Some(
            json!({ "decisions": [{ "case_id": cases[1]["id"], "version": cases[1]["version"],
                                     "decision": "reject", "note": "Genuine." }] }),
        ),
        200,
    )
    .await;

    // The review lane: a report waits for the manager; the brand withdraws it.
    let nina = Caller::login("nina@northwind.test").await;
    let northwind = brand_id("Northwind").await;
    let (_, reported) = report_fresh_listing(&nina, &northwind, "Northwind jacket (OpenAPI)").await;
    assert_eq!(reported.status, 201, "{}", reported.text);
    check(
        "POST",
        &format!("/api/v1/brands/{northwind}/reports"),
        &reported,
    )
    .await;
    let id = reported.json()["id"].as_str().unwrap().to_owned();
    call(
        &nina,
        "POST",
        &format!("/api/v1/brands/{northwind}/cases/{id}/withdraw"),
        Some(json!({ "reason": "Filed by mistake." })),
        200,
    )
    .await;
    // A small bulk filing.
    let prefix = unique("MKT-OAB");
    let csv = format!(
        "listing,ip_right,reason,statement,evidence_urls\n{prefix}-1,US-TM-5123456,counterfeit,\"{STATEMENT}\",\n"
    );
    let bulk_path = format!("/api/v1/brands/{northwind}/reports/bulk");
    let bulk = read(
        nina.request("POST", &bulk_path)
            .header("content-type", "text/csv")
            .body(csv),
    )
    .await;
    assert_eq!(bulk.status, 201, "{}", bulk.text);
    check("POST", &bulk_path, &bulk).await;

    // An API key: answered once with its secret, listed without, revoked.
    let key = call(
        &alice,
        "POST",
        &format!("{a}/api-keys"),
        Some(json!({ "name": unique("OpenAPI key "), "scope": "read" })),
        201,
    )
    .await
    .json();
    get(&alice, &format!("{a}/api-keys")).await;
    call(
        &alice,
        "DELETE",
        &format!("{a}/api-keys/{}", key["key"]["id"].as_str().unwrap()),
        None,
        204,
    )
    .await;
    get(&alice, &format!("{a}/api-keys")).await;

    // A webhook endpoint: created, its (empty) delivery log, disabled (then listed, not null),
    // enabled, deleted.
    let n = format!("/api/v1/brands/{northwind}/webhook-endpoints");
    let endpoint = call(
        &nina,
        "POST",
        &n,
        Some(
            json!({ "url": "https://hooks.northwind.example/openapi", "events": ["case.created"] }),
        ),
        201,
    )
    .await
    .json();
    let endpoint_id = endpoint["endpoint"]["id"].as_str().unwrap();
    get(&nina, &format!("{n}/{endpoint_id}/deliveries")).await;
    call(
        &nina,
        "POST",
        &format!("{n}/{endpoint_id}/disable"),
        None,
        204,
    )
    .await;
    get(&nina, &n).await;
    call(
        &nina,
        "POST",
        &format!("{n}/{endpoint_id}/enable"),
        None,
        204,
    )
    .await;
    call(&nina, "DELETE", &format!("{n}/{endpoint_id}"), None, 204).await;
    get(&nina, &n).await;
}

#[tokio::test]
async fn accounts_links_and_invitations_answer_what_the_document_says() {
    let ops = Caller::login("ops@marketplace.test").await;
    let anonymous = Caller::anonymous();
    // A brand of this test's own: no account manager, no suspension reason (nulls).
    let brand = call(
        &ops,
        "POST",
        "/api/v1/admin/brands",
        Some(json!({ "name": unique("OpenAPI Brand "), "brand_ref": unique("BR-OA") })),
        201,
    )
    .await
    .json();
    assert_eq!(brand["account_manager"], Value::Null);
    let brand = brand["id"].as_str().unwrap().to_owned();
    let users = get(&ops, "/api/v1/admin/users").await;
    let am_id = users["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "am@marketplace.test")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    call(
        &ops,
        "PUT",
        &format!("/api/v1/admin/brands/{brand}/manager"),
        Some(json!({ "manager_id": am_id })),
        200,
    )
    .await;
    call(
        &ops,
        "POST",
        &format!("/api/v1/admin/brands/{brand}/programme"),
        Some(json!({ "status": "suspended", "reason": "Checking the documents." })),
        200,
    )
    .await;

    // Its admin: created (a set-password link is emailed), added, sent a newer link.
    let email = format!("{}@openapi.test", unique("oa-admin"));
    let created = call(
        &ops,
        "POST",
        "/api/v1/admin/users",
        Some(json!({ "email": email, "display_name": "OpenAPI Admin" })),
        201,
    )
    .await
    .json();
    let user_id = created["user"]["id"].as_str().unwrap().to_owned();
    call(
        &ops,
        "POST",
        &format!("/api/v1/admin/brands/{brand}/members"),
        Some(json!({ "email": email, "role": "brand_admin" })),
        201,
    )
    .await;
    call(
        &ops,
        "POST",
        &format!("/api/v1/admin/users/{user_id}/password-link"),
        None,
        202,
    )
    .await;
    let token = mail_after(&email, 1).await.token();
    get(&anonymous, &format!("/api/v1/password-links/{token}")).await;
    let set = call(
        &anonymous,
        "POST",
        &format!("/api/v1/password-links/{token}"),
        Some(json!({ "password": "openapi first password" })),
        200,
    )
    .await;
    let admin = anonymous.with_session_of(&set);
    call(
        &admin,
        "POST",
        "/api/v1/me/password",
        Some(json!({ "current_password": "openapi first password",
                     "new_password": "openapi second password" })),
        204,
    )
    .await;
    let admin = Caller::login_with(&email, "openapi second password")
        .await
        .expect("the new password signs in");
    get(&admin, "/api/v1/me/sessions").await;
    call(&admin, "POST", "/api/v1/me/sessions/end-others", None, 204).await;
    let login = call(
        &anonymous,
        "POST",
        "/api/v1/auth/login",
        Some(json!({ "email": email, "password": "openapi second password" })),
        200,
    )
    .await;
    assert!(session_cookie(&login).is_some());

    // Invitations: one accepted by a new address, one cancelled.
    let b = format!("/api/v1/brands/{brand}");
    let invitee = format!("{}@openapi.test", unique("oa-member"));
    call(
        &admin,
        "POST",
        &format!("{b}/members"),
        Some(json!({ "email": invitee, "role": "brand_viewer" })),
        201,
    )
    .await;
    let token = first_mail(&invitee).await.token();
    get(&anonymous, &format!("/api/v1/invitations/{token}")).await;
    let joined = call(
        &anonymous,
        "POST",
        &format!("/api/v1/invitations/{token}/accept"),
        Some(json!({ "display_name": "OpenAPI Member", "password": "openapi member password" })),
        200,
    )
    .await
    .json();
    let member_id = joined["user"]["id"].as_str().unwrap().to_owned();
    let other = format!("{}@openapi.test", unique("oa-other"));
    let sent = call(
        &admin,
        "POST",
        &format!("{b}/members"),
        Some(json!({ "email": other, "role": "brand_agent" })),
        201,
    )
    .await
    .json();
    get(&admin, &format!("{b}/members")).await;
    call(
        &admin,
        "DELETE",
        &format!(
            "{b}/invitations/{}",
            sent["invitation_id"].as_str().unwrap()
        ),
        None,
        204,
    )
    .await;
    call(
        &admin,
        "PATCH",
        &format!("{b}/members/{member_id}"),
        Some(json!({ "role": "brand_agent" })),
        200,
    )
    .await;
    call(
        &admin,
        "DELETE",
        &format!("{b}/members/{member_id}"),
        None,
        204,
    )
    .await;

    // The operator's account lifecycle, on the member's account.
    call(
        &ops,
        "PUT",
        &format!("/api/v1/admin/users/{member_id}/staff-role"),
        Some(json!({ "staff_role": null })),
        200,
    )
    .await;
    call(
        &ops,
        "POST",
        &format!("/api/v1/admin/users/{member_id}/disable"),
        None,
        200,
    )
    .await;
    call(
        &ops,
        "POST",
        &format!("/api/v1/admin/users/{member_id}/enable"),
        None,
        200,
    )
    .await;

    // Forgot password: the same empty 202 for any address.
    call(
        &anonymous,
        "POST",
        "/api/v1/auth/password-link",
        Some(json!({ "email": format!("{}@openapi.test", unique("nobody")) })),
        202,
    )
    .await;
    call(&admin, "POST", "/api/v1/auth/logout", None, 204).await;
}
