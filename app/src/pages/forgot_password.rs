//! `/forgot-password`: asking for a set-password link by email.

use crate::components::{error_of, tpl_into, Arg, ErrorSlot, FormField, Submit};
use crate::http::{self, ApiError};
use crate::i18n::{tr, Key};
use crate::pages::login::AuthFrame;
use jf_core::api::PasswordLinkRequest;
use jf_core::routes::RouteId;
use leptos::prelude::*;

/// The answer never says whether the address has an account, so neither does the page.
#[component]
pub fn ForgotPassword() -> impl IntoView {
    let email = RwSignal::new(String::new());
    // The address the last request went to.
    let sent_to = RwSignal::new(None::<String>);
    let ask = Action::new_local(move |body: &PasswordLinkRequest| {
        let body = body.clone();
        async move {
            let path = http::api(RouteId::RequestPasswordLink, &[]);
            http::post::<_, http::Ignored>(&path, &body).await?;
            sent_to.try_set(Some(body.email));
            Ok::<_, ApiError>(())
        }
    });
    let pending = ask.pending();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        sent_to.set(None);
        ask.dispatch_local(PasswordLinkRequest {
            email: email.get_untracked().trim().to_owned(),
        });
    };
    let sent = move || {
        sent_to.get().map(|address| {
            view! {
                <p class="success" id="forgot-sent" role="status">
                    {tpl_into(Key::ForgotSent, vec![Arg::Data(address)], "")}
                </p>
            }
        })
    };
    view! {
        <AuthFrame>
            <section class="card auth-card" id="forgot">
                <h1>{move || tr(Key::ForgotTitle)}</h1>
                <p class="lead">{move || tr(Key::ForgotLead)}</p>
                <form class="form" on:submit=submit>
                    <FormField class="field" id="forgot-email" label=Key::Email>
                        <input
                            class="input"
                            id="forgot-email"
                            name="email"
                            type="email"
                            autocomplete="username"
                            inputmode="email"
                            required
                            bind:value=email
                        />
                    </FormField>
                    <ErrorSlot err=error_of(ask)/>
                    <div>{sent}</div>
                    <Submit
                        pending
                        id="forgot-submit"
                        class="btn btn-primary btn-block"
                        idle=Key::SendLink
                        busy=Key::Working
                    />
                </form>
                <p class="hint">
                    <a class="btn btn-ghost btn-block" id="back-to-sign-in" href="/login">
                        {move || tr(Key::BackToSignIn)}
                    </a>
                </p>
            </section>
        </AuthFrame>
    }
    .into_any()
}
