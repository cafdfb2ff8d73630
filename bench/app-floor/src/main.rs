//! The named packages' own floor: a Leptos 0.8 CSR app with the router, a typed read
//! (`LocalResource` of core's `Me` through gloo-net and serde, in `Transition` and
//! `ErrorBoundary`), a typed write (`Action::new_local` posting core's `LoginRequest`) and the
//! panic hook — every package and pattern the portal uses, and no screen of the portal's.

use jf_core::api::{LoginRequest, Me};
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

/// A failed call, as the portal's one HTTP module gives it to an `ErrorBoundary`.
#[derive(Debug, Clone)]
struct Failed(String);

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Failed {}

async fn me() -> Result<Me, Failed> {
    let answer = gloo_net::http::Request::get("/api/v1/me")
        .send()
        .await
        .map_err(|e| Failed(e.to_string()))?;
    answer.json().await.map_err(|e| Failed(e.to_string()))
}

async fn sign_in(request: LoginRequest) -> Result<Me, Failed> {
    let answer = gloo_net::http::Request::post("/api/v1/auth/login")
        .json(&request)
        .map_err(|e| Failed(e.to_string()))?
        .send()
        .await
        .map_err(|e| Failed(e.to_string()))?;
    answer.json().await.map_err(|e| Failed(e.to_string()))
}

#[component]
fn Home() -> impl IntoView {
    let me = LocalResource::new(me);
    view! {
        <Transition fallback=|| view! { <p>"…"</p> }>
            <ErrorBoundary fallback=|errors| {
                view! { <p>{move || errors.get().into_iter().map(|(_, e)| e.to_string()).collect::<Vec<_>>().join(", ")}</p> }
            }>
                {move || {
                    me.get()
                        .map(|answer| {
                            answer
                                .map(|me| {
                                    view! {
                                        <h1>{me.user.display_name}</h1>
                                        <ul>
                                            {me
                                                .memberships
                                                .into_iter()
                                                .map(|m| view! { <li>{m.brand_name}</li> })
                                                .collect_view()}
                                        </ul>
                                    }
                                })
                        })
                }}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn SignIn() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let send = Action::new_local(|request: &LoginRequest| sign_in(request.clone()));
    view! {
        <form on:submit=move |ev| {
            ev.prevent_default();
            send.dispatch(LoginRequest { email: email.get(), password: password.get() });
        }>
            <input type="email" bind:value=email />
            <input type="password" bind:value=password />
            <button>"Sign in"</button>
        </form>
        <p>{move || send.value().get().map(|r| r.map(|me| me.user.display_name).unwrap_or_else(|e| e.0))}</p>
    }
}

#[component]
fn App() -> impl IntoView {
    view! {
        <Router>
            <nav><A href="/">"Home"</A><A href="/sign-in">"Sign in"</A></nav>
            <main>
                <Routes fallback=|| "Not found.">
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/sign-in") view=SignIn />
                </Routes>
            </main>
        </Router>
    }
}

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
