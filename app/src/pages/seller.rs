//! `/brands/:brand_id/sellers/:seller_id`: a seller as a brand sees it — its name, whether
//! JointForce flagged it as a repeat infringer, and the brand's own cases against it.
//! `/staff/sellers/:seller_id`: the same for marketplace staff, with every brand's cases.

use crate::components::{is_staff, Loaded, PageHeader, PageHeaderProps};
use crate::http;
use crate::i18n::{dated, tr, trf, Key};
use crate::pages::cases::CaseRow;
use crate::pages::staff::StaffOnly;
use crate::state;
use jf_core::api::{BrandView, SellerView};
use jf_core::cases::{REPEAT_THRESHOLD, REPEAT_WINDOW};
use jf_core::clock::DAY;
use jf_core::routes::RouteId;
use leptos::prelude::*;
use leptos::text_prop::TextProp;
use leptos_router::hooks::use_params_map;

/// The brand whose page of the seller this is: its name, and whether the viewer is staff there.
#[derive(Clone)]
struct OnBrand {
    name: String,
    staff: bool,
}

/// The seller on a brand's page (inside the brand's frame).
#[component]
pub fn BrandSeller() -> impl IntoView {
    let brand = expect_context::<BrandView>();
    let params = use_params_map();
    let brand_id = brand.id.to_string();
    let seller = LocalResource::new(move || {
        let seller = params.read().get("seller_id").unwrap_or_default();
        let path = http::api(RouteId::BrandSeller, &[&brand_id, &seller]);
        async move { http::get::<SellerView>(&path).await }
    });
    let on_brand = OnBrand {
        name: brand.name.clone(),
        staff: is_staff(brand.viewer),
    };
    let show = move |seller| view! { <Seller seller on_brand=Some(on_brand.clone())/> }.into_any();
    view! { <Loaded resource=seller not_found=Key::SellerNotFound show/> }.into_any()
}

/// The seller on the staff side, with every brand's cases.
#[component]
pub fn StaffSeller() -> impl IntoView {
    if !untrack(state::me).is_some_and(|me| me.is_staff()) {
        return view! {
            <div>
                <PageHeader title=move || tr(Key::StaffTitle)/>
                <StaffOnly/>
            </div>
        }
        .into_any();
    }
    let params = use_params_map();
    let seller = LocalResource::new(move || {
        let seller = params.read().get("seller_id").unwrap_or_default();
        let path = http::api(RouteId::StaffSeller, &[&seller]);
        async move { http::get::<SellerView>(&path).await }
    });
    let show = |seller| view! { <Seller seller on_brand=None/> }.into_any();
    view! {
        <div>
            <Loaded resource=seller not_found=Key::SellerNotFound show/>
        </div>
    }
    .into_any()
}

/// The seller's page; `on_brand`: the brand whose page this is (none: the staff page).
#[component]
fn Seller(seller: SellerView, on_brand: Option<OnBrand>) -> impl IntoView {
    let SellerView {
        seller_id,
        name,
        repeat_infringer,
        flagged_at,
        cases,
    } = seller;
    let staff_page = on_brand.is_none();
    // Built as props: the eyebrow and the aside are there or not.
    let header = PageHeader(PageHeaderProps {
        title: name.into(),
        data_title: true,
        eyebrow: on_brand.as_ref().map(|b| TextProp::from(b.name.clone())),
        eyebrow_note: Some(Key::Seller),
        lead: None,
        title_id: Some("seller-name"),
        aside: repeat_infringer.then(|| {
            ViewFn::from(|| {
                view! {
                    <span class="badge badge-bad" id="repeat-infringer">
                        {move || tr(Key::RepeatInfringer)}
                    </span>
                }
            })
        }),
    });
    // Staff looking at one brand's view of the seller may see every brand's cases.
    let all_brands = on_brand.filter(|b| b.staff).map(|_| {
        view! {
            <a
                class="btn btn-secondary"
                id="all-brands-cases"
                href=format!("/staff/sellers/{}", http::encode(&seller_id))
            >
                {move || tr(Key::SeeAllBrandsCases)}
            </a>
        }
    });
    let rule = move || {
        let threshold = REPEAT_THRESHOLD.to_string();
        let days = (REPEAT_WINDOW / DAY).to_string();
        trf(Key::RepeatRule, &[&threshold, &days])
    };
    let heading = if staff_page {
        Key::SellerCasesAll
    } else {
        Key::SellerCasesBrand
    };
    let count = cases.len();
    let list = if cases.is_empty() {
        view! { <p class="muted" id="no-seller-cases">{move || tr(Key::NothingHere)}</p> }
            .into_any()
    } else {
        let rows = cases
            .into_iter()
            .map(|case| view! { <CaseRow case show_brand=staff_page plain_seller=true/> })
            .collect_view();
        view! { <ul class="rows case-rows" id="seller-case-list">{rows}</ul> }.into_any()
    };
    view! {
        {header}
        <div class="stack">
            <section class="card" id="seller-facts" aria-labelledby="seller-facts-heading">
                <h2 id="seller-facts-heading">{move || tr(Key::RepeatInfringer)}</h2>
                <Flag repeat_infringer flagged_at/>
                <dl class="facts">
                    <div class="fact">
                        <dt>{move || tr(Key::SellerId)}</dt>
                        <dd class="mono" id="seller-id" translate="no">{seller_id.clone()}</dd>
                    </div>
                </dl>
                <p class="hint">{rule}</p>
                {all_brands}
            </section>
            <section class="card" id="seller-cases" aria-labelledby="seller-cases-heading">
                <h2 id="seller-cases-heading">
                    {move || tr(heading)}
                    " "
                    <span class="count">{count}</span>
                </h2>
                {list}
            </section>
        </div>
    }
}

/// Whether JointForce flagged the seller as a repeat infringer, and since when.
#[component]
fn Flag(repeat_infringer: bool, flagged_at: Option<jf_core::clock::Millis>) -> impl IntoView {
    if !repeat_infringer {
        return view! {
            <p class="muted" id="not-repeat-infringer">{move || tr(Key::NotRepeatInfringer)}</p>
        }
        .into_any();
    }
    let text = move || match flagged_at {
        Some(at) => dated(Key::RepeatInfringerSince, at, false),
        None => tr(Key::RepeatInfringer).to_owned(),
    };
    view! {
        <p class="notice notice-bad" id="repeat-infringer-since" role="status">{text}</p>
    }
    .into_any()
}
