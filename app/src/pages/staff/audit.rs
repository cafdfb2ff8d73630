//! `/staff/audit`: the whole audit log, for operators: the filters, the entries with their addresses, and the export.

use super::StaffOnly;
use crate::components::PageHeader;
use crate::http::{self, api};
use crate::i18n::{tr, Key};
use crate::pages::audit::{address_filters, export_link, first_page, FilterForm, Log, Names};
use crate::state;
use jf_core::api::{BrandList, UserList};
use jf_core::routes::RouteId;
use jf_core::types::StaffRole;
use leptos::prelude::*;

#[component]
pub fn StaffAudit() -> impl IntoView {
    let title = move || tr(Key::NavAudit);
    // For the role the person had when the page opened (the server decides each answer).
    let operator =
        untrack(state::me).and_then(|me| me.user.staff_role) == Some(StaffRole::Operator);
    if !operator {
        return view! {
            <div>
                <PageHeader title/>
                <StaffOnly/>
            </div>
        }
        .into_any();
    }
    let filters = address_filters();
    let export = api(RouteId::ExportAdminAudit, &[]);
    let path = first_page(api(RouteId::AdminAudit, &[]), filters);
    view! {
        <div>
            <PageHeader
                title
                eyebrow_note=Key::StaffTitle
                lead=move || tr(Key::StaffAuditLead)
                aside=move || export_link(export.clone(), filters)
            />
            <FilterForm base="/staff/audit" filters people=people()/>
            <div class="card">
                <Log path brands=brands()/>
            </div>
        </div>
    }
    .into_any()
}

/// Every user, for the actor filter.
fn people() -> Names {
    let users = LocalResource::new(|| async {
        http::get::<UserList>(&api(RouteId::AdminListUsers, &[])).await
    });
    Signal::derive(move || {
        let users = users.get().and_then(Result::ok).map(|l| l.users);
        let users = users.unwrap_or_default().into_iter();
        users.map(|u| (u.id.to_string(), u.display_name)).collect()
    })
}

/// Every brand's name, for "for <brand>".
fn brands() -> Names {
    let brands = LocalResource::new(|| async {
        http::get::<BrandList>(&api(RouteId::StaffBrands, &[])).await
    });
    Signal::derive(move || {
        let brands = brands.get().and_then(Result::ok).map(|l| l.brands);
        let brands = brands.unwrap_or_default().into_iter();
        brands.map(|b| (b.id.to_string(), b.name)).collect()
    })
}
