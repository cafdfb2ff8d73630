//! `/brands/:brand_id/find`: search the marketplace's listings and report several at once.

use crate::components::{
    can_file, error_of, ErrorSlot, OutOfProgramme, ReasonField, RightField, StatementField, Submit,
};
use crate::fmt;
use crate::http::{self, ApiError};
use crate::i18n::{lang, tr, trf, Key};
use crate::pages::bulk::row_problem;
use crate::pages::report::{CannotFile, FilingHeader, LaneNote, Problem, ProblemText};
use jf_core::api::{
    BatchReportRequest, BrandView, BulkColumn, BulkFiled, FoundListing, ListingProblem,
    ListingSearch, RowError,
};
use jf_core::cases::MIN_STATEMENT_CHARS;
use jf_core::routes::RouteId;
use jf_core::types::ProgrammeStatus;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// Fewest characters a search may have (the server refuses fewer).
const MIN_WORDS_CHARS: usize = 2;

/// The page: the search, the listings found as cards, and the bar that reports the selected.
#[component]
pub fn Find() -> impl IntoView {
    let brand = expect_context::<BrandView>();
    let files = can_file(brand.viewer);
    view! {
        <FilingHeader brand=brand.clone() title=Key::FindTitle lead=Key::FindLead/>
        {if brand.programme_status != ProgrammeStatus::Enrolled {
            view! { <OutOfProgramme brand=brand.clone()/> }.into_any()
        } else if files {
            view! {
                <LaneNote brand=brand.id.to_string()/>
                <FindListings brand=brand.id.to_string()/>
            }
                .into_any()
        } else {
            view! { <CannotFile/> }.into_any()
        }}
    }
    .into_any()
}

/// What the page holds: the listings found so far, the selection and the last refusals.
#[derive(Clone, Copy)]
struct Found {
    brand: StoredValue<String>,
    listings: RwSignal<Vec<FoundListing>>,
    /// The words the listings were found by (None before the first search).
    words: RwSignal<Option<String>>,
    /// The cursor of the next page, while there is one.
    next: RwSignal<Option<String>>,
    /// The listings chosen to report, in the order they were chosen.
    selected: RwSignal<Vec<String>>,
    /// Every problem of each refused listing, as the server keyed them.
    refused: RwSignal<BTreeMap<String, Vec<ListingProblem>>>,
}

/// A listing's problem as a bulk row's, so it is said in the same words (the field maps to the
/// column the bulk file names).
fn as_row(p: &ListingProblem) -> RowError {
    let column = BulkColumn::ALL
        .into_iter()
        .find(|c| c.request_field() == p.field)
        .unwrap_or(BulkColumn::Listing);
    RowError {
        line: 0,
        column,
        problem: p.problem.clone(),
        code: Some(p.code),
        args: p.args.clone(),
        reason: p.reason.clone(),
        reason_args: p.reason_args.clone(),
    }
}

#[component]
fn FindListings(brand: String) -> impl IntoView {
    let f = Found {
        brand: StoredValue::new(brand.clone()),
        listings: RwSignal::new(Vec::new()),
        words: RwSignal::new(None),
        next: RwSignal::new(None),
        selected: RwSignal::new(Vec::new()),
        refused: RwSignal::new(BTreeMap::new()),
    };
    let typed = RwSignal::new(String::new());
    let problem: RwSignal<Problem> = RwSignal::new(None);
    let filed = RwSignal::new(None::<usize>);

    let base = http::api(RouteId::SearchListings, &[&brand]);
    let search = Action::new_local(move |(words, cursor): &(String, Option<String>)| {
        let mut path = format!("{base}?q={}", http::encode(words));
        if let Some(c) = cursor {
            path.push_str(&format!("&cursor={}", http::encode(c)));
        }
        let (words, more) = (words.clone(), cursor.is_some());
        async move {
            let page = http::get::<ListingSearch>(&path).await?;
            if more {
                f.listings.try_update(|l| l.extend(page.listings));
            } else {
                f.listings.try_set(page.listings);
                f.selected.try_set(Vec::new());
                f.refused.try_set(BTreeMap::new());
                filed.try_set(None);
            }
            f.words.try_set(Some(words));
            f.next.try_set(page.next_cursor);
            Ok::<(), ApiError>(())
        }
    });
    let searching = search.pending();
    let search_error = error_of(search);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if searching.get_untracked() {
            return;
        }
        let words = typed.get_untracked().trim().to_owned();
        if words.chars().count() < MIN_WORDS_CHARS {
            problem.set(Some((Key::FindWordsHint, String::new())));
            return;
        }
        problem.set(None);
        search.dispatch_local((words, None));
    };
    let more = move |_| {
        if let (Some(words), Some(cursor)) = (f.words.get_untracked(), f.next.get_untracked()) {
            search.dispatch_local((words, Some(cursor)));
        }
    };

    let count = move || {
        f.words.with(Option::is_some).then(|| {
            let n = f.listings.with(Vec::len);
            let text = if n == 0 {
                tr(Key::FindNoneFound).to_owned()
            } else {
                trf(Key::FindFoundCount, &[&n.to_string()])
            };
            view! { <p class="hint" id="find-count">{text}</p> }
        })
    };

    view! {
        <form class="card form find-form" id="find-form" role="search" novalidate on:submit=submit>
            <div class="field">
                <label for="find-words">{move || tr(Key::FindWords)}</label>
                <div class="input-row">
                    <input
                        class="input"
                        id="find-words"
                        name="q"
                        type="search"
                        autocomplete="off"
                        spellcheck="false"
                        required
                        minlength="2"
                        maxlength="200"
                        aria-describedby="find-words-hint"
                        bind:value=typed
                    />
                    <Submit
                        pending=searching
                        idle=Key::FindSearch
                        busy=Key::Working
                        id="find-submit"
                        class="btn btn-primary"
                    />
                </div>
                <p class="hint" id="find-words-hint">{move || tr(Key::FindWordsHint)}</p>
            </div>
            <ProblemText problem=problem/>
            <ErrorSlot err=search_error/>
        </form>
        <div aria-live="polite">
            {count}
            {move || {
                filed
                    .get()
                    .map(|n| {
                        view! {
                            <p class="success" id="find-filed" role="status">
                                {move || trf(Key::FindFiled, &[&n.to_string()])}
                            </p>
                        }
                    })
            }}
        </div>
        <ul class="find-results" id="find-results">
            <For
                each=move || f.listings.get()
                key=|l| (l.listing_id.clone(), l.open_case_id)
                children=move |l| view! { <ListingCard listing=l f=f/> }
            />
        </ul>
        <Show when=move || f.next.with(Option::is_some)>
            <p class="more">
                <button
                    class="btn btn-secondary"
                    type="button"
                    id="find-more"
                    disabled=move || searching.get()
                    on:click=more
                >
                    {move || tr(Key::FindMore)}
                </button>
            </p>
        </Show>
        <SelectionBar f=f filed=filed/>
    }
}

/// One listing found (`.listing-card[data-listing][data-open]`): its image (a placeholder when
/// it has none or it fails to load), title, price and seller; its open case, linked, when the
/// brand has one (it cannot be chosen then); else a box to choose it; and the problems the last
/// report found with it.
#[component]
fn ListingCard(listing: FoundListing, f: Found) -> impl IntoView {
    let id = listing.listing_id.clone();
    let brand = f.brand.get_value();
    let title_id = format!("listing-{id}");
    let broken = RwSignal::new(false);
    let image = listing.image_url.clone().filter(|s| !s.is_empty());
    let thumb = move || match image.clone().filter(|_| !broken.get()) {
        Some(src) => view! {
            <img
                class="thumb thumb-large"
                src=src
                alt=""
                loading="lazy"
                decoding="async"
                on:error=move |_| broken.set(true)
            />
        }
        .into_any(),
        None => view! {
            <span
                class="thumb thumb-large thumb-none listing-no-image"
                role="img"
                aria-label=move || tr(Key::FindNoImage)
            ></span>
        }
        .into_any(),
    };
    let price = listing.price.clone();
    let open = listing.open_case_id;
    let choose = match open {
        Some(case) => view! {
            <a
                class="badge badge-warn open-case-mark"
                href=format!("/brands/{brand}/cases/{case}")
                data-case-id=case.to_string()
            >
                {move || tr(Key::FindOpenCase)}
            </a>
        }
        .into_any(),
        None => {
            let select_id = format!("select-{id}");
            let labelled = format!("{select_id} {title_id}");
            let (mine, theirs) = (id.clone(), id.clone());
            view! {
                <label class="select-box">
                    <span class="visually-hidden" id=select_id>
                        {move || tr(Key::FindSelectListing)}
                    </span>
                    <input
                        class="select-listing"
                        type="checkbox"
                        aria-labelledby=labelled
                        prop:checked=move || f.selected.with(|s| s.contains(&mine))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            f.selected
                                .update(|s| {
                                    s.retain(|x| *x != theirs);
                                    if on {
                                        s.push(theirs.clone());
                                    }
                                });
                        }
                    />
                </label>
            }
            .into_any()
        }
    };
    let refused_key = id.clone();
    // Only the listing's own problems: those of the shared fields are said once, in the form.
    let problems = move || {
        let own: Vec<ListingProblem> = f.refused.with(|r| {
            r.get(&refused_key)
                .map(|ps| {
                    ps.iter()
                        .filter(|p| p.field == BulkColumn::Listing.request_field())
                        .cloned()
                        .collect()
                })
                .unwrap_or_default()
        });
        (!own.is_empty()).then(|| {
            view! {
                <ul class="listing-refusals" role="alert">
                    {own
                        .into_iter()
                        .map(|p| {
                            let code = serde_json::to_value(p.code)
                                .ok()
                                .and_then(|v| v.as_str().map(str::to_owned))
                                .unwrap_or_default();
                            let row = as_row(&p);
                            view! {
                                <li class="error listing-refusal" data-code=code>
                                    {move || row_problem(&row)}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
        })
    };
    let labelled_by = title_id.clone();
    let selected = {
        let id = id.clone();
        move || f.selected.with(|s| s.contains(&id))
    };
    view! {
        <li
            class="card listing-card"
            class:is-selected=selected
            data-listing=id.clone()
            data-open=open.is_some().to_string()
            aria-labelledby=labelled_by
        >
            {thumb}
            <div class="listing-body">
                <h2 class="listing-title" id=title_id translate="no">
                    <a href=listing.url target="_blank" rel="noopener noreferrer">
                        {listing.title}
                    </a>
                </h2>
                <p class="price">{move || fmt::money(lang(), &price.amount, &price.currency)}</p>
                <p class="muted">
                    {move || tr(Key::Seller)}
                    " "
                    <span class="seller" translate="no">{listing.seller.name}</span>
                </p>
                {problems}
            </div>
            <div class="listing-choose">{choose}</div>
        </li>
    }
}

/// The bar that stays at the bottom while listings are chosen (`#selection-bar`): "Report N
/// selected" opens the short form that reports them all at once.
#[component]
fn SelectionBar(f: Found, filed: RwSignal<Option<usize>>) -> impl IntoView {
    let n = move || f.selected.with(Vec::len);
    let form_open = RwSignal::new(false);
    view! {
        <div class="selection-bar" id="selection-bar" hidden=move || n() == 0>
            <Show when=move || form_open.get()>
                <BatchForm f=f filed=filed form_open=form_open/>
            </Show>
            <div class="button-row">
                <button
                    class="btn btn-primary"
                    type="button"
                    id="report-selected"
                    aria-expanded=move || form_open.get().to_string()
                    aria-controls="batch-form"
                    on:click=move |_| form_open.update(|o| *o = !*o)
                >
                    {move || trf(Key::FindReportSelected, &[&n().to_string()])}
                </button>
                <button
                    class="btn btn-ghost"
                    type="button"
                    id="clear-selection"
                    on:click=move |_| {
                        f.selected.set(Vec::new());
                        form_open.set(false);
                    }
                >
                    {move || tr(Key::FindClearSelection)}
                </button>
            </div>
        </div>
    }
}

/// The right, reason, statement, evidence link and good-faith declaration for every selected
/// listing, posted as one report of many: all filed, or none and the refusals shown on the cards.
#[component]
fn BatchForm(f: Found, filed: RwSignal<Option<usize>>, form_open: RwSignal<bool>) -> impl IntoView {
    let brand = f.brand.get_value();
    let right = RwSignal::new(String::new());
    let reason = RwSignal::new("counterfeit".to_owned());
    let statement = RwSignal::new(String::new());
    let link = RwSignal::new(String::new());
    let good_faith = RwSignal::new(false);
    let problem: RwSignal<Problem> = RwSignal::new(None);
    let error = RwSignal::new(None::<ApiError>);
    let n = move || f.selected.with(Vec::len);

    let path = http::api(RouteId::BatchReports, &[&brand]);
    let report = Action::new_local(move |req: &BatchReportRequest| {
        let (path, req) = (path.clone(), req.clone());
        async move {
            match http::post::<_, BulkFiled>(&path, &req).await {
                Ok(done) => {
                    // Each listing now shows its case; the choice starts afresh.
                    f.listings.try_update(|ls| {
                        for l in ls.iter_mut() {
                            if let Some(c) =
                                done.created.iter().find(|c| c.listing_id == l.listing_id)
                            {
                                l.open_case_id = Some(c.id);
                            }
                        }
                    });
                    f.refused.try_set(BTreeMap::new());
                    f.selected.try_set(Vec::new());
                    filed.try_set(Some(done.created.len()));
                    form_open.try_set(false);
                }
                Err(e) => {
                    f.refused.try_set(e.refused.0.clone());
                    error.try_set(Some(e));
                }
            }
        }
    });
    let pending = report.pending();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let chosen = right.get_untracked();
        let found = if chosen.is_empty() {
            Some((Key::NoUsableRight, String::new()))
        } else if statement.with_untracked(|s| s.trim().chars().count()) < MIN_STATEMENT_CHARS {
            Some((Key::StatementTooShort, MIN_STATEMENT_CHARS.to_string()))
        } else if !good_faith.get_untracked() {
            Some((Key::GoodFaithRequired, String::new()))
        } else {
            None
        };
        problem.set(found.clone());
        if found.is_some() {
            return;
        }
        let link = link.get_untracked().trim().to_owned();
        let req = BatchReportRequest {
            listings: f.selected.get_untracked(),
            ip_right_id: chosen,
            reason_code: reason.get_untracked(),
            statement: statement.get_untracked().trim().to_owned(),
            evidence_links: if link.is_empty() {
                Vec::new()
            } else {
                vec![link]
            },
            good_faith: true,
        };
        error.set(None);
        filed.set(None);
        report.dispatch_local(req);
    };

    // The problems of the shared fields, said once (the server lists them under every listing).
    let shared = move || {
        let mut seen: Vec<ListingProblem> = Vec::new();
        f.refused.with(|r| {
            for p in r.values().flatten() {
                let own = p.field == BulkColumn::Listing.request_field();
                if !own
                    && !seen
                        .iter()
                        .any(|s| s.field == p.field && s.problem == p.problem)
                {
                    seen.push(p.clone());
                }
            }
        });
        (!seen.is_empty()).then(|| {
            view! {
                <div class="error-slot" id="batch-shared-problems" role="alert">
                    <p class="error">{move || tr(Key::FindSharedProblems)}</p>
                    <ul>
                        {seen
                            .into_iter()
                            .map(|p| {
                                let row = as_row(&p);
                                view! { <li class="error">{move || row_problem(&row)}</li> }
                            })
                            .collect_view()}
                    </ul>
                </div>
            }
        })
    };
    let refused_note = move || {
        f.refused.with(|r| !r.is_empty()).then(
            || view! { <p class="error" id="batch-refused">{move || tr(Key::FindRefused)}</p> },
        )
    };

    view! {
        <form
            class="card form batch-report"
            id="batch-form"
            novalidate
            aria-labelledby="batch-form-heading"
            on:submit=submit
        >
            <h2 id="batch-form-heading">
                {move || trf(Key::FindFormHeading, &[&n().to_string()])}
            </h2>
            <div class="form-grid">
                <RightField brand=brand.clone() id="find-right" chosen=right/>
                <ReasonField id="find-reason" value=reason/>
            </div>
            <StatementField id="find-statement" count_id="find-statement-count" rows=3 statement/>
            <div class="field">
                <label for="find-link">{move || tr(Key::FindEvidenceLink)}</label>
                <input
                    class="input"
                    id="find-link"
                    name="evidence_links"
                    type="url"
                    inputmode="url"
                    autocomplete="off"
                    autocapitalize="off"
                    spellcheck="false"
                    maxlength="2000"
                    placeholder="https://…"
                    bind:value=link
                />
            </div>
            <label class="check" for="find-good-faith">
                <input
                    id="find-good-faith"
                    name="good_faith"
                    type="checkbox"
                    required
                    bind:checked=good_faith
                />
                <span>{move || tr(Key::FindGoodFaith)}</span>
            </label>
            <ProblemText problem=problem/>
            {refused_note}
            {shared}
            <ErrorSlot err=Signal::derive(move || {
                error.get().filter(|e| e.code != "refused_listings")
            })/>
            <div class="form-actions">
                <Submit
                    pending=pending
                    idle=Key::FindSubmit
                    busy=Key::Working
                    id="batch-submit"
                    class="btn btn-primary"
                />
            </div>
        </form>
    }
}
