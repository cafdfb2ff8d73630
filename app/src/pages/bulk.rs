//! `/brands/:brand_id/report/bulk`: file up to 1,000 reports from a CSV file, all or none.

use crate::components::{can_file, tpl_into, with_data, Arg, ErrorText, Submit};
use crate::http::{self, ApiError};
use crate::i18n::{lang, tr, trf, Key, Lang};
use crate::pages::cases::CaseRow;
use crate::pages::report::{CannotFile, FilingHeader, LaneNote, Problem, ProblemText};
use crate::reason::reason_zh;
use jf_core::api::RowCode;
use jf_core::api::{BrandView, BulkFiled, RowError};
use jf_core::reasons::Reason;
use jf_core::routes::RouteId;
use leptos::html;
use leptos::prelude::*;
use web_sys::File;

/// Largest CSV the server takes (2 MiB).
const MAX_CSV_BYTES: f64 = 2.0 * 1024.0 * 1024.0;

/// The bulk upload page. Every row is checked before any is filed: a file with bad rows files
/// nothing and lists the rows.
#[component]
pub fn Bulk() -> impl IntoView {
    let brand = expect_context::<BrandView>();
    let files = can_file(brand.viewer);
    view! {
        <FilingHeader brand=brand.clone() title=Key::BulkUpload lead=Key::BulkLead/>
        {if files {
            view! {
                <LaneNote brand=brand.id.to_string()/>
                <Upload brand=brand.id.to_string()/>
            }
                .into_any()
        } else {
            view! { <CannotFile/> }.into_any()
        }}
    }
    .into_any()
}

/// The template, the form, and what the last upload came to.
#[component]
fn Upload(brand: String) -> impl IntoView {
    let path = http::api(RouteId::BulkReports, &[&brand]);
    let template = http::api(RouteId::BulkTemplate, &[&brand]);
    let problem: RwSignal<Problem> = RwSignal::new(None);
    // The last upload's answer, or its failure.
    let filed = RwSignal::new(None::<BulkFiled>);
    let error = RwSignal::new(None::<ApiError>);
    let file_input = NodeRef::<html::Input>::new();
    let upload = Action::new_local(move |file: &File| {
        let (path, file) = (path.clone(), file.clone());
        async move {
            let answer = match http::read_text(&file).await {
                Ok(csv) => http::post_csv::<BulkFiled>(&path, csv).await,
                Err(e) => Err(e),
            };
            match answer {
                Ok(v) => {
                    filed.try_set(Some(v));
                }
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        }
    });
    let pending = upload.pending();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let picked = file_input
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|list| list.get(0));
        match picked {
            None => problem.set(Some((Key::ChooseCsv, String::new()))),
            Some(f) if f.size() > MAX_CSV_BYTES => problem.set(Some((Key::FileTooLarge, f.name()))),
            Some(f) => {
                problem.set(None);
                filed.set(None);
                error.set(None);
                upload.dispatch_local(f);
            }
        }
    };
    view! {
        <section class="card" aria-labelledby="bulk-heading">
            <h2 id="bulk-heading">{move || tr(Key::BulkHow)}</h2>
            <p class="muted">{move || tr(Key::BulkTemplateHint)}</p>
            <p>
                <a
                    class="btn btn-secondary"
                    id="bulk-template"
                    href=template
                    download="jointforce-bulk-reports.csv"
                >
                    {move || tr(Key::DownloadTemplate)}
                </a>
            </p>
            <form class="form form-inline-2" id="bulk-form" novalidate on:submit=submit>
                <div class="field">
                    <label for="bulk-file">{move || tr(Key::CsvFile)}</label>
                    <input
                        class="input input-file"
                        id="bulk-file"
                        name="file"
                        type="file"
                        accept=".csv,text/csv"
                        required
                        node_ref=file_input
                    />
                </div>
                <div class="field field-action">
                    <Submit
                        pending=pending
                        idle=Key::Upload
                        busy=Key::Working
                        id="bulk-submit"
                        class="btn btn-primary"
                    />
                </div>
            </form>
            <ProblemText problem=problem/>
        </section>
        <div>
            {move || filed.get().map(|v| view! { <Filed filed=v/> })}
            {move || {
                error
                    .get()
                    .map(|err| {
                        if err.rows.is_empty() {
                            view! { <ErrorText err=err/> }.into_any()
                        } else {
                            view! { <BadRows rows=err.rows/> }.into_any()
                        }
                    })
            }}
        </div>
    }
}

/// The reports filed, as case rows.
#[component]
fn Filed(filed: BulkFiled) -> impl IntoView {
    let n = filed.created.len().to_string();
    view! {
        <section class="card" id="bulk-created" aria-labelledby="bulk-created-heading">
            <h2 class="success-title" id="bulk-created-heading">
                {move || trf(Key::BulkFiled, &[&n])}
            </h2>
            <ul class="rows case-rows">
                {filed
                    .created
                    .into_iter()
                    .map(|case| view! { <CaseRow case=case/> })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// The rows that stopped the upload (`tr.bulk-error[data-line]`).
#[component]
fn BadRows(rows: Vec<RowError>) -> impl IntoView {
    let n = rows.len().to_string();
    view! {
        <section
            class="card card-bad"
            id="bulk-errors"
            aria-labelledby="bulk-errors-heading"
            role="alert"
        >
            <h2 id="bulk-errors-heading">{move || trf(Key::BulkNothingFiled, &[&n])}</h2>
            <div class="table-wrap">
                <table class="table">
                    <thead>
                        <tr>
                            <th scope="col">{move || tr(Key::Line)}</th>
                            <th scope="col">{move || tr(Key::Problem)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|row| {
                                let line = row.line.to_string();
                                let shown = line.clone();
                                view! {
                                    <tr class="bulk-error" data-line=line>
                                        <td class="mono">{shown}</td>
                                        <td>{move || row_problem(&row)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// A row's problem (the inside of its `<td>`) in the interface's language, the data inside kept
/// as sent; a problem this app has no words for is shown as the server said it. Follows the
/// language (read in a reactive closure).
fn row_problem(row: &RowError) -> AnyView {
    let data_arg = |i: usize| Arg::Data(row.args.get(i).cloned().unwrap_or_default());
    let column = Arg::Data("ip_right".to_owned());
    let (key, args) = match row.code {
        Some(RowCode::UnknownRight) => (Key::RowUnknownRight, vec![data_arg(0), column]),
        Some(RowCode::RightNotVerified) => (Key::RowRightNotVerified, vec![data_arg(0), column]),
        Some(RowCode::RightExpired) => (Key::RowRightExpired, vec![data_arg(0), column]),
        Some(RowCode::DuplicateListing) => {
            (Key::RowDuplicateListing, vec![data_arg(0), data_arg(1)])
        }
        Some(RowCode::OpenCase) => (Key::RowOpenCase, vec![data_arg(0), data_arg(1)]),
        Some(RowCode::Invalid) if row.args.len() == 2 => {
            // The CSV file's own name for the field.
            let column = match row.args[0].as_str() {
                "reason_code" => "reason",
                other => other,
            };
            // In Chinese, the field's own check says why when the server gave its reason.
            let why_zh = row
                .reason
                .as_deref()
                .filter(|_| lang() == Lang::Zh)
                .and_then(|code| Reason::from_wire(code, &row.reason_args));
            if let Some(why) = why_zh {
                let (template, args) = reason_zh(&why);
                return view! {
                    <span translate="no">{column.to_owned()}</span>
                    " 列："
                    {with_data(template, &args)}
                }
                .into_any();
            }
            let column = Arg::Data(column.to_owned());
            (Key::RowInvalid, vec![data_arg(0), data_arg(1), column])
        }
        // A field's check without its two parts, or no code: as the server said it.
        Some(RowCode::Invalid) | None => {
            return view! { <span translate="no">{row.problem.clone()}</span> }.into_any()
        }
    };
    tpl_into(key, args, "").into_any()
}
