//! `/brands/:brand_id/report`: one report filed by hand (and the pieces the bulk page shares).

use crate::components::{
    can_file, Arg, ErrorSlot, KeyError, OutOfProgramme, PageHeader, ReasonField, RightField,
    StatementField, Submit, Tpl,
};
use crate::http::{self, ApiError};
use crate::i18n::{tr, Key};
use jf_core::api::{BrandStats, BrandView, CaseView};
use jf_core::cases::MIN_STATEMENT_CHARS;
use jf_core::files::{MAX_EVIDENCE_FILES, MAX_FILE_BYTES};
use jf_core::programme::Lane;
use jf_core::routes::RouteId;
use jf_core::types::ProgrammeStatus;
use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use web_sys::{File, FormData, HtmlInputElement};

/// What an evidence or certificate file may be.
pub const ACCEPT: &str = "image/png,image/jpeg,image/webp,application/pdf";

/// A problem found before asking the server, with one argument (a file name, a count…).
pub type Problem = Option<(Key, String)>;

/// The report page: the listing, the right, the reason, a statement, evidence links and files,
/// and the good-faith declaration, sent as `multipart/form-data`; on success the new case file
/// opens.
#[component]
pub fn Report() -> impl IntoView {
    let brand = expect_context::<BrandView>();
    let files = can_file(brand.viewer);
    view! {
        <FilingHeader brand=brand.clone() title=Key::FileReport lead=Key::ReportLead/>
        {if brand.programme_status != ProgrammeStatus::Enrolled {
            view! { <OutOfProgramme brand=brand.clone()/> }.into_any()
        } else if files {
            view! {
                <LaneNote brand=brand.id.to_string()/>
                <ReportForm brand=brand.id.to_string()/>
            }
                .into_any()
        } else {
            view! { <CannotFile/> }.into_any()
        }}
    }
    .into_any()
}

/// The heading of a filing page (the brand's name above it).
#[component]
pub fn FilingHeader(brand: BrandView, title: Key, lead: Key) -> impl IntoView {
    view! {
        <PageHeader title=move || tr(title) eyebrow=brand.name lead=move || tr(lead)/>
    }
}

/// What a viewer who may not file for the brand sees instead of the form.
#[component]
pub fn CannotFile() -> impl IntoView {
    view! { <p class="card empty-state" id="cannot-file">{move || tr(Key::CannotFile)}</p> }
}

/// A problem found before asking the server (`.error`), while there is one; in a `<div>` that
/// keeps its place.
#[component]
pub fn ProblemText(problem: RwSignal<Problem>) -> impl IntoView {
    view! {
        <div>
            {move || {
                problem
                    .get()
                    .map(|(key, arg)| view! { <KeyError key=key args=vec![arg]/> })
            }}
        </div>
    }
}

/// The files picked in `input`, checked as the server will check them: at most `max`, each at
/// most 5 MB and a PNG, JPEG, WebP or PDF.
pub fn picked_files(input: &HtmlInputElement, max: usize) -> Result<Vec<File>, (Key, String)> {
    let Some(list) = input.files() else {
        return Ok(Vec::new());
    };
    if list.length() as usize > max {
        return Err((Key::TooManyFiles, max.to_string()));
    }
    let mut files = Vec::new();
    for i in 0..list.length() {
        let Some(file) = list.get(i) else { continue };
        let name = file.name();
        let lower = name.to_ascii_lowercase();
        let by_type = ACCEPT.split(',').any(|t| t == file.type_());
        let by_name = [".png", ".jpg", ".jpeg", ".webp", ".pdf"]
            .iter()
            .any(|ext| lower.ends_with(ext));
        if !(by_type || (file.type_().is_empty() && by_name)) {
            return Err((Key::FileWrongType, name));
        }
        if file.size() > MAX_FILE_BYTES as f64 {
            return Err((Key::FileTooLarge, name));
        }
        files.push(file);
    }
    Ok(files)
}

/// Whether `s` is a case id (a hyphenated UUID), without a UUID parser in the wasm.
fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// The case a refused report names: a listing that already has an open case (a 409 whose
/// message ends with that case's id).
fn open_case_of(err: &ApiError) -> Option<String> {
    (err.status == 409)
        .then(|| err.message.rsplit([' ', ':']).next())
        .flatten()
        .filter(|id| is_uuid(id))
        .map(str::to_owned)
}

/// The form. Built once: every field is bound to a signal and every word follows the language,
/// so switching language halfway through keeps what was typed.
#[component]
fn ReportForm(brand: String) -> impl IntoView {
    let listing = RwSignal::new(String::new());
    let right = RwSignal::new(String::new());
    let reason = RwSignal::new("counterfeit".to_owned());
    let statement = RwSignal::new(String::new());
    let links = RwSignal::new(String::new());
    let good_faith = RwSignal::new(false);
    let problem: RwSignal<Problem> = RwSignal::new(None);
    let error = RwSignal::new(None::<ApiError>);
    let files_input = NodeRef::<html::Input>::new();
    let picked = move || match files_input.get_untracked() {
        Some(input) => picked_files(&input, MAX_EVIDENCE_FILES),
        None => Ok(Vec::new()),
    };

    let path = http::api(RouteId::FileReport, &[&brand]);
    let case_base = format!("/brands/{brand}/cases/");
    let navigate = use_navigate();
    let file_report = {
        let case_base = case_base.clone();
        Action::new_local(move |form: &FormData| {
            let (path, form, case_base) = (path.clone(), form.clone(), case_base.clone());
            let navigate = navigate.clone();
            async move {
                match http::post_form::<CaseView>(&path, &form).await {
                    // Filed: on to the new case file.
                    Ok(case) => navigate(&format!("{case_base}{}", case.id), Default::default()),
                    Err(e) => {
                        error.try_set(Some(e));
                    }
                }
            }
        })
    };
    let pending = file_report.pending();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let chosen = right.get_untracked();
        let picked = picked();
        let found = if listing.with_untracked(|l| l.trim().is_empty()) {
            Some((Key::ListingRequired, String::new()))
        } else if chosen.is_empty() {
            Some((Key::NoUsableRight, String::new()))
        } else if statement.with_untracked(|s| s.trim().chars().count()) < MIN_STATEMENT_CHARS {
            Some((Key::StatementTooShort, MIN_STATEMENT_CHARS.to_string()))
        } else if !good_faith.get_untracked() {
            Some((Key::GoodFaithRequired, String::new()))
        } else {
            picked.as_ref().err().cloned()
        };
        problem.set(found.clone());
        let (None, Ok(picked)) = (found, picked) else {
            return;
        };
        let Ok(form) = FormData::new() else { return };
        let links = links.get_untracked();
        let urls: Vec<&str> = links.split_whitespace().collect();
        let fields = [
            ("listing", listing.get_untracked().trim().to_owned()),
            ("ip_right_id", chosen),
            ("reason_code", reason.get_untracked()),
            ("statement", statement.get_untracked().trim().to_owned()),
            ("evidence_urls", urls.join("\n")),
            ("good_faith", "true".to_owned()),
        ];
        for (name, value) in fields {
            let _ = form.append_with_str(name, &value);
        }
        for file in picked {
            let _ = form.append_with_blob_and_filename("evidence", &file, &file.name());
        }
        error.set(None);
        file_report.dispatch_local(form);
    };

    let open_case = move || {
        error.with(|e| e.as_ref().and_then(open_case_of)).map(|id| {
            view! {
                <p>
                    <a class="btn btn-secondary" id="open-case" href=format!("{case_base}{id}")>
                        {move || tr(Key::OpenExistingCase)}
                    </a>
                </p>
            }
        })
    };

    view! {
        <form class="card form report-form" id="report-form" novalidate on:submit=submit>
            <div class="field">
                <label for="report-listing">{move || tr(Key::ListingField)}</label>
                <input
                    class="input"
                    id="report-listing"
                    name="listing"
                    type="text"
                    inputmode="url"
                    autocomplete="off"
                    autocapitalize="off"
                    spellcheck="false"
                    required
                    maxlength="300"
                    placeholder="https://market.example/item/…"
                    aria-describedby="report-listing-hint"
                    bind:value=listing
                />
                <p class="hint" id="report-listing-hint">{move || tr(Key::ListingHint)}</p>
            </div>
            <RightField brand=brand.clone() id="report-right" chosen=right/>
            <ReasonField id="report-reason" value=reason/>
            <StatementField id="report-statement" count_id="statement-count" rows=5 statement/>
            <div class="field">
                <label for="report-links">{move || tr(Key::EvidenceLinks)}</label>
                <textarea
                    class="input textarea"
                    id="report-links"
                    name="evidence_urls"
                    rows="3"
                    inputmode="url"
                    autocapitalize="off"
                    spellcheck="false"
                    aria-describedby="report-links-hint"
                    bind:value=links
                ></textarea>
                <p class="hint" id="report-links-hint">{move || tr(Key::EvidenceLinksHint)}</p>
            </div>
            <div class="field">
                <label for="report-files">{move || tr(Key::EvidenceFiles)}</label>
                <input
                    class="input input-file"
                    id="report-files"
                    name="evidence"
                    type="file"
                    multiple
                    accept=ACCEPT
                    aria-describedby="report-files-hint"
                    node_ref=files_input
                    on:change=move |_| problem.set(picked().err())
                />
                <p class="hint" id="report-files-hint">{move || tr(Key::EvidenceFilesHint)}</p>
            </div>
            <label class="check" for="report-good-faith">
                <input
                    id="report-good-faith"
                    name="good_faith"
                    type="checkbox"
                    required
                    bind:checked=good_faith
                />
                <span>{move || tr(Key::GoodFaith)}</span>
            </label>
            <ProblemText problem=problem/>
            <ErrorSlot err=error/>
            <div>{open_case}</div>
            <div class="form-actions">
                <Submit
                    pending=pending
                    idle=Key::FileReport
                    busy=Key::Working
                    id="report-submit"
                    class="btn btn-primary"
                />
                <a
                    class="btn btn-ghost"
                    id="report-bulk-link"
                    href=format!("/brands/{brand}/report/bulk")
                >
                    {move || tr(Key::BulkUpload)}
                </a>
            </div>
        </form>
    }
}

/// Where a report goes now (auto or review lane), or why the brand may not file
/// (`#report-lane`): shown once the brand's figures answer; nothing while they load or when
/// they fail.
#[component]
pub fn LaneNote(brand: String) -> impl IntoView {
    let path = http::api(RouteId::BrandStats, &[&brand]);
    let stats = LocalResource::new(move || {
        let path = path.clone();
        async move { http::get::<BrandStats>(&path).await }
    });
    move || {
        stats.get().and_then(Result::ok).map(|s| {
            let (key, class) = match s.lane {
                Some(Lane::Auto) => (Key::LaneAutoExplained, "notice notice-good"),
                Some(Lane::Review) => (Key::ReportGoesToReview, "notice notice-warn"),
                None => (Key::LaneNone, "notice notice-bad"),
            };
            view! {
                <div class=class id="report-lane" role="status">
                    <p>{move || tr(key)}</p>
                    {refusal_view(&s).map(|r| view! { <p id="refusal">{r}</p> })}
                </div>
            }
        })
    }
}

/// Why the brand may not file, in the interface's language (the suspension's reason as
/// written); a refusal this app has no words for is shown as the server said it. None when the
/// brand may file.
pub fn refusal_view(stats: &BrandStats) -> Option<AnyView> {
    let reason = stats
        .refusal_reason
        .clone()
        .filter(|r| !r.trim().is_empty());
    Some(match (stats.refusal_code.as_deref(), reason) {
        (Some("not_enrolled"), _) => view! { <Tpl key=Key::RefusalNotEnrolled/> }.into_any(),
        (Some("suspended"), Some(reason)) => {
            view! { <Tpl key=Key::RefusalSuspendedBecause args=vec![Arg::Data(reason)]/> }
                .into_any()
        }
        (Some("suspended"), None) => view! { <Tpl key=Key::RefusalSuspended/> }.into_any(),
        _ => {
            let refusal = stats.refusal.clone()?;
            view! { <span translate="no">{refusal}</span> }.into_any()
        }
    })
}
