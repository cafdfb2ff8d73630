//! `/set-password/:token`: choosing a password from an emailed one-time link.

use crate::components::{error_of, tpl_into, Arg, ErrorSlot, ErrorText, KeyError, Loading, Submit};
use crate::http::{self, ApiError};
use crate::i18n::{dated, tr, Key};
use crate::pages::invite::LinkGone;
use crate::pages::login::AuthFrame;
use crate::state;
use jf_core::api::{Me, PasswordLinkView, SetPasswordRequest};
use jf_core::routes::RouteId;
use jf_core::types::NewPassword;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

/// The emailed link of a new account or a forgotten password. Choosing a password here signs the
/// person in (and out everywhere else).
#[component]
pub fn SetPassword() -> impl IntoView {
    let params = use_params_map();
    let path = move || {
        http::api(
            RouteId::GetPasswordLink,
            &[&params.read().get("token").unwrap_or_default()],
        )
    };
    let link = LocalResource::new(move || {
        let path = path();
        async move { http::get::<PasswordLinkView>(&path).await }
    });
    let shown = move || match link.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Ok(view)) => {
            let token = params.read_untracked().get("token").unwrap_or_default();
            view! { <PasswordForm token view/> }.into_any()
        }
        // Used, replaced by a newer link, expired, or never made.
        Some(Err(e)) if e.is_not_found() => view! {
            <LinkGone
                title=Key::SetPasswordTitle
                id="password-link-invalid"
                why=Key::PasswordLinkInvalid
                offer_new_link=true
            />
        }
        .into_any(),
        Some(Err(err)) => view! {
            <h1>{move || tr(Key::SomethingWrong)}</h1>
            <ErrorText err/>
        }
        .into_any(),
    };
    view! {
        <AuthFrame>
            <section class="card auth-card" id="set-password">{shown}</section>
        </AuthFrame>
    }
    .into_any()
}

/// Whom the link is for, and the new password's form.
#[component]
fn PasswordForm(token: String, view: PasswordLinkView) -> impl IntoView {
    let password = RwSignal::new(String::new());
    let too_short = RwSignal::new(false);
    let navigate = use_navigate();
    let set = Action::new_local(move |body: &SetPasswordRequest| {
        let (body, navigate) = (body.clone(), navigate.clone());
        let path = http::api(RouteId::SetPassword, &[&token]);
        async move {
            let me = http::post::<_, Me>(&path, &body).await?;
            state::set_me(Some(me));
            navigate("/", Default::default());
            Ok::<_, ApiError>(())
        }
    });
    let pending = set.pending();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let password = password.get_untracked();
        if password.chars().count() < NewPassword::MIN_CHARS {
            too_short.set(true);
            return;
        }
        too_short.set(false);
        set.dispatch_local(SetPasswordRequest { password });
    };
    let expires_at = view.expires_at;
    let short = move || {
        too_short
            .get()
            .then(|| view! { <KeyError key=Key::PasswordTooShort/> })
    };
    view! {
        <div>
            <h1>{move || tr(Key::SetPasswordTitle)}</h1>
            <p class="lead" id="password-link-for">
                {tpl_into(Key::SetPasswordFor, vec![Arg::Data(view.display_name)], "")}
            </p>
            <p class="hint">{move || dated(Key::ExpiresOn, expires_at, true)}</p>
            <form class="form" on:submit=submit>
                // Read-only, for password managers to save the new password under.
                <div class="field">
                    <label for="link-account-email">{move || tr(Key::Email)}</label>
                    <input
                        class="input"
                        id="link-account-email"
                        type="email"
                        autocomplete="username"
                        readonly
                        value=view.email
                    />
                </div>
                <div class="field">
                    <label for="new-password">{move || tr(Key::NewPassword)}</label>
                    <input
                        class="input"
                        id="new-password"
                        name="password"
                        type="password"
                        autocomplete="new-password"
                        minlength=NewPassword::MIN_CHARS.to_string()
                        required
                        aria-describedby="new-password-hint"
                        bind:value=password
                    />
                    <p class="hint" id="new-password-hint">
                        {move || tr(Key::PasswordRuleSignsOut)}
                    </p>
                </div>
                <div>{short}</div>
                <ErrorSlot err=error_of(set)/>
                <Submit
                    pending
                    id="set-password-submit"
                    class="btn btn-primary btn-block"
                    idle=Key::SetPasswordButton
                    busy=Key::Working
                />
            </form>
        </div>
    }
}
