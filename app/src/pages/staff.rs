//! `/staff`: the marketplace side. Account managers see the brands they look after; operators see
//! every brand, every user, and can create a brand.

use crate::components::{
    staff_key, text, ErrorText, Loading, Outcome, PageHeader, RoleBadge, StatusBadge,
};
use crate::http::{self, ApiError};
use crate::i18n::{use_tr, Key};
use crate::pages::brand::initial;
use crate::state::use_app;
use jf_core::api::{BrandList, BrandSummary, CreateBrandRequest, UserList, UserView};
use jf_core::types::StaffRole;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

#[component]
pub fn StaffPage() -> impl IntoView {
    let app = use_app();
    let tr = use_tr();
    let role = Memo::new(move |_| app.current().and_then(|me| me.user.staff_role));
    move || match role.get() {
        None => view! {
            <PageHeader title=text(tr, Key::StaffTitle) />
            <section class="card empty-state">
                <p>{tr.s(Key::StaffOnly)}</p>
                <a class="btn btn-secondary" href="/">{tr.s(Key::BackHome)}</a>
            </section>
        }
        .into_any(),
        Some(role) => view! { <StaffHome role=role /> }.into_any(),
    }
}

#[component]
fn StaffHome(role: StaffRole) -> impl IntoView {
    let tr = use_tr();
    let operator = role == StaffRole::Operator;
    let brands = http::resource(Signal::derive(|| "/api/v1/manager/brands".to_owned()));
    let lead = if operator {
        Key::StaffLeadOperator
    } else {
        Key::StaffLeadManager
    };
    view! {
        <PageHeader
            title=text(tr, Key::StaffTitle)
            lead=text(tr, lead)
        >
            <RoleBadge key=staff_key(role) />
        </PageHeader>
        <div class="stack">
            <section class="card" aria-labelledby="brands-heading">
                <h2 id="brands-heading">{tr.s(Key::Brands)}</h2>
                <Transition fallback=|| view! { <Loading /> }>
                    {move || {
                        brands
                            .get()
                            .map(|result| match http::decode::<BrandList>(result) {
                                Ok(list) => view! { <BrandRows list=list.brands /> }.into_any(),
                                Err(err) => view! { <ErrorText err=err /> }.into_any(),
                            })
                    }}
                </Transition>
            </section>
            {operator.then(|| view! { <CreateBrand on_created=move || brands.refetch() /> })}
            {operator.then(|| view! { <Users /> })}
        </div>
    }
}

#[component]
fn BrandRows(list: Vec<BrandSummary>) -> impl IntoView {
    let tr = use_tr();
    if list.is_empty() {
        return view! { <p class="muted" id="no-staff-brands">{tr.s(Key::NoStaffBrands)}</p> }
            .into_any();
    }
    view! {
        <ul class="rows" id="staff-brands">
            {list
                .into_iter()
                .map(|b| {
                    let href = format!("/brands/{}", b.id);
                    let manager = b.account_manager_name.clone();
                    let count = b.member_count.to_string();
                    let brand_ref = b.brand_ref.clone();
                    view! {
                        <li class="row staff-brand" data-brand-ref=brand_ref>
                            <div class="row-main">
                                <span class="avatar avatar-brand" aria-hidden="true">{initial(&b.name)}</span>
                                <div class="row-text">
                                    <p class="row-title">
                                        <a class="row-link staff-brand-name" href=href>{b.name}</a>
                                    </p>
                                    <p class="row-sub mono">{b.brand_ref}</p>
                                </div>
                            </div>
                            <div class="row-meta">
                                <StatusBadge status=b.programme_status />
                                <span class="muted small">
                                    {move || match &manager {
                                        Some(name) => tr.f(Key::ManagedBy, &[name]),
                                        None => tr.t(Key::NoAccountManager).to_owned(),
                                    }}
                                </span>
                                <span class="muted small">{tr.fs(Key::MemberCount, vec![count])}</span>
                            </div>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn CreateBrand(on_created: impl Fn() + Copy + 'static) -> impl IntoView {
    let tr = use_tr();
    let name = RwSignal::new(String::new());
    let brand_ref = RwSignal::new(String::new());
    let create = Action::new_local(move |req: &CreateBrandRequest| {
        let req = req.clone();
        async move {
            http::post_unit("/api/v1/admin/brands", Some(&req)).await?;
            name.set(String::new());
            brand_ref.set(String::new());
            on_created();
            Ok::<(), ApiError>(())
        }
    });
    let pending = create.pending();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        create.dispatch(CreateBrandRequest {
            name: name.get_untracked().trim().to_owned(),
            brand_ref: brand_ref.get_untracked().trim().to_uppercase(),
        });
    };
    view! {
        <section class="card" aria-labelledby="create-brand-heading" id="create-brand">
            <h2 id="create-brand-heading">{tr.s(Key::CreateBrand)}</h2>
            <p class="muted">{tr.s(Key::CreateBrandLead)}</p>
            <form class="form form-inline" on:submit=on_submit>
                <div class="field field-grow">
                    <label for="brand-name-input">{tr.s(Key::BrandNameLabel)}</label>
                    <input
                        id="brand-name-input"
                        name="name"
                        class="input"
                        autocomplete="off"
                        required
                        maxlength="100"
                        bind:value=name
                    />
                </div>
                <div class="field field-grow">
                    <label for="brand-ref-input">{tr.s(Key::BrandRefLabel)}</label>
                    <input
                        id="brand-ref-input"
                        name="brand_ref"
                        class="input input-mono"
                        autocomplete="off"
                        autocapitalize="characters"
                        spellcheck="false"
                        required
                        maxlength="40"
                        placeholder=tr.s(Key::BrandRefPlaceholder)
                        aria-describedby="brand-ref-hint"
                        bind:value=brand_ref
                    />
                </div>
                <div class="field field-action">
                    <button id="create-brand-submit" type="submit" class="btn btn-primary" disabled=pending>
                        {tr.pick(move || if pending.get() { Key::Working } else { Key::CreateBrandButton })}
                    </button>
                </div>
            </form>
            <p class="hint" id="brand-ref-hint">{tr.s(Key::BrandRefHint)}</p>
            <Outcome result=create.value() ok=Key::BrandCreated />
        </section>
    }
}

#[component]
fn Users() -> impl IntoView {
    let tr = use_tr();
    let users = http::resource(Signal::derive(|| "/api/v1/admin/users".to_owned()));
    view! {
        <section class="card" aria-labelledby="users-heading" id="users">
            <h2 id="users-heading">{tr.s(Key::Users)}</h2>
            <Transition fallback=|| view! { <Loading /> }>
                {move || {
                    users
                        .get()
                        .map(|result| match http::decode::<UserList>(result) {
                            Ok(list) => view! { <UserRows list=list.users /> }.into_any(),
                            Err(err) => view! { <ErrorText err=err /> }.into_any(),
                        })
                }}
            </Transition>
        </section>
    }
}

#[component]
fn UserRows(list: Vec<UserView>) -> impl IntoView {
    let tr = use_tr();
    view! {
        <ul class="rows" id="user-list">
            {list
                .into_iter()
                .map(|u| {
                    view! {
                        <li class="row user">
                            <div class="row-main">
                                <span class="avatar" aria-hidden="true">{initial(&u.display_name)}</span>
                                <div class="row-text">
                                    <p class="row-title">{u.display_name}</p>
                                    <p class="row-sub">{u.email}</p>
                                </div>
                            </div>
                            <div class="row-meta">
                                {match u.staff_role {
                                    Some(role) => view! { <RoleBadge key=staff_key(role) /> }.into_any(),
                                    None => view! { <span class="muted small">{tr.s(Key::BrandUser)}</span> }.into_any(),
                                }}
                            </div>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
