//! `/brands/:brand_id/confirm`: the confirmation queue — listings the marketplace's detection
//! flagged for the brand (`awaiting_brand`), as cards to confirm (right and reason chosen once
//! for the batch) or reject as genuine, one at a time or many at once (one request,
//! `cases/decisions`, whatever the number: a case someone else changed meanwhile is left as it
//! is and said so). New flags appear by polling every 15 s. Keys: j / k move between cards,
//! c confirms, r rejects.

use crate::components::{
    can_decide, case_badge, case_status, due, error_text, every, loading, overdue_badge,
    percent_of, reason_field, right_field, thumb, viewer_capacity, PageHeader,
};
use crate::dom::reactive::*;
use crate::dom::{data, effect, h, hc, ht, spawn, Scope, WeakScope, H};
use crate::fmt;
use crate::http::{self, ApiError};
use crate::i18n::{lang, tr, trf, Key};
use crate::json::{self, Json};
use crate::pages::case::signals;
use jf_core::api::CaseCommand;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{Event, HtmlElement, HtmlInputElement, KeyboardEvent};

/// How often the queue is asked again, in milliseconds.
const POLL_MS: i32 = 15_000;

pub fn page(brand: &str) -> H {
    prefetch(brand);
    crate::pages::brand::frame(brand, Box::new(queue))
}

/// The queue and the rights are asked for with the brand, not after it.
pub fn prefetch(brand: &str) {
    http::prefetch(&queue_path(brand));
    http::prefetch(&format!(
        "/api/v1/brands/{}/ip-rights",
        http::segment(brand)
    ));
}

fn queue_path(brand: &str) -> String {
    format!(
        "/api/v1/brands/{}/cases?status=awaiting_brand&limit=100",
        http::segment(brand)
    )
}

/// What one decision came to, for the results list.
#[derive(Clone)]
struct Outcome {
    case: String,
    title: String,
    command: CaseCommand,
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
fn came_of(answer: &Result<Json, ApiError>, case: &str) -> Came {
    let answer = match answer {
        Ok(answer) => answer,
        Err(e) => return Came::Failed(e.clone()),
    };
    let result = json::list(answer, "results")
        .into_iter()
        .find(|r| json::s(r, "case_id") == case);
    match result.map(|r| json::s(&r, "outcome")).as_deref() {
        Some("decided") => Came::Decided,
        Some("conflict") => Came::Changed,
        _ => Came::Failed(ApiError::local(200, "bad_response")),
    }
}

/// The body of `cases/decisions`: each case as the version the queue showed; the right and
/// reason for confirmations, the note for rejections.
fn decisions_body(
    cases: &[(String, i64)],
    command: CaseCommand,
    right: &str,
    reason: &str,
    note: &str,
) -> String {
    let list = js_sys::Array::new();
    for (case, version) in cases {
        let entry = json::obj()
            .str("case_id", case)
            .num("version", *version as f64);
        let entry = if command == CaseCommand::Confirm {
            entry
                .str("decision", "confirm")
                .str("ip_right_id", right)
                .str("reason_code", reason)
        } else {
            entry.str("decision", "reject").opt("note", note)
        };
        list.push(&entry.value());
    }
    json::obj().set("decisions", &list).build()
}

/// The queue's state, shared by the cards, the batch bar and the keyboard.
#[derive(Clone, Copy)]
struct Queue {
    brand: StoredValue<String>,
    /// The page's scope, where answers are handled (they may arrive after it is gone).
    page: StoredValue<WeakScope, LocalStorage>,
    decides: bool,
    /// The cases waiting, once asked (`cases` of the answer).
    list: RwSignal<Option<Result<Vec<Json>, ApiError>>>,
    /// Asks for the list again when bumped.
    version: RwSignal<u32>,
    ids: Memo<Vec<String>>,
    focused: RwSignal<Option<String>>,
    /// The focused card: the one picked, or the first while that one is gone.
    focus: Memo<Option<String>>,
    selected: RwSignal<Vec<String>>,
    busy: RwSignal<Vec<String>>,
    /// A batch is being sent.
    pending: RwSignal<bool>,
    results: RwSignal<Vec<Outcome>>,
    right: RwSignal<String>,
    reason: RwSignal<String>,
    note: RwSignal<String>,
}

impl Queue {
    fn can_confirm(self) -> bool {
        self.right.with(|r| !r.is_empty())
    }

    /// What `read` reads of a case in the queue, if the list has it.
    fn listed<T>(self, id: &str, read: impl Fn(&Json) -> T) -> Option<T> {
        self.list.with_untracked(|l| {
            l.as_ref()
                .and_then(|r| r.as_ref().ok())
                .and_then(|l| l.iter().find(|c| json::s(c, "id") == id))
                .map(read)
        })
    }

    /// The title of a case in the queue (its id when the list no longer has it).
    fn title_of(self, id: &str) -> String {
        self.listed(id, |c| json::s(c, "title"))
            .unwrap_or_else(|| id.to_owned())
    }

    /// Decides `ids`; the focus moves on to the next card still waiting.
    fn act(self, ids: Vec<String>, command: CaseCommand) {
        if ids.is_empty() || self.pending.get_untracked() {
            return;
        }
        if command == CaseCommand::Confirm && !self.can_confirm() {
            return;
        }
        let all = self.ids.get_untracked();
        if let Some(f) = self.focus.get_untracked().filter(|f| ids.contains(f)) {
            let at = all.iter().position(|x| *x == f).unwrap_or(0);
            let next = all[at..]
                .iter()
                .chain(all[..at].iter().rev())
                .find(|x| !ids.contains(x))
                .cloned();
            self.focused.set(next);
        }
        self.decide(ids, command);
    }

    /// Sends the decisions as one request; lists what each came to; then asks for the queue
    /// again.
    fn decide(self, list: Vec<String>, command: CaseCommand) {
        let titles: Vec<String> = list.iter().map(|id| self.title_of(id)).collect();
        let cases: Vec<(String, i64)> = list
            .iter()
            .map(|id| {
                let version = self.listed(id, |c| json::i(c, "version")).unwrap_or(0);
                (id.clone(), version)
            })
            .collect();
        let body = decisions_body(
            &cases,
            command,
            &self.right.get_untracked(),
            &self.reason.get_untracked(),
            self.note.get_untracked().trim(),
        );
        let path = format!(
            "/api/v1/brands/{}/cases/decisions",
            http::segment(&self.brand.get_value())
        );
        let page = self.page.get_value();
        self.results.set(Vec::new());
        self.busy.set(list.clone());
        self.pending.set(true);
        spawn(async move {
            let answer = http::send("POST", &path, Some(body)).await;
            page.run(|| {
                let outcomes = list
                    .iter()
                    .zip(titles)
                    .map(|(case, title)| Outcome {
                        came: came_of(&answer, case),
                        case: case.clone(),
                        title,
                        command,
                    })
                    .collect();
                self.selected.update(|s| s.retain(|x| !list.contains(x)));
                self.results.set(outcomes);
                self.busy.set(Vec::new());
                self.pending.set(false);
                self.version.update(|v| *v += 1);
            });
        });
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
        let next = all[(at + delta).clamp(0, all.len() as isize - 1) as usize].clone();
        let selector = format!("[data-case-id=\"{next}\"]");
        self.focused.set(Some(next));
        if let Some(el) = crate::dom::document()
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

/// Listens to key presses anywhere in the window while the current scope lives (the cards
/// need not have the focus).
fn on_window_keydown(f: Box<dyn Fn(&KeyboardEvent)>) {
    let closure = Closure::<dyn Fn(Event)>::new(move |ev: Event| {
        if let Some(k) = ev.dyn_ref::<KeyboardEvent>() {
            f(k);
        }
    });
    let window = crate::dom::window();
    let _ = window.add_event_listener_with_callback("keydown", closure.as_ref().unchecked_ref());
    let keep = send_wrapper::SendWrapper::new(closure);
    on_cleanup(move || {
        let _ = crate::dom::window()
            .remove_event_listener_with_callback("keydown", keep.as_ref().unchecked_ref());
        drop(keep);
    });
}

/// A checkbox showing `checked`, telling `set` when the person changes it.
fn checkbox(el: H, checked: Box<dyn Fn() -> bool>, set: Box<dyn Fn(bool)>) -> H {
    let input: HtmlInputElement = el.0.clone().unchecked_into();
    let shown = input.clone();
    effect(move || shown.set_checked(checked()));
    el.on("change", move |_| set(input.checked()))
}

fn queue(p: &H, brand: &Json) {
    let brand_id = json::s(brand, "id");
    let decides = can_decide(viewer_capacity(&json::get(brand, "viewer")));
    let list = RwSignal::new(None::<Result<Vec<Json>, ApiError>>);
    let ids = Memo::new(move |_| {
        list.with(|l| match l {
            Some(Ok(cases)) => cases.iter().map(|c| json::s(c, "id")).collect(),
            _ => Vec::new(),
        })
    });
    let focused = RwSignal::new(None::<String>);
    let focus = Memo::new(move |_| {
        let picked = focused.get();
        ids.with(|ids| {
            picked
                .filter(|p| ids.contains(p))
                .or_else(|| ids.first().cloned())
        })
    });
    let page = Scope::current().downgrade();
    let q = Queue {
        brand: StoredValue::new(brand_id.clone()),
        page: StoredValue::new_local(page.clone()),
        decides,
        list,
        version: RwSignal::new(0),
        ids,
        focused,
        focus,
        selected: RwSignal::new(Vec::new()),
        busy: RwSignal::new(Vec::new()),
        pending: RwSignal::new(false),
        results: RwSignal::new(Vec::new()),
        right: RwSignal::new(String::new()),
        reason: RwSignal::new("counterfeit".to_owned()),
        note: RwSignal::new(String::new()),
    };

    on_window_keydown(Box::new(move |ev| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() || ev.default_prevented() || typing(ev) {
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
    }));

    // Only whether there is anything: the batch bar is not rebuilt by every poll.
    let any = Memo::new(move |_| ids.with(|i| !i.is_empty()));
    // What the list is, but not its cases: loading, failed, empty or not.
    let state = Memo::new(move |_| {
        list.with(|l| {
            l.as_ref()
                .map(|r| r.as_ref().map(Vec::is_empty).map_err(Clone::clone))
        })
    });
    p.add(
        &PageHeader::new(tr(Key::ConfirmQueue))
            .eyebrow(&json::s(brand, "name"))
            .lead(tr(Key::ConfirmLead))
            .aside(
                hc("span", "count count-big")
                    .id("queue-count")
                    .attr("aria-live", "polite")
                    .dyn_text(move || ids.with(Vec::len).to_string()),
            )
            .build(),
    );
    p.add(&h("div").region(move |p| {
        if decides && any.get() {
            p.add(&batch_bar(q));
        }
    }));
    p.add(&h("div").region(move |p| batch_results(p, q)));
    p.add(&h("div").region(move |p| {
        match state.get() {
            None => p.add(&loading()),
            Some(Err(err)) => p.add(&error_text(&err)),
            Some(Ok(true)) => p.add(
                &hc("p", "card empty-state muted")
                    .id("queue-empty")
                    .text(tr(Key::QueueEmpty)),
            ),
            Some(Ok(false)) => {}
        }
    }));
    let cards_el = hc("div", "queue").id("queue");
    p.add(&cards_el);
    p.add(&hc("p", "hint").text(tr(Key::QueuePolls)));

    // Asks for the queue now, when `version` is bumped and every 15 s. The cards stay the same
    // elements from one answer to the next (keyed by case), so focus and selection survive.
    let path = queue_path(&brand_id);
    let cards: Rc<RefCell<Vec<(String, H, Scope)>>> = Rc::default();
    let asked = Rc::new(Cell::new(0u32));
    let version = q.version;
    effect(move || {
        version.track();
        let n = asked.get() + 1;
        asked.set(n);
        let (path, page, asked, cards, cards_el) = (
            path.clone(),
            page.clone(),
            asked.clone(),
            cards.clone(),
            cards_el.clone(),
        );
        spawn(async move {
            let answer = http::get(&path).await;
            // An answer overtaken by a newer question is dropped.
            if asked.get() != n {
                return;
            }
            page.run(|| {
                let answer = answer.map(|v| json::list(&v, "cases"));
                let shown: &[Json] = answer.as_deref().unwrap_or(&[]);
                sync_cards(&cards_el, &mut cards.borrow_mut(), shown, q);
                list.set(Some(answer));
            });
        });
    });
    every(POLL_MS, move || version.update(|v| *v += 1));
}

/// Makes the children of `parent` the cards of `list`, in order: a card already shown is kept
/// as it is (and not moved when its place is unchanged, which would lose its focus), a new one
/// is built in its own scope, a gone one is removed with its listeners.
fn sync_cards(parent: &H, cards: &mut Vec<(String, H, Scope)>, list: &[Json], q: Queue) {
    let ids: Vec<String> = list.iter().map(|c| json::s(c, "id")).collect();
    cards.retain(|(id, el, _)| {
        let keep = ids.contains(id);
        if !keep {
            el.remove();
        }
        keep
    });
    let mut old = std::mem::take(cards);
    let mut next = parent.first_child();
    for (case, id) in list.iter().zip(ids) {
        let (el, scope) = match old.iter().position(|(i, _, _)| *i == id) {
            Some(at) => {
                let (_, el, scope) = old.swap_remove(at);
                (el, scope)
            }
            None => {
                let scope = Scope::new();
                let el = scope.run(|| card(case, q));
                (el, scope)
            }
        };
        if next.as_ref().is_some_and(|n| n.is_same_node(Some(&el))) {
            next = el.next_sibling();
        } else {
            let _ = parent.insert_before(&el, next.as_ref());
        }
        cards.push((id, el, scope));
    }
}

fn batch_bar(q: Queue) -> H {
    let n = move || q.selected.with(Vec::len);
    let pending = q.pending;
    let all_selected = move || {
        let s = q.selected.get();
        q.ids
            .with(|ids| !ids.is_empty() && ids.iter().all(|i| s.contains(i)))
    };
    let batch = move |command: CaseCommand| {
        let chosen = q.selected.get_untracked();
        let ids: Vec<String> = q
            .ids
            .get_untracked()
            .into_iter()
            .filter(|i| chosen.contains(i))
            .collect();
        q.act(ids, command);
    };
    let select_all = checkbox(
        h("input")
            .id("select-all")
            .attr("type", "checkbox")
            .attr("data-no-keep", ""),
        Box::new(all_selected),
        Box::new(move |on| {
            q.selected.set(if on {
                q.ids.get_untracked()
            } else {
                Vec::new()
            })
        }),
    );
    hc("section", "card batch")
        .id("batch")
        .attr("aria-labelledby", "batch-heading")
        .child(ht("h2", tr(Key::DecideHeading)).id("batch-heading"))
        .child(
            hc("div", "form-grid")
                .child(right_field(&q.brand.get_value(), "batch-right", q.right))
                .child(reason_field("batch-reason", q.reason))
                .child(
                    hc("div", "field")
                        .child(ht("label", tr(Key::RejectNote)).attr("for", "batch-note"))
                        .child(
                            hc("input", "input")
                                .id("batch-note")
                                .attr("type", "text")
                                .attr("autocomplete", "off")
                                .attr("maxlength", "2000")
                                .bind(q.note),
                        ),
                ),
        )
        .child(
            hc("div", "button-row batch-actions")
                .child(
                    hc("label", "check check-inline")
                        .attr("for", "select-all")
                        .child(select_all)
                        .child(ht("span", tr(Key::SelectAll))),
                )
                .child(
                    hc("button", "btn btn-primary")
                        .attr("type", "button")
                        .id("confirm-selected")
                        .dyn_flag("disabled", move || {
                            n() == 0 || pending.get() || !q.can_confirm()
                        })
                        .dyn_text(move || trf(Key::ConfirmSelected, &[&n().to_string()]))
                        .on_click(move || batch(CaseCommand::Confirm)),
                )
                .child(
                    hc("button", "btn btn-secondary")
                        .attr("type", "button")
                        .id("reject-selected")
                        .dyn_flag("disabled", move || n() == 0 || pending.get())
                        .dyn_text(move || trf(Key::RejectSelected, &[&n().to_string()]))
                        .on_click(move || batch(CaseCommand::Reject)),
                ),
        )
        .child(
            hc("p", "hint keys-hint")
                .id("keys-hint")
                .text(tr(Key::QueueKeys)),
        )
}

/// What the last batch came to (`#batch-results`), while there is something to say.
fn batch_results(p: &H, q: Queue) {
    let list = q.results.get();
    if list.is_empty() {
        return;
    }
    let brand = q.brand.get_value();
    let failed = list
        .iter()
        .filter(|o| !matches!(o.came, Came::Decided))
        .count();
    let done = (list.len() - failed).to_string();
    let rows = hc("ul", "rows rows-compact").children(list.into_iter().map(|o| {
        let ok = matches!(o.came, Came::Decided);
        let (key, outcome) = match (&o.came, o.command) {
            (Came::Failed(_), _) => (Key::DecisionFailed, "failed"),
            (Came::Changed, _) => (Key::ChangedMeanwhile, "conflict"),
            (Came::Decided, CaseCommand::Confirm) => (Key::Confirmed, "decided"),
            (Came::Decided, _) => (Key::RejectedGenuine, "decided"),
        };
        let why = match o.came {
            Came::Decided => None,
            Came::Changed => Some(
                hc("p", "error")
                    .attr("role", "alert")
                    .text(tr(Key::ChangedMeanwhileHint)),
            ),
            Came::Failed(e) => Some(error_text(&e)),
        };
        hc("li", "row case-result")
            .attr("data-case-id", &o.case)
            .attr("data-ok", &ok.to_string())
            .attr("data-outcome", outcome)
            .child(
                hc(
                    "span",
                    if ok {
                        "badge badge-good"
                    } else {
                        "badge badge-bad"
                    },
                )
                .text(tr(key)),
            )
            .child(
                h("a")
                    .attr("href", &format!("/brands/{brand}/cases/{}", o.case))
                    .data()
                    .text(&o.title),
            )
            .child_opt(why)
    }));
    p.add(
        &hc("section", "card")
            .id("batch-results")
            .attr("aria-live", "polite")
            .child(
                hc("p", "batch-summary")
                    .text(&trf(Key::BatchSummary, &[&done, &failed.to_string()])),
            )
            .child(rows),
    );
}

/// One flagged listing (`.queue-card[data-case-id]`), with its price, the detection score and
/// the signals as the queue's list gives them.
fn card(case: &Json, q: Queue) -> H {
    let id = json::s(case, "id");
    let brand = q.brand.get_value();
    let title = json::s(case, "title");
    let title = if title.trim().is_empty() {
        json::s(case, "listing_id")
    } else {
        title
    };
    let title_id = format!("card-{id}");
    let overdue = json::b(case, "overdue");

    let price = json::get(case, "price");
    let price = json::has(case, "price").then(|| {
        hc("p", "price").text(&fmt::money(
            lang(),
            &json::s(&price, "amount"),
            &json::s(&price, "currency"),
        ))
    });
    let detection = json::get(case, "detection");
    let (score, signals) = if json::has(case, "detection") {
        let signals = signals(&json::strs(&detection, "signals"));
        let score = hc("p", "queue-score")
            .child(hc("span", "muted").text(tr(Key::Score)))
            .text(" ")
            .child(hc("strong", "score").text(&percent_of(json::n(&detection, "score"))));
        (Some(score), Some(signals))
    } else {
        (None, None)
    };

    let mine = id.clone();
    let is_busy = move || q.busy.with(|b| b.contains(&mine));
    let focused = {
        let id = id.clone();
        move || q.focus.with(|f| f.as_deref() == Some(id.as_str()))
    };
    let actions = q.decides.then(|| {
        // Named "Select" and the listing's title: the word follows the language, the title is
        // the card's own heading (data, not translated).
        let select_id = format!("select-{id}");
        let (shown, picked) = (id.clone(), id.clone());
        let select = checkbox(
            hc("input", "select-case")
                .attr("type", "checkbox")
                .attr("aria-labelledby", &format!("{select_id} {title_id}")),
            Box::new(move || q.selected.with(|s| s.contains(&shown))),
            Box::new(move |on| {
                q.selected.update(|s| {
                    s.retain(|x| *x != picked);
                    if on {
                        s.push(picked.clone());
                    }
                })
            }),
        );
        let (confirm, reject) = (id.clone(), id.clone());
        let busy = is_busy.clone();
        [
            hc("label", "select-box")
                .child(
                    hc("span", "visually-hidden")
                        .id(&select_id)
                        .text(tr(Key::SelectCase)),
                )
                .child(select),
            hc("div", "queue-actions")
                .child(
                    hc("button", "btn btn-primary confirm-case")
                        .attr("type", "button")
                        .dyn_flag("disabled", move || {
                            busy() || q.pending.get() || !q.can_confirm()
                        })
                        .text(tr(Key::ActConfirm))
                        .on_click(move || q.act(vec![confirm.clone()], CaseCommand::Confirm)),
                )
                .child(
                    hc("button", "btn btn-secondary reject-case")
                        .attr("type", "button")
                        .dyn_flag("disabled", move || is_busy() || q.pending.get())
                        .text(tr(Key::ActReject))
                        .on_click(move || q.act(vec![reject.clone()], CaseCommand::Reject)),
                ),
        ]
    });

    let current = focused.clone();
    let picked = id.clone();
    hc("article", "card queue-card")
        .dyn_class("is-focused", focused)
        .dyn_class("is-busy", {
            let id = id.clone();
            move || q.busy.with(|b| b.contains(&id))
        })
        .attr("data-case-id", &id)
        .attr("tabindex", "-1")
        .attr("aria-labelledby", &title_id)
        .dyn_attr("aria-current", move || current().then(|| "true".to_owned()))
        .on("focusin", move |_| q.focused.set(Some(picked.clone())))
        .child(thumb(json::os(case, "image_url").as_deref(), true))
        .child(
            hc("div", "queue-body")
                .child(
                    hc("h2", "queue-title").id(&title_id).data().child(
                        h("a")
                            .attr("href", &format!("/brands/{brand}/cases/{id}"))
                            .text(&title),
                    ),
                )
                .child(
                    hc("p", "muted")
                        .text(tr(Key::Seller))
                        .text(" ")
                        .child(data(&json::s(case, "seller_name")).class("seller")),
                )
                .child_opt(price)
                .child_opt(score)
                .child_opt(signals)
                .child(
                    hc("p", "queue-due")
                        .child(case_badge(case_status(&json::s(case, "status"))))
                        .child_opt(overdue.then(overdue_badge))
                        .child_opt(json::oi(case, "deadline_at").map(|at| due(at, overdue))),
                ),
        )
        .children(actions.into_iter().flatten())
}
