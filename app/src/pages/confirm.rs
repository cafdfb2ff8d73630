//! `/brands/:brand_id/confirm`: the confirmation queue — listings the marketplace's detection
//! flagged for the brand (`awaiting_brand`), as cards to confirm (right and reason chosen once
//! for the batch) or reject as genuine, one at a time or many at once. New flags appear by
//! polling every 15 s. Keys: j / k move between cards, c confirms, r rejects.

use crate::components::{
    can_decide, case_badge, due, overdue_badge, text, thumb, Decision, ErrorText, Loading,
    PageHeader, ReasonField, RightField, UsableRights,
};
use crate::http::{self, ApiError};
use crate::i18n::{use_tr, Key};
use crate::pages::brand::BrandFrame;
use crate::pages::case::signals;
use jf_core::api::{BrandView, CaseCommand, CaseList, CaseSummary, CaseView};
use jf_core::ids::{BrandId, CaseId};
use leptos::ev;
use leptos::prelude::*;
use std::time::Duration;
use wasm_bindgen::JsCast;

const POLL: Duration = Duration::from_secs(15);

#[component]
pub fn ConfirmPage() -> impl IntoView {
    let page = Callback::new(|brand| view! { <ConfirmQueue brand=brand /> }.into_any());
    view! { <BrandFrame page=page /> }
}

/// What one decision came to, for the results list.
#[derive(Clone, PartialEq)]
struct Outcome {
    case: CaseId,
    title: String,
    command: CaseCommand,
    result: Result<(), ApiError>,
}

type Batch = (Vec<CaseId>, CaseCommand);

/// The queue's state, shared by the cards, the batch bar and the keyboard.
#[derive(Clone, Copy)]
struct Queue {
    brand: BrandId,
    decides: bool,
    ids: Memo<Vec<CaseId>>,
    focused: RwSignal<Option<CaseId>>,
    /// The focused card: the one picked, or the first while that one is gone.
    focus: Memo<Option<CaseId>>,
    selected: RwSignal<Vec<CaseId>>,
    busy: RwSignal<Vec<CaseId>>,
    rights: UsableRights,
    decide: Action<Batch, ()>,
}

impl Queue {
    fn can_confirm(self) -> bool {
        !self.rights.chosen().is_empty()
    }

    /// Decides `ids`; the focus moves on to the next card still waiting.
    fn act(self, ids: Vec<CaseId>, command: CaseCommand) {
        if ids.is_empty() || self.decide.pending().get_untracked() {
            return;
        }
        if command == CaseCommand::Confirm && untrack(|| !self.can_confirm()) {
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
        self.decide.dispatch((ids, command));
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
        let selector = format!("[data-case-id=\"{next}\"]");
        if let Some(el) = document()
            .query_selector(&selector)
            .ok()
            .flatten()
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    }
}

type Cases = Memo<Option<Result<Vec<CaseSummary>, ApiError>>>;

/// The title of a case in the queue (its id when the list no longer has it).
fn title_of(cases: Cases, id: CaseId) -> String {
    cases.with_untracked(|c| {
        c.as_ref()
            .and_then(|r| r.as_ref().ok())
            .and_then(|l| l.iter().find(|c| c.id == id))
            .map(|c| c.title.clone())
            .unwrap_or_else(|| id.to_string())
    })
}

/// Whether a key press is typing (into a text field, a select or an editable element).
fn typing(ev: &web_sys::KeyboardEvent) -> bool {
    let Some(el) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
    else {
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

#[component]
fn ConfirmQueue(brand: BrandView) -> impl IntoView {
    let tr = use_tr();
    let brand_id = brand.id;
    let decides = can_decide(brand.viewer);
    let path = format!("/api/v1/brands/{brand_id}/cases?status=awaiting_brand&limit=100");
    let res = http::resource(Signal::derive(move || path.clone()));
    if let Ok(handle) = set_interval_with_handle(move || res.refetch(), POLL) {
        on_cleanup(move || handle.clear());
    }
    let cases = Memo::new(move |_| {
        res.get()
            .map(|body| http::decode::<CaseList>(body).map(|l| l.cases))
    });
    let ids = Memo::new(move |_| {
        cases.with(|c| match c {
            Some(Ok(list)) => list.iter().map(|c| c.id).collect(),
            _ => Vec::new(),
        })
    });
    let focused = RwSignal::new(None::<CaseId>);
    let focus = Memo::new(move |_| {
        let picked = focused.get();
        ids.with(|ids| picked.filter(|p| ids.contains(p)).or(ids.first().copied()))
    });
    let selected = RwSignal::new(Vec::<CaseId>::new());
    let busy = RwSignal::new(Vec::<CaseId>::new());
    let results = RwSignal::new(Vec::<Outcome>::new());
    let rights = UsableRights::new(Signal::derive(move || {
        if decides {
            brand_id.to_string()
        } else {
            String::new()
        }
    }));
    let reason = RwSignal::new("counterfeit".to_owned());
    let note = RwSignal::new(String::new());
    let decide = Action::new_local(move |(list, command): &Batch| {
        let (list, command) = (list.clone(), *command);
        let right = untrack(|| rights.chosen());
        let reason = reason.get_untracked();
        let text = note.get_untracked();
        let titles: Vec<String> = list.iter().map(|id| title_of(cases, *id)).collect();
        results.set(Vec::new());
        busy.set(list.clone());
        async move {
            for (i, case) in list.into_iter().enumerate() {
                let mut d = Decision::new(brand_id, case, command);
                d.ip_right_id = right.clone();
                d.reason_code = reason.clone();
                d.text = text.clone();
                let call = d.call();
                let result = call
                    .payload
                    .send(&call.path)
                    .await
                    .and_then(|body| http::decode::<CaseView>(Ok(body)).map(drop));
                let title = titles.get(i).cloned().unwrap_or_default();
                results.update(|r| {
                    r.push(Outcome {
                        case,
                        title,
                        command,
                        result,
                    })
                });
                selected.update(|s| s.retain(|x| *x != case));
            }
            busy.set(Vec::new());
            res.refetch();
        }
    });
    let q = Queue {
        brand: brand_id,
        decides,
        ids,
        focused,
        focus,
        selected,
        busy,
        rights,
        decide,
    };

    let keys = window_event_listener(ev::keydown, move |ev| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() || ev.default_prevented() || typing(&ev) {
            return;
        }
        let focused_one = || q.focus.get_untracked().into_iter().collect::<Vec<_>>();
        match ev.key().as_str() {
            "j" => q.step(1),
            "k" => q.step(-1),
            "c" if decides => q.act(focused_one(), CaseCommand::Confirm),
            "r" if decides => q.act(focused_one(), CaseCommand::Reject),
            _ => return,
        }
        ev.prevent_default();
    });
    on_cleanup(move || keys.remove());

    let name = brand.name.clone();
    let count = move || ids.with(Vec::len);
    // Only whether there is anything: the batch bar is not rebuilt by every poll.
    let any = Memo::new(move |_| ids.with(|i| !i.is_empty()));
    view! {
        <PageHeader
            title=text(tr, Key::ConfirmQueue)
            eyebrow=Signal::derive(move || name.clone())
            lead=text(tr, Key::ConfirmLead)
        >
            <span class="count count-big" id="queue-count" aria-live="polite">{count}</span>
        </PageHeader>
        {move || (decides && any.get()).then(|| view! { <BatchBar q=q reason=reason note=note /> })}
        <BatchResults results=results brand=brand_id />
        {move || match cases.get() {
            None => Some(view! { <Loading /> }.into_any()),
            Some(Err(err)) => Some(view! { <ErrorText err=err /> }.into_any()),
            Some(Ok(list)) if list.is_empty() => Some(
                view! { <p class="card empty-state muted" id="queue-empty">{tr.s(Key::QueueEmpty)}</p> }.into_any(),
            ),
            Some(Ok(_)) => None,
        }}
        <div class="queue" id="queue">
            <For
                each=move || cases.get().and_then(Result::ok).unwrap_or_default()
                key=|c| c.id
                children=move |c| view! { <Card case=c q=q /> }
            />
        </div>
        <p class="hint">{tr.s(Key::QueuePolls)}</p>
    }
}

#[component]
fn BatchBar(q: Queue, reason: RwSignal<String>, note: RwSignal<String>) -> impl IntoView {
    let tr = use_tr();
    let n = move || q.selected.with(Vec::len);
    let pending = q.decide.pending();
    let all_selected = move || {
        let s = q.selected.get();
        q.ids
            .with(|ids| !ids.is_empty() && ids.iter().all(|i| s.contains(i)))
    };
    let batch = move |command: CaseCommand| {
        let chosen = q.selected.get_untracked();
        let ids: Vec<CaseId> = q
            .ids
            .get_untracked()
            .into_iter()
            .filter(|i| chosen.contains(i))
            .collect();
        q.act(ids, command);
    };
    view! {
        <section class="card batch" id="batch" aria-labelledby="batch-heading">
            <h2 id="batch-heading">{tr.s(Key::DecideHeading)}</h2>
            <div class="form-grid">
                <RightField rights=q.rights id="batch-right" brand=q.brand.to_string() />
                <ReasonField id="batch-reason" value=reason />
                <div class="field">
                    <label for="batch-note">{tr.s(Key::RejectNote)}</label>
                    <input id="batch-note" class="input" type="text" autocomplete="off" maxlength="2000" bind:value=note />
                </div>
            </div>
            <div class="button-row batch-actions">
                <label class="check check-inline" for="select-all">
                    <input
                        id="select-all"
                        type="checkbox"
                        prop:checked=all_selected
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            q.selected.set(if on { q.ids.get_untracked() } else { Vec::new() });
                        }
                    />
                    <span>{tr.s(Key::SelectAll)}</span>
                </label>
                <button
                    type="button"
                    class="btn btn-primary"
                    id="confirm-selected"
                    disabled=move || n() == 0 || pending.get() || !q.can_confirm()
                    on:click=move |_| batch(CaseCommand::Confirm)
                >
                    {move || tr.f(Key::ConfirmSelected, &[&n().to_string()])}
                </button>
                <button
                    type="button"
                    class="btn btn-secondary"
                    id="reject-selected"
                    disabled=move || n() == 0 || pending.get()
                    on:click=move |_| batch(CaseCommand::Reject)
                >
                    {move || tr.f(Key::RejectSelected, &[&n().to_string()])}
                </button>
            </div>
            <p class="hint keys-hint" id="keys-hint">{tr.s(Key::QueueKeys)}</p>
        </section>
    }
}

#[component]
fn BatchResults(results: RwSignal<Vec<Outcome>>, brand: BrandId) -> impl IntoView {
    let tr = use_tr();
    move || {
        let list = results.get();
        (!list.is_empty()).then(|| {
            let failed = list.iter().filter(|o| o.result.is_err()).count();
            let done = (list.len() - failed).to_string();
            view! {
                <section class="card" id="batch-results" aria-live="polite">
                    <p class="batch-summary">{tr.f(Key::BatchSummary, &[&done, &failed.to_string()])}</p>
                    <ul class="rows rows-compact">
                        {list
                            .into_iter()
                            .map(|o| {
                                let href = format!("/brands/{brand}/cases/{}", o.case);
                                let ok = o.result.is_ok();
                                let key = match (o.command, ok) {
                                    (_, false) => Key::DecisionFailed,
                                    (CaseCommand::Confirm, true) => Key::Confirmed,
                                    _ => Key::RejectedGenuine,
                                };
                                view! {
                                    <li class="row case-result" data-case-id=o.case.to_string() data-ok=ok.to_string()>
                                        <span class=if ok { "badge badge-good" } else { "badge badge-bad" }>{tr.s(key)}</span>
                                        <a href=href translate="no">{o.title}</a>
                                        {o.result.err().map(|err| view! { <ErrorText err=err /> })}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </section>
            }
        })
    }
}

/// One flagged listing (`.queue-card[data-case-id]`); its case file is fetched for the price,
/// the detection score and the signals.
#[component]
fn Card(case: CaseSummary, q: Queue) -> impl IntoView {
    let tr = use_tr();
    let id = case.id;
    let href = format!("/brands/{}/cases/{id}", q.brand);
    let detail_path = format!("/api/v1/brands/{}/cases/{id}", q.brand);
    let detail = http::resource(Signal::derive(move || detail_path.clone()));
    let title = if case.title.trim().is_empty() {
        case.listing_id.clone()
    } else {
        case.title.clone()
    };
    let title_id = format!("card-{id}");
    let labelled_by = title_id.clone();
    let is_busy = move || q.busy.with(|b| b.contains(&id));
    let class = move || {
        let mut class = "card queue-card".to_owned();
        if q.focus.get() == Some(id) {
            class.push_str(" is-focused");
        }
        if is_busy() {
            class.push_str(" is-busy");
        }
        class
    };
    let facts = move || {
        detail
            .get()
            .and_then(|b| http::decode::<CaseView>(b).ok())
            .map(|c| {
                let price = c.snapshot.map(|s| {
                    Signal::derive(move || {
                        crate::fmt::money(tr.lang(), &s.price.amount, &s.price.currency)
                    })
                });
                let detection = c.detection.map(|d| {
                    let score = crate::components::percent_of(d.score);
                    view! {
                        <p class="queue-score">
                            <span class="muted">{tr.s(Key::Score)}</span> " "
                            <strong class="score">{score}</strong>
                        </p>
                        {signals(d.signals)}
                    }
                });
                view! {
                    {price.map(|p| view! { <p class="price">{p}</p> })}
                    {detection}
                }
            })
    };
    let actions = q.decides.then(|| {
        // Named "Select" and the listing's title: the word follows the language, the title is
        // the card's own heading (data, not translated).
        let select_id = format!("select-{id}");
        let labelled = format!("{select_id} card-{id}");
        view! {
            <label class="select-box">
                <span class="visually-hidden" id=select_id>{tr.s(Key::SelectCase)}</span>
                <input
                    type="checkbox"
                    class="select-case"
                    aria-labelledby=labelled
                    prop:checked=move || q.selected.with(|s| s.contains(&id))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        q.selected.update(|s| {
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
                    type="button"
                    class="btn btn-primary confirm-case"
                    disabled=move || is_busy() || q.decide.pending().get() || !q.can_confirm()
                    on:click=move |_| q.act(vec![id], CaseCommand::Confirm)
                >
                    {tr.s(Key::ActConfirm)}
                </button>
                <button
                    type="button"
                    class="btn btn-secondary reject-case"
                    disabled=move || is_busy() || q.decide.pending().get()
                    on:click=move |_| q.act(vec![id], CaseCommand::Reject)
                >
                    {tr.s(Key::ActReject)}
                </button>
            </div>
        }
    });
    view! {
        <article
            class=class
            data-case-id=id.to_string()
            tabindex="-1"
            aria-labelledby=labelled_by
            aria-current=move || (q.focus.get() == Some(id)).then_some("true")
            on:focusin=move |_| q.focused.set(Some(id))
        >
            {thumb(case.image_url, true)}
            <div class="queue-body">
                <h2 class="queue-title" id=title_id translate="no">
                    <a href=href>{title}</a>
                </h2>
                <p class="muted">
                    {tr.s(Key::Seller)} " " <span class="seller" translate="no">{case.seller_name}</span>
                </p>
                {facts}
                <p class="queue-due">
                    {case_badge(case.status)}
                    {case.overdue.then(overdue_badge)}
                    {case.deadline_at.map(|at| due(at, case.overdue))}
                </p>
            </div>
            {actions}
        </article>
    }
}
