//! The root: app state in context, and the route table.

use crate::components::Shell;
use crate::pages::{
    account::AccountPage,
    api_keys::ApiKeysPage,
    brand::BrandPage,
    bulk::BulkPage,
    case::CasePage,
    cases::CasesPage,
    confirm::ConfirmPage,
    home::HomePage,
    invite::InvitePage,
    login::LoginPage,
    members::MembersPage,
    not_found::NotFoundPage,
    report::ReportPage,
    rights::RightsPage,
    seller::{BrandSellerPage, StaffSellerPage},
    staff::StaffPage,
    webhooks::WebhooksPage,
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
                    <Route path=path!("/brands/:brand_id/cases") view=CasesPage />
                    <Route path=path!("/brands/:brand_id/cases/:case_id") view=CasePage />
                    <Route path=path!("/brands/:brand_id/report") view=ReportPage />
                    <Route path=path!("/brands/:brand_id/report/bulk") view=BulkPage />
                    <Route path=path!("/brands/:brand_id/rights") view=RightsPage />
                    <Route path=path!("/brands/:brand_id/confirm") view=ConfirmPage />
                    <Route path=path!("/brands/:brand_id/sellers/:seller_id") view=BrandSellerPage />
                    <Route path=path!("/brands/:brand_id/api-keys") view=ApiKeysPage />
                    <Route path=path!("/brands/:brand_id/webhooks") view=WebhooksPage />
                    <Route path=path!("/staff") view=StaffPage />
                    <Route path=path!("/staff/sellers/:seller_id") view=StaffSellerPage />
                    <Route path=path!("/account") view=AccountPage />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
