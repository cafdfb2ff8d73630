//! `/login`: sign in with email and password.

use crate::components::{form_field, lang_switch, Act, Request};
use crate::dom::reactive::*;
use crate::dom::{hc, ht, H};
use crate::i18n::{tr, Key};
use crate::json;
use crate::router;
use crate::state;

/// The frame of the pages a visitor sees signed out: product name, language switch, one card.
pub fn auth_frame(card: H) -> H {
    hc("div", "auth-page")
        .child(
            hc("header", "auth-top")
                .child(
                    hc("a", "logo")
                        .attr("href", "/")
                        .child(hc("span", "logo-mark").attr("aria-hidden", "true"))
                        .text(tr(Key::ProductName)),
                )
                .child(lang_switch()),
        )
        .child(hc("main", "auth-main").child(card))
        .child(hc("footer", "auth-foot").child(ht("p", tr(Key::Tagline))))
}

pub fn page() -> H {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let login = Act::new();
    let submit = move || {
        let body = json::obj()
            .str("email", email.get_untracked().trim())
            .str("password", &password.get_untracked())
            .build();
        login.send(Request::post("/api/v1/auth/login", body), |me| {
            state::signed_in(&me);
            router::navigate("/");
        });
    };
    let field = |id: &str, label: Key, input: H| form_field("field", id, label, input);
    auth_frame(
        hc("section", "card auth-card")
            .child(ht("h1", tr(Key::SignInTitle)))
            .child(hc("p", "lead").text(tr(Key::SignInLead)))
            .child(
                hc("form", "form")
                    .on_submit(submit)
                    .child(field(
                        "email",
                        Key::Email,
                        hc("input", "input")
                            .id("email")
                            .attr("name", "email")
                            .attr("type", "email")
                            .attr("autocomplete", "username")
                            .attr("inputmode", "email")
                            .flag("required", true)
                            .bind(email),
                    ))
                    .child(field(
                        "password",
                        Key::Password,
                        hc("input", "input")
                            .id("password")
                            .attr("name", "password")
                            .attr("type", "password")
                            .attr("autocomplete", "current-password")
                            .flag("required", true)
                            .bind(password),
                    ))
                    .child(login.error_view())
                    .child(login.submit(
                        "sign-in",
                        "btn btn-primary btn-block",
                        Key::SignIn,
                        Key::SigningIn,
                    )),
            )
            .child(hc("p", "hint").text(tr(Key::SignInHelp))),
    )
}
