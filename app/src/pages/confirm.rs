//! `/brands/:brand_id/confirm`: the queue of flagged listings the brand confirms or rejects.

use crate::components::{
    can_decide, coded, every, percent_of, signal_key, CaseBadge, Due, ErrorText, Loading,
    OutOfProgramme, OverdueBadge, PageHeader, ReasonField, RightField, Thumb,
};
use crate::fmt;
use crate::http::{self, ApiError};
use crate::i18n::{lang, tr, trf, Key};
use jf_core::api::{
    BrandView, CaseList, CaseSummary, DecisionOutcome, DecisionsAnswer, DecisionsRequest,
    FlagDecision, FlagDecisionRequest,
};
use jf_core::ids::CaseId;
use jf_core::routes::RouteId;
use jf_core::types::ProgrammeStatus;
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent};

/// How often the queue is asked again, in milliseconds.
const POLL_MS: i32 = 15_000;

fn queue_path(brand: &str) -> String {
    format!(
        "{}?status=awaiting_brand&limit=100",
        http::api(RouteId::ListCases, &[brand])
    )
}

/// What one decision came to, for the results list.
#[derive(Clone)]
struct Outcome {
    case: CaseId,
    title: String,
    decision: FlagDecision,
    came: Came,
}

#[derive(Clone)]
enum Came {
    Decided,
    /// Someone else changed the case since the queue showed it: left as it is.
    Changed,
    /// The request failed (the same error for every case of it).
    Failed(ApiError),
}

/// What the answer of `cases/decisions` says of `case`.
fn came_of(answer: &Result<DecisionsAnswer, ApiError>, case: CaseId) -> Came {
    let answer = match answer {
        Ok(answer) => answer,
        Err(e) => return Came::Failed(e.clone()),
    };
    match answer.results.iter().find(|r| r.case_id == case) {
        Some(r) if r.outcome == DecisionOutcome::Decided => Came::Decided,
        Some(_) => Came::Changed,
        None => Came::Failed(ApiError::local(200, "bad_response")),
    }
}

/// The body of `cases/decisions`: each case as the version the queue showed; the right and
/// reason for confirmations, the note for rejections.
fn decisions_body(
    cases: &[(CaseId, i64)],
    decision: FlagDecision,
    right: &str,
    reason: &str,
    note: &str,
) -> DecisionsRequest {
    let confirm = decision == FlagDecision::Confirm;
    DecisionsRequest {
        decisions: cases
            .iter()
            .map(|&(case_id, version)| FlagDecisionRequest {
                case_id,
                version,
                decision,
                ip_right_id: confirm.then(|| right.to_owned()),
                reason_code: confirm.then(|| reason.to_owned()),
                note: (!confirm && !note.is_empty()).then(|| note.to_owned()),
            })
            .collect(),
    }
}

/// The title a case is shown under: its listing's id when the listing has no title.
fn title_of(case: &CaseSummary) -> String {
    if case.title.trim().is_empty() {
        case.listing_id.clone()
    } else {
        case.title.clone()
    }
}

/// The queue's state, shared by the cards, the batch bar and the keyboard.
#[derive(Clone, Copy)]
struct Queue {
    brand: StoredValue<String>,
    decides: bool,
    ids: Memo<Vec<CaseId>>,
    focused: RwSignal<Option<CaseId>>,
    /// The focused card: the one picked, or the first while that one is gone.
    focus: Memo<Option<CaseId>>,
    selected: RwSignal<Vec<CaseId>>,
    decide: Action<(Vec<CaseId>, FlagDecision), ()>,
    /// A batch is being sent.
    pending: Memo<bool>,
    /// The cases of the batch being sent.
    busy: Memo<Vec<CaseId>>,
    results: RwSignal<Vec<Outcome>>,
    right: RwSignal<String>,
    reason: RwSignal<String>,
    note: RwSignal<String>,
}

impl Queue {
    fn can_confirm(self) -> bool {
        self.right.with(|r| !r.is_empty())
    }

    fn is_busy(self, id: CaseId) -> bool {
        self.busy.with(|b| b.contains(&id))
    }

    /// Decides `ids`; the focus moves on to the next card still waiting.
    fn act(self, ids: Vec<CaseId>, decision: FlagDecision) {
        if ids.is_empty() || self.pending.get_untracked() {
            return;
        }
        if decision == FlagDecision::Confirm && !self.right.with_untracked(|r| !r.is_empty()) {
            return;
        }
        let all = self.ids.get_untracked();
        if let Some(f) = self.focus.get_untracked().filter(|f| ids.contains(f)) {
            let at = all.iter().position(|x| *x == f).unwrap_or(0);
            let next = all[at..]
                .iter()
                .chain(all[..at].iter().rev())
                .find(|x| !ids.contains(x))
                .copied();
            self.focused.set(next);
        }
        self.results.set(Vec::new());
        self.decide.dispatch((ids, decision));
    }

    /// Moves the focus `delta` cards on, and focuses that card in the page.
    fn step(self, delta: isize) {
        let all = self.ids.get_untracked();
        if all.is_empty() {
            return;
        }
        let at = self
            .focus
            .get_untracked()
            .and_then(|f| all.iter().position(|x| *x == f))
            .unwrap_or(0) as isize;
        let next = all[(at + delta).clamp(0, all.len() as isize - 1) as usize];
        self.focused.set(Some(next));
        let selector = format!("#queue [data-case-id=\"{next}\"]");
        if let Some(el) = document()
            .query_selector(&selector)
            .ok()
            .flatten()
            .and_then(|el| el.dyn_into::<HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    }
}

/// Whether a key press is typing (into a text field, a select or an editable element).
fn typing(ev: &KeyboardEvent) -> bool {
    let Some(el) = ev.target().and_then(|t| t.dyn_into::<HtmlElement>().ok()) else {
        return false;
    };
    match el.tag_name().as_str() {
        "TEXTAREA" | "SELECT" => true,
        "INPUT" => !matches!(
            el.get_attribute("type").as_deref(),
            Some("checkbox" | "radio" | "button" | "submit" | "reset" | "file")
        ),
        _ => el.is_content_editable(),
    }
}

/// The confirmation queue: listings the marketplace's detection flagged for the brand
/// (`awaiting_brand`), as cards to confirm (right and reason chosen once for the batch) or reject
/// as genuine, one at a time or many at once (one request, `cases/decisions`, whatever the
/// number: a case someone else changed meanwhile is left as it is and said so). New flags appear
/// by polling every 15 s. Keys: j / k move between cards, c confirms, r rejects.
#[component]
pub fn Confirm() -> impl IntoView {
    let brand = expect_context::<BrandView>();
    // Flags are opened as cases only for an enrolled brand; the queue is its to work.
    if brand.programme_status != ProgrammeStatus::Enrolled {
        return view! {
            <PageHeader
                title=move || tr(Key::ConfirmQueue)
                eyebrow=brand.name.clone()
                lead=move || tr(Key::ConfirmLead)
            />
            <OutOfProgramme brand/>
        }
        .into_any();
    }
    view! { <FlagQueue brand/> }.into_any()
}

/// The queue itself, of an enrolled brand.
#[component]
fn FlagQueue(brand: BrandView) -> impl IntoView {
    let brand_id = brand.id.to_string();
    let decides = can_decide(brand.viewer);

    // Asked now, again after a batch and every 15 s. The cards stay the same elements from one
    // answer to the next (keyed by case), so focus and selection survive.
    let path = queue_path(&brand_id);
    let cases = LocalResource::new(move || {
        let path = path.clone();
        async move { http::get::<CaseList>(&path).await }
    });
    every(POLL_MS, move || cases.refetch());

    let ids = Memo::new(move |_| {
        cases.with(|l| match l {
            Some(Ok(list)) => list.cases.iter().map(|c| c.id).collect(),
            _ => Vec::new(),
        })
    });
    let focused = RwSignal::new(None::<CaseId>);
    let focus = Memo::new(move |_| {
        let picked = focused.get();
        ids.with(|ids| {
            picked
                .filter(|p| ids.contains(p))
                .or_else(|| ids.first().copied())
        })
    });
    let selected = RwSignal::new(Vec::<CaseId>::new());
    let results = RwSignal::new(Vec::<Outcome>::new());
    let right = RwSignal::new(String::new());
    let reason = RwSignal::new("counterfeit".to_owned());
    let note = RwSignal::new(String::new());

    // One request for the batch; what each case came to is listed; then the queue is asked again.
    let decide_path = http::api(RouteId::DecideMany, &[&brand_id]);
    let decide = Action::new_local(move |(list, decision): &(Vec<CaseId>, FlagDecision)| {
        let (list, decision) = (list.clone(), *decision);
        let shown: Vec<(String, i64)> = list
            .iter()
            .map(|id| {
                cases.with_untracked(|l| {
                    l.as_ref()
                        .and_then(|r| r.as_ref().ok())
                        .and_then(|l| l.cases.iter().find(|c| c.id == *id))
                        .map_or_else(|| (id.to_string(), 0), |c| (title_of(c), c.version))
                })
            })
            .collect();
        let versions: Vec<(CaseId, i64)> =
            list.iter().zip(&shown).map(|(id, s)| (*id, s.1)).collect();
        let body = decisions_body(
            &versions,
            decision,
            &right.get_untracked(),
            &reason.get_untracked(),
            note.get_untracked().trim(),
        );
        let path = decide_path.clone();
        async move {
            let answer = http::post::<_, DecisionsAnswer>(&path, &body).await;
            let outcomes: Vec<Outcome> = list
                .iter()
                .zip(shown)
                .map(|(case, (title, _))| Outcome {
                    came: came_of(&answer, *case),
                    case: *case,
                    title,
                    decision,
                })
                .collect();
            selected.try_update(|s| s.retain(|x| !list.contains(x)));
            results.try_set(outcomes);
            cases.refetch();
        }
    });
    let input = decide.input();
    let busy = Memo::new(move |_| {
        input.with(|i| i.as_ref().map(|(ids, _)| ids.clone()).unwrap_or_default())
    });
    let q = Queue {
        brand: StoredValue::new(brand_id.clone()),
        decides,
        ids,
        focused,
        focus,
        selected,
        pending: decide.pending(),
        busy,
        decide,
        results,
        right,
        reason,
        note,
    };

    // Keys work anywhere in the window (the cards need not have the focus), not while typing.
    let keys = window_event_listener(ev::keydown, move |ev| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() || ev.default_prevented() || typing(&ev) {
            return;
        }
        let focused_one = || q.focus.get_untracked().into_iter().collect::<Vec<_>>();
        match ev.key().as_str() {
            "j" => q.step(1),
            "k" => q.step(-1),
            "c" if decides => q.act(focused_one(), FlagDecision::Confirm),
            "r" if decides => q.act(focused_one(), FlagDecision::Reject),
            _ => return,
        }
        ev.prevent_default();
    });
    on_cleanup(move || keys.remove());

    // Only whether there is anything: the batch bar is not rebuilt by every poll.
    let any = Memo::new(move |_| ids.with(|i| !i.is_empty()));
    // What the list is, but not its cases: loading, failed, empty or not.
    let state = Memo::new(move |_| {
        cases.with(|l| {
            l.as_ref()
                .map(|r| r.as_ref().map(|l| l.cases.is_empty()).map_err(Clone::clone))
        })
    });
    let count = move || ids.with(Vec::len).to_string();

    view! {
        <PageHeader
            title=move || tr(Key::ConfirmQueue)
            eyebrow=brand.name.clone()
            lead=move || tr(Key::ConfirmLead)
            aside=move || {
                view! {
                    <span class="count count-big" id="queue-count" aria-live="polite">
                        {count}
                    </span>
                }
            }
        />
        <div>{move || (decides && any.get()).then(|| view! { <BatchBar q=q/> })}</div>
        <div>{move || (!results.with(Vec::is_empty)).then(|| view! { <BatchResults q=q/> })}</div>
        <div>
            {move || match state.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(err)) => view! { <ErrorText err=err/> }.into_any(),
                Some(Ok(true)) => {
                    view! {
                        <p class="card empty-state muted" id="queue-empty">
                            {move || tr(Key::QueueEmpty)}
                        </p>
                    }
                        .into_any()
                }
                Some(Ok(false)) => ().into_any(),
            }}
        </div>
        <div class="queue" id="queue">
            <For
                each=move || {
                    cases.with(|l| match l {
                        Some(Ok(list)) => list.cases.clone(),
                        _ => Vec::new(),
                    })
                }
                key=|case| case.id
                children=move |case| view! { <Card case=case q=q/> }
            />
        </div>
        <p class="hint">{move || tr(Key::QueuePolls)}</p>
    }
    .into_any()
}

/// The right, reason and note for the whole batch, and the buttons that decide the selection.
#[component]
fn BatchBar(q: Queue) -> impl IntoView {
    let n = move || q.selected.with(Vec::len);
    let all_selected = move || {
        q.selected.with(|s| {
            q.ids
                .with(|ids| !ids.is_empty() && ids.iter().all(|i| s.contains(i)))
        })
    };
    let batch = move |decision: FlagDecision| {
        let chosen = q.selected.get_untracked();
        let ids: Vec<CaseId> = q
            .ids
            .get_untracked()
            .into_iter()
            .filter(|i| chosen.contains(i))
            .collect();
        q.act(ids, decision);
    };
    view! {
        <section class="card batch" id="batch" aria-labelledby="batch-heading">
            <h2 id="batch-heading">{move || tr(Key::DecideHeading)}</h2>
            <div class="form-grid">
                <RightField brand=q.brand.get_value() id="batch-right" chosen=q.right/>
                <ReasonField id="batch-reason" value=q.reason/>
                <div class="field">
                    <label for="batch-note">{move || tr(Key::RejectNote)}</label>
                    <input
                        class="input"
                        id="batch-note"
                        type="text"
                        autocomplete="off"
                        maxlength="2000"
                        bind:value=q.note
                    />
                </div>
            </div>
            <div class="button-row batch-actions">
                <label class="check check-inline" for="select-all">
                    <input
                        id="select-all"
                        type="checkbox"
                        data-no-keep=""
                        prop:checked=all_selected
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            q.selected.set(if on { q.ids.get_untracked() } else { Vec::new() });
                        }
                    />
                    <span>{move || tr(Key::SelectAll)}</span>
                </label>
                <button
                    class="btn btn-primary"
                    type="button"
                    id="confirm-selected"
                    disabled=move || n() == 0 || q.pending.get() || !q.can_confirm()
                    on:click=move |_| batch(FlagDecision::Confirm)
                >
                    {move || trf(Key::ConfirmSelected, &[&n().to_string()])}
                </button>
                <button
                    class="btn btn-secondary"
                    type="button"
                    id="reject-selected"
                    disabled=move || n() == 0 || q.pending.get()
                    on:click=move |_| batch(FlagDecision::Reject)
                >
                    {move || trf(Key::RejectSelected, &[&n().to_string()])}
                </button>
            </div>
            <p class="hint keys-hint" id="keys-hint">{move || tr(Key::QueueKeys)}</p>
        </section>
    }
}

/// What the last batch came to (`#batch-results`).
#[component]
fn BatchResults(q: Queue) -> impl IntoView {
    let list = q.results.get_untracked();
    let brand = q.brand.get_value();
    let failed = list
        .iter()
        .filter(|o| !matches!(o.came, Came::Decided))
        .count();
    let done = (list.len() - failed).to_string();
    let failed = failed.to_string();
    view! {
        <section class="card" id="batch-results" aria-live="polite">
            <p class="batch-summary">{move || trf(Key::BatchSummary, &[&done, &failed])}</p>
            <ul class="rows rows-compact">
                {list
                    .into_iter()
                    .map(|o| view! { <CaseOutcome outcome=o brand=brand.clone()/> })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// One case of the last batch (`.case-result[data-case-id][data-ok][data-outcome]`).
#[component]
fn CaseOutcome(outcome: Outcome, brand: String) -> impl IntoView {
    let ok = matches!(outcome.came, Came::Decided);
    let (key, code) = match (&outcome.came, outcome.decision) {
        (Came::Failed(_), _) => (Key::DecisionFailed, "failed"),
        (Came::Changed, _) => (Key::ChangedMeanwhile, "conflict"),
        (Came::Decided, FlagDecision::Confirm) => (Key::Confirmed, "decided"),
        (Came::Decided, FlagDecision::Reject) => (Key::RejectedGenuine, "decided"),
    };
    let why = match outcome.came {
        Came::Decided => None,
        Came::Changed => Some(
            view! {
                <p class="error" role="alert">{move || tr(Key::ChangedMeanwhileHint)}</p>
            }
            .into_any(),
        ),
        Came::Failed(err) => Some(view! { <ErrorText err=err/> }.into_any()),
    };
    let badge = if ok {
        "badge badge-good"
    } else {
        "badge badge-bad"
    };
    view! {
        <li
            class="row case-result"
            data-case-id=outcome.case.to_string()
            data-ok=ok.to_string()
            data-outcome=code
        >
            <span class=badge>{move || tr(key)}</span>
            <a href=format!("/brands/{brand}/cases/{}", outcome.case) translate="no">
                {outcome.title}
            </a>
            {why}
        </li>
    }
}

/// The detection's signals as the queue's list gives them (`.signal[data-signal]`).
#[component]
fn Signals(signals: Vec<String>) -> impl IntoView {
    view! {
        <ul class="tags signals">
            {signals
                .into_iter()
                .map(|s| {
                    let code = s.clone();
                    view! {
                        <li class="tag signal" data-signal=s>
                            {move || coded(signal_key(&code), &code)}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// One flagged listing (`.queue-card[data-case-id]`), with its price, the detection score and
/// the signals as the queue's list gives them. Built once per case: later answers of the poll
/// leave it as it is.
#[component]
fn Card(case: CaseSummary, q: Queue) -> impl IntoView {
    let id = case.id;
    let brand = q.brand.get_value();
    let title = title_of(&case);
    let title_id = format!("card-{id}");
    let overdue = case.overdue;
    let focused = move || q.focus.with(|f| *f == Some(id));

    let price = case.price.map(|p| {
        view! { <p class="price">{move || fmt::money(lang(), &p.amount, &p.currency)}</p> }
    });
    let detection = case.detection.map(|d| {
        let score = percent_of(d.score);
        view! {
            <p class="queue-score">
                <span class="muted">{move || tr(Key::Score)}</span>
                " "
                <strong class="score">{score}</strong>
            </p>
            <Signals signals=d.signals/>
        }
    });
    let actions = q.decides.then(|| {
        // Named "Select" and the listing's title: the word follows the language, the title is
        // the card's own heading (data, not translated).
        let select_id = format!("select-{id}");
        let labelled = format!("{select_id} {title_id}");
        view! {
            <label class="select-box">
                <span class="visually-hidden" id=select_id>
                    {move || tr(Key::SelectCase)}
                </span>
                <input
                    class="select-case"
                    type="checkbox"
                    aria-labelledby=labelled
                    prop:checked=move || q.selected.with(|s| s.contains(&id))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        q.selected
                            .update(|s| {
                                s.retain(|x| *x != id);
                                if on {
                                    s.push(id);
                                }
                            });
                    }
                />
            </label>
            <div class="queue-actions">
                <button
                    class="btn btn-primary confirm-case"
                    type="button"
                    disabled=move || q.is_busy(id) || q.pending.get() || !q.can_confirm()
                    on:click=move |_| q.act(vec![id], FlagDecision::Confirm)
                >
                    {move || tr(Key::ActConfirm)}
                </button>
                <button
                    class="btn btn-secondary reject-case"
                    type="button"
                    disabled=move || q.is_busy(id) || q.pending.get()
                    on:click=move |_| q.act(vec![id], FlagDecision::Reject)
                >
                    {move || tr(Key::ActReject)}
                </button>
            </div>
        }
    });

    view! {
        <article
            class="card queue-card"
            class:is-focused=focused
            class:is-busy=move || q.is_busy(id)
            data-case-id=id.to_string()
            tabindex="-1"
            aria-labelledby=format!("card-{id}")
            aria-current=move || focused().then_some("true")
            on:focusin=move |_| q.focused.set(Some(id))
        >
            <Thumb src=case.image_url large=true/>
            <div class="queue-body">
                <h2 class="queue-title" id=title_id translate="no">
                    <a href=format!("/brands/{brand}/cases/{id}")>{title}</a>
                </h2>
                <p class="muted">
                    {move || tr(Key::Seller)}
                    " "
                    <span class="seller" translate="no">{case.seller_name}</span>
                </p>
                {price}
                {detection}
                <p class="queue-due">
                    <CaseBadge status=case.status/>
                    {overdue.then(|| view! { <OverdueBadge/> })}
                    {case.deadline_at.map(|at| view! { <Due at=at overdue=overdue status=case.status/> })}
                </p>
            </div>
            {actions}
        </article>
    }
}
