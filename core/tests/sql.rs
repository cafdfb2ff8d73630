//! The identity use cases and their SQL against SQLite with the real migrations.

mod support;

use jf_core::access::{Actor, Person};
use jf_core::api::*;
use jf_core::clock::{FixedClock, SeededEntropy, DAY, HOUR, MINUTE};
use jf_core::identity::{self, Deps};
use jf_core::ids::BrandId;
use jf_core::store::{query, Stmt};
use jf_core::types::{BrandRole, Email, ProgrammeStatus, StaffRole};
use jf_core::{password, sql, Error};
use support::{block_on, Sqlite};

const PW: &str = "correct horse battery";
const T0: i64 = 1_790_000_000_000;

struct World {
    db: Sqlite,
    clock: FixedClock,
    entropy: SeededEntropy,
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
        }
    }
    fn user(&self, email: &str, staff: Option<StaffRole>) -> jf_core::ids::UserId {
        let id = jf_core::ids::UserId(jf_core::clock::Entropy::uuid(&self.entropy));
        let hash = password::hash(PW, &self.entropy).unwrap();
        let e = Email::parse(email).unwrap();
        block_on(jf_core::store::Db::batch(
            &self.db,
            vec![sql::insert_user(id, &e, email, Some(&hash), staff, T0)],
        ))
        .unwrap();
        id
    }
    fn brand(&self, name: &str) -> BrandId {
        let id = BrandId(jf_core::clock::Entropy::uuid(&self.entropy));
        let r = format!("BR-{}", name.to_uppercase());
        block_on(jf_core::store::Db::batch(
            &self.db,
            vec![sql::insert_brand(id, name, &r, T0)],
        ))
        .unwrap();
        id
    }
    fn member(&self, user: jf_core::ids::UserId, brand: BrandId, role: BrandRole) {
        block_on(jf_core::store::Db::batch(
            &self.db,
            vec![sql::insert_membership(user, brand, role, T0)],
        ))
        .unwrap();
    }
    fn login(&self, email: &str, pw: &str) -> Result<identity::SignedIn, Error> {
        block_on(identity::login(
            &self.deps(),
            LoginRequest {
                email: email.into(),
                password: pw.into(),
            },
        ))
    }
    fn actor(&self, token: &str) -> Actor {
        block_on(identity::actor_for_session(&self.deps(), token)).unwrap()
    }
    fn count(&self, table: &'static str) -> i64 {
        #[derive(serde::Deserialize)]
        struct N {
            n: i64,
        }
        let sql: &'static str = match table {
            "users" => "SELECT count(*) AS n FROM users",
            "memberships" => "SELECT count(*) AS n FROM memberships",
            "sessions" => "SELECT count(*) AS n FROM sessions",
            "invitations" => "SELECT count(*) AS n FROM invitations",
            "brands" => "SELECT count(*) AS n FROM brands",
            _ => panic!("{table}"),
        };
        block_on(query::<N>(&self.db, Stmt::new(sql, vec![]))).unwrap()[0].n
    }
}

#[test]
fn login_resolves_memberships_and_managed_brands() {
    let w = World::new();
    let aurelia = w.brand("Aurelia");
    let northwind = w.brand("Northwind");
    let agent = w.user("agent@brandguard.test", None);
    w.member(agent, aurelia, BrandRole::BrandAgent);
    w.member(agent, northwind, BrandRole::BrandViewer);
    let am = w.user("am@marketplace.test", Some(StaffRole::AccountManager));
    block_on(jf_core::store::Db::batch(
        &w.db,
        vec![sql::set_brand_manager(aurelia, am)],
    ))
    .unwrap();

    let signed = w.login("Agent@BrandGuard.test", PW).unwrap();
    assert_eq!(signed.me.memberships.len(), 2);
    assert_eq!(signed.me.memberships[0].brand_name, "Aurelia");
    match w.actor(&signed.session_token) {
        Actor::Person(Person {
            memberships,
            staff_role: None,
            ..
        }) => assert_eq!(memberships.len(), 2),
        other => panic!("{other:?}"),
    }
    let am_session = w.login("am@marketplace.test", PW).unwrap();
    match w.actor(&am_session.session_token) {
        Actor::Person(p) => {
            assert_eq!(p.managed_brands, vec![aurelia]);
            assert_eq!(p.staff_role, Some(StaffRole::AccountManager));
        }
        other => panic!("{other:?}"),
    }
    let brands = block_on(identity::staff_brands(
        &w.deps(),
        &w.actor(&am_session.session_token),
    ))
    .unwrap();
    assert_eq!(
        brands
            .brands
            .iter()
            .map(|b| b.name.as_str())
            .collect::<Vec<_>>(),
        ["Aurelia"]
    );
}

#[test]
fn wrong_password_and_unknown_email_answer_alike_then_throttle() {
    let w = World::new();
    w.user("alice@aurelia.test", None);
    let wrong = w
        .login("alice@aurelia.test", "not the password")
        .unwrap_err();
    let unknown = w
        .login("nobody@aurelia.test", "not the password")
        .unwrap_err();
    assert_eq!(wrong, Error::InvalidCredentials);
    assert_eq!(wrong.body(), unknown.body());

    for _ in 0..9 {
        assert_eq!(
            w.login("alice@aurelia.test", "nope-nope-nope").unwrap_err(),
            Error::InvalidCredentials
        );
    }
    // 10 failures now: even the right password is refused until the window ends.
    let locked = w.login("alice@aurelia.test", PW).unwrap_err();
    assert!(
        matches!(locked, Error::TooManyAttempts { retry_after_secs } if retry_after_secs > 0 && retry_after_secs <= 900)
    );
    assert_eq!(locked.status(), 429);
    w.clock.advance(15 * MINUTE + 1);
    assert!(w.login("alice@aurelia.test", PW).is_ok());
}

#[test]
fn sessions_expire_when_idle_or_old_and_logout_revokes() {
    let w = World::new();
    w.user("vera@aurelia.test", None);
    let s = w.login("vera@aurelia.test", PW).unwrap().session_token;
    w.clock.advance(11 * HOUR);
    assert!(matches!(w.actor(&s), Actor::Person(_)));
    w.clock.advance(12 * HOUR + 1);
    assert_eq!(w.actor(&s), Actor::Anonymous, "idle for over 12 h");

    // Kept busy, a session still ends after 7 days.
    let s = w.login("vera@aurelia.test", PW).unwrap().session_token;
    for _ in 0..15 {
        w.clock.advance(11 * HOUR + 59 * MINUTE);
        let _ = w.actor(&s);
    }
    assert_eq!(w.actor(&s), Actor::Anonymous);

    let s = w.login("vera@aurelia.test", PW).unwrap().session_token;
    block_on(identity::logout(&w.deps(), &s)).unwrap();
    assert_eq!(w.actor(&s), Actor::Anonymous);
    assert_eq!(w.actor("made-up-token"), Actor::Anonymous);
}

#[test]
fn invitation_links_work_once_and_members_are_managed() {
    let w = World::new();
    let brand = w.brand("Aurelia");
    let alice = w.user("alice@aurelia.test", None);
    w.member(alice, brand, BrandRole::BrandAdmin);
    let admin = w.actor(&w.login("alice@aurelia.test", PW).unwrap().session_token);

    let link = block_on(identity::invite_member(
        &w.deps(),
        &admin,
        brand,
        InviteRequest {
            email: "new@aurelia.test".into(),
            role: "brand_agent".into(),
        },
    ))
    .unwrap();
    let secret = link.link.strip_prefix("/invite/").unwrap().to_owned();
    let view = block_on(identity::view_invitation(&w.deps(), &secret)).unwrap();
    assert_eq!(view.brand_name.as_deref(), Some("Aurelia"));
    assert!(!view.account_exists);

    // A too-short password is refused and nothing is stored.
    let users_before = w.count("users");
    let short = block_on(identity::accept_invitation(
        &w.deps(),
        &secret,
        AcceptInvitationRequest {
            display_name: Some("Newt".into()),
            password: "short".into(),
        },
    ));
    assert!(matches!(short, Err(Error::Invalid { ref field, .. }) if field == "password"));
    assert_eq!(w.count("users"), users_before);

    let accepted = block_on(identity::accept_invitation(
        &w.deps(),
        &secret,
        AcceptInvitationRequest {
            display_name: Some("Newt".into()),
            password: "a long enough password".into(),
        },
    ))
    .unwrap();
    assert_eq!(accepted.me.memberships[0].role, BrandRole::BrandAgent);
    let again = block_on(identity::accept_invitation(
        &w.deps(),
        &secret,
        AcceptInvitationRequest {
            display_name: Some("Newt".into()),
            password: "a long enough password".into(),
        },
    ));
    assert_eq!(again.unwrap_err(), Error::NotFound);
    assert!(w
        .login("new@aurelia.test", "a long enough password")
        .is_ok());

    // Role changes and removal; the last admin cannot be demoted or removed.
    let members = block_on(identity::list_members(&w.deps(), &admin, brand)).unwrap();
    let newt = members
        .members
        .iter()
        .find(|m| m.email == "new@aurelia.test")
        .unwrap()
        .user_id;
    let changed = block_on(identity::change_member_role(
        &w.deps(),
        &admin,
        brand,
        newt,
        ChangeRoleRequest {
            role: "brand_viewer".into(),
        },
    ))
    .unwrap();
    assert_eq!(changed.role, BrandRole::BrandViewer);
    let demote = block_on(identity::change_member_role(
        &w.deps(),
        &admin,
        brand,
        alice,
        ChangeRoleRequest {
            role: "brand_agent".into(),
        },
    ));
    assert_eq!(demote.unwrap_err().status(), 409);
    assert_eq!(
        block_on(identity::remove_member(&w.deps(), &admin, brand, alice))
            .unwrap_err()
            .status(),
        409
    );
    block_on(identity::remove_member(&w.deps(), &admin, brand, newt)).unwrap();
    assert_eq!(w.count("memberships"), 1);

    // An expired link is dead too.
    let link = block_on(identity::invite_member(
        &w.deps(),
        &admin,
        brand,
        InviteRequest {
            email: "late@aurelia.test".into(),
            role: "brand_viewer".into(),
        },
    ))
    .unwrap();
    w.clock.advance(8 * DAY);
    let secret = link.link.strip_prefix("/invite/").unwrap();
    assert_eq!(
        block_on(identity::view_invitation(&w.deps(), secret)).unwrap_err(),
        Error::NotFound
    );
}

#[test]
fn existing_accounts_accept_with_their_password() {
    let w = World::new();
    let aurelia = w.brand("Aurelia");
    let northwind = w.brand("Northwind");
    let nina = w.user("nina@northwind.test", None);
    w.member(nina, northwind, BrandRole::BrandAdmin);
    w.user("agent@brandguard.test", None);
    let admin = w.actor(&w.login("nina@northwind.test", PW).unwrap().session_token);
    let link = block_on(identity::invite_member(
        &w.deps(),
        &admin,
        northwind,
        InviteRequest {
            email: "agent@brandguard.test".into(),
            role: "brand_agent".into(),
        },
    ))
    .unwrap();
    let secret = link.link.strip_prefix("/invite/").unwrap();
    assert!(
        block_on(identity::view_invitation(&w.deps(), secret))
            .unwrap()
            .account_exists
    );
    let wrong = block_on(identity::accept_invitation(
        &w.deps(),
        secret,
        AcceptInvitationRequest {
            display_name: None,
            password: "a different password".into(),
        },
    ));
    assert_eq!(wrong.unwrap_err(), Error::InvalidCredentials);
    let ok = block_on(identity::accept_invitation(
        &w.deps(),
        secret,
        AcceptInvitationRequest {
            display_name: None,
            password: PW.into(),
        },
    ))
    .unwrap();
    assert_eq!(ok.me.memberships.len(), 1);
    // Another brand's admin cannot touch this brand's members: 404, not 403.
    let err = block_on(identity::list_members(&w.deps(), &admin, aurelia)).unwrap_err();
    assert_eq!(err, Error::NotFound);
}

#[test]
fn password_change_revokes_other_sessions() {
    let w = World::new();
    w.user("alice@aurelia.test", None);
    let a = w.login("alice@aurelia.test", PW).unwrap().session_token;
    let b = w.login("alice@aurelia.test", PW).unwrap().session_token;
    let actor = w.actor(&a);
    let bad = block_on(identity::change_password(
        &w.deps(),
        &actor,
        &a,
        ChangePasswordRequest {
            current_password: "wrong one".into(),
            new_password: "a brand new password".into(),
        },
    ));
    assert!(matches!(bad, Err(Error::Invalid { ref field, .. }) if field == "current_password"));
    block_on(identity::change_password(
        &w.deps(),
        &actor,
        &a,
        ChangePasswordRequest {
            current_password: PW.into(),
            new_password: "a brand new password".into(),
        },
    ))
    .unwrap();
    assert!(matches!(w.actor(&a), Actor::Person(_)));
    assert_eq!(w.actor(&b), Actor::Anonymous);
    assert!(w.login("alice@aurelia.test", PW).is_err());
    assert!(w
        .login("alice@aurelia.test", "a brand new password")
        .is_ok());
}

#[test]
fn operators_set_up_brands_users_and_managers() {
    let w = World::new();
    w.user("ops@marketplace.test", Some(StaffRole::Operator));
    let ops = w.actor(&w.login("ops@marketplace.test", PW).unwrap().session_token);
    let brand = block_on(identity::admin_create_brand(
        &w.deps(),
        &ops,
        CreateBrandRequest {
            name: "Cobalt".into(),
            brand_ref: "BR-COBALT".into(),
        },
    ))
    .unwrap();
    assert_eq!(brand.programme_status, ProgrammeStatus::Applied);
    let dup = block_on(identity::admin_create_brand(
        &w.deps(),
        &ops,
        CreateBrandRequest {
            name: "cobalt".into(),
            brand_ref: "BR-OTHER".into(),
        },
    ));
    assert_eq!(dup.unwrap_err().status(), 409);
    assert_eq!(w.count("brands"), 1);

    let am = block_on(identity::admin_create_user(
        &w.deps(),
        &ops,
        CreateUserRequest {
            email: "am2@marketplace.test".into(),
            display_name: "Am Two".into(),
            staff_role: Some("account_manager".into()),
        },
    ))
    .unwrap();
    assert!(am.set_password.link.starts_with("/invite/"));
    let carl = block_on(identity::admin_create_user(
        &w.deps(),
        &ops,
        CreateUserRequest {
            email: "carl@cobalt.test".into(),
            display_name: "Carl".into(),
            staff_role: None,
        },
    ))
    .unwrap();
    // A brand member cannot be made account manager.
    let not_am = block_on(identity::admin_assign_manager(
        &w.deps(),
        &ops,
        brand.id,
        AssignManagerRequest {
            manager_id: carl.user.id.to_string(),
        },
    ));
    assert_eq!(not_am.unwrap_err().status(), 422);
    let assigned = block_on(identity::admin_assign_manager(
        &w.deps(),
        &ops,
        brand.id,
        AssignManagerRequest {
            manager_id: am.user.id.to_string(),
        },
    ))
    .unwrap();
    assert_eq!(
        assigned.account_manager.unwrap().email,
        "am2@marketplace.test"
    );
    let added = block_on(identity::admin_add_member(
        &w.deps(),
        &ops,
        brand.id,
        AddMemberRequest {
            email: "carl@cobalt.test".into(),
            role: "brand_admin".into(),
        },
    ))
    .unwrap();
    assert_eq!(added.role, BrandRole::BrandAdmin);
    let unknown = block_on(identity::admin_add_member(
        &w.deps(),
        &ops,
        brand.id,
        AddMemberRequest {
            email: "ghost@cobalt.test".into(),
            role: "brand_admin".into(),
        },
    ));
    assert_eq!(unknown.unwrap_err().status(), 422);
    // Carl is no operator.
    let carl_secret = carl.set_password.link.strip_prefix("/invite/").unwrap();
    let carl_session = block_on(identity::accept_invitation(
        &w.deps(),
        carl_secret,
        AcceptInvitationRequest {
            display_name: None,
            password: "carl's own password".into(),
        },
    ))
    .unwrap();
    let carl_actor = w.actor(&carl_session.session_token);
    assert_eq!(
        block_on(identity::admin_list_users(&w.deps(), &carl_actor)).unwrap_err(),
        Error::NotFound
    );
    assert_eq!(carl_session.me.memberships[0].brand_name, "Cobalt");
}

#[test]
fn migrations_enforce_roles_and_uniqueness() {
    let w = World::new();
    let brand = w.brand("Aurelia");
    let u = w.user("a@aurelia.test", None);
    let bad_role = jf_core::store::Stmt::new(
        "INSERT INTO memberships (user_id, brand_id, role, created_at) VALUES (?1, ?2, 'owner', 0)",
        vec![u.into(), brand.into()],
    );
    assert!(block_on(jf_core::store::Db::batch(&w.db, vec![bad_role])).is_err());
    // A batch is atomic: a failing second statement leaves the first undone.
    let e = Email::parse("b@aurelia.test").unwrap();
    let id = jf_core::ids::UserId(jf_core::clock::Entropy::uuid(&w.entropy));
    let res = block_on(jf_core::store::Db::batch(
        &w.db,
        vec![
            sql::insert_user(id, &e, "B", None, None, T0),
            sql::insert_user(id, &e, "B", None, None, T0),
        ],
    ));
    assert!(matches!(res, Err(Error::Conflict(_))));
    assert_eq!(w.count("users"), 1);
}
