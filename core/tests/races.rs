//! Races, against SQLite with the real migrations: moves that compete for one case (a brand's
//! decision, the cron's deadline, a marketplace event) run at once, statement by statement, in
//! every order and with every head start; exactly one of them moves the case, the others get a
//! 409 or do nothing, and two overlapping cron runs do each due thing once (docs/cases.md#races).

mod support;

use jf_core::access::{Actor, Membership, Person};
use jf_core::api::{AppealResponseRequest, ConfirmRequest, ReasonRequest};
use jf_core::case::Status;
use jf_core::cases::{self, Decision};
use jf_core::clock::{Entropy, FixedClock, SeededEntropy, DAY, HOUR, MINUTE};
use jf_core::identity::Deps;
use jf_core::ids::{BrandId, CaseId, IpRightId, UserId};
use jf_core::store::{query, Db, Row, Stmt};
use jf_core::types::{BrandRole, Email, ProgrammeStatus};
use jf_core::{integrations, jobs, marketplace, sql, Error};
use serde_json::json;
use support::{block_on, join_all, FakeMarket, Interleaved, Racer, Sqlite};

const T0: i64 = 1_790_000_000_000;
const BRAND_REF: &str = "BR-AURELIA";

/// One brand (enrolled, with a shop and a verified right) and its agent, on a fresh database.
struct World {
    db: Sqlite,
    clock: FixedClock,
    entropy: SeededEntropy,
    market: FakeMarket,
    brand: BrandId,
    right: IpRightId,
    agent: Actor,
    agent_id: UserId,
}

impl World {
    fn new() -> Self {
        let db = Sqlite::migrated();
        let entropy = SeededEntropy::default();
        let brand = BrandId(entropy.uuid());
        let right = IpRightId(entropy.uuid());
        let agent_id = UserId(entropy.uuid());
        let email = Email::parse("arjun@aurelia.test").unwrap();
        block_on(db.batch(vec![
            sql::insert_brand(brand, "Aurelia", BRAND_REF, T0),
            sql::set_programme(
                brand,
                ProgrammeStatus::Enrolled,
                Some("SHOP-1"),
                false,
                None,
            ),
            sql::insert_user(agent_id, &email, "Arjun Mehta", None, None, T0),
            sql::insert_membership(agent_id, brand, BrandRole::BrandAgent, T0),
            sql::insert_ip_right(&sql::NewIpRight {
                id: right,
                brand_id: brand,
                kind: "trademark",
                registration_number: "TM-AURELIA",
                jurisdiction: "EU",
                classes: "18",
                owner: "Aurelia",
                expires_at: None,
                now: T0,
            }),
            sql::review_ip_right(brand, right, "verified", None, agent_id, T0),
        ]))
        .unwrap();
        let agent = Actor::Person(Person {
            user_id: agent_id,
            display_name: "Arjun Mehta".into(),
            staff_role: None,
            memberships: vec![Membership {
                brand_id: brand,
                role: BrandRole::BrandAgent,
            }],
            managed_brands: vec![],
        });
        World {
            db,
            clock: FixedClock::at(T0),
            entropy,
            market: FakeMarket::default(),
            brand,
            right,
            agent,
            agent_id,
        }
    }

    /// The dependencies of the racers: every statement gives the others a turn first.
    fn racing<'a>(&'a self, db: &'a Interleaved<'a>) -> Deps<'a, Interleaved<'a>> {
        Deps {
            db,
            clock: &self.clock,
            entropy: &self.entropy,
            address: None,
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

    fn webhook(&self, id: &str, body: serde_json::Value) -> marketplace::Receipt {
        block_on(marketplace::receive(
            &self.deps(),
            id,
            body.to_string().as_bytes(),
        ))
        .unwrap()
        .0
    }

    /// A listing flagged for the brand: a case awaiting its confirmation.
    fn flagged(&self, listing: &str) -> CaseId {
        let r = self.webhook(&format!("msg_flag_{listing}"), flag(listing));
        assert_eq!(r, marketplace::Receipt::Applied);
        self.open_case(listing)
    }

    fn open_case(&self, listing: &str) -> CaseId {
        block_on(sql::open_case_for_listing(&self.db, self.brand, listing))
            .unwrap()
            .expect("an open case")
            .id
    }

    /// A flagged listing confirmed, taken down and appealed by its seller: a case awaiting the
    /// brand's answer to the appeal.
    fn appealed(&self, listing: &str) -> CaseId {
        let id = self.flagged(listing);
        block_on(cases::decide(
            &self.deps(),
            &self.agent,
            self.brand,
            id,
            self.confirm(),
        ))
        .unwrap();
        let takedown = &self.actions(id)[0];
        let done = json!({ "type": "takedown.completed", "timestamp": "t",
            "data": { "action_id": takedown.0, "listing_id": listing } });
        self.webhook(&format!("msg_done_{listing}"), done);
        let appeal = json!({ "type": "appeal.filed", "timestamp": "t", "data": {
            "appeal_id": format!("AP-{listing}"), "brand_ref": BRAND_REF, "listing_id": listing,
            "seller": { "seller_id": "S-77", "name": "Cheap Luxe" },
            "statement": "These are genuine goods.", "evidence_urls": [] } });
        let r = self.webhook(&format!("msg_appeal_{listing}"), appeal);
        assert_eq!(r, marketplace::Receipt::Applied);
        assert_eq!(self.status(id), Status::Appealed);
        id
    }

    fn confirm(&self) -> Decision {
        Decision::Confirm(ConfirmRequest {
            ip_right_id: self.right.to_string(),
            reason_code: "counterfeit".into(),
            note: None,
        })
    }

    fn status(&self, id: CaseId) -> Status {
        block_on(sql::case_by_id(&self.db, id))
            .unwrap()
            .unwrap()
            .status
    }

    fn events(&self, id: CaseId) -> Vec<sql::EventRecord> {
        block_on(sql::case_events(&self.db, id)).unwrap()
    }

    /// The case's outbox actions: (id, kind).
    fn actions(&self, id: CaseId) -> Vec<(String, String)> {
        block_on(sql::actions_of_case(&self.db, id))
            .unwrap()
            .into_iter()
            .map(|a| (a.id.to_string(), a.kind))
            .collect()
    }

    fn rows(&self, sql_text: &'static str, params: Vec<jf_core::store::Value>) -> Vec<Row> {
        block_on(query::<Row>(&self.db, Stmt::new(sql_text, params))).unwrap()
    }
}

fn flag(listing: &str) -> serde_json::Value {
    json!({ "type": "listing.flagged", "timestamp": "2026-11-28T10:00:00Z", "data": {
        "brand_ref": BRAND_REF,
        "listing": { "listing_id": listing, "url": format!("https://market.example/item/{listing}"),
                     "title": "Fake bag", "price": { "amount": "19.99", "currency": "EUR" },
                     "image_url": null, "seller": { "seller_id": "S-77", "name": "Cheap Luxe" } },
        "detection": { "score": 0.93, "signals": ["logo_mismatch"] } } })
}

/// Waits `turns` turns before running `f`: a racer that starts a few statements late.
async fn after<T>(turns: usize, f: impl std::future::Future<Output = T>) -> T {
    for _ in 0..turns {
        support::yield_now().await;
    }
    f.await
}

/// What a person's decision came to: "moved", or the 409's reason code.
fn decided<T>(r: jf_core::Result<T>) -> String {
    match r {
        Ok(_) => "moved".into(),
        Err(e @ Error::Conflict(_)) => {
            assert_eq!(e.status(), 409);
            let body = e.body();
            assert_eq!(body["error"]["code"], "conflict");
            format!(
                "409 {}",
                body["error"]["reason"].as_str().unwrap_or_default()
            )
        }
        Err(e) => panic!("not a conflict: {e:?}"),
    }
}

/// The history of a case agrees with itself and with its status: every move starts where the
/// previous one ended, at most one move reaches a final status (and it is the last), and the
/// status is where the last move ended.
fn assert_history_agrees(w: &World, id: CaseId, context: &str) {
    let events = w.events(id);
    let moves: Vec<_> = events.iter().filter(|e| e.to_status.is_some()).collect();
    for pair in moves.windows(2) {
        assert_eq!(
            pair[1].from_status, pair[0].to_status,
            "{context}: {} follows {} ({:?})",
            pair[1].kind, pair[0].kind, events
        );
    }
    let finals = moves
        .iter()
        .filter(|e| e.to_status.is_some_and(|s| !s.is_open()))
        .count();
    assert!(finals <= 1, "{context}: {finals} final moves: {events:?}");
    let seqs: Vec<i64> = events.iter().map(|e| e.seq).collect();
    assert_eq!(
        seqs,
        (1..=events.len() as i64).collect::<Vec<_>>(),
        "{context}"
    );
    assert_eq!(
        Some(w.status(id)),
        moves.last().and_then(|e| e.to_status),
        "{context}: the status is where the last move ended"
    );
}

/// The brand's confirmation and withdrawal, the cron's expiry and the marketplace's
/// `listing.removed` all at once on one flag past its deadline, in every order and head start:
/// one of them takes the case out of `awaiting_brand`, the other people get a 409 with its
/// reason, the cron and the webhook leave it, and only a confirmation writes an action.
#[test]
fn a_confirmation_a_withdrawal_the_deadline_and_a_removal_at_once_move_a_flag_once() {
    let mut winners = std::collections::BTreeSet::new();
    for first in 0..4 {
        for head_start in [0, 1, 2, 3, 5, 8] {
            let context = format!("racer {first} first by {head_start} turns");
            let w = World::new();
            let listing = format!("MKT-{first}-{head_start}");
            let id = w.flagged(&listing);
            w.clock.advance(7 * DAY + MINUTE);
            let db = Interleaved(&w.db);
            let deps = w.racing(&db);
            let removed = json!({ "type": "listing.removed", "timestamp": "t",
                "data": { "listing_id": listing, "reason": "seller_deleted" } })
            .to_string();
            let delay = |i: usize| if i == first { 0 } else { head_start };
            let racers: Vec<Racer<'_, String>> = vec![
                Box::pin(after(delay(0), async {
                    decided(cases::decide(&deps, &w.agent, w.brand, id, w.confirm()).await)
                })),
                Box::pin(after(delay(1), async {
                    let why = ReasonRequest {
                        reason: "Bought the wrong listing".into(),
                    };
                    decided(
                        cases::decide(&deps, &w.agent, w.brand, id, Decision::Withdraw(why)).await,
                    )
                })),
                Box::pin(after(delay(2), async {
                    let run = jobs::run(&deps, &w.market).await.unwrap();
                    format!("cron moved {}", run.deadlines)
                })),
                Box::pin(after(delay(3), async {
                    let r = marketplace::receive(&deps, "msg_removed", removed.as_bytes())
                        .await
                        .unwrap();
                    r.0.outcome()
                })),
            ];
            let outcomes = join_all(racers);
            let events = w.events(id);
            let out_of_flag: Vec<_> = events
                .iter()
                .filter(|e| e.from_status == Some(Status::AwaitingBrand))
                .collect();
            assert_eq!(out_of_flag.len(), 1, "{context}: {outcomes:?} {events:?}");
            let winner = out_of_flag[0].kind.clone();
            winners.insert(winner.clone());
            // The people who lost were told why, with a code; the cron moved nothing of theirs.
            for (i, name) in [(0, "confirm"), (1, "withdraw")] {
                let o = &outcomes[i];
                if winner == name {
                    assert_eq!(o, "moved", "{context}: {outcomes:?}");
                } else {
                    assert!(
                        o == "409 changed_meanwhile" || o == "409 case_state",
                        "{context}: {name} lost with {o} ({outcomes:?})"
                    );
                }
            }
            let expected_cron = if winner == "expire" { 1 } else { 0 };
            assert_eq!(
                outcomes[2],
                format!("cron moved {expected_cron}"),
                "{context}"
            );
            assert!(
                ["applied", "stored"].contains(&outcomes[3].as_str()),
                "{context}: {outcomes:?}"
            );
            let kinds: Vec<String> = w.actions(id).into_iter().map(|a| a.1).collect();
            let expected: Vec<String> = if winner == "confirm" {
                vec!["listing.takedown".into()]
            } else {
                vec![]
            };
            assert_eq!(kinds, expected, "{context}: {outcomes:?}");
            assert_history_agrees(&w, id, &context);

            // A removal that lost is applied by a later run: after a confirmation it may still
            // end the case (the listing is gone), never anything else, and never twice.
            w.clock.advance(2 * MINUTE);
            block_on(jobs::run(&w.deps(), &w.market)).unwrap();
            assert_history_agrees(&w, id, &context);
            assert_eq!(w.actions(id).len(), expected.len(), "{context}");
            let state = w.rows(
                "SELECT state FROM inbound_events WHERE webhook_id = 'msg_removed'",
                vec![],
            );
            assert_eq!(state[0]["state"], "applied", "{context}");
        }
    }
    // Every contender won in some order: the races were real.
    let all: std::collections::BTreeSet<String> =
        ["confirm", "withdraw", "expire", "listing_removed"]
            .into_iter()
            .map(String::from)
            .collect();
    assert_eq!(winners, all);
}

/// The brand's answer to an appeal and the cron's appeal deadline at once: one decision is
/// recorded, `appeal.decided` is written once (none when the appeal was escalated), the
/// listing is reinstated at most once, and a brand that lost is told 409.
#[test]
fn an_appeal_answer_and_the_appeal_deadline_at_once_decide_it_once() {
    let mut winners = std::collections::BTreeSet::new();
    for decision in ["uphold", "retract", "escalate"] {
        for cron_first in [false, true] {
            for head_start in [0, 1, 2, 4, 6] {
                let context = format!("{decision}, cron first {cron_first}, by {head_start}");
                let w = World::new();
                let id = w.appealed(&format!("MKT-{decision}-{cron_first}-{head_start}"));
                w.clock.advance(3 * DAY + MINUTE);
                let db = Interleaved(&w.db);
                let deps = w.racing(&db);
                let answer = AppealResponseRequest {
                    decision: decision.into(),
                    reason: Some("Our test buy proved it fake.".into()),
                };
                let (brand_delay, cron_delay) = if cron_first {
                    (head_start, 0)
                } else {
                    (0, head_start)
                };
                let racers: Vec<Racer<'_, String>> = vec![
                    Box::pin(after(brand_delay, async {
                        decided(
                            cases::decide(
                                &deps,
                                &w.agent,
                                w.brand,
                                id,
                                Decision::AppealResponse(answer),
                            )
                            .await,
                        )
                    })),
                    Box::pin(after(cron_delay, async {
                        let run = jobs::run(&deps, &w.market).await.unwrap();
                        format!("cron moved {}", run.deadlines)
                    })),
                ];
                let outcomes = join_all(racers);
                let events = w.events(id);
                let answers: Vec<_> = events
                    .iter()
                    .filter(|e| e.from_status == Some(Status::Appealed))
                    .collect();
                assert_eq!(answers.len(), 1, "{context}: {outcomes:?} {events:?}");
                let winner = answers[0].kind.clone();
                winners.insert(winner.clone());
                if winner == "appeal_deadline_passed" {
                    assert!(outcomes[0].starts_with("409 "), "{context}: {outcomes:?}");
                    assert_eq!(outcomes[1], "cron moved 1", "{context}");
                } else {
                    assert_eq!(outcomes[0], "moved", "{context}: {outcomes:?}");
                    assert_eq!(outcomes[1], "cron moved 0", "{context}");
                }
                let kinds: Vec<String> = w.actions(id).into_iter().map(|a| a.1).collect();
                let count = |k: &str| kinds.iter().filter(|x| *x == k).count();
                let decided_expected = usize::from(winner != "escalate");
                assert_eq!(count("appeal.decided"), decided_expected, "{context}");
                let reinstated = usize::from(w.status(id) == Status::Reinstated);
                assert_eq!(count("listing.reinstate"), reinstated, "{context}");
                assert_history_agrees(&w, id, &context);
            }
        }
    }
    for w in [
        "appeal_deadline_passed",
        "uphold_appeal",
        "retract_on_appeal",
        "escalate",
    ] {
        assert!(winners.contains(w), "{w} never won: {winners:?}");
    }
}

/// What the Cron Trigger runs that these races touch, in the Worker's order: the jobs (stored
/// events, deadlines, snapshots, the outbox), then the deadlines announced to brand webhooks.
async fn cron<D: Db>(deps: &Deps<'_, D>, market: &FakeMarket) {
    jobs::run(deps, market).await.unwrap();
    integrations::announce_deadlines(deps).await.unwrap();
}

/// Two cron runs overlapping, with every head start, over work that is due: flags past their
/// deadline, takedowns the marketplace did not take while it was down, an event stored but not
/// applied, and a deadline to announce to the brand's webhook. Each is done once.
#[test]
fn two_overlapping_cron_runs_do_each_due_thing_once() {
    for head_start in 0..12 {
        let context = format!("second run {head_start} turns late");
        let w = World::new();
        let endpoint = format!("ep_{head_start}");
        block_on(w.db.batch(vec![sql::insert_endpoint(
            &endpoint,
            w.brand,
            "https://hooks.aurelia.example/jf",
            r#"["deadline.approaching","case.status_changed"]"#,
            "whsec_dGVzdA==",
            w.agent_id,
            T0,
        )]))
        .unwrap();
        // Three flags whose week will be over, one whose deadline will be a day away, and two
        // confirmed while the marketplace was down.
        let expiring: Vec<CaseId> = (0..3).map(|i| w.flagged(&format!("MKT-X{i}"))).collect();
        w.clock.advance(HOUR);
        let second = w.flagged("MKT-D");
        w.clock.advance(6 * DAY - HOUR);
        let confirmed: Vec<CaseId> = (0..2)
            .map(|i| {
                let id = w.flagged(&format!("MKT-C{i}"));
                w.market.down.set(true);
                block_on(cases::decide(&w.deps(), &w.agent, w.brand, id, w.confirm())).unwrap();
                // The request's own send right after the move fails: the takedown waits.
                block_on(jf_core::outbox::deliver(&w.deps(), &w.market, None)).unwrap();
                id
            })
            .collect();
        w.market.down.set(false);
        // A second detection of a flagged listing, stored by a request that died before applying it.
        let mut again = flag("MKT-D");
        again["data"]["detection"]["score"] = json!(0.99);
        block_on(w.db.batch(vec![sql::store_inbound(
            "msg_stored",
            "listing.flagged",
            &again.to_string(),
            w.clock.0.get(),
        )]))
        .unwrap();
        w.clock.advance(DAY + MINUTE);

        let db = Interleaved(&w.db);
        let deps = w.racing(&db);
        join_all::<()>(vec![
            Box::pin(cron(&deps, &w.market)),
            Box::pin(after(head_start, cron(&deps, &w.market))),
        ]);

        for id in &expiring {
            let expiries = w.events(*id).iter().filter(|e| e.kind == "expire").count();
            assert_eq!(expiries, 1, "{context}");
            assert_eq!(w.status(*id), Status::Expired, "{context}");
            assert_history_agrees(&w, *id, &context);
        }
        // Every takedown reached the marketplace once: one send per idempotency key.
        let sent: Vec<String> = w.market.sent.borrow().iter().map(|s| s.0.clone()).collect();
        for id in &confirmed {
            for (action, _) in w.actions(*id) {
                let times = sent.iter().filter(|s| **s == action).count();
                assert_eq!(times, 1, "{context}: action {action} sent {times} times");
            }
        }
        // The stored detection is applied once: the flag, then one more detection.
        let kinds: Vec<String> = w.events(second).into_iter().map(|e| e.kind).collect();
        assert_eq!(kinds, ["flagged", "detection"], "{context}");
        let state = w.rows(
            "SELECT state FROM inbound_events WHERE webhook_id = 'msg_stored'",
            vec![],
        );
        assert_eq!(state[0]["state"], "applied", "{context}");
        // The deadline of the flag still open (its day has come) is announced once.
        let announced = w.rows(
            "SELECT json_extract(payload, '$.data.case_id') AS case_id FROM webhook_deliveries
             WHERE endpoint_id = ?1 AND event_type = 'deadline.approaching'",
            vec![endpoint.as_str().into()],
        );
        let of_second = announced
            .iter()
            .filter(|r| r["case_id"] == second.to_string())
            .count();
        assert_eq!(of_second, 1, "{context}: {announced:?}");
        let notices = w.rows("SELECT count(*) AS n FROM deadline_notices", vec![]);
        assert_eq!(
            notices[0]["n"].as_i64().unwrap() as usize,
            announced.len(),
            "{context}: one delivery per deadline announced"
        );
    }
}

/// Two operators retry one dead letter at once, with every head start: the event is applied
/// once (one case, one event), one retry says `applied` and the other answers 404.
#[test]
fn two_retries_of_one_dead_letter_at_once_apply_it_once() {
    let ops = Actor::Person(Person {
        user_id: UserId(uuid::Uuid::from_bytes([9; 16])),
        display_name: "Olga Operator".into(),
        staff_role: Some(jf_core::types::StaffRole::Operator),
        memberships: vec![],
        managed_brands: vec![],
    });
    for head_start in 0..10 {
        let context = format!("second retry {head_start} turns late");
        let w = World::new();
        // A flag for the brand while it is not enrolled is a dead letter; then it is enrolled.
        let enrolled = |status| sql::set_programme(w.brand, status, Some("SHOP-1"), false, None);
        block_on(w.db.batch(vec![enrolled(ProgrammeStatus::Applied)])).unwrap();
        let r = w.webhook("msg_dead", flag("MKT-LATE"));
        assert!(matches!(r, marketplace::Receipt::DeadLetter(_)), "{r:?}");
        block_on(w.db.batch(vec![enrolled(ProgrammeStatus::Enrolled)])).unwrap();

        let db = Interleaved(&w.db);
        let deps = w.racing(&db);
        let retry = || async {
            match marketplace::retry_dead_letter(&deps, &ops, "msg_dead").await {
                Ok((receipt, _)) => receipt.outcome(),
                Err(e) => format!("{}", e.status()),
            }
        };
        let mut outcomes = join_all::<String>(vec![
            Box::pin(retry()),
            Box::pin(after(head_start, retry())),
        ]);
        outcomes.sort();
        assert_eq!(outcomes, ["404", "applied"], "{context}");
        let id = w.open_case("MKT-LATE");
        let kinds: Vec<String> = w.events(id).into_iter().map(|e| e.kind).collect();
        assert_eq!(kinds, ["flagged"], "{context}: applied once");
    }
}
