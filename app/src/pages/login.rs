//! `/login`: signing in, then on to `?next=` or home; and the frame of every signed-out page.

use crate::components::{error_of, ErrorSlot, FormField, LangSwitch, Submit};
use crate::http::{self, ApiError};
use crate::i18n::{tr, Key};
use crate::state;
use jf_core::api::{LoginRequest, Me};
use jf_core::routes::RouteId;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

/// The frame of the pages a visitor sees signed out: product name, language switch, one card.
#[component]
pub fn AuthFrame(children: Children) -> impl IntoView {
    view! {
        <div class="auth-page">
            <header class="auth-top">
                <a class="logo" href="/">
                    <span class="logo-mark" aria-hidden="true"></span>
                    {move || tr(Key::ProductName)}
                </a>
                <LangSwitch/>
            </header>
            <main class="auth-main">{children()}</main>
            <footer class="auth-foot">
                <p>{move || tr(Key::Tagline)}</p>
            </footer>
        </div>
    }
}

/// `raw` when it is a path of this site (`/invite/…`), for a page to go back to after signing in:
/// one leading `/`, not `//` or `/\` (which browsers read as another site), nothing that is not
/// plain printable text.
pub fn same_site_path(raw: &str) -> Option<&str> {
    let rest = raw.strip_prefix('/')?;
    let ok = !rest.starts_with('/') && raw.chars().all(|c| c.is_ascii_graphic() && c != '\\');
    ok.then_some(raw)
}

/// Signs in with email and password, then goes on to the page that sent the person here
/// (`?next=/invite/…`, a path of this site only) or home.
#[component]
pub fn Login() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let query = use_query_map();
    let navigate = use_navigate();
    let login = Action::new_local(move |body: &LoginRequest| {
        let (body, navigate) = (body.clone(), navigate.clone());
        // Only a path of this site: a link elsewhere must not send people off after signing in.
        let next = query
            .read_untracked()
            .get("next")
            .and_then(|n| same_site_path(&n).map(str::to_owned))
            .unwrap_or_else(|| "/".to_owned());
        async move {
            let me = http::post::<_, Me>(&http::api(RouteId::Login, &[]), &body).await?;
            state::set_me(Some(me));
            navigate(&next, Default::default());
            Ok::<_, ApiError>(())
        }
    });
    let pending = login.pending();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        login.dispatch_local(LoginRequest {
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        });
    };
    view! {
        <AuthFrame>
            <section class="card auth-card">
                <h1>{move || tr(Key::SignInTitle)}</h1>
                <p class="lead">{move || tr(Key::SignInLead)}</p>
                <form class="form" on:submit=submit>
                    <FormField class="field" id="email" label=Key::Email>
                        <input
                            class="input"
                            id="email"
                            name="email"
                            type="email"
                            autocomplete="username"
                            inputmode="email"
                            required
                            bind:value=email
                        />
                    </FormField>
                    <FormField class="field" id="password" label=Key::Password>
                        <input
                            class="input"
                            id="password"
                            name="password"
                            type="password"
                            autocomplete="current-password"
                            required
                            bind:value=password
                        />
                    </FormField>
                    <ErrorSlot err=error_of(login)/>
                    <Submit
                        pending
                        id="sign-in"
                        class="btn btn-primary btn-block"
                        idle=Key::SignIn
                        busy=Key::SigningIn
                    />
                    <ForgotLink/>
                </form>
                <p class="hint">{move || tr(Key::SignInHelp)}</p>
            </section>
        </AuthFrame>
    }
    .into_any()
}

/// "Forgot your password?" (`#forgot-password`): a whole-width quiet button, easy to tap.
#[component]
pub fn ForgotLink() -> impl IntoView {
    view! {
        <a class="btn btn-ghost btn-block" id="forgot-password" href="/forgot-password">
            {move || tr(Key::ForgotPassword)}
        </a>
    }
}

#[cfg(test)]
mod tests {
    use super::same_site_path;

    #[test]
    fn only_paths_of_this_site_are_gone_back_to() {
        for ok in ["/", "/invite/abc-123", "/brands/x/cases?status=appealed"] {
            assert_eq!(same_site_path(ok), Some(ok), "{ok}");
        }
        for bad in [
            "",
            "invite/abc",
            "//evil.example/x",
            "/\\evil.example",
            "/\\/evil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            "/a b",
            "/a\nb",
            "/caf\u{e9}",
        ] {
            assert_eq!(same_site_path(bad), None, "{bad:?}");
        }
    }
}
