//! `/brands/:brand_id/report/bulk`: file up to 1,000 reports from a CSV file, all or none.

use crate::components::{
    can_file, coded, kind_key, reason_key, tpl_into, usable_rights, with_data, Arg, ErrorText,
    Loaded, OutOfProgramme, Submit,
};
use crate::http::{self, ApiError};
use crate::i18n::{lang, tr, trf, Key, Lang};
use crate::pages::cases::CaseRow;
use crate::pages::report::{CannotFile, FilingHeader, LaneNote, Problem, ProblemText};
use crate::reason::reason_zh;
use jf_core::api::{BrandView, BulkColumn, BulkFiled, IpRightView, RowCode, RowError};
use jf_core::cases::ReasonCode;
use jf_core::reasons::Reason;
use jf_core::routes::RouteId;
use jf_core::types::ProgrammeStatus;
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
        {if brand.programme_status != ProgrammeStatus::Enrolled {
            view! { <OutOfProgramme brand=brand.clone()/> }.into_any()
        } else if files {
            view! {
                <LaneNote brand=brand.id.to_string()/>
                <Upload brand=brand.id.to_string()/>
                <Help brand=brand.id.to_string()/>
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

/// What the template's columns take: the rights the brand may invoke now (`#bulk-rights`, one
/// `tr[data-number]` each) and the reason codes with their meaning (`#bulk-reasons`, one
/// `tr[data-code]` each), in the interface's language.
#[component]
fn Help(brand: String) -> impl IntoView {
    let rights = usable_rights(&brand, RwSignal::new(String::new()));
    let show = |usable: Vec<IpRightView>| {
        if usable.is_empty() {
            return view! {
                <p class="notice notice-warn" id="bulk-no-right" role="status">
                    {move || tr(Key::BulkNoUsableRight)}
                </p>
            }
            .into_any();
        }
        let rows = usable
            .into_iter()
            .map(|r| {
                let kind = r.kind.clone();
                let number = r.registration_number.clone();
                view! {
                    <tr data-number=number>
                        <td class="mono" translate="no">{r.registration_number}</td>
                        <td translate="no">{r.jurisdiction}</td>
                        <td>{move || coded(kind_key(&kind), &kind)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-wrap">
                <table class="table" id="bulk-rights-table">
                    <thead>
                        <tr>
                            <th scope="col">{move || tr(Key::RegistrationNumber)}</th>
                            <th scope="col">{move || tr(Key::Jurisdiction)}</th>
                            <th scope="col">{move || tr(Key::RightKind)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let reasons = ReasonCode::ALL
        .into_iter()
        .map(|code| {
            let name = reason_key(code.as_str()).unwrap_or(Key::RcCounterfeit);
            view! {
                <tr data-code=code.as_str()>
                    <td class="mono" translate="no">{code.as_str()}</td>
                    <td>
                        <strong>{move || tr(name)}</strong>
                        " "
                        {move || tr(meaning_key(code))}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card" id="bulk-rights" aria-labelledby="bulk-rights-heading">
            <h2 id="bulk-rights-heading">{move || tr(Key::BulkRightsHeading)}</h2>
            <p class="muted">
                {tpl_into(Key::BulkRightsLead, vec![Arg::Data(column_name(BulkColumn::IpRight).to_owned())], "")}
            </p>
            <Loaded resource=rights show/>
        </section>
        <section class="card" id="bulk-reasons" aria-labelledby="bulk-reasons-heading">
            <h2 id="bulk-reasons-heading">{move || tr(Key::BulkReasonsHeading)}</h2>
            <p class="muted">
                {tpl_into(Key::BulkReasonsLead, vec![Arg::Data(column_name(BulkColumn::Reason).to_owned())], "")}
            </p>
            <div class="table-wrap">
                <table class="table">
                    <thead>
                        <tr>
                            <th scope="col">{move || tr(Key::ReasonCodeCol)}</th>
                            <th scope="col">{move || tr(Key::Meaning)}</th>
                        </tr>
                    </thead>
                    <tbody>{reasons}</tbody>
                </table>
            </div>
        </section>
    }
}

/// What a reason code means, in the interface's language.
fn meaning_key(code: ReasonCode) -> Key {
    match code {
        ReasonCode::Counterfeit => Key::RcCounterfeitMeans,
        ReasonCode::TrademarkMisuse => Key::RcTrademarkMisuseMeans,
        ReasonCode::Copyright => Key::RcCopyrightMeans,
        ReasonCode::DesignRight => Key::RcDesignRightMeans,
        ReasonCode::Patent => Key::RcPatentMeans,
    }
}

/// Every problem of the rows that stopped the upload, one table row each
/// (`tr.bulk-error[data-line][data-column]`): its line, its column as the file names it, and what
/// is wrong in the interface's language.
#[component]
fn BadRows(rows: Vec<RowError>) -> impl IntoView {
    let problems = rows.len().to_string();
    let mut lines: Vec<usize> = rows.iter().map(|r| r.line).collect();
    lines.dedup();
    let lines = lines.len().to_string();
    view! {
        <section
            class="card card-bad"
            id="bulk-errors"
            aria-labelledby="bulk-errors-heading"
            role="alert"
        >
            <h2 id="bulk-errors-heading">
                {move || trf(Key::BulkNothingFiled, &[&problems, &lines])}
            </h2>
            <div class="table-wrap">
                <table class="table">
                    <thead>
                        <tr>
                            <th scope="col">{move || tr(Key::Line)}</th>
                            <th scope="col">{move || tr(Key::BulkColumn)}</th>
                            <th scope="col">{move || tr(Key::Problem)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|row| {
                                let line = row.line.to_string();
                                let shown = line.clone();
                                let column = column_name(row.column);
                                view! {
                                    <tr class="bulk-error" data-line=line data-column=column>
                                        <td class="mono">{shown}</td>
                                        <td class="mono" translate="no">{column}</td>
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

/// A column as the CSV file's header names it (the person wrote it: shown as it is).
fn column_name(column: BulkColumn) -> &'static str {
    column.as_str()
}

/// A problem (the inside of its `<td>`) in the interface's language, the data inside kept as
/// sent; a problem this app has no words for is shown as the server said it. Follows the
/// language (read in a reactive closure).
pub(crate) fn row_problem(row: &RowError) -> AnyView {
    let data_arg = |i: usize| Arg::Data(row.args.get(i).cloned().unwrap_or_default());
    let (key, args) = match row.code {
        Some(RowCode::UnknownRight) => (Key::RowUnknownRight, vec![data_arg(0)]),
        Some(RowCode::RightNotVerified) => (Key::RowRightNotVerified, vec![data_arg(0)]),
        Some(RowCode::RightExpired) => (Key::RowRightExpired, vec![data_arg(0)]),
        Some(RowCode::DuplicateListing) => {
            (Key::RowDuplicateListing, vec![data_arg(0), data_arg(1)])
        }
        Some(RowCode::OpenCase) => (Key::RowOpenCase, vec![data_arg(0), data_arg(1)]),
        Some(RowCode::Invalid) if row.args.len() == 2 => {
            // In Chinese, the column's own check says why when the server gave its reason.
            let why_zh = row
                .reason
                .as_deref()
                .filter(|_| lang() == Lang::Zh)
                .and_then(|code| Reason::from_wire(code, &row.reason_args));
            if let Some(why) = why_zh {
                let (template, args) = reason_zh(&why);
                return with_data(template, &args);
            }
            // args: the column, then why in English.
            (Key::RowInvalid, vec![data_arg(1)])
        }
        // A column's check without its two parts, or no code: as the server said it.
        Some(RowCode::Invalid) | None => {
            return view! { <span translate="no">{row.problem.clone()}</span> }.into_any()
        }
    };
    tpl_into(key, args, "").into_any()
}
