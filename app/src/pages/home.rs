//! `/`: sends each person where they work, or says that no brand is shared with them yet.

use crate::components::PageHeader;
use crate::i18n::{tr, Key};
use crate::state;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::NavigateOptions;

/// Staff go to the staff home, brand members to their first brand; others read that no brand
/// has been shared with them yet.
#[component]
pub fn Home() -> impl IntoView {
    let target = state::me().and_then(|me| {
        if state::is_staff(&me) {
            Some("/staff".to_owned())
        } else {
            me.memberships
                .first()
                .map(|m| format!("/brands/{}", m.brand_id))
        }
    });
    if let Some(path) = target {
        // In place of this step: Back must not land here and be sent on again.
        let options = NavigateOptions {
            replace: true,
            ..Default::default()
        };
        return view! {
            <div>
                <Redirect path options/>
            </div>
        }
        .into_any();
    }
    view! {
        <div>
            <PageHeader title=move || tr(Key::NoBrandsTitle)/>
            <section class="card empty-state" id="no-brands">
                <p>{move || tr(Key::NoBrandsBody)}</p>
                <p class="muted">{move || tr(Key::NoBrandsHint)}</p>
                <a class="btn btn-secondary" href="/account">{move || tr(Key::NavAccount)}</a>
            </section>
        </div>
    }
    .into_any()
}
