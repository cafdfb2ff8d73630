//! `/login`: sign in with email and password.

use crate::components::{ErrorSlot, LangSwitch};
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
                    {tr.s(Key::ProductName)}
                </a>
                <LangSwitch />
            </header>
            <main class="auth-main">{children()}</main>
            <footer class="auth-foot">
                <p>{tr.s(Key::Tagline)}</p>
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
            let me = http::post("/api/v1/auth/login", &req).await?;
            http::decode::<Me>(Ok(me.clone()))?;
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
        login.dispatch(LoginRequest {
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        });
    };

    view! {
        <AuthFrame>
            <section class="card auth-card">
                <h1>{tr.s(Key::SignInTitle)}</h1>
                <p class="lead">{tr.s(Key::SignInLead)}</p>
                <form class="form" on:submit=on_submit>
                    <div class="field">
                        <label for="email">{tr.s(Key::Email)}</label>
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
                        <label for="password">{tr.s(Key::Password)}</label>
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
                    <ErrorSlot err=Signal::derive(move || login.value().get().and_then(Result::err)) />
                    <button id="sign-in" type="submit" class="btn btn-primary btn-block" disabled=pending>
                        {tr.pick(move || if pending.get() { Key::SigningIn } else { Key::SignIn })}
                    </button>
                </form>
                <p class="hint">{tr.s(Key::SignInHelp)}</p>
            </section>
        </AuthFrame>
    }
}
