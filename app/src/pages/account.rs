//! `/account`: who one is, where one works, and changing one's password.

use crate::components::{role_key, staff_key, text, KeyError, Outcome, PageHeader, RoleBadge};
use crate::http::{self, ApiError};
use crate::i18n::{use_tr, Key};
use crate::state::use_app;
use jf_core::api::ChangePasswordRequest;
use jf_core::types::NewPassword;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

#[component]
pub fn AccountPage() -> impl IntoView {
    let tr = use_tr();
    view! {
        <PageHeader title=text(tr, Key::AccountTitle) />
        <div class="grid grid-2">
            <Profile />
            <ChangePassword />
        </div>
    }
}

#[component]
fn Profile() -> impl IntoView {
    let app = use_app();
    let tr = use_tr();
    let me = Memo::new(move |_| app.current());
    view! {
        <section class="card" aria-labelledby="profile-heading">
            <h2 id="profile-heading">{tr.s(Key::YourDetails)}</h2>
            {move || {
                me.get()
                    .map(|me| {
                        let staff = me.user.staff_role;
                        let memberships = me.memberships;
                        view! {
                            <dl class="facts">
                                <div class="fact">
                                    <dt>{tr.s(Key::DisplayName)}</dt>
                                    <dd id="my-name" translate="no">{me.user.display_name}</dd>
                                </div>
                                <div class="fact">
                                    <dt>{tr.s(Key::Email)}</dt>
                                    <dd id="my-email" translate="no">{me.user.email}</dd>
                                </div>
                                {staff
                                    .map(|role| {
                                        view! {
                                            <div class="fact">
                                                <dt>{tr.s(Key::StaffRoleLabel)}</dt>
                                                <dd>
                                                    <RoleBadge key=staff_key(role) />
                                                </dd>
                                            </div>
                                        }
                                    })}
                            </dl>
                            {(!memberships.is_empty())
                                .then(|| {
                                    view! {
                                        <h3>{tr.s(Key::YourBrands)}</h3>
                                        <ul class="rows rows-compact">
                                            {memberships
                                                .into_iter()
                                                .map(|m| {
                                                    let href = format!("/brands/{}", m.brand_id);
                                                    view! {
                                                        <li class="row">
                                                            <a class="row-link" href=href translate="no">{m.brand_name}</a>
                                                            <RoleBadge key=role_key(m.role) />
                                                        </li>
                                                    }
                                                })
                                                .collect_view()}
                                        </ul>
                                    }
                                })}
                        }
                    })
            }}
        </section>
    }
}

#[component]
fn ChangePassword() -> impl IntoView {
    let tr = use_tr();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Key>);
    let change = Action::new_local(move |req: &ChangePasswordRequest| {
        let req = req.clone();
        async move {
            http::post_unit("/api/v1/me/password", Some(&req)).await?;
            current.set(String::new());
            new.set(String::new());
            confirm.set(String::new());
            Ok::<(), ApiError>(())
        }
    });
    let pending = change.pending();
    let on_submit = move |ev: SubmitEvent| {
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
        if found.is_none() {
            change.dispatch(ChangePasswordRequest {
                current_password: current.get_untracked(),
                new_password,
            });
        }
    };
    view! {
        <section class="card" aria-labelledby="password-heading">
            <h2 id="password-heading">{tr.s(Key::ChangePassword)}</h2>
            <form class="form" on:submit=on_submit>
                <div class="field">
                    <label for="current-password">{tr.s(Key::CurrentPassword)}</label>
                    <input
                        id="current-password"
                        type="password"
                        class="input"
                        autocomplete="current-password"
                        required
                        bind:value=current
                    />
                </div>
                <div class="field">
                    <label for="new-password">{tr.s(Key::NewPassword)}</label>
                    <input
                        id="new-password"
                        type="password"
                        class="input"
                        autocomplete="new-password"
                        minlength="10"
                        required
                        aria-describedby="new-password-hint"
                        bind:value=new
                    />
                    <p class="hint" id="new-password-hint">{tr.s(Key::PasswordRule)}</p>
                </div>
                <div class="field">
                    <label for="confirm-password">{tr.s(Key::ConfirmPassword)}</label>
                    <input
                        id="confirm-password"
                        type="password"
                        class="input"
                        autocomplete="new-password"
                        required
                        bind:value=confirm
                    />
                </div>
                <KeyError key=problem />
                <Outcome
                    result=Signal::derive(move || if problem.get().is_some() { None } else { change.value().get() })
                    ok=Key::PasswordChanged
                />
                <button id="change-password" type="submit" class="btn btn-primary" disabled=pending>
                    {tr.pick(move || if pending.get() { Key::Working } else { Key::ChangePasswordButton })}
                </button>
            </form>
        </section>
    }
}
