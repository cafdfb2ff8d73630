//! Notifications against SQLite with the real migrations: who receives what (each row of the
//! table), a viewer receives none, a person in two brands, read marks, email choices, the emails
//! queued in the change's own batch in each person's language and sent by the cron, and the
//! plans of the page and the unread count.

mod support;

use jf_core::access::{Actor, Membership, Person};
use jf_core::api::*;
use jf_core::case::Status;
use jf_core::cases::{self, Decision, Mover};
use jf_core::clock::{Entropy, FixedClock, SeededEntropy, DAY, MINUTE};
use jf_core::history::ActorKind;
use jf_core::identity::mail::{Mail, Mailer};
use jf_core::identity::{self, Deps};
use jf_core::ids::{BrandId, CaseId, IpRightId, UserId};
use jf_core::notifications::{self, Language, Notice, NotificationQuery};
use jf_core::store::{query, Db, Stmt};
use jf_core::types::{BrandRole, Email, ProgrammeStatus, StaffRole};
use jf_core::{marketplace, sql};
use serde_json::json;
use support::{block_on, Sqlite};

const T0: i64 = 1_790_000_000_000;

struct World {
    db: Sqlite,
    clock: FixedClock,
    entropy: SeededEntropy,
}

struct Who {
    id: UserId,
    actor: Actor,
}

struct Brand {
    id: BrandId,
    reference: String,
    admin: Who,
    agent: Who,
    other_agent: Who,
    viewer: Who,
    manager: Who,
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
    fn tick(&self) {
        self.clock.advance(MINUTE);
    }
    fn user(&self, email: &str, staff: Option<StaffRole>) -> UserId {
        let id = UserId(self.entropy.uuid());
        self.exec(vec![sql::insert_user(
            id,
            &Email::parse(email).unwrap(),
            email,
            None,
            staff,
            T0,
        )]);
        id
    }
    fn member(&self, user: UserId, brand: BrandId, role: BrandRole) -> Who {
        self.exec(vec![sql::insert_membership(user, brand, role, T0)]);
        Who {
            id: user,
            actor: person(
                user,
                None,
                vec![Membership {
                    brand_id: brand,
                    role,
                }],
                vec![],
            ),
        }
    }
    /// An enrolled brand with an admin, two agents, a viewer and an account manager.
    fn brand(&self, name: &str) -> Brand {
        let id = BrandId(self.entropy.uuid());
        let reference = format!("BR-{}", name.to_uppercase());
        let domain = name.to_lowercase();
        self.exec(vec![
            sql::insert_brand(id, name, &reference, T0),
            sql::set_programme(id, ProgrammeStatus::Enrolled, Some("SHOP"), false, None),
        ]);
        let mgr = self.user(
            &format!("am@{domain}.test"),
            Some(StaffRole::AccountManager),
        );
        self.exec(vec![sql::set_brand_manager(id, mgr)]);
        let who =
            |w: &str, role| self.member(self.user(&format!("{w}@{domain}.test"), None), id, role);
        Brand {
            admin: who("admin", BrandRole::BrandAdmin),
            agent: who("agent", BrandRole::BrandAgent),
            other_agent: who("agent2", BrandRole::BrandAgent),
            viewer: who("viewer", BrandRole::BrandViewer),
            manager: Who {
                id: mgr,
                actor: person(mgr, Some(StaffRole::AccountManager), vec![], vec![id]),
            },
            id,
            reference,
        }
    }
    /// A report case of `b` in `status`, filed by `filer` (a person), inserted there directly.
    fn case_in(&self, b: &Brand, status: Status, filer: &Who) -> CaseId {
        let id = CaseId(self.entropy.uuid());
        let listing = format!("L-{}", id.0.simple());
        let case = sql::NewCase {
            id,
            listing_id: listing.clone(),
            lane: Some("review"),
            title: format!("Handbag {listing}"),
            seller_name: "Seller S-1".into(),
            deadline_at: Some(self.clock.0.get() + DAY),
            ..support::new_case(0, status.as_str())
        };
        let snap = support::snapshot(&listing, "t", "S-1");
        let mut stmts =
            sql::upsert_listings(&format!("[{}]", serde_json::to_string(&snap).unwrap()), T0);
        let by = Mover {
            actor_id: Some(filer.id.to_string()),
            kind: ActorKind::BrandAgent,
            name: Some("Filer".into()),
            on_behalf_of: None,
        };
        stmts.extend(sql::insert_cases(
            b.id,
            &serde_json::to_string(&[case]).unwrap(),
            &by,
            self.clock.0.get(),
        ));
        self.exec(stmts);
        id
    }
    fn appeal(&self, b: &Brand, case: CaseId) {
        let c = block_on(sql::case(&self.db, b.id, case)).unwrap().unwrap();
        let body = json!({ "type": "appeal.filed", "timestamp": "t", "data": { "appeal_id": format!("AP-{}", case.0.simple()),
            "brand_ref": b.reference, "listing_id": c.listing_id, "seller": { "seller_id": "S-1", "name": "Seller" },
            "statement": "Mine.", "evidence_urls": [] } });
        let (receipt, _) = block_on(marketplace::receive(
            &self.deps(),
            &format!("msg_{}", case.0.simple()),
            body.to_string().as_bytes(),
        ))
        .unwrap();
        assert_eq!(receipt, marketplace::Receipt::Applied);
        self.tick();
    }
    fn decide(&self, actor: &Actor, b: &Brand, case: CaseId, d: Decision) {
        block_on(cases::decide(&self.deps(), actor, b.id, case, d)).unwrap();
        self.tick();
    }
    fn list(&self, who: &Actor) -> NotificationList {
        block_on(notifications::my_notifications(
            &self.deps(),
            who,
            &NotificationQuery::default(),
        ))
        .unwrap()
    }
    fn kinds(&self, who: &Who) -> Vec<Notice> {
        self.list(&who.actor)
            .notifications
            .iter()
            .map(|n| n.kind)
            .collect()
    }
    fn mails(&self) -> Vec<(String, String, String)> {
        #[derive(serde::Deserialize)]
        struct Row {
            user_id: String,
            language: String,
            notice: String,
        }
        let rows: Vec<Row> = block_on(query(
            &self.db,
            Stmt::new(
                "SELECT q.user_id, q.language, a.notice FROM notification_mail q
                 JOIN audit_log a ON a.id = q.audit_id ORDER BY q.user_id",
                vec![],
            ),
        ))
        .unwrap();
        rows.into_iter()
            .map(|r| (r.user_id, r.language, r.notice))
            .collect()
    }
    fn pending_right(&self, b: &Brand, number: &str) -> IpRightId {
        let id = IpRightId(self.entropy.uuid());
        self.exec(vec![sql::insert_ip_right(&sql::NewIpRight {
            id,
            brand_id: b.id,
            kind: "trademark",
            registration_number: number,
            jurisdiction: "EU",
            classes: "[]",
            owner: "Owner",
            expires_at: None,
            now: T0,
        })]);
        id
    }
}

fn approve() -> Decision {
    Decision::Approve(NoteRequest { note: None })
}

fn escalate() -> Decision {
    Decision::AppealResponse(AppealResponseRequest {
        decision: "escalate".into(),
        reason: None,
    })
}

fn arbitrate() -> Decision {
    Decision::Arbitrate(ArbitrationRequest {
        decision: "reinstate".into(),
        reason: "The seller's invoice is genuine.".into(),
    })
}

#[test]
fn a_report_decided_goes_to_the_admins_and_its_filer() {
    let w = World::new();
    let b = w.brand("Northwind");
    let case = w.case_in(&b, Status::UnderReview, &b.agent);
    w.decide(&b.manager.actor, &b, case, approve());
    let list = w.list(&b.admin.actor);
    assert_eq!(list.notifications.len(), 1);
    let n = &list.notifications[0];
    assert_eq!(n.kind, Notice::ReportDecided);
    assert_eq!(n.outcome.as_deref(), Some("takedown_requested"));
    assert_eq!((n.brand_id, n.brand_name.as_str()), (b.id, "Northwind"));
    assert_eq!(n.subject_kind.as_deref(), Some("case"));
    assert_eq!(n.subject_id.as_deref(), Some(case.to_string().as_str()));
    assert!(n.subject_name.as_deref().unwrap().starts_with("Handbag "));
    assert!(!n.read);
    assert_eq!(list.unread, 1);
    assert_eq!(w.kinds(&b.agent), [Notice::ReportDecided], "the filer");
    assert!(
        w.kinds(&b.other_agent).is_empty(),
        "another agent did not file it"
    );
    assert!(w.kinds(&b.viewer).is_empty(), "a viewer receives none");

    // Declined: the same kind, its outcome the decline.
    let second = w.case_in(&b, Status::UnderReview, &b.other_agent);
    w.decide(
        &b.manager.actor,
        &b,
        second,
        Decision::Decline(ReasonRequest {
            reason: "Not enough evidence.".into(),
        }),
    );
    let list = w.list(&b.other_agent.actor);
    assert_eq!(list.notifications.len(), 1);
    assert_eq!(list.notifications[0].outcome.as_deref(), Some("declined"));
    assert_eq!(w.kinds(&b.admin).len(), 2);
}

#[test]
fn an_appeal_goes_to_the_agents_and_admins_and_arbitration_to_admins_and_the_escalator() {
    let w = World::new();
    let b = w.brand("Aurelia");
    let case = w.case_in(&b, Status::TakenDown, &b.agent);
    w.appeal(&b, case);
    for who in [&b.admin, &b.agent, &b.other_agent] {
        assert_eq!(w.kinds(who), [Notice::AppealFiled]);
    }
    assert!(w.kinds(&b.viewer).is_empty());

    w.decide(&b.other_agent.actor, &b, case, escalate());
    w.decide(&b.manager.actor, &b, case, arbitrate());
    assert_eq!(
        w.kinds(&b.admin),
        [Notice::ArbitrationDecided, Notice::AppealFiled]
    );
    assert_eq!(
        w.kinds(&b.other_agent),
        [Notice::ArbitrationDecided, Notice::AppealFiled],
        "whoever escalated"
    );
    assert_eq!(
        w.kinds(&b.agent),
        [Notice::AppealFiled],
        "the filer did not escalate"
    );
    assert!(w.kinds(&b.viewer).is_empty());
    let n = &w.list(&b.admin.actor).notifications[0];
    assert_eq!(n.outcome.as_deref(), Some("reinstated"));
}

#[test]
fn rights_and_programme_changes_go_to_the_admins() {
    let w = World::new();
    let b = w.brand("Dorado");
    let right = w.pending_right(&b, "EUTM-1");
    block_on(cases::review_ip_right(
        &w.deps(),
        &b.manager.actor,
        b.id,
        right,
        ReviewIpRightRequest {
            decision: "verify".into(),
            note: None,
        },
    ))
    .unwrap();
    w.tick();
    let op = w.user("ops@m.test", Some(StaffRole::Operator));
    let operator = person(op, Some(StaffRole::Operator), vec![], vec![]);
    block_on(identity::admin_set_programme(
        &w.deps(),
        &operator,
        b.id,
        ProgrammeRequest {
            status: "suspended".into(),
            reason: Some("Too many mistaken reports.".into()),
            cooperation_agreement: None,
        },
    ))
    .unwrap();
    let list = w.list(&b.admin.actor);
    let got: Vec<_> = list
        .notifications
        .iter()
        .map(|n| (n.kind, n.outcome.clone(), n.subject_name.clone()))
        .collect();
    assert_eq!(
        got,
        [
            (
                Notice::ProgrammeChanged,
                Some("suspended".into()),
                Some("Dorado".into())
            ),
            (
                Notice::RightReviewed,
                Some("verified".into()),
                Some("EUTM-1".into())
            ),
        ]
    );
    for who in [&b.agent, &b.other_agent, &b.viewer] {
        assert!(w.kinds(who).is_empty());
    }
}

#[test]
fn a_person_in_two_brands_sees_both_labelled_and_keys_have_none() {
    let w = World::new();
    let a = w.brand("Aurelia");
    let n = w.brand("Northwind");
    let agency = w.user("agent@brandguard.test", None);
    w.exec(vec![
        sql::insert_membership(agency, a.id, BrandRole::BrandAgent, T0),
        sql::insert_membership(agency, n.id, BrandRole::BrandAdmin, T0),
    ]);
    let actor = person(
        agency,
        None,
        vec![
            Membership {
                brand_id: a.id,
                role: BrandRole::BrandAgent,
            },
            Membership {
                brand_id: n.id,
                role: BrandRole::BrandAdmin,
            },
        ],
        vec![],
    );
    let first = w.case_in(&a, Status::TakenDown, &a.agent);
    w.appeal(&a, first);
    let second = w.case_in(&n, Status::UnderReview, &n.agent);
    w.decide(&n.manager.actor, &n, second, approve());
    let list = w.list(&actor);
    let got: Vec<_> = list
        .notifications
        .iter()
        .map(|x| (x.kind, x.brand_name.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (Notice::ReportDecided, "Northwind"),
            (Notice::AppealFiled, "Aurelia")
        ]
    );
    assert_eq!(list.unread, 2);
    // Each brand's admin sees only their own.
    assert_eq!(w.kinds(&a.admin), [Notice::AppealFiled]);
    assert_eq!(w.kinds(&n.admin), [Notice::ReportDecided]);
    let key = Actor::ApiKey {
        brand_id: a.id,
        scope: jf_core::access::KeyScope::Read,
    };
    assert!(matches!(
        block_on(notifications::my_notifications(
            &w.deps(),
            &key,
            &NotificationQuery::default()
        )),
        Err(jf_core::Error::NotFound)
    ));
}

#[test]
fn read_marks_one_by_one_and_up_to_a_moment() {
    let w = World::new();
    let b = w.brand("Aurelia");
    let cases: Vec<_> = (0..3)
        .map(|_| w.case_in(&b, Status::TakenDown, &b.agent))
        .collect();
    for c in &cases {
        w.appeal(&b, *c);
    }
    let list = w.list(&b.admin.actor);
    assert_eq!(list.unread, 3);
    let newest = list.notifications[0].clone();
    block_on(notifications::mark_read(
        &w.deps(),
        &b.admin.actor,
        MarkReadRequest {
            up_to: None,
            ids: Some(vec![newest.id.clone()]),
        },
    ))
    .unwrap();
    let list = w.list(&b.admin.actor);
    assert_eq!(list.unread, 2);
    let read: Vec<bool> = list.notifications.iter().map(|n| n.read).collect();
    assert_eq!(read, [true, false, false]);
    // The agent's marks are their own.
    assert_eq!(w.list(&b.agent.actor).unread, 3);

    let middle = list.notifications[1].at;
    block_on(notifications::mark_read(
        &w.deps(),
        &b.admin.actor,
        MarkReadRequest {
            up_to: Some(middle),
            ids: None,
        },
    ))
    .unwrap();
    let list = w.list(&b.admin.actor);
    assert_eq!(list.unread, 0);
    assert!(list.notifications.iter().all(|n| n.read));

    // A new one after the moment is unread.
    let late = w.case_in(&b, Status::TakenDown, &b.agent);
    w.appeal(&b, late);
    let list = w.list(&b.admin.actor);
    assert_eq!(list.unread, 1);
    assert!(!list.notifications[0].read);

    let empty = block_on(notifications::mark_read(
        &w.deps(),
        &b.admin.actor,
        MarkReadRequest::default(),
    ));
    assert!(matches!(empty, Err(jf_core::Error::Invalid { .. })));
}

#[test]
fn pages_follow_the_keyset_cursor() {
    let w = World::new();
    let b = w.brand("Aurelia");
    for _ in 0..23 {
        let c = w.case_in(&b, Status::TakenDown, &b.agent);
        w.appeal(&b, c);
    }
    let first = w.list(&b.admin.actor);
    assert_eq!(first.notifications.len(), 20);
    assert_eq!(first.unread, 23);
    let cursor = first.next_cursor.clone().unwrap();
    let second = block_on(notifications::my_notifications(
        &w.deps(),
        &b.admin.actor,
        &NotificationQuery {
            cursor: Some(cursor),
        },
    ))
    .unwrap();
    assert_eq!(second.notifications.len(), 3);
    assert!(second.next_cursor.is_none());
    assert!(second.notifications[0].at < first.notifications[19].at);
}

#[test]
fn settings_default_to_email_for_appeals_only_and_can_be_changed() {
    let w = World::new();
    let b = w.brand("Aurelia");
    let s = block_on(notifications::my_settings(&w.deps(), &b.admin.actor)).unwrap();
    let on: Vec<_> = s
        .settings
        .iter()
        .filter(|x| x.email)
        .map(|x| x.kind)
        .collect();
    assert_eq!(on, [Notice::AppealFiled]);
    assert_eq!(s.settings.len(), Notice::ALL.len());
    let s = block_on(notifications::set_settings(
        &w.deps(),
        &b.admin.actor,
        NotificationSettings {
            settings: vec![
                NotificationSetting {
                    kind: Notice::AppealFiled,
                    email: false,
                },
                NotificationSetting {
                    kind: Notice::ReportDecided,
                    email: true,
                },
            ],
        },
    ))
    .unwrap();
    let on: Vec<_> = s
        .settings
        .iter()
        .filter(|x| x.email)
        .map(|x| x.kind)
        .collect();
    assert_eq!(on, [Notice::ReportDecided]);
    // Another person's stay at the defaults.
    let other = block_on(notifications::my_settings(&w.deps(), &b.agent.actor)).unwrap();
    assert!(other
        .settings
        .iter()
        .any(|x| x.kind == Notice::AppealFiled && x.email));
}

#[derive(Default)]
struct Postbox(std::cell::RefCell<Vec<Mail>>);

impl Mailer for Postbox {
    fn site_url(&self) -> &str {
        "https://jf.test"
    }
    async fn send(&self, mail: Mail) -> jf_core::Result<()> {
        self.0.borrow_mut().push(mail);
        Ok(())
    }
}

#[test]
fn emails_are_queued_in_the_change_batch_in_each_persons_language_and_sent_once() {
    let w = World::new();
    let b = w.brand("Aurelia");
    block_on(notifications::set_language(
        &w.deps(),
        &b.admin.actor,
        LanguageRequest {
            language: Language::Zh,
        },
    ))
    .unwrap();
    // The other agent wants no appeal emails.
    block_on(notifications::set_settings(
        &w.deps(),
        &b.other_agent.actor,
        NotificationSettings {
            settings: vec![NotificationSetting {
                kind: Notice::AppealFiled,
                email: false,
            }],
        },
    ))
    .unwrap();
    let case = w.case_in(&b, Status::TakenDown, &b.agent);

    // A batch that fails writes neither the entry nor its emails.
    let stale = block_on(sql::case(&w.db, b.id, case)).unwrap().unwrap();
    w.appeal(&b, case);
    let again = block_on(cases::apply_transition(
        &w.deps(),
        &stale,
        &b.reference,
        jf_core::case::Transition::AppealFiled,
        &Mover::MARKETPLACE,
        None,
        vec![],
    ));
    assert!(again.is_err(), "the stale version loses");

    // Queued already, with the appeal's entry, before any cron run.
    let mut expected = vec![
        (
            b.admin.id.to_string(),
            "zh".to_string(),
            "appeal_filed".to_string(),
        ),
        (
            b.agent.id.to_string(),
            "en".to_string(),
            "appeal_filed".to_string(),
        ),
    ];
    expected.sort();
    assert_eq!(
        w.mails(),
        expected,
        "admins and agents, not the viewer nor one who chose none"
    );

    // Nothing for a kind whose default is off.
    let reviewed = w.case_in(&b, Status::UnderReview, &b.agent);
    w.decide(&b.manager.actor, &b, reviewed, approve());
    assert_eq!(w.mails().len(), 2);

    let postbox = Postbox::default();
    assert_eq!(
        block_on(notifications::send_owed_mail(&w.deps(), &postbox))
            .unwrap()
            .sent,
        2
    );
    let sent = postbox.0.borrow().clone();
    let to_admin = sent.iter().find(|m| m.to == "admin@aurelia.test").unwrap();
    assert!(
        to_admin.text.contains("卖家") && to_admin.text.contains("3 天"),
        "{}",
        to_admin.text
    );
    assert!(to_admin
        .text
        .contains(&format!("https://jf.test/brands/{}/cases/{case}", b.id)));
    assert!(to_admin.subject.contains("Aurelia"));
    let to_agent = sent.iter().find(|m| m.to == "agent@aurelia.test").unwrap();
    assert!(
        to_agent.text.contains("appealed") && to_agent.text.contains("3 days"),
        "{}",
        to_agent.text
    );
    assert!(!sent.iter().any(|m| m.to.starts_with("viewer@")));
    // Sent once.
    assert_eq!(
        block_on(notifications::send_owed_mail(&w.deps(), &postbox))
            .unwrap()
            .sent,
        0
    );
    assert_eq!(postbox.0.borrow().len(), 2);
}

struct Recording<'a> {
    inner: &'a Sqlite,
    seen: std::cell::RefCell<Vec<Stmt>>,
}

impl Db for Recording<'_> {
    async fn all(&self, stmt: Stmt) -> jf_core::Result<jf_core::store::Rows> {
        self.seen.borrow_mut().push(stmt.clone());
        self.inner.all(stmt).await
    }
    async fn batch(&self, stmts: Vec<Stmt>) -> jf_core::Result<()> {
        self.inner.batch(stmts).await
    }
    async fn execute(&self, stmt: Stmt) -> jf_core::Result<u64> {
        self.inner.execute(stmt).await
    }
}

#[test]
fn the_page_and_the_unread_count_search_the_notice_indexes() {
    let w = World::new();
    let b = w.brand("Aurelia");
    let recording = Recording {
        inner: &w.db,
        seen: std::cell::RefCell::new(Vec::new()),
    };
    let deps = Deps {
        db: &recording,
        clock: &w.clock,
        entropy: &w.entropy,
        address: None,
    };
    block_on(notifications::my_notifications(
        &deps,
        &b.admin.actor,
        &NotificationQuery::default(),
    ))
    .unwrap();
    let seen = recording.seen.borrow();
    let mut checked = 0;
    for stmt in seen.iter().filter(|s| s.sql.contains("WITH mine")) {
        checked += 1;
        let mut plan =
            w.db.0
                .prepare(&format!("EXPLAIN QUERY PLAN {}", stmt.sql))
                .unwrap();
        let details: Vec<String> = plan
            .query_map(
                rusqlite::params_from_iter(stmt.params.iter().map(|v| match v {
                    jf_core::store::Value::Null => rusqlite::types::Value::Null,
                    jf_core::store::Value::Int(i) => rusqlite::types::Value::Integer(*i),
                    jf_core::store::Value::Text(t) => rusqlite::types::Value::Text(t.clone()),
                })),
                |r| r.get::<_, String>(3),
            )
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert!(
            !details
                .iter()
                .any(|d| d.starts_with("SCAN a") || d.contains("SCAN audit_log")),
            "the log is never scanned: {details:#?}"
        );
        assert!(
            details.iter().any(|d| d
                .starts_with("SEARCH a USING INDEX audit_log_notices (brand_id=? AND notice=?")),
            "by brand and kind: {details:#?}"
        );
        assert!(
            details
                .iter()
                .any(|d| d.starts_with("SEARCH a USING INDEX audit_log_notices_to (notice_to=?")),
            "by the person named: {details:#?}"
        );
        assert!(
            details
                .iter()
                .any(|d| d.starts_with("SEARCH m USING") && d.contains("user_id=?")),
            "the person's memberships: {details:#?}"
        );
    }
    assert_eq!(checked, 2, "the page and the unread count");
}

#[test]
fn a_newcomer_receives_from_when_they_joined() {
    let w = World::new();
    let b = w.brand("Aurelia");
    let before = w.case_in(&b, Status::TakenDown, &b.agent);
    w.appeal(&b, before);
    w.tick();
    let joined = w.clock.0.get();
    let late = w.user("late@aurelia.test", None);
    w.exec(vec![sql::insert_membership(
        late,
        b.id,
        BrandRole::BrandAdmin,
        joined,
    )]);
    let newcomer = person(
        late,
        None,
        vec![Membership {
            brand_id: b.id,
            role: BrandRole::BrandAdmin,
        }],
        vec![],
    );
    assert_eq!(w.list(&newcomer).notifications.len(), 0);
    let after = w.case_in(&b, Status::TakenDown, &b.agent);
    w.appeal(&b, after);
    let list = w.list(&newcomer);
    assert_eq!(list.notifications.len(), 1);
    assert_eq!(
        list.notifications[0].subject_id.as_deref(),
        Some(after.to_string().as_str())
    );
    assert_eq!(w.list(&b.admin.actor).notifications.len(), 2);
}

/// Refuses mail to one address, as a mail service may.
struct Refusing {
    refuse: &'static str,
    sent: std::cell::RefCell<Vec<Mail>>,
}

impl Mailer for Refusing {
    fn site_url(&self) -> &str {
        "https://jf.test"
    }
    async fn send(&self, mail: Mail) -> jf_core::Result<()> {
        if mail.to == self.refuse {
            return Err(jf_core::Error::internal("refused"));
        }
        self.sent.borrow_mut().push(mail);
        Ok(())
    }
}

#[test]
fn an_email_that_fails_holds_back_no_other_and_is_tried_again_after_its_lease() {
    let w = World::new();
    let b = w.brand("Aurelia");
    let case = w.case_in(&b, Status::TakenDown, &b.agent);
    w.appeal(&b, case);
    let mailer = Refusing {
        refuse: "admin@aurelia.test",
        sent: Default::default(),
    };
    let run = block_on(notifications::send_owed_mail(&w.deps(), &mailer)).unwrap();
    // The admin, both agents: one refused.
    assert_eq!((run.sent, run.failed), (2, 1));
    // Held by its lease: not tried again at once.
    let again = block_on(notifications::send_owed_mail(&w.deps(), &mailer)).unwrap();
    assert_eq!((again.sent, again.failed), (0, 0));
    w.clock.advance(notifications::MAIL_LEASE);
    let postbox = Postbox::default();
    let later = block_on(notifications::send_owed_mail(&w.deps(), &postbox)).unwrap();
    assert_eq!(later.sent, 1);
    assert_eq!(postbox.0.borrow()[0].to, "admin@aurelia.test");
}
