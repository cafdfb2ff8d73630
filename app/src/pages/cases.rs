//! `/brands/:brand_id/cases`: the brand's cases, newest first. The filters live in the address
//! (`status`, `origin`, `reason`, `from`, `to` as dates, `q`), so a filtered list can be linked
//! and the back button works; more pages come by keyset cursor ("Load more").

use crate::components::{
    case_badge, case_status, case_status_key, due, error_text, loading, overdue_badge, reason_key,
    thumb, Act, PageHeader,
};
use crate::dom::reactive::*;
use crate::dom::{data, h, hc, ht, spawn, Scope, H};
use crate::http;
use crate::i18n::{dated, tr, Key};
use crate::json::{self, Json};
use crate::router;
use jf_core::case::Status;
use jf_core::cases::ReasonCode;
use wasm_bindgen::JsCast;

/// The filters, in the order of `Filters.0`.
const NAMES: [&str; 6] = ["status", "origin", "reason", "from", "to", "q"];
const PAGE: u32 = 25;

/// The filters as the address holds them (dates as `YYYY-MM-DD`).
struct Filters([String; 6]);

impl Filters {
    fn read(value: &dyn Fn(&str) -> Option<String>) -> Self {
        Filters(NAMES.map(|name| value(name).unwrap_or_default().trim().to_owned()))
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
                out.push_str(name);
                out.push('=');
                out.push_str(&value);
                out.push('&');
            }
        }
        out
    }
}

pub fn page(brand: &str) -> H {
    // A new address (filters applied, a chip followed) builds the page again: read them once.
    let filters = Filters::read(&router::query);
    let brand = http::segment(brand);
    let base = format!("/brands/{brand}");
    let api_filters = filters.query(true, false);
    let api = format!("/api/v1/brands/{brand}/cases?{api_filters}limit={PAGE}");
    let export = format!(
        "/api/v1/brands/{brand}/export/cases.csv?{}",
        api_filters.trim_end_matches('&')
    );
    let header = PageHeader::new(tr(Key::NavCases))
        .aside(
            hc("a", "btn btn-secondary")
                .id("export-csv")
                .attr("href", &export)
                .attr("download", "cases.csv")
                .text(tr(Key::ExportCsv)),
        )
        .build();

    let form = hc("form", "card filters")
        .id("case-filters")
        .attr("role", "search");
    let el = form.clone();
    let to = base.clone();
    let form = form.on_submit(move || {
        let Some(data) = el
            .dyn_ref::<web_sys::HtmlFormElement>()
            .and_then(|f| web_sys::FormData::new_with_form(f).ok())
        else {
            return;
        };
        let picked = Filters::read(&|name| data.get(name).as_string());
        let q = picked.query(false, false);
        router::navigate(&format!("{to}/cases?{}", q.trim_end_matches('&')));
    });
    let input = |name: &str, kind: &str, label: Key| {
        let id = format!("f-{name}");
        let field = hc("div", "field").child(ht("label", tr(label)).attr("for", &id));
        let input = hc("input", "input")
            .id(&id)
            .attr("name", name)
            .attr("type", kind)
            .attr("value", filters.get(name));
        (field, input)
    };
    let (q_field, q_input) = input("q", "search", Key::Search);
    let (from_field, from_input) = input("from", "date", Key::FromDate);
    let (to_field, to_input) = input("to", "date", Key::ToDate);
    let form = form
        .child(
            q_field.class("field filter-q").child(
                q_input
                    .attr("autocomplete", "off")
                    .attr("enterkeyhint", "search")
                    .attr("maxlength", "200")
                    .attr("placeholder", tr(Key::SearchHint)),
            ),
        )
        .child(from_field.child(from_input))
        .child(to_field.child(to_input))
        .child(filter_select(
            "status",
            Key::CaseStatus,
            filters.get("status"),
            Status::ALL
                .iter()
                .map(|s| (s.as_str(), case_status_key(*s)))
                .collect(),
        ))
        .child(filter_select(
            "origin",
            Key::Origin,
            filters.get("origin"),
            vec![
                ("report", Key::OriginReport),
                ("detection", Key::OriginDetection),
            ],
        ))
        .child(filter_select(
            "reason",
            Key::Reason,
            filters.get("reason"),
            ReasonCode::ALL
                .iter()
                .map(|r| {
                    (
                        r.as_str(),
                        reason_key(r.as_str()).unwrap_or(Key::RcCounterfeit),
                    )
                })
                .collect(),
        ))
        .child(
            hc("div", "filter-actions")
                .child(
                    hc("button", "btn btn-primary")
                        .attr("type", "submit")
                        .id("apply-filters")
                        .text(tr(Key::ApplyFilters)),
                )
                .child(
                    hc("a", "btn btn-ghost")
                        .id("clear-filters")
                        .attr("href", &format!("{base}/cases"))
                        .text(tr(Key::ClearFilters)),
                ),
        );

    let results = h("div");
    let query = filters.query(false, true);
    let status = Status::parse(filters.get("status")).ok();
    // As `components::load`, but an error is one line (`.error`) rather than a page-level
    // panel: the filters above stay there to change.
    results.add(&loading());
    let parent = results.clone();
    let page = Scope::current().downgrade();
    spawn(async move {
        let answer = http::get(&api).await;
        page.run(|| {
            parent.clear();
            match answer {
                Ok(list) => {
                    parent.add(&status_chips(
                        &base,
                        &json::get(&list, "counts"),
                        &query,
                        status,
                        false,
                    ));
                    show_list(&parent, &list, api);
                }
                Err(e) => parent.add(&error_text(&e)),
            }
        });
    });
    h("div").child(header).child(form).child(results)
}

/// The first page of cases, and "Load more" (`#load-more`) appending the next ones; `api` is the
/// first page's API path, continued with `&cursor=…`.
fn show_list(p: &H, list: &Json, api: String) {
    let cases = json::list(list, "cases");
    if cases.is_empty() {
        p.add(
            &hc("p", "card empty-state muted")
                .id("no-cases")
                .text(tr(Key::NoCases)),
        );
        return;
    }
    let rows = hc("ul", "rows case-rows").id("case-list");
    for c in &cases {
        rows.add(&case_row(c, false, false, None));
    }
    let next = RwSignal::new(json::os(list, "next_cursor"));
    let more = Act::new();
    let pending = more.pending;
    // Answers are shown only while the page they were asked for is.
    let page = Scope::current().downgrade();
    let list_el = rows.clone();
    let load_more = move || {
        let Some(cursor) = next.get_untracked() else {
            return;
        };
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        more.error.set(None);
        let path = format!("{api}&cursor={}", http::segment(&cursor));
        let (page, rows) = (page.clone(), list_el.clone());
        spawn(async move {
            let answer = http::get(&path).await;
            page.run(|| {
                pending.set(false);
                match answer {
                    Ok(v) => {
                        for c in &json::list(&v, "cases") {
                            rows.add(&case_row(c, false, false, None));
                        }
                        next.set(json::os(&v, "next_cursor"));
                    }
                    Err(e) => more.error.set(Some(e)),
                }
            });
        });
    };
    let button = h("div").region(move |p| {
        if next.get().is_none() {
            return;
        }
        let load_more = load_more.clone();
        p.add(
            &hc("p", "load-more").child(
                hc("button", "btn btn-secondary")
                    .attr("type", "button")
                    .id("load-more")
                    .dyn_flag("disabled", move || pending.get())
                    .dyn_text(move || {
                        tr(if pending.get() {
                            Key::Loading
                        } else {
                            Key::LoadMore
                        })
                        .to_owned()
                    })
                    .on_click(load_more),
            ),
        );
    });
    p.add(
        &hc("section", "card")
            .child(rows)
            .child(button)
            .child(more.error_view()),
    );
}

/// A `<select>` filter whose first choice is "all".
fn filter_select(name: &str, label: Key, current: &str, options: Vec<(&str, Key)>) -> H {
    let id = format!("f-{name}");
    let select = hc("select", "select").id(&id).attr("name", name).child(
        h("option")
            .attr("value", "")
            .flag("selected", current.is_empty())
            .text(tr(Key::All)),
    );
    for (value, key) in options {
        select.add(
            &h("option")
                .attr("value", value)
                .flag("selected", current == value)
                .text(tr(key)),
        );
    }
    hc("div", "field")
        .child(ht("label", tr(label)).attr("for", &id))
        .child(select)
}

/// The case counts per status (`counts`: the API's `[[status, n], …]`), each a link to the list
/// filtered by it (`#status-counts`). `base`: `/brands/{id}`; `query`: other filters to keep
/// (`a=b&…`); `plain`: not a filter of the page it is on (the brand home), so no chip is current.
pub fn status_chips(
    base: &str,
    counts: &Json,
    query: &str,
    current: Option<Status>,
    plain: bool,
) -> H {
    let counts: Vec<(String, i64)> = json::items(counts)
        .iter()
        .map(|pair| {
            let pair = json::items(pair);
            let status = pair.first().and_then(|s| s.as_string()).unwrap_or_default();
            let n = pair.get(1).and_then(|n| n.as_f64()).unwrap_or(0.0) as i64;
            (status, n)
        })
        .collect();
    let total: i64 = counts.iter().map(|(_, n)| n).sum();
    let all = format!("{base}/cases?{}", query.trim_end_matches('&'));
    let chip = |href: &str, status: &str, here: bool, key: Key, n: i64| {
        hc("a", "chip")
            .attr("href", href)
            .attr_opt("aria-current", here.then_some("page"))
            .attr("data-status", status)
            .text(tr(key))
            .child(hc("span", "count").text(&n.to_string()))
    };
    let nav = hc("nav", "chips")
        .id("status-counts")
        .attr("aria-label", tr(Key::CasesByStatus))
        .child(chip(
            all.trim_end_matches('?'),
            "",
            current.is_none() && !plain,
            Key::All,
            total,
        ));
    for s in Status::ALL {
        let n = counts
            .iter()
            .find(|(c, _)| c == s.as_str())
            .map_or(0, |(_, n)| *n);
        if n > 0 {
            let href = format!("{base}/cases?{query}status={}", s.as_str());
            nav.add(&chip(
                &href,
                s.as_str(),
                current == Some(s),
                case_status_key(s),
                n,
            ));
        }
    }
    nav
}

/// One case in a list (`.case-row[data-case-id][data-status]`, a `CaseSummary`), linking to its
/// case file under its own brand. Staff lists name the brand (`show_brand`) and may add actions;
/// `plain_seller`: the seller's name without the link to the seller's page (on that page itself).
pub fn case_row(case: &Json, show_brand: bool, plain_seller: bool, actions: Option<H>) -> H {
    let brand = json::s(case, "brand_id");
    let href = format!("/brands/{brand}/cases/{}", json::s(case, "id"));
    let seller_id = json::os(case, "seller_id").filter(|_| !plain_seller);
    let seller = seller_name(&brand, seller_id.as_deref(), &json::s(case, "seller_name"));
    let listing = json::s(case, "listing_id");
    let title = json::s(case, "title");
    let title = if title.trim().is_empty() {
        listing.clone()
    } else {
        title
    };
    let status = case_status(&json::s(case, "status"));
    let overdue = json::b(case, "overdue");
    let deadline = json::oi(case, "deadline_at")
        .filter(|_| status.is_open())
        .map(|at| due(at, overdue));
    let row_class = if overdue {
        "row case-row row-overdue"
    } else {
        "row case-row"
    };
    let mut when = hc("p", "row-sub small");
    if show_brand {
        when = when
            .child(data(&json::s(case, "brand_name")).class("case-brand"))
            .text(" · ");
    }
    hc("li", row_class)
        .attr("data-case-id", &json::s(case, "id"))
        .attr("data-status", status.as_str())
        .child(
            hc("div", "row-main")
                .child(thumb(json::os(case, "image_url").as_deref(), false))
                .child(
                    hc("div", "row-text")
                        .child(
                            hc("p", "row-title").child(
                                hc("a", "row-link case-link")
                                    .attr("href", &href)
                                    .data()
                                    .text(&title),
                            ),
                        )
                        .child(
                            hc("p", "row-sub case-seller")
                                .child(seller)
                                .text(" · ")
                                .child(data(&listing).class("mono")),
                        )
                        .child(when.text(&dated(
                            Key::CreatedOn,
                            json::i(case, "created_at"),
                            false,
                        ))),
                ),
        )
        .child(
            hc("div", "row-meta")
                .child(case_badge(status))
                .child_opt(overdue.then(overdue_badge))
                .child_opt(deadline),
        )
        .child_opt(actions.map(|a| hc("div", "row-actions").child(a)))
}

/// A seller's name (`.seller`), linking to the brand's page of the seller when its id is known.
pub fn seller_name(brand: &str, seller_id: Option<&str>, name: &str) -> H {
    match seller_id.filter(|id| !id.is_empty()) {
        Some(id) => hc("a", "seller seller-link")
            .attr(
                "href",
                &format!("/brands/{brand}/sellers/{}", http::segment(id)),
            )
            .data()
            .text(name),
        None => data(name).class("seller"),
    }
}
