//! The staff desk's queues: cases waiting on staff (with what staff do to them in the row), IP
//! rights to verify (their pieces shared with the brand's rights page), and, for operators, dead
//! letters and dead actions to retry.

use crate::components::{error_of, part, tpl_into, Arg, Decision, ErrorSlot, ErrorText, KeyError};
use crate::http::{self, ApiError, Ignored};
use crate::i18n::{dated, tr, trf, Key};
use crate::pages::cases::CaseRow;
use crate::pages::rights::{RightBadge, RightReview, RightText};
use jf_core::api::{
    ActionList, ActionView, CaseCommand, CaseQueue, CaseSummary, DeadLetter, DeadLetterRetried,
    DeadLetters, PendingRight, PendingRights, ReasonRequest,
};
use jf_core::ids::{BrandId, CaseId};
use jf_core::routes::RouteId;
use leptos::prelude::*;
use serde::de::DeserializeOwned;

/// A queue's items, fetched from `route` (which takes no parameter) and picked from its answer.
type Items<I> = LocalResource<Result<Vec<I>, ApiError>>;

fn fetch<T, I>(route: RouteId, items: fn(T) -> Vec<I>) -> Items<I>
where
    T: DeserializeOwned + 'static,
    I: 'static,
{
    LocalResource::new(
        move || async move { http::get::<T>(&http::api(route, &[])).await.map(items) },
    )
}

/// A staff list in its card (`#id`): the heading with the number of items once known, an
/// optional lead, the items as rows (or "nothing here"), an optional hint.
#[component]
fn Queue<I, R>(
    id: &'static str,
    title: Key,
    #[prop(default = None, into)] lead: Option<Key>,
    #[prop(default = None, into)] hint: Option<Key>,
    list: Items<I>,
    /// One item's row.
    row: R,
    /// Under the heading: what the card says about the last thing done in it.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView
where
    I: Clone + Send + Sync + 'static,
    R: Fn(I) -> AnyView + Send + Sync + 'static,
{
    let heading = format!("{id}-heading");
    // Kept while the list is fetched again, and after a failed fetch.
    let count = Memo::new(move |before: Option<&Option<usize>>| {
        list.map(|answer| answer.as_ref().ok().map(Vec::len))
            .flatten()
            .or(before.copied().flatten())
    });
    let rows = move |items: Vec<I>| {
        if items.is_empty() {
            return view! {
                <p class="muted queue-empty">{move || tr(Key::NothingHere)}</p>
            }
            .into_any();
        }
        view! { <ul class="rows">{items.into_iter().map(&row).collect_view()}</ul> }.into_any()
    };
    view! {
        <section class="card" id=id aria-labelledby=heading>
            <h2 id=heading.clone()>
                {move || tr(title)}
                " "
                {move || {
                    count.get().map(|n| view! { <span class="count queue-count">{n}</span> })
                }}
            </h2>
            {lead.map(|k| view! { <p class="muted">{move || tr(k)}</p> })}
            {children.map(|c| c())}
            {part(list, rows)}
            {hint.map(|k| view! { <p class="hint">{move || tr(k)}</p> })}
        </section>
    }
}

#[derive(Clone, Copy, PartialEq)]
pub(super) enum Mode {
    Review,
    Failed,
    Expired,
    /// Escalated appeals: decided on the case file, which each row links to.
    Arbitration,
}

/// Cases waiting on staff (`route`: a queue of `CaseQueue`); reports under review and failed
/// takedowns are acted on in their rows.
#[component]
pub(super) fn CaseQueueCard(
    id: &'static str,
    title: Key,
    route: RouteId,
    mode: Mode,
    #[prop(default = None, into)] hint: Option<Key>,
) -> impl IntoView {
    let list = fetch(route, |q: CaseQueue| q.cases);
    let row = move |case: CaseSummary| {
        if !matches!(mode, Mode::Review | Mode::Failed) {
            return view! { <CaseRow case show_brand=true/> }.into_any();
        }
        let (brand, id) = (case.brand_id, case.id);
        view! {
            <CaseRow case show_brand=true>
                <CaseActions brand case=id mode on_done=move || list.refetch()/>
            </CaseRow>
        }
        .into_any()
    };
    view! { <Queue id title hint list row/> }
}

/// Approve / decline (with a reason the brand sees) a report under review, or retry a failed
/// takedown (`.approve-case`, `.decline-case`, `.decline-reason`, `.retry-takedown`);
/// `on_done` after a success (the queue is fetched again).
#[component]
fn CaseActions(
    brand: BrandId,
    case: CaseId,
    mode: Mode,
    #[prop(into)] on_done: Callback<()>,
) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Key>);
    let decide = Action::new_local(move |decision: &Decision| {
        let decision = decision.clone();
        async move {
            let done = decision.send().await.map(|_| ());
            if done.is_ok() {
                on_done.try_run(());
            }
            done
        }
    });
    let pending = decide.pending();
    let send = move |command: CaseCommand| {
        let mut decision = Decision::new(brand, case, command);
        decision.text = reason.get_untracked();
        if command == CaseCommand::Decline && decision.text.trim().is_empty() {
            problem.set(Some(Key::ReasonRequired));
            return;
        }
        problem.set(None);
        if !pending.get_untracked() {
            decide.dispatch(decision);
        }
    };
    let buttons = if mode == Mode::Failed {
        view! {
            <RowButton
                class="btn btn-primary retry-takedown"
                key=Key::ActRetry
                pending
                on_click=move || send(CaseCommand::RetryTakedown)
            />
        }
        .into_any()
    } else {
        let input_id = format!("decline-reason-{case}");
        view! {
            <label class="visually-hidden" for=input_id.clone()>
                {move || tr(Key::DeclineReason)}
            </label>
            <input
                class="input decline-reason"
                id=input_id
                type="text"
                autocomplete="off"
                maxlength="2000"
                placeholder=move || tr(Key::DeclineReason)
                bind:value=reason
            />
            <RowButton
                class="btn btn-primary approve-case"
                key=Key::ActApprove
                pending
                on_click=move || send(CaseCommand::Approve)
            />
            <RowButton
                class="btn btn-danger-quiet decline-case"
                key=Key::ActDecline
                pending
                on_click=move || send(CaseCommand::Decline)
            />
        }
        .into_any()
    };
    view! {
        <div class="row-actions">
            {buttons}
            <ProblemSlot problem error=error_of(decide)/>
        </div>
    }
}

/// A button of a row's actions, disabled while its request is under way.
#[component]
fn RowButton<F>(class: &'static str, key: Key, pending: Memo<bool>, on_click: F) -> impl IntoView
where
    F: Fn() + 'static,
{
    view! {
        <button type="button" class=class disabled=move || pending.get() on:click=move |_| on_click()>
            {move || tr(key)}
        </button>
    }
}

/// A problem found before asking (a key) or the server's refusal, in one slot.
#[component]
fn ProblemSlot(
    problem: RwSignal<Option<Key>>,
    #[prop(into)] error: Signal<Option<ApiError>>,
) -> impl IntoView {
    view! {
        <div class="error-slot">
            {move || problem.get().map(|key| view! { <KeyError key/> })}
            {move || error.get().map(|err| view! { <ErrorText err/> })}
        </div>
    }
}

/// IP rights waiting for verification, each with the brand it belongs to.
#[component]
pub(super) fn RightsQueue() -> impl IntoView {
    let list = fetch(RouteId::PendingRights, |r: PendingRights| r.rights);
    let row = move |pending: PendingRight| {
        view! { <PendingRightRow pending done=Callback::new(move |()| list.refetch())/> }.into_any()
    };
    view! {
        <Queue id="pending-rights" title=Key::RightsToVerify hint=Key::RightsToVerifyHint list row/>
    }
}

#[component]
fn PendingRightRow(pending: PendingRight, done: Callback<()>) -> impl IntoView {
    let PendingRight {
        brand_id,
        brand_name,
        right,
    } = pending;
    let id = right.id.to_string();
    view! {
        <li class="row right-row pending-right" data-right-id=id>
            <div class="row-text">
                <p class="row-sub">
                    <a
                        class="row-link case-brand"
                        href=format!("/brands/{brand_id}/rights")
                        translate="no"
                    >
                        {brand_name}
                    </a>
                </p>
                <RightText right=right.clone()/>
            </div>
            <div class="row-meta">
                <RightBadge status=right.status usable=right.usable/>
            </div>
            <RightReview brand=brand_id.to_string() right=id.clone() done/>
        </li>
    }
}

/// A retry that needs no body (`class` names it for tests); `on_done` after a success (the list
/// is fetched again).
#[component]
fn RetryButton(
    path: String,
    class: &'static str,
    #[prop(into)] on_done: Callback<()>,
) -> impl IntoView {
    let retry = Action::new_local(move |_: &()| {
        let path = path.clone();
        async move {
            let done = http::post_empty::<Ignored>(&path).await.map(|_| ());
            if done.is_ok() {
                on_done.try_run(());
            }
            done
        }
    });
    let pending = retry.pending();
    view! {
        <div class="row-actions">
            <button
                type="button"
                class=format!("btn btn-secondary {class}")
                disabled=move || pending.get()
                on:click=move |_| {
                    if !pending.get_untracked() {
                        retry.dispatch(());
                    }
                }
            >
                {move || tr(if pending.get() { Key::Working } else { Key::Retry })}
            </button>
            <ErrorSlot err=error_of(retry)/>
        </div>
    }
}

/// Marketplace events that could not be applied, with the reason and the raw event; each is
/// retried (its result shown on its row) or discarded with a reason (it leaves the list, and the
/// card says so in `#dead-letter-status`).
#[component]
pub(super) fn DeadLetters() -> impl IntoView {
    let list = fetch(RouteId::DeadLetters, |d: DeadLetters| d.letters);
    let discarded = RwSignal::new(None::<String>);
    let row = move |letter: DeadLetter| {
        let on_discarded = Callback::new(move |id: String| {
            discarded.set(Some(id));
            list.refetch();
        });
        view! { <DeadLetterRow letter on_discarded/> }.into_any()
    };
    view! {
        <Queue id="dead-letters" title=Key::DeadLetters lead=Key::DeadLettersLead list row>
            <div role="status" id="dead-letter-status">
                {move || {
                    discarded
                        .get()
                        .map(|id| {
                            view! {
                                <p class="success">
                                    {tpl_into(Key::DiscardedLetter, vec![Arg::Data(id)], "mono")}
                                </p>
                            }
                        })
                }}
            </div>
        </Queue>
    }
}

/// One dead letter (`.dead-letter[data-webhook-id]`): `.retry-dead-letter` answers on the row
/// (`.retry-outcome`: applied, stored, or still dead and why); `.discard-dead-letter` opens the
/// reason (`.discard-reason`, required) and `.confirm-discard`.
#[component]
fn DeadLetterRow(letter: DeadLetter, on_discarded: Callback<String>) -> impl IntoView {
    let DeadLetter {
        webhook_id,
        kind,
        reason,
        received_at,
        body,
    } = letter;
    let id = StoredValue::new(webhook_id.clone());
    // The reason shown: the list's, or the one a retry just gave.
    let dead_reason = RwSignal::new(reason);
    let retry = Action::new_local(move |_: &()| {
        let path = http::api(RouteId::RetryDeadLetter, &[&id.get_value()]);
        async move {
            let answer = http::post_empty::<DeadLetterRetried>(&path).await;
            if let Ok(DeadLetterRetried {
                reason: Some(why), ..
            }) = &answer
            {
                dead_reason.set(why.clone());
            }
            answer
        }
    });
    let retrying = retry.pending();
    // Once applied (or stored for the cron) it is no longer a dead letter: nothing more to do.
    let settled = move || {
        retry
            .value()
            .get()
            .and_then(Result::ok)
            .is_some_and(|r| r.state != "dead")
    };
    let outcome = move || {
        let answer = retry.value().get()?.ok()?;
        let words = match answer.state.as_str() {
            "applied" => view! { {move || tr(Key::RetriedApplied)} }.into_any(),
            "stored" => view! { {move || tr(Key::RetriedStored)} }.into_any(),
            _ => {
                let why = answer.reason.unwrap_or_default();
                tpl_into(Key::RetriedStillDead, vec![Arg::Data(why)], "").into_any()
            }
        };
        let class = if answer.state == "dead" {
            "retry-outcome error"
        } else {
            "retry-outcome success"
        };
        Some(view! { <p class=class data-state=answer.state>{words}</p> })
    };
    let discarding = RwSignal::new(false);
    let input_id = format!("discard-reason-{webhook_id}");
    view! {
        <li class="row dead-letter" data-webhook-id=webhook_id.clone()>
            <div class="row-text">
                <p class="row-title mono dead-kind" translate="no">{kind}</p>
                <p class="row-sub dead-reason" translate="no">{move || dead_reason.get()}</p>
                <p class="row-sub small">
                    {move || dated(Key::ReceivedOn, received_at, true)}
                    " · "
                    <span class="mono" translate="no">{webhook_id.clone()}</span>
                </p>
                <details class="raw">
                    <summary>{move || tr(Key::RawEvent)}</summary>
                    <pre class="code" tabindex="0" translate="no">{body}</pre>
                </details>
                // The retry's result, where it was asked for.
                <div role="status">{outcome}</div>
            </div>
            {move || {
                if settled() {
                    return ().into_any();
                }
                if discarding.get() {
                    return view! {
                        <DiscardForm
                            id=id.get_value()
                            input_id=input_id.clone()
                            on_cancel=move || discarding.set(false)
                            on_discarded
                        />
                    }
                        .into_any();
                }
                view! {
                    <div class="row-actions">
                        <button
                            type="button"
                            class="btn btn-secondary retry-dead-letter"
                            disabled=move || retrying.get()
                            on:click=move |_| {
                                if !retrying.get_untracked() {
                                    retry.dispatch(());
                                }
                            }
                        >
                            {move || tr(if retrying.get() { Key::Working } else { Key::Retry })}
                        </button>
                        <button
                            type="button"
                            class="btn btn-danger-quiet discard-dead-letter"
                            disabled=move || retrying.get()
                            on:click=move |_| discarding.set(true)
                        >
                            {move || tr(Key::Discard)}
                        </button>
                        <ErrorSlot err=error_of(retry)/>
                    </div>
                }
                    .into_any()
            }}
        </li>
    }
}

/// Discarding a dead letter: the reason (required; the audit log keeps it), then `.confirm-discard`
/// or `.cancel-discard`.
#[component]
fn DiscardForm<F>(
    id: String,
    input_id: String,
    on_cancel: F,
    on_discarded: Callback<String>,
) -> impl IntoView
where
    F: Fn() + Copy + 'static,
{
    let reason = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Key>);
    let id = StoredValue::new(id);
    let discard = Action::new_local(move |reason: &String| {
        let path = http::api(RouteId::DiscardDeadLetter, &[&id.get_value()]);
        let body = ReasonRequest {
            reason: reason.clone(),
        };
        async move {
            let done = http::post::<_, Ignored>(&path, &body).await.map(|_| ());
            if done.is_ok() {
                on_discarded.run(id.get_value());
            }
            done
        }
    });
    let pending = discard.pending();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = reason.get_untracked();
        if text.trim().is_empty() {
            problem.set(Some(Key::ReasonRequired));
            return;
        }
        problem.set(None);
        if !pending.get_untracked() {
            discard.dispatch(text);
        }
    };
    let hint_id = format!("{input_id}-hint");
    let label_id = format!("{input_id}-label");
    let group_label = label_id.clone();
    let field_id = input_id.clone();
    view! {
        // The reason is checked here, said on the row rather than in the browser's own bubble.
        <form class="row-actions discard-form" novalidate on:submit=submit>
            <div class="confirm" role="group" aria-labelledby=group_label>
                <label id=label_id for=field_id>
                    {move || tr(Key::DiscardReason)}
                </label>
                <p class="hint" id=hint_id.clone()>{move || tr(Key::DiscardWhat)}</p>
                <input
                    class="input discard-reason"
                    id=input_id
                    type="text"
                    autocomplete="off"
                    enterkeyhint="done"
                    required
                    maxlength="1000"
                    aria-describedby=hint_id
                    aria-invalid=move || problem.get().map(|_| "true")
                    bind:value=reason
                />
                <ProblemSlot problem error=error_of(discard)/>
                <div class="confirm-actions">
                    <button
                        type="submit"
                        class="btn btn-danger confirm-discard"
                        disabled=move || pending.get()
                    >
                        {move || tr(if pending.get() { Key::Working } else { Key::ConfirmDiscard })}
                    </button>
                    <button
                        type="button"
                        class="btn btn-ghost cancel-discard"
                        on:click=move |_| on_cancel()
                    >
                        {move || tr(Key::Cancel)}
                    </button>
                </div>
            </div>
        </form>
    }
}

/// Actions the marketplace never accepted, with their last error.
#[component]
pub(super) fn DeadActions() -> impl IntoView {
    let list = fetch(RouteId::DeadActions, |a: ActionList| a.actions);
    let row = move |action: ActionView| {
        view! { <DeadActionRow action on_done=move || list.refetch()/> }.into_any()
    };
    view! {
        <Queue id="dead-actions" title=Key::DeadActions lead=Key::DeadActionsLead list row/>
    }
}

#[component]
fn DeadActionRow(action: ActionView, #[prop(into)] on_done: Callback<()>) -> impl IntoView {
    let id = action.id.to_string();
    let path = http::api(RouteId::RetryDeadAction, &[&id]);
    let attempts = action.attempts.to_string();
    let created = action.created_at;
    let case = action.case_id.map(|case| {
        view! {
            " · "
            <span class="mono" translate="no">{case.to_string()}</span>
        }
    });
    view! {
        <li class="row dead-action" data-action-id=id>
            <div class="row-text">
                <p class="row-title mono dead-kind" translate="no">{action.kind}</p>
                {action.last_error.map(|e| {
                    view! { <p class="row-sub dead-reason" translate="no">{e}</p> }
                })}
                <p class="row-sub small">
                    {move || trf(Key::Attempts, &[&attempts])}
                    " · "
                    {move || dated(Key::CreatedOn, created, true)}
                    {case}
                </p>
            </div>
            <RetryButton path class="retry-dead-action" on_done/>
        </li>
    }
}
