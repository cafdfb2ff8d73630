//! The identity use cases and their SQL against SQLite with the real migrations.

mod support;

use jf_core::access::{Actor, Person};
use jf_core::api::*;
use jf_core::clock::{FixedClock, SeededEntropy, DAY, HOUR, MINUTE};
use jf_core::identity::mail::{Mail, Mailer};
use jf_core::identity::{self, throttle, Accepted, Client, Deps};
use jf_core::ids::BrandId;
use jf_core::reasons::Reason;
use jf_core::store::{query, Stmt};
use jf_core::types::{BrandRole, Email, ProgrammeStatus, StaffRole};
use jf_core::{cases, password, sql, Error};
use support::{block_on, Sqlite};

const PW: &str = "correct horse battery";
const T0: i64 = 1_790_000_000_000;

/// Keeps every email sent, as the local email binding does.
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
    /// The secret of the newest link of this kind (`invite`, `set-password`) sent to `to`.
    fn secret(&self, to: &str, kind: &str) -> String {
        let prefix = format!("https://jf.test/{kind}/");
        let mails = self.0.borrow();
        let mail = mails
            .iter()
            .rev()
            .find(|m| m.to == to && m.text.contains(&prefix))
            .unwrap_or_else(|| panic!("no {kind} email to {to}"));
        let at = mail.text.find(&prefix).unwrap() + prefix.len();
        mail.text[at..]
            .split_whitespace()
            .next()
            .unwrap()
            .to_owned()
    }
    fn count(&self) -> usize {
        self.0.borrow().len()
    }
}

struct World {
    db: Sqlite,
    clock: FixedClock,
    entropy: SeededEntropy,
    mail: Postbox,
}

/// A request from this address.
fn from(address: &str) -> Client {
    Client::from_headers(Some(address), Some("test browser"))
}

const HOME: &str = "198.51.100.1";

impl World {
    fn new() -> Self {
        World {
            db: Sqlite::migrated(),
            clock: FixedClock::at(T0),
            entropy: SeededEntropy::default(),
            mail: Postbox::default(),
        }
    }
    /// The use cases' dependencies over another store (one that interleaves, say).
    fn deps_on<'a, D: jf_core::store::Db>(&'a self, db: &'a D) -> Deps<'a, D> {
        Deps {
            db,
            clock: &self.clock,
            entropy: &self.entropy,
            address: None,
        }
    }
    /// Aurelia, with Alice as its brand admin, signed in.
    fn aurelia_with_admin(&self) -> (BrandId, jf_core::ids::UserId, Actor) {
        let aurelia = self.brand("Aurelia");
        let alice = self.user("alice@aurelia.test", None);
        self.member(alice, aurelia, BrandRole::BrandAdmin);
        let admin = self.actor(&self.login("alice@aurelia.test", PW).unwrap().session_token);
        (aurelia, alice, admin)
    }
    fn deps(&self) -> Deps<'_, Sqlite> {
        Deps {
            db: &self.db,
            clock: &self.clock,
            entropy: &self.entropy,
            address: None,
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
        self.login_from(HOME, email, pw)
    }
    fn login_from(
        &self,
        address: &str,
        email: &str,
        pw: &str,
    ) -> Result<identity::SignedIn, Error> {
        block_on(identity::login(
            &self.deps(),
            &from(address),
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
            "pending invitations" => "SELECT count(*) AS n FROM invitations WHERE accepted_at IS NULL AND cancelled_at IS NULL",
            "password_links" => "SELECT count(*) AS n FROM password_links",
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

fn invite(
    w: &World,
    admin: &Actor,
    brand: BrandId,
    email: &str,
    role: &str,
) -> Result<InvitationSent, Error> {
    block_on(identity::invite_member(
        &w.deps(),
        &w.mail,
        admin,
        brand,
        InviteRequest {
            email: email.into(),
            role: role.into(),
        },
    ))
}

fn accept(
    w: &World,
    actor: &Actor,
    secret: &str,
    body: AcceptInvitationRequest,
) -> Result<Accepted, Error> {
    block_on(identity::accept_invitation(
        &w.deps(),
        actor,
        &from(HOME),
        secret,
        body,
    ))
}

fn new_account(name: &str, password: &str) -> AcceptInvitationRequest {
    AcceptInvitationRequest {
        display_name: Some(name.into()),
        password: Some(password.into()),
    }
}

fn operator(w: &World) -> Actor {
    w.user("ops@marketplace.test", Some(StaffRole::Operator));
    w.actor(&w.login("ops@marketplace.test", PW).unwrap().session_token)
}

fn create_user(w: &World, ops: &Actor, email: &str, staff_role: Option<&str>) -> CreatedUser {
    block_on(identity::admin_create_user(
        &w.deps(),
        &w.mail,
        ops,
        CreateUserRequest {
            email: email.into(),
            display_name: "Someone".into(),
            staff_role: staff_role.map(Into::into),
        },
    ))
    .unwrap()
}

fn set_password(w: &World, secret: &str, password: &str) -> Result<identity::SignedIn, Error> {
    block_on(identity::set_password_with_link(
        &w.deps(),
        &from(HOME),
        secret,
        SetPasswordRequest {
            password: password.into(),
        },
    ))
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

    // A guesser at one address: ten failures, then even the right password waits there…
    let guesser = "203.0.113.9";
    for _ in 0..10 {
        assert_eq!(
            w.login_from(guesser, "alice@aurelia.test", "nope-nope-nope")
                .unwrap_err(),
            Error::InvalidCredentials
        );
    }
    let locked = w.login_from(guesser, "alice@aurelia.test", PW).unwrap_err();
    assert!(
        matches!(locked, Error::TooManyAttempts { retry_after_secs } if retry_after_secs > 0 && retry_after_secs <= 900),
        "{locked:?}"
    );
    assert_eq!(locked.status(), 429);
    // …while the owner, at their own address, is not locked out by someone else's failures.
    assert!(w.login("alice@aurelia.test", PW).is_ok());
    w.clock.advance(15 * MINUTE + 1);
    assert!(w.login_from(guesser, "alice@aurelia.test", PW).is_ok());
}

#[test]
fn only_failures_keep_counting_and_an_address_has_a_ceiling_across_emails() {
    let w = World::new();
    w.user("alice@aurelia.test", None);
    // Signing in a hundred times is no failure.
    for _ in 0..40 {
        w.login("alice@aurelia.test", PW).unwrap();
    }
    // One address guessing at many emails meets the address's ceiling.
    let sprayer = "203.0.113.10";
    for i in 0..throttle::ADDRESS_LIMIT {
        let e = format!("user{i}@aurelia.test");
        assert_eq!(
            w.login_from(sprayer, &e, "nope-nope-nope").unwrap_err(),
            Error::InvalidCredentials
        );
    }
    assert_eq!(
        w.login_from(sprayer, "alice@aurelia.test", PW)
            .unwrap_err()
            .status(),
        429
    );
    // IPv6 counts by /64: another address in the same block is the same guesser.
    for _ in 0..throttle::ADDRESS_LIMIT {
        let _ = w.login_from("2001:db8:5:6::1", "x@aurelia.test", "nope-nope-nope");
    }
    assert_eq!(
        w.login_from("2001:db8:5:6::ffff", "alice@aurelia.test", PW)
            .unwrap_err()
            .status(),
        429
    );
    assert!(w
        .login_from("2001:db8:5:7::1", "alice@aurelia.test", PW)
        .is_ok());
}

#[test]
fn an_email_has_a_daily_ceiling_that_spares_the_owners_own_address() {
    let w = World::new();
    w.user("alice@aurelia.test", None);
    // Alice has signed in from home before.
    assert!(w.login("alice@aurelia.test", PW).is_ok());
    // A botnet: a hundred addresses, one failure each.
    for i in 0..throttle::EMAIL_LIMIT {
        let _ = w.login_from(
            &format!("203.0.{}.{}", i / 250, i % 250 + 1),
            "alice@aurelia.test",
            "nope-nope-nope",
        );
    }
    // Any new address now waits a day…
    assert_eq!(
        w.login_from("192.0.2.77", "alice@aurelia.test", PW)
            .unwrap_err()
            .status(),
        429
    );
    // …but the owner at their own address is never stopped by someone else's failures,
    assert!(w.login("alice@aurelia.test", PW).is_ok());
    // and can still ask for a set-password link (counted apart from password failures).
    block_on(identity::request_password_link(
        &w.deps(),
        "https://jf.test",
        &from("192.0.2.77"),
        PasswordLinkRequest {
            email: "alice@aurelia.test".into(),
        },
    ))
    .unwrap();
    w.clock.advance(DAY + 1);
    assert!(w.login_from("192.0.2.77", "alice@aurelia.test", PW).is_ok());
}

#[test]
fn link_requests_cannot_flood_a_mailbox() {
    let w = World::new();
    w.user("alice@aurelia.test", None);
    let ask = |address: &str| {
        block_on(identity::request_password_link(
            &w.deps(),
            "https://jf.test",
            &from(address),
            PasswordLinkRequest {
                email: "alice@aurelia.test".into(),
            },
        ))
    };
    for i in 0..throttle::LINK_REQUEST_LIMIT {
        let mail = ask(&format!("203.0.113.{}", i + 1)).unwrap();
        assert_eq!(mail.unwrap().to, "alice@aurelia.test");
    }
    assert_eq!(ask("203.0.113.99").unwrap_err().status(), 429);
    // An unknown address is answered alike, and no email is written for it.
    let none = block_on(identity::request_password_link(
        &w.deps(),
        "https://jf.test",
        &from(HOME),
        PasswordLinkRequest {
            email: "nobody@aurelia.test".into(),
        },
    ))
    .unwrap();
    assert!(none.is_none());
}

#[test]
fn migration_0004_kills_every_link_handed_out_before_it() {
    let db = Sqlite::migrated_before("0004");
    block_on(jf_core::store::Db::batch(
        &db,
        vec![
            Stmt::new(
                "INSERT INTO users (id, email, display_name, created_at) VALUES ('u1', 'a@b.test', 'A', 0)",
                vec![],
            ),
            Stmt::new(
                "INSERT INTO brands (id, name, brand_ref, created_at) VALUES ('b1', 'B', 'BR-B', 0)",
                vec![],
            ),
            Stmt::new(
                "INSERT INTO invitations (id, token_hash, email, brand_id, role, invited_by, created_at, expires_at)
                 VALUES ('i1', 'h1', 'new@b.test', 'b1', 'brand_agent', 'u1', 0, 9999999999999),
                        ('i2', 'h2', 'a@b.test', NULL, NULL, 'u1', 0, 9999999999999)",
                vec![],
            ),
        ],
    ))
    .unwrap();
    db.migrate_from("0004");
    #[derive(serde::Deserialize)]
    struct N {
        n: i64,
    }
    let live = block_on(query::<N>(
        &db,
        Stmt::new(
            "SELECT count(*) AS n FROM invitations WHERE cancelled_at IS NULL AND accepted_at IS NULL",
            vec![],
        ),
    ))
    .unwrap();
    assert_eq!(
        live[0].n, 0,
        "no link made before the migration still works"
    );
}

#[test]
fn an_invitation_outlives_no_ones_right_to_have_sent_it() {
    let w = World::new();
    let aurelia = w.brand("Aurelia");
    let alice = w.user("alice@aurelia.test", None);
    let leaver = w.user("leaver@aurelia.test", None);
    w.member(alice, aurelia, BrandRole::BrandAdmin);
    w.member(leaver, aurelia, BrandRole::BrandAdmin);
    let admin = w.actor(&w.login("alice@aurelia.test", PW).unwrap().session_token);
    let leaving = w.actor(&w.login("leaver@aurelia.test", PW).unwrap().session_token);
    // About to leave, they invite a personal address as an admin.
    invite(&w, &leaving, aurelia, "personal@mail.test", "brand_admin").unwrap();
    let personal = w.mail.secret("personal@mail.test", "invite");
    // Demoted: their invitations are cancelled with it.
    block_on(identity::change_member_role(
        &w.deps(),
        &admin,
        aurelia,
        leaver,
        ChangeRoleRequest {
            role: "brand_viewer".into(),
        },
    ))
    .unwrap();
    assert_eq!(w.count("pending invitations"), 0);
    assert_eq!(
        accept(
            &w,
            &Actor::Anonymous,
            &personal,
            new_account("Me Again", "a long enough password")
        )
        .unwrap_err(),
        Error::NotFound
    );
    // An invitation whose sender lost the right some other way is dead at acceptance too.
    invite(&w, &admin, aurelia, "third@mail.test", "brand_viewer").unwrap();
    let third = w.mail.secret("third@mail.test", "invite");
    block_on(jf_core::store::Db::batch(
        &w.db,
        vec![sql::update_membership_role(
            aurelia,
            alice,
            BrandRole::BrandAgent,
        )],
    ))
    .unwrap();
    assert_eq!(
        accept(
            &w,
            &Actor::Anonymous,
            &third,
            new_account("Third", "a long enough password")
        )
        .unwrap_err(),
        Error::NotFound
    );
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
    block_on(identity::logout(&w.deps(), &w.actor(&s), &s)).unwrap();
    assert_eq!(w.actor(&s), Actor::Anonymous);
    assert_eq!(w.actor("made-up-token"), Actor::Anonymous);
    // The cron forgets ended sessions once they have been over for 30 days.
    let open = w.login("vera@aurelia.test", PW).unwrap().session_token;
    block_on(identity::purge_expired(&w.deps())).unwrap();
    assert_eq!(w.count("sessions"), 4, "ended sessions are kept a while");
    block_on(jf_core::jobs::forget_expired(&w.deps())).unwrap();
    assert_eq!(w.count("sessions"), 4, "none ended 30 days ago");
    assert!(matches!(w.actor(&open), Actor::Person(_)));
    w.clock.advance(30 * DAY);
    block_on(jf_core::jobs::forget_expired(&w.deps())).unwrap();
    // The one that was open 30 days ago has not been over for 30 days yet.
    assert_eq!(w.count("sessions"), 1);
}

#[test]
fn own_sessions_are_listed_and_ended() {
    let w = World::new();
    w.user("alice@aurelia.test", None);
    let here = w.login("alice@aurelia.test", PW).unwrap().session_token;
    let phone = w
        .login_from("2001:db8::7", "alice@aurelia.test", PW)
        .unwrap()
        .session_token;
    let laptop = w
        .login_from("203.0.113.5", "alice@aurelia.test", PW)
        .unwrap()
        .session_token;
    let me = w.actor(&here);
    let list = block_on(identity::my_sessions(&w.deps(), &me, &here)).unwrap();
    assert_eq!(list.sessions.len(), 3);
    assert_eq!(list.sessions.iter().filter(|s| s.current).count(), 1);
    assert!(list
        .sessions
        .iter()
        .any(|s| s.address == "2001:db8::7" && s.user_agent == "test browser"));
    let phone_id = list
        .sessions
        .iter()
        .find(|s| s.address == "2001:db8::7")
        .unwrap()
        .id
        .clone();
    // Someone else cannot end it: it is not theirs to find.
    w.user("eve@aurelia.test", None);
    let eve = w.actor(&w.login("eve@aurelia.test", PW).unwrap().session_token);
    assert_eq!(
        block_on(identity::end_my_session(&w.deps(), &eve, &phone_id)).unwrap_err(),
        Error::NotFound
    );
    block_on(identity::end_my_session(&w.deps(), &me, &phone_id)).unwrap();
    assert_eq!(w.actor(&phone), Actor::Anonymous);
    assert!(matches!(w.actor(&laptop), Actor::Person(_)));
    block_on(identity::end_other_sessions(&w.deps(), &me, &here)).unwrap();
    assert_eq!(w.actor(&laptop), Actor::Anonymous);
    assert!(matches!(w.actor(&here), Actor::Person(_)));
}

#[test]
fn invitations_travel_by_email_and_make_new_accounts_once() {
    let w = World::new();
    let (brand, _, admin) = w.aurelia_with_admin();

    let sent = invite(&w, &admin, brand, "New@Aurelia.test", "brand_agent").unwrap();
    assert_eq!(sent.email, "new@aurelia.test");
    let secret = w.mail.secret("new@aurelia.test", "invite");
    let view = block_on(identity::view_invitation(
        &w.deps(),
        &Actor::Anonymous,
        &from(HOME),
        &secret,
    ))
    .unwrap();
    assert_eq!(view.brand_name, "Aurelia");
    assert!(!view.account_exists);

    // A too-short password is refused and nothing is stored.
    let users_before = w.count("users");
    let short = accept(&w, &Actor::Anonymous, &secret, new_account("Newt", "short"));
    assert!(matches!(short, Err(Error::Invalid { ref field, .. }) if field == "password"));
    assert_eq!(w.count("users"), users_before);

    let accepted = accept(
        &w,
        &Actor::Anonymous,
        &secret,
        new_account("Newt", "a long enough password"),
    )
    .unwrap();
    let Accepted::NewAccount(signed) = accepted else {
        panic!("a new account is signed in");
    };
    assert_eq!(signed.me.memberships[0].role, BrandRole::BrandAgent);
    let again = accept(
        &w,
        &Actor::Anonymous,
        &secret,
        new_account("Newt", "a long enough password"),
    )
    .unwrap_err();
    assert_eq!(again.status(), 409, "{again:?}");
    assert_eq!(
        again.public_message(),
        "This invitation has already been accepted."
    );
    assert!(w
        .login("new@aurelia.test", "a long enough password")
        .is_ok());

    // A second use of a link that raced past the first check loses its whole batch.
    let hash = jf_core::token::digest(&secret);
    assert!(matches!(
        block_on(jf_core::store::Db::batch(
            &w.db,
            vec![sql::use_link(&hash, T0)]
        )),
        Err(Error::Conflict(_))
    ));

    // An expired link is dead too.
    invite(&w, &admin, brand, "late@aurelia.test", "brand_viewer").unwrap();
    let late = w.mail.secret("late@aurelia.test", "invite");
    w.clock.advance(8 * DAY);
    assert_eq!(
        block_on(identity::view_invitation(
            &w.deps(),
            &Actor::Anonymous,
            &from(HOME),
            &late
        ))
        .unwrap_err(),
        Error::NotFound
    );
}

#[test]
fn an_invitation_never_sets_or_checks_an_existing_accounts_password() {
    let w = World::new();
    let northwind = w.brand("Northwind");
    let nina = w.user("nina@northwind.test", None);
    w.member(nina, northwind, BrandRole::BrandAdmin);
    w.user("agent@brandguard.test", None);
    let admin = w.actor(&w.login("nina@northwind.test", PW).unwrap().session_token);
    invite(
        &w,
        &admin,
        northwind,
        "agent@brandguard.test",
        "brand_agent",
    )
    .unwrap();
    let secret = w.mail.secret("agent@brandguard.test", "invite");

    // Whoever holds the link, signed out: asked to sign in as the account; a password in the
    // body is neither checked nor set.
    let users_before = w.count("users");
    let anon = accept(
        &w,
        &Actor::Anonymous,
        &secret,
        new_account("Mallory", "mallory's own password"),
    );
    assert_eq!(anon.unwrap_err(), Error::Unauthenticated);
    assert!(w
        .login("agent@brandguard.test", "mallory's own password")
        .is_err());
    assert!(w.login("agent@brandguard.test", PW).is_ok());
    assert_eq!(w.count("users"), users_before);
    // Signed in as someone else (the inviter, say): refused.
    let other = accept(&w, &admin, &secret, AcceptInvitationRequest::default());
    assert_eq!(other.unwrap_err().status(), 403);
    // The invited account, signed in: joins, with one click.
    let agent = w.actor(&w.login("agent@brandguard.test", PW).unwrap().session_token);
    let view = block_on(identity::view_invitation(
        &w.deps(),
        &agent,
        &from(HOME),
        &secret,
    ))
    .unwrap();
    assert!(view.account_exists && view.signed_in_as_invitee);
    let Accepted::Joined(me) =
        accept(&w, &agent, &secret, AcceptInvitationRequest::default()).unwrap()
    else {
        panic!("the signed-in account joins");
    };
    assert_eq!(me.memberships[0].brand_name, "Northwind");
    assert_eq!(w.count("pending invitations"), 0);
}

#[test]
fn staff_and_pending_accounts_cannot_be_taken_over_through_an_invitation() {
    let w = World::new();
    let ops = operator(&w);
    let (aurelia, _, admin) = w.aurelia_with_admin();
    // A new account manager and a new operator, passwords not yet set.
    create_user(&w, &ops, "am2@marketplace.test", Some("account_manager"));
    create_user(&w, &ops, "ops2@marketplace.test", Some("operator"));
    let sent_before = w.mail.count();
    for email in [
        "am2@marketplace.test",
        "ops2@marketplace.test",
        "ops@marketplace.test",
    ] {
        let refused = invite(&w, &admin, aurelia, email, "brand_viewer").unwrap_err();
        assert_eq!(refused.status(), 422, "{email}");
        assert_eq!(
            refused.public_message(),
            format!("{email} cannot be invited to a brand.")
        );
    }
    assert_eq!(w.count("pending invitations"), 0);
    assert_eq!(w.mail.count(), sent_before, "no email went out");
    // An operator cannot add a staff member to a brand either.
    let added = block_on(identity::admin_add_member(
        &w.deps(),
        &ops,
        aurelia,
        AddMemberRequest {
            email: "am2@marketplace.test".into(),
            role: "brand_viewer".into(),
        },
    ));
    assert_eq!(added.unwrap_err().status(), 422);
}

#[test]
fn set_password_links_work_once_for_72_hours_and_the_newest_only() {
    let w = World::new();
    let ops = operator(&w);
    let created = create_user(&w, &ops, "am2@marketplace.test", Some("account_manager"));
    assert!(!created.user.has_password);
    assert_eq!(created.link_sent.email, "am2@marketplace.test");
    let first = w.mail.secret("am2@marketplace.test", "set-password");
    // The operator sends it again: the first link stops working.
    block_on(identity::admin_send_password_link(
        &w.deps(),
        &w.mail,
        &ops,
        created.user.id,
    ))
    .unwrap();
    let second = w.mail.secret("am2@marketplace.test", "set-password");
    assert_ne!(first, second);
    assert_eq!(
        set_password(&w, &first, "the manager's password").unwrap_err(),
        Error::NotFound
    );
    let view = block_on(identity::view_password_link(
        &w.deps(),
        &from(HOME),
        &second,
    ))
    .unwrap();
    assert_eq!(view.email, "am2@marketplace.test");
    let short = set_password(&w, &second, "short").unwrap_err();
    assert!(matches!(short, Error::Invalid { ref field, .. } if field == "password"));
    let signed = set_password(&w, &second, "the manager's password").unwrap();
    assert_eq!(signed.me.user.staff_role, Some(StaffRole::AccountManager));
    assert!(signed.me.user.has_password);
    assert_eq!(
        set_password(&w, &second, "someone else's password").unwrap_err(),
        Error::NotFound
    );
    assert!(w
        .login("am2@marketplace.test", "the manager's password")
        .is_ok());

    // Forgot password: the same answer for any address; a link only for a real account (the
    // caller sends it after answering).
    let mut mails = Vec::new();
    for email in ["am2@marketplace.test", "nobody@marketplace.test"] {
        mails.push(
            block_on(identity::request_password_link(
                &w.deps(),
                w.mail.site_url(),
                &from(HOME),
                PasswordLinkRequest {
                    email: email.into(),
                },
            ))
            .unwrap(),
        );
    }
    assert!(mails[1].is_none());
    block_on(
        w.mail
            .send(mails[0].clone().expect("a link for the account")),
    )
    .unwrap();
    let reset = w.mail.secret("am2@marketplace.test", "set-password");
    w.clock.advance(72 * HOUR + 1);
    assert_eq!(
        set_password(&w, &reset, "too late a password").unwrap_err(),
        Error::NotFound
    );
}

#[test]
fn guessing_links_meets_the_throttle_by_address() {
    let w = World::new();
    let guesser = Client::from_headers(Some("203.0.113.77"), None);
    for i in 0..throttle::ADDRESS_LIMIT {
        let err = block_on(identity::view_password_link(
            &w.deps(),
            &guesser,
            &format!("guess{i}"),
        ))
        .unwrap_err();
        assert_eq!(err, Error::NotFound);
    }
    let ops = operator(&w);
    let created = create_user(&w, &ops, "carl@cobalt.test", None);
    let secret = w.mail.secret("carl@cobalt.test", "set-password");
    // Even a real link waits at that address; elsewhere it works.
    let limited = block_on(identity::set_password_with_link(
        &w.deps(),
        &guesser,
        &secret,
        SetPasswordRequest {
            password: "carl's own password".into(),
        },
    ));
    assert_eq!(limited.unwrap_err().status(), 429);
    assert_eq!(
        block_on(identity::accept_invitation(
            &w.deps(),
            &Actor::Anonymous,
            &guesser,
            "another-guess",
            AcceptInvitationRequest::default()
        ))
        .unwrap_err()
        .status(),
        429
    );
    assert!(set_password(&w, &secret, "carl's own password").is_ok());
    assert!(!created.user.disabled);
}

#[test]
fn password_change_checks_through_the_throttle_and_revokes_other_sessions() {
    let w = World::new();
    w.user("alice@aurelia.test", None);
    let a = w.login("alice@aurelia.test", PW).unwrap().session_token;
    let b = w.login("alice@aurelia.test", PW).unwrap().session_token;
    let actor = w.actor(&a);
    let change = |current: &str| {
        block_on(identity::change_password(
            &w.deps(),
            &actor,
            &from(HOME),
            &a,
            ChangePasswordRequest {
                current_password: current.into(),
                new_password: "a brand new password".into(),
            },
        ))
    };
    for _ in 0..10 {
        let bad = change("wrong one");
        assert!(
            matches!(bad, Err(Error::Invalid { ref field, .. }) if field == "current_password")
        );
    }
    assert_eq!(
        change(PW).unwrap_err().status(),
        429,
        "a stolen session cannot guess on"
    );
    w.clock.advance(15 * MINUTE + 1);
    change(PW).unwrap();
    assert!(matches!(w.actor(&a), Actor::Person(_)));
    assert_eq!(w.actor(&b), Actor::Anonymous);
    assert!(w.login("alice@aurelia.test", PW).is_err());
    assert!(w
        .login("alice@aurelia.test", "a brand new password")
        .is_ok());
}

#[test]
fn the_account_lifecycle_has_its_effects() {
    let w = World::new();
    let ops = operator(&w);
    let aurelia = w.brand("Aurelia");
    let alice = w.user("alice@aurelia.test", None);
    let arjun = w.user("arjun@aurelia.test", None);
    w.member(alice, aurelia, BrandRole::BrandAdmin);
    w.member(arjun, aurelia, BrandRole::BrandAdmin);
    let alice_session = w.login("alice@aurelia.test", PW).unwrap().session_token;
    let admin = w.actor(&alice_session);
    // Alice invites two people; someone else invites Alice's address elsewhere.
    invite(&w, &admin, aurelia, "one@aurelia.test", "brand_agent").unwrap();
    let northwind = w.brand("Northwind");
    let nina = w.user("nina@northwind.test", None);
    w.member(nina, northwind, BrandRole::BrandAdmin);
    let nina_actor = w.actor(&w.login("nina@northwind.test", PW).unwrap().session_token);
    invite(
        &w,
        &nina_actor,
        northwind,
        "alice@aurelia.test",
        "brand_viewer",
    )
    .unwrap();
    let to_alice = w.mail.secret("alice@aurelia.test", "invite");
    assert_eq!(w.count("pending invitations"), 2);

    // Disable: sessions end at once, invitations from and to her are cancelled, no sign-in.
    let disabled = block_on(identity::admin_disable_user(&w.deps(), &ops, alice)).unwrap();
    assert!(disabled.disabled);
    assert_eq!(w.actor(&alice_session), Actor::Anonymous);
    assert_eq!(w.count("pending invitations"), 0);
    assert_eq!(
        w.login("alice@aurelia.test", PW).unwrap_err(),
        Error::InvalidCredentials
    );
    assert_eq!(
        block_on(identity::view_invitation(
            &w.deps(),
            &Actor::Anonymous,
            &from(HOME),
            &to_alice
        ))
        .unwrap_err(),
        Error::NotFound
    );
    // Nobody can invite a disabled account, and an operator cannot disable themselves.
    let arjun_actor = w.actor(&w.login("arjun@aurelia.test", PW).unwrap().session_token);
    assert_eq!(
        invite(
            &w,
            &arjun_actor,
            aurelia,
            "alice@aurelia.test",
            "brand_viewer"
        )
        .unwrap_err()
        .status(),
        422
    );
    let me = match &ops {
        Actor::Person(p) => p.user_id,
        _ => unreachable!(),
    };
    assert_eq!(
        block_on(identity::admin_disable_user(&w.deps(), &ops, me))
            .unwrap_err()
            .status(),
        409
    );
    // Re-enabled: her password works again.
    let enabled = block_on(identity::admin_enable_user(&w.deps(), &ops, alice)).unwrap();
    assert!(!enabled.disabled);
    assert!(w.login("alice@aurelia.test", PW).is_ok());

    // Removing the account manager role clears their assignments.
    let am = w.user("am@marketplace.test", Some(StaffRole::AccountManager));
    block_on(identity::admin_assign_manager(
        &w.deps(),
        &ops,
        aurelia,
        AssignManagerRequest {
            manager_id: am.to_string(),
        },
    ))
    .unwrap();
    let am_session = w.login("am@marketplace.test", PW).unwrap().session_token;
    let updated = block_on(identity::admin_set_staff_role(
        &w.deps(),
        &ops,
        am,
        StaffRoleRequest { staff_role: None },
    ))
    .unwrap();
    assert_eq!(updated.staff_role, None);
    let brand = block_on(identity::get_brand(&w.deps(), &ops, aurelia)).unwrap();
    assert_eq!(brand.account_manager, None);
    match w.actor(&am_session) {
        Actor::Person(p) => assert!(p.managed_brands.is_empty() && p.staff_role.is_none()),
        other => panic!("{other:?}"),
    }

    // A brand admin cancels an invitation; its link is dead.
    invite(
        &w,
        &arjun_actor,
        aurelia,
        "two@aurelia.test",
        "brand_viewer",
    )
    .unwrap();
    let two = w.mail.secret("two@aurelia.test", "invite");
    let pending = block_on(identity::list_members(&w.deps(), &arjun_actor, aurelia))
        .unwrap()
        .pending_invitations;
    assert_eq!(pending.len(), 1);
    // Another brand's admin cannot cancel it.
    assert_eq!(
        block_on(identity::cancel_invitation(
            &w.deps(),
            &nina_actor,
            aurelia,
            pending[0].id
        ))
        .unwrap_err(),
        Error::NotFound
    );
    block_on(identity::cancel_invitation(
        &w.deps(),
        &arjun_actor,
        aurelia,
        pending[0].id,
    ))
    .unwrap();
    assert_eq!(
        accept(
            &w,
            &Actor::Anonymous,
            &two,
            new_account("Two", "a long enough password")
        )
        .unwrap_err(),
        Error::NotFound
    );

    // A removed member's access ends at their next request.
    let alice_again = w.login("alice@aurelia.test", PW).unwrap().session_token;
    block_on(identity::remove_member(
        &w.deps(),
        &arjun_actor,
        aurelia,
        alice,
    ))
    .unwrap();
    assert_eq!(
        block_on(identity::list_members(
            &w.deps(),
            &w.actor(&alice_again),
            aurelia
        ))
        .unwrap_err(),
        Error::NotFound
    );
}

#[test]
fn operators_set_up_brands_users_and_managers() {
    let w = World::new();
    let ops = operator(&w);
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

    let am = create_user(&w, &ops, "am2@marketplace.test", Some("account_manager"));
    let carl = create_user(&w, &ops, "carl@cobalt.test", None);
    // A brand member cannot be made account manager.
    let not_am = block_on(identity::admin_assign_manager(
        &w.deps(),
        &ops,
        brand.id,
        AssignManagerRequest {
            manager_id: carl.user.id.to_string(),
        },
    ));
    assert_eq!(
        not_am.unwrap_err(),
        Error::unprocessable(Reason::NotAccountManager)
    );
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
    // Carl sets his password from his own email, and is no operator.
    let secret = w.mail.secret("carl@cobalt.test", "set-password");
    let carl_session = set_password(&w, &secret, "carl's own password").unwrap();
    let carl_actor = w.actor(&carl_session.session_token);
    assert_eq!(
        block_on(identity::admin_list_users(&w.deps(), &carl_actor)).unwrap_err(),
        Error::NotFound
    );
    assert_eq!(carl_session.me.memberships[0].brand_name, "Cobalt");
    // His session says where Cobalt stands, so the app offers no filing to a brand not enrolled.
    assert_eq!(
        carl_session.me.memberships[0].programme_status,
        ProgrammeStatus::Applied
    );
    // What its onboarding checklist reads: rights usable, and rights waiting for verification.
    let rights_of = || {
        let stats = block_on(cases::brand_stats(&w.deps(), &carl_actor, brand.id)).unwrap();
        (stats.usable_rights, stats.pending_rights)
    };
    assert_eq!(rights_of(), (0, 0));

    // Onboarding Cobalt: each unmet condition of enrolment is refused with its reason.
    let programme = |status: &str, reason: Option<&str>, agreement: Option<bool>| {
        block_on(identity::admin_set_programme(
            &w.deps(),
            &ops,
            brand.id,
            ProgrammeRequest {
                status: status.into(),
                reason: reason.map(str::to_owned),
                cooperation_agreement: agreement,
            },
        ))
    };
    assert_eq!(
        programme("enrolled", None, None).unwrap_err(),
        Error::unprocessable(Reason::EnrolNeedsRight)
    );
    let right = block_on(cases::create_ip_right(
        &w.deps(),
        &carl_actor,
        brand.id,
        CreateIpRightRequest {
            kind: "trademark".into(),
            registration_number: "UK-TM-3456789".into(),
            jurisdiction: "GB".into(),
            classes: None,
            owner: "Cobalt Audio Ltd".into(),
            expires_at: None,
        },
    ))
    .unwrap();
    assert_eq!(rights_of(), (0, 1));
    block_on(cases::review_ip_right(
        &w.deps(),
        &ops,
        brand.id,
        right.id,
        ReviewIpRightRequest {
            decision: "verify".into(),
            note: None,
        },
    ))
    .unwrap();
    assert_eq!(rights_of(), (1, 0));
    assert_eq!(
        programme("enrolled", None, None).unwrap_err(),
        Error::unprocessable(Reason::EnrolNeedsShopOrAgreement)
    );
    // The agreement is recorded on its own (the brand stays applied), then the brand enrols.
    let recorded = programme("applied", None, Some(true)).unwrap();
    assert_eq!(
        (recorded.programme_status, recorded.cooperation_agreement),
        (ProgrammeStatus::Applied, true)
    );
    let enrolled = programme("enrolled", None, None).unwrap();
    assert_eq!(
        (enrolled.programme_status, enrolled.cooperation_agreement),
        (ProgrammeStatus::Enrolled, true)
    );
    // A suspension says why (the brand sees it); reinstating checks the conditions again and
    // clears the reason.
    assert_eq!(
        programme("suspended", Some("  "), None).unwrap_err(),
        Error::invalid("reason", Reason::SayWhySuspended)
    );
    let suspended = programme("suspended", Some("Documents expired."), None).unwrap();
    assert_eq!(
        suspended.suspension_reason.as_deref(),
        Some("Documents expired.")
    );
    let carl_me = block_on(identity::me(&w.deps(), &carl_actor)).unwrap();
    assert_eq!(
        carl_me.memberships[0].programme_status,
        ProgrammeStatus::Suspended
    );
    let reinstated = programme("enrolled", None, None).unwrap();
    assert_eq!(
        (reinstated.programme_status, reinstated.suspension_reason),
        (ProgrammeStatus::Enrolled, None)
    );
}

#[test]
fn the_first_operator_gets_a_link_that_sets_their_password() {
    let w = World::new();
    let email = Email::parse("first@marketplace.test").unwrap();
    let name = jf_core::types::DisplayName::parse("First").unwrap();
    let (secret, writes) = identity::first_operator(&w.entropy, T0, &email, &name);
    block_on(jf_core::store::Db::batch(&w.db, writes)).unwrap();
    let signed = set_password(&w, &secret, "the first operator's password").unwrap();
    assert_eq!(signed.me.user.staff_role, Some(StaffRole::Operator));
    // Run again for the same address: a new link, the old one dead, still one account.
    let (again, writes) = identity::first_operator(&w.entropy, T0, &email, &name);
    block_on(jf_core::store::Db::batch(&w.db, writes)).unwrap();
    assert_eq!(w.count("users"), 1);
    assert_eq!(w.count("password_links"), 2);
    assert!(set_password(&w, &again, "another good password").is_ok());
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

/// SQLite where someone else's write lands just before this caller's next batch: the moment
/// between a use case reading a link and writing its use.
struct Interleaved<'a> {
    db: &'a Sqlite,
    meanwhile: std::cell::RefCell<Option<Vec<Stmt>>>,
}

impl jf_core::store::Db for Interleaved<'_> {
    async fn all(&self, stmt: Stmt) -> jf_core::Result<jf_core::store::Rows> {
        self.db.all(stmt).await
    }
    async fn batch(&self, stmts: Vec<Stmt>) -> jf_core::Result<()> {
        let meanwhile = self.meanwhile.borrow_mut().take();
        if let Some(other) = meanwhile {
            self.db.batch(other).await?;
        }
        self.db.batch(stmts).await
    }
    async fn execute(&self, stmt: Stmt) -> jf_core::Result<u64> {
        self.db.execute(stmt).await
    }
}

impl World {
    fn racing(&self, meanwhile: Vec<Stmt>) -> Interleaved<'_> {
        Interleaved {
            db: &self.db,
            meanwhile: std::cell::RefCell::new(Some(meanwhile)),
        }
    }
}

#[test]
fn a_link_that_stops_working_while_it_is_used_does_nothing() {
    let w = World::new();
    let (aurelia, _, admin) = w.aurelia_with_admin();
    let sent = invite(&w, &admin, aurelia, "racer@aurelia.test", "brand_agent").unwrap();
    let secret = w.mail.secret("racer@aurelia.test", "invite");
    let users_before = w.count("users");
    // The admin cancels between the invitee's page reading the link and its acceptance writing.
    let db = w.racing(vec![sql::cancel_invitation(
        aurelia,
        sent.invitation_id,
        T0,
    )]);
    let deps = w.deps_on(&db);
    let accepted = block_on(identity::accept_invitation(
        &deps,
        &Actor::Anonymous,
        &from(HOME),
        &secret,
        new_account("Racer", "a long enough password"),
    ));
    assert_eq!(accepted.unwrap_err(), Error::NotFound);
    assert_eq!(w.count("users"), users_before, "no account was made");
    assert_eq!(w.count("memberships"), 1, "nobody joined");

    // A set-password link replaced by a newer one while it is being used: the password stays.
    let ops = operator(&w);
    let created = create_user(&w, &ops, "carl@cobalt.test", None);
    let first = w.mail.secret("carl@cobalt.test", "set-password");
    let db = w.racing(vec![sql::end_password_links(created.user.id, T0)]);
    let deps = w.deps_on(&db);
    let set = block_on(identity::set_password_with_link(
        &deps,
        &from(HOME),
        &first,
        SetPasswordRequest {
            password: "carl's own password".into(),
        },
    ));
    assert_eq!(set.unwrap_err(), Error::NotFound);
    assert!(w.login("carl@cobalt.test", "carl's own password").is_err());
    // Nor does one whose account is disabled meanwhile.
    block_on(identity::admin_send_password_link(
        &w.deps(),
        &w.mail,
        &ops,
        created.user.id,
    ))
    .unwrap();
    let second = w.mail.secret("carl@cobalt.test", "set-password");
    let db = w.racing(vec![sql::set_disabled(created.user.id, Some(T0))]);
    let deps = w.deps_on(&db);
    let set = block_on(identity::set_password_with_link(
        &deps,
        &from(HOME),
        &second,
        SetPasswordRequest {
            password: "carl's own password".into(),
        },
    ));
    assert_eq!(set.unwrap_err(), Error::NotFound);
    block_on(jf_core::store::Db::batch(
        &w.db,
        vec![sql::set_disabled(created.user.id, None)],
    ))
    .unwrap();
    // Unraced, the same link works, and the check leaves nothing behind.
    assert!(set_password(&w, &second, "carl's own password").is_ok());
    #[derive(serde::Deserialize)]
    struct N {
        n: i64,
    }
    let left = block_on(query::<N>(
        &w.db,
        Stmt::new("SELECT count(*) AS n FROM link_checks", vec![]),
    ))
    .unwrap();
    assert_eq!(left[0].n, 0);
}
