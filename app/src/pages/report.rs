//! `/brands/:brand_id/report`: file one Good Faith Takedown report — the listing, the right, the
//! reason, a statement, evidence links and files, and the good-faith declaration — sent as
//! `multipart/form-data`; on success the new case file opens.

use crate::components::{
    can_file, key_error, reason_field, right_field, viewer_capacity, Act, PageHeader, Request,
};
use crate::dom::reactive::*;
use crate::dom::{h, hc, ht, spawn, Scope, H};
use crate::http;
use crate::i18n::{tr, trf, Key};
use crate::json::{self, Json};
use crate::pages::brand::refusal_view;
use crate::router;
use jf_core::cases::MIN_STATEMENT_CHARS;
use jf_core::files::{MAX_EVIDENCE_FILES, MAX_FILE_BYTES};
use wasm_bindgen::JsCast;
use web_sys::{File, FormData, HtmlInputElement};

/// What an evidence or certificate file may be.
pub const ACCEPT: &str = "image/png,image/jpeg,image/webp,application/pdf";

pub fn page(brand: &str) -> H {
    crate::pages::brand::frame(brand, Box::new(form))
}

/// The page's heading, and whether the viewer may file for the brand (else says so).
pub fn header_or_refusal(p: &H, brand: &Json, title: Key, lead: Key) -> bool {
    p.add(
        &PageHeader::new(tr(title))
            .eyebrow(&json::s(brand, "name"))
            .lead(tr(lead))
            .build(),
    );
    let files = can_file(viewer_capacity(&json::get(brand, "viewer")));
    if !files {
        p.add(
            &hc("p", "card empty-state")
                .id("cannot-file")
                .text(tr(Key::CannotFile)),
        );
    }
    files
}

/// A problem found before asking the server, with one argument (a file name, a count…).
pub fn problem_view(problem: RwSignal<Option<(Key, String)>>) -> H {
    h("div").region(move |p| {
        if let Some((key, arg)) = problem.get() {
            p.add(&key_error(key, &[&arg]));
        }
    })
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

fn field(id: &str, label: Key, input: H) -> H {
    hc("div", "field")
        .child(ht("label", tr(label)).attr("for", id))
        .child(input)
}

fn form(p: &H, brand: &Json) {
    if !header_or_refusal(p, brand, Key::FileReport, Key::ReportLead) {
        return;
    }
    let brand_id = json::s(brand, "id");
    let api = format!("/api/v1/brands/{brand_id}");
    let listing = RwSignal::new(String::new());
    let right = RwSignal::new(String::new());
    let reason = RwSignal::new("counterfeit".to_owned());
    let statement = RwSignal::new(String::new());
    let links = RwSignal::new(String::new());
    let good_faith = RwSignal::new(false);
    let problem = RwSignal::new(None::<(Key, String)>);
    let file_report = Act::new();
    let chars = move || statement.with(|s| s.trim().chars().count());

    let files = hc("input", "input input-file")
        .id("report-files")
        .attr("name", "evidence")
        .attr("type", "file")
        .flag("multiple", true)
        .attr("accept", ACCEPT)
        .attr("aria-describedby", "report-files-hint");
    let input: HtmlInputElement = files.0.clone().unchecked_into();
    let picked = move || picked_files(&input, MAX_EVIDENCE_FILES);
    let on_change = picked.clone();
    let files = files.on("change", move |_| problem.set(on_change().err()));

    let path = format!("{api}/reports");
    let case_base = format!("/brands/{brand_id}/cases/");
    let to_case = case_base.clone();
    let submit = move || {
        if file_report.pending.get_untracked() {
            return;
        }
        let chosen = right.get_untracked();
        let picked = picked();
        let found = if listing.with_untracked(|l| l.trim().is_empty()) {
            Some((Key::ListingRequired, String::new()))
        } else if chosen.is_empty() {
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
        let to_case = to_case.clone();
        file_report.send(Request::Form(path.clone(), form), move |case| {
            // Filed: on to the new case file.
            router::navigate(&format!("{to_case}{}", json::s(&case, "id")));
        });
    };

    let error = file_report.error;
    // A report for a listing that already has an open case: the answer names that case.
    let open_case = h("div").region(move |p| {
        let id = error.with(|e| {
            e.as_ref()
                .filter(|e| e.status == 409)
                .and_then(|e| e.message.rsplit([' ', ':']).next().map(str::to_owned))
        });
        if let Some(id) = id.filter(|id| is_uuid(id)) {
            p.add(
                &h("p").child(
                    hc("a", "btn btn-secondary")
                        .id("open-case")
                        .attr("href", &format!("{case_base}{id}"))
                        .text(tr(Key::OpenExistingCase)),
                ),
            );
        }
    });

    lane_note(p, &api);
    p.add(
        &hc("form", "card form report-form")
            .id("report-form")
            .flag("novalidate", true)
            .on_submit(submit)
            .child(
                field(
                    "report-listing",
                    Key::ListingField,
                    hc("input", "input")
                        .id("report-listing")
                        .attr("name", "listing")
                        .attr("type", "text")
                        .attr("inputmode", "url")
                        .attr("autocomplete", "off")
                        .attr("autocapitalize", "off")
                        .attr("spellcheck", "false")
                        .flag("required", true)
                        .attr("maxlength", "300")
                        .attr("placeholder", "https://market.example/item/…")
                        .attr("aria-describedby", "report-listing-hint")
                        .bind(listing),
                )
                .child(
                    hc("p", "hint")
                        .id("report-listing-hint")
                        .text(tr(Key::ListingHint)),
                ),
            )
            .child(right_field(&brand_id, "report-right", right))
            .child(reason_field("report-reason", reason))
            .child(
                field(
                    "report-statement",
                    Key::Statement,
                    hc("textarea", "input textarea")
                        .id("report-statement")
                        .attr("name", "statement")
                        .attr("rows", "5")
                        .flag("required", true)
                        .attr("minlength", "20")
                        .attr("maxlength", "5000")
                        .attr("aria-describedby", "statement-count")
                        .bind(statement),
                )
                .child(
                    hc("p", "hint")
                        .id("statement-count")
                        .attr("aria-live", "polite")
                        .dyn_attr("data-ok", move || {
                            Some((chars() >= MIN_STATEMENT_CHARS).to_string())
                        })
                        .dyn_text(move || {
                            trf(
                                Key::StatementCount,
                                &[&chars().to_string(), &MIN_STATEMENT_CHARS.to_string()],
                            )
                        }),
                ),
            )
            .child(
                field(
                    "report-links",
                    Key::EvidenceLinks,
                    hc("textarea", "input textarea")
                        .id("report-links")
                        .attr("name", "evidence_urls")
                        .attr("rows", "3")
                        .attr("inputmode", "url")
                        .attr("autocapitalize", "off")
                        .attr("spellcheck", "false")
                        .attr("aria-describedby", "report-links-hint")
                        .bind(links),
                )
                .child(
                    hc("p", "hint")
                        .id("report-links-hint")
                        .text(tr(Key::EvidenceLinksHint)),
                ),
            )
            .child(
                field("report-files", Key::EvidenceFiles, files).child(
                    hc("p", "hint")
                        .id("report-files-hint")
                        .text(tr(Key::EvidenceFilesHint)),
                ),
            )
            .child(
                hc("label", "check")
                    .attr("for", "report-good-faith")
                    .child(
                        h("input")
                            .id("report-good-faith")
                            .attr("name", "good_faith")
                            .attr("type", "checkbox")
                            .flag("required", true)
                            .bind_checked(good_faith),
                    )
                    .child(ht("span", tr(Key::GoodFaith))),
            )
            .child(problem_view(problem))
            .child(file_report.error_view())
            .child(open_case)
            .child(
                hc("div", "form-actions")
                    .child(file_report.submit(
                        "report-submit",
                        "btn btn-primary",
                        Key::FileReport,
                        Key::Working,
                    ))
                    .child(
                        hc("a", "btn btn-ghost")
                            .id("report-bulk-link")
                            .attr("href", &format!("/brands/{brand_id}/report/bulk"))
                            .text(tr(Key::BulkUpload)),
                    ),
            ),
    );
}

/// Where a report goes now (auto or review lane), or why the brand may not file: added to `p`
/// once `{api}/stats` answers (nothing while it loads or when it fails).
pub fn lane_note(p: &H, api: &str) {
    // Stands in for the note until it arrives, so the note keeps its place.
    let slot = h("div");
    p.add(&slot);
    let path = format!("{api}/stats");
    let page = Scope::current().downgrade();
    spawn(async move {
        let answer = http::get(&path).await;
        page.run(|| {
            let Ok(s) = answer else {
                slot.remove();
                return;
            };
            let (key, class) = match json::os(&s, "lane").as_deref() {
                Some("auto") => (Key::LaneAutoExplained, "notice notice-good"),
                Some("review") => (Key::ReportGoesToReview, "notice notice-warn"),
                _ => (Key::LaneNone, "notice notice-bad"),
            };
            let note = hc("div", class)
                .id("report-lane")
                .attr("role", "status")
                .child(ht("p", tr(key)))
                .child_opt(refusal_view(&s).map(|r| h("p").id("refusal").child(r)));
            let _ = slot.replace_with_with_node_1(&note);
        });
    });
}
