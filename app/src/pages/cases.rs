//! `/brands/:brand_id/cases`: the brand's cases, newest first. The filters live in the address
//! (`status`, `origin`, `reason`, `from`, `to` as dates, `q`), so a filtered list can be linked
//! and the back button works; more pages come by keyset cursor ("Load more").

use crate::components::{
    act, act_error, case_badge, case_status_key, due, overdue_badge, reason_key, text, thumb, Act,
    Call, ErrorSlot, ErrorText, Load, PageHeader,
};
use crate::http::{self, Payload};
use crate::i18n::{use_tr, Key};
use crate::pages::brand::use_brand_id;
use jf_core::api::{CaseList, CaseSummary};
use jf_core::case::Status;
use jf_core::cases::ReasonCode;
use jf_core::ids::BrandId;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use leptos_router::NavigateOptions;
use wasm_bindgen::JsCast;

/// The filters, in the order of `Filters.0`.
const NAMES: [&str; 6] = ["status", "origin", "reason", "from", "to", "q"];
const PAGE: u32 = 25;

/// The filters as the address holds them (dates as `YYYY-MM-DD`).
#[derive(Clone, PartialEq, Default)]
struct Filters([String; 6]);

impl Filters {
    fn read(map: &ParamsMap) -> Self {
        Filters(NAMES.map(|name| map.get(name).unwrap_or_default().trim().to_owned()))
    }

    fn get(&self, name: &str) -> &str {
        NAMES
            .iter()
            .position(|n| *n == name)
            .map_or("", |i| self.0[i].as_str())
    }

    /// `name=value&…` of the non-empty filters (each pair followed by `&`), for the page's own
    /// links (`api` false) or the API (`api` true: dates become milliseconds, `to` exclusive).
    fn query(&self, api: bool, skip_status: bool) -> String {
        let mut out = String::new();
        for (name, value) in NAMES.iter().zip(&self.0) {
            if value.is_empty() || (skip_status && *name == "status") {
                continue;
            }
            let value = match (api, *name) {
                (true, "from") => crate::fmt::day_start(value, 0).map(|ms| ms.to_string()),
                (true, "to") => crate::fmt::day_start(value, 1).map(|ms| ms.to_string()),
                _ => Some(http::segment(value)),
            };
            if let Some(value) = value {
                out.push_str(&format!("{name}={value}&"));
            }
        }
        out
    }
}

/// The pages after the first, for the list they continue (`key`: its API path).
#[derive(Clone, Default)]
struct Extra {
    key: String,
    cases: Vec<CaseSummary>,
    next: Option<String>,
}

#[component]
pub fn CasesPage() -> impl IntoView {
    let tr = use_tr();
    let brand_id = use_brand_id();
    let query = use_query_map();
    let navigate = use_navigate();
    let filters = Memo::new(move |_| Filters::read(&query.read()));
    let base = Memo::new(move |_| format!("/brands/{}", http::segment(&brand_id.get())));
    let api = Memo::new(move |_| {
        format!(
            "/api/v1/brands/{}/cases?{}limit={PAGE}",
            http::segment(&brand_id.get()),
            filters.with(|f| f.query(true, false))
        )
    });
    let list = http::resource(api.into());
    let more = RwSignal::new(Extra::default());
    let load_more = act();
    let export = move || {
        let q = filters.with(|f| f.query(true, false));
        format!(
            "/api/v1/brands/{}/export/cases.csv?{}",
            http::segment(&brand_id.get()),
            q.trim_end_matches('&')
        )
    };
    let apply = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        let Ok(data) = web_sys::FormData::new_with_form(&form) else {
            return;
        };
        let picked = Filters(NAMES.map(|name| {
            data.get(name)
                .as_string()
                .unwrap_or_default()
                .trim()
                .to_owned()
        }));
        let q = picked.query(false, false);
        let q = q.trim_end_matches('&');
        navigate(
            &format!("{}/cases?{q}", base.get_untracked()),
            NavigateOptions::default(),
        );
    };
    let current =
        move |name: &'static str| Signal::derive(move || filters.with(|f| f.get(name).to_owned()));
    view! {
        <PageHeader title=text(tr, Key::NavCases)>
            <a class="btn btn-secondary" id="export-csv" href=export download="cases.csv">
                {tr.s(Key::ExportCsv)}
            </a>
        </PageHeader>
        <form class="card filters" id="case-filters" role="search" on:submit=apply>
            <div class="field filter-q">
                <label for="f-q">{tr.s(Key::Search)}</label>
                <input
                    id="f-q"
                    name="q"
                    type="search"
                    class="input"
                    autocomplete="off"
                    enterkeyhint="search"
                    maxlength="200"
                    placeholder=tr.s(Key::SearchHint)
                    prop:value=current("q")
                />
            </div>
            <div class="field">
                <label for="f-from">{tr.s(Key::FromDate)}</label>
                <input id="f-from" name="from" type="date" class="input" prop:value=current("from") />
            </div>
            <div class="field">
                <label for="f-to">{tr.s(Key::ToDate)}</label>
                <input id="f-to" name="to" type="date" class="input" prop:value=current("to") />
            </div>
            <FilterSelect
                name="status"
                label=Key::CaseStatus
                current=current("status")
                options=Status::ALL.iter().map(|s| (s.as_str(), case_status_key(*s))).collect()
            />
            <FilterSelect
                name="origin"
                label=Key::Origin
                current=current("origin")
                options=vec![("report", Key::OriginReport), ("detection", Key::OriginDetection)]
            />
            <FilterSelect
                name="reason"
                label=Key::Reason
                current=current("reason")
                options=ReasonCode::ALL
                    .iter()
                    .map(|r| (r.as_str(), reason_key(r.as_str()).unwrap_or(Key::RcCounterfeit)))
                    .collect()
            />
            <div class="filter-actions">
                <button type="submit" class="btn btn-primary" id="apply-filters">{tr.s(Key::ApplyFilters)}</button>
                <a class="btn btn-ghost" id="clear-filters" href=move || format!("{}/cases", base.get())>
                    {tr.s(Key::ClearFilters)}
                </a>
            </div>
        </form>
        <Load res=list show=Callback::new(move |result| match http::decode::<CaseList>(result) {
                        Ok(page) => {
                            let f = filters.get_untracked();
                            view! {
                                <Results
                                    page=page
                                    key=api.get_untracked()
                                    base=base.get_untracked()
                                    query=f.query(false, true)
                                    status=Status::parse(f.get("status")).ok()
                                    more=more
                                    load_more=load_more
                                />
                            }
                                .into_any()
                        }
                        Err(err) => view! { <ErrorText err=err /> }.into_any(),
                    }) />
    }
}

/// A `<select>` filter whose first choice is "all".
#[component]
fn FilterSelect(
    name: &'static str,
    label: Key,
    current: Signal<String>,
    options: Vec<(&'static str, Key)>,
) -> impl IntoView {
    let tr = use_tr();
    let id = format!("f-{name}");
    view! {
        <div class="field">
            <label for=id.clone()>{tr.s(label)}</label>
            <select id=id name=name class="select">
                <option value="" selected=move || current.get().is_empty()>{tr.s(Key::All)}</option>
                {options
                    .into_iter()
                    .map(|(value, key)| {
                        view! {
                            <option value=value selected=move || current.get() == value>{tr.s(key)}</option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

#[component]
fn Results(
    page: CaseList,
    key: String,
    base: String,
    /// The other filters (`a=b&…`), kept by the status chips.
    query: String,
    status: Option<Status>,
    more: RwSignal<Extra>,
    load_more: Act,
) -> impl IntoView {
    let tr = use_tr();
    let empty = page.cases.is_empty();
    let first_next = page.next_cursor.clone();
    let key = StoredValue::new(key);
    let mine = move || more.with(|m| m.key == key.get_value());
    let next = move || {
        if mine() {
            more.with(|m| m.next.clone())
        } else {
            first_next.clone()
        }
    };
    let extra = move || {
        if mine() {
            more.with(|m| m.cases.clone())
        } else {
            Vec::new()
        }
    };
    let pending = load_more.pending();
    view! {
        <StatusChips base=base counts=page.counts query=query current=status />
        {if empty {
            view! { <p class="card empty-state muted" id="no-cases">{tr.s(Key::NoCases)}</p> }.into_any()
        } else {
            view! {
                <section class="card">
                    <ul class="rows case-rows" id="case-list">
                        {page.cases.into_iter().map(|c| view! { <CaseRow case=c /> }).collect_view()}
                        {move || extra().into_iter().map(|c| view! { <CaseRow case=c /> }).collect_view()}
                    </ul>
                    {move || {
                        next()
                            .map(|cursor| {
                                view! {
                                    <p class="load-more">
                                        <button
                                            type="button"
                                            class="btn btn-secondary"
                                            id="load-more"
                                            disabled=pending
                                            on:click=move |_| {
                                                let key = key.get_value();
                                                let path = format!("{key}&cursor={}", http::segment(&cursor));
                                                load_more.dispatch(Call::new(path, Payload::Get).then(move |body| {
                                                    let Ok(page) = http::decode::<CaseList>(Ok(body)) else { return };
                                                    more.update(|m| {
                                                        if m.key != key {
                                                            *m = Extra { key: key.clone(), ..Extra::default() };
                                                        }
                                                        m.cases.extend(page.cases);
                                                        m.next = page.next_cursor;
                                                    });
                                                }));
                                            }
                                        >
                                            {tr.pick(move || if pending.get() { Key::Loading } else { Key::LoadMore })}
                                        </button>
                                    </p>
                                }
                            })
                    }}
                    <ErrorSlot err=act_error(load_more) />
                </section>
            }
                .into_any()
        }}
    }
}

/// The case counts per status, each a link to the list filtered by it (`#status-counts`).
#[component]
pub fn StatusChips(
    /// `/brands/{id}`.
    base: String,
    counts: Vec<(Status, i64)>,
    /// Other filters to keep (`a=b&…`).
    query: String,
    current: Option<Status>,
    /// Not a filter of the page it is on (the brand home): no chip is current.
    #[prop(optional)]
    plain: bool,
) -> impl IntoView {
    let tr = use_tr();
    let total: i64 = counts.iter().map(|(_, n)| n).sum();
    let all = format!("{base}/cases?{}", query.trim_end_matches('&'));
    let all = all.trim_end_matches('?').to_owned();
    view! {
        <nav class="chips" id="status-counts" aria-label=tr.s(Key::CasesByStatus)>
            <a class="chip" href=all aria-current=(current.is_none() && !plain).then_some("page") data-status="">
                {tr.s(Key::All)} <span class="count">{total}</span>
            </a>
            {Status::ALL
                .into_iter()
                .filter_map(|s| counts.iter().find(|(c, _)| *c == s).map(|(_, n)| (s, *n)))
                .filter(|(_, n)| *n > 0)
                .map(|(s, n)| {
                    let href = format!("{base}/cases?{query}status={}", s.as_str());
                    view! {
                        <a
                            class="chip"
                            href=href
                            data-status=s.as_str()
                            aria-current=(current == Some(s)).then_some("page")
                        >
                            {tr.s(case_status_key(s))} <span class="count">{n}</span>
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}

/// One case in a list (`.case-row[data-case-id][data-status]`), linking to its case file under
/// its own brand; staff lists name the brand and may add actions (`children`).
#[component]
pub fn CaseRow(
    case: CaseSummary,
    #[prop(optional)] show_brand: bool,
    /// The seller's name without the link to the seller's page (on that page itself).
    #[prop(optional)]
    plain_seller: bool,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let tr = use_tr();
    let href = format!("/brands/{}/cases/{}", case.brand_id, case.id);
    let seller = seller_name(
        case.brand_id,
        case.seller_id.clone().filter(|_| !plain_seller),
        case.seller_name.clone(),
    );
    let title = if case.title.trim().is_empty() {
        case.listing_id.clone()
    } else {
        case.title.clone()
    };
    let due = case
        .deadline_at
        .filter(|_| case.status.is_open())
        .map(|at| due(at, case.overdue));
    let row_class = if case.overdue {
        "row case-row row-overdue"
    } else {
        "row case-row"
    };
    view! {
        <li class=row_class data-case-id=case.id.to_string() data-status=case.status.as_str()>
            <div class="row-main">
                {thumb(case.image_url, false)}
                <div class="row-text">
                    <p class="row-title">
                        <a class="row-link case-link" href=href translate="no">{title}</a>
                    </p>
                    <p class="row-sub case-seller">
                        {seller} " · " <span class="mono" translate="no">{case.listing_id}</span>
                    </p>
                    <p class="row-sub small">
                        {show_brand.then(|| view! { <span class="case-brand" translate="no">{case.brand_name}</span> " · " })}
                        {tr.dated(Key::CreatedOn, case.created_at, false)}
                    </p>
                </div>
            </div>
            <div class="row-meta">
                {case_badge(case.status)}
                {case.overdue.then(overdue_badge)}
                {due}
            </div>
            {children.map(|c| view! { <div class="row-actions">{c()}</div> })}
        </li>
    }
}

/// A seller's name (`.seller`), linking to the brand's page of the seller when its id is known.
pub fn seller_name(brand: BrandId, seller_id: Option<String>, name: String) -> AnyView {
    match seller_id.filter(|id| !id.is_empty()) {
        Some(id) => {
            let href = format!("/brands/{brand}/sellers/{}", http::segment(&id));
            view! { <a class="seller seller-link" href=href translate="no">{name}</a> }.into_any()
        }
        None => view! { <span class="seller" translate="no">{name}</span> }.into_any(),
    }
}
