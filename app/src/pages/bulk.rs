//! `/brands/:brand_id/report/bulk`: file up to 1,000 reports from a CSV file. Every row is
//! checked before any is filed: a file with bad rows files nothing and lists the rows.

use crate::components::{error_text, tpl_into, with_data, Act, Arg, Request};
use crate::dom::reactive::*;
use crate::dom::{data, h, hc, ht, H};
use crate::http::ApiError;
use crate::i18n::{lang, reason_zh, tr, trf, Key, Lang};
use crate::json::{self, Json};
use crate::pages::cases::case_row;
use crate::pages::report::{header_or_refusal, lane_note, problem_view};
use jf_core::api::RowError;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;

/// Largest CSV the server takes (2 MiB).
const MAX_CSV_BYTES: f64 = 2.0 * 1024.0 * 1024.0;

pub fn page(brand: &str) -> H {
    crate::pages::brand::frame(brand, Box::new(form))
}

fn form(p: &H, brand: &Json) {
    if !header_or_refusal(p, brand, Key::BulkUpload, Key::BulkLead) {
        return;
    }
    let api = format!("/api/v1/brands/{}", json::s(brand, "id"));
    let path = format!("{api}/reports/bulk");
    let problem = RwSignal::new(None::<(Key, String)>);
    let upload = Act::new();
    // The last upload's answer (its failure is `upload.error`).
    let filed: RwSignal<Option<Json>> = RwSignal::new(None);
    let file = hc("input", "input input-file")
        .id("bulk-file")
        .attr("name", "file")
        .attr("type", "file")
        .attr("accept", ".csv,text/csv")
        .flag("required", true);
    let input: HtmlInputElement = file.0.clone().unchecked_into();
    let submit = move || {
        if upload.pending.get_untracked() {
            return;
        }
        match input.files().and_then(|list| list.get(0)) {
            None => problem.set(Some((Key::ChooseCsv, String::new()))),
            Some(f) if f.size() > MAX_CSV_BYTES => problem.set(Some((Key::FileTooLarge, f.name()))),
            Some(f) => {
                problem.set(None);
                filed.set(None);
                upload.send(Request::Csv(path.clone(), f), move |v| filed.set(Some(v)));
            }
        }
    };
    lane_note(p, &api);
    p.add(
        &hc("section", "card")
            .attr("aria-labelledby", "bulk-heading")
            .child(ht("h2", tr(Key::BulkHow)).id("bulk-heading"))
            .child(hc("p", "muted").text(tr(Key::BulkTemplateHint)))
            .child(
                h("p").child(
                    hc("a", "btn btn-secondary")
                        .id("bulk-template")
                        .attr("href", &format!("{api}/reports/template.csv"))
                        .attr("download", "jointforce-bulk-reports.csv")
                        .text(tr(Key::DownloadTemplate)),
                ),
            )
            .child(
                hc("form", "form form-inline-2")
                    .id("bulk-form")
                    .flag("novalidate", true)
                    .on_submit(submit)
                    .child(
                        hc("div", "field")
                            .child(ht("label", tr(Key::CsvFile)).attr("for", "bulk-file"))
                            .child(file),
                    )
                    .child(hc("div", "field field-action").child(upload.submit(
                        "bulk-submit",
                        "btn btn-primary",
                        Key::Upload,
                        Key::Working,
                    ))),
            )
            .child(problem_view(problem)),
    );
    let error = upload.error;
    p.add(&h("div").region(move |p| {
        if let Some(v) = filed.get() {
            p.add(&filed_view(&v));
        }
        match error.get() {
            Some(err) if !err.rows.is_empty() => p.add(&bad_rows(&err)),
            Some(err) => p.add(&error_text(&err)),
            None => {}
        }
    }));
}

fn filed_view(v: &Json) -> H {
    let created = json::list(v, "created");
    hc("section", "card")
        .id("bulk-created")
        .attr("aria-labelledby", "bulk-created-heading")
        .child(
            hc("h2", "success-title")
                .id("bulk-created-heading")
                .text(&trf(Key::BulkFiled, &[&created.len().to_string()])),
        )
        .child(
            hc("ul", "rows case-rows")
                .children(created.iter().map(|c| case_row(c, false, false, None))),
        )
}

fn bad_rows(err: &ApiError) -> H {
    let body = h("tbody").children(err.rows.iter().map(|row| {
        let line = row.line.to_string();
        hc("tr", "bulk-error")
            .attr("data-line", &line)
            .child(hc("td", "mono").text(&line))
            .child(row_problem(row))
    }));
    hc("section", "card card-bad")
        .id("bulk-errors")
        .attr("aria-labelledby", "bulk-errors-heading")
        .attr("role", "alert")
        .child(
            ht(
                "h2",
                &trf(Key::BulkNothingFiled, &[&err.rows.len().to_string()]),
            )
            .id("bulk-errors-heading"),
        )
        .child(
            hc("div", "table-wrap").child(
                hc("table", "table")
                    .child(
                        h("thead").child(
                            h("tr")
                                .child(ht("th", tr(Key::Line)).attr("scope", "col"))
                                .child(ht("th", tr(Key::Problem)).attr("scope", "col")),
                        ),
                    )
                    .child(body),
            ),
        )
}

/// A row's problem (a `<td>`) in the interface's language, the data inside kept as sent; a
/// problem this app has no words for is shown as the server said it.
fn row_problem(row: &RowError) -> H {
    let data_arg = |i: usize| Arg::Data(row.args.get(i).cloned().unwrap_or_default());
    let column = Arg::Data("ip_right".to_owned());
    let (key, args) = match row.code.as_deref() {
        Some("unknown_right") => (Key::RowUnknownRight, vec![data_arg(0), column]),
        Some("right_not_verified") => (Key::RowRightNotVerified, vec![data_arg(0), column]),
        Some("right_expired") => (Key::RowRightExpired, vec![data_arg(0), column]),
        Some("duplicate_listing") => (Key::RowDuplicateListing, vec![data_arg(0), data_arg(1)]),
        Some("open_case") => (Key::RowOpenCase, vec![data_arg(0), data_arg(1)]),
        Some("invalid") if row.args.len() == 2 => {
            // The CSV file's own name for the field.
            let column = match row.args[0].as_str() {
                "reason_code" => "reason",
                other => other,
            };
            // In Chinese, the field's own check says why when the server gave its reason.
            let why_zh = (lang() == Lang::Zh)
                .then(|| row.reason.as_deref().and_then(reason_zh))
                .flatten();
            if let Some(why) = why_zh {
                let cell = h("td").child(data(column)).text(" 列：");
                return with_data(cell, why, &row.reason_args);
            }
            let column = Arg::Data(column.to_owned());
            (Key::RowInvalid, vec![data_arg(0), data_arg(1), column])
        }
        _ => return h("td").child(data(&row.problem)),
    };
    tpl_into(h("td"), key, &args, "")
}
