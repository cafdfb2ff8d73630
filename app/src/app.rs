//! The root: app state in context, and the route table.

use crate::components::Shell;
use crate::pages::{
    account::AccountPage, brand::BrandPage, home::HomePage, invite::InvitePage, login::LoginPage,
    members::MembersPage, not_found::NotFoundPage, staff::StaffPage,
};
use crate::state::AppState;
use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
    provide_context(AppState::new());
    view! {
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/login") view=LoginPage />
                <Route path=path!("/invite/:token") view=InvitePage />
                <ParentRoute path=path!("") view=Shell>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/brands/:brand_id") view=BrandPage />
                    <Route path=path!("/brands/:brand_id/members") view=MembersPage />
                    <Route path=path!("/staff") view=StaffPage />
                    <Route path=path!("/account") view=AccountPage />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
