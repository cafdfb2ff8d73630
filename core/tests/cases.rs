//! Reports, lanes, decisions, bulk filing, lists, marketplace events, deadlines and the outbox,
//! against SQLite with the real migrations.

mod support;

use jf_core::access::{Actor, Membership, Person};
use jf_core::api::*;
use jf_core::case::{Origin, Status};
use jf_core::cases::{self, CaseQuery, Decision, Ports};
use jf_core::clock::{Entropy, FixedClock, SeededEntropy, DAY, MINUTE};
use jf_core::history::NoteCode;
use jf_core::identity::Deps;
use jf_core::ids::{BrandId, CaseId, IpRightId, UserId};
use jf_core::ports::Settings;
use jf_core::reasons::{Reason, RowProblem, Why};
use jf_core::store::{query, Db, Stmt};
use jf_core::types::{BrandRole, Email, ProgrammeStatus, StaffRole};
use jf_core::{files::StoredFile, jobs, marketplace, outbox, sql, Error};
use serde_json::json;
use support::{block_on, join, snapshot, FakeMarket, Interleaved, MemFiles, Sqlite};

const T0: i64 = 1_790_000_000_000;
const STATEMENT: &str = "Counterfeit: the logo and stitching differ from the genuine product.";

struct Brand {
    id: BrandId,
    right: IpRightId,
    agent: Actor,
    viewer: Actor,
}

struct World {
    db: Sqlite,
    clock: FixedClock,
    entropy: SeededEntropy,
    files: MemFiles,
    market: FakeMarket,
    settings: Settings,
    manager: Actor,
}

fn person(
    id: UserId,
    name: &str,
    staff: Option<StaffRole>,
    memberships: Vec<Membership>,
    managed: Vec<BrandId>,
) -> Actor {
    Actor::Person(Person {
        user_id: id,
        display_name: name.into(),
        staff_role: staff,
        memberships,
        managed_brands: managed,
    })
}

impl World {
    fn new() -> Self {
        let w = World {
            db: Sqlite::migrated(),
            clock: FixedClock::at(T0),
            entropy: SeededEntropy::default(),
            files: MemFiles::default(),
            market: FakeMarket::with(&["MKT-1", "MKT-2", "MKT-3", "MKT-4"]),
            settings: Settings {
                listing_url_prefix: "https://market.example/item/".into(),
            },
            manager: Actor::Anonymous,
        };
        let mgr = Email::parse("am@marketplace.test").unwrap();
        w.exec(vec![sql::insert_user(
            UserId(uuid::Uuid::from_bytes([7; 16])),
            &mgr,
            "Marco Bianchi",
            None,
            Some(StaffRole::AccountManager),
            T0,
        )]);
        w
    }
    fn deps(&self) -> Deps<'_, Sqlite> {
        self.deps_on(&self.db)
    }
    /// The world's clock and entropy over another store (one that counts, or fails, its trips).
    fn deps_on<'a, D: Db>(&'a self, db: &'a D) -> Deps<'a, D> {
        Deps {
            db,
            clock: &self.clock,
            entropy: &self.entropy,
            address: None,
        }
    }
    fn ports(&self) -> Ports<'_, MemFiles, FakeMarket> {
        Ports {
            files: &self.files,
            market: &self.market,
            settings: &self.settings,
        }
    }
    fn exec(&self, stmts: Vec<Stmt>) {
        block_on(self.db.batch(stmts)).unwrap();
    }
    fn uuid(&self) -> uuid::Uuid {
        self.entropy.uuid()
    }
    /// A brand with an agent and a viewer, one verified right, in the given programme standing.
    fn brand(&mut self, name: &str, status: ProgrammeStatus, shop: bool) -> Brand {
        let id = BrandId(self.uuid());
        let right = IpRightId(self.uuid());
        let reference = format!("BR-{}", name.to_uppercase());
        let agent_id = UserId(self.uuid());
        let viewer_id = UserId(self.uuid());
        let mgr_id = UserId(uuid::Uuid::from_bytes([7; 16]));
        let email =
            |who: &str| Email::parse(&format!("{who}@{}.test", name.to_lowercase())).unwrap();
        self.exec(vec![
            sql::insert_brand(id, name, &reference, T0),
            sql::set_programme(id, status, shop.then_some("SHOP-1"), !shop, None),
            sql::insert_user(agent_id, &email("agent"), "Agent", None, None, T0),
            sql::insert_user(viewer_id, &email("viewer"), "Viewer", None, None, T0),
            sql::insert_membership(agent_id, id, BrandRole::BrandAgent, T0),
            sql::insert_membership(viewer_id, id, BrandRole::BrandViewer, T0),
            sql::insert_ip_right(&sql::NewIpRight {
                id: right,
                brand_id: id,
                kind: "trademark",
                registration_number: &format!("TM-{name}"),
                jurisdiction: "EU",
                classes: "18",
                owner: name,
                expires_at: None,
                now: T0,
            }),
            sql::review_ip_right(id, right, "verified", None, agent_id, T0),
        ]);
        let mut managed = match &self.manager {
            Actor::Person(p) => p.managed_brands.clone(),
            _ => vec![],
        };
        managed.push(id);
        self.manager = person(
            mgr_id,
            "Marco Bianchi",
            Some(StaffRole::AccountManager),
            vec![],
            managed,
        );
        Brand {
            id,
            right,
            agent: person(
                agent_id,
                "Arjun Mehta",
                None,
                vec![Membership {
                    brand_id: id,
                    role: BrandRole::BrandAgent,
                }],
                vec![],
            ),
            viewer: person(
                viewer_id,
                "Vera Novak",
                None,
                vec![Membership {
                    brand_id: id,
                    role: BrandRole::BrandViewer,
                }],
                vec![],
            ),
        }
    }
    fn report(
        &self,
        b: &Brand,
        listing: &str,
    ) -> Result<(CaseView, Vec<jf_core::ids::ActionId>), Error> {
        self.report_with(b, listing, b.right, vec![])
    }
    fn report_with(
        &self,
        b: &Brand,
        listing: &str,
        right: IpRightId,
        files: Vec<StoredFile>,
    ) -> Result<(CaseView, Vec<jf_core::ids::ActionId>), Error> {
        let req = ReportRequest {
            listing: listing.into(),
            ip_right_id: right.to_string(),
            reason_code: "counterfeit".into(),
            statement: STATEMENT.into(),
            evidence_urls: vec!["https://example.com/photo.jpg".into()],
            good_faith: true,
        };
        block_on(cases::file_report(
            &self.deps(),
            &self.ports(),
            &b.agent,
            b.id,
            req,
            files,
        ))
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
    fn count(&self, sql_text: &'static str) -> i64 {
        #[derive(serde::Deserialize)]
        struct N {
            n: i64,
        }
        block_on(query::<N>(&self.db, Stmt::new(sql_text, vec![]))).unwrap()[0].n
    }
    fn case(&self, b: &Brand, id: CaseId) -> CaseView {
        block_on(cases::case_file(&self.deps(), &b.agent, b.id, id)).unwrap()
    }
    fn webhook(&self, id: &str, body: serde_json::Value) -> Result<marketplace::Receipt, Error> {
        block_on(marketplace::receive(
            &self.deps(),
            id,
            body.to_string().as_bytes(),
        ))
        .map(|(r, _)| r)
    }
}

/// Marks `n` takedowns of a brand decided, `reinstated` of them reinstated, at `at`.
fn decided_history(w: &World, b: &Brand, n: usize, reinstated: usize, at: i64) {
    let mut stmts = Vec::new();
    for i in 0..n {
        let status = if i < reinstated {
            "reinstated"
        } else {
            "upheld"
        };
        let id = CaseId(w.uuid());
        stmts.push(Stmt::new(
            "INSERT INTO cases (id, brand_id, listing_id, origin, status, is_open, created_at, updated_at, decided_at)
             VALUES (?1, ?2, ?3, 'report', ?4, 0, ?5, ?5, ?5)",
            vec![id.into(), b.id.into(), format!("OLD-{i}").into(), status.into(), at.into()],
        ));
    }
    w.exec(stmts);
}

#[test]
fn lanes_follow_programme_shop_and_standing() {
    let mut w = World::new();
    let aurelia = w.brand("Aurelia", ProgrammeStatus::Enrolled, true);
    let northwind = w.brand("Northwind", ProgrammeStatus::Enrolled, false);
    let dorado = w.brand("Dorado", ProgrammeStatus::Enrolled, true);
    let cobalt = w.brand("Cobalt", ProgrammeStatus::Applied, true);
    let suspended = w.brand("Suspendo", ProgrammeStatus::Suspended, true);
    decided_history(&w, &dorado, 25, 2, T0 - 10 * DAY);

    let (case, actions) = w
        .report(&aurelia, "https://market.example/item/MKT-1")
        .unwrap();
    assert_eq!(case.status, Status::TakedownRequested);
    assert_eq!(
        actions.len(),
        1,
        "auto lane writes the takedown action in the same batch"
    );
    assert_eq!(
        w.count("SELECT count(*) AS n FROM outbox WHERE kind = 'listing.takedown'"),
        1
    );
    assert_eq!(case.snapshot.as_ref().unwrap().title, "Listing MKT-1");

    let (case, actions) = w.report(&northwind, "MKT-1").unwrap();
    assert_eq!(case.status, Status::UnderReview);
    assert!(actions.is_empty());

    let (case, _) = w.report(&dorado, "MKT-2").unwrap();
    assert_eq!(case.status, Status::UnderReview);
    let stats = block_on(cases::brand_stats(&w.deps(), &dorado.agent, dorado.id)).unwrap();
    assert!(!stats.standing.good);
    assert_eq!((stats.standing.decided, stats.standing.reinstated), (25, 2));
    assert_eq!(
        stats.review_reason,
        Some(jf_core::programme::ReviewReason::OutOfGoodStanding)
    );
    assert_eq!(stats.standing.revoked_until, Some(T0 - 10 * DAY + 90 * DAY));

    let cases_before = w.count("SELECT count(*) AS n FROM cases");
    let refused = w.report(&cobalt, "MKT-3").unwrap_err();
    assert_eq!(refused.status(), 422);
    assert!(refused.public_message().contains("not enrolled"));
    assert_eq!(w.report(&suspended, "MKT-3").unwrap_err().status(), 422);
    assert_eq!(
        w.count("SELECT count(*) AS n FROM cases"),
        cases_before,
        "nothing filed"
    );
}

#[test]
fn rights_must_be_verified_unexpired_and_the_brands_own() {
    let mut w = World::new();
    let a = w.brand("Aurelia", ProgrammeStatus::Enrolled, true);
    let n = w.brand("Northwind", ProgrammeStatus::Enrolled, false);
    let pending = IpRightId(w.uuid());
    let expired = IpRightId(w.uuid());
    for (id, num, exp) in [(pending, "TM-P", None), (expired, "TM-E", Some(T0 - 1))] {
        w.exec(vec![sql::insert_ip_right(&sql::NewIpRight {
            id,
            brand_id: a.id,
            kind: "trademark",
            registration_number: num,
            jurisdiction: "EU",
            classes: "",
            owner: "Aurelia",
            expires_at: exp,
            now: T0,
        })]);
    }
    w.exec(vec![sql::review_ip_right(
        a.id,
        expired,
        "verified",
        None,
        UserId(uuid::Uuid::from_bytes([7; 16])),
        T0,
    )]);
    let e = w.report_with(&a, "MKT-1", pending, vec![]).unwrap_err();
    assert!(
        e.status() == 422 && e.public_message().contains("not verified"),
        "{e:?}"
    );
    let e = w.report_with(&a, "MKT-1", expired, vec![]).unwrap_err();
    assert!(e.status() == 422 && e.public_message().contains("expired"));
    assert_eq!(
        w.report_with(&a, "MKT-1", n.right, vec![])
            .unwrap_err()
            .status(),
        422,
        "another brand's right"
    );
    assert_eq!(w.count("SELECT count(*) AS n FROM cases"), 0);
}

#[test]
fn bad_report_input_is_named_and_nothing_is_stored() {
    let mut w = World::new();
    let a = w.brand("Aurelia", ProgrammeStatus::Enrolled, true);
    let base = ReportRequest {
        listing: "MKT-1".into(),
        ip_right_id: a.right.to_string(),
        reason_code: "counterfeit".into(),
        statement: STATEMENT.into(),
        evidence_urls: vec![],
        good_faith: true,
    };
    let cases_for = |f: &dyn Fn(&mut ReportRequest)| {
        let mut r = base.clone();
        f(&mut r);
        block_on(cases::file_report(
            &w.deps(),
            &w.ports(),
            &a.agent,
            a.id,
            r,
            vec![],
        ))
        .unwrap_err()
    };
    let field = |e: Error| match e {
        Error::Invalid { field, .. } => field,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        field(cases_for(&|r| r.statement = "too short".into())),
        "statement"
    );
    assert_eq!(field(cases_for(&|r| r.good_faith = false)), "good_faith");
    assert_eq!(
        field(cases_for(&|r| r.reason_code = "dislike".into())),
        "reason_code"
    );
    assert_eq!(
        field(cases_for(
            &|r| r.listing = "https://evil.example/item/MKT-1".into()
        )),
        "listing"
    );
    assert_eq!(
        field(cases_for(
            &|r| r.evidence_urls = vec!["javascript:alert(1)".into()]
        )),
        "evidence_urls"
    );
    assert_eq!(
        field(cases_for(&|r| r.ip_right_id = "nope".into())),
        "ip_right_id"
    );
    assert_eq!(
        cases_for(&|r| r.listing = "MKT-404".into()).status(),
        422,
        "the marketplace has no such listing"
    );
    assert_eq!(w.report(&a, "MKT-1").map(|_| ()).ok(), Some(()));
    let second = w.report(&a, "MKT-1").unwrap_err();
    assert_eq!(second.status(), 409);
    assert!(second.public_message().contains("already has an open case"));
    assert_eq!(w.count("SELECT count(*) AS n FROM cases"), 1);
    // A viewer may not file at all.
    let r = block_on(cases::file_report(
        &w.deps(),
        &w.ports(),
        &a.viewer,
        a.id,
        base.clone(),
        vec![],
    ));
    assert_eq!(r.unwrap_err().status(), 403);
}

#[test]
fn evidence_files_are_stored_under_the_brand_and_served_back() {
    let mut w = World::new();
    let a = w.brand("Aurelia", ProgrammeStatus::Enrolled, true);
    let png = StoredFile::accept("photo.png", b"\x89PNG\r\n\x1a\nfake image".to_vec()).unwrap();
    let (case, _) = w
        .report_with(&a, "MKT-1", a.right, vec![png.clone()])
        .unwrap();
    assert_eq!(case.evidence_files.len(), 1);
    let key = format!("files/{}/{}", a.id, png.sha256);
    assert!(w.files.0.borrow().contains_key(&key));
    let file_id =
        jf_core::ids::FileId::parse(case.evidence_files[0].url.rsplit('/').next().unwrap())
            .unwrap();
    let (bytes, ct, _) = block_on(cases::evidence_file(
        &w.deps(),
        &w.files,
        &a.viewer,
        a.id,
        case.id,
        file_id,
    ))
    .unwrap();
    assert_eq!((bytes, ct.as_str()), (png.bytes.clone(), "image/png"));
}

#[test]
fn marketplace_down_files_with_a_pending_snapshot_filled_later() {
    let mut w = World::new();
    let a = w.brand("Aurelia", ProgrammeStatus::Enrolled, true);
    w.market.down.set(true);
    let (case, _) = w.report(&a, "MKT-4").unwrap();
    assert_eq!(case.snapshot, None);
    assert_eq!(case.status, Status::TakedownRequested);
    // The cron cannot send while it is down; nothing is lost.
    let run = block_on(jobs::run(&w.deps(), &w.market)).unwrap();
    assert_eq!(run.delivery.failed, 1);
    w.market.down.set(false);
    w.clock.advance(2 * MINUTE);
    let run = block_on(jobs::run(&w.deps(), &w.market)).unwrap();
    assert_eq!(run.snapshots_filled, 1);
    assert_eq!(run.delivery.sent, 1);
    assert_eq!(w.case(&a, case.id).snapshot.unwrap().title, "Listing MKT-4");
}

#[test]
fn review_lane_decisions_and_illegal_moves() {
    let mut w = World::new();
    let n = w.brand("Northwind", ProgrammeStatus::Enrolled, false);
    let (c1, _) = w.report(&n, "MKT-1").unwrap();
    let (c2, _) = w.report(&n, "MKT-2").unwrap();
    let (c3, _) = w.report(&n, "MKT-3").unwrap();
    assert!(c1.deadline_at == Some(T0 + 2 * DAY));
    // The agent cannot approve its own report; the manager can.
    assert_eq!(
        w.decide(
            &n.agent,
            &n,
            c1.id,
            Decision::Approve(NoteRequest::default())
        )
        .unwrap_err()
        .status(),
        403
    );
    let mgr = w.manager.clone();
    let v = w
        .decide(&mgr, &n, c1.id, Decision::Approve(NoteRequest::default()))
        .unwrap();
    assert_eq!(v.status, Status::TakedownRequested);
    assert!(v
        .events
        .last()
        .unwrap()
        .actor
        .contains("(account manager) for Northwind"));
    assert_eq!(w.count("SELECT count(*) AS n FROM outbox"), 1);
    let empty = w.decide(
        &mgr,
        &n,
        c2.id,
        Decision::Decline(ReasonRequest { reason: " ".into() }),
    );
    assert!(matches!(empty, Err(Error::Invalid { ref field, .. }) if field == "reason"));
    let v = w
        .decide(
            &mgr,
            &n,
            c2.id,
            Decision::Decline(ReasonRequest {
                reason: "Listing shows a genuine parallel import.".into(),
            }),
        )
        .unwrap();
    assert_eq!(v.status, Status::Declined);
    assert_eq!(
        v.events.last().unwrap().note.as_deref(),
        Some("Listing shows a genuine parallel import.")
    );
    let v = w
        .decide(
            &n.agent,
            &n,
            c3.id,
            Decision::Withdraw(ReasonRequest {
                reason: "Filed by mistake".into(),
            }),
        )
        .unwrap();
    assert_eq!(v.status, Status::Withdrawn);

    // Illegal: approving a declined case, withdrawing a takedown_requested one → 409, unchanged.
    let events_before = w.count("SELECT count(*) AS n FROM case_events");
    let e = w
        .decide(&mgr, &n, c2.id, Decision::Approve(NoteRequest::default()))
        .unwrap_err();
    assert_eq!(e.status(), 409);
    let e = w
        .decide(
            &n.agent,
            &n,
            c1.id,
            Decision::Withdraw(ReasonRequest {
                reason: "changed my mind".into(),
            }),
        )
        .unwrap_err();
    assert_eq!(e.status(), 409);
    assert_eq!(
        w.count("SELECT count(*) AS n FROM case_events"),
        events_before
    );
    assert_eq!(w.case(&n, c2.id).status, Status::Declined);

    let queue = block_on(cases::staff_queue(&w.deps(), &mgr, Status::UnderReview)).unwrap();
    assert!(queue.cases.is_empty());
    let (c4, _) = w.report(&n, "MKT-4").unwrap();
    w.clock.advance(2 * DAY + 1);
    let queue = block_on(cases::staff_queue(&w.deps(), &mgr, Status::UnderReview)).unwrap();
    assert_eq!(queue.cases.len(), 1);
    assert!(queue.cases[0].overdue, "past the 2-day SLA");
    assert_eq!(queue.cases[0].id, c4.id);
}

#[test]
fn a_concurrent_loser_changes_nothing() {
    let mut w = World::new();
    let n = w.brand("Northwind", ProgrammeStatus::Enrolled, false);
    let (c, _) = w.report(&n, "MKT-1").unwrap();
    let stale = block_on(sql::case(&w.db, n.id, c.id)).unwrap().unwrap();
    let mgr = w.manager.clone();
    w.decide(&mgr, &n, c.id, Decision::Approve(NoteRequest::default()))
        .unwrap();
    // A second decision computed from the same read loses: its batch fails whole.
    let by = cases::Mover::of(&mgr, jf_core::access::Capacity::AccountManager, "Northwind");
    let lost = block_on(cases::apply_transition(
        &w.deps(),
        &stale,
        "BR-NORTHWIND",
        jf_core::case::Transition::Decline,
        &by,
        Some(&jf_core::history::Note::typed("late")),
        vec![],
    ));
    assert_eq!(lost.unwrap_err().status(), 409);
    assert_eq!(w.case(&n, c.id).status, Status::TakedownRequested);
    assert_eq!(w.count("SELECT count(*) AS n FROM outbox"), 1);
}

/// A manager acting for a brand is recorded as the brand's account manager acting on its
/// behalf, in the case's timeline and in the audit log alike; the brand's own agent is not.
#[test]
fn a_managers_approval_is_recorded_as_the_account_manager_for_the_brand() {
    use jf_core::audit::{self, AuditQuery};
    let mut w = World::new();
    let n = w.brand("Northwind", ProgrammeStatus::Enrolled, false);
    let (c, _) = w.report(&n, "MKT-1").unwrap();
    assert_eq!(c.status, Status::UnderReview);
    let mgr = w.manager.clone();
    w.clock.advance(MINUTE);
    let v = w
        .decide(&mgr, &n, c.id, Decision::Approve(NoteRequest::default()))
        .unwrap();
    let approved = v.events.last().unwrap();
    assert_eq!(approved.kind, "approve");
    assert_eq!(
        (
            approved.actor_kind.as_str(),
            approved.actor_name.as_deref(),
            approved.actor_brand.as_deref()
        ),
        ("account_manager", Some("Marco Bianchi"), Some("Northwind"))
    );
    assert_eq!(
        approved.actor,
        "Marco Bianchi (account manager) for Northwind"
    );
    let filed = &v.events[0];
    assert_eq!(
        (filed.actor_kind.as_str(), filed.actor_brand.as_deref()),
        ("brand_agent", None)
    );

    let q = AuditQuery {
        kind: Some("case_moved".into()),
        ..AuditQuery::default()
    };
    let entries = block_on(audit::brand_audit(&w.deps(), &mgr, n.id, &q))
        .unwrap()
        .entries;
    let approve = &entries[0];
    assert_eq!(approve.details["event"], "approve");
    assert_eq!(approve.details["seq"], approved.seq);
    assert_eq!(approve.actor_kind, "person");
    assert_eq!(approve.actor_id, Some(user_of(&mgr).to_string()));
    assert_eq!(approve.actor_name.as_deref(), Some("Marco Bianchi"));
    assert_eq!(approve.on_behalf_of, Some(n.id));
    assert_eq!(approve.brand_id, Some(n.id));
    assert_eq!(approve.details["acted_as"], "account_manager");
    let filing = &entries[1];
    assert_eq!(filing.details["event"], "filed");
    assert_eq!(filing.on_behalf_of, None);
    assert_eq!(filing.details["acted_as"], "brand_agent");
    assert!(filing.details["from"].is_null());
}

fn csv_rows(rows: usize, right: &str, listing: impl Fn(usize) -> String) -> String {
    let mut s = String::from("listing,ip_right,reason,statement,evidence_urls\n");
    for i in 0..rows {
        s.push_str(&format!(
            "{},{right},counterfeit,{STATEMENT},https://example.com/{i}.jpg\n",
            listing(i)
        ));
    }
    s
}

#[test]
fn bulk_files_all_rows_in_one_write_or_none() {
    let mut w = World::new();
    let a = w.brand("Aurelia", ProgrammeStatus::Enrolled, true);
    let bulk = |csv: &str| {
        block_on(cases::bulk_file(
            &w.deps(),
            &w.settings,
            &a.agent,
            a.id,
            csv.as_bytes(),
        ))
    };
    let reg = "TM-Aurelia";

    let too_many = bulk(&csv_rows(1001, reg, |i| format!("BULK-{i}"))).unwrap_err();
    assert!(
        too_many.public_message().contains("at most 1000"),
        "{too_many:?}"
    );
    let mut one_bad = csv_rows(1000, reg, |i| format!("BULK-{i}"));
    one_bad = one_bad.replacen(
        "BULK-500,TM-Aurelia,counterfeit",
        "BULK-500,TM-Aurelia,dislike",
        1,
    );
    match bulk(&one_bad).unwrap_err() {
        Error::InvalidRows(rows) => {
            assert_eq!(rows.len(), 1);
            assert_eq!(rows[0].0, 502, "line numbers count the header");
            assert!(
                matches!(&rows[0].1, RowProblem::Invalid { column: BulkColumn::Reason, why } if *why == Why::Reason(Reason::ReasonCodes)),
                "{rows:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        w.count("SELECT count(*) AS n FROM cases"),
        0,
        "nothing filed"
    );

    let (filed, actions) = bulk(&csv_rows(1000, reg, |i| format!("BULK-{i}"))).unwrap();
    assert_eq!(filed.created.len(), 1000);
    assert_eq!(actions.len(), 1000);
    assert_eq!(
        w.count("SELECT count(*) AS n FROM cases WHERE status = 'takedown_requested'"),
        1000
    );
    assert_eq!(w.count("SELECT count(*) AS n FROM outbox"), 1000);
    assert_eq!(w.count("SELECT count(*) AS n FROM case_events"), 1000);

    // Again: every row now has an open case.
    match bulk(&csv_rows(3, reg, |i| format!("BULK-{i}"))).unwrap_err() {
        Error::InvalidRows(rows) => assert!(rows
            .iter()
            .all(|(_, p)| matches!(p, RowProblem::OpenCase { .. }))),
        other => panic!("{other:?}"),
    }
}

#[test]
fn bulk_csv_problems_are_explained() {
    let mut w = World::new();
    let a = w.brand("Aurelia", ProgrammeStatus::Enrolled, true);
    let pending = IpRightId(w.uuid());
    w.exec(vec![sql::insert_ip_right(&sql::NewIpRight {
        id: pending,
        brand_id: a.id,
        kind: "trademark",
        registration_number: "TM-PENDING",
        jurisdiction: "EU",
        classes: "",
        owner: "A",
        expires_at: None,
        now: T0,
    })]);
    let bulk = |bytes: &[u8]| {
        block_on(cases::bulk_file(
            &w.deps(),
            &w.settings,
            &a.agent,
            a.id,
            bytes,
        ))
    };
    let msg = |e: Error| match e {
        Error::InvalidRows(rows) => rows
            .iter()
            .map(|(l, p)| format!("{l}: {p}"))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.public_message(),
    };
    assert!(
        msg(bulk(b"listing,reason,statement\nMKT-1,counterfeit,x\n").unwrap_err())
            .contains("missing column(s): ip_right")
    );
    let m = msg(bulk(format!("listing,ip_right,reason,statement\nMKT-1,TM-NOPE,counterfeit,{STATEMENT}\nMKT-2,TM-PENDING,counterfeit,{STATEMENT}\nMKT-3,TM-Aurelia,counterfeit,short\nMKT-3,TM-Aurelia,counterfeit,{STATEMENT}\nMKT-3,TM-Aurelia,counterfeit,{STATEMENT}\n").as_bytes()).unwrap_err());
    assert!(
        m.contains("2: ip_right: \"TM-NOPE\" is not one of your brand's rights"),
        "{m}"
    );
    assert!(m.contains("3: ip_right: TM-PENDING is not verified"), "{m}");
    assert!(
        m.contains("4: statement: must be at least 20 characters"),
        "{m}"
    );
    // A listing repeated is a problem even when its first row has others of its own.
    assert!(m.contains("5: listing: MKT-3 is already on line 4"), "{m}");
    assert!(m.contains("6: listing: MKT-3 is already on line 4"), "{m}");
    assert!(msg(bulk(
        b"listing,ip_right,reason,statement\nMKT-1,TM-Aurelia,counterfeit,\xff\xfe\n"
    )
    .unwrap_err())
    .contains("UTF-8"));
    assert!(msg(bulk(b"").unwrap_err()).contains("empty"));
    assert_eq!(w.count("SELECT count(*) AS n FROM cases"), 0);

    // A BOM and a quoted statement over two lines are fine.
    let ok = format!("\u{feff}listing,ip_right,reason,statement,evidence_urls\r\nMKT-1,TM-Aurelia,counterfeit,\"{STATEMENT}\nSecond line, with a comma.\",\r\n");
    let (filed, _) = bulk(ok.as_bytes()).unwrap();
    assert_eq!(filed.created.len(), 1);
    let view = w.case(&a, filed.created[0].id);
    assert!(view
        .statement
        .unwrap()
        .ends_with("Second line, with a comma."));
}

#[test]
fn case_lists_filter_search_page_and_export() {
    let mut w = World::new();
    let a = w.brand("Aurelia", ProgrammeStatus::Enrolled, true);
    // 10,000 cases, inserted straight through the filing statement.
    let titles = [
        "Leather handbag",
        "Steel watch",
        "奥瑞莉亚 经典手提包 真皮 限量款 黑色 金扣 新款 正品保证 专柜同款 顺丰包邮 七天无理由退换",
    ];
    let mut rows = Vec::new();
    for i in 0..10_000i64 {
        let title = if i == 4242 {
            "=HYPERLINK(\"http://evil\")".to_owned()
        } else {
            titles[(i % 3) as usize].to_owned()
        };
        let status = if i % 4 == 0 {
            "under_review"
        } else {
            "awaiting_brand"
        };
        rows.push(sql::NewCase {
            id: CaseId(w.uuid()),
            listing_id: format!("L-{i}"),
            origin: if i % 2 == 0 { "report" } else { "detection" },
            title,
            seller_id: Some(format!("S-{}", i % 50)),
            seller_name: format!("Seller {}", i % 50),
            ..support::new_case(0, status)
        });
    }
    for (chunk_no, chunk) in rows.chunks(1000).enumerate() {
        let json = serde_json::to_string(chunk).unwrap();
        w.exec(sql::insert_cases(
            a.id,
            &json,
            &cases::Mover::MARKETPLACE,
            T0 + chunk_no as i64,
        ));
    }
    let list = |q: CaseQuery| block_on(cases::list_cases(&w.deps(), &a.viewer, a.id, &q)).unwrap();
    let all = list(CaseQuery::default());
    assert_eq!(all.cases.len(), 25);
    let total: i64 = all.counts.iter().map(|(_, n)| n).sum();
    assert_eq!(total, 10_000);
    let review = list(CaseQuery {
        status: Some("under_review".into()),
        limit: Some("100".into()),
        ..Default::default()
    });
    assert!(review.cases.iter().all(|c| c.status == Status::UnderReview));
    let det = list(CaseQuery {
        origin: Some("detection".into()),
        ..Default::default()
    });
    assert!(det
        .cases
        .iter()
        .all(|c| c.origin == jf_core::case::Origin::Detection));

    // A 30-character Chinese search (trigram FTS, no LIKE).
    let q30: String = titles[2]
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(30)
        .collect::<String>();
    assert_eq!(q30.chars().count(), 30);
    let q30 = titles[2].chars().take(35).collect::<String>();
    let zh = list(CaseQuery {
        q: Some(q30),
        limit: Some("100".into()),
        ..Default::default()
    });
    assert_eq!(zh.counts.iter().map(|(_, n)| n).sum::<i64>(), 3333);
    assert!(zh.cases.iter().all(|c| c.title.starts_with("奥瑞莉亚")));
    let short = list(CaseQuery {
        q: Some("包".into()),
        ..Default::default()
    });
    assert!(!short.cases.is_empty(), "one-character searches still work");
    let seller = list(CaseQuery {
        q: Some("Seller 7".into()),
        limit: Some("100".into()),
        ..Default::default()
    });
    assert!(seller
        .cases
        .iter()
        .all(|c| c.seller_name.starts_with("Seller 7")));

    // Walk every page while new cases keep arriving: no duplicate, no gap.
    let mut seen = std::collections::HashSet::new();
    let mut cursor = None;
    let mut pages = 0;
    loop {
        let page = list(CaseQuery {
            cursor: cursor.clone(),
            limit: Some("100".into()),
            ..Default::default()
        });
        for c in &page.cases {
            assert!(seen.insert(c.id), "duplicate {}", c.id);
        }
        pages += 1;
        if pages % 10 == 0 {
            w.clock.advance(1000);
            let (_, _) = w
                .report(&a, &format!("MKT-{}", (pages / 10).min(4)))
                .unwrap_or_else(|_| {
                    let extra = snapshot(&format!("NEW-{pages}"), "Arrived mid-walk", "S-9");
                    w.market.add(extra);
                    w.report(&a, &format!("NEW-{pages}")).unwrap()
                });
        }
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(
        seen.len(),
        10_000,
        "every case that existed when the walk began was seen once"
    );

    let mut export = cases::export_cases(
        &w.db,
        &a.viewer,
        a.id,
        &CaseQuery {
            q: Some("HYPERLINK".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let mut csv = String::new();
    while let Some(chunk) = block_on(export.next_chunk()).unwrap() {
        csv.push_str(&chunk);
    }
    assert!(csv.contains("\"'=HYPERLINK"), "{csv}");
    assert!(!csv.contains(",=HYPERLINK"));

    let bad = block_on(cases::list_cases(
        &w.deps(),
        &a.viewer,
        a.id,
        &CaseQuery {
            status: Some("lost".into()),
            ..Default::default()
        },
    ));
    assert_eq!(bad.unwrap_err().status(), 400);
    let bad = block_on(cases::list_cases(
        &w.deps(),
        &a.viewer,
        a.id,
        &CaseQuery {
            cursor: Some("garbage".into()),
            ..Default::default()
        },
    ));
    assert_eq!(bad.unwrap_err().status(), 400);
}

fn flag(brand_ref: &str, listing: &str, title: &str) -> serde_json::Value {
    json!({ "type": "listing.flagged", "timestamp": "2026-11-28T10:00:00Z", "data": {
        "brand_ref": brand_ref,
        "listing": { "listing_id": listing, "url": format!("https://market.example/item/{listing}"), "title": title,
                     "price": { "amount": "19.99", "currency": "EUR" }, "image_url": null,
                     "seller": { "seller_id": "S-77", "name": "Cheap Luxe" } },
        "detection": { "score": 0.93, "signals": ["logo_mismatch", "price_anomaly"] } } })
}

/// A store that counts its round trips (each `all`, `batch` or `execute` is one request to D1).
struct Counting<'a>(&'a Sqlite, std::cell::Cell<usize>);

impl Db for Counting<'_> {
    async fn all(&self, stmt: Stmt) -> Result<jf_core::store::Rows, Error> {
        self.1.set(self.1.get() + 1);
        self.0.all(stmt).await
    }
    async fn batch(&self, stmts: Vec<Stmt>) -> Result<(), Error> {
        self.1.set(self.1.get() + 1);
        self.0.batch(stmts).await
    }
    async fn execute(&self, stmt: Stmt) -> Result<u64, Error> {
        self.1.set(self.1.get() + 1);
        self.0.execute(stmt).await
    }
    /// One round trip on D1 (one batch), however many statements.
    async fn all_of(&self, stmts: Vec<Stmt>) -> Result<Vec<jf_core::store::Rows>, Error> {
        self.1.set(self.1.get() + 1);
        self.0.all_of(stmts).await
    }
    /// One round trip on D1 too (the writes and the reads after them in one batch).
    async fn write_then_read(
        &self,
        writes: Vec<Stmt>,
        reads: Vec<Stmt>,
    ) -> Result<Vec<jf_core::store::Rows>, Error> {
        self.1.set(self.1.get() + 1);
        self.0.write_then_read(writes, reads).await
    }
}

/// Ingestion is bound by round trips to D1 (bench/SCALE.md): a flag is stored and its brand and
/// open case read in one round trip, and applied in one batch that also marks it applied; every
/// other event still ends `applied`, once.
#[test]
fn a_flag_takes_two_round_trips_and_every_event_ends_applied_once() {
    let mut w = World::new();
    let a = w.brand("Aurelia", ProgrammeStatus::Enrolled, true);
    let _cobalt = w.brand("Cobalt", ProgrammeStatus::Applied, true);
    let b = w.brand("Dorado", ProgrammeStatus::Enrolled, true);
    use marketplace::Receipt;
    let counting = Counting(&w.db, std::cell::Cell::new(0));
    let deps = w.deps_on(&counting);
    let receive = |id: &str, body: serde_json::Value| {
        counting.1.set(0);
        let (receipt, _) =
            block_on(marketplace::receive(&deps, id, body.to_string().as_bytes())).unwrap();
        (receipt, counting.1.get())
    };
    // A new listing: stored and looked up, then applied.
    assert_eq!(
        receive("msg_1", flag("BR-AURELIA", "MKT-9", "Fake bag")),
        (Receipt::Applied, 2)
    );
    // Its second flag notes the open case the same lookup found.
    assert_eq!(
        receive("msg_2", flag("BR-AURELIA", "MKT-9", "Fake bag")),
        (Receipt::Applied, 2)
    );
    // A repeat stops at the store.
    assert_eq!(
        receive("msg_1", flag("BR-AURELIA", "MKT-9", "Fake bag")),
        (Receipt::Duplicate, 1)
    );
    let (dead, trips) = receive("msg_3", flag("BR-NOBODY", "MKT-9", "x"));
    assert!(matches!(dead, Receipt::DeadLetter(r) if r.contains("unknown brand BR-NOBODY")));
    assert_eq!(trips, 2);
    let (dead, _) = receive("msg_4", flag("BR-COBALT", "MKT-9", "x"));
    assert!(matches!(dead, Receipt::DeadLetter(r) if r.contains("not enrolled")));
    // The same listing flagged for another brand is that brand's case, not Aurelia's.
    assert_eq!(
        receive("msg_5", flag("BR-DORADO", "MKT-9", "Fake bag")).0,
        Receipt::Applied
    );
    let removed = json!({ "type": "listing.removed", "timestamp": "t", "data": { "listing_id": "MKT-9", "reason": "policy" } });
    assert_eq!(receive("msg_6", removed).0, Receipt::Applied);

    let case = |brand: &Brand| {
        let list = block_on(cases::list_cases(
            &w.deps(),
            &brand.agent,
            brand.id,
            &CaseQuery::default(),
        ))
        .unwrap();
        assert_eq!(list.cases.len(), 1);
        w.case(brand, list.cases[0].id)
    };
    let aurelia = case(&a);
    assert_eq!(
        aurelia.events.len(),
        3,
        "flagged, detection, listing removed"
    );
    assert_eq!(aurelia.events[1].kind, "detection");
    assert_eq!(aurelia.status, Status::ListingGone);
    assert_eq!(case(&b).status, Status::ListingGone);
    // Applied ones once each (one attempt), dead ones dead.
    assert_eq!(
        w.count(
            "SELECT count(*) AS n FROM inbound_events WHERE state = 'applied' AND attempts = 1"
        ),
        4
    );
    assert_eq!(
        w.count("SELECT count(*) AS n FROM inbound_events WHERE state = 'dead'"),
        2
    );
}

#[test]
fn marketplace_events_open_and_move_cases() {
    let mut w = World::new();
    let a = w.brand("Aurelia", ProgrammeStatus::Enrolled, true);
    let _cobalt = w.brand("Cobalt", ProgrammeStatus::Applied, true);
    use marketplace::Receipt;

    assert_eq!(
        w.webhook("msg_1", flag("BR-AURELIA", "MKT-9", "Fake bag"))
            .unwrap(),
        Receipt::Applied
    );
    assert_eq!(
        w.webhook("msg_1", flag("BR-AURELIA", "MKT-9", "Fake bag"))
            .unwrap(),
        Receipt::Duplicate
    );
    let list = block_on(cases::list_cases(
        &w.deps(),
        &a.agent,
        a.id,
        &CaseQuery::default(),
    ))
    .unwrap();
    assert_eq!(list.cases.len(), 1);
    let case = w.case(&a, list.cases[0].id);
    assert_eq!(case.status, Status::AwaitingBrand);
    assert_eq!(case.deadline_at, Some(T0 + 7 * DAY));
    assert_eq!(
        case.detection.as_ref().unwrap().signals,
        ["logo_mismatch", "price_anomaly"]
    );
    assert_eq!(
        case.allowed,
        [
            CaseCommand::Confirm,
            CaseCommand::Reject,
            CaseCommand::Withdraw
        ]
    );

    // A second flag adds a detection event to the open case.
    w.webhook("msg_2", flag("BR-AURELIA", "MKT-9", "Fake bag"))
        .unwrap();
    let case = w.case(&a, case.id);
    assert_eq!(case.events.len(), 2);
    assert_eq!(case.events[1].kind, "detection");
    assert_eq!(w.count("SELECT count(*) AS n FROM cases"), 1);

    // listing.updated refreshes the current snapshot beside, never over, the case's own.
    let mut upd = flag("BR-AURELIA", "MKT-9", "Renamed fake bag");
    upd["type"] = json!("listing.updated");
    upd["data"] = json!({ "listing": upd["data"]["listing"] });
    w.webhook("msg_3", upd).unwrap();
    let case = w.case(&a, case.id);
    assert_eq!(case.snapshot.as_ref().unwrap().title, "Fake bag");
    assert_eq!(case.current.as_ref().unwrap().title, "Renamed fake bag");

    // Confirm → takedown requested → completed.
    let v = w
        .decide(
            &a.agent,
            &a,
            case.id,
            Decision::Confirm(ConfirmRequest {
                ip_right_id: a.right.to_string(),
                reason_code: "counterfeit".into(),
                note: None,
            }),
        )
        .unwrap();
    assert_eq!(v.status, Status::TakedownRequested);
    let action = block_on(sql::actions_of_case(&w.db, case.id))
        .unwrap()
        .remove(0);
    let done = json!({ "type": "takedown.completed", "timestamp": "t", "data": { "action_id": action.id, "listing_id": "MKT-9" } });
    assert_eq!(w.webhook("msg_4", done).unwrap(), Receipt::Applied);
    assert_eq!(w.case(&a, case.id).status, Status::TakenDown);

    // Dead letters: unknown type, a brand not enrolled, an appeal on a case that is final.
    let unknown = json!({ "type": "listing.teleported", "timestamp": "t", "data": {} });
    assert!(
        matches!(w.webhook("msg_5", unknown).unwrap(), Receipt::DeadLetter(r) if r.contains("unknown event type"))
    );
    assert!(
        matches!(w.webhook("msg_6", flag("BR-COBALT", "MKT-10", "x")).unwrap(), Receipt::DeadLetter(r) if r.contains("not enrolled"))
    );
    // Reject a fresh flag (→ cleared, final), then an appeal on it.
    w.webhook("msg_7", flag("BR-AURELIA", "MKT-11", "Genuine bag"))
        .unwrap();
    let c11 = block_on(sql::open_case_for_listing(&w.db, a.id, "MKT-11"))
        .unwrap()
        .unwrap();
    w.decide(
        &a.agent,
        &a,
        c11.id,
        Decision::Reject(NoteRequest {
            note: Some("Our own stock".into()),
        }),
    )
    .unwrap();
    let appeal = json!({ "type": "appeal.filed", "timestamp": "t", "data": { "appeal_id": "AP-1", "brand_ref": "BR-AURELIA",
        "listing_id": "MKT-11", "seller": { "seller_id": "S-77", "name": "Cheap Luxe" }, "statement": "It is genuine", "evidence_urls": [] } });
    assert!(
        matches!(w.webhook("msg_8", appeal).unwrap(), Receipt::DeadLetter(r) if r.contains("no open case"))
    );
    assert_eq!(
        w.count("SELECT count(*) AS n FROM inbound_events WHERE state = 'dead'"),
        3
    );

    // Bad envelopes are refused before anything is stored.
    let stored = w.count("SELECT count(*) AS n FROM inbound_events");
    for (body, field) in [
        (json!({ "timestamp": "t", "data": {} }), "type"),
        (
            json!({ "type": "listing.flagged", "timestamp": "t" }),
            "data",
        ),
        (
            json!({ "type": "listing.removed", "timestamp": "t", "data": { "listing_id": 5, "reason": "policy" } }),
            "data.listing_id",
        ),
    ] {
        match w.webhook("msg_bad", body) {
            Err(Error::Invalid { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{other:?}"),
        }
    }
    let mut bad_price = flag("BR-AURELIA", "MKT-12", "x");
    bad_price["data"]["listing"]["price"]["amount"] = json!(19.99);
    assert!(
        matches!(w.webhook("msg_bad2", bad_price), Err(Error::Invalid { ref field, .. }) if field == "data.listing.price.amount")
    );
    assert_eq!(w.count("SELECT count(*) AS n FROM inbound_events"), stored);
}

/// SQLite that lets other work run before each statement, as D1's awaits do.
#[test]
fn a_webhook_id_delivered_twice_at_once_is_applied_once() {
    let mut w = World::new();
    let a = w.brand("Aurelia", ProgrammeStatus::Enrolled, true);
    use marketplace::Receipt;
    let body = flag("BR-AURELIA", "MKT-RACE", "Fake bag").to_string();

    // The store reports whether it stored: 1 the first time, 0 for the same id again.
    let store = |id| sql::store_inbound(id, "listing.flagged", &body, T0);
    assert_eq!(block_on(w.db.execute(store("msg_store"))).unwrap(), 1);
    assert_eq!(block_on(w.db.execute(store("msg_store"))).unwrap(), 0);

    // Two deliveries of one id, each statement of one free to run between the other's.
    let db = Interleaved(&w.db);
    let deps = w.deps_on(&db);
    let (first, second) = join(
        marketplace::receive(&deps, "msg_race", body.as_bytes()),
        marketplace::receive(&deps, "msg_race", body.as_bytes()),
    );
    let mut receipts = [first.unwrap().0, second.unwrap().0];
    receipts.sort_by_key(|r| r == &Receipt::Duplicate);
    assert_eq!(receipts, [Receipt::Applied, Receipt::Duplicate]);
    assert_eq!(w.count("SELECT count(*) AS n FROM cases"), 1);
    let case = block_on(sql::open_case_for_listing(&w.db, a.id, "MKT-RACE"))
        .unwrap()
        .unwrap();
    assert_eq!(w.case(&a, case.id).events.len(), 1, "no second detection");
}

#[test]
fn removal_failures_retries_and_stored_events() {
    let mut w = World::new();
    let a = w.brand("Aurelia", ProgrammeStatus::Enrolled, true);
    let (c1, _) = w.report(&a, "MKT-1").unwrap();
    let (c2, _) = w.report(&a, "MKT-2").unwrap();
    let removed = json!({ "type": "listing.removed", "timestamp": "t", "data": { "listing_id": "MKT-1", "reason": "seller_deleted" } });
    w.webhook("msg_r", removed).unwrap();
    let v = w.case(&a, c1.id);
    assert_eq!(v.status, Status::ListingGone);
    assert!(v.listing_removed);

    let action = block_on(sql::actions_of_case(&w.db, c2.id))
        .unwrap()
        .remove(0);
    let failed = json!({ "type": "takedown.failed", "timestamp": "t", "data": { "action_id": action.id, "listing_id": "MKT-2", "reason": "locked by an order" } });
    w.webhook("msg_f", failed).unwrap();
    assert_eq!(w.case(&a, c2.id).status, Status::TakedownFailed);
    let failed_queue = block_on(cases::staff_queue(
        &w.deps(),
        &w.manager,
        Status::TakedownFailed,
    ))
    .unwrap();
    assert_eq!(failed_queue.cases.len(), 1);
    let mgr = w.manager.clone();
    let v = w
        .decide(
            &mgr,
            &a,
            c2.id,
            Decision::RetryTakedown(NoteRequest::default()),
        )
        .unwrap();
    assert_eq!(v.status, Status::TakedownRequested);
    assert_eq!(
        block_on(sql::actions_of_case(&w.db, c2.id)).unwrap().len(),
        2,
        "a new takedown action"
    );

    // An event stored but never applied (a crash in between) is applied by the next cron run.
    let body = flag("BR-AURELIA", "MKT-CRASH", "Stored only").to_string();
    w.exec(vec![sql::store_inbound(
        "msg_crash",
        "listing.flagged",
        &body,
        w.clock.0.get(),
    )]);
    w.clock.advance(2 * MINUTE);
    let run = block_on(jobs::run(&w.deps(), &w.market)).unwrap();
    assert_eq!(run.events_applied, 1);
    assert!(
        block_on(sql::open_case_for_listing(&w.db, a.id, "MKT-CRASH"))
            .unwrap()
            .is_some()
    );
}

#[test]
fn flags_expire_after_seven_days() {
    let mut w = World::new();
    let a = w.brand("Aurelia", ProgrammeStatus::Enrolled, true);
    w.webhook("msg_1", flag("BR-AURELIA", "MKT-9", "Fake bag"))
        .unwrap();
    let c = block_on(sql::open_case_for_listing(&w.db, a.id, "MKT-9"))
        .unwrap()
        .unwrap();
    w.clock.advance(7 * DAY - 1);
    block_on(jobs::run(&w.deps(), &w.market)).unwrap();
    assert_eq!(w.case(&a, c.id).status, Status::AwaitingBrand);
    w.clock.advance(2);
    let run = block_on(jobs::run(&w.deps(), &w.market)).unwrap();
    assert_eq!(run.deadlines, 1);
    let v = w.case(&a, c.id);
    assert_eq!(v.status, Status::Expired);
    assert_eq!(v.events.last().unwrap().actor, "JointForce (deadline)");
    let expired = block_on(cases::staff_queue(&w.deps(), &w.manager, Status::Expired)).unwrap();
    assert_eq!(expired.cases.len(), 1);
}

#[test]
fn the_outbox_backs_off_leases_and_gives_up_after_ten_tries() {
    let mut w = World::new();
    let a = w.brand("Aurelia", ProgrammeStatus::Enrolled, true);
    w.market.down.set(true);
    let (c, ids) = w.report(&a, "MKT-1").unwrap();
    let _ = c;
    // A second sender cannot take a row another one holds.
    let now = w.clock.0.get();
    w.exec(vec![sql::lease_due_actions(
        "other-sender",
        now,
        now + outbox::LEASE,
        10,
        None,
    )]);
    let report = block_on(outbox::deliver(&w.deps(), &w.market, Some(&ids))).unwrap();
    assert_eq!(
        report,
        outbox::Delivery::default(),
        "leased elsewhere: untouched"
    );
    w.clock.advance(outbox::LEASE + 1);
    let mut waits = Vec::new();
    for _ in 0..10 {
        let before = block_on(sql::action(&w.db, ids[0])).unwrap().unwrap();
        w.clock.0.set(before.next_attempt_at.max(w.clock.0.get()));
        let r = block_on(outbox::deliver(&w.deps(), &w.market, None)).unwrap();
        assert_eq!(r.sent, 0);
        let after = block_on(sql::action(&w.db, ids[0])).unwrap().unwrap();
        waits.push(after.next_attempt_at - w.clock.0.get());
    }
    let row = block_on(sql::action(&w.db, ids[0])).unwrap().unwrap();
    assert_eq!(row.state, "dead");
    assert_eq!(row.attempts, 10);
    assert_eq!(&waits[..3], &[MINUTE, 2 * MINUTE, 4 * MINUTE]);

    // An operator sees it and sends it again once the marketplace is back.
    let ops = person(
        UserId(w.uuid()),
        "Priya",
        Some(StaffRole::Operator),
        vec![],
        vec![],
    );
    assert_eq!(
        block_on(outbox::dead_actions(&w.deps(), &ops))
            .unwrap()
            .actions
            .len(),
        1
    );
    assert_eq!(
        block_on(outbox::dead_actions(&w.deps(), &a.agent)).unwrap_err(),
        Error::NotFound
    );
    block_on(outbox::retry_dead_action(&w.deps(), &ops, ids[0])).unwrap();
    w.market.down.set(false);
    let r = block_on(outbox::deliver(&w.deps(), &w.market, None)).unwrap();
    assert_eq!(r.sent, 1);
    let sent = w.market.sent.borrow();
    assert_eq!(
        sent[0].0,
        ids[0].to_string(),
        "the action id is the idempotency key"
    );
    assert!(sent[0].1.contains("\"type\":\"listing.takedown\""));
}

#[test]
fn ip_rights_are_registered_reviewed_and_certificates_kept() {
    let mut w = World::new();
    let a = w.brand("Aurelia", ProgrammeStatus::Enrolled, true);
    let admin = person(
        UserId(w.uuid()),
        "Alice",
        None,
        vec![Membership {
            brand_id: a.id,
            role: BrandRole::BrandAdmin,
        }],
        vec![],
    );
    let req = CreateIpRightRequest {
        kind: "design_right".into(),
        registration_number: "DR-2024-001".into(),
        jurisdiction: "EU".into(),
        classes: None,
        owner: "Aurelia SA".into(),
        expires_at: Some(T0 + 365 * DAY),
    };
    assert_eq!(
        block_on(cases::create_ip_right(
            &w.deps(),
            &a.agent,
            a.id,
            req.clone()
        ))
        .unwrap_err()
        .status(),
        403
    );
    let right = block_on(cases::create_ip_right(&w.deps(), &admin, a.id, req.clone())).unwrap();
    assert_eq!(right.status, "pending");
    assert!(!right.usable);
    assert_eq!(
        block_on(cases::create_ip_right(&w.deps(), &admin, a.id, req))
            .unwrap_err()
            .status(),
        409
    );
    let pdf = StoredFile::accept("cert.pdf", b"%PDF-1.4 certificate".to_vec()).unwrap();
    let right = block_on(cases::upload_certificate(
        &w.deps(),
        &w.files,
        &admin,
        a.id,
        right.id,
        pdf,
    ))
    .unwrap();
    assert!(right.certificate.is_some());
    let mgr = w.manager.clone();
    let pending = block_on(cases::pending_rights(&w.deps(), &mgr)).unwrap();
    assert_eq!(pending.rights.len(), 1);
    let reject_without_reason = block_on(cases::review_ip_right(
        &w.deps(),
        &mgr,
        a.id,
        right.id,
        ReviewIpRightRequest {
            decision: "reject".into(),
            note: None,
        },
    ));
    assert_eq!(reject_without_reason.unwrap_err().status(), 400);
    let verified = block_on(cases::review_ip_right(
        &w.deps(),
        &mgr,
        a.id,
        right.id,
        ReviewIpRightRequest {
            decision: "verify".into(),
            note: None,
        },
    ))
    .unwrap();
    assert!(verified.usable);
    let (bytes, ct, _) = block_on(cases::certificate(
        &w.deps(),
        &w.files,
        &a.viewer,
        a.id,
        right.id,
    ))
    .unwrap();
    assert_eq!(
        (bytes.starts_with(b"%PDF"), ct.as_str()),
        (true, "application/pdf")
    );
    // Brand members cannot verify their own rights.
    let again = block_on(cases::review_ip_right(
        &w.deps(),
        &admin,
        a.id,
        right.id,
        ReviewIpRightRequest {
            decision: "verify".into(),
            note: None,
        },
    ));
    assert_eq!(again.unwrap_err().status(), 403);
}

// ---------------------------------------------------------------- many decisions at once

/// SQLite that counts the batches it is given (many decisions must be one write).
struct Counted<'a> {
    db: &'a Sqlite,
    batches: std::cell::Cell<usize>,
}

impl Db for Counted<'_> {
    async fn all(&self, stmt: Stmt) -> jf_core::Result<jf_core::store::Rows> {
        self.db.all(stmt).await
    }
    async fn batch(&self, stmts: Vec<Stmt>) -> jf_core::Result<()> {
        self.batches.set(self.batches.get() + 1);
        self.db.batch(stmts).await
    }
    async fn execute(&self, stmt: Stmt) -> jf_core::Result<u64> {
        self.db.execute(stmt).await
    }
}

impl World {
    fn counted(&self) -> Counted<'_> {
        Counted {
            db: &self.db,
            batches: std::cell::Cell::new(0),
        }
    }
    /// `decide_many` as `actor` for the brand, and how many batches it wrote.
    fn decide_many(
        &self,
        actor: &Actor,
        b: &Brand,
        decisions: Vec<FlagDecisionRequest>,
    ) -> (
        Result<(DecisionsAnswer, Vec<jf_core::ids::ActionId>), Error>,
        usize,
    ) {
        let db = self.counted();
        let deps = self.deps_on(&db);
        let answer = block_on(cases::decide_many(
            &deps,
            actor,
            b.id,
            DecisionsRequest { decisions },
        ));
        (answer, db.batches.get())
    }
    /// Flags `n` new listings of the brand `BR-AURELIA`; the cases awaiting it, by listing id.
    fn flag_many(&self, b: &Brand, prefix: &str, n: usize) -> Vec<CaseSummary> {
        for i in 0..n {
            let listing = format!("{prefix}-{i:03}");
            w_flag(self, &listing);
        }
        let q = CaseQuery {
            status: Some("awaiting_brand".into()),
            limit: Some("100".into()),
            ..CaseQuery::default()
        };
        let mut list = block_on(cases::list_cases(&self.deps(), &b.agent, b.id, &q))
            .unwrap()
            .cases;
        list.retain(|c| c.listing_id.starts_with(prefix));
        list.sort_by(|x, y| x.listing_id.cmp(&y.listing_id));
        assert_eq!(list.len(), n);
        list
    }
}

fn w_flag(w: &World, listing: &str) {
    let id = format!("msg_flag_{listing}_{}", w.uuid());
    let receipt = w
        .webhook(
            &id,
            flag("BR-AURELIA", listing, &format!("Flagged {listing}")),
        )
        .unwrap();
    assert_eq!(receipt, marketplace::Receipt::Applied);
}

fn confirm_entry(c: &CaseSummary, right: IpRightId) -> FlagDecisionRequest {
    FlagDecisionRequest {
        case_id: c.id,
        version: c.version,
        decision: FlagDecision::Confirm,
        ip_right_id: Some(right.to_string()),
        reason_code: Some("trademark_misuse".into()),
        note: None,
    }
}

fn reject_entry(c: &CaseSummary, note: &str) -> FlagDecisionRequest {
    FlagDecisionRequest {
        case_id: c.id,
        version: c.version,
        decision: FlagDecision::Reject,
        ip_right_id: None,
        reason_code: None,
        note: Some(note.into()),
    }
}

fn user_of(actor: &Actor) -> UserId {
    match actor {
        Actor::Person(p) => p.user_id,
        _ => panic!("not a person"),
    }
}

#[test]
fn fifty_flags_are_decided_in_one_batch_and_one_moved_meanwhile_is_a_conflict() {
    let mut w = World::new();
    let a = w.brand("Aurelia", ProgrammeStatus::Enrolled, true);
    w.exec(vec![sql::insert_endpoint(
        "ep_1",
        a.id,
        "https://hooks.aurelia.example/jf",
        r#"["case.status_changed"]"#,
        "whsec_dGVzdA==",
        user_of(&a.agent),
        T0,
    )]);
    let read = w.flag_many(&a, "MKT-B", 50);
    assert!(read.iter().all(|c| c.version == 1), "flagged at version 1");

    // Between reading the queue and deciding, the marketplace removes one listing.
    let moved = &read[10];
    let removed = json!({ "type": "listing.removed", "timestamp": "t",
        "data": { "listing_id": moved.listing_id, "reason": "seller_deleted" } });
    assert_eq!(
        w.webhook("msg_removed", removed).unwrap(),
        marketplace::Receipt::Applied
    );
    let deliveries_before = w.count("SELECT count(*) AS n FROM webhook_deliveries");

    // Even places confirm, odd ones reject (with a note).
    let decisions: Vec<FlagDecisionRequest> = read
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i % 2 == 0 {
                confirm_entry(c, a.right)
            } else {
                reject_entry(c, &format!("Our own stock, lot {i}"))
            }
        })
        .collect();
    let (answer, batches) = w.decide_many(&a.agent, &a, decisions);
    let (answer, action_ids) = answer.unwrap();
    assert_eq!(batches, 1, "all the decisions are one batch");
    assert_eq!(answer.results.len(), 50);
    let decided = answer
        .results
        .iter()
        .filter(|r| r.outcome == DecisionOutcome::Decided)
        .count();
    assert_eq!(decided, 49);
    let conflict = &answer.results[10];
    assert_eq!(
        (conflict.case_id, conflict.outcome, conflict.status),
        (moved.id, DecisionOutcome::Conflict, Status::ListingGone)
    );
    assert_eq!(
        action_ids.len(),
        24,
        "one takedown per decided confirmation"
    );

    let capacity =
        jf_core::access::authorize(&a.agent, a.id, jf_core::access::Action::DecideFlag).unwrap();
    let label = cases::actor_label(&a.agent, capacity, "Aurelia");
    for (i, (c, r)) in read.iter().zip(&answer.results).enumerate() {
        assert_eq!(r.case_id, c.id, "results in the order asked");
        let file = w.case(&a, c.id);
        let actions = block_on(sql::actions_of_case(&w.db, c.id)).unwrap();
        if i == 10 {
            assert_eq!(file.status, Status::ListingGone);
            assert!(
                file.events
                    .iter()
                    .all(|e| e.kind != "confirm" && e.kind != "reject"),
                "nothing written for the conflicting case"
            );
            assert!(actions.is_empty());
            continue;
        }
        assert_eq!(r.outcome, DecisionOutcome::Decided, "{i}");
        assert_eq!(r.version, 2);
        assert_eq!(file.events.len(), 2, "{i}: the flag, then the decision");
        let event = &file.events[1];
        assert_eq!(event.seq, 2);
        assert_eq!(event.from_status, Some(Status::AwaitingBrand));
        assert_eq!(event.actor, label);
        if i % 2 == 0 {
            assert_eq!(
                (r.status, file.status),
                (Status::TakedownRequested, Status::TakedownRequested)
            );
            assert_eq!(event.kind, "confirm");
            assert_eq!(event.to_status, Some(Status::TakedownRequested));
            assert_eq!(file.reason_code.as_deref(), Some("trademark_misuse"));
            assert_eq!(file.ip_right.as_ref().map(|r| r.id), Some(a.right));
            assert_eq!(file.deadline_at, None);
            assert_eq!(actions.len(), 1, "{i}: its takedown");
            let action = &actions[0];
            assert_eq!(action.kind, "listing.takedown");
            assert!(action_ids.contains(&action.id));
            let payload: serde_json::Value = serde_json::from_str(&action.payload).unwrap();
            assert_eq!(
                payload,
                json!({ "action_id": action.id, "case_id": c.id, "brand_ref": "BR-AURELIA",
                        "listing_id": c.listing_id, "reason_code": "trademark_misuse" })
            );
        } else {
            assert_eq!((r.status, file.status), (Status::Cleared, Status::Cleared));
            assert_eq!(event.kind, "reject");
            assert_eq!(
                event.note.as_deref(),
                Some(&*format!("Our own stock, lot {i}"))
            );
            assert!(
                actions.is_empty(),
                "a rejection owes the marketplace nothing"
            );
        }
    }
    assert_eq!(
        w.count("SELECT count(*) AS n FROM outbox"),
        24,
        "no action for the conflict"
    );
    assert_eq!(
        w.count("SELECT count(*) AS n FROM cases WHERE is_open = 0 AND status = 'cleared'"),
        25
    );

    // The brand's endpoint hears of each decided case, in the envelope a single decision sends.
    assert_eq!(
        w.count("SELECT count(*) AS n FROM webhook_deliveries") - deliveries_before,
        49
    );
    #[derive(serde::Deserialize)]
    struct P {
        payload: String,
    }
    let payloads: Vec<serde_json::Value> = block_on(query::<P>(
        &w.db,
        Stmt::new(
            "SELECT payload FROM webhook_deliveries WHERE event_type = 'case.status_changed'",
            vec![],
        ),
    ))
    .unwrap()
    .into_iter()
    .map(|p| serde_json::from_str(&p.payload).unwrap())
    .collect();
    let of = |id: CaseId| {
        payloads
            .iter()
            .find(|p| p["data"]["case_id"] == json!(id) && p["data"]["event"] != "listing_removed")
            .cloned()
            .unwrap_or_else(|| panic!("no delivery for {id}"))
    };
    let confirmed = of(read[0].id);
    assert_eq!(
        confirmed["data"],
        json!({ "case_id": read[0].id, "brand_id": a.id, "listing_id": read[0].listing_id,
                "from": "awaiting_brand", "to": "takedown_requested", "event": "confirm", "note": null })
    );
    assert_eq!(confirmed["type"], "case.status_changed");
    assert_eq!(of(read[1].id)["data"]["note"], "Our own stock, lot 1");
    // The same decision taken alone sends the same shape.
    let single = w.flag_many(&a, "MKT-S", 1).remove(0);
    w.decide(
        &a.agent,
        &a,
        single.id,
        Decision::Reject(NoteRequest { note: None }),
    )
    .unwrap();
    let payloads: Vec<serde_json::Value> = block_on(query::<P>(
        &w.db,
        Stmt::new(
            "SELECT payload FROM webhook_deliveries WHERE event_type = 'case.status_changed'",
            vec![],
        ),
    ))
    .unwrap()
    .into_iter()
    .map(|p| serde_json::from_str(&p.payload).unwrap())
    .collect();
    let alone = payloads
        .iter()
        .find(|p| p["data"]["case_id"] == json!(single.id))
        .unwrap();
    let keys = |v: &serde_json::Value| {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(keys(alone), keys(&confirmed));
    assert_eq!(keys(&alone["data"]), keys(&confirmed["data"]));
    assert_eq!(alone["timestamp"], confirmed["timestamp"], "same clock");

    // Deciding the same cases again: every one is a conflict now, and nothing more is written.
    let events = w.count("SELECT count(*) AS n FROM case_events");
    let again: Vec<FlagDecisionRequest> = read.iter().map(|c| reject_entry(c, "again")).collect();
    let (answer, batches) = w.decide_many(&a.agent, &a, again);
    let (answer, ids) = answer.unwrap();
    assert_eq!(batches, 1);
    assert!(ids.is_empty());
    assert!(answer
        .results
        .iter()
        .all(|r| r.outcome == DecisionOutcome::Conflict));
    assert_eq!(w.count("SELECT count(*) AS n FROM case_events"), events);
}

#[test]
fn a_refused_batch_of_decisions_stores_nothing_and_stale_versions_conflict() {
    let mut w = World::new();
    let a = w.brand("Aurelia", ProgrammeStatus::Enrolled, true);
    let n = w.brand("Northwind", ProgrammeStatus::Enrolled, false);
    let read = w.flag_many(&a, "MKT-R", 3);
    let ok = |i: usize| confirm_entry(&read[i], a.right);
    let counts = |w: &World| {
        [
            "SELECT count(*) AS n FROM case_events",
            "SELECT count(*) AS n FROM outbox",
            "SELECT count(*) AS n FROM webhook_deliveries",
            "SELECT count(*) AS n FROM cases WHERE status = 'awaiting_brand' AND version = 1",
        ]
        .map(|q| w.count(q))
    };
    let before = counts(&w);
    let refused = |decisions: Vec<FlagDecisionRequest>| -> (String, Why) {
        let (answer, batches) = w.decide_many(&a.agent, &a, decisions);
        assert_eq!(batches, 0, "nothing written");
        match answer.unwrap_err() {
            Error::Invalid { field, why } => (field, why),
            other => panic!("{other:?}"),
        }
    };

    // A right that is no id at all is malformed (a right that may not be invoked is refused
    // alone: `a_confirmation_whose_right_may_not_be_invoked_is_refused_alone`).
    let mut not_an_id = ok(1);
    not_an_id.ip_right_id = Some("TM-123".into());
    assert_eq!(
        refused(vec![ok(0), not_an_id, ok(2)]).0,
        "decisions[1].ip_right_id"
    );
    let mut without_right = ok(0);
    without_right.ip_right_id = None;
    assert_eq!(refused(vec![without_right]).0, "decisions[0].ip_right_id");
    let mut without_reason = ok(0);
    without_reason.reason_code = None;
    assert_eq!(refused(vec![without_reason]).0, "decisions[0].reason_code");
    let mut long_note = reject_entry(&read[1], "x");
    long_note.note = Some("x".repeat(2001));
    assert_eq!(refused(vec![ok(0), long_note]).0, "decisions[1].note");
    let (field, why) = refused(vec![ok(0), ok(1), ok(0)]);
    assert_eq!(field, "decisions[2].case_id");
    assert!(why.english().contains("decisions[0]"), "{why}");
    assert_eq!(refused(vec![]).0, "decisions");
    let mut many: Vec<FlagDecisionRequest> = (0..101)
        .map(|_| FlagDecisionRequest {
            case_id: CaseId(w.uuid()),
            ..reject_entry(&read[0], "x")
        })
        .collect();
    assert_eq!(refused(many.clone()).0, "decisions");
    many.truncate(1);
    assert_eq!(
        refused(many).0,
        "decisions[0].case_id",
        "a case that does not exist"
    );
    let northwind_case = {
        let (c, _) = w.report(&n, "MKT-1").unwrap();
        c.id
    };
    let before = {
        let mut b = before;
        b[0] += 1; // the report's own event
        b
    };
    assert_eq!(
        refused(vec![
            ok(0),
            FlagDecisionRequest {
                case_id: northwind_case,
                ..reject_entry(&read[1], "x")
            }
        ])
        .0,
        "decisions[1].case_id",
        "another brand's case is not found either"
    );
    // An unknown decision is refused when the body is read, naming the entry.
    let body = json!({ "decisions": [
        { "case_id": read[0].id, "version": 1, "decision": "reject" },
        { "case_id": read[1].id, "version": 1, "decision": "approve" } ] });
    match jf_core::api::parse_json::<DecisionsRequest>(body.to_string().as_bytes()) {
        Err(Error::Invalid { field, .. }) => assert_eq!(field, "decisions[1].decision"),
        other => panic!("{other:?}"),
    }
    // A viewer may not decide.
    let (viewer, batches) = w.decide_many(&a.viewer, &a, vec![ok(0)]);
    assert_eq!((viewer.unwrap_err().status(), batches), (403, 0));
    assert_eq!(counts(&w), before, "nothing stored");

    // A case changed since it was read (another flag) is a conflict though it still awaits the
    // brand; the others are decided.
    w_flag(&w, &read[2].listing_id);
    let (answer, batches) = w.decide_many(
        &a.agent,
        &a,
        vec![ok(0), reject_entry(&read[1], "genuine"), ok(2)],
    );
    let (answer, ids) = answer.unwrap();
    assert_eq!(batches, 1);
    let outcomes: Vec<_> = answer
        .results
        .iter()
        .map(|r| (r.outcome, r.status, r.version))
        .collect();
    assert_eq!(
        outcomes,
        [
            (DecisionOutcome::Decided, Status::TakedownRequested, 2),
            (DecisionOutcome::Decided, Status::Cleared, 2),
            (DecisionOutcome::Conflict, Status::AwaitingBrand, 2),
        ]
    );
    assert_eq!(ids.len(), 1);
    let stale = w.case(&a, read[2].id);
    assert_eq!(stale.status, Status::AwaitingBrand);
    assert_eq!(
        stale.events.len(),
        2,
        "the flag and the second detection only"
    );
    assert!(block_on(sql::actions_of_case(&w.db, read[2].id))
        .unwrap()
        .is_empty());
}

/// Rights of `b` that may not be invoked: one still pending, one verified but expired.
fn unusable_rights(w: &World, b: &Brand) -> (IpRightId, IpRightId) {
    let (pending, expired) = (IpRightId(w.uuid()), IpRightId(w.uuid()));
    let right = |id, number, expires_at| {
        sql::insert_ip_right(&sql::NewIpRight {
            id,
            brand_id: b.id,
            kind: "trademark",
            registration_number: number,
            jurisdiction: "CN",
            classes: "",
            owner: "Aurelia",
            expires_at,
            now: T0 - 400 * DAY,
        })
    };
    w.exec(vec![
        right(pending, "TM-PENDING", None),
        right(expired, "TM-EXPIRED", Some(T0 - 1)),
        sql::review_ip_right(
            b.id,
            expired,
            "verified",
            None,
            user_of(&b.agent),
            T0 - 1000,
        ),
    ]);
    (pending, expired)
}

#[test]
fn a_confirmation_whose_right_may_not_be_invoked_is_refused_alone() {
    let mut w = World::new();
    let a = w.brand("Aurelia", ProgrammeStatus::Enrolled, true);
    let n = w.brand("Northwind", ProgrammeStatus::Enrolled, false);
    let (pending, expired) = unusable_rights(&w, &a);
    let read = w.flag_many(&a, "MKT-X", 5);
    let with_right = |i: usize, right: IpRightId| confirm_entry(&read[i], right);
    let events = w.count("SELECT count(*) AS n FROM case_events");

    let (answer, batches) = w.decide_many(
        &a.agent,
        &a,
        vec![
            with_right(0, a.right),
            with_right(1, expired),
            with_right(2, pending),
            with_right(3, n.right),
            reject_entry(&read[4], "ours"),
        ],
    );
    let (answer, actions) = answer.unwrap();
    assert_eq!(batches, 1, "the others are still one write");
    let outcomes: Vec<_> = answer
        .results
        .iter()
        .map(|r| (r.case_id, r.outcome, r.status, r.version))
        .collect();
    assert_eq!(
        outcomes,
        [
            (
                read[0].id,
                DecisionOutcome::Decided,
                Status::TakedownRequested,
                2
            ),
            (
                read[1].id,
                DecisionOutcome::Refused,
                Status::AwaitingBrand,
                1
            ),
            (
                read[2].id,
                DecisionOutcome::Refused,
                Status::AwaitingBrand,
                1
            ),
            (
                read[3].id,
                DecisionOutcome::Refused,
                Status::AwaitingBrand,
                1
            ),
            (read[4].id, DecisionOutcome::Decided, Status::Cleared, 2),
        ]
    );
    let refusals: Vec<_> = answer
        .results
        .iter()
        .map(|r| r.refusal.as_ref().map(|f| (f.code, f.args.clone())))
        .collect();
    assert_eq!(
        refusals,
        [
            None,
            Some((RefusalCode::RightExpired, vec!["TM-EXPIRED".to_owned()])),
            Some((RefusalCode::RightNotVerified, vec!["TM-PENDING".to_owned()])),
            Some((RefusalCode::RightNotYours, vec![])),
            None,
        ]
    );
    let expired_refusal = answer.results[1].refusal.clone().unwrap();
    assert_eq!(
        expired_refusal.message,
        "The IP right TM-EXPIRED has expired."
    );
    assert_eq!(
        expired_refusal.reason(),
        Some(Reason::RightExpired {
            number: "TM-EXPIRED".into()
        }),
        "the app reads the reason back to say it in the person's language"
    );
    assert_eq!(actions.len(), 1, "one takedown: the confirmation decided");
    assert_eq!(
        w.count("SELECT count(*) AS n FROM case_events"),
        events + 2,
        "an event for each decided case, none for the refused"
    );
    for refused in &read[1..4] {
        let file = w.case(&a, refused.id);
        assert_eq!(file.status, Status::AwaitingBrand);
        assert_eq!(file.events.len(), 1, "the flag only");
        assert_eq!(file.ip_right, None);
        assert!(block_on(sql::actions_of_case(&w.db, refused.id))
            .unwrap()
            .is_empty());
    }
    // The refused cases still await the brand: confirmed with a right it may invoke, they go.
    let (again, _) = w.decide_many(&a.agent, &a, vec![with_right(1, a.right)]);
    assert_eq!(
        again.unwrap().0.results[0].outcome,
        DecisionOutcome::Decided
    );
    // Every confirmation refused: nothing is moved, and the answer says why for each.
    let (all, _) = w.decide_many(&a.agent, &a, vec![with_right(2, expired)]);
    let all = all.unwrap().0;
    assert_eq!(all.results[0].outcome, DecisionOutcome::Refused);
    assert_eq!(w.case(&a, read[2].id).status, Status::AwaitingBrand);
}

// ---------------------------------------------------------------- who acted, in the history

/// The display name of a brand agent who chose to look like someone else in a timeline.
const TRICKY: &str = "Eve (account manager) for Aurelia";

impl World {
    /// A member of `b` in `role`, named `name`.
    fn member(&self, b: &Brand, name: &str, role: BrandRole) -> Actor {
        let id = UserId(self.uuid());
        let email = Email::parse(&format!("m{}@aurelia.test", id.0.simple())).unwrap();
        self.exec(vec![
            sql::insert_user(id, &email, name, None, None, T0),
            sql::insert_membership(id, b.id, role, T0),
        ]);
        person(
            id,
            name,
            None,
            vec![Membership {
                brand_id: b.id,
                role,
            }],
            vec![],
        )
    }
}

/// (kind, name, brand acted for) of an event, as the case file shows it.
fn who(e: &CaseEventView) -> (&str, Option<&str>, Option<&str>) {
    (
        e.actor_kind.as_str(),
        e.actor_name.as_deref(),
        e.actor_brand.as_deref(),
    )
}

#[test]
fn the_timeline_shows_who_acted_from_the_recorded_kind_never_from_the_label() {
    let mut w = World::new();
    let a = w.brand("Aurelia", ProgrammeStatus::Enrolled, true);
    let eve = w.member(&a, TRICKY, BrandRole::BrandAgent);
    let confirm = || {
        Decision::Confirm(ConfirmRequest {
            ip_right_id: a.right.to_string(),
            reason_code: "counterfeit".into(),
            note: Some("Logo is wrong.".into()),
        })
    };

    // The marketplace flags; Eve, a brand agent, confirms.
    w_flag(&w, "MKT-EVE");
    let c = block_on(sql::open_case_for_listing(&w.db, a.id, "MKT-EVE"))
        .unwrap()
        .unwrap();
    let v = w.decide(&eve, &a, c.id, confirm()).unwrap();
    let flagged = &v.events[0];
    assert_eq!(who(flagged), ("marketplace", None, None));
    assert_eq!(flagged.actor, "Marketplace");
    assert_eq!(flagged.note_code.as_deref(), Some("detection"));
    assert_eq!(flagged.note_args, ["0.93", "logo_mismatch, price_anomaly"]);
    let confirmed = v.events.last().unwrap();
    assert_eq!(confirmed.kind, "confirm");
    assert_eq!(who(confirmed), ("brand_agent", Some(TRICKY), None));
    assert_eq!(confirmed.actor, format!("{TRICKY} (brand_agent)"));
    assert_eq!(
        (confirmed.note.as_deref(), confirmed.note_code.as_deref()),
        (Some("Logo is wrong."), None),
        "a person's note is data, with no code"
    );
    assert!(confirmed.note_args.is_empty());
    // The row itself: typed columns beside the English rendering.
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Row {
        actor_id: Option<String>,
        actor_kind: Option<String>,
        actor_name: Option<String>,
        on_behalf_of: Option<String>,
        note_code: Option<String>,
        note_args: Option<String>,
    }
    let rows: Vec<Row> = block_on(query(
        &w.db,
        Stmt::new(
            "SELECT actor_id, actor_kind, actor_name, on_behalf_of, note_code, note_args
             FROM case_events WHERE case_id = ?1 ORDER BY seq",
            vec![c.id.into()],
        ),
    ))
    .unwrap();
    assert_eq!(
        rows[1],
        Row {
            actor_id: Some(user_of(&eve).to_string()),
            actor_kind: Some("brand_agent".into()),
            actor_name: Some(TRICKY.into()),
            on_behalf_of: None,
            note_code: None,
            note_args: None,
        }
    );
    assert_eq!(
        rows[0].note_args.as_deref(),
        Some(r#"["0.93","logo_mismatch, price_anomaly"]"#)
    );

    // The marketplace's takedown result.
    let action = block_on(sql::actions_of_case(&w.db, c.id))
        .unwrap()
        .remove(0);
    let failed = json!({ "type": "takedown.failed", "timestamp": "t", "data": {
        "action_id": action.id, "listing_id": "MKT-EVE", "reason": "seller (account manager) for Aurelia" } });
    w.webhook("msg_failed", failed).unwrap();
    let result = w.case(&a, c.id).events.pop().unwrap();
    assert_eq!(who(&result), ("marketplace", None, None));
    assert_eq!(
        (result.note_code.as_deref(), result.note_args.as_slice()),
        (
            Some("takedown_failed"),
            ["seller (account manager) for Aurelia".to_owned()].as_slice()
        )
    );

    // The account manager acts for the brand, one case and many at once.
    w_flag(&w, "MKT-AM1");
    w_flag(&w, "MKT-AM2");
    let am1 = block_on(sql::open_case_for_listing(&w.db, a.id, "MKT-AM1"))
        .unwrap()
        .unwrap();
    let mgr = w.manager.clone();
    let v = w
        .decide(
            &mgr,
            &a,
            am1.id,
            Decision::Reject(NoteRequest {
                note: Some(NoteCode::TakedownConfirmed.template().into()),
            }),
        )
        .unwrap();
    let rejected = v.events.last().unwrap();
    assert_eq!(
        who(rejected),
        ("account_manager", Some("Marco Bianchi"), Some("Aurelia"))
    );
    assert_eq!(
        rejected.actor,
        "Marco Bianchi (account manager) for Aurelia"
    );
    assert_eq!(
        rejected.note_code, None,
        "a person's note that reads like JointForce's sentence is still theirs"
    );
    let am2 = block_on(sql::open_case_for_listing(&w.db, a.id, "MKT-AM2"))
        .unwrap()
        .unwrap();
    let (answer, _) = w.decide_many(
        &mgr,
        &a,
        vec![FlagDecisionRequest {
            case_id: am2.id,
            version: am2.version,
            decision: FlagDecision::Reject,
            ip_right_id: None,
            reason_code: None,
            note: Some("genuine".into()),
        }],
    );
    assert_eq!(
        answer.unwrap().0.results[0].outcome,
        DecisionOutcome::Decided
    );
    let many = w.case(&a, am2.id).events.pop().unwrap();
    assert_eq!(
        who(&many),
        ("account_manager", Some("Marco Bianchi"), Some("Aurelia"))
    );
    assert_eq!(
        (many.note.as_deref(), many.note_code.as_deref()),
        (Some("genuine"), None)
    );
    // Eve decides many too.
    w_flag(&w, "MKT-EVE2");
    let eve2 = block_on(sql::open_case_for_listing(&w.db, a.id, "MKT-EVE2"))
        .unwrap()
        .unwrap();
    let (answer, _) = w.decide_many(&eve, &a, vec![confirm_entry(&summary_of(&eve2), a.right)]);
    answer.unwrap();
    let by_eve = w.case(&a, eve2.id).events.pop().unwrap();
    assert_eq!(who(&by_eve), ("brand_agent", Some(TRICKY), None));

    // An API key files a report: the key, for its brand, and JointForce's filing note.
    let key = Actor::ApiKey {
        brand_id: a.id,
        scope: jf_core::access::KeyScope::ReadWrite,
    };
    let req = ReportRequest {
        listing: "MKT-1".into(),
        ip_right_id: a.right.to_string(),
        reason_code: "counterfeit".into(),
        statement: STATEMENT.into(),
        evidence_urls: vec![],
        good_faith: true,
    };
    let (filed, _) = block_on(cases::file_report(
        &w.deps(),
        &w.ports(),
        &key,
        a.id,
        req,
        vec![],
    ))
    .unwrap();
    let first = &filed.events[0];
    assert_eq!(who(first), ("api_key", None, Some("Aurelia")));
    assert_eq!(first.actor, "API key of Aurelia");
    assert_eq!(
        (first.note_code.as_deref(), first.note_args.len()),
        (Some("filed_auto"), 0)
    );

    // The deadline rule expires a flag nobody answered.
    w_flag(&w, "MKT-LATE");
    let late = block_on(sql::open_case_for_listing(&w.db, a.id, "MKT-LATE"))
        .unwrap()
        .unwrap();
    w.clock.advance(7 * DAY + 1);
    block_on(jobs::run(&w.deps(), &w.market)).unwrap();
    let expired = w.case(&a, late.id).events.pop().unwrap();
    assert_eq!(expired.kind, "expire");
    assert_eq!(who(&expired), ("deadline", None, None));
    assert_eq!(expired.actor, "JointForce (deadline)");
    assert_eq!(expired.note_code.as_deref(), Some("flag_expired"));
    assert_eq!(
        w.count("SELECT count(*) AS n FROM case_events WHERE actor_kind IS NULL"),
        0,
        "everything written now has its kind"
    );
}

fn summary_of(c: &sql::CaseRecord) -> CaseSummary {
    CaseSummary {
        id: c.id,
        brand_id: c.brand_id,
        brand_name: c.brand_name.clone(),
        listing_id: c.listing_id.clone(),
        title: c.title.clone(),
        seller_id: c.seller_id.clone(),
        seller_name: c.seller_name.clone(),
        image_url: None,
        price: None,
        detection: None,
        origin: jf_core::case::Origin::Detection,
        status: c.status,
        version: c.version,
        reason_code: c.reason_code.clone(),
        right_number: None,
        deadline_at: c.deadline_at,
        overdue: false,
        created_at: c.created_at,
        updated_at: c.updated_at,
    }
}

#[test]
fn the_backfill_fills_old_rows_from_ids_and_roles_a_chunk_per_run() {
    let mut w = World::new();
    let a = w.brand("Aurelia", ProgrammeStatus::Enrolled, true);
    let eve = w.member(&a, TRICKY, BrandRole::BrandAgent);
    let (c, _) = w.report(&a, "MKT-1").unwrap();
    let manager = UserId(uuid::Uuid::from_bytes([7; 16]));
    // Rows as the code before migration 0006 wrote them: the old columns only.
    let old = |seq: i64, kind: &str, actor: Option<UserId>, label: &str, note: Option<&str>| {
        Stmt::new(
            "INSERT INTO case_events (case_id, seq, kind, from_status, to_status, actor_id, actor_label, note, at)
             VALUES (?1, ?2, ?3, NULL, NULL, ?4, ?5, ?6, ?7)",
            vec![
                c.id.into(),
                seq.into(),
                kind.into(),
                actor.into(),
                label.into(),
                note.into(),
                T0.into(),
            ],
        )
    };
    let confirmed = NoteCode::TakedownConfirmed.template();
    let mut stmts = vec![
        // The label lies; the membership does not.
        old(
            2,
            "confirm",
            Some(user_of(&eve)),
            &format!("{TRICKY} (brand_agent)"),
            Some(confirmed),
        ),
        old(
            3,
            "approve",
            Some(manager),
            "Marco Bianchi (account manager) for Aurelia",
            None,
        ),
        old(
            4,
            "takedown_completed",
            None,
            "Marketplace",
            Some(confirmed),
        ),
        old(
            5,
            "no_appeal",
            None,
            "JointForce (deadline)",
            Some(NoteCode::NoAppeal.template()),
        ),
        old(6, "withdraw", None, "API key of Aurelia", Some("Mistake.")),
        // A person's label without an actor id is never split.
        old(7, "reject", None, "Arjun Mehta (brand_agent)", None),
    ];
    // More old rows than one run fills.
    let total = jobs::BACKFILL_CHUNK + 10;
    for seq in 8..=(total + 1) {
        stmts.push(old(seq, "detection", None, "Marketplace", Some("x")));
    }
    w.exec(stmts);
    let unfilled = || w.count("SELECT count(*) AS n FROM case_events WHERE actor_kind IS NULL");
    assert_eq!(unfilled(), total);

    // Before the backfill, old rows show their label as it is, with no kind.
    let before = w.case(&a, c.id);
    assert_eq!(
        who(&before.events[0]),
        ("brand_agent", Some("Arjun Mehta"), None)
    );
    assert_eq!(who(&before.events[1]), ("", None, None));
    assert_eq!(before.events[1].actor, format!("{TRICKY} (brand_agent)"));
    assert_eq!(before.events[3].note_code, None);

    let backfill = || block_on(jobs::backfill_history(&w.deps())).unwrap();
    assert_eq!(backfill(), jobs::BACKFILL_CHUNK as usize);
    assert_eq!(unfilled(), 10, "one chunk per run");
    assert_eq!(backfill(), 10);
    assert_eq!((backfill(), unfilled()), (0, 0));

    let after = w.case(&a, c.id);
    let e = |seq: i64| after.events.iter().find(|e| e.seq == seq).unwrap();
    assert_eq!(who(e(2)), ("brand_agent", Some(TRICKY), None));
    assert_eq!(e(2).note_code, None, "a person's note never gets a code");
    assert_eq!(
        who(e(3)),
        ("account_manager", Some("Marco Bianchi"), Some("Aurelia"))
    );
    assert_eq!(who(e(4)), ("marketplace", None, None));
    assert_eq!(e(4).note_code.as_deref(), Some("takedown_confirmed"));
    assert_eq!(who(e(5)), ("deadline", None, None));
    assert_eq!(e(5).note_code.as_deref(), Some("no_appeal"));
    assert_eq!(who(e(6)), ("api_key", None, Some("Aurelia")));
    assert_eq!(
        (who(e(7)), e(7).actor.as_str()),
        (("", None, None), "Arjun Mehta (brand_agent)"),
        "could not be told: shown by its label"
    );
    assert_eq!(
        w.count("SELECT count(*) AS n FROM case_events WHERE actor_kind = 'unknown'"),
        1
    );
    assert_eq!(e(8).note_code, None, "not one of JointForce's sentences");
}

#[test]
fn the_migration_keeps_old_rows_and_the_backfill_fills_them() {
    // A database as it was before migration 0006, with a history written then.
    let db = Sqlite::migrated_before("0006");
    let brand = BrandId(uuid::Uuid::from_bytes([1; 16]));
    let case = CaseId(uuid::Uuid::from_bytes([2; 16]));
    let staff = UserId(uuid::Uuid::from_bytes([3; 16]));
    let old = [
        (
            1,
            None,
            "Marketplace",
            Some("The marketplace confirmed the takedown."),
        ),
        (2, Some(staff), "Priya Raman (operator) for Aurelia", None),
    ];
    let mut stmts = vec![
        sql::insert_brand(brand, "Aurelia", "BR-AURELIA", T0),
        sql::insert_user(
            staff,
            &Email::parse("ops@marketplace.test").unwrap(),
            "Priya Raman",
            None,
            Some(StaffRole::Operator),
            T0,
        ),
        Stmt::new(
            "INSERT INTO cases (id, brand_id, listing_id, origin, status, is_open, created_at, updated_at)
             VALUES (?1, ?2, 'MKT-1', 'report', 'taken_down', 1, ?3, ?3)",
            vec![case.into(), brand.into(), T0.into()],
        ),
    ];
    for (seq, actor, label, note) in old {
        stmts.push(Stmt::new(
            "INSERT INTO case_events (case_id, seq, kind, actor_id, actor_label, note, at)
             VALUES (?1, ?2, 'x', ?3, ?4, ?5, ?6)",
            vec![
                case.into(),
                seq.into(),
                actor.into(),
                label.into(),
                note.into(),
                T0.into(),
            ],
        ));
    }
    block_on(db.batch(stmts)).unwrap();
    db.migrate_from("0006");
    let (clock, entropy) = (FixedClock::at(T0), SeededEntropy::default());
    let deps = Deps {
        db: &db,
        clock: &clock,
        entropy: &entropy,
        address: None,
    };
    assert_eq!(block_on(jobs::backfill_history(&deps)).unwrap(), 2);
    let events = block_on(sql::case_events(&db, case)).unwrap();
    let cols: Vec<_> = events
        .iter()
        .map(|e| {
            (
                e.actor_kind.as_deref(),
                e.actor_name.as_deref(),
                e.on_behalf_of.as_deref(),
                e.note_code.as_deref(),
                e.note_args.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        cols,
        [
            (
                Some("marketplace"),
                None,
                None,
                Some("takedown_confirmed"),
                Some("[]")
            ),
            (
                Some("operator"),
                Some("Priya Raman"),
                Some("Aurelia"),
                None,
                None
            ),
        ]
    );
    assert_eq!(block_on(jobs::backfill_history(&deps)).unwrap(), 0);
}

#[test]
fn every_case_event_is_in_the_audit_log_linking_its_case_file() {
    use jf_core::audit::{self, AuditQuery};
    let mut w = World::new();
    let n = w.brand("Northwind", ProgrammeStatus::Enrolled, false);
    let (c1, _) = w.report(&n, "MKT-1").unwrap();
    let mgr = w.manager.clone();
    w.clock.advance(MINUTE);
    w.decide(&mgr, &n, c1.id, Decision::Approve(NoteRequest::default()))
        .unwrap();
    let a = w.brand("Aurelia", ProgrammeStatus::Enrolled, true);
    let read = w.flag_many(&a, "MKT-B", 3);
    let decisions = read
        .iter()
        .map(|c| reject_entry(c, "Our own stock"))
        .collect();
    w.decide_many(&a.agent, &a, decisions).0.unwrap();

    let moves = |b: &Brand| {
        let q = AuditQuery {
            kind: Some("case_moved".into()),
            ..AuditQuery::default()
        };
        block_on(audit::brand_audit(&w.deps(), &w.manager, b.id, &q))
            .unwrap()
            .entries
    };
    // Northwind: reported by its agent, approved by the manager on its behalf.
    let entries = moves(&n);
    let events: Vec<(&str, i64, &str)> = entries
        .iter()
        .map(|e| {
            (
                e.details["event"].as_str().unwrap(),
                e.details["seq"].as_i64().unwrap(),
                e.actor_kind.as_str(),
            )
        })
        .collect();
    assert_eq!(events, [("approve", 2, "person"), ("filed", 1, "person")]);
    assert_eq!(entries[0].on_behalf_of, Some(n.id));
    assert_eq!(entries[1].on_behalf_of, None);
    let path = format!("/api/v1/brands/{}/cases/{}", n.id, c1.id);
    assert!(entries
        .iter()
        .all(|e| e.case_file.as_deref() == Some(&path)));
    // Aurelia: three flags by the marketplace, three rejections in one batch of decisions.
    let entries = moves(&a);
    assert_eq!(entries.len(), 6);
    let by = |kind: &str| entries.iter().filter(|e| e.actor_kind == kind).count();
    assert_eq!((by("marketplace"), by("person")), (3, 3));
    for c in &read {
        let seqs: Vec<i64> = entries
            .iter()
            .filter(|e| e.subject_id.as_deref() == Some(&c.id.to_string()))
            .map(|e| e.details["seq"].as_i64().unwrap())
            .collect();
        assert_eq!(seqs.len(), 2, "flagged and rejected");
        assert!(seqs.contains(&1) && seqs.contains(&2), "{seqs:?}");
    }
    // A brand's agent may not read the log.
    assert_eq!(
        block_on(audit::brand_audit(
            &w.deps(),
            &a.agent,
            a.id,
            &AuditQuery::default()
        ))
        .unwrap_err()
        .status(),
        403
    );
}

/// The bulk upload as the agent of `b` sends it.
fn bulk(
    w: &World,
    b: &Brand,
    csv: &str,
) -> Result<(BulkFiled, Vec<jf_core::ids::ActionId>), Error> {
    block_on(cases::bulk_file(
        &w.deps(),
        &w.settings,
        &b.agent,
        b.id,
        csv.as_bytes(),
    ))
}

#[test]
fn a_bulk_row_with_four_faults_lists_all_four_by_column_and_nothing_is_stored() {
    let mut w = World::new();
    let a = w.brand("Aurelia", ProgrammeStatus::Enrolled, true);
    let csv = format!(
        "listing,ip_right,reason,statement,evidence_urls\n\
         MKT-1,TM-Aurelia,counterfeit,{STATEMENT},\n\
         not a listing,TM-NOPE,dislike,too short,\n\
         MKT-2,TM-Aurelia,counterfeit,{STATEMENT},ftp://example.com/x.jpg\n"
    );
    let Err(Error::InvalidRows(problems)) = bulk(&w, &a, &csv) else {
        panic!("refused by row");
    };
    let on = |line: usize| -> Vec<(BulkColumn, &RowProblem)> {
        problems
            .iter()
            .filter(|(l, _)| *l == line)
            .map(|(_, p)| (p.column(), p))
            .collect()
    };
    assert!(on(2).is_empty(), "a good row has no problem: {problems:?}");
    let third = on(3);
    assert_eq!(
        third.iter().map(|(c, _)| *c).collect::<Vec<_>>(),
        [
            BulkColumn::Listing,
            BulkColumn::IpRight,
            BulkColumn::Reason,
            BulkColumn::Statement
        ],
        "every fault of the row, in the template's order of columns: {problems:?}"
    );
    assert_eq!(
        third[0].1,
        &RowProblem::Invalid {
            column: BulkColumn::Listing,
            why: Reason::ListingReferenceAny.into()
        }
    );
    assert_eq!(
        third[1].1,
        &RowProblem::UnknownRight {
            reference: "TM-NOPE".into()
        }
    );
    assert_eq!(
        third[2].1,
        &RowProblem::Invalid {
            column: BulkColumn::Reason,
            why: Reason::ReasonCodes.into()
        }
    );
    assert_eq!(
        third[3].1,
        &RowProblem::Invalid {
            column: BulkColumn::Statement,
            why: Reason::TooShort { min: 20 }.into()
        }
    );
    // Every bad row is listed, not only the first.
    assert_eq!(
        on(4).iter().map(|(c, _)| *c).collect::<Vec<_>>(),
        [BulkColumn::EvidenceUrls]
    );
    assert_eq!(problems.len(), 5);
    // On the wire: each problem with its line, its column as the file names it, and its reason.
    let body = Error::InvalidRows(problems.clone()).body();
    let rows = body["error"]["rows"].as_array().unwrap();
    let columns: Vec<(i64, &str)> = rows
        .iter()
        .map(|r| (r["line"].as_i64().unwrap(), r["column"].as_str().unwrap()))
        .collect();
    assert_eq!(
        columns,
        [
            (3, "listing"),
            (3, "ip_right"),
            (3, "reason"),
            (3, "statement"),
            (4, "evidence_urls")
        ]
    );
    assert_eq!(rows[2]["reason"], "reason_codes");
    assert!(
        rows.iter()
            .all(|r| !r.to_string().contains("reason_code\"")),
        "never the internal field's name: {body}"
    );
    assert_eq!(
        body["error"]["message"],
        "2 row(s) have 5 problem(s); nothing was filed."
    );
    // All or nothing: not even the good row was filed.
    for table in [
        "SELECT count(*) AS n FROM cases",
        "SELECT count(*) AS n FROM case_events",
        "SELECT count(*) AS n FROM outbox",
        "SELECT count(*) AS n FROM listings",
    ] {
        assert_eq!(w.count(table), 0, "{table}");
    }
}

#[test]
fn a_repeated_listing_and_an_open_case_are_named_on_every_row_they_touch() {
    let mut w = World::new();
    let a = w.brand("Aurelia", ProgrammeStatus::Enrolled, true);
    let (open, _) = w.report(&a, "MKT-4").unwrap();
    let csv = format!(
        "listing,ip_right,reason,statement\n\
         MKT-4,TM-Aurelia,dislike,{STATEMENT}\n\
         MKT-4,TM-Aurelia,counterfeit,{STATEMENT}\n"
    );
    let Err(Error::InvalidRows(problems)) = bulk(&w, &a, &csv) else {
        panic!("refused by row");
    };
    let open_case = RowProblem::OpenCase {
        listing: "MKT-4".into(),
        case_id: open.id,
    };
    assert_eq!(
        problems,
        vec![
            (2, open_case.clone()),
            (
                2,
                RowProblem::Invalid {
                    column: BulkColumn::Reason,
                    why: Reason::ReasonCodes.into()
                }
            ),
            (
                3,
                RowProblem::DuplicateListing {
                    listing: "MKT-4".into(),
                    first_line: 2
                }
            ),
            (3, open_case),
        ]
    );
}

#[test]
fn the_bulk_template_offers_the_usable_rights_and_the_reason_codes_and_files_once_filled() {
    let mut w = World::new();
    let a = w.brand("Aurelia", ProgrammeStatus::Enrolled, true);
    // A second usable right, one not verified and one expired: only usable ones are offered.
    let second = IpRightId(w.uuid());
    let mut stmts = Vec::new();
    for (id, number, expires) in [
        (second, "CN-TM-77", None),
        (IpRightId(w.uuid()), "TM-WAITING", None),
        (IpRightId(w.uuid()), "TM-OLD", Some(T0 - 1)),
    ] {
        stmts.push(sql::insert_ip_right(&sql::NewIpRight {
            id,
            brand_id: a.id,
            kind: "trademark",
            registration_number: number,
            jurisdiction: "CN",
            classes: "",
            owner: "Aurelia",
            expires_at: expires,
            now: T0,
        }));
    }
    let agent_id = user_of(&a.agent);
    stmts.push(sql::review_ip_right(
        a.id, second, "verified", None, agent_id, T0,
    ));
    w.exec(stmts);
    w.exec(vec![Stmt::new(
        "UPDATE ip_rights SET status = 'verified' WHERE registration_number = 'TM-OLD'",
        vec![],
    )]);
    let template = block_on(cases::bulk_template(
        &w.deps(),
        &w.settings,
        &a.viewer,
        a.id,
    ))
    .unwrap();
    assert!(template.starts_with("listing,ip_right,reason,statement,evidence_urls\r\n"));
    let rows: Vec<&str> = template
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with('#') && !l.starts_with("\"#"))
        .collect();
    assert_eq!(
        rows.len(),
        2,
        "one example row per usable right: {template}"
    );
    assert!(rows.iter().any(|r| r.contains(",TM-Aurelia,counterfeit,")));
    assert!(rows.iter().any(|r| r.contains(",CN-TM-77,counterfeit,")));
    for absent in ["TM-WAITING", "TM-OLD"] {
        assert!(!template.contains(absent), "{absent} may not be invoked");
    }
    // The notes name the rights (kind, jurisdiction) and every reason code with its meaning.
    assert!(
        template.contains("TM-Aurelia (trademark · EU)"),
        "{template}"
    );
    assert!(template.contains("CN-TM-77 (trademark · CN)"), "{template}");
    for code in cases::ReasonCode::ALL {
        assert!(
            template.contains(&format!("#   {}: {}", code.as_str(), code.meaning())),
            "{template}"
        );
    }

    // As downloaded, the example rows are refused by their listing alone, and nothing is filed.
    let Err(Error::InvalidRows(problems)) = bulk(&w, &a, &template) else {
        panic!("the placeholders are no listings");
    };
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems
        .iter()
        .all(|(_, p)| p.column() == BulkColumn::Listing));
    assert_eq!(w.count("SELECT count(*) AS n FROM cases"), 0);

    // With its listing ids filled in, the template files as it is (the notes are skipped).
    let mut n = 0;
    let filled: String = template
        .split_inclusive('\n')
        .map(|line| {
            if line.contains(cases::TEMPLATE_LISTING)
                && !line.trim_start_matches('"').starts_with('#')
            {
                n += 1;
                line.replace(cases::TEMPLATE_LISTING, &format!("MKT-{n}"))
            } else {
                line.to_owned()
            }
        })
        .collect();
    let (filed, _) = bulk(&w, &a, &filled).unwrap();
    assert_eq!(filed.created.len(), 2);
    assert_eq!(w.count("SELECT count(*) AS n FROM cases"), 2);

    // A brand with no usable right gets one example row and a note saying how to get one.
    let b = w.brand("Cobalt", ProgrammeStatus::Enrolled, true);
    w.exec(vec![Stmt::new(
        "UPDATE ip_rights SET status = 'pending' WHERE brand_id = ?1",
        vec![b.id.into()],
    )]);
    let none = block_on(cases::bulk_template(&w.deps(), &w.settings, &b.agent, b.id)).unwrap();
    assert!(none.contains("has no verified right yet"), "{none}");
    // Another brand's template is not yours to read.
    assert_eq!(
        block_on(cases::bulk_template(&w.deps(), &w.settings, &a.agent, b.id))
            .unwrap_err()
            .status(),
        404
    );
}

#[test]
fn a_bulk_filed_listing_keeps_its_title_and_seller_after_its_takedown() {
    let mut w = World::new();
    // A listing taken down is no longer shown: a lookup after the takedown finds nothing.
    w.market.hide_taken_down.set(true);
    let a = w.brand("Aurelia", ProgrammeStatus::Enrolled, true);
    // Three listings of the marketplace JointForce has not seen, and one it does not know.
    let csv = csv_rows(4, "TM-Aurelia", |i| {
        if i == 3 {
            "GHOST-1".to_owned()
        } else {
            format!("MKT-{}", i + 1)
        }
    });
    let (filed, ids) = bulk(&w, &a, &csv).unwrap();
    assert_eq!(ids.len(), 4);
    assert!(
        filed
            .created
            .iter()
            .all(|c| c.title.is_empty() && c.seller_id.is_none()),
        "filed pending: bulk filing does not wait for lookups"
    );
    assert!(w.market.looked_up.borrow().is_empty());
    // The Worker sends the takedowns at once; the marketplace confirms those it took down.
    block_on(outbox::deliver(&w.deps(), &w.market, Some(&ids))).unwrap();
    for (n, id) in ids.iter().enumerate() {
        let done = json!({ "type": "takedown.completed", "timestamp": "t", "data": { "action_id": id, "listing_id": "-" } });
        w.webhook(&format!("done_{n}"), done).unwrap();
    }
    // Then the cron.
    w.clock.advance(MINUTE);
    block_on(jobs::run(&w.deps(), &w.market)).unwrap();

    let list = block_on(cases::list_cases(
        &w.deps(),
        &a.agent,
        a.id,
        &CaseQuery::default(),
    ))
    .unwrap();
    let by_listing = |id: &str| {
        list.cases
            .iter()
            .find(|c| c.listing_id == id)
            .unwrap_or_else(|| panic!("{id} listed"))
    };
    for n in 1..=3 {
        let listing = format!("MKT-{n}");
        let c = by_listing(&listing);
        assert_eq!(c.status, Status::TakenDown, "{listing}");
        assert_eq!(c.title, format!("Listing {listing}"), "{listing}");
        assert_eq!(c.seller_id.as_deref(), Some("S-1"), "{listing}");
        assert_eq!(c.seller_name, "Seller S-1", "{listing}");
        let file = w.case(&a, c.id);
        assert_eq!(
            file.snapshot.map(|s| s.title),
            Some(format!("Listing {listing}")),
            "the case file keeps the listing as it was before the takedown"
        );
    }
    // A listing the marketplace does not know is gone before any takedown, not waiting forever.
    assert_eq!(by_listing("GHOST-1").status, Status::ListingGone);
    assert!(
        block_on(sql::listings_pending_snapshot(&w.db, 100))
            .unwrap()
            .is_empty(),
        "nothing is left for the cron to ask again and again"
    );
    // Each listing was looked up once, before its takedown left.
    let mut looked = w.market.looked_up.borrow().clone();
    looked.sort();
    assert_eq!(looked, ["GHOST-1", "MKT-1", "MKT-2", "MKT-3"]);

    // The CSV export says the same.
    let mut export = cases::export_cases(&w.db, &a.viewer, a.id, &CaseQuery::default()).unwrap();
    let mut csv = String::new();
    while let Some(chunk) = block_on(export.next_chunk()).unwrap() {
        csv.push_str(&chunk);
    }
    for n in 1..=3 {
        let line = csv
            .lines()
            .find(|l| l.contains(&format!(",MKT-{n},")))
            .unwrap_or_else(|| panic!("MKT-{n} exported: {csv}"));
        assert!(line.contains(&format!("Listing MKT-{n}")), "{line}");
        assert!(line.contains("Seller S-1"), "{line}");
    }
}

// ---------------------------------------------------------------- finding and reporting many

fn batch_request(listings: &[&str], right: IpRightId) -> BatchReportRequest {
    BatchReportRequest {
        listings: listings.iter().map(|l| (*l).to_owned()).collect(),
        ip_right_id: right.to_string(),
        reason_code: "counterfeit".into(),
        statement: STATEMENT.into(),
        evidence_links: vec!["https://example.com/test-buy.pdf".into()],
        good_faith: true,
    }
}

fn search(w: &World, actor: &Actor, b: &Brand, q: &str) -> Result<ListingSearch, Error> {
    block_on(cases::search_listings(
        &w.deps(),
        &w.market,
        actor,
        b.id,
        &cases::ListingSearchQuery {
            q: Some(q.into()),
            cursor: None,
        },
    ))
}

#[test]
fn a_batch_files_every_listing_with_the_marketplaces_snapshot_in_the_brands_lane() {
    let mut w = World::new();
    let a = w.brand("Aurelia", ProgrammeStatus::Enrolled, true);
    let n = w.brand("Northwind", ProgrammeStatus::Enrolled, false);
    w.market.add(snapshot("MKT-50", "Aurelia Tote Bag", "S-9"));
    w.market.add(snapshot("MKT-51", "奥瑞莉亚 手提包", "S-9"));
    let req = batch_request(&["MKT-50", "https://market.example/item/MKT-51"], a.right);
    let (filed, actions) = block_on(cases::batch_file(
        &w.deps(),
        &w.ports(),
        &a.agent,
        a.id,
        req,
    ))
    .unwrap();
    assert_eq!(filed.created.len(), 2);
    assert_eq!(actions.len(), 2, "auto lane: a takedown each");
    assert!(filed
        .created
        .iter()
        .all(|c| c.status == Status::TakedownRequested && c.origin == Origin::Report));
    assert_eq!(filed.created[1].title, "奥瑞莉亚 手提包");
    assert_eq!(
        filed.created[0].price.as_ref().map(|p| p.amount.as_str()),
        Some("99.00")
    );
    // The case keeps the marketplace's snapshot as evidence, and the listing is now known.
    let file = w.case(&a, filed.created[0].id);
    assert_eq!(
        file.snapshot.as_ref().map(|s| s.title.as_str()),
        Some("Aurelia Tote Bag")
    );
    assert_eq!(
        w.count("SELECT count(*) AS n FROM listings WHERE id IN ('MKT-50', 'MKT-51')"),
        2
    );
    assert_eq!(w.market.looked_up.borrow().as_slice(), ["MKT-50", "MKT-51"]);

    // A brand in the review lane files into review, as a single report would.
    w.market
        .add(snapshot("MKT-52", "Northwind Storm Jacket", "S-9"));
    let (filed, actions) = block_on(cases::batch_file(
        &w.deps(),
        &w.ports(),
        &n.agent,
        n.id,
        batch_request(&["MKT-52"], n.right),
    ))
    .unwrap();
    assert_eq!(filed.created[0].status, Status::UnderReview);
    assert!(actions.is_empty());

    // A viewer may not; a brand the actor is not in is not found.
    let viewer = block_on(cases::batch_file(
        &w.deps(),
        &w.ports(),
        &a.viewer,
        a.id,
        batch_request(&["MKT-3"], a.right),
    ));
    assert!(matches!(viewer, Err(Error::Forbidden(_))), "{viewer:?}");
    let foreign = block_on(cases::batch_file(
        &w.deps(),
        &w.ports(),
        &n.agent,
        a.id,
        batch_request(&["MKT-3"], a.right),
    ));
    assert_eq!(foreign.unwrap_err(), Error::NotFound);
}

#[test]
fn a_batch_with_one_bad_listing_is_refused_by_listing_and_stores_nothing() {
    let mut w = World::new();
    let a = w.brand("Aurelia", ProgrammeStatus::Enrolled, true);
    let (open, _) = w.report(&a, "MKT-1").unwrap();
    let before = w.count("SELECT count(*) AS n FROM cases");
    let batch = |req: BatchReportRequest| {
        block_on(cases::batch_file(
            &w.deps(),
            &w.ports(),
            &a.agent,
            a.id,
            req,
        ))
    };
    let refused = batch(batch_request(
        &["MKT-2", "MKT-1", "MKT-GONE", "not an id!"],
        a.right,
    ))
    .unwrap_err();
    let body = refused.body();
    assert_eq!(refused.status(), 422);
    assert_eq!(body["error"]["code"], "refused_listings", "{body}");
    let by_listing = body["error"]["refused"].as_object().unwrap();
    let mut keys: Vec<&str> = by_listing.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["MKT-1", "MKT-GONE", "not an id!"], "MKT-2 is fine");
    assert_eq!(by_listing["MKT-1"][0]["code"], "open_case");
    assert_eq!(by_listing["MKT-1"][0]["field"], "listings");
    assert_eq!(
        by_listing["MKT-1"][0]["args"],
        json!(["MKT-1", open.id.to_string()])
    );
    assert_eq!(by_listing["MKT-GONE"][0]["reason"], "no_listing");
    assert_eq!(by_listing["not an id!"][0]["code"], "invalid");
    assert_eq!(
        by_listing["not an id!"][0]["reason"],
        "listing_reference_any"
    );
    assert_eq!(w.count("SELECT count(*) AS n FROM cases"), before);
    assert_eq!(
        w.count("SELECT count(*) AS n FROM outbox"),
        1,
        "only the first report's"
    );

    // Shared fields are checked as a bulk row's columns are, and named by the request's fields.
    let mut bad = batch_request(&["MKT-2"], a.right);
    bad.statement = "too short".into();
    bad.reason_code = "dislike".into();
    bad.evidence_links = vec!["https://".into()];
    let body = batch(bad).unwrap_err().body();
    let fields: Vec<&str> = body["error"]["refused"]["MKT-2"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["reason_code", "statement", "evidence_links"],
        "{body}"
    );
    assert_eq!(
        body["error"]["refused"]["MKT-2"][1]["problem"],
        "statement: must be at least 20 characters"
    );

    // The list itself and the declaration: 400 naming the field.
    let named = |req: BatchReportRequest| match batch(req) {
        Err(Error::Invalid { field, why }) => (field, why.reason().map(Reason::code)),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        named(batch_request(&[], a.right)),
        ("listings".into(), Some("empty"))
    );
    let fifty_one: Vec<String> = (0..51).map(|i| format!("MKT-B{i}")).collect();
    let many: Vec<&str> = fifty_one.iter().map(String::as_str).collect();
    assert_eq!(
        named(batch_request(&many, a.right)),
        ("listings".into(), Some("too_many_listings"))
    );
    assert_eq!(
        named(batch_request(
            &["MKT-2", "https://market.example/item/MKT-2"],
            a.right
        )),
        ("listings".into(), Some("listing_twice"))
    );
    let mut no_faith = batch_request(&["MKT-2"], a.right);
    no_faith.good_faith = false;
    assert_eq!(named(no_faith), ("good_faith".into(), Some("good_faith")));
    assert_eq!(w.count("SELECT count(*) AS n FROM cases"), before);
}

#[test]
fn a_search_marks_listings_with_an_open_case_and_is_held_to_the_brands_quota() {
    let mut w = World::new();
    let a = w.brand("Aurelia", ProgrammeStatus::Enrolled, true);
    let n = w.brand("Northwind", ProgrammeStatus::Enrolled, false);
    w.market
        .add(snapshot("MKT-60", "Aurelia Chronograph Watch", "S-5"));
    w.market
        .add(snapshot("MKT-61", "Aurelia Diver Watch", "S-5"));
    w.market.add(snapshot("MKT-62", "Aurelia Tote", "S-5"));
    let (open, _) = w.report(&a, "MKT-61").unwrap();

    let found = search(&w, &a.agent, &a, "aurelia WATCH").unwrap();
    let marks: Vec<(&str, Option<CaseId>)> = found
        .listings
        .iter()
        .map(|l| (l.listing_id.as_str(), l.open_case_id))
        .collect();
    assert_eq!(marks, [("MKT-60", None), ("MKT-61", Some(open.id))]);
    assert_eq!(found.listings[0].price.currency, "EUR");
    assert_eq!(found.listings[0].seller.seller_id, "S-5");
    // Another brand's case is not this brand's: no mark, nothing of it shown.
    let theirs = search(&w, &n.agent, &n, "aurelia watch").unwrap();
    assert!(theirs.listings.iter().all(|l| l.open_case_id.is_none()));

    // Bad words, viewers and strangers.
    match search(&w, &a.agent, &a, "x") {
        Err(Error::Invalid { field, .. }) => assert_eq!(field, "q"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        search(&w, &a.viewer, &a, "watch"),
        Err(Error::Forbidden(_))
    ));
    assert_eq!(
        search(&w, &n.agent, &a, "watch").unwrap_err(),
        Error::NotFound
    );

    // The marketplace down: 503 with its code, never a 500.
    w.market.down.set(true);
    let down = search(&w, &a.agent, &a, "watch").unwrap_err();
    assert_eq!(
        (down.status(), down.code()),
        (503, "marketplace_unavailable")
    );
    w.market.down.set(false);

    // Thirty searches a minute per brand (the ones above count too), then 429 with the wait;
    // another brand is not held back, and the next minute searches again.
    let mut answered = 0;
    let refused = loop {
        match search(&w, &a.agent, &a, "watch") {
            Ok(_) => answered += 1,
            Err(e) => break e,
        }
        assert!(answered <= cases::SEARCH_LIMIT, "never refused");
    };
    assert_eq!(refused.status(), 429);
    assert_eq!(refused.code(), "too_many_searches");
    match refused {
        Error::TooManySearches { retry_after_secs } => {
            assert!((1..=60).contains(&retry_after_secs), "{retry_after_secs}")
        }
        other => panic!("{other:?}"),
    }
    assert!(search(&w, &n.agent, &n, "watch").is_ok());
    w.clock.advance(cases::SEARCH_WINDOW);
    assert!(search(&w, &a.agent, &a, "watch").is_ok());
}

// ---------------------------------------------------------------- one decision on a flag

impl World {
    /// `decide` through a store that counts round trips: the answer, and how many it took.
    fn decide_counted(
        &self,
        actor: &Actor,
        b: &Brand,
        case: CaseId,
        d: Decision,
    ) -> (Result<CaseView, Error>, usize) {
        let counting = Counting(&self.db, std::cell::Cell::new(0));
        let deps = self.deps_on(&counting);
        let answer = block_on(cases::decide(&deps, actor, b.id, case, d)).map(|(v, _)| v);
        (answer, counting.1.get())
    }
    /// A flag of the brand `BR-AURELIA` for a new listing: its case.
    fn flagged(&self, b: &Brand, listing: &str) -> CaseId {
        w_flag(self, listing);
        block_on(sql::open_case_for_listing(&self.db, b.id, listing))
            .unwrap()
            .unwrap()
            .id
    }
    /// What a move wrote, whoever moved the case: the case's columns, its last event, its
    /// audit entry's details and its takedown's payload, without ids, names and roles.
    fn written(&self, case: CaseId) -> serde_json::Value {
        let rows = |sql_text: &'static str| {
            block_on(query::<serde_json::Value>(
                &self.db,
                Stmt::new(sql_text, vec![case.into()]),
            ))
            .unwrap()
        };
        json!({
            "case": rows("SELECT status, is_open, version, ip_right_id IS NOT NULL AS has_right, reason_code,
                                 deadline_at, decided_at, updated_at FROM cases WHERE id = ?1"),
            "event": rows("SELECT seq, kind, from_status, to_status, note, note_code, note_args, at
                           FROM case_events WHERE case_id = ?1 ORDER BY seq DESC LIMIT 1"),
            "audit": rows("SELECT kind, subject_kind, details ->> '$.event' AS event, details ->> '$.from' AS from_status,
                                  details ->> '$.to' AS to_status, details ->> '$.seq' AS seq
                           FROM audit_log WHERE subject_id = ?1 AND kind = 'case_moved'"),
            "takedown": rows("SELECT kind, state, json_remove(payload, '$.action_id', '$.case_id', '$.listing_id') AS payload
                              FROM outbox WHERE case_id = ?1"),
        })
    }
}

fn confirmation(right: IpRightId, reason: &str) -> Decision {
    Decision::Confirm(ConfirmRequest {
        ip_right_id: right.to_string(),
        reason_code: reason.into(),
        note: Some("Logo is wrong.".into()),
    })
}

/// The confirmation queue's decisions are the brand's own members': a confirm or reject is one
/// round trip (the move on condition, then the case file, in one batch), and writes what the
/// careful path writes for staff, who are recorded with the brand's name and read first.
#[test]
fn a_members_decision_on_a_flag_is_one_round_trip_and_writes_what_the_careful_path_writes() {
    let mut w = World::new();
    let a = w.brand("Aurelia", ProgrammeStatus::Enrolled, true);
    let manager = w.manager.clone();
    let (ours, theirs) = (w.flagged(&a, "MKT-ONE-1"), w.flagged(&a, "MKT-ONE-2"));

    let (by_member, trips) =
        w.decide_counted(&a.agent, &a, ours, confirmation(a.right, "counterfeit"));
    let by_member = by_member.unwrap();
    assert_eq!(trips, 1, "a member's confirm is one round trip");
    let (by_manager, manager_trips) =
        w.decide_counted(&manager, &a, theirs, confirmation(a.right, "counterfeit"));
    let by_manager = by_manager.unwrap();
    assert_eq!(manager_trips, 2, "staff's read first, then write");

    assert_eq!(by_member.status, Status::TakedownRequested);
    assert_eq!(w.written(ours), w.written(theirs));
    let takedown = &w.written(ours)["takedown"];
    assert_eq!(takedown.as_array().map(Vec::len), Some(1), "{takedown}");
    assert!(takedown.to_string().contains("BR-AURELIA"), "{takedown}");
    let last = |v: &CaseView| v.events.last().map(|e| (e.kind.clone(), e.note.clone()));
    assert_eq!(last(&by_member), last(&by_manager));
    assert_eq!(by_member.events.len(), 2, "the flag and the confirmation");
    let confirmed = by_member.events.last().unwrap();
    assert_eq!(who(confirmed), ("brand_agent", Some("Arjun Mehta"), None));
    assert_eq!(
        who(by_manager.events.last().unwrap()),
        ("account_manager", Some("Marco Bianchi"), Some("Aurelia"))
    );

    // A rejection too.
    let (cleared, rejected) = (w.flagged(&a, "MKT-ONE-3"), w.flagged(&a, "MKT-ONE-4"));
    let reject = || {
        Decision::Reject(NoteRequest {
            note: Some("Ours.".into()),
        })
    };
    let (by_member, trips) = w.decide_counted(&a.agent, &a, cleared, reject());
    assert_eq!((by_member.unwrap().status, trips), (Status::Cleared, 1));
    let (_, manager_trips) = w.decide_counted(&manager, &a, rejected, reject());
    assert_eq!(manager_trips, 2);
    assert_eq!(w.written(cleared), w.written(rejected));
}

/// A member's confirmation leases its takedown to the request in the same batch, so that what
/// the request sends after its answer costs one round trip (the mark); no other sender takes it
/// meanwhile, and should the request never send it, the cron does once the lease has ended.
#[test]
fn a_members_confirm_leases_its_takedown_so_sending_it_after_the_answer_is_one_round_trip() {
    let mut w = World::new();
    let a = w.brand("Aurelia", ProgrammeStatus::Enrolled, true);
    let decide = |w: &World, case| {
        block_on(cases::decide(
            &w.deps(),
            &a.agent,
            a.id,
            case,
            confirmation(a.right, "counterfeit"),
        ))
        .unwrap()
        .1
    };
    let (sent, died) = (w.flagged(&a, "MKT-LEASE-1"), w.flagged(&a, "MKT-LEASE-2"));
    let owed = decide(&w, sent);
    assert!(matches!(owed, outbox::Owed::Leased(_)), "{owed:?}");
    // The cron, running meanwhile, leaves it to the request.
    let cron = block_on(outbox::deliver(&w.deps(), &w.market, None)).unwrap();
    assert_eq!(cron, outbox::Delivery::default());

    let counting = Counting(&w.db, std::cell::Cell::new(0));
    let deps = w.deps_on(&counting);
    let report = block_on(owed.send(&deps, &w.market)).unwrap();
    assert_eq!(
        (report.sent, counting.1.get()),
        (1, 1),
        "the send and its mark"
    );
    let action = block_on(sql::actions_of_case(&w.db, sent))
        .unwrap()
        .remove(0);
    assert_eq!(action.state, "sent");
    assert_eq!(
        w.market.sent.borrow().last().map(|s| s.0.clone()),
        Some(action.id.to_string()),
        "the action id is the idempotency key"
    );

    // A request that dies after its answer: its takedown waits for the lease, then goes once.
    drop(decide(&w, died));
    let unsent = block_on(sql::actions_of_case(&w.db, died))
        .unwrap()
        .remove(0);
    w.clock.advance(outbox::LEASE - 1);
    let early = block_on(outbox::deliver(&w.deps(), &w.market, None)).unwrap();
    assert_eq!(early.sent, 0, "still the request's");
    w.clock.advance(2);
    let late = block_on(outbox::deliver(&w.deps(), &w.market, None)).unwrap();
    assert_eq!(late.sent, 1);
    let sends = w.market.sent.borrow();
    let keys: Vec<&str> = sends.iter().map(|s| s.0.as_str()).collect();
    let id = unsent.id.to_string();
    assert_eq!(keys.iter().filter(|k| **k == id).count(), 1, "{keys:?}");

    // A rejection owes nothing.
    let cleared = w.flagged(&a, "MKT-LEASE-3");
    let owed = block_on(cases::decide(
        &w.deps(),
        &a.agent,
        a.id,
        cleared,
        Decision::Reject(NoteRequest::default()),
    ))
    .unwrap()
    .1;
    assert!(
        matches!(&owed, outbox::Owed::Actions(ids) if ids.is_empty()),
        "{owed:?}"
    );
}

/// When the one-batch move cannot apply, nothing of it is stored and the careful path answers
/// why, as it always has: a right that may not be invoked (422 with its reason), a case already
/// decided (409), a case not the brand's (404), a reason that is no reason (400).
#[test]
fn a_members_confirm_that_cannot_apply_says_why_and_stores_nothing() {
    let mut w = World::new();
    let a = w.brand("Aurelia", ProgrammeStatus::Enrolled, true);
    let n = w.brand("Northwind", ProgrammeStatus::Enrolled, false);
    let (pending, expired) = unusable_rights(&w, &a);
    let case = w.flagged(&a, "MKT-NOT-1");
    let stored = |w: &World| {
        (
            w.count("SELECT count(*) AS n FROM case_events"),
            w.count("SELECT count(*) AS n FROM audit_log"),
            w.count("SELECT count(*) AS n FROM outbox"),
            w.count("SELECT count(*) AS n FROM webhook_deliveries"),
        )
    };
    let receipt = w.webhook(
        "msg_flag_northwind",
        flag("BR-NORTHWIND", "MKT-NOT-2", "Northwind's"),
    );
    assert_eq!(receipt.unwrap(), marketplace::Receipt::Applied);
    let foreign = block_on(sql::open_case_for_listing(&w.db, n.id, "MKT-NOT-2"))
        .unwrap()
        .unwrap()
        .id;
    let before = stored(&w);
    let before_case = w.written(case);
    let refused = |right: IpRightId| {
        let e = w.decide(&a.agent, &a, case, confirmation(right, "counterfeit"));
        match e.unwrap_err() {
            Error::Unprocessable(Why::Reason(r)) => r,
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(
        refused(pending),
        Reason::RightNotVerified {
            number: "TM-PENDING".into()
        }
    );
    assert_eq!(
        refused(expired),
        Reason::RightExpired {
            number: "TM-EXPIRED".into()
        }
    );
    assert_eq!(refused(n.right), Reason::RightNotYours);
    let bad_reason = w.decide(&a.agent, &a, case, confirmation(a.right, "because"));
    assert_eq!(bad_reason.unwrap_err().status(), 400);
    let not_ours = w.decide(&a.agent, &a, foreign, confirmation(a.right, "counterfeit"));
    assert_eq!(not_ours.unwrap_err().status(), 404);
    assert_eq!(stored(&w), before, "nothing stored for any of them");
    assert_eq!(w.written(case), before_case, "the case as it was");

    // Decided once; the second confirm finds it decided.
    w.decide(&a.agent, &a, case, confirmation(a.right, "counterfeit"))
        .unwrap();
    let after = stored(&w);
    let again = w.decide(&a.agent, &a, case, confirmation(a.right, "counterfeit"));
    assert_eq!(again.unwrap_err().status(), 409);
    assert_eq!(stored(&w), after);
    assert_eq!(
        w.written(case)["takedown"].as_array().map(Vec::len),
        Some(1)
    );
}
