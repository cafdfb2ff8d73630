//! `/login`: sign in with email and password, then go on to the page that sent the person here
//! (`?next=/invite/…`) or home.

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
    // Only a path of this site: a link elsewhere must not send people off after signing in.
    let next = router::query("next")
        .and_then(|n| router::same_site_path(&n).map(str::to_owned))
        .unwrap_or_else(|| "/".to_owned());
    let submit = move || {
        let body = json::obj()
            .str("email", email.get_untracked().trim())
            .str("password", &password.get_untracked())
            .build();
        let next = next.clone();
        login.send(Request::post("/api/v1/auth/login", body), move |me| {
            state::signed_in(&me);
            router::navigate(&next);
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
                    ))
                    .child(forgot_link()),
            )
            .child(hc("p", "hint").text(tr(Key::SignInHelp))),
    )
}

/// "Forgot your password?" (`#forgot-password`): a whole-width quiet button, easy to tap.
pub fn forgot_link() -> H {
    hc("a", "btn btn-ghost btn-block")
        .id("forgot-password")
        .attr("href", "/forgot-password")
        .text(tr(Key::ForgotPassword))
}
