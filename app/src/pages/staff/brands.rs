//! The brands on the staff desk (an account manager's own, every brand for operators) and the
//! operator's form to create one.

use crate::components::{
    error_of, part, tpl_into, Arg, ErrorSlot, FormField, StatusBadge, Submit, SuccessText,
};
use crate::http::{self, ApiError, Ignored};
use crate::i18n::{tr, trf, Key};
use crate::pages::brand::initial;
use jf_core::api::{BrandList, BrandSummary, CreateBrandRequest};
use jf_core::routes::RouteId;
use leptos::prelude::*;

/// The staff member's brands, fetched again after a change that shows in them.
pub(super) type Brands = LocalResource<Result<BrandList, ApiError>>;

pub(super) fn fetch() -> Brands {
    LocalResource::new(|| async {
        http::get::<BrandList>(&http::api(RouteId::StaffBrands, &[])).await
    })
}

#[component]
pub(super) fn StaffBrands(brands: Brands) -> impl IntoView {
    let rows = |list: BrandList| {
        if list.brands.is_empty() {
            return view! {
                <p class="muted" id="no-staff-brands">{move || tr(Key::NoStaffBrands)}</p>
            }
            .into_any();
        }
        let rows = list
            .brands
            .into_iter()
            .map(|brand| view! { <BrandRow brand/> })
            .collect_view();
        view! { <ul class="rows" id="staff-brands">{rows}</ul> }.into_any()
    };
    view! {
        <section class="card" aria-labelledby="brands-heading">
            <h2 id="brands-heading">{move || tr(Key::Brands)}</h2>
            {part(brands, rows)}
        </section>
    }
}

#[component]
fn BrandRow(brand: BrandSummary) -> impl IntoView {
    let BrandSummary {
        id,
        name,
        brand_ref,
        programme_status,
        account_manager_name,
        member_count,
    } = brand;
    let manager = match account_manager_name {
        Some(m) => view! {
            <span class="muted small">{tpl_into(Key::ManagedBy, vec![Arg::Data(m)], "")}</span>
        }
        .into_any(),
        None => view! { <span class="muted small">{move || tr(Key::NoAccountManager)}</span> }
            .into_any(),
    };
    let count = member_count.to_string();
    view! {
        <li class="row staff-brand" data-brand-ref=brand_ref>
            <div class="row-main">
                <span class="avatar avatar-brand" aria-hidden="true">{initial(&name)}</span>
                <div class="row-text">
                    <p class="row-title">
                        <a class="row-link staff-brand-name" href=format!("/brands/{id}") translate="no">
                            {name}
                        </a>
                    </p>
                    <p class="row-sub mono" translate="no">{brand_ref.clone()}</p>
                </div>
            </div>
            <div class="row-meta">
                <StatusBadge status=programme_status/>
                {manager}
                <span class="muted small">{move || trf(Key::MemberCount, &[&count])}</span>
            </div>
        </li>
    }
}

/// The operator's form to create a brand (`#brand-name-input`, `#brand-ref-input`); the brand
/// list is fetched again after.
#[component]
pub(super) fn CreateBrand(brands: Brands) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let brand_ref = RwSignal::new(String::new());
    let created = RwSignal::new(false);
    let create = Action::new_local(move |body: &CreateBrandRequest| {
        let body = body.clone();
        async move {
            let path = http::api(RouteId::AdminCreateBrand, &[]);
            let done = http::post::<_, Ignored>(&path, &body).await.map(|_| ());
            if done.is_ok() {
                name.set(String::new());
                brand_ref.set(String::new());
                created.set(true);
                brands.refetch();
            }
            done
        }
    });
    let pending = create.pending();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        created.set(false);
        if pending.get_untracked() {
            return;
        }
        create.dispatch(CreateBrandRequest {
            name: name.get_untracked().trim().to_owned(),
            brand_ref: brand_ref.get_untracked().trim().to_ascii_uppercase(),
        });
    };
    view! {
        <section class="card" aria-labelledby="create-brand-heading" id="create-brand">
            <h2 id="create-brand-heading">{move || tr(Key::CreateBrand)}</h2>
            <p class="muted">{move || tr(Key::CreateBrandLead)}</p>
            <form class="form form-inline" on:submit=submit>
                <FormField class="field field-grow" id="brand-name-input" label=Key::BrandNameLabel>
                    <input
                        class="input"
                        id="brand-name-input"
                        name="name"
                        autocomplete="off"
                        required
                        maxlength="100"
                        bind:value=name
                    />
                </FormField>
                <FormField class="field field-grow" id="brand-ref-input" label=Key::BrandRefLabel>
                    <input
                        class="input input-mono"
                        id="brand-ref-input"
                        name="brand_ref"
                        autocomplete="off"
                        autocapitalize="characters"
                        spellcheck="false"
                        required
                        maxlength="40"
                        placeholder=move || tr(Key::BrandRefPlaceholder)
                        aria-describedby="brand-ref-hint"
                        bind:value=brand_ref
                    />
                </FormField>
                <div class="field field-action">
                    <Submit
                        id="create-brand-submit"
                        class="btn btn-primary"
                        idle=Key::CreateBrandButton
                        busy=Key::Working
                        pending
                    />
                </div>
            </form>
            <p class="hint" id="brand-ref-hint">{move || tr(Key::BrandRefHint)}</p>
            <ErrorSlot err=error_of(create)/>
            <div>{move || created.get().then(|| view! { <SuccessText key=Key::BrandCreated/> })}</div>
        </section>
    }
}
