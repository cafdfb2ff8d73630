//! `/brands/:brand_id/report/bulk`: file up to 1,000 reports from a CSV file. Every row is
//! checked before any is filed: a file with bad rows files nothing and lists the rows.

use crate::components::{act, can_file, text, Arg, Call, ErrorText, PageHeader, Problem, Tpl};
use crate::http::{self, ApiError, Payload};
use crate::i18n::{use_tr, Key};
use crate::pages::brand::BrandFrame;
use crate::pages::cases::CaseRow;
use crate::pages::report::LaneNote;
use jf_core::api::{BrandView, BulkFiled, RowError};
use leptos::ev::SubmitEvent;
use leptos::html::Input;
use leptos::prelude::*;

/// Largest CSV the server takes (2 MiB).
const MAX_CSV_BYTES: f64 = 2.0 * 1024.0 * 1024.0;

#[component]
pub fn BulkPage() -> impl IntoView {
    let page = Callback::new(|brand| view! { <BulkForm brand=brand /> }.into_any());
    view! { <BrandFrame page=page /> }
}

#[component]
fn BulkForm(brand: BrandView) -> impl IntoView {
    let tr = use_tr();
    let name = brand.name.clone();
    let header = view! {
        <PageHeader
            title=text(tr, Key::BulkUpload)
            eyebrow=Signal::derive(move || name.clone())
            lead=text(tr, Key::BulkLead)
        />
    };
    if !can_file(brand.viewer) {
        return view! {
            {header}
            <p class="card empty-state" id="cannot-file">{tr.s(Key::CannotFile)}</p>
        }
        .into_any();
    }
    let api = format!("/api/v1/brands/{}", brand.id);
    let template = format!("{api}/reports/template.csv");
    let path = format!("{api}/reports/bulk");
    let file = NodeRef::<Input>::new();
    let problem = RwSignal::new(None::<(Key, String)>);
    let upload = act();
    let pending = upload.pending();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let picked = file
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|list| list.get(0));
        match picked {
            None => problem.set(Some((Key::ChooseCsv, String::new()))),
            Some(f) if f.size() > MAX_CSV_BYTES => problem.set(Some((Key::FileTooLarge, f.name()))),
            Some(f) => {
                problem.set(None);
                upload.dispatch(Call::new(path.clone(), Payload::Csv(f)));
            }
        }
    };
    view! {
        {header}
        <LaneNote api=api />
        <section class="card" aria-labelledby="bulk-heading">
            <h2 id="bulk-heading">{tr.s(Key::BulkHow)}</h2>
            <p class="muted">{tr.s(Key::BulkTemplateHint)}</p>
            <p>
                <a class="btn btn-secondary" id="bulk-template" href=template download="jointforce-bulk-reports.csv">
                    {tr.s(Key::DownloadTemplate)}
                </a>
            </p>
            <form class="form form-inline-2" id="bulk-form" on:submit=submit novalidate>
                <div class="field">
                    <label for="bulk-file">{tr.s(Key::CsvFile)}</label>
                    <input
                        id="bulk-file"
                        name="file"
                        type="file"
                        class="input input-file"
                        accept=".csv,text/csv"
                        required
                        node_ref=file
                    />
                </div>
                <div class="field field-action">
                    <button type="submit" class="btn btn-primary" id="bulk-submit" disabled=pending>
                        {tr.pick(move || if pending.get() { Key::Working } else { Key::Upload })}
                    </button>
                </div>
            </form>
            <Problem problem=problem />
        </section>
        {move || upload.value().get().map(|result| match http::decode::<BulkFiled>(result) {
            Ok(filed) => view! { <Filed filed=filed /> }.into_any(),
            Err(err) if !err.rows.is_empty() => view! { <BadRows err=err /> }.into_any(),
            Err(err) => view! { <ErrorText err=err /> }.into_any(),
        })}
    }
    .into_any()
}

#[component]
fn Filed(filed: BulkFiled) -> impl IntoView {
    let tr = use_tr();
    let count = filed.created.len().to_string();
    view! {
        <section class="card" id="bulk-created" aria-labelledby="bulk-created-heading">
            <h2 id="bulk-created-heading" class="success-title">
                {tr.fs(Key::BulkFiled, vec![count])}
            </h2>
            <ul class="rows case-rows">
                {filed.created.into_iter().map(|c| view! { <CaseRow case=c /> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn BadRows(err: ApiError) -> impl IntoView {
    let tr = use_tr();
    let count = err.rows.len().to_string();
    view! {
        <section class="card card-bad" id="bulk-errors" aria-labelledby="bulk-errors-heading" role="alert">
            <h2 id="bulk-errors-heading">{tr.fs(Key::BulkNothingFiled, vec![count])}</h2>
            <div class="table-wrap">
                <table class="table">
                    <thead>
                        <tr>
                            <th scope="col">{tr.s(Key::Line)}</th>
                            <th scope="col">{tr.s(Key::Problem)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {err
                            .rows
                            .into_iter()
                            .map(|row| {
                                let line = row.line;
                                view! {
                                    <tr class="bulk-error" data-line=line>
                                        <td class="mono">{line}</td>
                                        <td>{row_problem(row)}</td>
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

/// A row's problem in the interface's language, the data inside kept as sent; a problem this app
/// has no words for is shown as the server said it.
fn row_problem(row: RowError) -> AnyView {
    let data = |i: usize| Arg::Data(row.args.get(i).cloned().unwrap_or_default());
    let column = Arg::Data("ip_right".to_owned());
    let (key, args) = match row.code.as_deref() {
        Some("unknown_right") => (Key::RowUnknownRight, vec![data(0), column]),
        Some("right_not_verified") => (Key::RowRightNotVerified, vec![data(0), column]),
        Some("right_expired") => (Key::RowRightExpired, vec![data(0), column]),
        Some("duplicate_listing") => (Key::RowDuplicateListing, vec![data(0), data(1)]),
        Some("open_case") => (Key::RowOpenCase, vec![data(0), data(1)]),
        Some("invalid") if row.args.len() == 2 => {
            // The CSV file's own name for the field.
            let column = match row.args[0].as_str() {
                "reason_code" => "reason",
                other => other,
            };
            let column = Arg::Data(column.to_owned());
            (Key::RowInvalid, vec![data(0), data(1), column])
        }
        _ => return view! { <span translate="no">{row.problem}</span> }.into_any(),
    };
    view! { <Tpl key=key args=args /> }.into_any()
}
