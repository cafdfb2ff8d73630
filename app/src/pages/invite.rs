//! `/invite/:token`: what a one-time link offers, and accepting it (with one's password, or by
//! choosing a name and a first password).

use crate::components::{error_text, key_error, loading, role_key, tpl, Act, Arg, Request};
use crate::dom::reactive::*;
use crate::dom::{h, hc, ht, spawn, Scope, H};
use crate::http;
use crate::i18n::{dated, tr, Key};
use crate::json::{self, Json};
use crate::pages::login::auth_frame;
use crate::router;
use crate::state;
use jf_core::types::{BrandRole, NewPassword};

pub fn page(token: &str) -> H {
    let card = hc("section", "card auth-card")
        .id("invitation")
        .child(loading());
    let path = format!("/api/v1/invitations/{}", http::segment(token));
    let (shown, token, scope) = (card.clone(), token.to_owned(), Scope::current().downgrade());
    spawn(async move {
        let answer = http::get(&path).await;
        scope.run(|| {
            shown.clear();
            match answer {
                Ok(v) => shown.add(&accept_form(&token, &v)),
                // A used, expired or unknown link.
                Err(e) if e.is_not_found() => {
                    shown.add(&ht("h1", tr(Key::InviteInvalidTitle)));
                    shown.add(
                        &hc("p", "error")
                            .attr("role", "alert")
                            .id("invitation-invalid")
                            .text(tr(Key::InviteInvalid)),
                    );
                    shown.add(
                        &hc("a", "btn btn-secondary")
                            .attr("href", "/login")
                            .text(tr(Key::GoToSignIn)),
                    );
                }
                Err(e) => {
                    shown.add(&ht("h1", tr(Key::SomethingWrong)));
                    shown.add(&error_text(&e));
                }
            }
        });
    });
    auth_frame(card)
}

fn accept_form(token: &str, view: &Json) -> H {
    let exists = json::b(view, "account_exists");
    let brand = json::os(view, "brand_name");
    let role = json::os(view, "role").and_then(|r| BrandRole::parse(&r).ok());
    let display_name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let too_short = RwSignal::new(false);
    let accept = Act::new();
    let url = format!("/api/v1/invitations/{}/accept", http::segment(token));
    let submit = move || {
        let pw = password.get_untracked();
        if !exists && pw.chars().count() < NewPassword::MIN_CHARS {
            too_short.set(true);
            return;
        }
        too_short.set(false);
        let name = display_name.get_untracked().trim().to_owned();
        let body = json::obj()
            .opt("display_name", if exists { "" } else { &name })
            .str("password", &pw)
            .build();
        accept.send(Request::post(url.clone(), body), |me| {
            state::signed_in(&me);
            router::navigate("/");
        });
    };

    let offer = match (&brand, role) {
        (Some(b), Some(r)) => tpl(
            Key::InviteOffer,
            &[Arg::Data(b.clone()), Arg::Text(role_key(r))],
        ),
        (Some(b), None) => tpl(Key::InviteOfferNoRole, &[Arg::Data(b.clone())]),
        _ => ht("span", tr(Key::SetPasswordOffer)),
    };
    let title = if exists {
        Key::InviteTitleExisting
    } else if brand.is_some() {
        Key::InviteTitleNew
    } else {
        Key::SetPasswordTitle
    };
    let field =
        |id: &str, label: Key| hc("div", "field").child(ht("label", tr(label)).attr("for", id));
    let name_field = (!exists).then(|| {
        field("display-name", Key::DisplayName).child(
            hc("input", "input")
                .id("display-name")
                .attr("name", "display_name")
                .attr("autocomplete", "name")
                .attr("maxlength", "100")
                .flag("required", brand.is_some())
                .bind(display_name),
        )
    });
    let password_input = hc("input", "input")
        .id("password")
        .attr("name", "password")
        .attr("type", "password")
        .attr(
            "autocomplete",
            if exists {
                "current-password"
            } else {
                "new-password"
            },
        )
        .attr_opt("minlength", (!exists).then_some("10"))
        .flag("required", true)
        .attr("aria-describedby", "password-hint")
        .bind(password);
    h("div")
        .child(ht("h1", tr(title)))
        .child(hc("p", "lead").id("invitation-offer").child(offer))
        .child(hc("p", "hint").text(&dated(Key::ExpiresOn, json::i(view, "expires_at"), true)))
        .child(
            hc("form", "form")
                .on_submit(submit)
                .child(
                    field("invite-email", Key::Email).child(
                        hc("input", "input")
                            .id("invite-email")
                            .attr("type", "email")
                            .attr("autocomplete", "username")
                            .flag("readonly", true)
                            .attr("value", &json::s(view, "email")),
                    ),
                )
                .child_opt(name_field)
                .child(
                    field(
                        "password",
                        if exists {
                            Key::YourPassword
                        } else {
                            Key::ChoosePassword
                        },
                    )
                    .child(password_input)
                    .child(hc("p", "hint").id("password-hint").text(tr(if exists {
                        Key::EnterPasswordToAccept
                    } else {
                        Key::PasswordRule
                    }))),
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
                    Key::AcceptInvitation,
                    Key::Working,
                )),
        )
}
