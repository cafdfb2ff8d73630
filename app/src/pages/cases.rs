//! `/brands/:brand_id/cases`: the brand's cases, filtered by the address; rows other lists reuse.

// The filters and the sort live in the address (`status`, `origin`, `reason`, `from`, `to` as
// dates, `q`, `sort`), so a filtered, sorted list can be linked and back and refresh keep it;
// more pages come by keyset cursor ("Load more"). On a desk the list is a table whose column
// headers sort it; on a phone it is cards.

use crate::components::{
    case_status_key, reason_key, CaseBadge, Due, ErrorSlot, ErrorText, Loading, OverdueBadge,
    PageHeader, Paged, Thumb,
};
use crate::filters::{DateFilter, Filters};
use crate::fmt;
use crate::http::{self, api, encode};
use crate::i18n::{dated, lang, tr, Key};
use crate::state;
use jf_core::api::{CaseList, CaseSummary};
use jf_core::case::Status;
use jf_core::case_list::{CaseSort, SortKey};
use jf_core::cases::ReasonCode;
use jf_core::routes::RouteId;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

/// The filters the address may hold, and the sort.
const NAMES: &[&str] = &["status", "origin", "reason", "from", "to", "q", "sort"];
const PAGE: u32 = 25;
/// From this width the list is a table (`.case-table` in `style/main.css`, from the same width).
const DESK_MIN: f64 = 900.0;

/// Whether the window is desk-wide, following the window as it is resized.
fn desk_wide() -> ReadSignal<bool> {
    let is_wide = || {
        window()
            .inner_width()
            .ok()
            .and_then(|w| w.as_f64())
            .is_some_and(|w| w >= DESK_MIN)
    };
    let (wide, set_wide) = signal(is_wide());
    let listener = window_event_listener(leptos::ev::resize, move |_| {
        let now = is_wide();
        if wide.get_untracked() != now {
            set_wide.set(now);
        }
    });
    on_cleanup(move || listener.remove());
    wide
}

/// The page: header with the export link, the filter form, the results.
#[component]
pub fn Cases() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let brand = Memo::new(move |_| params.read().get("brand_id").unwrap_or_default());
    let filters = Memo::new(move |_| {
        let query = query.read();
        Filters::read(NAMES, |name| query.get(name))
    });
    let api_filters = move || filters.with(|f| f.query(true, None));
    let export = move || {
        format!(
            "{}?{}",
            api(RouteId::ExportCases, &[&brand.get()]),
            api_filters().trim_end_matches('&')
        )
    };
    let list_path = move || {
        format!(
            "{}?{}limit={PAGE}",
            api(RouteId::ListCases, &[&brand.get()]),
            api_filters()
        )
    };
    // The answer carries what it was asked with: the list and its chips follow one address.
    // Back from a case, the list as it was left (its loaded pages, its scroll) stands in for it.
    let memory = state::list_memory();
    let list = LocalResource::new(move || {
        let path = list_path();
        let asked = filters.get();
        async move {
            if let Some(kept) = memory.restore(&path) {
                return Ok((kept.list, path, asked, Some(kept.scroll_y)));
            }
            http::get::<CaseList>(&path)
                .await
                .map(|list| (list, path, asked, None))
        }
    });
    let base = move || format!("/brands/{}", encode(&brand.get()));
    let wide = desk_wide();
    let export_link = move || {
        view! {
            <a class="btn btn-secondary" id="export-csv" href=export download="cases.csv">
                {move || tr(Key::ExportCsv)}
            </a>
        }
    };
    let results = move || {
        list.get().map(|answer| match answer {
            Ok((list, path, asked, scroll_y)) => {
                let current = Status::parse(asked.get("status")).ok();
                // A sort the API refused has answered with its error already.
                let sort = CaseSort::parse(Some(asked.get("sort"))).unwrap_or_default();
                let sorting = Sorting {
                    sort,
                    link: format!("{}/cases?{}", base(), asked.query(false, Some("sort"))),
                };
                view! {
                    <StatusChips
                        base=base()
                        counts=list.counts.clone()
                        query=asked.query(false, Some("status"))
                        current=current
                    />
                    <CaseListView list=list path=path scroll_y wide sorting/>
                }
                .into_any()
            }
            // One line, not a page-level panel: the filters above stay there to change.
            Err(err) => view! { <ErrorText err/> }.into_any(),
        })
    };
    view! {
        <div class="cases-page">
            <PageHeader title=move || tr(Key::NavCases) aside=export_link/>
            <FilterForm base=Signal::derive(base) filters/>
            <div>
                <Suspense fallback=|| view! { <Loading/> }>{results}</Suspense>
            </div>
        </div>
    }
    .into_any()
}

/// The filter form (`#case-filters`): applying it goes to the address with its filters.
///
/// Its fields show the address's filters, and again after each move to another address (as
/// the old page's rebuild did); typing and a language switch leave them alone.
#[component]
fn FilterForm(base: Signal<String>, filters: Memo<Filters>) -> impl IntoView {
    let navigate = use_navigate();
    let form = NodeRef::<leptos::html::Form>::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(data) = form
            .get_untracked()
            .and_then(|f| web_sys::FormData::new_with_form(&f).ok())
        else {
            return;
        };
        let picked = Filters::read(NAMES, |name| data.get(name).as_string());
        let q = picked.query(false, None);
        let to = base.get_untracked();
        navigate(
            &format!("{to}/cases?{}", q.trim_end_matches('&')),
            Default::default(),
        );
    };
    let statuses = Status::ALL
        .iter()
        .map(|s| (s.as_str(), case_status_key(*s)))
        .collect();
    let origins = vec![
        ("report", Key::OriginReport),
        ("detection", Key::OriginDetection),
    ];
    let reasons = ReasonCode::ALL
        .iter()
        .map(|r| {
            (
                r.as_str(),
                reason_key(r.as_str()).unwrap_or(Key::RcCounterfeit),
            )
        })
        .collect();
    let q = move || filters.with(|f| f.get("q").to_owned());
    // Applying the filters keeps the order the list is in.
    let sort = move || filters.with(|f| f.get("sort").to_owned());
    view! {
        <form class="card filters" id="case-filters" role="search" node_ref=form on:submit=on_submit>
            <input type="hidden" name="sort" value=sort prop:value=sort/>
            <div class="field filter-q">
                <label for="f-q">{move || tr(Key::Search)}</label>
                <input
                    class="input"
                    id="f-q"
                    name="q"
                    type="search"
                    value=q
                    prop:value=q
                    autocomplete="off"
                    enterkeyhint="search"
                    maxlength="200"
                    placeholder=move || tr(Key::SearchHint)
                />
            </div>
            <DateFilter name="from" label=Key::FromDate filters/>
            <DateFilter name="to" label=Key::ToDate filters/>
            <FilterSelect name="status" label=Key::CaseStatus filters options=statuses/>
            <FilterSelect name="origin" label=Key::Origin filters options=origins/>
            <FilterSelect name="reason" label=Key::Reason filters options=reasons/>
            <div class="filter-actions">
                <button class="btn btn-primary" type="submit" id="apply-filters">
                    {move || tr(Key::ApplyFilters)}
                </button>
                <a class="btn btn-ghost" id="clear-filters" href=move || format!("{}/cases", base.get())>
                    {move || tr(Key::ClearFilters)}
                </a>
            </div>
        </form>
    }
}

/// A `<select>` filter whose first choice is "all".
#[component]
fn FilterSelect(
    name: &'static str,
    label: Key,
    filters: Memo<Filters>,
    options: Vec<(&'static str, Key)>,
) -> impl IntoView {
    let id = format!("f-{name}");
    let option = move |value: &'static str, key: Key| {
        // The attribute as the address says, and the choice itself (which the attribute no
        // longer moves once the person has chosen).
        let here = move || filters.with(|f| f.get(name) == value);
        view! {
            <option value=value selected=here prop:selected=here>
                {move || tr(key)}
            </option>
        }
    };
    let options = options
        .into_iter()
        .map(|(value, key)| option(value, key))
        .collect_view();
    view! {
        <div class="field">
            <label for=id.clone()>{move || tr(label)}</label>
            <select class="select" id=id name=name>
                {option("", Key::All)}
                {options}
            </select>
        </div>
    }
}

/// The list's order, and the address of the list with its filters (`…/cases?a=b&`), which a
/// column header continues with its own `sort`.
#[derive(Clone)]
struct Sorting {
    sort: CaseSort,
    link: String,
}

impl Sorting {
    /// What a click on `key`'s header asks for: the other way round when the list is already in
    /// that key's order, else its usual first order (newest first for times, the soonest
    /// deadline first, statuses A to Z).
    fn next(&self, key: SortKey) -> CaseSort {
        if self.sort.key == key {
            self.sort.reversed()
        } else {
            CaseSort::new(key, matches!(key, SortKey::Created | SortKey::Updated))
        }
    }

    fn href(&self, key: SortKey) -> String {
        format!("{}sort={}", self.link, self.next(key).as_str())
    }

    /// `aria-sort` of `key`'s header: only the column the list is sorted by says one.
    fn aria(&self, key: SortKey) -> Option<&'static str> {
        (self.sort.key == key).then_some(if self.sort.descending {
            "descending"
        } else {
            "ascending"
        })
    }
}

/// The first page of cases, and "Load more" (`#load-more`) appending the next ones; `path` is
/// the first page's API path, continued with `&cursor=…`. `scroll_y`: where the page stood when
/// this list was left (given back with it, on the way back from a case). `wide`: a desk, where
/// the rows are a table (`#case-table`) whose headers sort it; else cards.
#[component]
fn CaseListView(
    list: CaseList,
    path: String,
    scroll_y: Option<f64>,
    wide: ReadSignal<bool>,
    sorting: Sorting,
) -> impl IntoView {
    if list.cases.is_empty() {
        return view! {
            <p class="card empty-state muted" id="no-cases">
                {move || tr(Key::NoCases)}
            </p>
        }
        .into_any();
    }
    let counts = list.counts;
    let paged = Paged::new(path.clone(), list.cases, list.next_cursor, |l: CaseList| {
        (l.cases, l.next_cursor)
    });
    let Paged {
        rows, next, error, ..
    } = paged;
    keep_on_leaving(path, counts, rows, next, scroll_y);
    let pending = paged.pending();
    let load_more = move |_| paged.load_more();
    // Either layout reads the same rows: resizing across the width keeps the loaded pages.
    let layout = move || {
        if wide.get() {
            view! { <CaseTable rows sorting=sorting.clone()/> }.into_any()
        } else {
            view! {
                <ul class="rows case-rows" id="case-list">
                    <For
                        each=move || rows.get().into_iter().enumerate()
                        key=|(i, _)| *i
                        children=|(_, case)| view! { <CaseRow case=case/> }
                    />
                </ul>
            }
            .into_any()
        }
    };
    view! {
        <section class="card case-list-card">
            {layout}
            <div>
                <Show when=move || next.with(Option::is_some)>
                    <p class="load-more">
                        <button
                            class="btn btn-secondary"
                            type="button"
                            id="load-more"
                            disabled=move || pending.get()
                            on:click=load_more
                        >
                            {move || tr(if pending.get() { Key::Loading } else { Key::LoadMore })}
                        </button>
                    </p>
                </Show>
            </div>
            <ErrorSlot err=error/>
        </section>
    }
    .into_any()
}

/// Keeps the list in the app's memory as it is left (rows, cursor, scroll), and puts the page
/// back where it stood when it is given back (`restored`: the scroll it was left at).
fn keep_on_leaving(
    path: String,
    counts: Vec<(Status, i64)>,
    rows: RwSignal<Vec<CaseSummary>>,
    next: RwSignal<Option<String>>,
    restored: Option<f64>,
) {
    let own_address = state::here();
    if let Some(y) = restored {
        // Once the rows are laid out: the next frame after the one that puts them in.
        request_animation_frame(move || {
            request_animation_frame(move || window().scroll_to_with_x_and_y(0.0, y));
        });
    }
    // The scroll is read as the person scrolls, while the address is still the list's: leaving
    // changes the address first, then the router scrolls the next page to its top.
    let scroll_y = StoredValue::new(restored.unwrap_or(0.0));
    let listener = window_event_listener(leptos::ev::scroll, move |_| {
        if state::here() == own_address {
            scroll_y.set_value(window().scroll_y().unwrap_or(0.0));
        }
    });
    let memory = state::list_memory();
    on_cleanup(move || {
        listener.remove();
        // Read before the signals are dropped: an owner runs its cleanups first.
        let (Some(cases), Some(next_cursor)) = (rows.try_get_untracked(), next.try_get_untracked())
        else {
            return;
        };
        memory.keep(state::KeptList {
            path,
            list: CaseList {
                cases,
                next_cursor,
                counts,
            },
            scroll_y: scroll_y.try_get_value().unwrap_or(0.0),
        });
    });
}

/// The cases as a table on a desk (`#case-table`, its body `#case-list` with a
/// `.case-row[data-case-id][data-status]` per case, as the cards): one compact line each, so a
/// screen holds many; the headers of created, updated, deadline and status sort the list.
#[component]
fn CaseTable(rows: RwSignal<Vec<CaseSummary>>, sorting: Sorting) -> impl IntoView {
    let plain = |class: &'static str, label: Key| {
        view! { <th scope="col" class=class>{move || tr(label)}</th> }
    };
    view! {
        <div class="table-wrap case-table-wrap">
            <table class="table case-table" id="case-table">
                <thead>
                    <tr>
                        {plain("ct-title", Key::ColListing)}
                        {plain("ct-seller", Key::Seller)}
                        <SortHeader class="ct-status" key=SortKey::Status label=Key::CaseStatus sorting=sorting.clone()/>
                        {plain("ct-right", Key::ColRight)}
                        <SortHeader class="ct-created" key=SortKey::Created label=Key::Created sorting=sorting.clone()/>
                        <SortHeader class="ct-deadline" key=SortKey::Deadline label=Key::ColDeadline sorting=sorting.clone()/>
                        <SortHeader class="ct-updated" key=SortKey::Updated label=Key::ColUpdated sorting/>
                    </tr>
                </thead>
                <tbody id="case-list">
                    <For
                        each=move || rows.get().into_iter().enumerate()
                        key=|(i, _)| *i
                        children=|(_, case)| view! { <CaseTableRow case=case/> }
                    />
                </tbody>
            </table>
        </div>
    }
}

/// A column header that sorts the list (`#sort-{key}`): a link to the list in the next order,
/// so back and refresh keep the order; `aria-sort` says the order the list is in.
#[component]
fn SortHeader(class: &'static str, key: SortKey, label: Key, sorting: Sorting) -> impl IntoView {
    let name = CaseSort::new(key, false).as_str();
    let aria = sorting.aria(key);
    let arrow = match aria {
        Some("descending") => "↓",
        Some(_) => "↑",
        None => "↕",
    };
    view! {
        <th scope="col" class=class aria-sort=aria>
            <a class="sort-link" id=format!("sort-{name}") href=sorting.href(key)>
                {move || tr(label)}
                <span class="sort-arrow" aria-hidden="true">{arrow}</span>
            </a>
        </th>
    }
}

/// One case as a table row: the listing's title (to its case file), seller, status, right,
/// and the dates (the whole moment in each cell's tooltip).
#[component]
fn CaseTableRow(case: CaseSummary) -> impl IntoView {
    let brand = case.brand_id.to_string();
    let href = format!("/brands/{brand}/cases/{}", case.id);
    let title = if case.title.trim().is_empty() {
        case.listing_id.clone()
    } else {
        case.title.clone()
    };
    let status = case.status;
    let overdue = case.overdue;
    let row_class = if overdue {
        "case-row row-overdue"
    } else {
        "case-row"
    };
    let deadline = case.deadline_at.filter(|_| status.is_open());
    let due = deadline.map(|at| {
        view! {
            <time
                class=if overdue { "due due-overdue" } else { "due" }
                datetime=fmt::iso(at)
                title=move || fmt::date_time(lang(), at)
            >
                {move || fmt::date(lang(), at)}
            </time>
            {overdue.then(|| view! { <span class="visually-hidden">" " {move || tr(Key::Overdue)}</span> })}
        }
    });
    let moment = |at: jf_core::clock::Millis, relative: bool| {
        view! {
            <time datetime=fmt::iso(at) title=move || fmt::date_time(lang(), at)>
                {move || if relative { fmt::relative(lang(), at) } else { fmt::date(lang(), at) }}
            </time>
        }
    };
    let right = case.right_number.clone().unwrap_or_default();
    view! {
        <tr class=row_class data-case-id=case.id.to_string() data-status=status.as_str()>
            <td class="ct-title">
                <a class="case-link" href=href translate="no" title=title.clone()>{title.clone()}</a>
            </td>
            <td class="ct-seller">
                <SellerName brand=brand seller_id=case.seller_id.clone() name=case.seller_name.clone()/>
            </td>
            <td class="ct-status"><CaseBadge status=status/></td>
            <td class="ct-right mono" translate="no">{right}</td>
            <td class="ct-created">{moment(case.created_at, false)}</td>
            <td class="ct-deadline" data-deadline-at=deadline.map(|at| at.to_string())>{due}</td>
            <td class="ct-updated">{moment(case.updated_at, true)}</td>
        </tr>
    }
}

/// The case counts per status (`#status-counts`), each a link to the list filtered by it.
/// `base`: `/brands/{id}`; `query`: other filters to keep (`a=b&…`); `plain`: not a filter of
/// the page it is on (the brand home), so no chip is current.
#[component]
pub fn StatusChips(
    #[prop(into)] base: String,
    counts: Vec<(Status, i64)>,
    #[prop(optional, into)] query: String,
    #[prop(default = None, into)] current: Option<Status>,
    #[prop(optional)] plain: bool,
) -> impl IntoView {
    let total: i64 = counts.iter().map(|(_, n)| n).sum();
    let all = format!("{base}/cases?{}", query.trim_end_matches('&'));
    let all = all.trim_end_matches('?').to_owned();
    let chips = Status::ALL
        .into_iter()
        .filter_map(|s| {
            let n = counts
                .iter()
                .find(|(c, _)| *c == s)
                .map_or(0, |(_, n)| *n);
            (n > 0).then(|| {
                let href = format!("{base}/cases?{query}status={}", s.as_str());
                view! { <Chip href=href status=s.as_str() here=current == Some(s) label=case_status_key(s) n=n/> }
            })
        })
        .collect_view();
    view! {
        <nav class="chips" id="status-counts" aria-label=move || tr(Key::CasesByStatus)>
            <Chip href=all status="" here=current.is_none() && !plain label=Key::All n=total/>
            {chips}
        </nav>
    }
}

/// One chip of `StatusChips`.
#[component]
fn Chip(href: String, status: &'static str, here: bool, label: Key, n: i64) -> impl IntoView {
    view! {
        <a class="chip" href=href aria-current=here.then_some("page") data-status=status>
            {move || tr(label)}
            <span class="count">{n.to_string()}</span>
        </a>
    }
}

/// One case in a list (`.case-row[data-case-id][data-status]`), linking to its case file under
/// its own brand. Staff lists name the brand (`show_brand`) and may add actions (`children`, in
/// `.row-actions`); `plain_seller`: the seller's name without the link to the seller's page (on
/// that page itself).
#[component]
pub fn CaseRow(
    case: CaseSummary,
    #[prop(optional)] show_brand: bool,
    #[prop(optional)] plain_seller: bool,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let brand = case.brand_id.to_string();
    let href = format!("/brands/{brand}/cases/{}", case.id);
    let seller_id = case.seller_id.clone().filter(|_| !plain_seller);
    let title = if case.title.trim().is_empty() {
        case.listing_id.clone()
    } else {
        case.title.clone()
    };
    let status = case.status;
    let overdue = case.overdue;
    let deadline = case
        .deadline_at
        .filter(|_| status.is_open())
        .map(|at| view! { <Due at=at overdue=overdue status=status/> });
    let row_class = if overdue {
        "row case-row row-overdue"
    } else {
        "row case-row"
    };
    let created = case.created_at;
    let brand_name = show_brand.then(|| {
        view! { <span translate="no" class="case-brand">{case.brand_name.clone()}</span>" · " }
    });
    view! {
        <li class=row_class data-case-id=case.id.to_string() data-status=status.as_str()>
            <div class="row-main">
                <Thumb src=case.image_url.clone() large=false/>
                <div class="row-text">
                    <p class="row-title">
                        <a class="row-link case-link" href=href translate="no">{title}</a>
                    </p>
                    <p class="row-sub case-seller">
                        <SellerName brand=brand seller_id=seller_id name=case.seller_name.clone()/>
                        " · "
                        <span translate="no" class="mono">{case.listing_id.clone()}</span>
                    </p>
                    <p class="row-sub small">
                        {brand_name}
                        {move || dated(Key::CreatedOn, created, false)}
                    </p>
                </div>
            </div>
            <div class="row-meta">
                <CaseBadge status=status/>
                {overdue.then(|| view! { <OverdueBadge/> })}
                {deadline}
            </div>
            {children.map(|actions| view! { <div class="row-actions">{actions()}</div> })}
        </li>
    }
}

/// A seller's name (`.seller`), linking to the brand's page of the seller when its id is known.
#[component]
pub fn SellerName(
    #[prop(into)] brand: String,
    seller_id: Option<String>,
    #[prop(into)] name: String,
) -> impl IntoView {
    match seller_id.filter(|id| !id.is_empty()) {
        Some(id) => view! {
            <a
                class="seller seller-link"
                href=format!("/brands/{brand}/sellers/{}", encode(&id))
                translate="no"
            >
                {name}
            </a>
        }
        .into_any(),
        None => view! { <span translate="no" class="seller">{name}</span> }.into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_sorts_by_its_column_then_the_other_way_and_says_so() {
        let newest = Sorting {
            sort: CaseSort::default(),
            link: "/brands/b/cases?status=appealed&".into(),
        };
        // The filters stay; each column starts in its usual order.
        assert_eq!(
            newest.href(SortKey::Deadline),
            "/brands/b/cases?status=appealed&sort=deadline"
        );
        assert!(newest.href(SortKey::Status).ends_with("&sort=status"));
        assert!(newest.href(SortKey::Updated).ends_with("&sort=-updated"));
        // The column the list is sorted by turns it round.
        assert!(newest.href(SortKey::Created).ends_with("&sort=created"));
        assert_eq!(newest.aria(SortKey::Created), Some("descending"));
        assert_eq!(newest.aria(SortKey::Deadline), None);
        let soonest = Sorting {
            sort: CaseSort::new(SortKey::Deadline, false),
            link: "/brands/b/cases?".into(),
        };
        assert_eq!(
            soonest.href(SortKey::Deadline),
            "/brands/b/cases?sort=-deadline"
        );
        assert_eq!(soonest.aria(SortKey::Deadline), Some("ascending"));
        assert_eq!(soonest.aria(SortKey::Created), None);
    }
}
