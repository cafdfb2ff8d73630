//! Any address the app does not know.

use crate::i18n::{tr, Key};
use crate::pages::login::AuthFrame;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <AuthFrame>
            <section class="card auth-card" id="not-found">
                <p class="eyebrow">"404"</p>
                <h1>{move || tr(Key::NotFoundTitle)}</h1>
                <p>{move || tr(Key::NotFoundBody)}</p>
                <a class="btn btn-primary" href="/">{move || tr(Key::BackHome)}</a>
            </section>
        </AuthFrame>
    }
    .into_any()
}
