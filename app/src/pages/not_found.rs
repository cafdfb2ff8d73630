//! Any address the app does not know.

use crate::i18n::{use_tr, Key};
use crate::pages::login::AuthFrame;
use leptos::prelude::*;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let tr = use_tr();
    view! {
        <AuthFrame>
            <section class="card auth-card" id="not-found">
                <p class="eyebrow">"404"</p>
                <h1>{tr.s(Key::NotFoundTitle)}</h1>
                <p>{tr.s(Key::NotFoundBody)}</p>
                <a class="btn btn-primary" href="/">{tr.s(Key::BackHome)}</a>
            </section>
        </AuthFrame>
    }
}
