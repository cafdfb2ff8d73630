//! Brand webhook endpoints against SQLite with the real migrations: addresses checked when
//! registered and again when sent to, secrets sealed at rest (and old plaintext ones sealed by the
//! cron), and a delivery log that keeps only a failure's class.

mod support;

use jf_core::access::{Actor, Membership, Person};
use jf_core::api::*;
use jf_core::clock::{Entropy, FixedClock, SeededEntropy};
use jf_core::endpoint_secret::SecretsKeys;
use jf_core::identity::Deps;
use jf_core::ids::{BrandId, UserId};
use jf_core::integrations::{self, WebhookSettings};
use jf_core::ports::{DeliveryFailure, WebhookClient};
use jf_core::store::{query, Db, Row, Stmt};
use jf_core::types::{BrandRole, Email, ProgrammeStatus};
use jf_core::webhook::Secret;
use jf_core::{sql, Error};
use std::cell::{Cell, RefCell};
use support::{block_on, Sqlite};

const T0: i64 = 1_790_000_000_000;
const KEY: &str = "k2:am9pbnRmb3JjZS1uYXRpdmUtdGVzdC1rZXktMDAwMDE=";
const OLD_KEY: &str = "k1:am9pbnRmb3JjZS1sb2NhbC1kZXYtZW5kcG9pbnRzMDE=";

struct World {
    db: Sqlite,
    clock: FixedClock,
    entropy: SeededEntropy,
    brand: BrandId,
    admin: Actor,
    admin_id: UserId,
}

impl World {
    fn new() -> Self {
        let (db, entropy) = (Sqlite::migrated(), SeededEntropy::default());
        let (brand, admin_id) = (BrandId(entropy.uuid()), UserId(entropy.uuid()));
        let email = Email::parse("admin@aurelia.test").unwrap();
        block_on(db.batch(vec![
            sql::insert_brand(brand, "Aurelia", "BR-AURELIA", T0),
            sql::set_programme(brand, ProgrammeStatus::Enrolled, Some("SHOP"), false, None),
            sql::insert_user(admin_id, &email, "Admin", None, None, T0),
            sql::insert_membership(admin_id, brand, BrandRole::BrandAdmin, T0),
        ]))
        .unwrap();
        let admin = Actor::Person(Person {
            user_id: admin_id,
            display_name: "Admin".into(),
            staff_role: None,
            memberships: vec![Membership {
                brand_id: brand,
                role: BrandRole::BrandAdmin,
            }],
            managed_brands: vec![],
        });
        World {
            db,
            clock: FixedClock::at(T0),
            entropy,
            brand,
            admin,
            admin_id,
        }
    }

    fn deps(&self) -> Deps<'_, Sqlite> {
        Deps {
            db: &self.db,
            clock: &self.clock,
            entropy: &self.entropy,
            address: None,
        }
    }

    fn rows(&self, sql: &'static str) -> Vec<Row> {
        block_on(query::<Row>(&self.db, Stmt::new(sql, vec![]))).unwrap()
    }

    fn create(&self, url: &str, settings: &WebhookSettings) -> jf_core::Result<CreatedEndpoint> {
        block_on(integrations::create_endpoint(
            &self.deps(),
            &self.admin,
            self.brand,
            CreateEndpointRequest {
                url: url.into(),
                events: vec!["case.status_changed".into()],
            },
            settings,
        ))
    }

    /// An endpoint row written directly, as an older version (or a hand edit) left it.
    fn stored_endpoint(&self, id: &str, url: &str, secret: &str) {
        block_on(self.db.batch(vec![sql::insert_endpoint(
            id,
            self.brand,
            url,
            r#"["case.status_changed"]"#,
            secret,
            self.admin_id,
            T0,
        )]))
        .unwrap();
    }

    /// One `case.status_changed` for every subscribed endpoint of the brand.
    fn event(&self) {
        block_on(self.db.batch(vec![sql::enqueue_event(
            self.brand,
            "case.status_changed",
            r#"{"type":"case.status_changed","timestamp":"2026-09-21T00:00:00Z","data":{}}"#,
            self.clock.0.get(),
        )]))
        .unwrap();
    }

    fn deliver(&self, client: &FakeEndpoint, settings: &WebhookSettings) -> jf_core::Result<usize> {
        block_on(integrations::deliver_webhooks(
            &self.deps(),
            client,
            settings,
        ))
    }

    fn log(&self, endpoint_id: &str) -> DeliveryLog {
        block_on(integrations::delivery_log(
            &self.deps(),
            &self.admin,
            self.brand,
            endpoint_id,
        ))
        .unwrap()
    }

    fn listed(&self) -> Vec<EndpointView> {
        block_on(integrations::list_endpoints(
            &self.deps(),
            &self.admin,
            self.brand,
        ))
        .unwrap()
        .endpoints
    }
}

fn settings(allow_loopback: bool) -> WebhookSettings {
    WebhookSettings {
        allow_loopback,
        keys: SecretsKeys::parse(KEY).unwrap(),
    }
}

/// One request an endpoint received: URL, headers, body.
type Received = (String, Vec<(String, String)>, String);

/// A brand's endpoint as the fetch would reach it: answers `outcome`, remembers what it got.
struct FakeEndpoint {
    outcome: Cell<Result<u16, DeliveryFailure>>,
    got: RefCell<Vec<Received>>,
}

impl FakeEndpoint {
    fn answering(outcome: Result<u16, DeliveryFailure>) -> Self {
        FakeEndpoint {
            outcome: Cell::new(outcome),
            got: RefCell::default(),
        }
    }
    fn urls(&self) -> Vec<String> {
        self.got
            .borrow()
            .iter()
            .map(|(u, _, _)| u.clone())
            .collect()
    }
}

impl WebhookClient for FakeEndpoint {
    async fn post(
        &self,
        url: &str,
        headers: &[(&str, String)],
        body: &str,
    ) -> Result<u16, DeliveryFailure> {
        let headers = headers
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        self.got
            .borrow_mut()
            .push((url.to_owned(), headers, body.to_owned()));
        self.outcome.get()
    }
}

/// Whether every request `rx` got verifies with `secret` (Standard Webhooks).
fn all_verify(rx: &FakeEndpoint, secret: &Secret) -> bool {
    rx.got.borrow().iter().all(|(_, headers, body)| {
        let h = |n: &str| {
            headers
                .iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.as_str())
        };
        let ts: i64 = h("webhook-timestamp").unwrap().parse().unwrap();
        jf_core::webhook::verify(
            secret,
            h("webhook-id"),
            h("webhook-timestamp"),
            h("webhook-signature"),
            body.as_bytes(),
            ts,
        )
        .is_ok()
    })
}

/// No column of any `webhook_endpoints` row holds a plaintext secret.
fn no_plaintext_secret(w: &World) -> bool {
    w.rows("SELECT * FROM webhook_endpoints")
        .iter()
        .flat_map(|row| row.values())
        .all(|v| !v.to_string().contains("whsec_"))
}

#[test]
fn a_new_endpoint_stores_its_secret_sealed_and_its_address_normalised() {
    let w = World::new();
    let created = w
        .create(" HTTPS://Hooks.Aurelia.Example:443/jf ", &settings(false))
        .unwrap();
    assert!(
        created.secret.starts_with("whsec_"),
        "shown once, in plaintext"
    );
    assert_eq!(created.endpoint.url, "https://hooks.aurelia.example/jf");
    assert!(no_plaintext_secret(&w));
    let stored = w.rows("SELECT id, secret FROM webhook_endpoints");
    let sealed = stored[0]["secret"].as_str().unwrap();
    assert!(sealed.starts_with("v1.k2."), "{sealed}");
    // It opens, for this endpoint, to the secret the brand was shown.
    let opened = settings(false)
        .keys
        .open(&created.endpoint.id, sealed)
        .unwrap();
    let shown = Secret::parse(&created.secret).unwrap();
    assert_eq!(opened.sign("m", 1, b"x"), shown.sign("m", 1, b"x"));
    // And deliveries are signed with it.
    w.event();
    let rx = FakeEndpoint::answering(Ok(204));
    assert_eq!(w.deliver(&rx, &settings(false)).unwrap(), 1);
    assert_eq!(rx.urls(), ["https://hooks.aurelia.example/jf"]);
    assert!(all_verify(&rx, &shown));
}

#[test]
fn disguised_private_addresses_are_refused_and_nothing_is_stored() {
    let w = World::new();
    for url in [
        "https://10.0.0.1\\@example.com/",
        "https://167772161/",
        "https://0x0a.0.0.1/",
        "https://10.1/",
        "https://10.0.0.1./",
        "https://%31%30.0.0.1/",
        "https://[0:0:0:0:0:ffff:a9fe:a9fe]/",
        "https://user:pw@example.com/",
        "http://example.com/",
        "https://localhost./",
        "https://a.localhost/",
        "https://[::1]/",
        "https://[fe80::1]/",
        "https://[64:ff9b::a00:1]/",
        "https://100.64.0.1/",
        "https://198.18.0.1/",
        "https://[2002:a00:1::]/",
        "https://[2001:0::1]/",
    ] {
        match w.create(url, &settings(true)) {
            Err(Error::Invalid { field, .. }) => assert_eq!(field, "url", "{url}"),
            other => panic!("{url}: {other:?}"),
        }
    }
    assert!(w.listed().is_empty());
    assert!(w.rows("SELECT id FROM webhook_endpoints").is_empty());
}

#[test]
fn a_stored_private_address_is_refused_at_send_time_without_a_call() {
    let w = World::new();
    let keys = SecretsKeys::parse(KEY).unwrap();
    let secret = Secret::from_bytes(b"an endpoint secret");
    for (id, url) in [
        ("ep-private", "https://10.0.0.1/hook"),
        ("ep-metadata", "https://169.254.169.254/latest/meta-data"),
        ("ep-public", "https://hooks.aurelia.example/jf"),
    ] {
        w.stored_endpoint(id, url, &keys.seal(&w.entropy, id, &secret).unwrap());
    }
    w.event();
    let rx = FakeEndpoint::answering(Ok(200));
    assert_eq!(w.deliver(&rx, &settings(false)).unwrap(), 1);
    assert_eq!(
        rx.urls(),
        ["https://hooks.aurelia.example/jf"],
        "no call to a refused address"
    );
    for id in ["ep-private", "ep-metadata"] {
        let log = w.log(id);
        let d = &log.deliveries[0];
        assert_eq!(d.state, "failed", "{id}: not retried");
        assert_eq!(d.last_error.as_deref(), Some("refused address"));
        assert_eq!(d.last_status, None);
        assert_eq!(d.attempt_log[0].error.as_deref(), Some("refused address"));
    }
    assert_eq!(w.log("ep-public").deliveries[0].state, "delivered");
}

#[test]
fn the_development_receiver_is_sent_to_only_with_the_loopback_setting() {
    let w = World::new();
    let created = w
        .create("http://127.0.0.1:9000/hook", &settings(true))
        .unwrap();
    w.event();
    let rx = FakeEndpoint::answering(Ok(200));
    // A deployment without the setting does not send to it, even though it is stored.
    assert_eq!(w.deliver(&rx, &settings(false)).unwrap(), 0);
    assert!(rx.urls().is_empty());
    let log = w.log(&created.endpoint.id);
    assert_eq!(
        log.deliveries[0].last_error.as_deref(),
        Some("refused address")
    );
    w.event();
    assert_eq!(w.deliver(&rx, &settings(true)).unwrap(), 1);
    assert_eq!(rx.urls(), ["http://127.0.0.1:9000/hook"]);
}

#[test]
fn the_delivery_log_keeps_a_failures_class_only() {
    let w = World::new();
    let created = w
        .create("https://hooks.aurelia.example/jf", &settings(false))
        .unwrap();
    for (outcome, class, status) in [
        (Err(DeliveryFailure::Timeout), "timeout", None),
        (
            Err(DeliveryFailure::ConnectionFailed),
            "connection failed",
            None,
        ),
        (Err(DeliveryFailure::Tls), "tls", None),
        (Ok(503), "HTTP 5xx", Some(503)),
        (Ok(404), "HTTP 4xx", Some(404)),
        (Ok(302), "HTTP 3xx", Some(302)),
        (Err(DeliveryFailure::Other), "other", None),
    ] {
        w.event();
        let rx = FakeEndpoint::answering(outcome);
        w.clock.advance(jf_core::clock::DAY);
        w.deliver(&rx, &settings(false)).unwrap();
        let log = w.log(&created.endpoint.id);
        let latest = log
            .deliveries
            .iter()
            .flat_map(|d| d.attempt_log.iter())
            .max_by_key(|a| a.at)
            .unwrap();
        assert_eq!(latest.error.as_deref(), Some(class));
        assert_eq!(latest.status, status);
    }
}

#[test]
fn a_plaintext_secret_is_not_used_to_sign_until_the_cron_seals_it() {
    let w = World::new();
    let plain = Secret::from_bytes(b"a secret from before sealing");
    w.stored_endpoint(
        "ep-plain",
        "https://hooks.aurelia.example/jf",
        &plain.encoded(),
    );
    w.event();
    let rx = FakeEndpoint::answering(Ok(200));
    assert_eq!(w.deliver(&rx, &settings(false)).unwrap(), 0);
    assert!(rx.urls().is_empty(), "held, not sent");
    let held = &w.log("ep-plain").deliveries[0];
    assert_eq!(held.state, "pending");
    assert!(held.attempt_log.is_empty(), "holding is not an attempt");
    let report = block_on(integrations::seal_endpoint_secrets(
        &w.deps(),
        &settings(false).keys,
    ))
    .unwrap();
    assert_eq!((report.sealed, report.unreadable), (1, 0));
    assert!(no_plaintext_secret(&w));
    // Once its lease runs out it goes out, signed with the secret the brand has had all along.
    w.clock.advance(3 * jf_core::clock::MINUTE);
    assert_eq!(w.deliver(&rx, &settings(false)).unwrap(), 1);
    assert!(all_verify(&rx, &plain));
}

#[test]
fn plaintext_and_old_key_secrets_are_sealed_by_the_cron_in_chunks() {
    let w = World::new();
    let plain = Secret::from_bytes(b"a secret from before sealing");
    // 60 endpoints from before secrets were sealed, and one sealed under the previous key.
    for n in 0..60 {
        w.stored_endpoint(
            &format!("ep-{n:02}"),
            "https://hooks.aurelia.example/jf",
            &plain.encoded(),
        );
    }
    let old = SecretsKeys::parse(OLD_KEY).unwrap();
    w.stored_endpoint(
        "ep-old",
        "https://hooks.aurelia.example/old",
        &old.seal(&w.entropy, "ep-old", &plain).unwrap(),
    );
    // The new key first, the previous one still there to open what it sealed.
    let rotated = SecretsKeys::parse(&format!("{KEY},{OLD_KEY}")).unwrap();
    let seal = || block_on(integrations::seal_endpoint_secrets(&w.deps(), &rotated)).unwrap();
    let first = seal();
    assert_eq!((first.sealed, first.unreadable), (50, 0), "one chunk a run");
    assert!(!no_plaintext_secret(&w));
    let second = seal();
    assert_eq!(
        (second.sealed, second.unreadable),
        (11, 0),
        "the rest, and ep-old under the new key"
    );
    assert!(no_plaintext_secret(&w));
    assert_eq!(seal().sealed, 0, "nothing left");
    let stored = w.rows("SELECT secret FROM webhook_endpoints");
    assert!(stored
        .iter()
        .all(|r| r["secret"].as_str().unwrap().starts_with("v1.k2.")));
    // The previous key can go now: everything is signed with the same secrets as before.
    w.event();
    let rx = FakeEndpoint::answering(Ok(200));
    let sent: usize = (0..3)
        .map(|_| w.deliver(&rx, &settings(false)).unwrap())
        .sum();
    assert_eq!(sent, 61);
    assert!(all_verify(&rx, &plain));
}

#[test]
fn a_secret_that_does_not_open_holds_its_delivery_and_says_so() {
    let w = World::new();
    let other_key = SecretsKeys::parse(OLD_KEY).unwrap();
    let secret = Secret::from_bytes(b"an endpoint secret");
    w.stored_endpoint(
        "ep-lost",
        "https://hooks.aurelia.example/lost",
        &other_key.seal(&w.entropy, "ep-lost", &secret).unwrap(),
    );
    w.stored_endpoint(
        "ep-fine",
        "https://hooks.aurelia.example/fine",
        &settings(false)
            .keys
            .seal(&w.entropy, "ep-fine", &secret)
            .unwrap(),
    );
    w.event();
    let rx = FakeEndpoint::answering(Ok(200));
    // The others are sent; the run then answers an internal error (the cron logs it).
    assert!(matches!(
        w.deliver(&rx, &settings(false)),
        Err(Error::Internal { .. })
    ));
    assert_eq!(rx.urls(), ["https://hooks.aurelia.example/fine"]);
    assert_eq!(w.log("ep-lost").deliveries[0].state, "pending");
    let report = block_on(integrations::seal_endpoint_secrets(
        &w.deps(),
        &settings(false).keys,
    ))
    .unwrap();
    assert_eq!((report.sealed, report.unreadable), (0, 1));
}

// ---------------------------------------------------------------- disable, enable, delete

/// Another brand with its own admin: Northwind.
fn other_brand(w: &World) -> (BrandId, Actor) {
    let (brand, admin_id) = (BrandId(w.entropy.uuid()), UserId(w.entropy.uuid()));
    let email = Email::parse("nina@northwind.test").unwrap();
    block_on(w.db.batch(vec![
        sql::insert_brand(brand, "Northwind", "BR-NORTHWIND", T0),
        sql::insert_user(admin_id, &email, "Nina", None, None, T0),
        sql::insert_membership(admin_id, brand, BrandRole::BrandAdmin, T0),
    ]))
    .unwrap();
    let admin = Actor::Person(Person {
        user_id: admin_id,
        display_name: "Nina".into(),
        staff_role: None,
        memberships: vec![Membership {
            brand_id: brand,
            role: BrandRole::BrandAdmin,
        }],
        managed_brands: vec![],
    });
    (brand, admin)
}

fn count(w: &World, sql: &'static str) -> i64 {
    w.rows(sql)[0]["n"].as_i64().unwrap()
}

/// The audit entries of a kind, as stored: (subject_id, details).
fn entries(w: &World, kind: &str) -> Vec<(String, serde_json::Value)> {
    w.rows("SELECT kind, subject_id, details FROM audit_log ORDER BY at, id")
        .into_iter()
        .filter(|r| r["kind"] == kind)
        .map(|r| {
            (
                r["subject_id"].as_str().unwrap_or_default().to_owned(),
                serde_json::from_str(r["details"].as_str().unwrap()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn deleting_an_endpoint_removes_it_and_its_log_in_one_batch_and_is_audited() {
    let w = World::new();
    // D1 enforces foreign keys: so does this database, so the order of the deletes is tested.
    w.db.0.execute_batch("PRAGMA foreign_keys = ON").unwrap();
    let keep = w
        .create("https://hooks.aurelia.example/keep", &settings(false))
        .unwrap();
    let gone = w
        .create("https://hooks.aurelia.example/gone", &settings(false))
        .unwrap();
    // Two events, each tried twice (one failure, then delivered): a log on both endpoints.
    w.event();
    w.event();
    w.deliver(&FakeEndpoint::answering(Ok(503)), &settings(false))
        .unwrap();
    w.clock.advance(jf_core::clock::DAY);
    w.deliver(&FakeEndpoint::answering(Ok(200)), &settings(false))
        .unwrap();
    assert_eq!(w.log(&gone.endpoint.id).deliveries.len(), 2);
    assert_eq!(count(&w, "SELECT count(*) AS n FROM webhook_attempts"), 8);

    block_on(integrations::delete_endpoint(
        &w.deps(),
        &w.admin,
        w.brand,
        &gone.endpoint.id,
    ))
    .unwrap();
    let listed: Vec<String> = w.listed().into_iter().map(|e| e.id).collect();
    assert_eq!(listed, vec![keep.endpoint.id.clone()]);
    assert_eq!(
        count(&w, "SELECT count(*) AS n FROM webhook_deliveries"),
        2,
        "only the other endpoint's deliveries are left"
    );
    assert_eq!(count(&w, "SELECT count(*) AS n FROM webhook_attempts"), 4);
    assert_eq!(w.log(&keep.endpoint.id).deliveries.len(), 2);
    // Its log is gone with it: asking for it is asking for nothing.
    assert_eq!(
        block_on(integrations::delivery_log(
            &w.deps(),
            &w.admin,
            w.brand,
            &gone.endpoint.id
        ))
        .unwrap_err(),
        Error::NotFound
    );
    // One entry, naming the URL the endpoint no longer can.
    let deleted = entries(&w, "endpoint_deleted");
    assert_eq!(deleted.len(), 1);
    assert_eq!(deleted[0].0, gone.endpoint.id);
    assert_eq!(deleted[0].1["url"], "https://hooks.aurelia.example/gone");
    assert_eq!(
        deleted[0].1["events"],
        serde_json::json!(["case.status_changed"])
    );
    // Deleting it again: not found, and nothing more recorded.
    assert_eq!(
        block_on(integrations::delete_endpoint(
            &w.deps(),
            &w.admin,
            w.brand,
            &gone.endpoint.id
        ))
        .unwrap_err(),
        Error::NotFound
    );
    assert_eq!(entries(&w, "endpoint_deleted").len(), 1);
}

#[test]
fn a_delivery_in_flight_when_its_endpoint_is_deleted_records_nothing() {
    /// Deletes the endpoint while the request is out, as a brand admin might.
    struct DeletingEndpoint<'a>(&'a World, String);
    impl WebhookClient for DeletingEndpoint<'_> {
        async fn post(
            &self,
            _url: &str,
            _headers: &[(&str, String)],
            _body: &str,
        ) -> Result<u16, DeliveryFailure> {
            let w = self.0;
            block_on(integrations::delete_endpoint(
                &w.deps(),
                &w.admin,
                w.brand,
                &self.1,
            ))
            .unwrap();
            Ok(500)
        }
    }
    let w = World::new();
    w.db.0.execute_batch("PRAGMA foreign_keys = ON").unwrap();
    let created = w
        .create("https://hooks.aurelia.example/jf", &settings(false))
        .unwrap();
    w.event();
    let rx = DeletingEndpoint(&w, created.endpoint.id.clone());
    assert_eq!(
        block_on(integrations::deliver_webhooks(
            &w.deps(),
            &rx,
            &settings(false)
        ))
        .unwrap(),
        0
    );
    assert_eq!(count(&w, "SELECT count(*) AS n FROM webhook_attempts"), 0);
    assert_eq!(count(&w, "SELECT count(*) AS n FROM webhook_deliveries"), 0);
}

#[test]
fn disable_and_enable_are_each_audited_once_and_enabled_endpoints_get_events_again() {
    let w = World::new();
    let created = w
        .create("https://hooks.aurelia.example/jf", &settings(false))
        .unwrap();
    let id = created.endpoint.id.clone();
    let disable = || {
        block_on(integrations::disable_endpoint(
            &w.deps(),
            &w.admin,
            w.brand,
            &id,
        ))
    };
    let enable = || {
        block_on(integrations::enable_endpoint(
            &w.deps(),
            &w.admin,
            w.brand,
            &id,
        ))
    };
    disable().unwrap();
    disable().unwrap();
    assert!(w.listed()[0].disabled_at.is_some());
    w.event();
    assert!(
        w.log(&id).deliveries.is_empty(),
        "nothing queued while disabled"
    );
    enable().unwrap();
    enable().unwrap();
    assert_eq!(w.listed()[0].disabled_at, None);
    w.event();
    assert_eq!(w.log(&id).deliveries.len(), 1, "events from now on");
    // Each change once: doing it again changed nothing and recorded nothing.
    assert_eq!(entries(&w, "endpoint_disabled").len(), 1);
    assert_eq!(entries(&w, "endpoint_enabled").len(), 1);
    assert_eq!(entries(&w, "endpoint_enabled")[0].0, id);
}

#[test]
fn another_brands_endpoint_cannot_be_deleted_disabled_or_enabled() {
    let w = World::new();
    let created = w
        .create("https://hooks.aurelia.example/jf", &settings(false))
        .unwrap();
    let id = created.endpoint.id.clone();
    block_on(integrations::disable_endpoint(
        &w.deps(),
        &w.admin,
        w.brand,
        &id,
    ))
    .unwrap();
    let (northwind, nina) = other_brand(&w);
    // Through her own brand (the id is not one of its endpoints), and through Aurelia's (a brand
    // she cannot see): not found either way.
    for brand in [northwind, w.brand] {
        let deps = w.deps();
        for outcome in [
            block_on(integrations::delete_endpoint(&deps, &nina, brand, &id)),
            block_on(integrations::enable_endpoint(&deps, &nina, brand, &id)),
            block_on(integrations::disable_endpoint(&deps, &nina, brand, &id)),
        ] {
            assert_eq!(outcome.unwrap_err(), Error::NotFound);
        }
    }
    assert_eq!(w.listed().len(), 1, "still there");
    assert!(w.listed()[0].disabled_at.is_some(), "still disabled");
    assert!(entries(&w, "endpoint_deleted").is_empty());
    assert!(entries(&w, "endpoint_enabled").is_empty());
}

#[test]
fn a_delivery_never_tried_is_not_sent_again_and_its_payload_is_in_the_log() {
    let w = World::new();
    let created = w
        .create("https://hooks.aurelia.example/jf", &settings(false))
        .unwrap();
    w.event();
    let d = w.log(&created.endpoint.id).deliveries[0].clone();
    assert_eq!((d.state.as_str(), d.attempts), ("pending", 0));
    // The envelope as JSON, not as a string holding JSON.
    assert_eq!(d.payload["type"], "case.status_changed");
    assert_eq!(d.payload["timestamp"], "2026-09-21T00:00:00Z");
    let again = || block_on(integrations::redeliver(&w.deps(), &w.admin, w.brand, &d.id));
    match again() {
        Err(Error::Conflict(why)) => {
            assert_eq!(
                why.reason(),
                Some(&jf_core::reasons::Reason::DeliveryNotTried)
            )
        }
        other => panic!("{other:?}"),
    }
    // Tried and failed: it may be sent again at once, without waiting for its backoff.
    w.deliver(&FakeEndpoint::answering(Ok(500)), &settings(false))
        .unwrap();
    let failed = w.log(&created.endpoint.id).deliveries[0].clone();
    assert!(failed.next_attempt_at > w.clock.0.get());
    again().unwrap();
    let rx = FakeEndpoint::answering(Ok(200));
    assert_eq!(w.deliver(&rx, &settings(false)).unwrap(), 1);
    assert_eq!(w.log(&created.endpoint.id).deliveries[0].state, "delivered");
}
