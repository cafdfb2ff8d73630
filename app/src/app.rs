//! The app: who is signed in (asked once, before any page), and the page of each address.

use crate::components::{Loading, Shell};
use crate::http;
use crate::pages::*;
use crate::state::{self, Session};
use jf_core::api::SessionView;
use jf_core::routes::RouteId;
use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
    let Session(me) = state::provide_session();
    state::provide_list_memory();
    crate::held::provide_held_decisions();
    // Known at once when `session.js` already has the answer (the page is then built in one go).
    let known = RwSignal::new(false);
    let failed = RwSignal::new(None::<http::ApiError>);
    leptos::task::spawn_local(async move {
        let answer = match http::early_session().await {
            Some(session) => Ok(session),
            None => http::get::<SessionView>(&http::api(RouteId::Session, &[])).await,
        };
        match answer {
            Ok(session) => me.set(session.me),
            Err(err) => failed.set(Some(err)),
        }
        known.set(true);
    });
    view! {
        <Router>
            <OnMove/>
            <Show
                when=move || known.get() && failed.with(Option::is_none)
                fallback=move || {
                    view! {
                        <main class="content" id="main">
                            {move || match failed.get() {
                                Some(err) => {
                                    view! { <crate::components::ErrorPanel err=err/> }.into_any()
                                }
                                None => view! { <Loading/> }.into_any(),
                            }}
                        </main>
                    }
                }
            >
                <Routes fallback=|| view! { <not_found::NotFound/> }>
                    <Route path=path!("/login") view=login::Login/>
                    <Route path=path!("/forgot-password") view=forgot_password::ForgotPassword/>
                    <Route path=path!("/invite/:token") view=invite::Invite/>
                    <Route path=path!("/set-password/:token") view=set_password::SetPassword/>
                    <ParentRoute path=path!("") view=SignedIn>
                        <Route path=path!("/") view=home::Home/>
                        <Route path=path!("/account") view=account::Account/>
                        <Route path=path!("/staff") view=staff::Staff/>
                        <Route path=path!("/staff/audit") view=staff::audit::StaffAudit/>
                        <Route path=path!("/staff/sellers/:seller_id") view=seller::StaffSeller/>
                        <Route path=path!("/brands/:brand_id/cases") view=cases::Cases/>
                        <Route path=path!("/brands/:brand_id/cases/:case_id") view=case::Case/>
                        <ParentRoute path=path!("/brands/:brand_id") view=brand_frame::BrandFrame>
                            <Route path=path!("") view=brand::Brand/>
                            <Route path=path!("/members") view=members::Members/>
                            <Route path=path!("/report") view=report::Report/>
                            <Route path=path!("/report/bulk") view=bulk::Bulk/>
                            <Route path=path!("/find") view=find::Find/>
                            <Route path=path!("/rights") view=rights::Rights/>
                            <Route path=path!("/confirm") view=confirm::Confirm/>
                            <Route path=path!("/sellers/:seller_id") view=seller::BrandSeller/>
                            <Route path=path!("/api-keys") view=api_keys::ApiKeys/>
                            <Route path=path!("/webhooks") view=webhooks::Webhooks/>
                            <Route path=path!("/audit") view=audit::BrandAudit/>
                        </ParentRoute>
                    </ParentRoute>
                </Routes>
            </Show>
        </Router>
    }
}

/// The signed-in pages: the frame with its top bar around the page, or sign-in for a visitor.
#[component]
fn SignedIn() -> impl IntoView {
    view! {
        <Show
            when=move || state::me().is_some()
            fallback=|| view! { <Redirect path="/login"/> }
        >
            <Shell/>
        </Show>
    }
}

/// What moving to another address means beyond the new page: answers `session.js` asked for
/// belong to the first page (a later visit must ask afresh), and the keyboard starts again from
/// the top, as after a page load (the element that had focus may have gone with the old page).
#[component]
fn OnMove() -> impl IntoView {
    let location = use_location();
    Effect::new(move |before: Option<String>| {
        let path = location.pathname.get();
        if before.is_some_and(|before| before != path) {
            http::forget_asked_before_start();
            start_keyboard_at_top();
        }
        path
    });
}

/// Moves focus to the document itself, so that Tab goes to the first link of the new page.
fn start_keyboard_at_top() {
    let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    else {
        return;
    };
    // The body takes focus only while it is focusable; leaving it so would put it in Tab's way.
    let _ = body.set_attribute("tabindex", "-1");
    let _ = body.focus();
    let _ = body.remove_attribute("tabindex");
}
