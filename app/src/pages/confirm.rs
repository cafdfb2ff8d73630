//! `/brands/:brand_id/confirm`: the queue of flagged listings the brand confirms or rejects.

use crate::components::{
    can_decide, every, percent_of, reason_key, right_label, CaseBadge, Due, ErrorText, Loading,
    OutOfProgramme, OverdueBadge, PageHeader, SignalTags, Thumb,
};
use crate::fmt;
use crate::held::{held_decisions, refusal_error, Held, HeldDecisions, Stage};
use crate::http::{self, ApiError};
use crate::i18n::{lang, tr, trf, Key};
use jf_core::api::{BrandView, CaseList, CaseSummary, FlagDecision, IpRightList, IpRightView};
use jf_core::cases::{preselected_right, ReasonCode};
use jf_core::ids::CaseId;
use jf_core::routes::RouteId;
use jf_core::types::ProgrammeStatus;
use leptos::ev;
use leptos::prelude::*;
use std::collections::HashMap;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent};

/// How often the queue is asked again, in milliseconds.
const POLL_MS: i32 = 15_000;

/// The reason a card starts with: a fake infringes any kind of right.
const FIRST_REASON: &str = "counterfeit";

fn queue_path(brand: &str) -> String {
    format!(
        "{}?status=awaiting_brand&limit=100",
        http::api(RouteId::ListCases, &[brand])
    )
}

/// The title a case is shown under: its listing's id when the listing has no title.
fn title_of(case: &CaseSummary) -> String {
    if case.title.trim().is_empty() {
        case.listing_id.clone()
    } else {
        case.title.clone()
    }
}

/// The cards to show: the cases listed now, and each case decided here that the list no longer
/// has (`kept`) where it was before (`before`: the ids shown last), so that what came of a
/// decision is read on its card, which does not jump.
fn keep_in_place<T>(
    before: &[CaseId],
    listed: Vec<T>,
    kept: Vec<T>,
    id: impl Fn(&T) -> CaseId,
) -> Vec<T> {
    let mut shown = listed;
    let place = |k: &T| {
        before
            .iter()
            .position(|b| *b == id(k))
            .unwrap_or(usize::MAX)
    };
    let mut kept: Vec<T> = kept
        .into_iter()
        .filter(|k| !shown.iter().any(|s| id(s) == id(k)))
        .collect();
    kept.sort_by_key(|k| place(k));
    for k in kept {
        let at = match before.iter().position(|b| *b == id(&k)) {
            // Just after the nearest card before it that is still shown.
            Some(was) => before[..was]
                .iter()
                .rev()
                .find_map(|b| shown.iter().position(|s| id(s) == *b))
                .map_or(0, |i| i + 1),
            None => shown.len(),
        };
        shown.insert(at, k);
    }
    shown
}

/// The brand's usable rights, asked for once for all the cards.
type Rights = LocalResource<Result<Vec<IpRightView>, ApiError>>;

/// What a card offers now, by its decision's stage.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    /// No decision, or one refused or failed: the card may decide.
    Open,
    /// Held for the undo window.
    Waiting(FlagDecision),
    Sending,
    /// Decided, or changed by someone else: nothing more to decide here.
    Done,
}

fn mode_of(stage: Option<&(FlagDecision, Stage)>) -> Mode {
    match stage {
        None => Mode::Open,
        Some((_, s)) if s.may_decide_again() => Mode::Open,
        Some((d, Stage::Waiting)) => Mode::Waiting(*d),
        Some((_, Stage::Sending)) => Mode::Sending,
        Some(_) => Mode::Done,
    }
}

/// The queue's state, shared by the cards, the batch bar and the keyboard.
#[derive(Clone, Copy)]
struct Queue {
    brand: StoredValue<String>,
    decides: bool,
    /// The cards, in order (see `keep_in_place`).
    shown: Memo<Vec<CaseSummary>>,
    ids: Memo<Vec<CaseId>>,
    focused: RwSignal<Option<CaseId>>,
    /// The focused card: the one picked, or the first while that one is gone.
    focus: Memo<Option<CaseId>>,
    selected: RwSignal<Vec<CaseId>>,
    rights: Rights,
    /// The right a person chose on a card (else the card offers the one its currency points to).
    chosen: RwSignal<HashMap<CaseId, String>>,
    /// The reason a person chose on a card (else `FIRST_REASON`).
    reasons: RwSignal<HashMap<CaseId, String>>,
    held: HeldDecisions,
}

impl Queue {
    /// The right `case`'s card invokes: the one chosen on it, else the brand's one usable right
    /// in the jurisdiction the listing's currency points to, else none (a tracked read).
    fn right_of(self, case: CaseId, currency: Option<&str>) -> Option<String> {
        if let Some(chosen) = self.chosen.with(|m| m.get(&case).cloned()) {
            return Some(chosen);
        }
        self.rights.with(|r| match r {
            Some(Ok(rights)) => preselected_right(currency, rights).map(|id| id.to_string()),
            _ => None,
        })
    }

    /// The reason `case`'s card gives (a tracked read).
    fn reason_of(self, case: CaseId) -> String {
        self.reasons
            .with(|m| m.get(&case).cloned())
            .unwrap_or_else(|| FIRST_REASON.to_owned())
    }

    /// What the card of `case` offers now (a tracked read).
    fn mode(self, case: CaseId) -> Mode {
        mode_of(self.held.of(case).as_ref())
    }

    /// The shown case `id` (a tracked read).
    fn case(self, id: CaseId) -> Option<CaseSummary> {
        self.shown
            .with(|cases| cases.iter().find(|c| c.id == id).cloned())
    }

    /// The right of the shown case `id` (a tracked read).
    fn right_of_shown(self, id: CaseId) -> Option<String> {
        let currency = self.case(id)?.price.map(|p| p.currency);
        self.right_of(id, currency.as_deref())
    }

    /// Holds the decision on each of `ids` that may be decided (for a confirmation, each with
    /// its card's right and reason; a card without a right is left); the focus moves on to the
    /// next card still open.
    fn act(self, ids: Vec<CaseId>, decision: FlagDecision) {
        let taken: Vec<Held> = untrack(|| {
            ids.iter()
                .filter(|id| self.mode(**id) == Mode::Open)
                .filter_map(|id| {
                    let case = self.case(*id)?;
                    let (right, reason) = match decision {
                        FlagDecision::Confirm => (self.right_of_shown(*id)?, self.reason_of(*id)),
                        FlagDecision::Reject => (String::new(), String::new()),
                    };
                    Some(Held {
                        brand: self.brand.get_value(),
                        case,
                        decision,
                        right,
                        reason,
                    })
                })
                .collect()
        });
        if taken.is_empty() {
            return;
        }
        let gone: Vec<CaseId> = taken.iter().map(|h| h.case.id).collect();
        let all = self.ids.get_untracked();
        if let Some(f) = self.focus.get_untracked().filter(|f| gone.contains(f)) {
            let at = all.iter().position(|x| *x == f).unwrap_or(0);
            let next = all[at..]
                .iter()
                .chain(all[..at].iter().rev())
                .find(|x| !gone.contains(x) && untrack(|| self.mode(**x)) == Mode::Open)
                .copied();
            self.focused.set(next);
        }
        self.selected.update(|s| s.retain(|x| !gone.contains(x)));
        self.held.hold(taken);
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
/// (`awaiting_brand`), as cards, each with its own right and reason, to confirm or reject as
/// genuine one at a time or many at once (the sticky bar). A decision waits 10 s on its card,
/// which may undo it, then goes with the others in one request (`cases/decisions`); what came of
/// it (decided, changed meanwhile, refused and why) is said on the card. New flags appear by
/// polling every 15 s. Keys: j / k move between cards, c confirms, r rejects.
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
    let held = held_decisions();

    // Asked now, again after each answer to decisions and every 15 s. The cards stay the same
    // elements from one answer to the next (keyed by case), so focus, choices and selection
    // survive.
    let path = queue_path(&brand_id);
    let cases = LocalResource::new(move || {
        held.answers();
        let path = path.clone();
        async move { http::get::<CaseList>(&path).await }
    });
    every(POLL_MS, move || cases.refetch());
    let rights_path = http::api(RouteId::ListIpRights, &[&brand_id]);
    let rights: Rights = LocalResource::new(move || {
        let path = rights_path.clone();
        async move {
            let list = http::get::<IpRightList>(&path).await?;
            Ok(list.rights.into_iter().filter(|r| r.usable).collect())
        }
    });

    let kept_of = brand_id.clone();
    let shown = Memo::new(move |before: Option<&Vec<CaseSummary>>| {
        let listed = cases.with(|l| match l {
            Some(Ok(list)) => list.cases.clone(),
            _ => Vec::new(),
        });
        let before: Vec<CaseId> = before
            .map(|b| b.iter().map(|c| c.id).collect())
            .unwrap_or_default();
        keep_in_place(&before, listed, held.cases_of(&kept_of), |c| c.id)
    });
    let ids = Memo::new(move |_| shown.with(|s| s.iter().map(|c| c.id).collect::<Vec<_>>()));
    let focused = RwSignal::new(None::<CaseId>);
    let focus = Memo::new(move |_| {
        let picked = focused.get();
        ids.with(|ids| {
            picked
                .filter(|p| ids.contains(p))
                .or_else(|| ids.first().copied())
        })
    });
    let q = Queue {
        brand: StoredValue::new(brand_id.clone()),
        decides,
        shown,
        ids,
        focused,
        focus,
        selected: RwSignal::new(Vec::new()),
        rights,
        chosen: RwSignal::new(HashMap::new()),
        reasons: RwSignal::new(HashMap::new()),
        held,
    };
    // Leaving the queue: what came of its decisions was shown on their cards (those still
    // waiting stay held, and go when their window ends).
    let left = brand_id.clone();
    on_cleanup(move || held.forget_answered(&left));

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
    let count = move || {
        cases.with(|l| match l {
            Some(Ok(list)) => list.cases.len(),
            _ => 0,
        })
    };
    let no_right =
        Memo::new(move |_| rights.with(|r| matches!(r, Some(Ok(list)) if list.is_empty())));
    // Without the rights no card can confirm: say why rather than leave Confirm greyed out.
    let rights_failed = Memo::new(move |_| {
        rights.with(|r| match r {
            Some(Err(err)) => Some(err.clone()),
            _ => None,
        })
    });
    let rights_page = format!("/brands/{brand_id}/rights");

    view! {
        <div class="queue-page">
            <PageHeader
                title=move || tr(Key::ConfirmQueue)
                eyebrow=brand.name.clone()
                lead=move || tr(Key::ConfirmLead)
                aside=move || {
                    view! {
                        <span class="count count-big" id="queue-count" aria-live="polite">
                            {move || count().to_string()}
                        </span>
                    }
                }
            />
            {move || {
                (decides && no_right.get())
                    .then(|| {
                        view! {
                            <p class="notice notice-warn no-usable-right" role="status">
                                {move || tr(Key::NoUsableRight)}
                                " "
                                <a href=rights_page.clone()>{move || tr(Key::NavRights)}</a>
                            </p>
                        }
                    })
            }}
            {move || rights_failed.get().map(|err| view! { <ErrorText err=err/> })}
            <div>
                {move || match state.get() {
                    None => view! { <Loading/> }.into_any(),
                    Some(Err(err)) => view! { <ErrorText err=err/> }.into_any(),
                    Some(Ok(true)) if !any.get() => {
                        view! {
                            <p class="card empty-state muted" id="queue-empty">
                                {move || tr(Key::QueueEmpty)}
                            </p>
                        }
                            .into_any()
                    }
                    Some(Ok(_)) => ().into_any(),
                }}
            </div>
            <div class="queue" id="queue">
                <For
                    each=move || shown.get()
                    key=|case| case.id
                    children=move |case| view! { <Card case=case q=q/> }
                />
            </div>
            {move || (decides && any.get()).then(|| view! { <BatchBar q=q/> })}
            {decides
                .then(|| {
                    view! {
                        <p class="hint keys-hint" id="keys-hint">{move || tr(Key::QueueKeys)}</p>
                    }
                })}
            <p class="hint">{move || tr(Key::QueuePolls)}</p>
        </div>
    }
}

/// The sticky bar at the foot of the screen: how many cards are selected, and the buttons that
/// decide them (each card with its own right and reason).
#[component]
fn BatchBar(q: Queue) -> impl IntoView {
    let n = move || q.selected.with(Vec::len);
    let open_ids = move || {
        q.ids
            .get()
            .into_iter()
            .filter(|id| q.mode(*id) == Mode::Open)
            .collect::<Vec<_>>()
    };
    let all_selected = move || {
        let open = open_ids();
        !open.is_empty() && q.selected.with(|s| open.iter().all(|i| s.contains(i)))
    };
    // A selected card without a right cannot be confirmed: the batch waits for it.
    let lacks_right = move || {
        q.selected
            .get()
            .into_iter()
            .any(|id| q.right_of_shown(id).is_none())
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
        <section class="batch-bar" id="batch" aria-label=move || tr(Key::DecideHeading)>
            <label class="check check-inline" for="select-all">
                <input
                    id="select-all"
                    type="checkbox"
                    data-no-keep=""
                    prop:checked=all_selected
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        q.selected.set(if on { untrack(open_ids) } else { Vec::new() });
                    }
                />
                <span>{move || tr(Key::SelectAll)}</span>
            </label>
            <span class="batch-count" id="selected-count" aria-live="polite">
                {move || trf(Key::SelectedCount, &[&n().to_string()])}
            </span>
            <div class="batch-buttons">
                <button
                    class="btn btn-primary"
                    type="button"
                    id="confirm-selected"
                    disabled=move || n() == 0 || lacks_right()
                    on:click=move |_| batch(FlagDecision::Confirm)
                >
                    {move || trf(Key::ConfirmSelected, &[&n().to_string()])}
                </button>
                <button
                    class="btn btn-secondary"
                    type="button"
                    id="reject-selected"
                    disabled=move || n() == 0
                    on:click=move |_| batch(FlagDecision::Reject)
                >
                    {move || trf(Key::RejectSelected, &[&n().to_string()])}
                </button>
            </div>
            {move || {
                (n() > 0 && lacks_right())
                    .then(|| {
                        view! {
                            <p class="hint batch-hint" id="batch-needs-right">
                                {move || tr(Key::ChooseRightEach)}
                            </p>
                        }
                    })
            }}
        </section>
    }
}

/// The card's own right and reason (`.card-right`, `.card-reason`).
#[component]
fn Choices(id: CaseId, currency: Option<String>, q: Queue) -> impl IntoView {
    let right_id = format!("right-{id}");
    let reason_id = format!("reason-{id}");
    let current = Memo::new(move |_| q.right_of(id, currency.as_deref()));
    let locked = move || q.mode(id) != Mode::Open;
    let options = move || {
        q.rights
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|r| {
                let value = r.id.to_string();
                let mine = value.clone();
                let label = move || right_label(&r.kind, &r.registration_number, &r.jurisdiction);
                view! {
                    <option
                        value=value
                        prop:selected=move || current.with(|c| c.as_deref() == Some(&mine))
                    >
                        {label}
                    </option>
                }
            })
            .collect_view()
    };
    let reasons = ReasonCode::ALL
        .into_iter()
        .map(|r| {
            let code = r.as_str();
            view! {
                <option value=code prop:selected=move || q.reason_of(id) == code>
                    {move || tr(reason_key(code).unwrap_or(Key::RcCounterfeit))}
                </option>
            }
        })
        .collect_view();
    view! {
        <div class="queue-choices">
            <div class="field">
                <label for=right_id.clone()>{move || tr(Key::RightInvoked)}</label>
                <select
                    class="select card-right"
                    id=right_id
                    required
                    disabled=locked
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        q.chosen.update(|m| {
                            m.insert(id, value);
                        });
                    }
                >
                    <option value="" disabled prop:selected=move || current.with(Option::is_none)>
                        {move || tr(Key::ChooseRight)}
                    </option>
                    {options}
                </select>
            </div>
            <div class="field">
                <label for=reason_id.clone()>{move || tr(Key::Reason)}</label>
                <select
                    class="select card-reason"
                    id=reason_id
                    disabled=locked
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        q.reasons.update(|m| {
                            m.insert(id, value);
                        });
                    }
                >
                    {reasons}
                </select>
            </div>
        </div>
    }
}

/// What the card's decision came to (`.card-outcome[data-outcome]`), in the reader's language.
#[component]
fn CardOutcome(stage: Memo<Option<(FlagDecision, Stage)>>) -> impl IntoView {
    move || {
        let (decision, stage) = stage.get()?;
        let (badge, key, code, why) = match stage {
            Stage::Waiting | Stage::Sending => return None,
            Stage::Decided(_) => (
                "badge badge-good",
                match decision {
                    FlagDecision::Confirm => Key::Confirmed,
                    FlagDecision::Reject => Key::RejectedGenuine,
                },
                "decided",
                None,
            ),
            Stage::Conflict => (
                "badge badge-bad",
                Key::ChangedMeanwhile,
                "conflict",
                Some(
                    view! {
                        <p class="error" role="alert">{move || tr(Key::ChangedMeanwhileHint)}</p>
                    }
                    .into_any(),
                ),
            ),
            Stage::Refused(refusal) => (
                "badge badge-bad",
                Key::Refused,
                "refused",
                Some(view! { <ErrorText err=refusal_error(&refusal)/> }.into_any()),
            ),
            Stage::Failed(err) => (
                "badge badge-bad",
                Key::DecisionFailed,
                "failed",
                Some(view! { <ErrorText err=err/> }.into_any()),
            ),
        };
        Some(view! {
            <div class="card-outcome" data-outcome=code aria-live="polite">
                <span class=badge>{move || tr(key)}</span>
                {why}
            </div>
        })
    }
}

/// One flagged listing (`.queue-card[data-case-id][data-stage]`), with its price, the detection
/// score and signals, its own right and reason, and its decision: the buttons, the undo while it
/// waits, and what it came to. Built once per case: later answers of the poll leave it as it is.
#[component]
fn Card(case: CaseSummary, q: Queue) -> impl IntoView {
    let id = case.id;
    let brand = q.brand.get_value();
    let title = title_of(&case);
    let title_id = format!("card-{id}");
    let overdue = case.overdue;
    let focused = move || q.focus.with(|f| *f == Some(id));
    let currency = case.price.as_ref().map(|p| p.currency.clone());
    let stage = Memo::new(move |_| q.held.of(id));
    let mode = Memo::new(move |_| mode_of(stage.get().as_ref()));
    let stage_code = move || {
        stage.with(|s| {
            s.as_ref().map(|(_, s)| match s {
                Stage::Waiting => "waiting",
                Stage::Sending => "sending",
                Stage::Decided(_) => "decided",
                Stage::Conflict => "conflict",
                Stage::Refused(_) => "refused",
                Stage::Failed(_) => "failed",
            })
        })
    };

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
            <SignalTags signals=d.signals/>
        }
    });
    let decide = q.decides.then(|| {
        // Named "Select" and the listing's title: the word follows the language, the title is
        // the card's own heading (data, not translated).
        let select_id = format!("select-{id}");
        let labelled = format!("{select_id} {title_id}");
        let has_right = Memo::new(move |_| q.right_of_shown(id).is_some());
        let buttons = move || match mode.get() {
            Mode::Open => view! {
                <div class="queue-actions">
                    <button
                        class="btn btn-primary confirm-case"
                        type="button"
                        disabled=move || !has_right.get()
                        on:click=move |_| q.act(vec![id], FlagDecision::Confirm)
                    >
                        {move || tr(Key::ActConfirm)}
                    </button>
                    <button
                        class="btn btn-secondary reject-case"
                        type="button"
                        on:click=move |_| q.act(vec![id], FlagDecision::Reject)
                    >
                        {move || tr(Key::ActReject)}
                    </button>
                </div>
            }
            .into_any(),
            Mode::Waiting(decision) => {
                let key = match decision {
                    FlagDecision::Confirm => Key::HeldConfirm,
                    FlagDecision::Reject => Key::HeldReject,
                };
                view! {
                    <div class="queue-actions queue-held" role="status">
                        <p class="held-text">{move || tr(key)}</p>
                        <button
                            class="btn btn-secondary undo-case"
                            type="button"
                            on:click=move |_| q.held.undo(id)
                        >
                            {move || tr(Key::Undo)}
                        </button>
                        // Drawn afresh with each window: a later decision starts it again.
                        {move || {
                            q.held.windows();
                            view! { <span class="held-window" aria-hidden="true"></span> }
                        }}
                    </div>
                }
                .into_any()
            }
            Mode::Sending => view! {
                <div class="queue-actions queue-held" role="status">
                    <p class="held-text muted">{move || tr(Key::Sending)}</p>
                </div>
            }
            .into_any(),
            Mode::Done => ().into_any(),
        };
        view! {
            <label class="select-box">
                <span class="visually-hidden" id=select_id>
                    {move || tr(Key::SelectCase)}
                </span>
                <input
                    class="select-case"
                    type="checkbox"
                    aria-labelledby=labelled
                    disabled=move || mode.get() != Mode::Open
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
            <Choices id=id currency=currency q=q/>
            {buttons}
        }
    });

    view! {
        <article
            class="card queue-card"
            class:is-focused=focused
            class:is-busy=move || matches!(mode.get(), Mode::Waiting(_) | Mode::Sending)
            class:is-done=move || mode.get() == Mode::Done
            data-case-id=id.to_string()
            data-stage=stage_code
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
            {decide}
            <CardOutcome stage=stage/>
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::keep_in_place;
    use jf_core::ids::CaseId;

    fn id(n: u8) -> CaseId {
        serde_json::from_value(serde_json::json!(format!(
            "00000000-0000-4000-8000-0000000000{n:02}"
        )))
        .expect("a case id")
    }

    #[test]
    fn a_decided_card_stays_where_it_was_once_the_list_no_longer_has_it() {
        let ids = |v: &[u8]| v.iter().map(|n| id(*n)).collect::<Vec<_>>();
        let before = ids(&[1, 2, 3, 4]);
        // 2 and 4 were decided here: the list no longer has them.
        let shown = keep_in_place(&before, ids(&[1, 3, 5]), ids(&[4, 2]), |c| *c);
        assert_eq!(shown, ids(&[1, 2, 3, 4, 5]));
        // The first card decided stays first; a kept card never shown goes last.
        let shown = keep_in_place(&before, ids(&[3]), ids(&[1, 9]), |c| *c);
        assert_eq!(shown, ids(&[1, 3, 9]));
        // A case still listed is not shown twice.
        let shown = keep_in_place(&before, ids(&[1, 2]), ids(&[2]), |c| *c);
        assert_eq!(shown, ids(&[1, 2]));
    }
}
