//! `/brands/:brand_id/sellers/:seller_id`: a seller as a brand sees it — its name, whether
//! JointForce flagged it as a repeat infringer, and the brand's own cases against it.
//! `/staff/sellers/:seller_id`: the same for marketplace staff, with every brand's cases.

use crate::components::{is_staff, text, ErrorPanel, Load, PageHeader};
use crate::http;
use crate::i18n::{use_tr, Key};
use crate::pages::brand::{use_brand_id, BrandFrame};
use crate::pages::cases::CaseRow;
use crate::pages::staff::StaffOnly;
use crate::state::use_app;
use jf_core::api::{BrandView, SellerView};
use jf_core::cases::{REPEAT_THRESHOLD, REPEAT_WINDOW};
use jf_core::clock::DAY;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

fn use_seller_id() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("seller_id").unwrap_or_default())
}

#[component]
pub fn BrandSellerPage() -> impl IntoView {
    let brand_id = use_brand_id();
    let seller_id = use_seller_id();
    // Asked for alongside the brand, not after it.
    let seller = http::resource(Signal::derive(move || {
        format!(
            "/api/v1/brands/{}/sellers/{}",
            http::segment(&brand_id.get()),
            http::segment(&seller_id.get())
        )
    }));
    let page =
        Callback::new(move |brand| view! { <SellerLoad res=seller brand=brand /> }.into_any());
    view! { <BrandFrame page=page /> }
}

#[component]
pub fn StaffSellerPage() -> impl IntoView {
    let app = use_app();
    let tr = use_tr();
    let seller_id = use_seller_id();
    let staff = Memo::new(move |_| {
        app.me.with(|m| {
            m.as_ref()
                .and_then(|r| r.as_ref().ok())
                .is_some_and(|me| me.user.staff_role.is_some())
        })
    });
    let seller = http::resource(Signal::derive(move || {
        if staff.get() {
            format!(
                "/api/v1/manager/sellers/{}",
                http::segment(&seller_id.get())
            )
        } else {
            String::new()
        }
    }));
    move || {
        if staff.get() {
            view! { <SellerLoad res=seller /> }.into_any()
        } else {
            view! {
                <PageHeader title=text(tr, Key::StaffTitle) />
                <StaffOnly />
            }
            .into_any()
        }
    }
}

/// The seller, once fetched; `brand`: the brand whose page this is (none: the staff page).
#[component]
fn SellerLoad(
    res: LocalResource<http::Body>,
    #[prop(optional)] brand: Option<BrandView>,
) -> impl IntoView {
    let brand = StoredValue::new(brand);
    view! {
        <Load res=res show=Callback::new(move |result| match http::decode::<SellerView>(result) {
                        Ok(seller) => view! { <Seller seller=seller brand=brand.get_value() /> }.into_any(),
                        Err(err) => view! { <ErrorPanel err=err not_found=Key::SellerNotFound /> }.into_any(),
                    }) />
    }
}

#[component]
fn Seller(seller: SellerView, brand: Option<BrandView>) -> impl IntoView {
    let tr = use_tr();
    let name = seller.name.clone();
    let staff_page = brand.is_none();
    let eyebrow = brand.as_ref().map(|b| {
        let brand_name = b.name.clone();
        Signal::derive(move || brand_name.clone())
    });
    // Staff looking at one brand's view of the seller may see every brand's cases.
    let all_brands = brand
        .as_ref()
        .filter(|b| is_staff(b.viewer))
        .map(|_| format!("/staff/sellers/{}", http::segment(&seller.seller_id)));
    let flag = match seller.flagged_at.filter(|_| seller.repeat_infringer) {
        Some(at) => view! {
            <p class="notice notice-bad" id="repeat-infringer-since" role="status">
                {tr.dated(Key::RepeatInfringerSince, at, false)}
            </p>
        }
        .into_any(),
        None if seller.repeat_infringer => view! {
            <p class="notice notice-bad" id="repeat-infringer-since" role="status">
                {tr.s(Key::RepeatInfringer)}
            </p>
        }
        .into_any(),
        None => {
            view! { <p class="muted" id="not-repeat-infringer">{tr.s(Key::NotRepeatInfringer)}</p> }
                .into_any()
        }
    };
    let rule = vec![
        REPEAT_THRESHOLD.to_string(),
        (REPEAT_WINDOW / DAY).to_string(),
    ];
    let heading = if staff_page {
        Key::SellerCasesAll
    } else {
        Key::SellerCasesBrand
    };
    let count = seller.cases.len();
    let cases = if seller.cases.is_empty() {
        view! { <p class="muted" id="no-seller-cases">{tr.s(Key::NothingHere)}</p> }.into_any()
    } else {
        view! {
            <ul class="rows case-rows" id="seller-case-list">
                {seller
                    .cases
                    .into_iter()
                    .map(|c| view! { <CaseRow case=c show_brand=staff_page plain_seller=true /> })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <PageHeader
            title=Signal::derive(move || name.clone())
            title_is_data=true
            eyebrow=eyebrow
            eyebrow_note=Key::Seller
            title_id="seller-name"
        >
            {seller.repeat_infringer.then(|| view! {
                <span class="badge badge-bad" id="repeat-infringer">{tr.s(Key::RepeatInfringer)}</span>
            })}
        </PageHeader>
        <div class="stack">
            <section class="card" id="seller-facts" aria-labelledby="seller-facts-heading">
                <h2 id="seller-facts-heading">{tr.s(Key::RepeatInfringer)}</h2>
                {flag}
                <dl class="facts">
                    <div class="fact">
                        <dt>{tr.s(Key::SellerId)}</dt>
                        <dd class="mono" id="seller-id" translate="no">{seller.seller_id}</dd>
                    </div>
                </dl>
                <p class="hint">{tr.fs(Key::RepeatRule, rule)}</p>
                {all_brands.map(|href| view! {
                    <a class="btn btn-secondary" id="all-brands-cases" href=href>{tr.s(Key::SeeAllBrandsCases)}</a>
                })}
            </section>
            <section class="card" id="seller-cases" aria-labelledby="seller-cases-heading">
                <h2 id="seller-cases-heading">
                    {tr.s(heading)} " " <span class="count">{count}</span>
                </h2>
                {cases}
            </section>
        </div>
    }
}
