//! `/brands/:brand_id`: the brand's home — the work waiting, its lane and good standing (always
//! explained), its standing in the programme, its account manager and the viewer's access.

use crate::components::{
    can_file, capacity_key, is_admin, status_key, Arg, ErrorPanel, ErrorText, Load, PageHeader,
    StatusBadge, Tpl,
};
use crate::http;
use crate::i18n::{use_tr, Key};
use crate::pages::cases::StatusChips;
use jf_core::access::KeyScope;
use jf_core::api::{BrandStats, BrandView, ViewerCapacity};
use jf_core::case::Status;
use jf_core::clock::DAY;
use jf_core::ids::BrandId;
use jf_core::programme::{Lane, ReviewReason, REVOCATION};
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

/// The brand of the address, for the pages under it: `page` builds the page from it once it is
/// here; a brand that does not exist (or is not the viewer's) is explained. Every brand page goes
/// through this one frame, so its loading machinery is in the wasm once.
#[component]
pub fn BrandFrame(page: Callback<BrandView, AnyView>) -> impl IntoView {
    let brand_id = use_brand_id();
    let brand = brand_resource(brand_id);
    view! {
        <Load res=brand show=Callback::new(move |result| match http::decode::<BrandView>(result) {
                        Ok(brand) => page.run(brand),
                        Err(err) => view! { <ErrorPanel err=err not_found=Key::BrandNotFound /> }.into_any(),
                    }) />
    }
}

#[component]
pub fn BrandPage() -> impl IntoView {
    let page = Callback::new(|brand| view! { <BrandOverview brand=brand /> }.into_any());
    view! { <BrandFrame page=page /> }
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
    let base = format!("/brands/{}", brand.id);
    let members_href = format!("{base}/members");
    let admin = is_admin(capacity);
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
                            <span id="suspension-reason" translate="no">{reason}</span>
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
                        <span class="person-name" id="account-manager-name" translate="no">{person.display_name}</span>
                        <a class="person-email" href=mailto translate="no">{person.email}</a>
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
            title_is_data=true
            eyebrow=Signal::derive(move || brand_ref.clone())
            title_id="brand-name"
        >
            <StatusBadge status=status />
        </PageHeader>
        {suspension}
        <Standing brand=brand.id capacity=capacity />
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
                <div class="button-row">
                    <a class="btn btn-secondary" id="link-members" href=members_href>{tr.s(Key::SeeMembers)}</a>
                    {admin.then(|| view! {
                        <a class="btn btn-secondary" id="link-api-keys" href=format!("{base}/api-keys")>{tr.s(Key::NavApiKeys)}</a>
                        <a class="btn btn-secondary" id="link-webhooks" href=format!("{base}/webhooks")>{tr.s(Key::NavWebhooks)}</a>
                    })}
                </div>
            </section>
        </div>
    }
}

/// Why the brand may not file, in the interface's language (the suspension's reason as written);
/// a refusal this app has no words for is shown as the server said it.
pub fn refusal_view(
    code: Option<String>,
    reason: Option<String>,
    message: Option<String>,
) -> Option<AnyView> {
    let reason = reason.filter(|r| !r.trim().is_empty());
    Some(match (code.as_deref(), reason) {
        (Some("not_enrolled"), _) => {
            view! { <Tpl key=Key::RefusalNotEnrolled args=vec![] /> }.into_any()
        }
        (Some("suspended"), Some(reason)) => {
            view! { <Tpl key=Key::RefusalSuspendedBecause args=vec![Arg::Data(reason)] /> }
                .into_any()
        }
        (Some("suspended"), None) => {
            view! { <Tpl key=Key::RefusalSuspended args=vec![] /> }.into_any()
        }
        _ => view! { <span translate="no">{message?}</span> }.into_any(),
    })
}

/// The first letter of a name, for an avatar.
pub fn initial(name: &str) -> String {
    name.chars()
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default()
}

/// `GET …/stats`: the work waiting and the lane, explained.
#[component]
fn Standing(brand: BrandId, capacity: ViewerCapacity) -> impl IntoView {
    let path = format!("/api/v1/brands/{brand}/stats");
    let stats = http::resource(Signal::derive(move || path.clone()));
    view! {
        <Load res=stats show=Callback::new(move |result| match http::decode::<BrandStats>(result) {
                        Ok(stats) => view! { <StandingView stats=stats brand=brand capacity=capacity /> }.into_any(),
                        Err(err) => view! { <ErrorText err=err /> }.into_any(),
                    }) />
    }
}

#[component]
fn StandingView(stats: BrandStats, brand: BrandId, capacity: ViewerCapacity) -> impl IntoView {
    let tr = use_tr();
    let files = can_file(capacity);
    let base = format!("/brands/{brand}");
    let awaiting = stats
        .counts
        .iter()
        .find(|(s, _)| *s == Status::AwaitingBrand)
        .map_or(0, |(_, n)| *n);
    let s = stats.standing.clone();
    let (lane_key, lane_name) = match stats.lane {
        Some(Lane::Auto) => (Key::LaneAuto, "auto"),
        Some(Lane::Review) => (Key::LaneReview, "review"),
        None => (Key::LaneNone, "none"),
    };
    let lane_class = format!("lane lane-{lane_name}");
    let why = match (stats.lane, stats.review_reason) {
        (Some(Lane::Auto), _) => Some(Key::LaneAutoExplained),
        (_, Some(ReviewReason::NoOfficialShop)) => Some(Key::ReviewNoShop),
        (_, Some(ReviewReason::OutOfGoodStanding)) => Some(Key::ReviewOutOfStanding),
        _ => None,
    };
    let rate = crate::fmt::percent(s.reinstated_bp);
    let threshold = crate::fmt::percent(s.threshold_bp);
    let rule = vec![
        s.min_decided.to_string(),
        s.window_days.to_string(),
        threshold.clone(),
        (REVOCATION / DAY).to_string(),
    ];
    let few = (s.decided < s.min_decided).then(|| {
        let min = s.min_decided.to_string();
        view! { <p class="hint" id="standing-few">{tr.fs(Key::StandingFew, vec![min])}</p> }
    });
    let revoked = s.revoked_until.map(|until| {
        view! {
            <p class="notice notice-warn" id="revoked-until" role="status">
                {tr.dated(Key::RevokedUntil, until, false)}
            </p>
        }
    });
    let no_right = (files && stats.usable_rights == 0).then(|| {
        view! {
            <p class="notice notice-warn" id="no-usable-right">
                {tr.s(Key::NoUsableRight)} " "
                <a href=format!("{base}/rights")>{tr.s(Key::NavRights)}</a>
            </p>
        }
    });
    let link = |tail: &str| format!("{base}/{tail}");
    view! {
        <div class="grid grid-2 home-panels">
            <section class="card" aria-labelledby="work-heading" id="work">
                <h2 id="work-heading">{tr.s(Key::Work)}</h2>
                <nav class="quick-links" id="quick-links" aria-labelledby="work-heading">
                    {files.then(|| view! {
                        <a class="btn btn-primary" id="link-report" href=link("report")>{tr.s(Key::FileReport)}</a>
                        <a class="btn btn-secondary" id="link-bulk" href=link("report/bulk")>{tr.s(Key::BulkUpload)}</a>
                    })}
                    <a class="btn btn-secondary" id="link-confirm" href=link("confirm")>
                        {tr.s(Key::ConfirmQueue)} " "
                        <span class="count" id="awaiting-count">{awaiting}</span>
                    </a>
                    <a class="btn btn-secondary" id="link-cases" href=link("cases")>{tr.s(Key::NavCases)}</a>
                    <a class="btn btn-secondary" id="link-rights" href=link("rights")>{tr.s(Key::NavRights)}</a>
                </nav>
                {no_right}
                <h3>{tr.s(Key::CasesByStatus)}</h3>
                <StatusChips base=base.clone() query=String::new() counts=stats.counts current=None plain=true />
            </section>
            <section class="card" aria-labelledby="standing-heading" id="standing" data-good=s.good.to_string()>
                <h2 id="standing-heading">{tr.s(Key::LaneAndStanding)}</h2>
                <p class=lane_class id="lane" data-lane=lane_name>{tr.s(lane_key)}</p>
                {why.map(|key| view! { <p id="review-reason">{tr.fs(key, vec![threshold.clone()])}</p> })}
                {refusal_view(stats.refusal_code, stats.refusal_reason, stats.refusal).map(|r| view! { <p class="notice notice-bad" id="refusal">{r}</p> })}
                {revoked}
                <dl class="facts">
                    <div class="fact">
                        <dt>{tr.s(Key::ReinstatedRate)}</dt>
                        <dd id="reinstated-rate">{format!("{rate}%")}</dd>
                    </div>
                    <div class="fact">
                        <dt>{tr.fs(Key::DecidedIn, vec![s.window_days.to_string()])}</dt>
                        <dd id="decided-count">{s.decided}</dd>
                    </div>
                    <div class="fact">
                        <dt>{tr.s(Key::CsReinstated)}</dt>
                        <dd id="reinstated-count">{s.reinstated}</dd>
                    </div>
                    <div class="fact">
                        <dt>{tr.s(Key::Threshold)}</dt>
                        <dd id="threshold">{format!("> {threshold}%")}</dd>
                    </div>
                </dl>
                {few}
                <p class="hint" id="standing-rule">{tr.fs(Key::StandingRule, rule)}</p>
            </section>
        </div>
    }
}
