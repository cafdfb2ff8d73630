//! The audit log against SQLite with the real migrations: its triggers, an entry for each kind
//! the identity and integration use cases write, and who reads what.

mod support;

use jf_core::access::Actor;
use jf_core::api::*;
use jf_core::audit::{self, AuditKind, AuditQuery};
use jf_core::clock::{FixedClock, SeededEntropy, DAY, MINUTE};
use jf_core::endpoint_secret::SecretsKeys;
use jf_core::identity::mail::{Mail, Mailer};
use jf_core::identity::{self, Accepted, Client, Deps};
use jf_core::ids::{BrandId, UserId};
use jf_core::integrations::{self, WebhookSettings};
use jf_core::store::{Db, Stmt};
use jf_core::types::{Email, StaffRole};
use jf_core::{cases, password, sql};
use std::collections::BTreeSet;
use support::{block_on, Sqlite};

const PW: &str = "correct horse battery";
const T0: i64 = 1_790_000_000_000;
const HOME: &str = "198.51.100.1";
const KEY: &str = "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

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

impl Postbox {
    fn secret(&self, to: &str, kind: &str) -> String {
        let prefix = format!("https://jf.test/{kind}/");
        let mails = self.0.borrow();
        let mail = mails
            .iter()
            .rev()
            .find(|m| m.to == to && m.text.contains(&prefix))
            .unwrap();
        let at = mail.text.find(&prefix).unwrap() + prefix.len();
        mail.text[at..]
            .split_whitespace()
            .next()
            .unwrap()
            .to_owned()
    }
}

struct World {
    db: Sqlite,
    clock: FixedClock,
    entropy: SeededEntropy,
    mail: Postbox,
}

fn from() -> Client {
    Client::from_headers(Some(HOME), Some("test browser"))
}

impl World {
    fn new() -> Self {
        World {
            db: Sqlite::migrated(),
            clock: FixedClock::at(T0),
            entropy: SeededEntropy::default(),
            mail: Postbox::default(),
        }
    }
    /// Requests from HOME, as the worker passes the client's address.
    fn deps(&self) -> Deps<'_, Sqlite> {
        Deps {
            db: &self.db,
            clock: &self.clock,
            entropy: &self.entropy,
            address: Some(HOME),
        }
    }
    fn exec(&self, stmts: Vec<Stmt>) {
        block_on(self.db.batch(stmts)).unwrap();
    }
    fn user(&self, email: &str, staff: Option<StaffRole>) -> UserId {
        let id = UserId(jf_core::clock::Entropy::uuid(&self.entropy));
        let hash = password::hash(PW, &self.entropy).unwrap();
        let e = Email::parse(email).unwrap();
        self.exec(vec![sql::insert_user(
            id,
            &e,
            email,
            Some(&hash),
            staff,
            T0,
        )]);
        id
    }
    fn login(&self, email: &str, pw: &str) -> jf_core::Result<identity::SignedIn> {
        block_on(identity::login(
            &self.deps(),
            &from(),
            LoginRequest {
                email: email.into(),
                password: pw.into(),
            },
        ))
    }
    fn signed_in(&self, email: &str) -> (String, Actor) {
        let token = self.login(email, PW).unwrap().session_token;
        let actor = block_on(identity::actor_for_session(&self.deps(), &token)).unwrap();
        (token, actor)
    }
    fn tick(&self) {
        self.clock.advance(MINUTE);
    }
}

fn q() -> AuditQuery {
    AuditQuery::default()
}

fn kinds(log: &AuditLog) -> BTreeSet<String> {
    log.entries.iter().map(|e| e.kind.clone()).collect()
}

#[test]
fn entries_are_append_only_and_kept_two_years() {
    let w = World::new();
    let entry = |id: &str, at: i64| {
        sql::insert_audit(&sql::NewAuditEntry {
            id,
            at,
            kind: "signed_in",
            actor_kind: "person",
            actor_id: None,
            on_behalf_of: None,
            brand_id: None,
            subject_kind: None,
            subject_id: None,
            address: Some(HOME),
            details: "{}",
        })
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    w.exec(vec![
        entry("recent", now - DAY),
        entry("old", now - 731 * DAY),
    ]);
    for sql in [
        "UPDATE audit_log SET kind = 'signed_out' WHERE id = 'recent'",
        "UPDATE audit_log SET address = NULL WHERE id = 'old'",
        "DELETE FROM audit_log WHERE id = 'recent'",
        "DELETE FROM audit_log",
    ] {
        let e = block_on(w.db.batch(vec![Stmt::new(sql, vec![])])).unwrap_err();
        assert!(
            e.log_message().contains("audit_log"),
            "{sql}: {}",
            e.log_message()
        );
    }
    // The retention purge removes only what is past two years, and the trigger lets it.
    w.exec(vec![sql::purge_audit()]);
    assert!(block_on(sql::audit_recorded(&w.db, "recent")).unwrap());
    assert!(!block_on(sql::audit_recorded(&w.db, "old")).unwrap());
}

/// A scripted session: each kind the identity and integration use cases write, then who reads
/// which of them.
#[test]
fn a_scripted_session_leaves_an_entry_of_each_kind() {
    let w = World::new();
    let deps = w.deps();
    w.user("ops@marketplace.test", Some(StaffRole::Operator));
    let am_id = w.user("am@marketplace.test", Some(StaffRole::AccountManager));
    let alice_id = w.user("alice@aurelia.test", None);
    let carl_id = w.user("carl@cobalt.test", None);
    let (_, ops) = w.signed_in("ops@marketplace.test");

    // Operators set brands up.
    let brand = |name: &str| {
        block_on(identity::admin_create_brand(
            &deps,
            &ops,
            CreateBrandRequest {
                name: name.into(),
                brand_ref: format!("BR-{}", name.to_uppercase()),
            },
        ))
        .unwrap()
        .id
    };
    let aurelia: BrandId = brand("Aurelia");
    let cobalt: BrandId = brand("Cobalt");
    for (email, b) in [
        ("alice@aurelia.test", aurelia),
        ("carl@cobalt.test", cobalt),
    ] {
        block_on(identity::admin_add_member(
            &deps,
            &ops,
            b,
            AddMemberRequest {
                email: email.into(),
                role: "brand_admin".into(),
            },
        ))
        .unwrap();
    }
    block_on(identity::admin_assign_manager(
        &deps,
        &ops,
        aurelia,
        AssignManagerRequest {
            manager_id: am_id.to_string(),
        },
    ))
    .unwrap();
    block_on(identity::admin_set_programme(
        &deps,
        &ops,
        aurelia,
        ProgrammeRequest {
            status: "suspended".into(),
            reason: Some("Too many retractions".into()),
            cooperation_agreement: None,
        },
    ))
    .unwrap();
    let created = block_on(identity::admin_create_user(
        &deps,
        &w.mail,
        &ops,
        CreateUserRequest {
            email: "sam@marketplace.test".into(),
            display_name: "Sam".into(),
            staff_role: None,
        },
    ))
    .unwrap();
    let sam = created.user.id;
    let role = |r: Option<&str>| {
        block_on(identity::admin_set_staff_role(
            &deps,
            &ops,
            sam,
            StaffRoleRequest {
                staff_role: r.map(str::to_owned),
            },
        ))
        .unwrap();
    };
    role(Some("account_manager"));
    role(None);
    block_on(identity::admin_disable_user(&deps, &ops, sam)).unwrap();
    block_on(identity::admin_enable_user(&deps, &ops, sam)).unwrap();

    // Alice runs Aurelia: a failed sign-in first, then members, keys, endpoints.
    w.tick();
    assert!(w.login("alice@aurelia.test", "wrong password").is_err());
    assert!(w.login("nobody@aurelia.test", "wrong password").is_err());
    let (alice_token, alice) = w.signed_in("alice@aurelia.test");
    let invite = |email: &str| {
        block_on(identity::invite_member(
            &deps,
            &w.mail,
            &alice,
            aurelia,
            InviteRequest {
                email: email.into(),
                role: "brand_agent".into(),
            },
        ))
        .unwrap()
    };
    let cancelled = invite("later@aurelia.test");
    block_on(identity::cancel_invitation(
        &deps,
        &alice,
        aurelia,
        cancelled.invitation_id,
    ))
    .unwrap();
    // Cancelling again finds nothing, and records nothing more.
    assert!(block_on(identity::cancel_invitation(
        &deps,
        &alice,
        aurelia,
        cancelled.invitation_id
    ))
    .is_err());
    invite("bob@aurelia.test");
    let secret = w.mail.secret("bob@aurelia.test", "invite");
    let bob = match block_on(identity::accept_invitation(
        &deps,
        &Actor::Anonymous,
        &from(),
        &secret,
        AcceptInvitationRequest {
            display_name: Some("Bob".into()),
            password: Some(PW.into()),
        },
    ))
    .unwrap()
    {
        Accepted::NewAccount(s) => s.me.user.id,
        other => panic!("{other:?}"),
    };
    block_on(identity::change_member_role(
        &deps,
        &alice,
        aurelia,
        bob,
        ChangeRoleRequest {
            role: "brand_viewer".into(),
        },
    ))
    .unwrap();
    block_on(identity::remove_member(&deps, &alice, aurelia, bob)).unwrap();
    let key = block_on(integrations::create_key(
        &deps,
        &alice,
        aurelia,
        CreateApiKeyRequest {
            name: "ERP".into(),
            scope: "read".into(),
        },
    ))
    .unwrap();
    block_on(integrations::revoke_key(
        &deps,
        &alice,
        aurelia,
        &key.key.id,
    ))
    .unwrap();
    let settings = WebhookSettings {
        allow_loopback: false,
        keys: SecretsKeys::parse(KEY).unwrap(),
    };
    let endpoint = block_on(integrations::create_endpoint(
        &deps,
        &alice,
        aurelia,
        CreateEndpointRequest {
            url: "https://hooks.aurelia.example/jf".into(),
            events: vec!["case.status_changed".into()],
        },
        &settings,
    ))
    .unwrap();
    let endpoint_id = endpoint.endpoint.id.as_str();
    block_on(integrations::disable_endpoint(
        &deps,
        &alice,
        aurelia,
        endpoint_id,
    ))
    .unwrap();
    block_on(integrations::enable_endpoint(
        &deps,
        &alice,
        aurelia,
        endpoint_id,
    ))
    .unwrap();
    // Another endpoint, deleted: its entries can no longer name it, the deletion's keeps the URL.
    let old = block_on(integrations::create_endpoint(
        &deps,
        &alice,
        aurelia,
        CreateEndpointRequest {
            url: "https://hooks.aurelia.example/old".into(),
            events: vec!["case.created".into()],
        },
        &settings,
    ))
    .unwrap();
    block_on(integrations::delete_endpoint(
        &deps,
        &alice,
        aurelia,
        &old.endpoint.id,
    ))
    .unwrap();
    // An operator discards a marketplace event that cannot be applied.
    let unknown =
        br#"{"type": "shop.verified", "data": {"brand_ref": "BR-NONE", "shop_id": "S1"}}"#;
    block_on(jf_core::marketplace::receive(&deps, "msg_audit", unknown)).unwrap();
    block_on(jf_core::marketplace::discard_dead_letter(
        &deps,
        &ops,
        "msg_audit",
        &ReasonRequest {
            reason: "sent by the marketplace's staging".into(),
        },
    ))
    .unwrap();
    let right = block_on(cases::create_ip_right(
        &deps,
        &alice,
        aurelia,
        CreateIpRightRequest {
            kind: "trademark".into(),
            registration_number: "EUTM-1".into(),
            jurisdiction: "EU".into(),
            classes: None,
            owner: "Aurelia".into(),
            expires_at: None,
        },
    ))
    .unwrap();
    let (_, am) = w.signed_in("am@marketplace.test");
    block_on(cases::review_ip_right(
        &deps,
        &am,
        aurelia,
        right.id,
        ReviewIpRightRequest {
            decision: "verify".into(),
            note: None,
        },
    ))
    .unwrap();

    // Sessions and passwords.
    let (second, _) = w.signed_in("alice@aurelia.test");
    let sessions = block_on(identity::my_sessions(&deps, &alice, &second)).unwrap();
    let other = sessions.sessions.iter().find(|s| !s.current).unwrap();
    block_on(identity::end_my_session(&deps, &alice, &other.id)).unwrap();
    assert!(block_on(identity::end_my_session(&deps, &alice, &other.id)).is_err());
    block_on(identity::end_other_sessions(&deps, &alice, &second)).unwrap();
    block_on(identity::change_password(
        &deps,
        &alice,
        &from(),
        &second,
        ChangePasswordRequest {
            current_password: PW.into(),
            new_password: "another good password".into(),
        },
    ))
    .unwrap();
    block_on(identity::send_password_link(
        &deps,
        &w.mail,
        &block_on(sql::user_by_id(&w.db, carl_id)).unwrap().unwrap(),
        identity::mail::PasswordLinkReason::Reset,
    ))
    .unwrap();
    let link = w.mail.secret("carl@cobalt.test", "set-password");
    block_on(identity::set_password_with_link(
        &deps,
        &from(),
        &link,
        SetPasswordRequest {
            password: "carl's new password".into(),
        },
    ))
    .unwrap();
    block_on(identity::logout(&deps, &alice, &second)).unwrap();
    let _ = alice_token;

    // Operators read everything: every kind but the case's own (core/tests/cases.rs).
    let all = block_on(audit::all_audit(&deps, &ops, &q())).unwrap();
    let mut everything = kinds(&all);
    let mut page = all;
    while let Some(cursor) = page.next_cursor.clone() {
        page = block_on(audit::all_audit(
            &deps,
            &ops,
            &AuditQuery {
                cursor: Some(cursor),
                ..q()
            },
        ))
        .unwrap();
        everything.extend(kinds(&page));
    }
    let expected: BTreeSet<String> = AuditKind::ALL
        .iter()
        .filter(|k| **k != AuditKind::CaseMoved)
        .map(|k| k.as_str().to_owned())
        .collect();
    assert_eq!(everything, expected);
    let one = |kind: AuditKind| {
        let log = block_on(audit::all_audit(
            &deps,
            &ops,
            &AuditQuery {
                kind: Some(kind.as_str().into()),
                ..q()
            },
        ))
        .unwrap();
        log.entries
    };
    assert_eq!(one(AuditKind::InvitationCancelled).len(), 1, "once");
    assert_eq!(one(AuditKind::SessionEnded).len(), 1, "once");
    let failed = one(AuditKind::SignInFailed);
    assert_eq!(failed.len(), 2);
    assert!(failed.iter().all(|e| e.address.as_deref() == Some(HOME)));
    let causes: BTreeSet<&str> = failed
        .iter()
        .map(|e| e.details["cause"].as_str().unwrap())
        .collect();
    assert_eq!(causes, BTreeSet::from(["unknown_email", "wrong_password"]));
    let review = &one(AuditKind::RightReviewed)[0];
    assert_eq!(
        (review.actor_id.as_deref(), review.on_behalf_of),
        (Some(am_id.to_string().as_str()), Some(aurelia))
    );
    assert_eq!(review.actor_name.as_deref(), Some("am@marketplace.test"));
    let programme = &one(AuditKind::ProgrammeChanged)[0];
    assert_eq!(programme.details["to"], "suspended");
    assert_eq!(
        programme.on_behalf_of, None,
        "operators set brands up for nobody"
    );

    // Operators read each subject by its name now; sessions and cases have none.
    let named = |kind: AuditKind| -> BTreeSet<Option<String>> {
        one(kind).into_iter().map(|e| e.subject_name).collect()
    };
    let name = |n: &str| BTreeSet::from([Some(n.to_owned())]);
    assert_eq!(named(AuditKind::ApiKeyCreated), name("ERP"));
    assert_eq!(named(AuditKind::ApiKeyRevoked), name("ERP"));
    assert_eq!(
        named(AuditKind::EndpointCreated),
        BTreeSet::from([Some("https://hooks.aurelia.example/jf".to_owned()), None])
    );
    assert_eq!(
        named(AuditKind::EndpointEnabled),
        name("https://hooks.aurelia.example/jf")
    );
    let deleted = &one(AuditKind::EndpointDeleted)[0];
    assert_eq!(deleted.subject_name, None, "gone");
    assert_eq!(deleted.details["url"], "https://hooks.aurelia.example/old");
    assert_eq!(deleted.brand_id, Some(aurelia));
    let discarded = &one(AuditKind::DeadLetterDiscarded)[0];
    assert_eq!(
        (
            discarded.subject_kind.as_deref(),
            discarded.subject_id.as_deref()
        ),
        (Some("dead_letter"), Some("msg_audit"))
    );
    assert_eq!(
        discarded.details["reason"],
        "sent by the marketplace's staging"
    );
    assert_eq!(named(AuditKind::RightReviewed), name("EUTM-1"));
    assert_eq!(
        named(AuditKind::InvitationCancelled),
        name("later@aurelia.test")
    );
    assert_eq!(
        named(AuditKind::InvitationSent),
        BTreeSet::from([
            Some("later@aurelia.test".to_owned()),
            Some("bob@aurelia.test".to_owned())
        ])
    );
    assert_eq!(
        named(AuditKind::InvitationAccepted),
        name("bob@aurelia.test")
    );
    assert_eq!(named(AuditKind::MemberRemoved), name("Bob"));
    assert_eq!(
        named(AuditKind::ManagerAssigned),
        name("am@marketplace.test")
    );
    assert_eq!(named(AuditKind::ProgrammeChanged), name("Aurelia"));
    assert_eq!(
        named(AuditKind::BrandCreated),
        BTreeSet::from([Some("Aurelia".to_owned()), Some("Cobalt".to_owned())])
    );
    assert_eq!(named(AuditKind::UserCreated), name("Sam"));
    assert_eq!(named(AuditKind::SessionEnded), BTreeSet::from([None]));
    // The name as it is now, not as it was when the entry was written.
    w.exec(vec![Stmt::new(
        "UPDATE users SET display_name = 'Sam Okafor' WHERE id = ?1",
        vec![sam.into()],
    )]);
    assert_eq!(named(AuditKind::StaffRoleGranted), name("Sam Okafor"));

    // Filters: by actor, by time, and pages of two.
    let by_alice = block_on(audit::all_audit(
        &deps,
        &ops,
        &AuditQuery {
            actor: Some(alice_id.to_string()),
            ..q()
        },
    ))
    .unwrap();
    assert!(by_alice
        .entries
        .iter()
        .all(|e| e.actor_id.as_deref() == Some(alice_id.to_string().as_str())));
    assert!(kinds(&by_alice).contains("api_key_created"));
    let before = block_on(audit::all_audit(
        &deps,
        &ops,
        &AuditQuery {
            to: Some((T0 + 1).to_string()),
            limit: Some("100".into()),
            ..q()
        },
    ))
    .unwrap();
    assert!(before.entries.iter().all(|e| e.at <= T0));
    assert!(!kinds(&before).contains("sign_in_failed"));
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = block_on(audit::all_audit(
            &deps,
            &ops,
            &AuditQuery {
                actor: Some(alice_id.to_string()),
                limit: Some("2".into()),
                cursor: cursor.clone(),
                ..q()
            },
        ))
        .unwrap();
        assert!(page.entries.len() <= 2);
        seen.extend(page.entries.into_iter().map(|e| e.id));
        cursor = page.next_cursor;
        if cursor.is_none() {
            break;
        }
    }
    let ids: Vec<String> = by_alice.entries.iter().map(|e| e.id.clone()).collect();
    assert_eq!(seen, ids, "the pages are the list, in order, once each");
    for bad in [
        AuditQuery {
            kind: Some("everything".into()),
            ..q()
        },
        AuditQuery {
            actor: Some("alice".into()),
            ..q()
        },
        AuditQuery {
            limit: Some("101".into()),
            ..q()
        },
        AuditQuery {
            cursor: Some("1_x'".into()),
            ..q()
        },
    ] {
        assert_eq!(
            block_on(audit::all_audit(&deps, &ops, &bad))
                .unwrap_err()
                .status(),
            400
        );
    }

    // Alice reads Aurelia's log: its entries and its members' sign-ins, never an address, never
    // Cobalt's, never another person's sign-in.
    let (_, alice) = w.signed_in_with("alice@aurelia.test", "another good password");
    let brand_log = block_on(audit::brand_audit(
        &deps,
        &alice,
        aurelia,
        &AuditQuery {
            limit: Some("100".into()),
            ..q()
        },
    ))
    .unwrap();
    assert!(brand_log.next_cursor.is_none());
    assert!(brand_log.entries.iter().all(|e| e.address.is_none()));
    assert!(brand_log
        .entries
        .iter()
        .all(|e| e.brand_id == Some(aurelia)
            || e.subject_id.as_deref() == Some(&alice_id.to_string())));
    let seen = kinds(&brand_log);
    for kind in [
        "signed_in",
        "sign_in_failed",
        "invitation_sent",
        "invitation_accepted",
        "invitation_cancelled",
        "member_added",
        "member_role_changed",
        "member_removed",
        "api_key_created",
        "api_key_revoked",
        "endpoint_created",
        "endpoint_disabled",
        "manager_assigned",
        "programme_changed",
        "right_reviewed",
    ] {
        assert!(seen.contains(kind), "{kind} in {seen:?}");
    }
    for kind in [
        "user_disabled",
        "staff_role_granted",
        "password_changed",
        "signed_out",
    ] {
        assert!(!seen.contains(kind), "{kind} is not the brand's");
    }
    // The brand names what its own pages show: its members, its manager, its keys, endpoints,
    // rights and invitations, itself; Bob, no longer a member, stays an id.
    let in_brand = |kind: &str| -> BTreeSet<Option<String>> {
        let entries = brand_log.entries.iter().filter(|e| e.kind == kind);
        entries.map(|e| e.subject_name.clone()).collect()
    };
    let name = |n: &str| BTreeSet::from([Some(n.to_owned())]);
    assert_eq!(in_brand("sign_in_failed"), name("alice@aurelia.test"));
    assert_eq!(in_brand("manager_assigned"), name("am@marketplace.test"));
    assert_eq!(in_brand("api_key_created"), name("ERP"));
    assert_eq!(
        in_brand("endpoint_disabled"),
        name("https://hooks.aurelia.example/jf")
    );
    assert_eq!(in_brand("right_reviewed"), name("EUTM-1"));
    assert_eq!(in_brand("invitation_accepted"), name("bob@aurelia.test"));
    assert_eq!(in_brand("programme_changed"), name("Aurelia"));
    assert_eq!(in_brand("member_role_changed"), BTreeSet::from([None]));
    assert_eq!(in_brand("member_removed"), BTreeSet::from([None]));
    let text = serde_json::to_string(&brand_log).unwrap();
    assert!(!text.contains(HOME) && !text.contains(&cobalt.to_string()));
    assert!(!text.contains("carl@cobalt.test"));
    // Carl (another brand's admin), an agent, and the account manager of another brand see nothing.
    let (_, carl) = w.signed_in_with("carl@cobalt.test", "carl's new password");
    assert_eq!(
        block_on(audit::brand_audit(&deps, &carl, aurelia, &q()))
            .unwrap_err()
            .status(),
        404
    );
    assert_eq!(
        block_on(audit::brand_audit(&deps, &am, cobalt, &q()))
            .unwrap_err()
            .status(),
        404
    );
    assert!(block_on(audit::brand_audit(&deps, &am, aurelia, &q())).is_ok());
    assert_eq!(
        block_on(audit::all_audit(&deps, &am, &q()))
            .unwrap_err()
            .status(),
        404,
        "the whole log is for operators"
    );

    // Each person reads their own sign-ins, with addresses.
    let mine = block_on(audit::my_audit(&deps, &carl, &q())).unwrap();
    assert_eq!(kinds(&mine), BTreeSet::from(["signed_in".to_owned()]));
    assert!(mine
        .entries
        .iter()
        .all(|e| e.address.as_deref() == Some(HOME)
            && e.subject_id.as_deref() == Some(&carl_id.to_string())));
    let mine = block_on(audit::my_audit(&deps, &alice, &q())).unwrap();
    assert!(kinds(&mine).contains("sign_in_failed"));
}

impl World {
    fn signed_in_with(&self, email: &str, pw: &str) -> (String, Actor) {
        let token = self.login(email, pw).unwrap().session_token;
        let actor = block_on(identity::actor_for_session(&self.deps(), &token)).unwrap();
        (token, actor)
    }
}

/// An entry of Aurelia about `subject`, written as the use cases write them.
fn entry_about(w: &World, brand: BrandId, subject: (&str, &str), n: u32) {
    let id = format!("00000000-0000-4000-8000-{n:012}");
    let brand = Some(brand);
    w.exec(vec![sql::insert_audit(&sql::NewAuditEntry {
        id: &id,
        at: T0 + i64::from(n),
        kind: "api_key_created",
        actor_kind: "person",
        actor_id: None,
        on_behalf_of: None,
        brand_id: brand,
        subject_kind: Some(subject.0),
        subject_id: Some(subject.1),
        address: None,
        details: "{}",
    })]);
}

/// A brand's log names a subject only if it is the brand's own (however the entry came to be
/// in the brand's log); the whole log names every subject still there, and none that is gone.
#[test]
fn a_brand_names_only_its_own_subjects_and_gone_subjects_have_no_name() {
    let w = World::new();
    let ops_id = w.user("ops@marketplace.test", Some(StaffRole::Operator));
    let (_, ops) = w.signed_in("ops@marketplace.test");
    let alice = w.user("alice@aurelia.test", None);
    let carl = w.user("carl@cobalt.test", None);
    let am = w.user("am@marketplace.test", Some(StaffRole::AccountManager));
    let other_am = w.user("am2@marketplace.test", Some(StaffRole::AccountManager));
    let aurelia = BrandId(uuid::Uuid::from_u128(1));
    let cobalt = BrandId(uuid::Uuid::from_u128(2));
    w.exec(vec![
        sql::insert_brand(aurelia, "Aurelia", "BR-A", T0),
        sql::insert_brand(cobalt, "Cobalt", "BR-C", T0),
        sql::insert_membership(alice, aurelia, jf_core::types::BrandRole::BrandAdmin, T0),
        sql::insert_membership(carl, cobalt, jf_core::types::BrandRole::BrandAdmin, T0),
        sql::set_brand_manager(aurelia, am),
        sql::set_brand_manager(cobalt, other_am),
        sql::insert_api_key(
            "key-a",
            aurelia,
            "Warehouse sync",
            "read",
            "ha",
            "jf_a",
            alice,
            T0,
        ),
        sql::insert_api_key(
            "key-c",
            cobalt,
            "Cobalt ERP",
            "read",
            "hc",
            "jf_c",
            carl,
            T0,
        ),
    ]);
    let (alice_s, carl_s, am_s, other_s) = (
        alice.to_string(),
        carl.to_string(),
        am.to_string(),
        other_am.to_string(),
    );
    let (aurelia_s, cobalt_s) = (aurelia.to_string(), cobalt.to_string());
    let gone = uuid::Uuid::from_u128(99).to_string();
    let subjects = [
        (
            ("user", alice_s.as_str()),
            Some("alice@aurelia.test"),
            Some("alice@aurelia.test"),
        ),
        (
            ("user", am_s.as_str()),
            Some("am@marketplace.test"),
            Some("am@marketplace.test"),
        ),
        (("user", carl_s.as_str()), None, Some("carl@cobalt.test")),
        (
            ("user", other_s.as_str()),
            None,
            Some("am2@marketplace.test"),
        ),
        (("user", gone.as_str()), None, None),
        (
            ("brand", aurelia_s.as_str()),
            Some("Aurelia"),
            Some("Aurelia"),
        ),
        (("brand", cobalt_s.as_str()), None, Some("Cobalt")),
        (
            ("api_key", "key-a"),
            Some("Warehouse sync"),
            Some("Warehouse sync"),
        ),
        (("api_key", "key-c"), None, Some("Cobalt ERP")),
        (("api_key", "key-gone"), None, None),
        (("endpoint", "endpoint-gone"), None, None),
        (("ip_right", "right-gone"), None, None),
        (("invitation", "invitation-gone"), None, None),
        (("session", "a-session"), None, None),
        (("case", "a-case"), None, None),
    ];
    for (n, (subject, _, _)) in subjects.iter().enumerate() {
        entry_about(&w, aurelia, *subject, n as u32);
    }
    let read = |log: AuditLog, id: &str| -> Option<String> {
        let e = log
            .entries
            .into_iter()
            .find(|e| e.subject_id.as_deref() == Some(id));
        e.unwrap().subject_name
    };
    let all_q = AuditQuery {
        actor: None,
        limit: Some("100".into()),
        ..q()
    };
    for ((_, id), in_brand, in_all) in subjects {
        let brand = block_on(audit::brand_audit(&w.deps(), &ops, aurelia, &all_q)).unwrap();
        assert_eq!(
            read(brand, id).as_deref(),
            in_brand,
            "{id} in Aurelia's log"
        );
        let all = block_on(audit::all_audit(&w.deps(), &ops, &all_q)).unwrap();
        assert_eq!(read(all, id).as_deref(), in_all, "{id} in the whole log");
    }
    let _ = ops_id;
}

/// Runs statements on SQLite and keeps their text, to ask SQLite how it plans them.
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

/// Naming the subjects costs each entry a lookup by primary key per table, never a scan: the
/// page is still read through the log's own indexes, whoever reads it.
#[test]
fn subjects_are_named_by_primary_key() {
    let w = World::new();
    let recording = Recording {
        inner: &w.db,
        seen: std::cell::RefCell::new(Vec::new()),
    };
    let brand = BrandId(uuid::Uuid::from_u128(1));
    let person = UserId(uuid::Uuid::from_u128(2));
    for scope in [
        sql::AuditScope::Brand(brand),
        sql::AuditScope::Person(person),
        sql::AuditScope::All,
    ] {
        block_on(sql::audit_page(
            &recording,
            scope,
            r#"["signed_in","sign_in_failed"]"#,
            &sql::AuditFilter::default(),
            None,
            26,
        ))
        .unwrap();
    }
    let seen = recording.seen.borrow();
    assert_eq!(seen.len(), 3);
    for stmt in seen.iter() {
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
        let of = |alias: &str| {
            details
                .iter()
                .filter(|d| d.split_whitespace().nth(1) == Some(alias))
                .collect::<Vec<_>>()
        };
        for (alias, table, key) in [
            ("su", "users", "(id=?)"),
            ("si", "invitations", "(id=?)"),
            ("sk", "api_keys", "(id=?)"),
            ("se", "webhook_endpoints", "(id=?)"),
            ("sr", "ip_rights", "(id=?)"),
            ("sb", "brands", "(id=?)"),
            ("u", "users", "(id=?)"),
        ] {
            let steps = of(alias);
            assert_eq!(steps.len(), 1, "{alias}: {details:#?}");
            let step = steps[0];
            assert!(
                step.starts_with(&format!("SEARCH {alias} USING "))
                    && step.contains(&format!("sqlite_autoindex_{table}_1 {key}")),
                "{step}\n{details:#?}"
            );
        }
        // Who may be named in a brand's log: a membership and a brand, each by its key.
        for step in of("m").into_iter().chain(of("mb")) {
            assert!(
                step.contains("sqlite_autoindex_memberships_1 (user_id=? AND brand_id=?)")
                    || step.contains("sqlite_autoindex_brands_1 (id=?)"),
                "{step}\n{details:#?}"
            );
        }
        // None of the names' tables is read whole.
        for alias in ["u", "su", "si", "sk", "se", "sr", "sb", "m", "mb"] {
            let scan = format!("SCAN {alias}");
            assert!(
                !details
                    .iter()
                    .any(|d| d == &scan || d.starts_with(&format!("{scan} "))),
                "{alias}\n{details:#?}"
            );
        }
    }
}
