//! `/`: sends each person where they work — staff to the staff home, brand members to their
//! first brand — or explains that no brand has been shared with them yet.

use crate::components::{replace, text, PageHeader};
use crate::i18n::{use_tr, Key};
use crate::state::use_app;
use leptos::prelude::*;
use leptos_router::components::Redirect;

#[component]
pub fn HomePage() -> impl IntoView {
    let app = use_app();
    let tr = use_tr();
    // Only where to go matters here, so re-render only when that changes.
    let target = Memo::new(move |_| {
        app.current().map(|me| {
            if me.user.staff_role.is_some() {
                Some("/staff".to_owned())
            } else {
                me.memberships
                    .first()
                    .map(|m| format!("/brands/{}", m.brand_id))
            }
        })
    });
    move || match target.get() {
        None => None,
        Some(Some(path)) => Some(view! { <Redirect path=path options=replace() /> }.into_any()),
        Some(None) => Some(
            view! {
                <PageHeader title=text(tr, Key::NoBrandsTitle) />
                <section class="card empty-state" id="no-brands">
                    <p>{tr.s(Key::NoBrandsBody)}</p>
                    <p class="muted">{tr.s(Key::NoBrandsHint)}</p>
                    <a class="btn btn-secondary" href="/account">{tr.s(Key::NavAccount)}</a>
                </section>
            }
            .into_any(),
        ),
    }
}
