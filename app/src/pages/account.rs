//! `/account`: one's details and brands, changing one's password, one's open sessions and recent sign-ins.

use crate::components::{
    error_of, role_key, staff_key, tpl_into, Arg, ErrorSlot, ErrorText, KeyError, Loading,
    PageHeader, RoleBadge, Submit, SuccessText,
};
use crate::http::{self, ApiError};
use crate::i18n::{dated, tr, Key};
use crate::pages::audit::Log;
use crate::state;
use jf_core::api::{
    ChangePasswordRequest, Me, NotificationSetting, NotificationSettings, OwnSession,
    OwnSessionList,
};
use jf_core::notifications::Notice;
use jf_core::routes::RouteId;
use jf_core::types::NewPassword;
use leptos::prelude::*;

/// Who one is, where one works, changing one's password, and the sessions one has open (to end
/// those one does not recognise).
#[component]
pub fn Account() -> impl IntoView {
    view! {
        <div>
            <PageHeader title=move || tr(Key::AccountTitle)/>
            <div class="grid grid-2">
                <Profile/>
                <ChangePassword/>
            </div>
            <EmailChoices/>
            <Sessions/>
            <RecentSignIns/>
        </div>
    }
    .into_any()
}

/// `<div class="fact"><dt>…</dt><dd>…</dd></div>`.
#[component]
fn Fact(term: Key, children: Children) -> impl IntoView {
    view! {
        <div class="fact">
            <dt>{move || tr(term)}</dt>
            {children()}
        </div>
    }
}

#[component]
fn Profile() -> impl IntoView {
    let me = state::me();
    view! {
        <section class="card" aria-labelledby="profile-heading">
            <h2 id="profile-heading">{move || tr(Key::YourDetails)}</h2>
            {me.map(|me| view! { <ProfileFacts me/> })}
        </section>
    }
}

/// The person's name, email and staff role, then the brands they belong to.
#[component]
fn ProfileFacts(me: Me) -> impl IntoView {
    let Me { user, memberships } = me;
    let staff = user.staff_role.map(|role| {
        view! {
            <Fact term=Key::StaffRoleLabel>
                <dd>
                    <RoleBadge key=staff_key(role)/>
                </dd>
            </Fact>
        }
    });
    let brands = (!memberships.is_empty()).then(|| {
        let rows = memberships
            .into_iter()
            .map(|m| {
                view! {
                    <li class="row">
                        <a class="row-link" href=format!("/brands/{}", m.brand_id) translate="no">
                            {m.brand_name}
                        </a>
                        <RoleBadge key=role_key(m.role)/>
                    </li>
                }
            })
            .collect_view();
        view! {
            <h3>{move || tr(Key::YourBrands)}</h3>
            <ul class="rows rows-compact">{rows}</ul>
        }
    });
    view! {
        <dl class="facts">
            <Fact term=Key::DisplayName>
                <dd id="my-name" translate="no">{user.display_name}</dd>
            </Fact>
            <Fact term=Key::Email>
                <dd id="my-email" translate="no">{user.email}</dd>
            </Fact>
            {staff}
        </dl>
        {brands}
    }
}

/// A field of the change-password form.
#[component]
fn PasswordField(
    id: &'static str,
    label: Key,
    autocomplete: &'static str,
    value: RwSignal<String>,
    /// The new password's rule, below it.
    #[prop(optional)]
    hint: Option<Key>,
) -> impl IntoView {
    let minlength = hint.map(|_| NewPassword::MIN_CHARS.to_string());
    let described = hint.map(|_| format!("{id}-hint"));
    view! {
        <div class="field">
            <label for=id>{move || tr(label)}</label>
            <input
                class="input"
                id=id
                type="password"
                autocomplete=autocomplete
                required
                minlength=minlength
                aria-describedby=described
                bind:value=value
            />
            {hint.map(|key| {
                view! { <p class="hint" id=format!("{id}-hint")>{move || tr(key)}</p> }
            })}
        </div>
    }
}

#[component]
fn ChangePassword() -> impl IntoView {
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Key>);
    let changed = RwSignal::new(false);
    let change = Action::new_local(move |body: &ChangePasswordRequest| {
        let body = body.clone();
        async move {
            let path = http::api(RouteId::ChangePassword, &[]);
            http::post::<_, http::Ignored>(&path, &body).await?;
            for field in [current, new, confirm] {
                field.try_set(String::new());
            }
            changed.try_set(true);
            Ok::<_, ApiError>(())
        }
    });
    let pending = change.pending();
    let error = error_of(change);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
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
        change.dispatch_local(ChangePasswordRequest {
            current_password: current.get_untracked(),
            new_password,
        });
    };
    // A problem found here, else what the last attempt came to; the slot is hidden while empty
    // (an empty item would still take a gap in the grid).
    let outcome = move || {
        if let Some(key) = problem.get() {
            Some(view! { <KeyError key/> }.into_any())
        } else if let Some(err) = error.get() {
            Some(view! { <ErrorText err/> }.into_any())
        } else if changed.get() {
            Some(view! { <SuccessText key=Key::PasswordChanged/> }.into_any())
        } else {
            None
        }
    };
    let empty =
        move || problem.with(Option::is_none) && error.with(Option::is_none) && !changed.get();
    view! {
        <section class="card" aria-labelledby="password-heading">
            <h2 id="password-heading">{move || tr(Key::ChangePassword)}</h2>
            <form class="form" on:submit=submit>
                <PasswordField
                    id="current-password"
                    label=Key::CurrentPassword
                    autocomplete="current-password"
                    value=current
                />
                <PasswordField
                    id="new-password"
                    label=Key::NewPassword
                    autocomplete="new-password"
                    value=new
                    hint=Key::PasswordRule
                />
                <PasswordField
                    id="confirm-password"
                    label=Key::ConfirmPassword
                    autocomplete="new-password"
                    value=confirm
                />
                <div class="error-slot" hidden=empty>{outcome}</div>
                <Submit
                    pending
                    id="change-password"
                    class="btn btn-primary"
                    idle=Key::ChangePasswordButton
                    busy=Key::Working
                />
            </form>
        </section>
    }
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
#[component]
fn Device(user_agent: String, id: String) -> impl IntoView {
    let id = format!("device-{id}");
    match device(&user_agent) {
        (Some(browser), Some(system)) => {
            let args = vec![Arg::Data(browser.into()), Arg::Data(system.into())];
            view! { <span class="session-device" id=id>{tpl_into(Key::DeviceOn, args, "")}</span> }
                .into_any()
        }
        (Some(one), None) | (None, Some(one)) => {
            view! { <span class="session-device" id=id translate="no">{one}</span> }.into_any()
        }
        (None, None) if user_agent.trim().is_empty() => view! {
            <span class="session-device" id=id>{move || tr(Key::UnknownDevice)}</span>
        }
        .into_any(),
        (None, None) => view! {
            <span class="session-device" id=id translate="no">
                {shortened(user_agent.trim(), 40)}
            </span>
        }
        .into_any(),
    }
}

/// "Your sessions" (`#sessions`): where one is signed in, this device first; each other one can
/// be ended (`.end-session`), or all of them at once (`#end-other-sessions`).
#[component]
fn Sessions() -> impl IntoView {
    let list = LocalResource::new(|| async {
        http::get::<OwnSessionList>(&http::api(RouteId::MySessions, &[])).await
    });
    let end = Action::new_local(move |id: &String| {
        let path = http::api(RouteId::EndMySession, &[id]);
        async move {
            http::delete::<http::Ignored>(&path).await?;
            list.refetch();
            Ok::<_, ApiError>(())
        }
    });
    let ended_others = RwSignal::new(false);
    let end_others = Action::new_local(move |_: &()| async move {
        http::post_empty::<http::Ignored>(&http::api(RouteId::EndOtherSessions, &[])).await?;
        ended_others.try_set(true);
        list.refetch();
        Ok::<_, ApiError>(())
    });
    let busy = Signal::derive(move || end.pending().get() || end_others.pending().get());
    let end_error = error_of(end);
    let end_others_error = error_of(end_others);
    // The shown list stays up while it is fetched again; an error is a line, the rest of the
    // page stays.
    let shown = move || match list.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(err)) => view! { <ErrorText err/> }.into_any(),
        Some(Ok(OwnSessionList { mut sessions })) => {
            sessions.sort_by_key(|s| (!s.current, -s.last_seen_at));
            let others = sessions.iter().any(|s| !s.current);
            let rows = sessions
                .into_iter()
                .map(|s| view! { <SessionRow s end/> })
                .collect_view();
            let end_all = others.then(|| {
                view! {
                    <button
                        type="button"
                        class="btn btn-secondary"
                        id="end-other-sessions"
                        disabled=move || busy.get()
                        on:click=move |_| {
                            if !end_others.pending().get_untracked() {
                                ended_others.set(false);
                                end_others.dispatch_local(());
                            }
                        }
                    >
                        {move || tr(Key::EndOtherSessions)}
                    </button>
                }
            });
            view! {
                <ul class="rows" id="session-list">{rows}</ul>
                {end_all}
            }
            .into_any()
        }
    };
    let ended = move || {
        ended_others
            .get()
            .then(|| view! { <SuccessText key=Key::OtherSessionsEnded/> })
    };
    view! {
        <section class="card" aria-labelledby="sessions-heading" id="sessions">
            <h2 id="sessions-heading">{move || tr(Key::YourSessions)}</h2>
            <p class="muted">{move || tr(Key::YourSessionsLead)}</p>
            <ErrorSlot err=end_error/>
            <ErrorSlot err=end_others_error/>
            <div>{ended}</div>
            <div>{shown}</div>
        </section>
    }
}

fn notice_key(kind: Notice) -> Key {
    match kind {
        Notice::ReportDecided => Key::NkReportDecided,
        Notice::AppealFiled => Key::NkAppealFiled,
        Notice::ArbitrationDecided => Key::NkArbitrationDecided,
        Notice::RightReviewed => Key::NkRightReviewed,
        Notice::ProgrammeChanged => Key::NkProgrammeChanged,
    }
}

/// "Email notifications" (`#email-notifications`): one switch per kind (`#email-{kind}`), saved
/// as it is changed. Staff without brands receive none, so see none.
#[component]
fn EmailChoices() -> impl IntoView {
    let has_brands = state::me().is_some_and(|me| !me.memberships.is_empty());
    let settings = LocalResource::new(|| async {
        http::get::<NotificationSettings>(&http::api(RouteId::MyNotificationSettings, &[])).await
    });
    let save = Action::new_local(move |s: &NotificationSetting| {
        let body = NotificationSettings {
            settings: vec![s.clone()],
        };
        async move {
            http::put::<_, NotificationSettings>(
                &http::api(RouteId::SetNotificationSettings, &[]),
                &body,
            )
            .await?;
            settings.refetch();
            Ok::<_, ApiError>(())
        }
    });
    let save_error = error_of(save);
    let saved = move || {
        matches!(save.value().get(), Some(Ok(())))
            .then(|| view! { <SuccessText key=Key::EmailSaved/> })
    };
    let shown = move || match settings.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(err)) => view! { <ErrorText err/> }.into_any(),
        Some(Ok(NotificationSettings { settings })) => {
            let rows = settings
                .into_iter()
                .map(|s| {
                    let kind = s.kind;
                    let id = format!("email-{}", kind.as_str());
                    let label_for = id.clone();
                    view! {
                        <li class="row">
                            <label class="check" for=label_for>
                                <input
                                    type="checkbox"
                                    id=id
                                    checked=s.email
                                    disabled=move || save.pending().get()
                                    on:change=move |ev| {
                                        let email = event_target_checked(&ev);
                                        save.dispatch_local(NotificationSetting { kind, email });
                                    }
                                />
                                <span>{move || tr(notice_key(kind))}</span>
                            </label>
                        </li>
                    }
                })
                .collect_view();
            view! { <ul class="rows" id="email-choices">{rows}</ul> }.into_any()
        }
    };
    has_brands.then(|| {
        view! {
            <section class="card" aria-labelledby="email-notifications-heading" id="email-notifications">
                <h2 id="email-notifications-heading">{move || tr(Key::EmailNotifications)}</h2>
                <p class="muted">{move || tr(Key::EmailNotificationsLead)}</p>
                <ErrorSlot err=save_error/>
                <div>{saved}</div>
                <div>{shown}</div>
            </section>
        }
    })
}

/// Sign-ins shown at first, and per "Load more".
const SIGN_INS: u32 = 5;

/// "Recent sign-ins" (`#recent-sign-ins`): one's sign-ins and failed attempts, with when and
/// from where, so a stranger's attempt can be noticed (`#sign-in-list`, `#more-sign-ins`).
#[component]
fn RecentSignIns() -> impl IntoView {
    let path = format!("{}?limit={SIGN_INS}", http::api(RouteId::MyAudit, &[]));
    view! {
        <section class="card" aria-labelledby="sign-ins-heading" id="recent-sign-ins">
            <h2 id="sign-ins-heading">{move || tr(Key::RecentSignIns)}</h2>
            <p class="muted">{move || tr(Key::RecentSignInsLead)}</p>
            <Log
                path=Signal::derive(move || path.clone())
                brands=Signal::derive(Vec::new)
                mine=true
                list_id="sign-in-list"
                more_id="more-sign-ins"
                empty=Key::NoSignIns
            />
        </section>
    }
}

#[component]
fn SessionRow(s: OwnSession, end: Action<String, Result<(), ApiError>>) -> impl IntoView {
    let OwnSession {
        id,
        last_seen_at,
        user_agent,
        address,
        current,
        ..
    } = s;
    let button_id = format!("end-session-{id}");
    // Named "End" and the device ("End Chrome on Android"), the device's names staying data.
    let end_button = (!current).then(|| {
        let labelled_by = format!("{button_id} device-{id}");
        let id = id.clone();
        view! {
            <div class="row-actions">
                <button
                    type="button"
                    class="btn btn-secondary end-session"
                    id=button_id
                    aria-labelledby=labelled_by
                    disabled=move || end.pending().get()
                    on:click=move |_| {
                        if !end.pending().get_untracked() {
                            end.dispatch_local(id.clone());
                        }
                    }
                >
                    {move || tr(Key::EndSession)}
                </button>
            </div>
        }
    });
    let this_device = current.then(|| {
        view! { <span class="tag this-device">{move || tr(Key::ThisDevice)}</span> }
    });
    let address = (!address.is_empty()).then(|| {
        view! { <p class="row-sub mono session-address" translate="no">{address}</p> }
    });
    let device = view! { <Device user_agent id=id.clone()/> };
    view! {
        <li class="row session" data-session-id=id data-current=current.then_some("true")>
            <div class="row-text">
                <p class="row-title">
                    {device}
                    {this_device}
                </p>
                {address}
                <p class="row-sub small">{move || dated(Key::LastActive, last_seen_at, true)}</p>
            </div>
            {end_button}
        </li>
    }
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
