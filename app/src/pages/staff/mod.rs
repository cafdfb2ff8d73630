//! `/staff`: the marketplace side. Account managers see their brands side by side first (the
//! portfolio), then the work waiting on the brands they look after — reports under review, IP rights to verify, failed takedowns, expired flags — and the
//! brands; operators see every brand and user, create brands and users (who get a set-password
//! link by email), manage accounts (disable, enable, a new link, staff roles), onboard brands
//! from the portfolio (agreement, enrolment, suspension, account manager), and handle dead
//! letters and dead actions.

pub mod audit;
mod brands;
mod portfolio;
mod queues;
mod users;

use crate::components::{staff_key, PageHeader, RoleBadge};
use crate::i18n::{tr, Key};
use crate::state;
use brands::{CreateBrand, StaffBrands};
use jf_core::routes::RouteId;
use jf_core::types::StaffRole;
use leptos::prelude::*;
use portfolio::{Onboarding, PortfolioCard};
use queues::{CaseQueueCard, DeadActions, DeadLetters, Mode, RightsQueue};
use users::{CreateUser, Users};

#[component]
pub fn Staff() -> impl IntoView {
    // The page is for the role the person had when it opened (no control here changes it).
    let Some(role) = untrack(state::me).and_then(|me| me.user.staff_role) else {
        return view! {
            <div>
                <PageHeader title=move || tr(Key::StaffTitle)/>
                <StaffOnly/>
            </div>
        }
        .into_any();
    };
    let operator = role == StaffRole::Operator;
    let lead = if operator {
        Key::StaffLeadOperator
    } else {
        Key::StaffLeadManager
    };
    // Fetched again once an operator creates a brand, changes an account manager's role, or
    // onboards a brand from the portfolio.
    let brands = brands::fetch();
    // Every user, for operators: the users list, and the account managers the portfolio offers
    // (so a role changed in the list is a choice there at once).
    let users = operator.then(users::fetch);
    let onboarding = users.map(|users| Onboarding { users, brands });
    view! {
        <div>
            <PageHeader
                title=move || tr(Key::StaffTitle)
                lead=move || tr(lead)
                aside=move || view! { <RoleBadge key=staff_key(role)/> }
            />
            <div class="stack">
                <PortfolioCard onboarding/>
                <CaseQueueCard
                    id="review-queue"
                    title=Key::ReviewQueue
                    route=RouteId::ReviewQueue
                    mode=Mode::Review
                />
                <CaseQueueCard
                    id="arbitration-queue"
                    title=Key::ArbitrationQueue
                    route=RouteId::ArbitrationQueue
                    mode=Mode::Arbitration
                    hint=Key::ArbitrationQueueHint
                />
                <RightsQueue/>
                <CaseQueueCard
                    id="failed-takedowns"
                    title=Key::FailedTakedowns
                    route=RouteId::FailedQueue
                    mode=Mode::Failed
                />
                <CaseQueueCard
                    id="expired-flags"
                    title=Key::ExpiredFlags
                    route=RouteId::ExpiredQueue
                    mode=Mode::Expired
                />
                {operator.then(|| view! { <DeadLetters/><DeadActions/> })}
                <StaffBrands brands/>
                {users.map(|users| view! { <AuditCard/><Admin brands users/> })}
            </div>
        </div>
    }
    .into_any()
}

/// The operator's desk below the brands: create a brand, create a user, the users.
#[component]
fn Admin(brands: brands::Brands, users: users::Users) -> impl IntoView {
    view! {
        <CreateBrand brands/>
        <CreateUser users/>
        <Users users brands/>
    }
}

/// The way to the whole audit log (`#link-audit`), for operators.
#[component]
fn AuditCard() -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="audit-heading">
            <h2 id="audit-heading">{move || tr(Key::NavAudit)}</h2>
            <p class="muted">{move || tr(Key::StaffAuditLead)}</p>
            <a class="btn btn-secondary" id="link-audit" href="/staff/audit">
                {move || tr(Key::OpenAuditLog)}
            </a>
        </section>
    }
}

/// What a staff page shows anyone else (`#staff-only`).
#[component]
pub fn StaffOnly() -> impl IntoView {
    view! {
        <section class="card empty-state" id="staff-only">
            <p>{move || tr(Key::StaffOnly)}</p>
            <a class="btn btn-secondary" href="/">
                {move || tr(Key::BackHome)}
            </a>
        </section>
    }
}
