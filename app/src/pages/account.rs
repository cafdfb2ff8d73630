//! `/account`: who one is, where one works, and changing one's password.

use crate::components::{
    error_text, key_error, role_badge, role_key, staff_key, success_text, Act, PageHeader, Request,
};
use crate::dom::reactive::*;
use crate::dom::{h, hc, ht, H};
use crate::i18n::{tr, Key};
use crate::json;
use crate::pages::brand::slot;
use crate::state;
use jf_core::types::NewPassword;

pub fn page() -> H {
    h("div")
        .child(PageHeader::new(tr(Key::AccountTitle)).build())
        .child(
            hc("div", "grid grid-2")
                .child(profile())
                .child(change_password()),
        )
}

/// `<div class="fact"><dt>…</dt><dd>…</dd></div>`.
fn fact(term: Key, value: H) -> H {
    hc("div", "fact").child(ht("dt", tr(term))).child(value)
}

fn profile() -> H {
    let section = hc("section", "card")
        .attr("aria-labelledby", "profile-heading")
        .child(ht("h2", tr(Key::YourDetails)).id("profile-heading"));
    let Some(me) = state::me() else {
        return section;
    };
    let facts = hc("dl", "facts")
        .child(fact(
            Key::DisplayName,
            ht("dd", &me.display_name).id("my-name").data(),
        ))
        .child(fact(Key::Email, ht("dd", &me.email).id("my-email").data()))
        .child_opt(me.staff_role.map(|role| {
            fact(
                Key::StaffRoleLabel,
                h("dd").child(role_badge(staff_key(role))),
            )
        }));
    let section = section.child(facts);
    if me.memberships.is_empty() {
        return section;
    }
    let ul = hc("ul", "rows rows-compact");
    for m in &me.memberships {
        ul.add(
            &hc("li", "row")
                .child(
                    hc("a", "row-link")
                        .attr("href", &format!("/brands/{}", m.brand_id))
                        .data()
                        .text(&m.brand_name),
                )
                .child_opt(m.role.map(|r| role_badge(role_key(r)))),
        );
    }
    section.child(ht("h3", tr(Key::YourBrands))).child(ul)
}

fn change_password() -> H {
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Key>);
    let changed = RwSignal::new(false);
    let change = Act::new();
    let submit = move || {
        if change.pending.get_untracked() {
            return;
        }
        let new_password = new.get_untracked();
        let found = if new_password.chars().count() < NewPassword::MIN_CHARS {
            Some(Key::PasswordTooShort)
        } else if new_password != confirm.get_untracked() {
            Some(Key::PasswordMismatch)
        } else {
            None
        };
        problem.set(found);
        if found.is_some() {
            return;
        }
        let body = json::obj()
            .str("current_password", &current.get_untracked())
            .str("new_password", &new_password)
            .build();
        change.send(Request::post("/api/v1/me/password", body), move |_| {
            for field in [current, new, confirm] {
                field.set(String::new());
            }
            changed.set(true);
        });
    };
    let input = |id: &str, autocomplete: &str| {
        hc("input", "input")
            .id(id)
            .attr("type", "password")
            .attr("autocomplete", autocomplete)
            .flag("required", true)
    };
    let field = |id: &str, label: Key, input: H| {
        hc("div", "field")
            .child(ht("label", tr(label)).attr("for", id))
            .child(input)
    };
    hc("section", "card")
        .attr("aria-labelledby", "password-heading")
        .child(ht("h2", tr(Key::ChangePassword)).id("password-heading"))
        .child(
            hc("form", "form")
                .on_submit(submit)
                .child(field(
                    "current-password",
                    Key::CurrentPassword,
                    input("current-password", "current-password").bind(current),
                ))
                .child(
                    field(
                        "new-password",
                        Key::NewPassword,
                        input("new-password", "new-password")
                            .attr("minlength", "10")
                            .attr("aria-describedby", "new-password-hint")
                            .bind(new),
                    )
                    .child(
                        hc("p", "hint")
                            .id("new-password-hint")
                            .text(tr(Key::PasswordRule)),
                    ),
                )
                .child(field(
                    "confirm-password",
                    Key::ConfirmPassword,
                    input("confirm-password", "new-password").bind(confirm),
                ))
                // A problem found here, else what the last attempt came to.
                .child(
                    slot(Box::new(move || {
                        problem.with(Option::is_some)
                            || change.error.with(Option::is_some)
                            || changed.get()
                    }))
                    .region(move |p| {
                        if let Some(key) = problem.get() {
                            p.add(&key_error(key, &[]));
                        } else if let Some(e) = change.error.get() {
                            p.add(&error_text(&e));
                        } else if changed.get() {
                            p.add(&success_text(Key::PasswordChanged));
                        }
                    }),
                )
                .child(change.submit(
                    "change-password",
                    "btn btn-primary",
                    Key::ChangePasswordButton,
                    Key::Working,
                )),
        )
}
