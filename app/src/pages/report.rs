//! `/brands/:brand_id/report`: file one Good Faith Takedown report — the listing, the right, the
//! reason, a statement, evidence links and files, and the good-faith declaration — sent as
//! `multipart/form-data`; on success the new case file opens.

use crate::components::{
    act, act_error, can_file, text, Call, ErrorSlot, PageHeader, Problem, ReasonField, RightField,
    UsableRights,
};
use crate::http::{self, Payload};
use crate::i18n::{use_tr, Key};
use crate::pages::brand::BrandFrame;
use jf_core::api::{BrandStats, BrandView, CaseView};
use jf_core::cases::MIN_STATEMENT_CHARS;
use jf_core::files::{MAX_EVIDENCE_FILES, MAX_FILE_BYTES};
use jf_core::ids::CaseId;
use jf_core::programme::Lane;
use leptos::ev::SubmitEvent;
use leptos::html::Input;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use web_sys::{File, FormData};

/// What an evidence or certificate file may be.
pub const ACCEPT: &str = "image/png,image/jpeg,image/webp,application/pdf";

#[component]
pub fn ReportPage() -> impl IntoView {
    let page = Callback::new(|brand| view! { <ReportForm brand=brand /> }.into_any());
    view! { <BrandFrame page=page /> }
}

/// The files picked in `input`, checked as the server will check them: at most `max`, each at
/// most 5 MB and a PNG, JPEG, WebP or PDF.
pub fn picked_files(
    input: &web_sys::HtmlInputElement,
    max: usize,
) -> Result<Vec<File>, (Key, String)> {
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

#[component]
fn ReportForm(brand: BrandView) -> impl IntoView {
    let tr = use_tr();
    let name = brand.name.clone();
    let header = view! {
        <PageHeader
            title=text(tr, Key::FileReport)
            eyebrow=Signal::derive(move || name.clone())
            lead=text(tr, Key::ReportLead)
        />
    };
    if !can_file(brand.viewer) {
        return view! {
            {header}
            <p class="card empty-state" id="cannot-file">{tr.s(Key::CannotFile)}</p>
        }
        .into_any();
    }
    let brand_id = brand.id.to_string();
    let api = format!("/api/v1/brands/{brand_id}");
    let id_for_rights = brand_id.clone();
    let rights = UsableRights::new(Signal::derive(move || id_for_rights.clone()));
    let listing = RwSignal::new(String::new());
    let reason = RwSignal::new("counterfeit".to_owned());
    let statement = RwSignal::new(String::new());
    let links = RwSignal::new(String::new());
    let good_faith = RwSignal::new(false);
    let problem = RwSignal::new(None::<(Key, String)>);
    let files = NodeRef::<Input>::new();
    let path = format!("{api}/reports");
    let file_report = act();
    let pending = file_report.pending();
    let chars = move || statement.with(|s| s.trim().chars().count());
    let check_files = move |_| {
        if let Some(input) = files.get_untracked() {
            problem.set(picked_files(&input, MAX_EVIDENCE_FILES).err());
        }
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let right = rights.chosen();
        let picked = match files.get_untracked() {
            Some(input) => picked_files(&input, MAX_EVIDENCE_FILES),
            None => Ok(Vec::new()),
        };
        let found = if listing.with_untracked(|l| l.trim().is_empty()) {
            Some((Key::ListingRequired, String::new()))
        } else if right.is_empty() {
            Some((Key::NoUsableRight, String::new()))
        } else if chars() < MIN_STATEMENT_CHARS {
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
        let urls: Vec<String> =
            links.with_untracked(|l| l.split_whitespace().map(str::to_owned).collect());
        let fields = [
            ("listing", listing.get_untracked().trim().to_owned()),
            ("ip_right_id", right),
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
        file_report.dispatch(Call::new(path.clone(), Payload::Form(form)));
    };
    // A report for a listing that already has an open case: the answer names that case.
    let open_case = move || {
        file_report
            .value()
            .get()
            .and_then(|r| r.err())
            .and_then(|e| {
                let id = (e.status == 409)
                    .then(|| e.message.rsplit([' ', ':']).next().map(str::to_owned))
                    .flatten()?;
                CaseId::parse(&id).ok()
            })
    };
    let case_base = format!("/brands/{brand_id}/cases/");
    // Filed: on to the new case file.
    let filed = {
        let case_base = case_base.clone();
        move || {
            file_report
                .value()
                .get()
                .and_then(|r| http::decode::<CaseView>(r).ok())
                .map(|case| view! { <Redirect path=format!("{case_base}{}", case.id) /> })
        }
    };
    view! {
        {header}
        <LaneNote api=api.clone() />
        <form class="card form report-form" id="report-form" on:submit=submit novalidate>
            <div class="field">
                <label for="report-listing">{tr.s(Key::ListingField)}</label>
                <input
                    id="report-listing"
                    name="listing"
                    type="text"
                    inputmode="url"
                    class="input"
                    autocomplete="off"
                    autocapitalize="off"
                    spellcheck="false"
                    required
                    maxlength="300"
                    placeholder="https://market.example/item/…"
                    aria-describedby="report-listing-hint"
                    bind:value=listing
                />
                <p class="hint" id="report-listing-hint">{tr.s(Key::ListingHint)}</p>
            </div>
            <RightField rights=rights id="report-right" brand=brand_id.clone() />
            <ReasonField id="report-reason" value=reason />
            <div class="field">
                <label for="report-statement">{tr.s(Key::Statement)}</label>
                <textarea
                    id="report-statement"
                    name="statement"
                    class="input textarea"
                    rows="5"
                    required
                    minlength="20"
                    maxlength="5000"
                    aria-describedby="statement-count"
                    bind:value=statement
                ></textarea>
                <p
                    class="hint"
                    id="statement-count"
                    aria-live="polite"
                    data-ok=move || (chars() >= MIN_STATEMENT_CHARS).to_string()
                >
                    {move || tr.f(Key::StatementCount, &[&chars().to_string(), &MIN_STATEMENT_CHARS.to_string()])}
                </p>
            </div>
            <div class="field">
                <label for="report-links">{tr.s(Key::EvidenceLinks)}</label>
                <textarea
                    id="report-links"
                    name="evidence_urls"
                    class="input textarea"
                    rows="3"
                    inputmode="url"
                    autocapitalize="off"
                    spellcheck="false"
                    aria-describedby="report-links-hint"
                    bind:value=links
                ></textarea>
                <p class="hint" id="report-links-hint">{tr.s(Key::EvidenceLinksHint)}</p>
            </div>
            <div class="field">
                <label for="report-files">{tr.s(Key::EvidenceFiles)}</label>
                <input
                    id="report-files"
                    name="evidence"
                    type="file"
                    class="input input-file"
                    multiple
                    accept=ACCEPT
                    aria-describedby="report-files-hint"
                    node_ref=files
                    on:change=check_files
                />
                <p class="hint" id="report-files-hint">{tr.s(Key::EvidenceFilesHint)}</p>
            </div>
            <label class="check" for="report-good-faith">
                <input id="report-good-faith" name="good_faith" type="checkbox" required bind:checked=good_faith />
                <span>{tr.s(Key::GoodFaith)}</span>
            </label>
            <Problem problem=problem />
            <ErrorSlot err=act_error(file_report) />
            {filed}
            {move || {
                open_case()
                    .map(|id| {
                        view! {
                            <p>
                                <a class="btn btn-secondary" id="open-case" href=format!("{case_base}{id}")>
                                    {tr.s(Key::OpenExistingCase)}
                                </a>
                            </p>
                        }
                    })
            }}
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" id="report-submit" disabled=pending>
                    {tr.pick(move || if pending.get() { Key::Working } else { Key::FileReport })}
                </button>
                <a class="btn btn-ghost" id="report-bulk-link" href=format!("/brands/{brand_id}/report/bulk")>
                    {tr.s(Key::BulkUpload)}
                </a>
            </div>
        </form>
    }
    .into_any()
}

/// Where a report goes now (auto or review lane), or why the brand may not file.
#[component]
pub fn LaneNote(api: String) -> impl IntoView {
    let tr = use_tr();
    let path = format!("{api}/stats");
    let stats = http::resource(Signal::derive(move || path.clone()));
    move || {
        stats
            .get()
            .and_then(|r| http::decode::<BrandStats>(r).ok())
            .map(|s| {
                let (key, class) = match s.lane {
                    Some(Lane::Auto) => (Key::LaneAutoExplained, "notice notice-good"),
                    Some(Lane::Review) => (Key::ReportGoesToReview, "notice notice-warn"),
                    None => (Key::LaneNone, "notice notice-bad"),
                };
                view! {
                    <div class=class id="report-lane" role="status">
                        <p>{tr.s(key)}</p>
                        {crate::pages::brand::refusal_view(s.refusal_code, s.refusal_reason, s.refusal).map(|r| view! { <p id="refusal">{r}</p> })}
                    </div>
                }
            })
    }
}
