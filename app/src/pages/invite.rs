//! `/invite/:token`: what an invitation offers, and accepting it. A new address makes its account
//! here (a name and a first password); an address that has an account accepts signed in as that
//! account, with one click: this page never asks for or sets an existing account's password.

use crate::app;
use crate::components::{
    error_text, key_error, loading, role_key, tpl, tpl_into, Act, Arg, Request,
};
use crate::dom::reactive::*;
use crate::dom::{h, hc, ht, spawn, Scope, H};
use crate::http;
use crate::i18n::{dated, tr, Key};
use crate::json::{self, Json};
use crate::pages::login::{auth_frame, forgot_link};
use crate::router;
use crate::state::{self, Session};
use jf_core::types::{BrandRole, NewPassword};

pub fn page(token: &str) -> H {
    let card = hc("section", "card auth-card")
        .id("invitation")
        .child(loading());
    let path = format!("/api/v1/invitations/{}", http::segment(token));
    let (shown, token, scope) = (card.clone(), token.to_owned(), Scope::current().downgrade());
    spawn(async move {
        let answer = http::get(&path).await;
        // Who is signed in matters only when the invited address has an account that is not the
        // one signed in here (`session.js` has usually asked already).
        let other = match &answer {
            Ok(v) if json::b(v, "account_exists") && !json::b(v, "signed_in_as_invitee") => {
                match app::session_now().await {
                    Ok(Session::SignedIn(me)) => Some(me.email),
                    _ => None,
                }
            }
            _ => None,
        };
        scope.run(|| {
            shown.clear();
            match answer {
                Ok(v) => shown.add(&offer(&token, &v, other)),
                Err(e) if e.is_not_found() => link_gone(
                    &shown,
                    Key::InviteInvalidTitle,
                    "invitation-invalid",
                    Key::InviteInvalid,
                    false,
                ),
                // Clicked again after accepting it.
                Err(e) if e.status == 409 => link_gone(
                    &shown,
                    Key::InviteInvalidTitle,
                    "invitation-accepted",
                    Key::InviteAccepted,
                    false,
                ),
                Err(e) => {
                    shown.add(&ht("h1", tr(Key::SomethingWrong)));
                    shown.add(&error_text(&e));
                }
            }
        });
    });
    auth_frame(card)
}

/// What a one-time link that no longer works (used, cancelled, expired or never made) shows:
/// the reason in `#id`, and the way on — signing in, or asking for a new set-password link.
pub fn link_gone(card: &H, title: Key, id: &str, why: Key, offer_new_link: bool) {
    card.add(&ht("h1", tr(title)));
    card.add(&hc("p", "error").attr("role", "alert").id(id).text(tr(why)));
    card.add(
        &hc("div", "stack")
            .child_opt(offer_new_link.then(forgot_link))
            .child(
                hc("a", "btn btn-secondary btn-block")
                    .attr("href", "/login")
                    .text(tr(Key::GoToSignIn)),
            ),
    );
}

/// The invitation and how to accept it; `other` is the email of another account signed in here.
fn offer(token: &str, view: &Json, other: Option<String>) -> H {
    let email = json::s(view, "email");
    let brand = json::s(view, "brand_name");
    let role = BrandRole::parse(&json::s(view, "role")).unwrap_or(BrandRole::BrandViewer);
    let exists = json::b(view, "account_exists");
    let accept_path = format!("/api/v1/invitations/{}/accept", http::segment(token));
    let how = if !exists {
        new_account(accept_path, &email, &brand)
    } else if json::b(view, "signed_in_as_invitee") {
        accept_signed_in(accept_path, &brand)
    } else {
        let other = RwSignal::new(other);
        let token = token.to_owned();
        h("div").region(move |p| match other.get() {
            Some(me) => p.add(&signed_in_as_other(&email, &me, other)),
            None => p.add(&sign_in_to_accept(&token, &email)),
        })
    };
    h("div")
        .child(ht(
            "h1",
            tr(if exists {
                Key::InviteTitleExisting
            } else {
                Key::InviteTitleNew
            }),
        ))
        .child(hc("p", "lead").id("invitation-offer").child(tpl(
            Key::InviteOffer,
            &[Arg::Data(brand), Arg::Text(role_key(role))],
        )))
        .child(hc("p", "hint").text(&dated(Key::ExpiresOn, json::i(view, "expires_at"), true)))
        .child(how)
}

/// Records who is signed in now (the `Me` accepting answers) and opens the brand just joined.
fn go_to_brand(me: &Json, brand_name: &str) {
    let before: Vec<String> = state::me()
        .map(|m| m.memberships.into_iter().map(|m| m.brand_id).collect())
        .unwrap_or_default();
    state::signed_in(me);
    let memberships = state::me().map(|m| m.memberships).unwrap_or_default();
    // The membership that is new and has the brand's name; brand names are not unique, so
    // a new one comes first.
    let joined = memberships
        .iter()
        .filter(|m| !before.contains(&m.brand_id))
        .chain(memberships.iter())
        .find(|m| m.brand_name == brand_name);
    router::navigate(&joined.map_or_else(|| "/".to_owned(), |m| format!("/brands/{}", m.brand_id)));
}

/// The invited address has no account: a name and a first password make it, and sign it in.
fn new_account(accept_path: String, email: &str, brand: &str) -> H {
    let display_name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let too_short = RwSignal::new(false);
    let accept = Act::new();
    let brand = brand.to_owned();
    let submit = move || {
        let pw = password.get_untracked();
        if pw.chars().count() < NewPassword::MIN_CHARS {
            too_short.set(true);
            return;
        }
        too_short.set(false);
        let body = json::obj()
            .str("display_name", display_name.get_untracked().trim())
            .str("password", &pw)
            .build();
        let brand = brand.clone();
        accept.send(Request::post(accept_path.clone(), body), move |me| {
            go_to_brand(&me, &brand)
        });
    };
    let field =
        |id: &str, label: Key| hc("div", "field").child(ht("label", tr(label)).attr("for", id));
    hc("form", "form")
        .on_submit(submit)
        .child(
            field("invite-email", Key::Email).child(
                hc("input", "input")
                    .id("invite-email")
                    .attr("type", "email")
                    .attr("autocomplete", "username")
                    .flag("readonly", true)
                    .attr("value", email),
            ),
        )
        .child(
            field("display-name", Key::DisplayName).child(
                hc("input", "input")
                    .id("display-name")
                    .attr("name", "display_name")
                    .attr("autocomplete", "name")
                    .attr("maxlength", "100")
                    .flag("required", true)
                    .bind(display_name),
            ),
        )
        .child(
            field("password", Key::ChoosePassword)
                .child(
                    hc("input", "input")
                        .id("password")
                        .attr("name", "password")
                        .attr("type", "password")
                        .attr("autocomplete", "new-password")
                        .attr("minlength", &NewPassword::MIN_CHARS.to_string())
                        .flag("required", true)
                        .attr("aria-describedby", "password-hint")
                        .bind(password),
                )
                .child(
                    hc("p", "hint")
                        .id("password-hint")
                        .text(tr(Key::PasswordRule)),
                ),
        )
        .child(h("div").region(move |p| {
            if too_short.get() {
                p.add(&key_error(Key::PasswordTooShort, &[]));
            }
        }))
        .child(accept.error_view())
        .child(accept.submit(
            "accept",
            "btn btn-primary btn-block",
            Key::CreateAccountAndJoin,
            Key::Working,
        ))
}

/// The invited account is the one signed in: accepting is one click.
fn accept_signed_in(accept_path: String, brand: &str) -> H {
    let accept = Act::new();
    let brand = brand.to_owned();
    hc("form", "form")
        .on_submit(move || {
            let brand = brand.clone();
            accept.send(
                Request::post(accept_path.clone(), "{}".to_owned()),
                move |me| go_to_brand(&me, &brand),
            );
        })
        .child(accept.error_view())
        .child(accept.submit(
            "accept",
            "btn btn-primary btn-block",
            Key::AcceptInvitation,
            Key::Working,
        ))
}

/// The invited address has an account and nobody is signed in: sign in as it, then come back
/// here (`?next=`) to accept.
fn sign_in_to_accept(token: &str, email: &str) -> H {
    let back = format!("/invite/{}", http::segment(token));
    let href = format!("/login?next={}", http::segment(&back));
    h("div")
        .class("stack")
        .child(tpl_into(
            h("p").id("invitation-sign-in"),
            Key::InviteHasAccount,
            &[Arg::Data(email.to_owned())],
            "",
        ))
        // The address is said just above: the button stays one short line on a phone.
        .child(
            hc("a", "btn btn-primary btn-block")
                .id("sign-in-to-accept")
                .attr("href", &href)
                .text(tr(Key::SignInToAccept)),
        )
        .child(hc("p", "hint").text(tr(Key::NoPasswordYet)))
        .child(forgot_link())
}

/// Another account is signed in here: say so, and offer to sign it out.
fn signed_in_as_other(email: &str, me: &str, other: RwSignal<Option<String>>) -> H {
    let sign_out = Act::new();
    let pending = sign_out.pending;
    h("div")
        .class("stack")
        .child(tpl_into(
            hc("p", "notice notice-warn")
                .id("invitation-other-account")
                .attr("role", "status"),
            Key::InviteOtherAccount,
            &[Arg::Data(me.to_owned()), Arg::Data(email.to_owned())],
            "",
        ))
        .child(sign_out.error_view())
        .child(
            hc("button", "btn btn-primary btn-block")
                .attr("type", "button")
                .id("sign-out-to-accept")
                .dyn_flag("disabled", move || pending.get())
                .text(tr(Key::SignOut))
                .on_click(move || {
                    sign_out.send(
                        Request::Post("/api/v1/auth/logout".into(), None),
                        move |_| {
                            state::set_session(Session::SignedOut);
                            other.set(None);
                        },
                    )
                }),
        )
}
