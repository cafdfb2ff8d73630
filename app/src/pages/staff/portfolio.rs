//! The staff portfolio (`#portfolio`): the brands side by side — standing, the confirmation backlog, overdue reviews and arbitrations, flags expired this week — each figure a link into its queue; cards on a phone, a table on a desk. An operator onboards each brand from its row ("Manage"): the agreement, enrol, suspend with the reason the brand sees, reinstate, the account manager.

use super::brands::Brands;
use super::users::Users;
use crate::components::{data, error_of, part, tpl_into, Arg, ErrorSlot, Paged, StatusBadge};
use crate::fmt;
use crate::http::{self, encode, ApiError};
use crate::i18n::{dated, tr, trf, Key};
use jf_core::api::{
    AssignManagerRequest, BrandView, Portfolio, PortfolioBrand, ProgrammeRequest, UserList,
};
use jf_core::ids::BrandId;
use jf_core::routes::RouteId;
use jf_core::types::{ProgrammeStatus, StaffRole};
use leptos::prelude::*;

/// What an operator's onboarding controls need: every user (the account managers to choose
/// from) and the staff's brand list, fetched again after a change that shows in it. Account
/// managers get none: the API keeps onboarding to operators.
#[derive(Clone, Copy)]
pub(super) struct Onboarding {
    pub users: Users,
    pub brands: Brands,
}

/// The first page for a name filter (empty: every brand).
fn first_page(q: &str) -> String {
    let path = http::api(RouteId::StaffPortfolio, &[]);
    match q.trim() {
        "" => format!("{path}?limit=25"),
        q => format!("{path}?limit=25&q={}", encode(q)),
    }
}

#[component]
pub(super) fn PortfolioCard(onboarding: Option<Onboarding>) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    // The filter as last submitted: the first page is asked for again when it changes.
    let applied = RwSignal::new(String::new());
    let first = LocalResource::new(move || {
        let path = first_page(&applied.get());
        async move { http::get::<Portfolio>(&path).await }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        applied.set(typed.get_untracked().trim().to_owned());
    };
    let show = move |p: Portfolio| {
        view! { <PortfolioList p path=first_page(&applied.get_untracked()) onboarding/> }
    };
    view! {
        <section class="card" id="portfolio" aria-labelledby="portfolio-heading">
            <h2 id="portfolio-heading">{move || tr(Key::Portfolio)}</h2>
            <p class="muted">{move || tr(Key::PortfolioLead)}</p>
            <form class="form portfolio-filter" role="search" on:submit=submit>
                <label class="visually-hidden" for="portfolio-q">{move || tr(Key::PortfolioFilter)}</label>
                <input
                    class="input"
                    id="portfolio-q"
                    type="search"
                    name="q"
                    autocomplete="off"
                    maxlength="200"
                    placeholder=move || tr(Key::PortfolioFilter)
                    bind:value=typed
                />
                <button class="btn btn-secondary" type="submit" id="portfolio-filter">
                    {move || tr(Key::PortfolioFilterButton)}
                </button>
            </form>
            {part(first, show)}
        </section>
    }
}

/// The brands so far, and "Load more" (`#portfolio-more`) appending the next page.
#[component]
fn PortfolioList(p: Portfolio, path: String, onboarding: Option<Onboarding>) -> impl IntoView {
    if p.brands.is_empty() {
        return view! { <p class="muted" id="no-portfolio">{move || tr(Key::NoPortfolioBrands)}</p> }
            .into_any();
    }
    let paged = Paged::new(path, p.brands, p.next_cursor, |p: Portfolio| {
        (p.brands, p.next_cursor)
    });
    let Paged {
        rows: brands,
        next,
        error,
        ..
    } = paged;
    let pending = paged.pending();
    let load_more = move |_| paged.load_more();
    view! {
        <div>
            // Phones: one card per brand.
            <ul class="rows portfolio-cards" id="portfolio-cards">
                <For
                    each=move || brands.get()
                    key=|b| b.id
                    children=move |b| view! { <BrandCard b rows=brands onboarding/> }
                />
            </ul>
            // Desks: one row per brand.
            <div class="table-wrap portfolio-table-wrap">
                <table class="table portfolio-table" id="portfolio-table">
                    <thead>
                        <tr>
                            <th scope="col">{move || tr(Key::PfBrand)}</th>
                            <th scope="col">{move || tr(Key::PfStanding)}</th>
                            <th scope="col" class="num">{move || tr(Key::PfToConfirm)}</th>
                            <th scope="col" class="num">{move || tr(Key::PfReviewsOverdue)}</th>
                            <th scope="col" class="num">{move || tr(Key::PfArbitrationsOverdue)}</th>
                            <th scope="col" class="num">{move || tr(Key::PfExpiredThisWeek)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For
                            each=move || brands.get()
                            key=|b| b.id
                            children=move |b| view! { <BrandRow b rows=brands onboarding/> }
                        />
                    </tbody>
                </table>
            </div>
            <Show when=move || next.with(Option::is_some)>
                <p class="load-more">
                    <button
                        class="btn btn-secondary"
                        type="button"
                        id="portfolio-more"
                        disabled=move || pending.get()
                        on:click=load_more
                    >
                        {move || tr(if pending.get() { Key::Loading } else { Key::LoadMore })}
                    </button>
                </p>
            </Show>
            <ErrorSlot err=error/>
        </div>
    }
    .into_any()
}

/// Where each figure leads: the confirmation queue, and the case list by status.
struct Links {
    brand: String,
    confirm: String,
    reviews: String,
    arbitrations: String,
    expired: String,
}

fn links(b: &PortfolioBrand) -> Links {
    let base = format!("/brands/{}", b.id);
    Links {
        confirm: format!("{base}/confirm"),
        reviews: format!("{base}/cases?status=under_review"),
        arbitrations: format!("{base}/cases?status=in_arbitration"),
        expired: format!("{base}/cases?status=expired"),
        brand: base,
    }
}

/// The standing in a line: good, or out of it until a date; with the reinstated share.
#[component]
fn StandingText(b: PortfolioBrand) -> impl IntoView {
    let s = b.standing;
    let rate = fmt::percent(s.reinstated_bp);
    let decided = s.decided.to_string();
    let verdict = move || match s.revoked_until {
        Some(until) if !s.good => dated(Key::PfRevokedUntil, until, false),
        _ => tr(Key::PfGood).to_owned(),
    };
    let class = if s.good {
        "standing-good"
    } else {
        "standing-bad"
    };
    view! {
        <span class=format!("pf-standing {class}")>{verdict}</span>
        <span class="muted small pf-rate">{move || trf(Key::PfRate, &[&rate, &decided])}</span>
    }
}

/// A figure as a link into its queue (named with what it counts and the brand, for a screen
/// reader), with how many are open beside it when there are more.
#[component]
fn Figure(
    n: i64,
    #[prop(optional)] of: Option<i64>,
    href: String,
    class: &'static str,
    label: Key,
    brand: String,
) -> impl IntoView {
    let of = of.filter(|&open| open > n).map(|open| {
        let open = open.to_string();
        view! { " " <span class="muted small">{move || trf(Key::PfOfOpen, &[&open])}</span> }
    });
    let class = format!("pf-figure {class}{}", if n > 0 { " pf-some" } else { "" });
    // The name a screen reader says is words and data apart (an aria-label cannot mark the
    // brand's name as data, which a translator must leave alone).
    let name = tpl_into(
        Key::PfFigureLabel,
        vec![Arg::Text(label), Arg::Data(brand), Arg::Data(n.to_string())],
        "",
    );
    view! {
        <a class=class href=href>
            <span aria-hidden="true">{n}</span>
            <span class="visually-hidden">{name}</span>
        </a>
        {of}
    }
}

/// The row as it stands: the page's copy, as changes made here update it.
fn live(rows: RwSignal<Vec<PortfolioBrand>>, b: &PortfolioBrand) -> Memo<PortfolioBrand> {
    let first = b.clone();
    Memo::new(move |_| {
        rows.with(|rows| rows.iter().find(|r| r.id == first.id).cloned())
            .unwrap_or_else(|| first.clone())
    })
}

/// The programme badge as it stands.
#[component]
fn Badge(row: Memo<PortfolioBrand>) -> impl IntoView {
    let status = Memo::new(move |_| row.with(|b| b.programme_status));
    move || view! { <StatusBadge status=status.get()/> }
}

/// "Account manager: …" (`.pf-manager-name`) as it stands.
#[component]
fn ManagerLine(row: Memo<PortfolioBrand>, class: &'static str) -> impl IntoView {
    let manager = Memo::new(move |_| row.with(|b| b.account_manager_name.clone()));
    move || {
        manager.get().map(|m| {
            view! {
                <p class=format!("{class} pf-manager-name")>
                    {tpl_into(Key::ManagedBy, vec![Arg::Data(m)], "")}
                </p>
            }
        })
    }
}

#[component]
fn BrandRow(
    b: PortfolioBrand,
    rows: RwSignal<Vec<PortfolioBrand>>,
    onboarding: Option<Onboarding>,
) -> impl IntoView {
    let l = links(&b);
    let row = live(rows, &b);
    let manage = onboarding.map(|o| view! { <Manage row rows onboarding=o layout="row"/> });
    view! {
        <tr class="pf-row" data-brand-id=b.id.to_string()>
            <th scope="row">
                <a class="pf-brand" href=l.brand translate="no">{b.name.clone()}</a>
                " "
                <Badge row/>
                <ManagerLine row class="muted small"/>
                {manage}
            </th>
            <td><StandingText b=b.clone()/></td>
            <td class="num"><Figure n=b.awaiting_brand href=l.confirm class="pf-confirm" label=Key::PfToConfirm brand=b.name.clone()/></td>
            <td class="num">
                <Figure n=b.reviews_overdue of=b.under_review href=l.reviews class="pf-reviews" label=Key::PfReviewsOverdue brand=b.name.clone()/>
            </td>
            <td class="num">
                <Figure
                    n=b.arbitrations_overdue
                    of=b.in_arbitration
                    href=l.arbitrations
                    class="pf-arbitrations" label=Key::PfArbitrationsOverdue brand=b.name.clone()
                />
            </td>
            <td class="num"><Figure n=b.expired_this_week href=l.expired class="pf-expired" label=Key::PfExpiredThisWeek brand=b.name.clone()/></td>
        </tr>
    }
}

#[component]
fn BrandCard(
    b: PortfolioBrand,
    rows: RwSignal<Vec<PortfolioBrand>>,
    onboarding: Option<Onboarding>,
) -> impl IntoView {
    let l = links(&b);
    let row = live(rows, &b);
    let manage = onboarding.map(|o| view! { <Manage row rows onboarding=o layout="card"/> });
    view! {
        <li class="row pf-card" data-brand-id=b.id.to_string()>
            <div class="pf-card-head">
                <p class="row-title">
                    <a class="row-link pf-brand" href=l.brand translate="no">{b.name.clone()}</a>
                    <Badge row/>
                </p>
                <ManagerLine row class="row-sub"/>
                <p class="row-sub"><StandingText b=b.clone()/></p>
            </div>
            <dl class="pf-figures">
                <div>
                    <dt>{move || tr(Key::PfToConfirm)}</dt>
                    <dd><Figure n=b.awaiting_brand href=l.confirm class="pf-confirm" label=Key::PfToConfirm brand=b.name.clone()/></dd>
                </div>
                <div>
                    <dt>{move || tr(Key::PfReviewsOverdue)}</dt>
                    <dd><Figure n=b.reviews_overdue of=b.under_review href=l.reviews class="pf-reviews" label=Key::PfReviewsOverdue brand=b.name.clone()/></dd>
                </div>
                <div>
                    <dt>{move || tr(Key::PfArbitrationsOverdue)}</dt>
                    <dd>
                        <Figure
                            n=b.arbitrations_overdue
                            of=b.in_arbitration
                            href=l.arbitrations
                            class="pf-arbitrations" label=Key::PfArbitrationsOverdue brand=b.name.clone()
                        />
                    </dd>
                </div>
                <div>
                    <dt>{move || tr(Key::PfExpiredThisWeek)}</dt>
                    <dd><Figure n=b.expired_this_week href=l.expired class="pf-expired" label=Key::PfExpiredThisWeek brand=b.name.clone()/></dd>
                </div>
            </dl>
            {manage}
        </li>
    }
}

/// A change an operator makes to a brand from its row.
#[derive(Clone)]
enum Change {
    /// Record (true) or remove the signed cooperation agreement; the programme stays as it is.
    Agreement(bool),
    /// Enrol, or reinstate a suspended brand (the conditions are checked again).
    Enrol,
    /// Suspend, with the reason the brand sees.
    Suspend(String),
    /// Assign or change the account manager (a user id).
    Manager(String),
}

/// What a change did, said where it was made ("Enrolled.", "Account manager assigned: Marco
/// Bianchi.").
#[derive(Clone)]
struct Done {
    key: Key,
    name: Option<String>,
}

/// Sends `change` for the brand as it stands now (`now`): the brand as the answer has it, and
/// what was done.
async fn send(now: &PortfolioBrand, change: Change) -> Result<(BrandView, Done), ApiError> {
    let brand = now.id.to_string();
    let programme = http::api(RouteId::AdminSetProgramme, &[&brand]);
    let body = |status: ProgrammeStatus, reason: Option<String>, agreement: Option<bool>| {
        ProgrammeRequest {
            status: status.as_str().to_owned(),
            reason,
            cooperation_agreement: agreement,
        }
    };
    let done = |key: Key| Done { key, name: None };
    match change {
        Change::Agreement(signed) => {
            // The same status again (a suspension with its reason): only the agreement changes.
            let request = body(
                now.programme_status,
                now.suspension_reason.clone(),
                Some(signed),
            );
            let key = if signed {
                Key::PfAgreementRecorded
            } else {
                Key::PfAgreementRemoved
            };
            Ok((http::post(&programme, &request).await?, done(key)))
        }
        Change::Enrol => {
            let key = if now.programme_status == ProgrammeStatus::Suspended {
                Key::PfReinstated
            } else {
                Key::PfEnrolled
            };
            let request = body(ProgrammeStatus::Enrolled, None, None);
            Ok((http::post(&programme, &request).await?, done(key)))
        }
        Change::Suspend(reason) => {
            let request = body(
                ProgrammeStatus::Suspended,
                Some(reason.trim().to_owned()),
                None,
            );
            Ok((
                http::post(&programme, &request).await?,
                done(Key::PfSuspended),
            ))
        }
        Change::Manager(manager_id) => {
            let path = http::api(RouteId::AdminAssignManager, &[&brand]);
            let view: BrandView = http::put(&path, &AssignManagerRequest { manager_id }).await?;
            let name = view
                .account_manager
                .as_ref()
                .map(|m| m.display_name.clone());
            Ok((
                view,
                Done {
                    key: Key::PfManagerAssigned,
                    name,
                },
            ))
        }
    }
}

/// An operator's controls for one brand behind "Manage" (`details.pf-manage`), built when first
/// opened: the card and the table each have theirs (`layout` keeps their ids apart).
#[component]
fn Manage(
    row: Memo<PortfolioBrand>,
    rows: RwSignal<Vec<PortfolioBrand>>,
    onboarding: Onboarding,
    layout: &'static str,
) -> impl IntoView {
    let opened = RwSignal::new(false);
    let name = row.with_untracked(|b| b.name.clone());
    view! {
        <details class="pf-manage">
            // A click is also what the keyboard's Enter or Space on a summary sends.
            <summary class="pf-manage-toggle" on:click=move |_| opened.set(true)>
                {move || tr(Key::PfManage)}
                // Which brand, for a screen reader: the name as data, not inside an aria-label.
                <span class="visually-hidden">" " {data(name)}</span>
            </summary>
            <Show when=move || opened.get()>
                <ManageForms row rows onboarding layout/>
            </Show>
        </details>
    }
}

/// The shop and the agreement, the programme (enrol; suspend with a reason; reinstate) and the
/// account manager. One change at a time; its result shows here (`.pf-done`, or the refusal
/// with its reason) and the row is updated from the answer.
#[component]
fn ManageForms(
    row: Memo<PortfolioBrand>,
    rows: RwSignal<Vec<PortfolioBrand>>,
    onboarding: Onboarding,
    layout: &'static str,
) -> impl IntoView {
    let id: BrandId = row.with_untracked(|b| b.id);
    let field = move |what: &str| format!("pf-{layout}-{id}-{what}");
    let reason = RwSignal::new(String::new());
    let chosen = RwSignal::new(row.with_untracked(|b| {
        b.account_manager_id
            .map(|m| m.to_string())
            .unwrap_or_default()
    }));
    let action = Action::new_local(move |change: &Change| {
        let change = change.clone();
        let now = row.get_untracked();
        async move {
            let suspending = matches!(change, Change::Suspend(_));
            let (view, done) = send(&now, change).await?;
            rows.try_update(|rows| {
                if let Some(b) = rows.iter_mut().find(|b| b.id == view.id) {
                    b.apply(&view);
                }
            });
            if suspending {
                reason.try_set(String::new());
            }
            // The staff's brand list shows the programme and the manager too.
            onboarding.brands.refetch();
            Ok::<_, ApiError>(done)
        }
    });
    let pending = action.pending();
    let change = move |c: Change| {
        if !pending.get_untracked() {
            action.dispatch(c);
        }
    };
    let done = move || {
        if pending.get() {
            return None;
        }
        action.value().get().and_then(Result::ok)
    };
    let agreed = Memo::new(move |_| row.with(|b| b.cooperation_agreement));
    let status = Memo::new(move |_| row.with(|b| b.programme_status));
    let programme = move || match status.get() {
        ProgrammeStatus::Applied => {
            let hint = field("enrol-hint");
            view! {
                <div class="pf-part">
                    <p class="hint" id=hint.clone()>{move || tr(Key::PfEnrolHint)}</p>
                    <button
                        type="button"
                        class="btn btn-primary pf-enrol"
                        aria-describedby=hint
                        disabled=move || pending.get()
                        on:click=move |_| change(Change::Enrol)
                    >
                        {move || tr(Key::PfEnrol)}
                    </button>
                </div>
            }
            .into_any()
        }
        ProgrammeStatus::Suspended => {
            let why = move || row.with(|b| b.suspension_reason.clone().unwrap_or_default());
            view! {
                <div class="pf-part">
                    <p class="pf-suspension">
                        {move || tpl_into(Key::PfSuspendedBecause, vec![Arg::Data(why())], "")}
                    </p>
                    <button
                        type="button"
                        class="btn btn-primary pf-reinstate"
                        disabled=move || pending.get()
                        on:click=move |_| change(Change::Enrol)
                    >
                        {move || tr(Key::PfReinstate)}
                    </button>
                </div>
            }
            .into_any()
        }
        ProgrammeStatus::Enrolled => {
            let input = field("reason");
            let hint = field("reason-hint");
            let suspend = move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                change(Change::Suspend(reason.get_untracked()));
            };
            view! {
                <form class="form pf-part pf-suspend-form" on:submit=suspend>
                    <div class="field">
                        <label for=input.clone()>{move || tr(Key::PfSuspendReason)}</label>
                        <input
                            class="input pf-suspend-reason"
                            id=input
                            name="reason"
                            type="text"
                            autocomplete="off"
                            maxlength="1000"
                            required
                            aria-describedby=hint.clone()
                            bind:value=reason
                        />
                        <p class="hint" id=hint>{move || tr(Key::PfSuspendHint)}</p>
                    </div>
                    <button
                        type="submit"
                        class="btn btn-danger-quiet pf-suspend"
                        disabled=move || pending.get()
                    >
                        {move || tr(Key::PfSuspend)}
                    </button>
                </form>
            }
            .into_any()
        }
    };
    let managers = move |list: UserList| {
        let managers: Vec<_> = list
            .users
            .into_iter()
            .filter(|u| u.staff_role == Some(StaffRole::AccountManager) && !u.disabled)
            .collect();
        if managers.is_empty() {
            return view! { <p class="hint pf-no-managers">{move || tr(Key::PfNoManagers)}</p> }
                .into_any();
        }
        let options = managers
            .into_iter()
            .map(|u| {
                let value = u.id.to_string();
                let mine = value.clone();
                view! {
                    <option
                        value=value
                        translate="no"
                        prop:selected=move || chosen.with(|c| *c == mine)
                    >
                        {u.display_name}
                    </option>
                }
            })
            .collect_view();
        let select = field("manager");
        let assign = move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let manager = chosen.get_untracked();
            if !manager.is_empty() {
                change(Change::Manager(manager));
            }
        };
        let has_manager = move || row.with(|b| b.account_manager_id.is_some());
        view! {
            <form class="form pf-part pf-manager-form" on:submit=assign>
                <div class="field">
                    <label for=select.clone()>{move || tr(Key::AccountManager)}</label>
                    <select
                        class="select pf-manager-select"
                        id=select
                        name="manager_id"
                        required
                        on:change=move |ev| chosen.set(event_target_value(&ev))
                    >
                        <option value="" prop:selected=move || chosen.with(String::is_empty)>
                            {move || tr(Key::PfChooseManager)}
                        </option>
                        {options}
                    </select>
                </div>
                <button
                    type="submit"
                    class="btn btn-secondary pf-manager-save"
                    disabled=move || pending.get()
                >
                    {move || {
                        tr(if has_manager() { Key::PfChangeManager } else { Key::PfAssignManager })
                    }}
                </button>
            </form>
        }
        .into_any()
    };
    view! {
        <div class="pf-manage-body">
            <div class="pf-part">
                <p class="pf-shop">
                    {move || {
                        tr(
                            if row.with(|b| b.has_official_shop) {
                                Key::PfShopVerified
                            } else {
                                Key::PfShopNone
                            },
                        )
                    }}
                </p>
                <p class="pf-agreement">
                    {move || tr(if agreed.get() { Key::PfAgreementSigned } else { Key::PfAgreementNone })}
                </p>
                <button
                    type="button"
                    class=move || {
                        if agreed.get() {
                            "btn btn-secondary pf-remove-agreement"
                        } else {
                            "btn btn-secondary pf-record-agreement"
                        }
                    }
                    disabled=move || pending.get()
                    on:click=move |_| change(Change::Agreement(!agreed.get_untracked()))
                >
                    {move || {
                        tr(if agreed.get() { Key::PfRemoveAgreement } else { Key::PfRecordAgreement })
                    }}
                </button>
            </div>
            {programme}
            {part(onboarding.users, managers)}
            <div class="pf-result">
                {move || {
                    done()
                        .map(|d| {
                            view! {
                                <p class="success pf-done" role="status">
                                    {tpl_into(d.key, d.name.into_iter().map(Arg::Data).collect(), "")}
                                </p>
                            }
                        })
                }}
            </div>
            <ErrorSlot err=error_of(action)/>
        </div>
    }
}
