//! `/forgot-password`: asks for a set-password link by email. The answer never says whether the
//! address has an account, so neither does the page.

use crate::components::{form_field, tpl_into, Act, Arg, Request};
use crate::dom::reactive::*;
use crate::dom::{h, hc, ht, H};
use crate::i18n::{tr, Key};
use crate::json;
use crate::pages::login::auth_frame;

pub fn page() -> H {
    let email = RwSignal::new(String::new());
    // The address the last request went to.
    let sent_to = RwSignal::new(None::<String>);
    let ask = Act::new();
    let submit = move || {
        let address = email.get_untracked().trim().to_owned();
        let body = json::obj().str("email", &address).build();
        sent_to.set(None);
        ask.send(
            Request::post("/api/v1/auth/password-link", body),
            move |_| sent_to.set(Some(address)),
        );
    };
    auth_frame(
        hc("section", "card auth-card")
            .id("forgot")
            .child(ht("h1", tr(Key::ForgotTitle)))
            .child(hc("p", "lead").text(tr(Key::ForgotLead)))
            .child(
                hc("form", "form")
                    .on_submit(submit)
                    .child(form_field(
                        "field",
                        "forgot-email",
                        Key::Email,
                        hc("input", "input")
                            .id("forgot-email")
                            .attr("name", "email")
                            .attr("type", "email")
                            .attr("autocomplete", "username")
                            .attr("inputmode", "email")
                            .flag("required", true)
                            .bind(email),
                    ))
                    .child(ask.error_view())
                    .child(h("div").region(move |p| {
                        if let Some(address) = sent_to.get() {
                            p.add(&tpl_into(
                                hc("p", "success").id("forgot-sent").attr("role", "status"),
                                Key::ForgotSent,
                                &[Arg::Data(address)],
                                "",
                            ));
                        }
                    }))
                    .child(ask.submit(
                        "forgot-submit",
                        "btn btn-primary btn-block",
                        Key::SendLink,
                        Key::Working,
                    )),
            )
            .child(
                hc("p", "hint").child(
                    hc("a", "btn btn-ghost btn-block")
                        .id("back-to-sign-in")
                        .attr("href", "/login")
                        .text(tr(Key::BackToSignIn)),
                ),
            ),
    )
}
