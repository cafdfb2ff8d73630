//! `/brands/:brand_id`: the brand's home — for an enrolled brand the work waiting, its lane and
//! good standing (always explained) and the dashboard; for a brand that has applied the checklist
//! of what enrolment needs; for a suspended one why, and what to do. Then its standing in the
//! programme, its account manager and the viewer's access.

use crate::components::{
    can_decide, can_file, capacity_key, is_admin, is_staff, status_key, ErrorText, Loading,
    PageHeader, StatusBadge,
};
use crate::http;
use crate::i18n::{dated, tr, trf, Key};
use crate::pages::cases::StatusChips;
use crate::pages::dashboard::Dashboard;
use crate::pages::report::refusal_view;
use jf_core::access::KeyScope;
use jf_core::api::{BrandStats, BrandView, PersonRef, ViewerCapacity};
use jf_core::case::Status;
use jf_core::clock::DAY;
use jf_core::programme::{Lane, ReviewReason, REVOCATION};
use jf_core::routes::RouteId;
use jf_core::types::{BrandRole, ProgrammeStatus};
use leptos::prelude::*;

/// The brand's home. The brand itself comes from `BrandFrame`; its figures are asked for here.
/// What it shows follows the brand's place in the programme: an enrolled brand its work, lane
/// and dashboard; a brand that has applied the checklist of what enrolment needs; a suspended
/// one why, and what to do, with the cases it already has.
#[component]
pub fn Brand() -> impl IntoView {
    let brand = expect_context::<BrandView>();
    let id = brand.id.to_string();
    let base = format!("/brands/{id}");
    let capacity = brand.viewer;
    let status = brand.programme_status;
    let path = http::api(RouteId::BrandStats, &[&id]);
    let stats = LocalResource::new(move || {
        let path = path.clone();
        async move { http::get::<BrandStats>(&path).await }
    });
    let suspension = (status == ProgrammeStatus::Suspended).then(|| {
        view! {
            <Suspension
                reason=brand.suspension_reason.clone()
                manager=brand.account_manager.clone()
            />
        }
    });
    let figures_of = {
        let (brand, base) = (brand.clone(), base.clone());
        move |s: BrandStats| match status {
            ProgrammeStatus::Enrolled => {
                view! { <Standing stats=s base=base.clone() capacity/> }.into_any()
            }
            ProgrammeStatus::Applied => {
                view! { <Checklist brand=brand.clone() stats=s base=base.clone()/> }.into_any()
            }
            // No lane to explain while suspended: the cases it has, without the tools it may
            // not use.
            ProgrammeStatus::Suspended => view! {
                <div class="home-panels">
                    <Work stats=s base=base.clone() capacity enrolled=false/>
                </div>
            }
            .into_any(),
        }
    };
    // Figures of the programme's work: only an enrolled brand has them to show.
    let dashboard =
        (status == ProgrammeStatus::Enrolled).then(|| view! { <Dashboard id=id.clone()/> });
    // The checklist and the suspension notice already name the account manager and say where
    // the brand stands.
    let programme =
        (status != ProgrammeStatus::Applied).then(|| view! { <Programme brand=brand.clone()/> });
    let manager = (status == ProgrammeStatus::Enrolled)
        .then(|| view! { <Manager person=brand.account_manager.clone()/> });
    view! {
        <PageHeader
            title=brand.name.clone()
            data_title=true
            title_id="brand-name"
            eyebrow=brand.brand_ref.clone()
            aside=move || view! { <StatusBadge status/> }
        />
        {suspension}
        // A part of its own: while it loads, or if it fails, the rest of the page stays.
        <div>
            {move || match stats.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Ok(s)) => figures_of(s),
                Some(Err(e)) => view! { <ErrorText err=e/> }.into_any(),
            }}
        </div>
        {dashboard}
        <div class="grid">
            {programme}
            {manager}
            <Access capacity base enrolled=status == ProgrammeStatus::Enrolled/>
        </div>
    }
    .into_any()
}

/// The first letter of a name, for its avatar.
pub fn initial(name: &str) -> String {
    // The browser's upper case, not Rust's: its Unicode tables would weigh on every download.
    name.chars()
        .next()
        .map(|c| js_sys::JsString::from(c.to_string()).to_upper_case().into())
        .unwrap_or_default()
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

/// The notice of a suspended brand: its reason as written (data) when one was given, and what
/// to do about it — ask its account manager, named when there is one.
#[component]
fn Suspension(reason: Option<String>, manager: Option<PersonRef>) -> impl IntoView {
    let line = match reason.filter(|r| !r.trim().is_empty()) {
        Some(reason) => view! {
            <p>
                <span class="muted">{move || tr(Key::SuspensionReason)}</span>
                " "
                <span translate="no" id="suspension-reason">{reason}</span>
            </p>
        }
        .into_any(),
        None => view! { <p>{move || tr(Key::SuspensionNoReason)}</p> }.into_any(),
    };
    view! {
        <section
            class="notice notice-bad suspension"
            id="suspension"
            aria-labelledby="suspension-heading"
        >
            <h2 class="notice-title" id="suspension-heading">
                {move || tr(Key::SuspendedNoticeTitle)}
            </h2>
            {line}
            <h3>{move || tr(Key::SuspendedWhatToDo)}</h3>
            <p id="suspension-what-to-do">{move || tr(Key::SuspendedContact)}</p>
            <ContactOrPromise person=manager/>
        </section>
    }
}

/// The account manager as a person to write to, or the promise that one will be assigned.
#[component]
fn ContactOrPromise(person: Option<PersonRef>) -> impl IntoView {
    match person {
        Some(person) => view! { <Contact person/> }.into_any(),
        None => view! { <p class="muted" id="manager-to-come">{move || tr(Key::ManagerToBeAssigned)}</p> }
            .into_any(),
    }
}

/// A person at the marketplace: avatar, name (`#account-manager-name`) and email (a link).
#[component]
fn Contact(person: PersonRef) -> impl IntoView {
    let mailto = format!("mailto:{}", person.email);
    view! {
        <p class="person">
            <span class="avatar" aria-hidden="true">{initial(&person.display_name)}</span>
            <span class="person-text">
                <span class="person-name" id="account-manager-name" translate="no">
                    {person.display_name}
                </span>
                <a class="person-email" href=mailto translate="no">{person.email}</a>
            </span>
        </p>
    }
}

/// Where a brand that has applied stands on the way to enrolment (`#checklist`): each
/// condition done or to do, in words and by its icon's shape, with where to act on it.
#[component]
fn Checklist(brand: BrandView, stats: BrandStats, base: String) -> impl IntoView {
    let right_done = stats.usable_rights > 0;
    let right_detail = if right_done {
        view! { <p>{move || tr(Key::StepRightDone)}</p> }.into_any()
    } else if stats.pending_rights > 0 {
        let n = stats.pending_rights.to_string();
        view! { <p id="rights-pending">{move || trf(Key::StepRightPending, &[&n])}</p> }.into_any()
    } else {
        view! { <p>{move || tr(Key::StepRightNone)}</p> }.into_any()
    };
    let shop_done = brand.has_official_shop || brand.cooperation_agreement;
    let shop_detail = match (brand.has_official_shop, brand.cooperation_agreement) {
        (true, _) => Key::StepShopDone,
        (false, true) => Key::StepAgreementDone,
        (false, false) => Key::StepShopToDo,
    };
    let enrol_detail = if right_done && shop_done {
        Key::StepEnrolReady
    } else {
        Key::StepEnrolWaiting
    };
    let contact = match brand.account_manager {
        Some(person) => view! {
            <p class="step-contact-label">{move || tr(Key::YourContact)}</p>
            <Contact person/>
        }
        .into_any(),
        None => view! { <ContactOrPromise person=None/> }.into_any(),
    };
    view! {
        <section class="card checklist-card home-panels" id="onboarding" aria-labelledby="onboarding-heading">
            <h2 id="onboarding-heading">{move || tr(Key::OnboardingTitle)}</h2>
            <p class="muted">{move || tr(Key::OnboardingLead)}</p>
            <ol class="checklist" id="checklist">
                <Step id="step-right" title=Key::StepRight done=right_done>
                    {right_detail}
                    <a class="btn btn-secondary" id="checklist-rights" href=format!("{base}/rights")>
                        {move || tr(Key::StepRightLink)}
                    </a>
                </Step>
                <Step id="step-shop" title=Key::StepShop done=shop_done>
                    <p>{move || tr(shop_detail)}</p>
                </Step>
                <Step id="step-enrol" title=Key::StepEnrol done=false>
                    <p>{move || tr(enrol_detail)}</p>
                    {contact}
                </Step>
            </ol>
        </section>
    }
}

/// One condition of the checklist (`li#id[data-done]`): a tick or an empty ring, its title,
/// "Done" or "To do" in words, then what it needs.
#[component]
fn Step(id: &'static str, title: Key, done: bool, children: Children) -> impl IntoView {
    let (state, class) = if done {
        (Key::StepDone, "badge badge-good")
    } else {
        (Key::StepToDo, "badge badge-neutral")
    };
    // The icon's shape says it too, for those who cannot tell the colours apart.
    let icon = if done {
        view! {
            <svg class="step-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <circle cx="12" cy="12" r="11"></circle>
                <path d="M6.5 12.5l3.5 3.5 7.5-8"></path>
            </svg>
        }
        .into_any()
    } else {
        view! {
            <svg class="step-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <circle cx="12" cy="12" r="10"></circle>
            </svg>
        }
        .into_any()
    };
    view! {
        <li class="step" id=id data-done=done.to_string()>
            {icon}
            <div class="step-body">
                <div class="step-head">
                    <h3>{move || tr(title)}</h3>
                    <span class=class>{move || tr(state)}</span>
                </div>
                {children()}
            </div>
        </li>
    }
}

/// `<div class="fact"><dt>…</dt><dd id=…>…</dd></div>`; `term` and `value` follow the language.
#[component]
fn Fact(
    #[prop(into)] term: Signal<String>,
    id: &'static str,
    #[prop(into)] value: Signal<String>,
) -> impl IntoView {
    view! {
        <div class="fact">
            <dt>{term}</dt>
            <dd id=id>{value}</dd>
        </div>
    }
}

/// Words of the interface as a `Fact`'s term or value.
fn words(key: Key) -> Signal<String> {
    Signal::derive(move || tr(key).to_owned())
}

/// A link styled as a button (`a.btn.btn-secondary#id`).
#[component]
fn LinkButton(
    id: &'static str,
    href: String,
    key: Key,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <a class="btn btn-secondary" id=id href=href>
            {move || tr(key)}
            {children.map(|c| c())}
        </a>
    }
}

#[component]
fn Programme(brand: BrandView) -> impl IntoView {
    let status = brand.programme_status;
    let shop = yes_no(brand.has_official_shop, Key::Yes, Key::No);
    let agreement = yes_no(
        brand.cooperation_agreement,
        Key::AgreementSigned,
        Key::AgreementNone,
    );
    view! {
        <section class="card" aria-labelledby="programme-heading">
            <h2 id="programme-heading">{move || tr(Key::Programme)}</h2>
            <dl class="facts">
                <Fact
                    term=words(Key::ProgrammeStatus)
                    id="programme-status"
                    value=words(status_key(status))
                />
                <Fact term=words(Key::OfficialShop) id="official-shop" value=words(shop)/>
                <Fact
                    term=words(Key::CooperationAgreement)
                    id="cooperation-agreement"
                    value=words(agreement)
                />
            </dl>
            <p class="muted">{move || tr(status_explained(status))}</p>
        </section>
    }
}

/// The brand's account manager: a person to write to, or a note that there is none yet.
#[component]
fn Manager(person: Option<PersonRef>) -> impl IntoView {
    let body = match person {
        Some(person) => view! {
            <Contact person/>
            <p class="muted">{move || tr(Key::AccountManagerHelp)}</p>
        }
        .into_any(),
        None => view! { <p class="muted">{move || tr(Key::NoAccountManager)}</p> }.into_any(),
    };
    view! {
        <section class="card" aria-labelledby="manager-heading">
            <h2 id="manager-heading">{move || tr(Key::AccountManager)}</h2>
            {body}
        </section>
    }
}

/// What the viewer may do on the brand, and the pages for it; outside the programme, that the
/// role's filing and queue wait for the enrolment.
#[component]
fn Access(capacity: ViewerCapacity, base: String, enrolled: bool) -> impl IntoView {
    let waiting = (!enrolled && can_decide(capacity)).then(|| {
        view! { <p class="muted" id="access-once-enrolled">{move || tr(Key::AccessOnceEnrolled)}</p> }
    });
    let admin_links = is_admin(capacity).then(|| {
        view! {
            <LinkButton id="link-api-keys" href=format!("{base}/api-keys") key=Key::NavApiKeys/>
            <LinkButton id="link-webhooks" href=format!("{base}/webhooks") key=Key::NavWebhooks/>
        }
    });
    // The brand's admins and its staff read who did what on it.
    let audit_link = (is_admin(capacity) || is_staff(capacity)).then(|| {
        view! { <LinkButton id="link-audit" href=format!("{base}/audit") key=Key::NavAudit/> }
    });
    view! {
        <section class="card" aria-labelledby="access-heading">
            <h2 id="access-heading">{move || tr(Key::YourAccess)}</h2>
            <p class="capacity" id="viewer-capacity">{move || tr(capacity_key(capacity))}</p>
            <p class="muted">{move || tr(capacity_explained(capacity))}</p>
            {waiting}
            <div class="button-row">
                <LinkButton id="link-members" href=format!("{base}/members") key=Key::SeeMembers/>
                {admin_links}
                {audit_link}
            </div>
        </section>
    }
}

/// `GET …/stats` shown: the work waiting and the lane, explained.
#[component]
fn Standing(stats: BrandStats, base: String, capacity: ViewerCapacity) -> impl IntoView {
    view! {
        <div class="grid grid-2 home-panels">
            <Work stats=stats.clone() base capacity enrolled=true/>
            <LaneAndStanding stats/>
        </div>
    }
}

/// The work waiting: quick links, the cases awaiting the brand and the cases by status. Filing
/// and the confirmation queue are offered only while the brand is `enrolled`.
#[component]
fn Work(
    stats: BrandStats,
    base: String,
    capacity: ViewerCapacity,
    enrolled: bool,
) -> impl IntoView {
    let files = can_file(capacity) && enrolled;
    let awaiting = stats
        .counts
        .iter()
        .find(|(status, _)| *status == Status::AwaitingBrand)
        .map_or(0, |(_, n)| *n);
    let link = |tail: &str| format!("{base}/{tail}");
    let filing = files.then(|| {
        view! {
            <a class="btn btn-primary" id="link-report" href=link("report")>
                {move || tr(Key::FileReport)}
            </a>
            <LinkButton id="link-bulk" href=link("report/bulk") key=Key::BulkUpload/>
        }
    });
    let no_right = (files && stats.usable_rights == 0).then(|| {
        view! {
            <p class="notice notice-warn" id="no-usable-right">
                {move || tr(Key::NoUsableRight)}
                " "
                <a href=link("rights")>{move || tr(Key::NavRights)}</a>
            </p>
        }
    });
    let confirm = enrolled.then(|| {
        view! {
            <LinkButton id="link-confirm" href=link("confirm") key=Key::ConfirmQueue>
                " "
                <span class="count" id="awaiting-count">{awaiting}</span>
            </LinkButton>
        }
    });
    view! {
        <section class="card" aria-labelledby="work-heading" id="work">
            <h2 id="work-heading">{move || tr(Key::Work)}</h2>
            <nav class="quick-links" id="quick-links" aria-labelledby="work-heading">
                {filing}
                {confirm}
                <LinkButton id="link-cases" href=link("cases") key=Key::NavCases/>
                <LinkButton id="link-rights" href=link("rights") key=Key::NavRights/>
            </nav>
            {no_right}
            <h3>{move || tr(Key::CasesByStatus)}</h3>
            <StatusChips base=base.clone() counts=stats.counts plain=true/>
        </section>
    }
}

/// The lane a report takes now and why, and the standing it follows from.
#[component]
fn LaneAndStanding(stats: BrandStats) -> impl IntoView {
    let s = stats.standing.clone();
    let (lane_key, lane_name) = match stats.lane {
        Some(Lane::Auto) => (Key::LaneAuto, "auto"),
        Some(Lane::Review) => (Key::LaneReview, "review"),
        None => (Key::LaneNone, "none"),
    };
    let why = match (stats.lane, stats.review_reason) {
        (Some(Lane::Auto), _) => Some(Key::LaneAutoExplained),
        (_, Some(ReviewReason::NoOfficialShop)) => Some(Key::ReviewNoShop),
        (_, Some(ReviewReason::OutOfGoodStanding)) => Some(Key::ReviewOutOfStanding),
        _ => None,
    };
    let rate = crate::fmt::percent(s.reinstated_bp);
    let threshold = crate::fmt::percent(s.threshold_bp);
    let (min, window) = (s.min_decided.to_string(), s.window_days.to_string());
    let revocation_days = (REVOCATION / DAY).to_string();
    let why = why.map(|key| {
        let threshold = threshold.clone();
        view! { <p id="review-reason">{move || trf(key, &[&threshold])}</p> }
    });
    let refusal =
        refusal_view(&stats).map(|r| view! { <p class="notice notice-bad" id="refusal">{r}</p> });
    let revoked = s.revoked_until.map(|until| {
        view! {
            <p class="notice notice-warn" id="revoked-until" role="status">
                {move || dated(Key::RevokedUntil, until, false)}
            </p>
        }
    });
    let few = (s.decided < s.min_decided).then(|| {
        let min = min.clone();
        view! { <p class="hint" id="standing-few">{move || trf(Key::StandingFew, &[&min])}</p> }
    });
    let decided_in = {
        let window = window.clone();
        Signal::derive(move || trf(Key::DecidedIn, &[&window]))
    };
    let rule = {
        let threshold = threshold.clone();
        move || {
            trf(
                Key::StandingRule,
                &[&min, &window, &threshold, &revocation_days],
            )
        }
    };
    view! {
        <section
            class="card"
            aria-labelledby="standing-heading"
            id="standing"
            data-good=if s.good { "true" } else { "false" }
        >
            <h2 id="standing-heading">{move || tr(Key::LaneAndStanding)}</h2>
            <p class=format!("lane lane-{lane_name}") id="lane" data-lane=lane_name>
                {move || tr(lane_key)}
            </p>
            {why}
            {refusal}
            {revoked}
            <dl class="facts">
                <Fact term=words(Key::ReinstatedRate) id="reinstated-rate" value=format!("{rate}%")/>
                <Fact term=decided_in id="decided-count" value=s.decided.to_string()/>
                <Fact term=words(Key::CsReinstated) id="reinstated-count" value=s.reinstated.to_string()/>
                <Fact term=words(Key::Threshold) id="threshold" value=format!("> {threshold}%")/>
            </dl>
            {few}
            <p class="hint" id="standing-rule">{rule}</p>
        </section>
    }
}
