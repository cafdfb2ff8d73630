//! Appeals, arbitration, retraction, deadlines, good standing at its threshold, repeat
//! infringers, API keys, brand webhooks and reminders, against SQLite with the real migrations.

mod support;

use jf_core::access::{Actor, KeyScope, Membership, Person};
use jf_core::api::*;
use jf_core::case::Status;
use jf_core::cases::{self, Decision};
use jf_core::clock::{Entropy, FixedClock, SeededEntropy, DAY, HOUR, MINUTE};
use jf_core::identity::Deps;
use jf_core::ids::{BrandId, CaseId, IpRightId, UserId};
use jf_core::ports::{DeliveryFailure, WebhookClient};
use jf_core::store::{query, Db, Stmt};
use jf_core::types::{BrandRole, Email, ProgrammeStatus, StaffRole};
use jf_core::{integrations, jobs, marketplace, sql, Error};
use serde_json::json;
use support::{block_on, FakeMarket, Sqlite};

const T0: i64 = 1_790_000_000_000;

struct World {
    db: Sqlite,
    clock: FixedClock,
    entropy: SeededEntropy,
    market: FakeMarket,
}

struct Brand {
    id: BrandId,
    reference: String,
    admin: Actor,
    viewer: Actor,
    manager: Actor,
}

fn person(
    id: UserId,
    staff: Option<StaffRole>,
    memberships: Vec<Membership>,
    managed: Vec<BrandId>,
) -> Actor {
    Actor::Person(Person {
        user_id: id,
        display_name: "P".into(),
        staff_role: staff,
        memberships,
        managed_brands: managed,
    })
}

impl World {
    fn new() -> Self {
        World {
            db: Sqlite::migrated(),
            clock: FixedClock::at(T0),
            entropy: SeededEntropy::default(),
            market: FakeMarket::default(),
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
    fn exec(&self, stmts: Vec<Stmt>) {
        block_on(self.db.batch(stmts)).unwrap();
    }
    fn brand(&self, name: &str) -> Brand {
        let id = BrandId(self.entropy.uuid());
        let reference = format!("BR-{}", name.to_uppercase());
        let (admin, viewer, mgr) = (
            UserId(self.entropy.uuid()),
            UserId(self.entropy.uuid()),
            UserId(self.entropy.uuid()),
        );
        let email =
            |who: &str| Email::parse(&format!("{who}@{}.test", name.to_lowercase())).unwrap();
        self.exec(vec![
            sql::insert_brand(id, name, &reference, T0),
            sql::set_programme(id, ProgrammeStatus::Enrolled, Some("SHOP"), false, None),
            sql::insert_user(admin, &email("admin"), "Admin", None, None, T0),
            sql::insert_user(viewer, &email("viewer"), "Viewer", None, None, T0),
            sql::insert_user(
                mgr,
                &email("am"),
                "Manager",
                None,
                Some(StaffRole::AccountManager),
                T0,
            ),
            sql::insert_membership(admin, id, BrandRole::BrandAdmin, T0),
            sql::insert_membership(viewer, id, BrandRole::BrandViewer, T0),
            sql::set_brand_manager(id, mgr),
        ]);
        Brand {
            id,
            reference,
            admin: person(
                admin,
                None,
                vec![Membership {
                    brand_id: id,
                    role: BrandRole::BrandAdmin,
                }],
                vec![],
            ),
            viewer: person(
                viewer,
                None,
                vec![Membership {
                    brand_id: id,
                    role: BrandRole::BrandViewer,
                }],
                vec![],
            ),
            manager: person(mgr, Some(StaffRole::AccountManager), vec![], vec![id]),
        }
    }
    /// A case of `b` in `status`, for `seller`, reached by inserting it there directly.
    fn case_in(&self, b: &Brand, status: Status, seller: &str, deadline: Option<i64>) -> CaseId {
        let id = CaseId(self.entropy.uuid());
        let listing = format!("L-{}", id.0.simple());
        let case = sql::NewCase {
            id,
            listing_id: listing.clone(),
            lane: Some("auto"),
            title: format!("Listing {listing}"),
            seller_id: Some(seller.into()),
            seller_name: format!("Seller {seller}"),
            deadline_at: deadline,
            ..support::new_case(0, status.as_str())
        };
        let snap = support::snapshot(&listing, "t", seller);
        let mut stmts =
            sql::upsert_listings(&format!("[{}]", serde_json::to_string(&snap).unwrap()), T0);
        stmts.extend(sql::insert_cases(
            b.id,
            &serde_json::to_string(&[case]).unwrap(),
            &cases::Mover::MARKETPLACE,
            self.clock.0.get(),
        ));
        self.exec(stmts);
        id
    }
    fn appeal(&self, b: &Brand, case: CaseId) {
        let c = block_on(sql::case(&self.db, b.id, case)).unwrap().unwrap();
        let body = json!({ "type": "appeal.filed", "timestamp": "t", "data": { "appeal_id": format!("AP-{}", case.0.simple()),
            "brand_ref": b.reference, "listing_id": c.listing_id, "seller": { "seller_id": "S-1", "name": "Seller" },
            "statement": "This is my own design.", "evidence_urls": ["https://seller.example/invoice.pdf"] } });
        let id = format!("msg_{}", case.0.simple());
        let (receipt, _) = block_on(marketplace::receive(
            &self.deps(),
            &id,
            body.to_string().as_bytes(),
        ))
        .unwrap();
        assert_eq!(receipt, marketplace::Receipt::Applied);
    }
    fn decide(
        &self,
        actor: &Actor,
        b: &Brand,
        case: CaseId,
        d: Decision,
    ) -> Result<CaseView, Error> {
        block_on(cases::decide(&self.deps(), actor, b.id, case, d)).map(|(v, _)| v)
    }
    fn actions(&self, case: CaseId) -> Vec<String> {
        block_on(sql::actions_of_case(&self.db, case))
            .unwrap()
            .into_iter()
            .map(|a| a.kind)
            .collect()
    }
    fn view(&self, b: &Brand, case: CaseId) -> CaseView {
        block_on(cases::case_file(&self.deps(), &b.viewer, b.id, case)).unwrap()
    }
}

fn respond(decision: &str, reason: Option<&str>) -> Decision {
    Decision::AppealResponse(AppealResponseRequest {
        decision: decision.into(),
        reason: reason.map(str::to_owned),
    })
}

#[test]
fn appeals_are_upheld_retracted_or_escalated_and_arbitrated() {
    let w = World::new();
    let b = w.brand("Aurelia");
    let (c1, c2, c3, c4) = (
        w.case_in(&b, Status::TakenDown, "S-1", None),
        w.case_in(&b, Status::TakenDown, "S-2", None),
        w.case_in(&b, Status::TakenDown, "S-3", None),
        w.case_in(&b, Status::TakedownRequested, "S-4", None),
    );
    for c in [c1, c2, c3, c4] {
        w.appeal(&b, c);
    }
    let v = w.view(&b, c1);
    assert_eq!(v.status, Status::Appealed);
    assert_eq!(v.deadline_at, Some(T0 + 3 * DAY));
    assert_eq!(
        v.appeal.as_ref().unwrap().statement,
        "This is my own design."
    );
    assert_eq!(
        w.view(&b, c4).status,
        Status::Appealed,
        "an appeal before takedown.completed still lands"
    );
    let admin_view = block_on(cases::case_file(&w.deps(), &b.admin, b.id, c1)).unwrap();
    assert_eq!(
        admin_view.allowed,
        [
            CaseCommand::UpholdAppeal,
            CaseCommand::RetractOnAppeal,
            CaseCommand::Escalate
        ]
    );

    // Upholding needs a reason; the seller is told through appeal.decided.
    assert!(
        matches!(w.decide(&b.admin, &b, c1, respond("uphold", None)), Err(Error::Invalid { ref field, .. }) if field == "reason")
    );
    assert_eq!(
        w.decide(
            &b.admin,
            &b,
            c1,
            respond("uphold", Some("Test buy confirmed it is fake."))
        )
        .unwrap()
        .status,
        Status::Upheld
    );
    assert_eq!(w.actions(c1), ["appeal.decided"]);
    assert_eq!(
        w.decide(&b.admin, &b, c2, respond("retract", None))
            .unwrap()
            .status,
        Status::Reinstated
    );
    assert_eq!(w.actions(c2), ["listing.reinstate", "appeal.decided"]);
    assert_eq!(
        w.decide(&b.admin, &b, c3, respond("escalate", None))
            .unwrap()
            .status,
        Status::InArbitration
    );
    assert!(w.actions(c3).is_empty());
    let queue = block_on(cases::staff_queue(
        &w.deps(),
        &b.manager,
        Status::InArbitration,
    ))
    .unwrap();
    assert_eq!(queue.cases.len(), 1);
    assert!(!queue.cases[0].overdue);
    w.clock.advance(5 * DAY + 1);
    let queue = block_on(cases::staff_queue(
        &w.deps(),
        &b.manager,
        Status::InArbitration,
    ))
    .unwrap();
    assert!(queue.cases[0].overdue, "arbitration overdue after 5 days");
    // The brand cannot arbitrate its own escalation; the manager decides with a reason.
    let arbitrate = |d: &str, r: &str| {
        Decision::Arbitrate(ArbitrationRequest {
            decision: d.into(),
            reason: r.into(),
        })
    };
    assert_eq!(
        w.decide(&b.admin, &b, c3, arbitrate("uphold", "x"))
            .unwrap_err()
            .status(),
        403
    );
    assert_eq!(
        w.decide(&b.manager, &b, c3, arbitrate("reinstate", " "))
            .unwrap_err()
            .status(),
        400
    );
    let v = w
        .decide(
            &b.manager,
            &b,
            c3,
            arbitrate("reinstate", "The seller's invoice is genuine."),
        )
        .unwrap();
    assert_eq!(v.status, Status::Reinstated);
    assert!(v
        .events
        .last()
        .unwrap()
        .actor
        .contains("(account manager) for Aurelia"));
    assert_eq!(w.actions(c3), ["listing.reinstate", "appeal.decided"]);
    // Answering an appeal twice is illegal: 409 and nothing more written.
    assert_eq!(
        w.decide(&b.admin, &b, c1, respond("retract", None))
            .unwrap_err()
            .status(),
        409
    );
    assert_eq!(w.actions(c1), ["appeal.decided"]);
    // A bad decision word is a 400.
    assert_eq!(
        w.decide(&b.admin, &b, c4, respond("maybe", None))
            .unwrap_err()
            .status(),
        400
    );
}

#[test]
fn retractions_and_time_based_moves() {
    let w = World::new();
    let b = w.brand("Aurelia");
    let taken = w.case_in(&b, Status::TakenDown, "S-1", Some(T0 + 14 * DAY));
    let quiet = w.case_in(&b, Status::TakenDown, "S-2", Some(T0 + 14 * DAY));
    let appealed = w.case_in(&b, Status::TakenDown, "S-3", None);
    w.appeal(&b, appealed);

    assert_eq!(
        w.decide(
            &b.viewer,
            &b,
            taken,
            Decision::Retract(NoteRequest::default())
        )
        .unwrap_err()
        .status(),
        403
    );
    let v = w
        .decide(
            &b.admin,
            &b,
            taken,
            Decision::Retract(NoteRequest {
                note: Some("Our own stock".into()),
            }),
        )
        .unwrap();
    assert_eq!(v.status, Status::Reinstated);
    assert_eq!(w.actions(taken), ["listing.reinstate"]);

    // 3 days unanswered: the appealed listing comes back. 14 days unappealed: upheld.
    w.clock.advance(3 * DAY + 1);
    block_on(jobs::run(&w.deps(), &w.market)).unwrap();
    assert_eq!(w.view(&b, appealed).status, Status::Reinstated);
    assert_eq!(w.actions(appealed), ["listing.reinstate", "appeal.decided"]);
    assert_eq!(w.view(&b, quiet).status, Status::TakenDown);
    w.clock.advance(11 * DAY);
    block_on(jobs::run(&w.deps(), &w.market)).unwrap();
    assert_eq!(w.view(&b, quiet).status, Status::Upheld);
}

fn history(w: &World, b: &Brand, decided: usize, reinstated: usize) {
    let mut stmts = Vec::new();
    for i in 0..decided {
        let status = if i < reinstated {
            "reinstated"
        } else {
            "upheld"
        };
        stmts.push(Stmt::new(
            "INSERT INTO cases (id, brand_id, listing_id, origin, status, is_open, created_at, updated_at, decided_at)
             VALUES (?1, ?2, ?3, 'report', ?4, 0, ?5, ?5, ?5)",
            vec![CaseId(w.entropy.uuid()).into(), b.id.into(), format!("H-{i}").into(), status.into(), (T0 - DAY).into()],
        ));
    }
    w.exec(stmts);
}

#[test]
fn the_lane_switches_exactly_at_the_threshold() {
    let w = World::new();
    let lane = |b: &Brand| {
        block_on(cases::brand_stats(&w.deps(), &b.viewer, b.id))
            .unwrap()
            .lane
    };
    use jf_core::programme::Lane;
    let (a, b, c, d) = (w.brand("A"), w.brand("B"), w.brand("C"), w.brand("D"));
    history(&w, &a, 19, 19); // 19 decided: too few to judge
    history(&w, &b, 20, 1); // exactly 5%
    history(&w, &c, 20, 2); // 10%
    history(&w, &d, 40, 3); // 7.5%
    assert_eq!(lane(&a), Some(Lane::Auto));
    assert_eq!(lane(&b), Some(Lane::Auto));
    assert_eq!(lane(&c), Some(Lane::Review));
    assert_eq!(lane(&d), Some(Lane::Review));
    // A reinstatement through the API feeds the rule: B crosses the line with its next one.
    let case = w.case_in(&b, Status::TakenDown, "S-1", None);
    w.decide(
        &b.admin,
        &b,
        case,
        Decision::Retract(NoteRequest::default()),
    )
    .unwrap();
    let stats = block_on(cases::brand_stats(&w.deps(), &b.viewer, b.id)).unwrap();
    assert_eq!((stats.standing.decided, stats.standing.reinstated), (21, 2));
    assert_eq!(stats.lane, Some(Lane::Review));
    assert_eq!(stats.standing.revoked_until, Some(T0 + 90 * DAY));
    // 90 days on, the old decisions have left the window: the auto lane returns.
    w.clock.advance(90 * DAY);
    assert_eq!(lane(&b), Some(Lane::Auto));
}

#[test]
fn a_seller_with_three_upheld_cases_is_flagged_once() {
    let w = World::new();
    let (a, n) = (w.brand("Aurelia"), w.brand("Northwind"));
    let count = |sql_text: &'static str| {
        #[derive(serde::Deserialize)]
        struct N {
            n: i64,
        }
        block_on(query::<N>(&w.db, Stmt::new(sql_text, vec![]))).unwrap()[0].n
    };
    let upheld = |b: &Brand| {
        let c = w.case_in(b, Status::TakenDown, "S-REPEAT", None);
        w.appeal(b, c);
        w.decide(&b.admin, b, c, respond("uphold", Some("Fake.")))
            .unwrap();
    };
    upheld(&a);
    upheld(&n);
    assert_eq!(
        count("SELECT count(*) AS n FROM outbox WHERE kind = 'seller.flagged'"),
        0
    );
    upheld(&a);
    assert_eq!(
        count("SELECT count(*) AS n FROM outbox WHERE kind = 'seller.flagged'"),
        1
    );
    upheld(&n);
    assert_eq!(
        count("SELECT count(*) AS n FROM outbox WHERE kind = 'seller.flagged'"),
        1,
        "flagged once"
    );
    let payload = block_on(sql::actions_in_state(&w.db, "pending", 100)).unwrap();
    let flag = payload.iter().find(|a| a.kind == "seller.flagged").unwrap();
    assert!(
        flag.payload.contains("\"upheld_cases\":3"),
        "{}",
        flag.payload
    );

    // The brand sees its own cases against the seller; staff see all.
    let page = block_on(integrations::seller_page(
        &w.deps(),
        &a.viewer,
        Some(a.id),
        "S-REPEAT",
    ))
    .unwrap();
    assert!(page.repeat_infringer);
    assert_eq!(page.cases.len(), 2);
    assert!(page.cases.iter().all(|c| c.brand_id == a.id));
    let ops = person(
        UserId(w.entropy.uuid()),
        Some(StaffRole::Operator),
        vec![],
        vec![],
    );
    assert_eq!(
        block_on(integrations::seller_page(&w.deps(), &ops, None, "S-REPEAT"))
            .unwrap()
            .cases
            .len(),
        4
    );
    assert_eq!(
        block_on(integrations::seller_page(
            &w.deps(),
            &a.manager,
            None,
            "S-REPEAT"
        ))
        .unwrap()
        .cases
        .len(),
        2
    );
    let other = w.brand("Cobalt");
    let none = block_on(integrations::seller_page(
        &w.deps(),
        &other.viewer,
        Some(other.id),
        "S-REPEAT",
    ));
    assert_eq!(
        none.unwrap_err(),
        Error::NotFound,
        "no case against the seller: nothing to see"
    );
}

#[test]
fn api_keys_act_for_one_brand_with_their_scope() {
    let w = World::new();
    let b = w.brand("Aurelia");
    let create = |scope: &str| {
        block_on(integrations::create_key(
            &w.deps(),
            &b.admin,
            b.id,
            CreateApiKeyRequest {
                name: format!("{scope} key"),
                scope: scope.into(),
            },
        ))
        .unwrap()
    };
    assert_eq!(
        block_on(integrations::create_key(
            &w.deps(),
            &b.viewer,
            b.id,
            CreateApiKeyRequest {
                name: "x".into(),
                scope: "read".into()
            }
        ))
        .unwrap_err()
        .status(),
        403
    );
    let bad = block_on(integrations::create_key(
        &w.deps(),
        &b.admin,
        b.id,
        CreateApiKeyRequest {
            name: "x".into(),
            scope: "admin".into(),
        },
    ));
    assert!(matches!(bad, Err(Error::Invalid { ref field, .. }) if field == "scope"));
    let read = create("read");
    let write = create("read_write");
    assert!(read.secret.starts_with("jfk_"));
    let actor = |s: &str| block_on(integrations::actor_for_key(&w.deps(), s)).unwrap();
    assert_eq!(
        actor(&read.secret),
        Actor::ApiKey {
            brand_id: b.id,
            scope: KeyScope::Read
        }
    );
    assert_eq!(
        actor(&write.secret),
        Actor::ApiKey {
            brand_id: b.id,
            scope: KeyScope::ReadWrite
        }
    );
    assert_eq!(actor("jfk_not-a-key"), Actor::Anonymous);
    let listed = block_on(integrations::list_keys(&w.deps(), &b.admin, b.id)).unwrap();
    assert!(
        listed.keys.iter().all(|k| k.last_used_at.is_some()),
        "use is recorded"
    );
    assert!(
        !serde_json::to_string(&listed)
            .unwrap()
            .contains(&read.secret[8..]),
        "secrets are never listed"
    );
    block_on(integrations::revoke_key(
        &w.deps(),
        &b.admin,
        b.id,
        &read.key.id,
    ))
    .unwrap();
    assert_eq!(actor(&read.secret), Actor::Anonymous, "revoked at once");
}

#[test]
fn endpoint_urls_refuse_private_and_link_local_addresses() {
    let ok = |u: &str, dev: bool| integrations::check_endpoint_url(u, dev).is_ok();
    assert!(ok("https://hooks.brand.example/jointforce", false));
    assert!(
        ok("http://127.0.0.1:9000/hook", true),
        "loopback over http in local development"
    );
    for bad in [
        "http://hooks.brand.example/x",
        "http://127.0.0.1:9000/hook",
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://10.1.2.3/hook",
        "https://172.16.0.1/hook",
        "https://192.168.1.20/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[fe80::1]/hook",
        "https://[fd00::1]/hook",
        "https://[::1]/hook",
        "ftp://files.example/x",
        "not a url",
    ] {
        assert!(!ok(bad, false), "{bad} accepted");
    }
    assert!(
        !ok("https://10.1.2.3/hook", true),
        "private stays refused in development"
    );
}

/// One request a brand's endpoint received: URL, headers, body.
type Received = (String, Vec<(String, String)>, String);

#[derive(Default)]
struct Receiver {
    up: std::cell::Cell<bool>,
    got: std::cell::RefCell<Vec<Received>>,
}

impl WebhookClient for Receiver {
    async fn post(
        &self,
        url: &str,
        headers: &[(&str, String)],
        body: &str,
    ) -> Result<u16, DeliveryFailure> {
        if !self.up.get() {
            return Err(DeliveryFailure::ConnectionFailed);
        }
        let headers = headers
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        self.got
            .borrow_mut()
            .push((url.to_owned(), headers, body.to_owned()));
        Ok(200)
    }
}

/// Public endpoints only, secrets sealed under a test key.
fn webhook_settings() -> integrations::WebhookSettings {
    integrations::WebhookSettings {
        allow_loopback: false,
        keys: jf_core::endpoint_secret::SecretsKeys::parse(
            "test:am9pbnRmb3JjZS1uYXRpdmUtdGVzdC1rZXktMDAwMDE=",
        )
        .unwrap(),
    }
}

#[test]
fn brand_webhooks_are_signed_retried_and_logged() {
    let w = World::new();
    let b = w.brand("Aurelia");
    let settings = webhook_settings();
    let created = block_on(integrations::create_endpoint(
        &w.deps(),
        &b.admin,
        b.id,
        CreateEndpointRequest {
            url: "https://hooks.aurelia.example/jf".into(),
            events: vec!["case.status_changed".into(), "appeal.filed".into()],
        },
        &settings,
    ))
    .unwrap();
    let bad = block_on(integrations::create_endpoint(
        &w.deps(),
        &b.admin,
        b.id,
        CreateEndpointRequest {
            url: "https://hooks.aurelia.example/jf".into(),
            events: vec!["case.deleted".into()],
        },
        &settings,
    ));
    assert!(matches!(bad, Err(Error::Invalid { ref field, .. }) if field == "events"));
    let case = w.case_in(&b, Status::TakenDown, "S-1", None);
    w.appeal(&b, case);
    let rx = Receiver::default();
    // Down: attempts are logged with their errors and retried with backoff.
    assert_eq!(
        block_on(integrations::deliver_webhooks(&w.deps(), &rx, &settings)).unwrap(),
        0
    );
    let log = block_on(integrations::delivery_log(
        &w.deps(),
        &b.admin,
        b.id,
        &created.endpoint.id,
    ))
    .unwrap();
    assert_eq!(
        log.deliveries.len(),
        2,
        "case.status_changed and appeal.filed"
    );
    assert!(log
        .deliveries
        .iter()
        .all(|d| d.state == "pending" && d.attempt_log.len() == 1 && d.last_error.is_some()));
    rx.up.set(true);
    assert_eq!(
        block_on(integrations::deliver_webhooks(&w.deps(), &rx, &settings)).unwrap(),
        0,
        "not before the backoff"
    );
    w.clock.advance(MINUTE + 1);
    assert_eq!(
        block_on(integrations::deliver_webhooks(&w.deps(), &rx, &settings)).unwrap(),
        2
    );
    let log = block_on(integrations::delivery_log(
        &w.deps(),
        &b.admin,
        b.id,
        &created.endpoint.id,
    ))
    .unwrap();
    assert!(log
        .deliveries
        .iter()
        .all(|d| d.state == "delivered" && d.attempt_log.len() == 2 && d.last_status == Some(200)));
    // Each delivery verifies with a Standard Webhooks verifier and the secret shown at creation.
    let secret = jf_core::webhook::Secret::parse(&created.secret).unwrap();
    for (url, headers, body) in rx.got.borrow().iter() {
        assert_eq!(url, "https://hooks.aurelia.example/jf");
        let h = |n: &str| {
            headers
                .iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.as_str())
        };
        let ts: i64 = h("webhook-timestamp").unwrap().parse().unwrap();
        assert_eq!(
            jf_core::webhook::verify(
                &secret,
                h("webhook-id"),
                h("webhook-timestamp"),
                h("webhook-signature"),
                body.as_bytes(),
                ts
            ),
            Ok(())
        );
    }
    // Redelivery by hand sends it once more.
    let first = log.deliveries[0].id.clone();
    block_on(integrations::redeliver(&w.deps(), &b.admin, b.id, &first)).unwrap();
    assert_eq!(
        block_on(integrations::deliver_webhooks(&w.deps(), &rx, &settings)).unwrap(),
        1
    );
    // Another brand cannot read this log.
    let other = w.brand("Northwind");
    assert_eq!(
        block_on(integrations::delivery_log(
            &w.deps(),
            &other.admin,
            b.id,
            &created.endpoint.id
        ))
        .unwrap_err(),
        Error::NotFound
    );
}

#[test]
fn the_bell_lists_what_is_due() {
    let w = World::new();
    let b = w.brand("Aurelia");
    let soon = w.case_in(&b, Status::AwaitingBrand, "S-1", Some(T0 + 40 * HOUR));
    w.case_in(&b, Status::AwaitingBrand, "S-2", Some(T0 + 60 * HOUR));
    let appealed = w.case_in(&b, Status::TakenDown, "S-3", None);
    w.appeal(&b, appealed);
    let right = IpRightId(w.entropy.uuid());
    w.exec(vec![sql::insert_ip_right(&sql::NewIpRight {
        id: right,
        brand_id: b.id,
        kind: "trademark",
        registration_number: "TM-SOON",
        jurisdiction: "EU",
        classes: "",
        owner: "A",
        expires_at: Some(T0 + 20 * DAY),
        now: T0,
    })]);
    let bell = block_on(integrations::reminders(&w.deps(), &b.viewer, b.id)).unwrap();
    let kinds: Vec<(&str, Option<CaseId>)> = bell
        .reminders
        .iter()
        .map(|r| (r.kind.as_str(), r.case_id))
        .collect();
    assert_eq!(
        kinds,
        [("confirmation_due", Some(soon)), ("right_expiring", None)],
        "the appeal is due in 3 days, not 24 h"
    );
    w.clock.advance(2 * DAY + HOUR);
    let bell = block_on(integrations::reminders(&w.deps(), &b.viewer, b.id)).unwrap();
    assert!(bell
        .reminders
        .iter()
        .any(|r| r.kind == "appeal_due" && r.case_id == Some(appealed)));
}
