//! `/login`: sign in with email and password.

use crate::components::{ErrorText, LangSwitch};
use crate::http::{self, ApiError};
use crate::i18n::{use_tr, Key};
use crate::state::use_app;
use jf_core::api::{LoginRequest, Me};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

/// The frame of the pages a visitor sees signed out: product name, language switch, one card.
#[component]
pub fn AuthFrame(children: Children) -> impl IntoView {
    let tr = use_tr();
    view! {
        <div class="auth-page">
            <header class="auth-top">
                <a class="logo" href="/">
                    <span class="logo-mark" aria-hidden="true"></span>
                    {move || tr.t(Key::ProductName)}
                </a>
                <LangSwitch />
            </header>
            <main class="auth-main">{children()}</main>
            <footer class="auth-foot">
                <p>{move || tr.t(Key::Tagline)}</p>
            </footer>
        </div>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let app = use_app();
    let tr = use_tr();
    let navigate = use_navigate();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());

    let login = Action::new_local(move |req: &LoginRequest| {
        let req = req.clone();
        let navigate = navigate.clone();
        async move {
            let me: Me = http::post("/api/v1/auth/login", &req).await?;
            app.signed_in(me);
            navigate("/", NavigateOptions::default());
            Ok::<(), ApiError>(())
        }
    });
    let pending = login.pending();

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        login.dispatch(LoginRequest { email: email.get_untracked().trim().to_owned(), password: password.get_untracked() });
    };

    view! {
        <AuthFrame>
            <section class="card auth-card">
                <h1>{move || tr.t(Key::SignInTitle)}</h1>
                <p class="lead">{move || tr.t(Key::SignInLead)}</p>
                <form class="form" on:submit=on_submit>
                    <div class="field">
                        <label for="email">{move || tr.t(Key::Email)}</label>
                        <input
                            id="email"
                            name="email"
                            type="email"
                            class="input"
                            autocomplete="username"
                            inputmode="email"
                            required
                            bind:value=email
                        />
                    </div>
                    <div class="field">
                        <label for="password">{move || tr.t(Key::Password)}</label>
                        <input
                            id="password"
                            name="password"
                            type="password"
                            class="input"
                            autocomplete="current-password"
                            required
                            bind:value=password
                        />
                    </div>
                    {move || login.value().get().and_then(Result::err).map(|err| view! { <ErrorText err=err /> })}
                    <button id="sign-in" type="submit" class="btn btn-primary btn-block" disabled=move || pending.get()>
                        {move || if pending.get() { tr.t(Key::SigningIn) } else { tr.t(Key::SignIn) }}
                    </button>
                </form>
                <p class="hint">{move || tr.t(Key::SignInHelp)}</p>
            </section>
        </AuthFrame>
    }
}
