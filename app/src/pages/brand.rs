//! `/brands/:brand_id`: the brand's home — its standing in the programme, its account manager
//! and the viewer's access.

use crate::components::{capacity_key, status_key, ErrorPanel, Loading, PageHeader, StatusBadge};
use crate::http;
use crate::i18n::{use_tr, Key};
use jf_core::access::KeyScope;
use jf_core::api::{BrandView, ViewerCapacity};
use jf_core::types::{BrandRole, ProgrammeStatus};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The brand id of the current route (reactive).
pub fn use_brand_id() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("brand_id").unwrap_or_default())
}

/// `GET /api/v1/brands/{id}`, refetched when the id in the address changes.
pub fn brand_resource(brand_id: Memo<String>) -> LocalResource<http::Body> {
    http::resource(Signal::derive(move || {
        format!("/api/v1/brands/{}", http::segment(&brand_id.get()))
    }))
}

#[component]
pub fn BrandPage() -> impl IntoView {
    let brand_id = use_brand_id();
    let brand = brand_resource(brand_id);
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            {move || {
                brand
                    .get()
                    .map(|result| match http::decode::<BrandView>(result) {
                        Ok(brand) => view! { <BrandOverview brand=brand /> }.into_any(),
                        Err(err) => view! { <ErrorPanel err=err not_found=Key::BrandNotFound /> }.into_any(),
                    })
            }}
        </Transition>
    }
}

fn yes_no(value: bool, yes: Key, no: Key) -> Key {
    if value {
        yes
    } else {
        no
    }
}

fn status_explained(status: ProgrammeStatus) -> Key {
    match status {
        ProgrammeStatus::Applied => Key::StatusAppliedExplained,
        ProgrammeStatus::Enrolled => Key::StatusEnrolledExplained,
        ProgrammeStatus::Suspended => Key::StatusSuspendedExplained,
    }
}

fn capacity_explained(capacity: ViewerCapacity) -> Key {
    match capacity {
        ViewerCapacity::Member(BrandRole::BrandAdmin) => Key::CanBrandAdmin,
        ViewerCapacity::Member(BrandRole::BrandAgent) => Key::CanBrandAgent,
        ViewerCapacity::Member(BrandRole::BrandViewer) => Key::CanBrandViewer,
        ViewerCapacity::AccountManager => Key::CanAccountManager,
        ViewerCapacity::Operator => Key::CanOperator,
        ViewerCapacity::Key(KeyScope::Read) => Key::CanBrandViewer,
        ViewerCapacity::Key(KeyScope::ReadWrite) => Key::CanBrandAgent,
    }
}

#[component]
fn BrandOverview(brand: BrandView) -> impl IntoView {
    let tr = use_tr();
    let status = brand.programme_status;
    let shop = yes_no(brand.has_official_shop, Key::Yes, Key::No);
    let agreement = yes_no(
        brand.cooperation_agreement,
        Key::AgreementSigned,
        Key::AgreementNone,
    );
    let capacity = brand.viewer;
    let members_href = format!("/brands/{}/members", brand.id);
    let suspension = (status == ProgrammeStatus::Suspended).then(|| {
        let reason = brand
            .suspension_reason
            .clone()
            .filter(|r| !r.trim().is_empty());
        view! {
            <div class="notice notice-bad" role="status" id="suspension">
                <p class="notice-title">{tr.s(Key::SuspendedNoticeTitle)}</p>
                {match reason {
                    Some(reason) => view! {
                        <p>
                            <span class="muted">{tr.s(Key::SuspensionReason)}</span>
                            " "
                            <span id="suspension-reason">{reason}</span>
                        </p>
                    }
                    .into_any(),
                    None => view! { <p>{tr.s(Key::SuspensionNoReason)}</p> }.into_any(),
                }}
            </div>
        }
    });
    let manager = match brand.account_manager.clone() {
        Some(person) => {
            let mailto = format!("mailto:{}", person.email);
            view! {
                <p class="person">
                    <span class="avatar" aria-hidden="true">{initial(&person.display_name)}</span>
                    <span class="person-text">
                        <span class="person-name" id="account-manager-name">{person.display_name}</span>
                        <a class="person-email" href=mailto>{person.email}</a>
                    </span>
                </p>
                <p class="muted">{tr.s(Key::AccountManagerHelp)}</p>
            }
            .into_any()
        }
        None => view! { <p class="muted">{tr.s(Key::NoAccountManager)}</p> }.into_any(),
    };
    let name = brand.name.clone();
    let brand_ref = brand.brand_ref.clone();
    view! {
        <PageHeader
            title=Signal::derive(move || name.clone())
            eyebrow=Signal::derive(move || brand_ref.clone())
            title_id="brand-name"
        >
            <StatusBadge status=status />
        </PageHeader>
        {suspension}
        <div class="grid">
            <section class="card" aria-labelledby="programme-heading">
                <h2 id="programme-heading">{tr.s(Key::Programme)}</h2>
                <dl class="facts">
                    <div class="fact">
                        <dt>{tr.s(Key::ProgrammeStatus)}</dt>
                        <dd id="programme-status">{tr.s(status_key(status))}</dd>
                    </div>
                    <div class="fact">
                        <dt>{tr.s(Key::OfficialShop)}</dt>
                        <dd id="official-shop">{tr.s(shop)}</dd>
                    </div>
                    <div class="fact">
                        <dt>{tr.s(Key::CooperationAgreement)}</dt>
                        <dd id="cooperation-agreement">{tr.s(agreement)}</dd>
                    </div>
                </dl>
                <p class="muted">{tr.s(status_explained(status))}</p>
            </section>
            <section class="card" aria-labelledby="manager-heading">
                <h2 id="manager-heading">{tr.s(Key::AccountManager)}</h2>
                {manager}
            </section>
            <section class="card" aria-labelledby="access-heading">
                <h2 id="access-heading">{tr.s(Key::YourAccess)}</h2>
                <p class="capacity" id="viewer-capacity">{tr.s(capacity_key(capacity))}</p>
                <p class="muted">{tr.s(capacity_explained(capacity))}</p>
                <a class="btn btn-secondary" href=members_href>{tr.s(Key::SeeMembers)}</a>
            </section>
        </div>
    }
}

/// The first letter of a name, for an avatar.
pub fn initial(name: &str) -> String {
    name.chars()
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default()
}
