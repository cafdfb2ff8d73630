//! `/account`: who one is, where one works, changing one's password, and the sessions one has
//! open (to end those one does not recognise).

use crate::components::{
    error_text, key_error, role_badge, role_key, staff_key, success_text, tpl_into, Act, Arg,
    PageHeader, Request,
};
use crate::dom::reactive::*;
use crate::dom::{h, hc, ht, H};
use crate::http;
use crate::i18n::{dated, tr, Key};
use crate::json::{self, Json};
use crate::pages::brand::{error_view, part, slot};
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
        .child(sessions())
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

/// The browser and the system a user agent names, as people call them ("Chrome", "Android"),
/// when it names known ones. Order matters: Edge and Opera also say "Chrome", Chrome also says
/// "Safari", an iPhone also says "Mac OS X" and Android also says "Linux".
fn device(user_agent: &str) -> (Option<&'static str>, Option<&'static str>) {
    let has = |s: &str| user_agent.contains(s);
    let browser = if has("Edg/") || has("EdgA/") || has("EdgiOS/") {
        Some("Edge")
    } else if has("OPR/") || has("Opera") {
        Some("Opera")
    } else if has("SamsungBrowser/") {
        Some("Samsung Internet")
    } else if has("Firefox/") || has("FxiOS/") {
        Some("Firefox")
    } else if has("Chrome/") || has("CriOS/") || has("Chromium/") {
        Some("Chrome")
    } else if has("Safari/") {
        Some("Safari")
    } else {
        None
    };
    let system = if has("iPhone") {
        Some("iPhone")
    } else if has("iPad") {
        Some("iPad")
    } else if has("Android") {
        Some("Android")
    } else if has("Windows") {
        Some("Windows")
    } else if has("CrOS") {
        Some("ChromeOS")
    } else if has("Macintosh") || has("Mac OS X") {
        Some("macOS")
    } else if has("Linux") {
        Some("Linux")
    } else {
        None
    };
    (browser, system)
}

/// At most `max` characters of `text`, "…" marking a cut.
fn shortened(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// The device of a session (`#device-{id}`), its names kept as data: "Chrome on Android", else
/// what the browser said of itself (shortened), else "Unknown device".
fn device_view(user_agent: &str, id: &str) -> H {
    let el = hc("span", "session-device").id(&format!("device-{id}"));
    match device(user_agent) {
        (Some(browser), Some(system)) => tpl_into(
            el,
            Key::DeviceOn,
            &[Arg::Data(browser.into()), Arg::Data(system.into())],
            "",
        ),
        (Some(one), None) | (None, Some(one)) => el.data().text(one),
        (None, None) if user_agent.trim().is_empty() => el.text(tr(Key::UnknownDevice)),
        (None, None) => el.data().text(&shortened(user_agent.trim(), 40)),
    }
}

/// "Your sessions" (`#sessions`): where one is signed in, this device first; each other one can
/// be ended (`.end-session`), or all of them at once (`#end-other-sessions`).
fn sessions() -> H {
    let again = RwSignal::new(0u32);
    let end = Act::new();
    let end_others = Act::new();
    let ended_others = RwSignal::new(false);
    let list = part(
        h("div"),
        "/api/v1/me/sessions".to_owned(),
        again,
        Box::new(move |p, v| {
            let mut all = json::list(v, "sessions");
            all.sort_by_key(|s| (!json::b(s, "current"), -json::i(s, "last_seen_at")));
            let ul = hc("ul", "rows").id("session-list");
            for s in &all {
                ul.add(&session_row(s, end, again));
            }
            p.add(&ul);
            if all.iter().any(|s| !json::b(s, "current")) {
                let busy = move || end.pending.get() || end_others.pending.get();
                p.add(
                    &hc("button", "btn btn-secondary")
                        .attr("type", "button")
                        .id("end-other-sessions")
                        .dyn_flag("disabled", busy)
                        .text(tr(Key::EndOtherSessions))
                        .on_click(move || {
                            ended_others.set(false);
                            end_others.send(
                                Request::Post("/api/v1/me/sessions/end-others".into(), None),
                                move |_| {
                                    ended_others.set(true);
                                    again.update(|n| *n += 1);
                                },
                            )
                        }),
                );
            }
        }),
    );
    hc("section", "card")
        .attr("aria-labelledby", "sessions-heading")
        .id("sessions")
        .child(ht("h2", tr(Key::YourSessions)).id("sessions-heading"))
        .child(hc("p", "muted").text(tr(Key::YourSessionsLead)))
        .child(error_view(end))
        .child(error_view(end_others))
        .child(h("div").region(move |p| {
            if ended_others.get() {
                p.add(&success_text(Key::OtherSessionsEnded));
            }
        }))
        .child(list)
}

fn session_row(s: &Json, end: Act, again: RwSignal<u32>) -> H {
    let id = json::s(s, "id");
    let current = json::b(s, "current");
    let address = json::s(s, "address");
    let button_id = format!("end-session-{id}");
    let url = format!("/api/v1/me/sessions/{}", http::segment(&id));
    let pending = end.pending;
    // Named "End" and the device ("End Chrome on Android"), the device's names staying data.
    let end_button = (!current).then(|| {
        hc("div", "row-actions").child(
            hc("button", "btn btn-secondary end-session")
                .attr("type", "button")
                .id(&button_id)
                .attr("aria-labelledby", &format!("{button_id} device-{id}"))
                .dyn_flag("disabled", move || pending.get())
                .text(tr(Key::EndSession))
                .on_click(move || {
                    end.send(Request::Delete(url.clone()), move |_| {
                        again.update(|n| *n += 1)
                    })
                }),
        )
    });
    hc("li", "row session")
        .attr("data-session-id", &id)
        .attr_opt("data-current", current.then_some("true"))
        .child(
            hc("div", "row-text")
                .child(
                    hc("p", "row-title")
                        .child(device_view(&json::s(s, "user_agent"), &id))
                        .child_opt(
                            current
                                .then(|| hc("span", "tag this-device").text(tr(Key::ThisDevice))),
                        ),
                )
                .child_opt((!address.is_empty()).then(|| {
                    hc("p", "row-sub mono session-address")
                        .data()
                        .text(&address)
                }))
                .child(hc("p", "row-sub small").text(&dated(
                    Key::LastActive,
                    json::i(s, "last_seen_at"),
                    true,
                ))),
        )
        .child_opt(end_button)
}

#[cfg(test)]
mod tests {
    use super::{device, shortened};

    #[test]
    fn names_the_browser_and_the_system() {
        let cases = [
            ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36", (Some("Chrome"), Some("Android"))),
            ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", (Some("Safari"), Some("iPhone"))),
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0", (Some("Edge"), Some("Windows"))),
            ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:127.0) Gecko/20100101 Firefox/127.0", (Some("Firefox"), Some("macOS"))),
            ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36", (Some("Chrome"), Some("Linux"))),
            ("curl/8.5.0", (None, None)),
            ("", (None, None)),
        ];
        for (ua, expected) in cases {
            assert_eq!(device(ua), expected, "{ua}");
        }
    }

    #[test]
    fn shortens_by_characters() {
        assert_eq!(shortened("curl/8.5.0", 40), "curl/8.5.0");
        assert_eq!(shortened("abcdef", 3), "abc…");
        assert_eq!(shortened("设备名称很长", 2), "设备…");
    }
}
