//! The audit log on wrangler dev: a scripted session leaves its entries, each reader sees what
//! is theirs (a brand's log without addresses), and no route can change an entry.

use jf_core::routes::{Method, ROUTES};
use jf_tests::*;
use serde_json::{json, Value};

fn kinds(log: &Value) -> Vec<String> {
    log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_scripted_session_is_in_the_log_and_each_reader_sees_their_part() {
    let aurelia = brand_id("Aurelia").await;
    let address = "203.0.113.77";
    let here = Caller::at(address);
    let failed = here.sign_in("alice@aurelia.test", "not the password").await;
    assert_eq!(failed.unwrap_err().status, 401);
    let alice = here
        .sign_in("alice@aurelia.test", DEMO_PASSWORD)
        .await
        .expect("sign-in");
    let since = alice.get("/api/v1/me/audit?limit=1").await.json()["entries"][0]["at"]
        .as_i64()
        .unwrap();

    // Invitations, keys and endpoints, each made and taken back.
    let invitee = format!("{}@aurelia.test", unique("audit-invitee"));
    let invited = invite(&alice, &aurelia, &invitee, "brand_agent").await;
    assert_eq!(invited.status, 201, "{}", invited.text);
    let invitation = invited.json()["invitation_id"].as_str().unwrap().to_owned();
    let gone = alice
        .send(
            "DELETE",
            &format!("/api/v1/brands/{aurelia}/invitations/{invitation}"),
            None,
        )
        .await;
    assert_eq!(gone.status, 204, "{}", gone.text);
    let key_name = unique("audit key");
    let key = alice
        .send(
            "POST",
            &format!("/api/v1/brands/{aurelia}/api-keys"),
            Some(json!({ "name": key_name, "scope": "read" })),
        )
        .await;
    assert_eq!(key.status, 201, "{}", key.text);
    let key_id = key.json()["key"]["id"].as_str().unwrap().to_owned();
    let revoked = alice
        .send(
            "DELETE",
            &format!("/api/v1/brands/{aurelia}/api-keys/{key_id}"),
            None,
        )
        .await;
    assert_eq!(revoked.status, 204, "{}", revoked.text);
    let endpoint = alice
        .send(
            "POST",
            &format!("/api/v1/brands/{aurelia}/webhook-endpoints"),
            Some(json!({ "url": "https://hooks.aurelia.example/audit", "events": ["case.status_changed"] })),
        )
        .await;
    assert_eq!(endpoint.status, 201, "{}", endpoint.text);
    let endpoint_id = endpoint.json()["endpoint"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let endpoint_path = format!("/api/v1/brands/{aurelia}/webhook-endpoints/{endpoint_id}");
    for (method, path) in [
        ("POST", format!("{endpoint_path}/disable")),
        ("POST", format!("{endpoint_path}/enable")),
        ("DELETE", endpoint_path.clone()),
    ] {
        let done = alice.send(method, &path, None).await;
        assert_eq!(done.status, 204, "{method} {path}: {}", done.text);
    }

    // The brand's log: these entries, Alice's sign-ins, no address anywhere.
    let log = alice
        .get(&format!(
            "/api/v1/brands/{aurelia}/audit?from={since}&limit=100"
        ))
        .await;
    assert_eq!(log.status, 200, "{}", log.text);
    let seen = kinds(&log.json());
    for kind in [
        "signed_in",
        "invitation_sent",
        "invitation_cancelled",
        "api_key_created",
        "api_key_revoked",
        "endpoint_created",
        "endpoint_disabled",
        "endpoint_enabled",
        "endpoint_deleted",
    ] {
        assert!(seen.iter().any(|k| k == kind), "{kind} in {seen:?}");
    }
    assert!(
        !log.text.contains(address),
        "a brand's log has no addresses"
    );
    assert!(log.json()["entries"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["address"].is_null()));
    let only = alice
        .get(&format!(
            "/api/v1/brands/{aurelia}/audit?kind=api_key_revoked&from={since}"
        ))
        .await
        .json();
    assert_eq!(kinds(&only), ["api_key_revoked"]);
    assert_eq!(only["entries"][0]["subject_id"], key_id.as_str());

    // Each entry names its subject as it is now: the key (revoked, still called what it was),
    // the invitation by its email.
    let about = |kind: &str, id: &str| -> Value {
        let entries = log.json()["entries"].as_array().unwrap().clone();
        let entry = entries
            .into_iter()
            .find(|e| e["kind"] == kind && e["subject_id"] == id);
        entry.unwrap_or_else(|| panic!("{kind} about {id}"))["subject_name"].clone()
    };
    assert_eq!(about("api_key_created", &key_id), key_name.as_str());
    assert_eq!(about("api_key_revoked", &key_id), key_name.as_str());
    // The endpoint was deleted since: it has no name left, and its entries keep its URL.
    assert_eq!(about("endpoint_created", &endpoint_id), Value::Null);
    let deleted = log.json()["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "endpoint_deleted" && e["subject_id"] == endpoint_id.as_str())
        .cloned()
        .expect("endpoint_deleted about the endpoint");
    assert_eq!(
        deleted["details"]["url"],
        "https://hooks.aurelia.example/audit"
    );
    assert_eq!(about("invitation_cancelled", &invitation), invitee.as_str());
    // A member's sign-in is about the member, who is the one signing in: the same name.
    let sign_ins: Vec<Value> = log.json()["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "signed_in")
        .cloned()
        .collect();
    assert!(!sign_ins.is_empty());
    for e in &sign_ins {
        assert!(e["subject_name"].is_string(), "{e}");
        assert_eq!(e["subject_name"], e["actor_name"], "{e}");
    }

    // Alice's own sign-ins, with the address, the failed one included.
    let mine = alice.get("/api/v1/me/audit?limit=100").await.json();
    let from_here: Vec<&Value> = mine["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["address"] == address)
        .collect();
    assert!(from_here.iter().any(|e| e["kind"] == "signed_in"));
    assert!(from_here.iter().any(|e| e["kind"] == "sign_in_failed"));

    // Operators read everything, addresses included; a viewer and an agent read nothing.
    let ops = Caller::login("ops@marketplace.test").await;
    let all = ops
        .get(&format!("/api/v1/admin/audit?from={since}&limit=100"))
        .await;
    assert_eq!(all.status, 200, "{}", all.text);
    assert!(all.text.contains(address));
    let vera = Caller::login("vera@aurelia.test").await;
    assert_eq!(
        vera.get(&format!("/api/v1/brands/{aurelia}/audit"))
            .await
            .status,
        403
    );
    assert_eq!(vera.get("/api/v1/admin/audit").await.status, 404);
    let bad = ops.get("/api/v1/admin/audit?kind=everything").await;
    assert_eq!(bad.status, 400, "{}", bad.text);
}

#[tokio::test]
async fn no_route_changes_an_entry() {
    let aurelia = brand_id("Aurelia").await;
    let audit_routes: Vec<_> = ROUTES
        .iter()
        .filter(|r| r.path.contains("/audit"))
        .collect();
    assert_eq!(audit_routes.len(), 5, "three reads and two CSV exports");
    assert!(audit_routes.iter().all(|r| r.method == Method::Get));
    let ops = Caller::login("ops@marketplace.test").await;
    let first = ops.get("/api/v1/admin/audit?limit=1").await.json()["entries"][0].clone();
    let entry = first["id"].as_str().unwrap().to_owned();
    for path in [
        format!("/api/v1/brands/{aurelia}/audit"),
        "/api/v1/me/audit".to_owned(),
        "/api/v1/admin/audit".to_owned(),
    ] {
        for method in ["POST", "PUT", "PATCH", "DELETE"] {
            let a = ops.send(method, &path, Some(json!({}))).await;
            assert_eq!(a.status, 405, "{method} {path}: {}", a.text);
            let a = ops.send(method, &format!("{path}/{entry}"), None).await;
            assert_eq!(a.status, 404, "{method} {path}/{{id}}: {}", a.text);
        }
    }
    // The entry is as it was (other tests may have written newer ones meanwhile).
    let at = first["at"].as_i64().unwrap();
    let page = ops
        .get(&format!(
            "/api/v1/admin/audit?from={at}&to={}&limit=100",
            at + 1
        ))
        .await
        .json();
    let still = page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == entry.as_str())
        .cloned();
    assert_eq!(still, Some(first));
}
