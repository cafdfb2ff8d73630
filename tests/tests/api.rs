//! API tests against a real `wrangler dev` (workerd, local D1 and KV) on fresh local state.

use jf_core::access::StaffArea;
use jf_core::routes::{Access, Body, ROUTES};
use jf_tests::*;
use serde_json::json;
use tokio::sync::RwLock;

/// Tests that move the domain clock take this for writing; every other test reads, so no test
/// sees the clock jump under it.
static CLOCK: RwLock<()> = RwLock::const_new(());

async fn user_id(email: &str) -> String {
    let ops = Caller::login("ops@marketplace.test").await;
    let users = ops.get("/api/v1/admin/users").await.json();
    users["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == email)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn sign_in_sets_a_strict_http_only_cookie_and_me_lists_memberships() {
    let _c = CLOCK.read().await;
    let answer = Caller::anonymous()
        .send(
            "POST",
            "/api/v1/auth/login",
            Some(json!({ "email": "alice@aurelia.test", "password": DEMO_PASSWORD })),
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let cookie = answer.header("set-cookie").unwrap();
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
            && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "plain-http localhost cannot keep a Secure cookie"
    );
    let alice = Caller::anonymous().with_session_of(&answer);
    let me = alice.get("/api/v1/me").await.json();
    assert_eq!(me["user"]["email"], "alice@aurelia.test");
    assert_eq!(me["memberships"][0]["brand_name"], "Aurelia");
    assert_eq!(me["memberships"][0]["role"], "brand_admin");

    let agency = Caller::login("agent@brandguard.test")
        .await
        .get("/api/v1/me")
        .await
        .json();
    let names: Vec<&str> = agency["memberships"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["brand_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Aurelia", "Northwind"]);
}

#[tokio::test]
async fn the_session_endpoint_answers_visitors_without_an_error() {
    let _c = CLOCK.read().await;
    let visitor = Caller::anonymous().get("/api/v1/auth/session").await;
    assert_eq!(visitor.status, 200);
    assert_eq!(visitor.json()["me"], serde_json::Value::Null);
    let nina = Caller::login("nina@northwind.test")
        .await
        .get("/api/v1/auth/session")
        .await
        .json();
    assert_eq!(nina["me"]["user"]["email"], "nina@northwind.test");
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_identical_answers() {
    let _c = CLOCK.read().await;
    let wrong = Caller::login_with("vera@aurelia.test", "not-the-password")
        .await
        .unwrap_err();
    let unknown = Caller::login_with(
        &format!("{}@nowhere.test", unique("ghost")),
        "not-the-password",
    )
    .await
    .unwrap_err();
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.status, unknown.status);
    assert_eq!(wrong.text, unknown.text);
    assert_eq!(wrong.error_code(), "invalid_credentials");
    assert!(wrong.header("set-cookie").is_none());
}

#[tokio::test]
async fn eleventh_failed_attempt_is_throttled_with_a_clear_message() {
    let _c = CLOCK.read().await;
    let email = format!("{}@nowhere.test", unique("throttle"));
    // From an address of its own, so that these failures count against no other test.
    let guesser = Caller::at("192.0.2.11");
    for attempt in 1..=10 {
        let a = guesser.sign_in(&email, "wrong-password").await.unwrap_err();
        assert_eq!(a.status, 401, "attempt {attempt}");
    }
    let eleventh = guesser.sign_in(&email, "wrong-password").await.unwrap_err();
    assert_eq!(eleventh.status, 429);
    assert_eq!(eleventh.error_code(), "too_many_attempts");
    assert!(eleventh.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Try again in"));
    assert!(eleventh.header("retry-after").is_some());
}

#[tokio::test]
async fn logout_revokes_the_session_at_once() {
    let _c = CLOCK.read().await;
    let vera = Caller::login("vera@aurelia.test").await;
    assert_eq!(vera.get("/api/v1/me").await.status, 200);
    let out = vera.send("POST", "/api/v1/auth/logout", None).await;
    assert_eq!(out.status, 204);
    assert!(out.header("set-cookie").unwrap().contains("Max-Age=0"));
    let reuse = vera.get("/api/v1/me").await;
    assert_eq!(reuse.status, 401);
    assert_eq!(reuse.error_code(), "unauthenticated");
}

#[tokio::test]
async fn sessions_expire_after_twelve_idle_hours() {
    let _c = CLOCK.write().await;
    let arjun = Caller::login("arjun@aurelia.test").await;
    set_clock_offset(11 * 3_600_000).await;
    let still = arjun.get("/api/v1/me").await.status;
    set_clock_offset(11 * 3_600_000 + 12 * 3_600_000 + 60_000).await;
    let expired = arjun.get("/api/v1/me").await.status;
    set_clock_offset(0).await;
    assert_eq!(still, 200);
    assert_eq!(expired, 401);
}

#[tokio::test]
async fn state_changes_need_the_sites_origin_and_the_right_content_type() {
    let _c = CLOCK.read().await;
    let vera = Caller::login("vera@aurelia.test").await;
    let no_origin = read(
        reqwest::Client::new()
            .post(format!("{}/api/v1/auth/logout", base_url()))
            .header(
                "cookie",
                format!("jf_session={}", vera.cookie.clone().unwrap()),
            ),
    )
    .await;
    assert_eq!(no_origin.status, 403);
    assert_eq!(no_origin.error_code(), "cross_site_request");
    let foreign = read(
        vera.request("POST", "/api/v1/auth/logout")
            .header("origin", "https://evil.example"),
    )
    .await;
    assert_eq!(foreign.status, 403);
    // The session survived both attempts.
    assert_eq!(vera.get("/api/v1/me").await.status, 200);

    let form = read(
        vera.request("POST", "/api/v1/me/password")
            .header("content-type", "application/x-www-form-urlencoded")
            .body("current_password=jointforce-demo&new_password=changed-by-a-form"),
    )
    .await;
    assert_eq!(form.status, 415);
    assert_eq!(form.error_code(), "unsupported_media_type");
    assert!(
        Caller::login_with("vera@aurelia.test", DEMO_PASSWORD)
            .await
            .is_ok(),
        "password unchanged"
    );
    // A cross-site sign-in attempt is refused as well.
    let login = read(
        reqwest::Client::new()
            .post(format!("{}/api/v1/auth/login", base_url()))
            .header("origin", "https://evil.example")
            .header("content-type", "application/json")
            .body(json!({ "email": "vera@aurelia.test", "password": DEMO_PASSWORD }).to_string()),
    )
    .await;
    assert_eq!(login.status, 403);
}

#[tokio::test]
async fn an_invitation_link_works_once_then_never_again() {
    let _c = CLOCK.read().await;
    let alice = Caller::login("alice@aurelia.test").await;
    let aurelia = brand_id("Aurelia").await;
    let email = format!("{}@aurelia.test", unique("invitee"));
    let invite = invite(&alice, &aurelia, &email, "brand_agent").await;
    assert_eq!(invite.status, 201, "{}", invite.text);
    assert_eq!(invite.json()["email"], email.as_str());
    assert!(
        !invite.text.contains("/invite/"),
        "the answer carries no link: {}",
        invite.text
    );
    let mail = first_mail(&email).await;
    assert!(mail.subject.contains("Aurelia"), "{}", mail.subject);
    let token = mail.token();
    let token = token.as_str();
    let view = Caller::anonymous()
        .get(&format!("/api/v1/invitations/{token}"))
        .await
        .json();
    assert_eq!(view["brand_name"], "Aurelia");
    assert_eq!(view["account_exists"], false);

    let body = json!({ "display_name": "Ivy Invitee", "password": "ivy's own password" });
    let first = Caller::anonymous()
        .send(
            "POST",
            &format!("/api/v1/invitations/{token}/accept"),
            Some(body.clone()),
        )
        .await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(first.json()["memberships"][0]["role"], "brand_agent");
    let second = Caller::anonymous()
        .send(
            "POST",
            &format!("/api/v1/invitations/{token}/accept"),
            Some(body),
        )
        .await;
    assert_eq!(second.status, 409, "{}", second.text);
    assert_eq!(second.json()["error"]["reason"], "invitation_accepted");
    assert_eq!(
        Caller::anonymous()
            .get(&format!("/api/v1/invitations/{token}"))
            .await
            .status,
        409
    );
    assert!(Caller::login_with(&email, "ivy's own password")
        .await
        .is_ok());
}

#[tokio::test]
async fn members_can_be_reassigned_and_removed_by_the_brand_admin() {
    let _c = CLOCK.read().await;
    let ops = Caller::login("ops@marketplace.test").await;
    let aurelia = brand_id("Aurelia").await;
    let email = format!("{}@aurelia.test", unique("temp"));
    let created = ops
        .send(
            "POST",
            "/api/v1/admin/users",
            Some(json!({ "email": email, "display_name": "Temp Member" })),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let uid = created.json()["user"]["id"].as_str().unwrap().to_owned();
    let added = ops
        .send(
            "POST",
            &format!("/api/v1/admin/brands/{aurelia}/members"),
            Some(json!({ "email": email, "role": "brand_viewer" })),
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.text);

    let alice = Caller::login("alice@aurelia.test").await;
    let path = format!("/api/v1/brands/{aurelia}/members/{uid}");
    let changed = alice
        .send("PATCH", &path, Some(json!({ "role": "brand_agent" })))
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!(changed.json()["role"], "brand_agent");
    let bad_role = alice
        .send("PATCH", &path, Some(json!({ "role": "owner" })))
        .await;
    assert_eq!(bad_role.status, 400);
    assert_eq!(alice.send("DELETE", &path, None).await.status, 204);
    let members = alice
        .get(&format!("/api/v1/brands/{aurelia}/members"))
        .await
        .json();
    assert!(!members.to_string().contains(&email));
    assert_eq!(alice.send("DELETE", &path, None).await.status, 404);
}

/// The tenancy matrix, built from the router's own table: every route × {member of another brand,
/// viewer on a write route, account manager of another brand, anonymous}.
#[tokio::test]
async fn tenancy_matrix_over_every_route() {
    let _c = CLOCK.read().await;
    let aurelia = brand_id("Aurelia").await;
    let cobalt = brand_id("Cobalt").await;
    let alice_id = user_id("alice@aurelia.test").await;
    let carl_id = user_id("carl@cobalt.test").await;
    let nina = Caller::login("nina@northwind.test").await; // member of another brand
    let vera = Caller::login("vera@aurelia.test").await; // viewer of Aurelia
    let am = Caller::login("am@marketplace.test").await; // manages Aurelia, not Cobalt
    let anonymous = Caller::anonymous();
    // Real ids of the target brand's objects where it has them, so a leak would show.
    let alice = Caller::login("alice@aurelia.test").await;
    let aurelia_cases = alice
        .get(&format!("/api/v1/brands/{aurelia}/cases?limit=1"))
        .await
        .json();
    let aurelia_case = aurelia_cases["cases"][0]["id"].as_str().unwrap().to_owned();
    let aurelia_rights = alice
        .get(&format!("/api/v1/brands/{aurelia}/ip-rights"))
        .await
        .json();
    let aurelia_right = aurelia_rights["rights"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let secrets_of = |brand: &str| -> Vec<String> {
        match brand {
            "aurelia" => vec![
                aurelia.clone(),
                "Aurelia".into(),
                "BR-AURELIA".into(),
                "alice@aurelia.test".into(),
                alice_id.clone(),
                aurelia_case.clone(),
                aurelia_right.clone(),
                "EUTM-018234567".into(),
            ],
            _ => vec![
                cobalt.clone(),
                "Cobalt".into(),
                "BR-COBALT".into(),
                "carl@cobalt.test".into(),
                carl_id.clone(),
            ],
        }
    };
    let some_id = "6f1c7a52-3b9e-4c1d-8a55-0e2b7d9c4f10";
    let path_for = |template: &str, brand: &str, user: &str, case: &str, right: &str| {
        template
            .replace("{brand_id}", brand)
            .replace("{user_id}", user)
            .replace("{case_id}", case)
            .replace("{right_id}", right)
            .replace("{file_id}", some_id)
            .replace("{action_id}", some_id)
            .replace("{webhook_id}", "msg_none")
            .replace("{token}", "no-such-token")
            .replace("{invitation_id}", some_id)
            .replace("{session_id}", some_id)
    };
    let mut checked = 0;
    for route in ROUTES {
        let body = (route.body == Body::Json).then(|| json!({}));
        let method = route.method.as_str();
        let aurelia_path = path_for(
            route.path,
            &aurelia,
            &alice_id,
            &aurelia_case,
            &aurelia_right,
        );
        let cobalt_path = path_for(route.path, &cobalt, &carl_id, some_id, some_id);
        let label = format!("{method} {}", route.path);

        if !matches!(route.access, Access::Public | Access::Optional) {
            let a = anonymous.send(method, &aurelia_path, body.clone()).await;
            assert_eq!(a.status, 401, "anonymous {label}: {}", a.text);
            checked += 1;
        }
        match route.access {
            Access::Brand(action) => {
                let a = nina.send(method, &aurelia_path, body.clone()).await;
                assert_eq!(a.status, 404, "other brand's member {label}: {}", a.text);
                for secret in secrets_of("aurelia") {
                    assert!(!a.text.contains(&secret), "{label} leaks {secret}");
                }
                let a = am.send(method, &cobalt_path, body.clone()).await;
                assert_eq!(a.status, 404, "other brand's manager {label}: {}", a.text);
                for secret in secrets_of("cobalt") {
                    assert!(!a.text.contains(&secret), "{label} leaks {secret}");
                }
                if action.is_write() {
                    let a = vera.send(method, &aurelia_path, body.clone()).await;
                    assert_eq!(a.status, 403, "viewer {label}: {}", a.text);
                }
                checked += 3;
            }
            Access::Staff(area) => {
                for (who, caller) in [("other brand's member", &nina), ("viewer", &vera)] {
                    let a = caller.send(method, &cobalt_path, body.clone()).await;
                    assert_eq!(a.status, 404, "{who} on staff route {label}: {}", a.text);
                }
                if area == StaffArea::Admin {
                    let a = am.send(method, &cobalt_path, body.clone()).await;
                    assert_eq!(a.status, 404, "manager on admin route {label}: {}", a.text);
                }
                checked += 3;
            }
            Access::Public | Access::Optional | Access::Person | Access::Signed => {}
        }
    }
    assert!(checked > ROUTES.len(), "the matrix ran");
    // None of those attempts changed anything: Alice is still Aurelia's admin, Carl Cobalt's.
    let members = alice
        .get(&format!("/api/v1/brands/{aurelia}/members"))
        .await
        .json();
    assert!(members["members"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["email"] == "alice@aurelia.test" && m["role"] == "brand_admin"));
    let carl = Caller::login("carl@cobalt.test")
        .await
        .get("/api/v1/me")
        .await
        .json();
    assert_eq!(carl["memberships"][0]["role"], "brand_admin");
}

#[tokio::test]
async fn account_managers_see_only_their_brands() {
    let _c = CLOCK.read().await;
    let am = Caller::login("am@marketplace.test").await;
    let list = am.get("/api/v1/manager/brands").await.json();
    let mut names: Vec<&str> = list["brands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["Aurelia", "Dorado", "Northwind"]);
    let cobalt = brand_id("Cobalt").await;
    assert_eq!(
        am.get(&format!("/api/v1/brands/{cobalt}")).await.status,
        404
    );
    let aurelia = brand_id("Aurelia").await;
    let view = am.get(&format!("/api/v1/brands/{aurelia}")).await.json();
    assert_eq!(view["viewer"]["kind"], "account_manager");
    let ops = Caller::login("ops@marketplace.test")
        .await
        .get("/api/v1/manager/brands")
        .await
        .json();
    assert!(ops["brands"].as_array().unwrap().len() >= 4);
}

#[tokio::test]
async fn bad_input_is_refused_with_a_json_error_and_nothing_is_stored() {
    let _c = CLOCK.read().await;
    let alice = Caller::login("alice@aurelia.test").await;
    let aurelia = brand_id("Aurelia").await;
    let members_path = format!("/api/v1/brands/{aurelia}/members");
    let malformed = read(
        alice
            .request("POST", &members_path)
            .header("content-type", "application/json")
            .body("{\"email\":"),
    )
    .await;
    assert_eq!(malformed.status, 400);
    assert_eq!(malformed.json()["error"]["field"], "body");

    let missing = alice
        .send(
            "POST",
            &members_path,
            Some(json!({ "email": "x@aurelia.test" })),
        )
        .await;
    assert_eq!(missing.status, 400);
    assert_eq!(missing.json()["error"]["field"], "role");

    let long = "a".repeat(10 * 1024 + 1);
    let too_long = alice
        .send(
            "POST",
            &members_path,
            Some(json!({ "email": long, "role": "brand_agent" })),
        )
        .await;
    assert_eq!(too_long.status, 400);
    assert_eq!(too_long.json()["error"]["field"], "email");

    let bad_email = alice
        .send(
            "POST",
            &members_path,
            Some(json!({ "email": "not-an-email", "role": "brand_agent" })),
        )
        .await;
    assert_eq!(bad_email.status, 400);

    let huge = "x".repeat(70 * 1024);
    let too_large = alice
        .send(
            "POST",
            &members_path,
            Some(json!({ "email": huge, "role": "brand_agent" })),
        )
        .await;
    assert_eq!(too_large.status, 413);

    let not_uuid = alice.get("/api/v1/brands/not-a-uuid").await;
    assert_eq!(not_uuid.status, 400);
    assert_eq!(not_uuid.json()["error"]["field"], "brand_id");
    let unknown = alice
        .get("/api/v1/brands/7d1f3c52-0d5e-4a7e-9a51-5b0b7e1f0c11")
        .await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.error_code(), "not_found");
    let bad_member = alice
        .send(
            "PATCH",
            &format!("{members_path}/not-a-uuid"),
            Some(json!({ "role": "brand_agent" })),
        )
        .await;
    assert_eq!(bad_member.status, 400);

    // Nothing was stored: no member or invitation for any address tried (other tests may add
    // members of their own to Aurelia meanwhile, so the list as a whole may grow).
    let after = alice.get(&members_path).await.json();
    for tried in [
        "x@aurelia.test",
        "not-an-email",
        long.as_str(),
        huge.as_str(),
    ] {
        assert!(
            !after.to_string().contains(&format!("\"{tried}\"")),
            "nothing was stored for {}",
            &tried[..tried.len().min(20)]
        );
    }

    let ops = Caller::login("ops@marketplace.test").await;
    let brands_before = demo_brands().await.len();
    for bad in [
        json!({ "name": "", "brand_ref": "BR-EMPTY" }),
        json!({ "name": "Lowercase", "brand_ref": "br-lower" }),
        json!({ "name": "Aurelia", "brand_ref": "BR-AURELIA" }),
    ] {
        let a = ops
            .send("POST", "/api/v1/admin/brands", Some(bad.clone()))
            .await;
        assert!(a.status == 400 || a.status == 409, "{bad}: {}", a.text);
        assert!(a.json()["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
    }
    assert_eq!(demo_brands().await.len(), brands_before);
}

#[tokio::test]
async fn unknown_paths_and_methods_answer_json_errors() {
    let _c = CLOCK.read().await;
    let a = Caller::anonymous().get("/api/v1/no-such-thing").await;
    assert_eq!(a.status, 404);
    assert_eq!(a.error_code(), "not_found");
    let m = Caller::anonymous().send("DELETE", "/api/v1/me", None).await;
    assert_eq!(m.status, 405);
    // The test clock is served here only because this stack runs the test configuration.
    let clock = Caller::anonymous()
        .send(
            "POST",
            "/api/__test/clock",
            Some(json!({ "offset_ms": "soon" })),
        )
        .await;
    assert_eq!(clock.status, 400);
}

#[tokio::test]
async fn openapi_lists_exactly_the_route_table() {
    let _c = CLOCK.read().await;
    let doc = Caller::anonymous().get("/api/v1/openapi.json").await.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    let mut documented = 0;
    for (path, methods) in paths {
        for method in methods.as_object().unwrap().keys() {
            assert!(
                ROUTES
                    .iter()
                    .any(|r| r.path == path && r.method.as_str().eq_ignore_ascii_case(method)),
                "{method} {path} documented but not routed"
            );
            documented += 1;
        }
    }
    assert_eq!(documented, ROUTES.len());
}

#[tokio::test]
async fn security_headers_reach_every_response() {
    let _c = CLOCK.read().await;
    let index = Caller::anonymous().get("/").await;
    assert_eq!(index.status, 200);
    let fallback = Caller::anonymous().get("/brands/some-brand/members").await;
    assert_eq!(fallback.status, 200, "the SPA serves its routes");
    assert!(
        fallback.text.contains("<html"),
        "single-page fallback serves index.html"
    );
    // index.html is minified: attribute values may come without quotes.
    let script = index
        .text
        .split(|c: char| c == '"' || c == '\'' || c == '=' || c == '>' || c.is_whitespace())
        .find(|s| s.starts_with('/') && s.ends_with(".js"))
        .expect("index.html loads the app's JS")
        .to_owned();
    let js = Caller::anonymous().get(&script).await;
    assert_eq!(js.status, 200);
    let api_error = Caller::anonymous().get("/api/v1/me").await;
    assert_eq!(api_error.status, 401, "{}", api_error.text);
    let api = Caller::login("ops@marketplace.test")
        .await
        .get("/api/v1/me")
        .await;
    assert_eq!(api.status, 200, "{}", api.text);
    for (what, a) in [
        ("index.html", &index),
        ("SPA fallback", &fallback),
        ("static js", &js),
        ("API", &api),
        ("API error", &api_error),
    ] {
        let csp = a
            .header("content-security-policy")
            .unwrap_or_else(|| panic!("{what} has no CSP"));
        assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
        assert_eq!(
            a.header("x-content-type-options").as_deref(),
            Some("nosniff"),
            "{what}"
        );
        assert!(a.header("referrer-policy").is_some(), "{what}");
        assert_eq!(
            a.header("strict-transport-security").as_deref(),
            Some("max-age=63072000; includeSubDomains"),
            "{what}"
        );
        assert_eq!(
            a.header("cross-origin-opener-policy").as_deref(),
            Some("same-origin"),
            "{what}"
        );
    }
    let csp = index.header("content-security-policy").unwrap();
    assert!(
        csp.contains("'wasm-unsafe-eval'") && csp.contains("'sha256-"),
        "{csp}"
    );
}

#[tokio::test]
async fn people_change_their_own_password() {
    let _c = CLOCK.read().await;
    let ops = Caller::login("ops@marketplace.test").await;
    let email = format!("{}@marketplace.test", unique("pw"));
    let created = ops
        .send(
            "POST",
            "/api/v1/admin/users",
            Some(json!({ "email": email, "display_name": "Pat Word" })),
        )
        .await
        .json();
    assert_eq!(created["link_sent"]["email"], email.as_str());
    let token = first_mail(&email).await.token();
    let accept = Caller::anonymous()
        .send(
            "POST",
            &format!("/api/v1/password-links/{token}"),
            Some(json!({ "password": "first password!" })),
        )
        .await;
    assert_eq!(accept.status, 200, "{}", accept.text);
    let pat = Caller::anonymous().with_session_of(&accept);
    let short = pat
        .send(
            "POST",
            "/api/v1/me/password",
            Some(json!({ "current_password": "first password!", "new_password": "short" })),
        )
        .await;
    assert_eq!(short.status, 400);
    assert_eq!(short.json()["error"]["field"], "new_password");
    let ok = pat
        .send("POST", "/api/v1/me/password", Some(json!({ "current_password": "first password!", "new_password": "second password!" })))
        .await;
    assert_eq!(ok.status, 204, "{}", ok.text);
    assert!(Caller::login_with(&email, "first password!").await.is_err());
    assert!(Caller::login_with(&email, "second password!").await.is_ok());
}

/// The history records who acted as data, not as English read back: a brand agent whose display
/// name looks like an account manager's label is shown as a brand agent named exactly that.
#[tokio::test]
async fn a_timeline_names_a_brand_agent_by_kind_whatever_their_display_name() {
    let _c = CLOCK.read().await;
    const TRICKY: &str = "Eve (account manager) for Aurelia";
    let alice = Caller::login("alice@aurelia.test").await;
    let aurelia = brand_id("Aurelia").await;
    let email = format!("{}@aurelia.test", unique("eve"));
    let invite = invite(&alice, &aurelia, &email, "brand_agent").await;
    assert_eq!(invite.status, 201, "{}", invite.text);
    let token = first_mail(&email).await.token();
    let accepted = Caller::anonymous()
        .send(
            "POST",
            &format!("/api/v1/invitations/{token}/accept"),
            Some(json!({ "display_name": TRICKY, "password": "eve's own password" })),
        )
        .await;
    assert_eq!(accepted.status, 200, "{}", accepted.text);
    let eve = Caller::anonymous().with_session_of(&accepted);

    // The marketplace flags a listing for Aurelia (a signed webhook); Eve confirms it.
    let title = format!("Timeline actor {}", unique("T"));
    let listing = new_listing(&title, "SEL-EVE").await;
    let flag = json!({ "type": "listing.flagged", "timestamp": "2026-11-28T10:00:00Z", "data": {
        "brand_ref": "BR-AURELIA",
        "listing": { "listing_id": listing, "url": format!("https://market.example/item/{listing}"),
                     "title": title, "price": { "amount": "19.99", "currency": "EUR" }, "image_url": null,
                     "seller": { "seller_id": "SEL-EVE", "name": "Seller SEL-EVE" } },
        "detection": { "score": 0.91, "signals": ["logo_mismatch"] } } });
    let sent = webhook(&unique("msg_eve"), &flag).await;
    assert_eq!(sent.status, 200, "{}", sent.text);
    let list = eve
        .get(&format!(
            "/api/v1/brands/{aurelia}/cases?status=awaiting_brand&q={listing}"
        ))
        .await;
    assert_eq!(list.status, 200, "{}", list.text);
    let case = list.json()["cases"][0]["id"]
        .as_str()
        .expect("the flag opened a case")
        .to_owned();
    let right = usable_right(&eve, &aurelia).await;
    let confirmed = eve
        .send(
            "POST",
            &format!("/api/v1/brands/{aurelia}/cases/{case}/confirm"),
            Some(json!({ "ip_right_id": right, "reason_code": "counterfeit" })),
        )
        .await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.text);

    // The case file, read again, names each actor by kind.
    let file = alice
        .get(&format!("/api/v1/brands/{aurelia}/cases/{case}"))
        .await;
    assert_eq!(file.status, 200, "{}", file.text);
    let events = file.json()["events"].as_array().cloned().unwrap();
    let flagged = &events[0];
    assert_eq!(flagged["actor_kind"], "marketplace", "{flagged}");
    assert_eq!(flagged["actor"], "Marketplace");
    assert_eq!(flagged["note_code"], "detection", "{flagged}");
    assert_eq!(flagged["note_args"], json!(["0.91", "logo_mismatch"]));
    let by_eve = events.last().unwrap();
    assert_eq!(by_eve["kind"], "confirm");
    assert_eq!(by_eve["actor_kind"], "brand_agent", "{by_eve}");
    assert_eq!(by_eve["actor_name"], TRICKY);
    assert!(by_eve["actor_brand"].is_null(), "{by_eve}");
    assert_eq!(by_eve["actor"], format!("{TRICKY} (brand_agent)"));
}

#[tokio::test]
async fn a_bulk_row_with_four_faults_is_refused_with_each_named_by_its_column() {
    let _c = CLOCK.read().await;
    let nina = Caller::login("nina@northwind.test").await;
    let northwind = brand_id("Northwind").await;
    let path = format!("/api/v1/brands/{northwind}/reports/bulk");
    // A good row, then a row with four faults: not a listing, a right that is not the brand's, a
    // reason that is no reason code, a statement too short.
    let good = unique("MKT-FOUR");
    let csv = format!(
        "listing,ip_right,reason,statement,evidence_urls\n\
         {good},US-TM-5123456,counterfeit,\"{STATEMENT}\",\n\
         not a listing,EUTM-018234567,dislike,too short,\n"
    );
    let refused = read(
        nina.request("POST", &path)
            .header("content-type", "text/csv")
            .body(csv),
    )
    .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    let body = refused.json();
    assert_eq!(body["error"]["code"], "invalid_rows", "{body}");
    let rows = body["error"]["rows"].as_array().unwrap();
    let named: Vec<(i64, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["line"].as_i64().unwrap(),
                r["column"].as_str().unwrap(),
                r["code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        named,
        [
            (3, "listing", "invalid"),
            (3, "ip_right", "unknown_right"),
            (3, "reason", "invalid"),
            (3, "statement", "invalid"),
        ],
        "{body}"
    );
    // Each with its reason and its English led by the file's column, never an internal name.
    assert_eq!(rows[0]["reason"], "listing_reference_any");
    assert_eq!(rows[1]["args"], json!(["\"EUTM-018234567\""]));
    assert_eq!(rows[2]["reason"], "reason_codes");
    assert_eq!(
        rows[2]["problem"],
        "reason: must be counterfeit, trademark_misuse, copyright, design_right or patent"
    );
    assert_eq!(rows[3]["reason"], "too_short");
    assert_eq!(rows[3]["reason_args"], json!(["20"]));
    assert!(!refused.text.contains("reason_code\""), "{body}");
    assert_eq!(
        body["error"]["message"],
        "1 row(s) have 4 problem(s); nothing was filed."
    );
    assert_matches_schema("POST", "/api/v1/brands/{brand_id}/reports/bulk", 422, &body).await;
    // All or nothing: not even the good row was filed.
    let stored = d1_rows(&format!(
        "SELECT count(*) AS n FROM cases WHERE listing_id = '{good}'"
    ))
    .await;
    assert_eq!(stored[0]["n"], 0, "nothing stored");
    let listed = nina
        .get(&format!("/api/v1/brands/{northwind}/cases?q={good}"))
        .await
        .json();
    assert_eq!(listed["cases"], json!([]), "{listed}");
}

#[tokio::test]
async fn the_bulk_template_offers_the_brands_rights_and_the_reason_codes() {
    let _c = CLOCK.read().await;
    let nina = Caller::login("nina@northwind.test").await;
    let northwind = brand_id("Northwind").await;
    let template = nina
        .get(&format!("/api/v1/brands/{northwind}/reports/template.csv"))
        .await;
    assert_eq!(template.status, 200, "{}", template.text);
    let text = template.text;
    assert!(
        text.starts_with("listing,ip_right,reason,statement,evidence_urls\r\n"),
        "{text}"
    );
    // An example row with the brand's verified right; no other brand's right.
    assert!(
        text.contains("<listing id>,US-TM-5123456,counterfeit,"),
        "{text}"
    );
    assert!(text.contains("# ip_right:"), "{text}");
    assert!(text.contains("US-TM-5123456 (trademark · US)"), "{text}");
    assert!(
        !text.contains("EUTM-018234567"),
        "another brand's right: {text}"
    );
    for code in [
        "counterfeit",
        "trademark_misuse",
        "copyright",
        "design_right",
        "patent",
    ] {
        assert!(text.contains(&format!("#   {code}: ")), "{code}: {text}");
    }
    // Sent back as downloaded, the examples are refused by their listing alone: nothing filed.
    let refused = read(
        nina.request("POST", &format!("/api/v1/brands/{northwind}/reports/bulk"))
            .header("content-type", "text/csv")
            .body(text.clone()),
    )
    .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    let rows = refused.json()["error"]["rows"].clone();
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .all(|r| r["column"] == "listing"),
        "{rows}"
    );
    // With its listing ids filled in, every example row passes its checks: only a bad row
    // added at the end (which keeps the test from filing anything) is refused.
    let prefix = unique("MKT-TPL");
    let mut n = 0;
    let mut filled: String = text
        .split_inclusive('\n')
        .map(|line| {
            if line.contains("<listing id>") && !line.trim_start_matches('"').starts_with('#') {
                n += 1;
                line.replace("<listing id>", &format!("{prefix}-{n}"))
            } else {
                line.to_owned()
            }
        })
        .collect();
    assert!(n >= 1, "{text}");
    filled.push_str(&format!(
        "{prefix}-bad,US-TM-5123456,counterfeit,too short,\r\n"
    ));
    let last_line = filled.lines().count() as i64;
    let refused = read(
        nina.request("POST", &format!("/api/v1/brands/{northwind}/reports/bulk"))
            .header("content-type", "text/csv")
            .body(filled),
    )
    .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    let rows = refused.json()["error"]["rows"].clone();
    assert_eq!(rows.as_array().unwrap().len(), 1, "{rows}");
    assert_eq!(rows[0]["line"], last_line, "{rows}");
    assert_eq!(rows[0]["column"], "statement", "{rows}");
}

/// The test configuration's read route (`POST /api/__test/read`) reads and never writes.
#[tokio::test]
async fn the_tests_read_route_runs_one_select_and_nothing_else() {
    let read = |sql: &'static str| async move {
        Caller::anonymous()
            .send(
                "POST",
                "/api/__test/read",
                Some(serde_json::json!({ "sql": sql })),
            )
            .await
    };
    assert_eq!(read("SELECT 1 AS n").await.json()["results"][0]["n"], 1);
    for sql in [
        "DELETE FROM brands",
        "SELECT 1; DELETE FROM brands",
        "UPDATE users SET display_name = 'x'",
        "WITH b AS (SELECT 1) DELETE FROM brands",
    ] {
        let a = read(sql).await;
        assert_eq!(a.status, 400, "{sql}: {}", a.text);
    }
    assert!(d1_count("SELECT count(*) AS n FROM brands").await > 0);
}

/// The read route binds parameters, and explains any one statement without running it (the
/// plan catalogue's test, `tests/tests/plans.rs`).
#[tokio::test]
async fn the_tests_read_route_binds_parameters_and_explains_without_running() {
    use jf_core::store::Value as V;
    let rows = d1_rows_with(
        "SELECT ?1 AS a, ?2 AS b, ?3 AS c",
        &[V::Int(1_790_000_000_000), V::Text("x".into()), V::Null],
    )
    .await;
    assert_eq!(rows[0]["a"], 1_790_000_000_000i64, "{rows:?}");
    assert_eq!(rows[0]["b"], "x", "{rows:?}");
    assert!(rows[0]["c"].is_null(), "{rows:?}");
    let brands = d1_count("SELECT count(*) AS n FROM brands").await;
    let plan = d1_rows_with(
        "EXPLAIN QUERY PLAN DELETE FROM brands WHERE name = ?1",
        &[V::Text("x".into())],
    )
    .await;
    assert!(
        plan.iter()
            .any(|r| r["detail"].as_str().is_some_and(|d| d.contains("brands"))),
        "{plan:?}"
    );
    assert_eq!(d1_count("SELECT count(*) AS n FROM brands").await, brands);
    let refused = Caller::anonymous()
        .send(
            "POST",
            "/api/__test/read",
            Some(serde_json::json!({ "sql": "EXPLAIN QUERY PLAN SELECT 1; DELETE FROM brands" })),
        )
        .await;
    assert_eq!(refused.status, 400, "{}", refused.text);
}
