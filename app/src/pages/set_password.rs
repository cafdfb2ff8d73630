//! `/set-password/:token`: the emailed link of a new account or a forgotten password. Choosing a
//! password here signs the person in (and out everywhere else).

use crate::components::{error_text, key_error, loading, tpl_into, Act, Arg, Request};
use crate::dom::reactive::*;
use crate::dom::{h, hc, ht, spawn, Scope, H};
use crate::http;
use crate::i18n::{dated, tr, Key};
use crate::json::{self, Json};
use crate::pages::invite::link_gone;
use crate::pages::login::auth_frame;
use crate::router;
use crate::state;
use jf_core::types::NewPassword;

pub fn page(token: &str) -> H {
    let card = hc("section", "card auth-card")
        .id("set-password")
        .child(loading());
    let path = format!("/api/v1/password-links/{}", http::segment(token));
    let (shown, scope) = (card.clone(), Scope::current().downgrade());
    spawn(async move {
        let answer = http::get(&path).await;
        scope.run(|| {
            shown.clear();
            match answer {
                Ok(v) => shown.add(&form(&path, &v)),
                // Used, replaced by a newer link, expired, or never made.
                Err(e) if e.is_not_found() => link_gone(
                    &shown,
                    Key::SetPasswordTitle,
                    "password-link-invalid",
                    Key::PasswordLinkInvalid,
                    true,
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

fn form(path: &str, view: &Json) -> H {
    let password = RwSignal::new(String::new());
    let too_short = RwSignal::new(false);
    let set = Act::new();
    let path = path.to_owned();
    let submit = move || {
        let pw = password.get_untracked();
        if pw.chars().count() < NewPassword::MIN_CHARS {
            too_short.set(true);
            return;
        }
        too_short.set(false);
        let body = json::obj().str("password", &pw).build();
        set.send(Request::post(path.clone(), body), |me| {
            state::signed_in(&me);
            router::navigate("/");
        });
    };
    let field =
        |id: &str, label: Key| hc("div", "field").child(ht("label", tr(label)).attr("for", id));
    h("div")
        .child(ht("h1", tr(Key::SetPasswordTitle)))
        .child(tpl_into(
            hc("p", "lead").id("password-link-for"),
            Key::SetPasswordFor,
            &[Arg::Data(json::s(view, "display_name"))],
            "",
        ))
        .child(hc("p", "hint").text(&dated(Key::ExpiresOn, json::i(view, "expires_at"), true)))
        .child(
            hc("form", "form")
                .on_submit(submit)
                .child(
                    // Read-only, for password managers to save the new password under.
                    field("link-account-email", Key::Email).child(
                        hc("input", "input")
                            .id("link-account-email")
                            .attr("type", "email")
                            .attr("autocomplete", "username")
                            .flag("readonly", true)
                            .attr("value", &json::s(view, "email")),
                    ),
                )
                .child(
                    field("new-password", Key::NewPassword)
                        .child(
                            hc("input", "input")
                                .id("new-password")
                                .attr("name", "password")
                                .attr("type", "password")
                                .attr("autocomplete", "new-password")
                                .attr("minlength", &NewPassword::MIN_CHARS.to_string())
                                .flag("required", true)
                                .attr("aria-describedby", "new-password-hint")
                                .bind(password),
                        )
                        .child(
                            hc("p", "hint")
                                .id("new-password-hint")
                                .text(tr(Key::PasswordRuleSignsOut)),
                        ),
                )
                .child(h("div").region(move |p| {
                    if too_short.get() {
                        p.add(&key_error(Key::PasswordTooShort, &[]));
                    }
                }))
                .child(set.error_view())
                .child(set.submit(
                    "set-password-submit",
                    "btn btn-primary btn-block",
                    Key::SetPasswordButton,
                    Key::Working,
                )),
        )
}
