//! `/staff`: the marketplace side. Account managers see the work waiting on the brands they look
//! after — reports under review, IP rights to verify, failed takedowns, expired flags — and the
//! brands; operators see every brand and user, create brands, and handle dead letters and dead
//! actions.

use crate::components::{
    act, act_error, staff_key, text, Arg, Call, Decision, ErrorSlot, ErrorText, Load, Loading,
    Outcome, PageHeader, Problem, RoleBadge, StatusBadge, Tpl,
};
use crate::http::{self, ApiError, Payload};
use crate::i18n::{use_tr, Key};
use crate::pages::brand::initial;
use crate::pages::cases::CaseRow;
use crate::pages::rights::{right_badge, RightReview, RightText};
use crate::state::use_app;
use jf_core::api::{
    ActionList, BrandList, BrandSummary, CaseCommand, CaseQueue, CaseSummary, CreateBrandRequest,
    DeadLetters, PendingRights, UserList, UserView,
};
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
            <StaffOnly />
        }
        .into_any(),
        Some(role) => view! { <StaffHome role=role /> }.into_any(),
    }
}

/// What a staff page shows anyone else (`#staff-only`).
#[component]
pub fn StaffOnly() -> impl IntoView {
    let tr = use_tr();
    view! {
        <section class="card empty-state" id="staff-only">
            <p>{tr.s(Key::StaffOnly)}</p>
            <a class="btn btn-secondary" href="/">{tr.s(Key::BackHome)}</a>
        </section>
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
            <CaseQueueSection id="review-queue" title=Key::ReviewQueue path="/api/v1/manager/review-queue" mode=Mode::Review />
            <CaseQueueSection id="arbitration-queue" title=Key::ArbitrationQueue path="/api/v1/manager/arbitration" mode=Mode::Arbitration hint=Key::ArbitrationQueueHint />
            <RightsQueue />
            <CaseQueueSection id="failed-takedowns" title=Key::FailedTakedowns path="/api/v1/manager/failed-takedowns" mode=Mode::Failed />
            <CaseQueueSection id="expired-flags" title=Key::ExpiredFlags path="/api/v1/manager/expired" mode=Mode::Expired />
            {operator.then(|| view! { <DeadLetterList /> <DeadActionList /> })}
            <section class="card" aria-labelledby="brands-heading">
                <h2 id="brands-heading">{tr.s(Key::Brands)}</h2>
                <Load res=brands show=Callback::new(move |result| match http::decode::<BrandList>(result) {
                                Ok(list) => view! { <BrandRows list=list.brands /> }.into_any(),
                                Err(err) => view! { <ErrorText err=err /> }.into_any(),
                            }) />
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
                                        <a class="row-link staff-brand-name" href=href translate="no">{b.name}</a>
                                    </p>
                                    <p class="row-sub mono" translate="no">{b.brand_ref}</p>
                                </div>
                            </div>
                            <div class="row-meta">
                                <StatusBadge status=b.programme_status />
                                <span class="muted small">
                                    {match manager {
                                        Some(name) => view! { <Tpl key=Key::ManagedBy args=vec![Arg::Data(name)] /> }.into_any(),
                                        None => tr.s(Key::NoAccountManager).into_any(),
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
            <Load res=users show=Callback::new(move |result| match http::decode::<UserList>(result) {
                            Ok(list) => view! { <UserRows list=list.users /> }.into_any(),
                            Err(err) => view! { <ErrorText err=err /> }.into_any(),
                        }) />
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
                                    <p class="row-title" translate="no">{u.display_name}</p>
                                    <p class="row-sub" translate="no">{u.email}</p>
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

/// A section's heading with the number of items once known.
fn queue_heading(id: String, title: Key, count: Signal<Option<usize>>) -> impl IntoView {
    let tr = use_tr();
    view! {
        <h2 id=id>
            {tr.s(title)} " "
            {move || count.get().map(|n| view! { <span class="count queue-count">{n}</span> })}
        </h2>
    }
}

/// A section of a staff list: loading, the error, "nothing here", or the rows.
fn listing<T: Clone + Send + Sync + 'static, V: IntoView + 'static>(
    list: Memo<Option<Result<Vec<T>, ApiError>>>,
    row: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let tr = use_tr();
    move || match list.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Err(err)) => view! { <ErrorText err=err /> }.into_any(),
        Some(Ok(items)) if items.is_empty() => {
            view! { <p class="muted queue-empty">{tr.s(Key::NothingHere)}</p> }.into_any()
        }
        Some(Ok(items)) => {
            let row = row.clone();
            view! { <ul class="rows">{items.into_iter().map(row).collect_view()}</ul> }.into_any()
        }
    }
}

fn count_of<T: Send + Sync + 'static>(
    list: Memo<Option<Result<Vec<T>, ApiError>>>,
) -> Signal<Option<usize>> {
    Signal::derive(move || list.with(|l| l.as_ref().and_then(|r| r.as_ref().ok()).map(Vec::len)))
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Review,
    Failed,
    Expired,
    /// Escalated appeals: decided on the case file, which each row links to.
    Arbitration,
}

#[component]
fn CaseQueueSection(
    id: &'static str,
    title: Key,
    path: &'static str,
    mode: Mode,
    #[prop(optional)] hint: Option<Key>,
) -> impl IntoView {
    let tr = use_tr();
    let res = http::resource(Signal::derive(move || path.to_owned()));
    let list = Memo::new(move |_| {
        res.get()
            .map(|b| http::decode::<CaseQueue>(b).map(|q| q.cases))
    });
    let heading = format!("{id}-heading");
    view! {
        <section class="card" id=id aria-labelledby=heading.clone()>
            {queue_heading(heading.clone(), title, count_of(list))}
            {listing(list, move |c: CaseSummary| {
                let actions = matches!(mode, Mode::Review | Mode::Failed).then(|| view! { <StaffCaseActions case=c.clone() mode=mode res=res /> });
                view! {
                    <CaseRow case=c show_brand=true>
                        {actions}
                    </CaseRow>
                }
            })}
            {hint.map(|k| view! { <p class="hint">{tr.s(k)}</p> })}
        </section>
    }
}

/// Approve / decline (with a reason the brand sees) a report under review, or retry a failed
/// takedown (`.approve-case`, `.decline-case`, `.decline-reason`, `.retry-takedown`).
#[component]
fn StaffCaseActions(
    case: CaseSummary,
    mode: Mode,
    res: LocalResource<http::Body>,
) -> impl IntoView {
    let tr = use_tr();
    let reason = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<(Key, String)>);
    let (brand, id) = (case.brand_id, case.id);
    let action = act();
    let pending = action.pending();
    let send = move |command: CaseCommand| {
        let mut d = Decision::new(brand, id, command);
        d.text = reason.get_untracked();
        if command == CaseCommand::Decline && d.text.trim().is_empty() {
            problem.set(Some((Key::ReasonRequired, String::new())));
            return;
        }
        problem.set(None);
        action.dispatch(d.call().then(move |_| res.refetch()));
    };
    let buttons = if mode == Mode::Failed {
        view! {
            <button type="button" class="btn btn-primary retry-takedown" disabled=pending on:click=move |_| send(CaseCommand::RetryTakedown)>
                {tr.s(Key::ActRetry)}
            </button>
        }
        .into_any()
    } else {
        let input_id = format!("decline-reason-{id}");
        view! {
            <label class="visually-hidden" for=input_id.clone()>{tr.s(Key::DeclineReason)}</label>
            <input
                id=input_id
                class="input decline-reason"
                type="text"
                autocomplete="off"
                maxlength="2000"
                placeholder=tr.s(Key::DeclineReason)
                bind:value=reason
            />
            <button type="button" class="btn btn-primary approve-case" disabled=pending on:click=move |_| send(CaseCommand::Approve)>
                {tr.s(Key::ActApprove)}
            </button>
            <button type="button" class="btn btn-danger-quiet decline-case" disabled=pending on:click=move |_| send(CaseCommand::Decline)>
                {tr.s(Key::ActDecline)}
            </button>
        }
        .into_any()
    };
    view! {
        {buttons}
        <Problem problem=problem />
        <ErrorSlot err=act_error(action) />
    }
}

#[component]
fn RightsQueue() -> impl IntoView {
    let tr = use_tr();
    let res = http::resource(Signal::derive(|| "/api/v1/manager/ip-rights".to_owned()));
    let list = Memo::new(move |_| {
        res.get()
            .map(|b| http::decode::<PendingRights>(b).map(|p| p.rights))
    });
    view! {
        <section class="card" id="pending-rights" aria-labelledby="pending-rights-heading">
            {queue_heading("pending-rights-heading".to_owned(), Key::RightsToVerify, count_of(list))}
            {listing(list, move |p: jf_core::api::PendingRight| {
                let href = format!("/brands/{}/rights", p.brand_id);
                let (brand, right) = (p.brand_id, p.right.id);
                let status = p.right.status.clone();
                let usable = p.right.usable;
                view! {
                    <li class="row right-row pending-right" data-right-id=right.to_string()>
                        <div class="row-text">
                            <p class="row-sub"><a class="row-link case-brand" href=href translate="no">{p.brand_name}</a></p>
                            <RightText right=p.right />
                        </div>
                        <div class="row-meta">{right_badge(status, usable)}</div>
                        <RightReview brand=brand right=right list=res />
                    </li>
                }
            })}
            <p class="hint">{tr.s(Key::RightsToVerifyHint)}</p>
        </section>
    }
}

/// A retry that needs no body (`class` names it for tests); `res` is fetched again after.
#[component]
fn RetryButton(path: String, class: &'static str, res: LocalResource<http::Body>) -> impl IntoView {
    let tr = use_tr();
    let retry = act();
    let pending = retry.pending();
    view! {
        <div class="row-actions">
            <button type="button" class=format!("btn btn-secondary {class}") disabled=pending on:click=move |_| {
                retry.dispatch(Call::new(path.clone(), Payload::Empty).then(move |_| res.refetch()));
            }>
                {tr.pick(move || if pending.get() { Key::Working } else { Key::Retry })}
            </button>
            <ErrorSlot err=act_error(retry) />
        </div>
    }
}

#[component]
fn DeadLetterList() -> impl IntoView {
    let tr = use_tr();
    let res = http::resource(Signal::derive(|| "/api/v1/admin/dead-letters".to_owned()));
    let list = Memo::new(move |_| {
        res.get()
            .map(|b| http::decode::<DeadLetters>(b).map(|d| d.letters))
    });
    view! {
        <section class="card" id="dead-letters" aria-labelledby="dead-letters-heading">
            {queue_heading("dead-letters-heading".to_owned(), Key::DeadLetters, count_of(list))}
            <p class="muted">{tr.s(Key::DeadLettersLead)}</p>
            {listing(list, move |l: jf_core::api::DeadLetter| {
                let path = format!("/api/v1/admin/dead-letters/{}/retry", http::segment(&l.webhook_id));
                let webhook_id = l.webhook_id.clone();
                view! {
                    <li class="row dead-letter" data-webhook-id=webhook_id>
                        <div class="row-text">
                            <p class="row-title mono dead-kind" translate="no">{l.kind}</p>
                            <p class="row-sub dead-reason" translate="no">{l.reason}</p>
                            <p class="row-sub small">{tr.dated(Key::ReceivedOn, l.received_at, true)} " · " <span class="mono" translate="no">{l.webhook_id}</span></p>
                            <details class="raw">
                                <summary>{tr.s(Key::RawEvent)}</summary>
                                <pre class="code" translate="no">{l.body}</pre>
                            </details>
                        </div>
                        <RetryButton path=path class="retry-dead-letter" res=res />
                    </li>
                }
            })}
        </section>
    }
}

#[component]
fn DeadActionList() -> impl IntoView {
    let tr = use_tr();
    let res = http::resource(Signal::derive(|| "/api/v1/admin/dead-actions".to_owned()));
    let list = Memo::new(move |_| {
        res.get()
            .map(|b| http::decode::<ActionList>(b).map(|a| a.actions))
    });
    view! {
        <section class="card" id="dead-actions" aria-labelledby="dead-actions-heading">
            {queue_heading("dead-actions-heading".to_owned(), Key::DeadActions, count_of(list))}
            <p class="muted">{tr.s(Key::DeadActionsLead)}</p>
            {listing(list, move |a: jf_core::api::ActionView| {
                let path = format!("/api/v1/admin/dead-actions/{}/retry", a.id);
                let attempts = a.attempts.to_string();
                view! {
                    <li class="row dead-action" data-action-id=a.id.to_string()>
                        <div class="row-text">
                            <p class="row-title mono dead-kind" translate="no">{a.kind}</p>
                            {a.last_error.map(|e| view! { <p class="row-sub dead-reason" translate="no">{e}</p> })}
                            <p class="row-sub small">
                                {tr.fs(Key::Attempts, vec![attempts])} " · "
                                {tr.dated(Key::CreatedOn, a.created_at, true)}
                                {a.case_id.map(|c| view! { " · " <span class="mono" translate="no">{c.to_string()}</span> })}
                            </p>
                        </div>
                        <RetryButton path=path class="retry-dead-action" res=res />
                    </li>
                }
            })}
        </section>
    }
}
