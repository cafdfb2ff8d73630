//! Identity under attack, against a real `wrangler dev`: no takeover through invitations, links
//! only by email, one throttle that stops guessers without locking owners out, the account
//! lifecycle, and uploads that must state their size.

use jf_tests::*;
use serde_json::json;

const PASSWORD: &str = "a long and private password";

/// A brand member of Aurelia with an account of their own (invited, accepted), and the session
/// the acceptance opened.
async fn new_member(prefix: &str, role: &str) -> (String, Caller) {
    let alice = Caller::login("alice@aurelia.test").await;
    let aurelia = brand_id("Aurelia").await;
    let email = format!("{}@aurelia.test", unique(prefix));
    assert_eq!(invite(&alice, &aurelia, &email, role).await.status, 201);
    let token = first_mail(&email).await.token();
    let accepted = Caller::anonymous()
        .send(
            "POST",
            &format!("/api/v1/invitations/{token}/accept"),
            Some(json!({ "display_name": "New Member", "password": PASSWORD })),
        )
        .await;
    assert_eq!(accepted.status, 200, "{}", accepted.text);
    let session = Caller::anonymous().with_session_of(&accepted);
    (email, session)
}

async fn create_user(ops: &Caller, email: &str, staff_role: Option<&str>) -> serde_json::Value {
    let created = ops
        .send(
            "POST",
            "/api/v1/admin/users",
            Some(json!({ "email": email, "display_name": "New Staff", "staff_role": staff_role })),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    created.json()
}

#[tokio::test]
async fn a_brand_admin_cannot_take_over_a_new_manager_or_operator_through_an_invitation() {
    let ops = Caller::login("ops@marketplace.test").await;
    let alice = Caller::login("alice@aurelia.test").await;
    let aurelia = brand_id("Aurelia").await;
    for role in ["account_manager", "operator"] {
        let email = format!("{}@marketplace.test", unique(role));
        let created = create_user(&ops, &email, Some(role)).await;
        assert!(!created.to_string().contains("/set-password/"));
        let set_password = first_mail(&email).await;
        // The attack of the issue: invite the pending staff account as a viewer and use the link.
        let refused = invite(&alice, &aurelia, &email, "brand_viewer").await;
        assert_eq!(refused.status, 422, "{}", refused.text);
        assert_eq!(
            refused.json()["error"]["message"],
            format!("{email} cannot be invited to a brand.")
        );
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        assert_eq!(mails_to(&email), 1, "only the set-password email went out");
        let members = alice
            .get(&format!("/api/v1/brands/{aurelia}/members"))
            .await
            .json();
        assert!(!members.to_string().contains(&email), "nothing stored");
        // The account's own link, from its own mailbox, is the one way in.
        let own = Caller::anonymous()
            .send(
                "POST",
                &format!("/api/v1/password-links/{}", set_password.token()),
                Some(json!({ "password": PASSWORD })),
            )
            .await;
        assert_eq!(own.status, 200, "{}", own.text);
        assert_eq!(own.json()["user"]["staff_role"], role);
    }
}

#[tokio::test]
async fn an_invitation_answers_no_link_and_never_checks_or_sets_an_existing_password() {
    let (email, _) = new_member("existing", "brand_viewer").await;
    let nina = Caller::login("nina@northwind.test").await;
    let northwind = brand_id("Northwind").await;
    let sent = invite(&nina, &northwind, &email, "brand_agent").await;
    assert_eq!(sent.status, 201, "{}", sent.text);
    let mail = mail_after(&email, 1).await;
    assert!(mail.link_path().starts_with("/invite/"));
    assert!(
        !sent.text.contains(&mail.token()),
        "the link is only in the email"
    );
    let token = mail.token();
    // Guessing the account's password through the link: nothing is checked, nothing signs in.
    let guesser = Caller::at("203.0.113.21");
    for password in ["wrong guess one", PASSWORD] {
        let tried = guesser
            .send(
                "POST",
                &format!("/api/v1/invitations/{token}/accept"),
                Some(json!({ "password": password })),
            )
            .await;
        assert_eq!(tried.status, 401, "{}", tried.text);
        assert!(session_cookie(&tried).is_none());
    }
    // Nor can anyone set a new password for the account with it.
    let reset = guesser
        .send(
            "POST",
            &format!("/api/v1/invitations/{token}/accept"),
            Some(json!({ "display_name": "Mallory", "password": "mallory's own password" })),
        )
        .await;
    assert_eq!(reset.status, 401);
    assert!(Caller::login_with(&email, "mallory's own password")
        .await
        .is_err());
    // Signed in as someone else: refused; as the account itself: joins with one click.
    let other = nina
        .send(
            "POST",
            &format!("/api/v1/invitations/{token}/accept"),
            Some(json!({})),
        )
        .await;
    assert_eq!(other.status, 403);
    let owner = Caller::login_with(&email, PASSWORD).await.unwrap();
    let view = owner
        .get(&format!("/api/v1/invitations/{token}"))
        .await
        .json();
    assert_eq!(view["account_exists"], true);
    assert_eq!(view["signed_in_as_invitee"], true);
    let joined = owner
        .send(
            "POST",
            &format!("/api/v1/invitations/{token}/accept"),
            Some(json!({})),
        )
        .await;
    assert_eq!(joined.status, 200, "{}", joined.text);
    let me = joined.json();
    let brands: Vec<&str> = me["memberships"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["brand_name"].as_str().unwrap())
        .collect();
    assert_eq!(brands, ["Aurelia", "Northwind"]);
}

#[tokio::test]
async fn guessing_links_from_one_address_meets_429() {
    let guesser = Caller::at("203.0.113.22");
    let mut statuses = Vec::new();
    for i in 0..55 {
        let path = if i % 2 == 0 {
            format!("/api/v1/invitations/{}/accept", unique("guess"))
        } else {
            format!("/api/v1/password-links/{}", unique("guess"))
        };
        statuses.push(
            guesser
                .send("POST", &path, Some(json!({ "password": "whatever it is" })))
                .await
                .status,
        );
    }
    assert!(statuses[..50].iter().all(|s| *s == 404), "{statuses:?}");
    assert!(statuses[50..].iter().all(|s| *s == 429), "{statuses:?}");
    let limited = guesser
        .get(&format!("/api/v1/invitations/{}", unique("guess")))
        .await;
    assert_eq!(limited.status, 429);
    assert!(limited.header("retry-after").is_some());
}

#[tokio::test]
async fn twenty_parallel_wrong_tries_meet_429_at_the_limit() {
    let (email, _) = new_member("parallel", "brand_viewer").await;
    let attacker = Caller::at("203.0.113.23");
    let tries = (0..20).map(|_| {
        let (attacker, email) = (attacker.clone(), email.clone());
        tokio::spawn(async move {
            attacker
                .sign_in(&email, "a wrong password")
                .await
                .unwrap_err()
                .status
        })
    });
    let mut statuses = Vec::new();
    for t in tries {
        statuses.push(t.await.unwrap());
    }
    statuses.sort();
    assert_eq!(
        statuses,
        [vec![401; 10], vec![429; 10]].concat(),
        "exactly ten wrong tries are checked"
    );
}

#[tokio::test]
async fn the_owner_signs_in_from_their_own_address_after_someone_elses_failures() {
    let (email, _) = new_member("owner", "brand_viewer").await;
    let attacker = Caller::at("203.0.113.24");
    for i in 0..12 {
        let status = attacker
            .sign_in(&email, "not the password")
            .await
            .unwrap_err()
            .status;
        assert_eq!(status, if i < 10 { 401 } else { 429 }, "try {i}");
    }
    // Even the right password waits at the attacker's address…
    assert_eq!(
        attacker.sign_in(&email, PASSWORD).await.unwrap_err().status,
        429
    );
    // …but not at the owner's.
    assert!(Caller::at("198.51.100.77")
        .sign_in(&email, PASSWORD)
        .await
        .is_ok());
}

#[tokio::test]
async fn two_parallel_accepts_of_one_invitation_one_wins() {
    let alice = Caller::login("alice@aurelia.test").await;
    let aurelia = brand_id("Aurelia").await;
    let email = format!("{}@aurelia.test", unique("race"));
    assert_eq!(
        invite(&alice, &aurelia, &email, "brand_agent").await.status,
        201
    );
    let token = first_mail(&email).await.token();
    let accept = |name: &'static str| {
        let path = format!("/api/v1/invitations/{token}/accept");
        tokio::spawn(async move {
            Caller::anonymous()
                .send(
                    "POST",
                    &path,
                    Some(json!({ "display_name": name, "password": PASSWORD })),
                )
                .await
                .status
        })
    };
    let (a, b) = (accept("First"), accept("Second"));
    let mut statuses = vec![a.await.unwrap(), b.await.unwrap()];
    statuses.sort();
    assert_eq!(statuses, [200, 409]);
    let members = alice
        .get(&format!("/api/v1/brands/{aurelia}/members"))
        .await
        .json();
    let found = members["members"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["email"] == email.as_str())
        .count();
    assert_eq!(found, 1);
}

#[tokio::test]
async fn people_see_their_sessions_and_end_them() {
    let (email, _) = new_member("sessions", "brand_viewer").await;
    let phone = Caller::at("2001:db8::42")
        .sign_in(&email, PASSWORD)
        .await
        .unwrap();
    let laptop = Caller::at("203.0.113.25")
        .sign_in(&email, PASSWORD)
        .await
        .unwrap();
    let list = laptop.get("/api/v1/me/sessions").await.json();
    let sessions = list["sessions"].as_array().unwrap();
    let mine = sessions.iter().find(|s| s["current"] == true).unwrap();
    assert_eq!(mine["address"], "203.0.113.25");
    let phone_session = sessions
        .iter()
        .find(|s| s["address"] == "2001:db8::42")
        .unwrap();
    // Another person cannot end it.
    let vera = Caller::login("vera@aurelia.test").await;
    let path = format!(
        "/api/v1/me/sessions/{}",
        phone_session["id"].as_str().unwrap()
    );
    assert_eq!(vera.send("DELETE", &path, None).await.status, 404);
    assert_eq!(phone.get("/api/v1/me").await.status, 200);
    assert_eq!(laptop.send("DELETE", &path, None).await.status, 204);
    assert_eq!(phone.get("/api/v1/me").await.status, 401);
    let third = Caller::anonymous().sign_in(&email, PASSWORD).await.unwrap();
    assert_eq!(
        laptop
            .send("POST", "/api/v1/me/sessions/end-others", None)
            .await
            .status,
        204
    );
    assert_eq!(third.get("/api/v1/me").await.status, 401);
    assert_eq!(laptop.get("/api/v1/me").await.status, 200);
}

#[tokio::test]
async fn the_account_lifecycle_has_its_effects() {
    let ops = Caller::login("ops@marketplace.test").await;
    let aurelia = brand_id("Aurelia").await;
    // A second brand admin of Aurelia, who invites someone and is invited elsewhere.
    let (email, admin) = new_member("lifecycle", "brand_admin").await;
    let invited = format!("{}@aurelia.test", unique("pending"));
    assert_eq!(
        invite(&admin, &aurelia, &invited, "brand_viewer")
            .await
            .status,
        201
    );
    let from_them = first_mail(&invited).await.token();
    let nina = Caller::login("nina@northwind.test").await;
    let northwind = brand_id("Northwind").await;
    assert_eq!(
        invite(&nina, &northwind, &email, "brand_viewer")
            .await
            .status,
        201
    );
    let to_them = mail_after(&email, 1).await.token();
    let key = admin
        .send(
            "POST",
            &format!("/api/v1/brands/{aurelia}/api-keys"),
            Some(json!({ "name": "lifecycle key", "scope": "read" })),
        )
        .await;
    assert_eq!(key.status, 201, "{}", key.text);
    let secret = key.json()["secret"].as_str().unwrap().to_owned();
    let users = ops.get("/api/v1/admin/users").await.json();
    let user_id = users["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == email.as_str())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Disable: sessions end at once, invitations from and to them are cancelled, keys stay.
    let disabled = ops
        .send(
            "POST",
            &format!("/api/v1/admin/users/{user_id}/disable"),
            None,
        )
        .await;
    assert_eq!(disabled.status, 200, "{}", disabled.text);
    assert_eq!(disabled.json()["disabled"], true);
    assert_eq!(admin.get("/api/v1/me").await.status, 401);
    assert_eq!(
        Caller::login_with(&email, PASSWORD)
            .await
            .unwrap_err()
            .status,
        401
    );
    for token in [&from_them, &to_them] {
        let link = Caller::anonymous()
            .get(&format!("/api/v1/invitations/{token}"))
            .await;
        assert_eq!(link.status, 404, "{}", link.text);
    }
    let by_key = read(
        Caller::anonymous()
            .request("GET", &format!("/api/v1/brands/{aurelia}/cases?limit=1"))
            .header("authorization", format!("Bearer {secret}")),
    )
    .await;
    assert_eq!(by_key.status, 200, "the brand's key keeps working");
    let alice = Caller::login("alice@aurelia.test").await;
    let keys = alice
        .get(&format!("/api/v1/brands/{aurelia}/api-keys"))
        .await
        .json();
    let listed = keys["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["name"] == "lifecycle key")
        .unwrap()
        .clone();
    assert_eq!(listed["created_by"]["disabled"], true, "{listed}");

    // Re-enable: the password works again.
    let enabled = ops
        .send(
            "POST",
            &format!("/api/v1/admin/users/{user_id}/enable"),
            None,
        )
        .await;
    assert_eq!(enabled.json()["disabled"], false);
    let again = Caller::login_with(&email, PASSWORD).await.unwrap();

    // A brand admin cancels an invitation: its link is dead.
    let later = format!("{}@aurelia.test", unique("cancelled"));
    let sent = invite(&again, &aurelia, &later, "brand_viewer")
        .await
        .json();
    let link = first_mail(&later).await.token();
    let cancel = again
        .send(
            "DELETE",
            &format!(
                "/api/v1/brands/{aurelia}/invitations/{}",
                sent["invitation_id"].as_str().unwrap()
            ),
            None,
        )
        .await;
    assert_eq!(cancel.status, 204, "{}", cancel.text);
    assert_eq!(
        Caller::anonymous()
            .get(&format!("/api/v1/invitations/{link}"))
            .await
            .status,
        404
    );

    // A removed member's access ends at their next request.
    let removed = alice
        .send(
            "DELETE",
            &format!("/api/v1/brands/{aurelia}/members/{user_id}"),
            None,
        )
        .await;
    assert_eq!(removed.status, 204, "{}", removed.text);
    assert_eq!(
        again
            .get(&format!("/api/v1/brands/{aurelia}/cases?limit=1"))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn removing_the_account_manager_role_leaves_the_brands_without_a_manager() {
    let ops = Caller::login("ops@marketplace.test").await;
    let email = format!("{}@marketplace.test", unique("am"));
    let created = create_user(&ops, &email, Some("account_manager")).await;
    let id = created["user"]["id"].as_str().unwrap().to_owned();
    let brand = ops
        .send(
            "POST",
            "/api/v1/admin/brands",
            Some(json!({ "name": unique("Brand"), "brand_ref": format!("BR-{}", unique("X").to_uppercase().replace('-', "")) })),
        )
        .await;
    assert_eq!(brand.status, 201, "{}", brand.text);
    let brand = brand.json()["id"].as_str().unwrap().to_owned();
    let assigned = ops
        .send(
            "PUT",
            &format!("/api/v1/admin/brands/{brand}/manager"),
            Some(json!({ "manager_id": id })),
        )
        .await;
    assert_eq!(assigned.json()["account_manager"]["email"], email.as_str());
    let removed = ops
        .send(
            "PUT",
            &format!("/api/v1/admin/users/{id}/staff-role"),
            Some(json!({ "staff_role": null })),
        )
        .await;
    assert_eq!(removed.status, 200, "{}", removed.text);
    assert_eq!(removed.json()["staff_role"], serde_json::Value::Null);
    let now = ops.get(&format!("/api/v1/brands/{brand}")).await.json();
    assert_eq!(now["account_manager"], serde_json::Value::Null);
}

#[tokio::test]
async fn forgot_password_answers_alike_and_emails_only_real_accounts() {
    let (email, _) = new_member("forgot", "brand_viewer").await;
    let nobody = format!("{}@aurelia.test", unique("nobody"));
    let asked = Caller::anonymous()
        .send(
            "POST",
            "/api/v1/auth/password-link",
            Some(json!({ "email": email })),
        )
        .await;
    let unknown = Caller::anonymous()
        .send(
            "POST",
            "/api/v1/auth/password-link",
            Some(json!({ "email": nobody })),
        )
        .await;
    assert_eq!((asked.status, unknown.status), (202, 202));
    assert_eq!(asked.text, unknown.text);
    let mail = mail_after(&email, 1).await;
    assert!(mail.link_path().starts_with("/set-password/"));
    assert_eq!(mails_to(&nobody), 0);
    let set = Caller::anonymous()
        .send(
            "POST",
            &format!("/api/v1/password-links/{}", mail.token()),
            Some(json!({ "password": "a freshly chosen password" })),
        )
        .await;
    assert_eq!(set.status, 200);
    assert!(Caller::login_with(&email, "a freshly chosen password")
        .await
        .is_ok());
    let twice = Caller::anonymous()
        .send(
            "POST",
            &format!("/api/v1/password-links/{}", mail.token()),
            Some(json!({ "password": "yet another password" })),
        )
        .await;
    assert_eq!(twice.status, 404);
}

/// A raw HTTP/1.1 request, for what a ready-made client will not send (a chunked upload).
async fn raw(request: String) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = base_url().trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&host).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut head = vec![0u8; 64];
    let n = stream.read(&mut head).await.unwrap();
    String::from_utf8_lossy(&head[..n])
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[tokio::test]
async fn uploads_must_state_their_size_and_json_bodies_are_capped() {
    let arjun = Caller::login("arjun@aurelia.test").await;
    let aurelia = brand_id("Aurelia").await;
    let cookie = arjun.cookie.clone().unwrap();
    let host = base_url().trim_start_matches("http://").to_owned();
    let chunked = format!(
        "POST /api/v1/brands/{aurelia}/reports/bulk HTTP/1.1\r\nHost: {host}\r\nOrigin: {}\r\n\
         Cookie: jf_session={cookie}\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\
         Connection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        base_url()
    );
    assert_eq!(raw(chunked).await, 411);
    // Any body must state its size, signed in or not: a chunked sign-in or webhook is refused
    // before a byte of it is read.
    for (path, extra) in [
        ("/api/v1/auth/login", String::new()),
        (
            "/api/v1/webhooks/marketplace",
            "webhook-id: msg_x\r\nwebhook-timestamp: 1\r\nwebhook-signature: v1,x\r\n".to_owned(),
        ),
    ] {
        let request = format!(
            "POST {path} HTTP/1.1\r\nHost: {host}\r\nOrigin: {}\r\n{extra}\
             Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\
             Connection: close\r\n\r\n2\r\n{{}}\r\n0\r\n\r\n",
            base_url()
        );
        assert_eq!(raw(request).await, 411, "{path}");
    }
    // A report sent as JSON is held to JSON's 64 KiB, though its multipart form may be larger.
    let report = arjun
        .send(
            "POST",
            &format!("/api/v1/brands/{aurelia}/reports"),
            Some(json!({ "listing": "x", "statement": "y".repeat(70 * 1024) })),
        )
        .await;
    assert_eq!(report.status, 413, "{}", report.text);
    let big = "x".repeat(65 * 1024);
    let too_big = arjun
        .send(
            "POST",
            "/api/v1/me/password",
            Some(json!({ "current_password": big, "new_password": "whatever it is" })),
        )
        .await;
    assert_eq!(too_big.status, 413, "{}", too_big.text);
    assert!(Caller::login("arjun@aurelia.test").await.cookie.is_some());
}
