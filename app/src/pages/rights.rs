//! `/brands/:brand_id/rights`: the brand's IP rights. Brand admins record rights and attach
//! certificates; account managers and operators verify or reject pending ones (with a note the
//! brand sees).

use crate::components::{
    error_text, is_admin, is_staff, key_error, kind_key, success_text, viewer_capacity, Act,
    PageHeader, Request,
};
use crate::dom::reactive::*;
use crate::dom::{h, hc, ht, H};
use crate::http;
use crate::i18n::{tr, Key};
use crate::json::{self, Json};
use crate::pages::brand::{frame, part, slot};
use crate::pages::report::{picked_files, ACCEPT};
use crate::pages::staff::{right_badge, right_review, right_text};
use jf_core::cases::RIGHT_KINDS;
use wasm_bindgen::JsCast;

pub fn page(brand: &str) -> H {
    let id = brand.to_owned();
    frame(
        brand,
        Box::new(move |page, b| {
            let capacity = viewer_capacity(&json::get(b, "viewer"));
            let (admin, staff) = (is_admin(capacity), is_staff(capacity));
            let path = format!("/api/v1/brands/{}/ip-rights", http::segment(&id));
            let again = RwSignal::new(0u32);
            let brand = id.clone();
            let list = part(
                h("div"),
                path.clone(),
                again,
                Box::new(move |p, v| {
                    let rights = json::list(v, "rights");
                    if rights.is_empty() {
                        p.add(&hc("p", "muted").id("no-rights").text(tr(Key::NoRights)));
                        return;
                    }
                    let ul = hc("ul", "rows").id("right-list");
                    for r in &rights {
                        ul.add(&right_row(r, &brand, admin, staff, again));
                    }
                    p.add(&ul);
                }),
            );
            page.add(
                &PageHeader::new(tr(Key::NavRights))
                    .eyebrow(&json::s(b, "name"))
                    .lead(tr(Key::RightsLead))
                    .build(),
            );
            page.add(
                &hc("div", "stack")
                    .child_opt(admin.then(|| add_right(path, again)))
                    .child(
                        hc("section", "card")
                            .attr("aria-labelledby", "rights-heading")
                            .child(ht("h2", tr(Key::NavRights)).id("rights-heading"))
                            .child(list),
                    ),
            );
        }),
    )
}

fn right_row(r: &Json, brand: &str, admin: bool, staff: bool, again: RwSignal<u32>) -> H {
    let id = json::s(r, "id");
    let status = json::s(r, "status");
    hc("li", "row right-row")
        .attr("data-right-id", &id)
        .attr("data-status", &status)
        .child(right_text(r))
        .child(hc("div", "row-meta").child(right_badge(&status, json::b(r, "usable"))))
        .child_opt(admin.then(|| certificate_upload(brand, &id, again)))
        .child_opt((staff && status == "pending").then(|| right_review(brand, &id, again)))
}

/// The file picked in `input`, checked as a report's evidence is (type and size). None when
/// none is picked.
fn picked_file(input: &web_sys::HtmlInputElement) -> Result<Option<web_sys::File>, (Key, String)> {
    picked_files(input, 1).map(|files| files.into_iter().next())
}

/// A problem found before sending, or the last attempt's error.
fn problem_slot(problem: RwSignal<Option<(Key, String)>>, act: Act) -> H {
    slot(Box::new(move || {
        problem.with(Option::is_some) || act.error.with(Option::is_some)
    }))
    .region(move |p| {
        if let Some((key, arg)) = problem.get() {
            p.add(&key_error(key, &[&arg]));
        }
        if let Some(e) = act.error.get() {
            p.add(&error_text(&e));
        }
    })
}

/// Attach the right's certificate (`.certificate-file`, `.upload-certificate`).
fn certificate_upload(brand: &str, right: &str, again: RwSignal<u32>) -> H {
    let problem = RwSignal::new(None::<(Key, String)>);
    let path = format!(
        "/api/v1/brands/{}/ip-rights/{}/certificate",
        http::segment(brand),
        http::segment(right)
    );
    let upload = Act::new();
    let pending = upload.pending;
    let input_id = format!("certificate-{right}");
    let input = hc("input", "input input-file certificate-file")
        .id(&input_id)
        .attr("type", "file")
        .attr("accept", ACCEPT);
    let el = input.clone();
    let send = move || {
        let Some(el) = el.dyn_ref::<web_sys::HtmlInputElement>() else {
            return;
        };
        match picked_file(el) {
            Ok(Some(file)) => {
                let Ok(form) = web_sys::FormData::new() else {
                    return;
                };
                let _ = form.append_with_blob_and_filename("file", &file, &file.name());
                problem.set(None);
                upload.send(Request::Form(path.clone(), form), move |_| {
                    again.update(|n| *n += 1)
                });
            }
            Ok(None) => problem.set(Some((Key::ChooseFile, String::new()))),
            Err(p) => problem.set(Some(p)),
        }
    };
    hc("div", "row-actions upload-row")
        .child(
            hc("label", "small")
                .attr("for", &input_id)
                .text(tr(Key::Certificate)),
        )
        .child(input)
        .child(
            hc("button", "btn btn-secondary upload-certificate")
                .attr("type", "button")
                .dyn_flag("disabled", move || pending.get())
                .dyn_text(move || {
                    tr(if pending.get() {
                        Key::Working
                    } else {
                        Key::Upload
                    })
                    .to_owned()
                })
                .on_click(send),
        )
        .child(problem_slot(problem, upload))
}

fn add_right(path: String, again: RwSignal<u32>) -> H {
    let kind = RwSignal::new(RIGHT_KINDS[0].to_owned());
    let number = RwSignal::new(String::new());
    let jurisdiction = RwSignal::new(String::new());
    let classes = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let expiry = RwSignal::new(String::new());
    let added = RwSignal::new(false);
    let add = Act::new();
    let submit = move || {
        let trimmed = |s: RwSignal<String>| s.get_untracked().trim().to_owned();
        let body = json::obj()
            .str("kind", &kind.get_untracked())
            .str("registration_number", &trimmed(number))
            .str("jurisdiction", &trimmed(jurisdiction))
            .opt("classes", &trimmed(classes))
            .str("owner", &trimmed(owner));
        let body = match crate::fmt::day_start(&expiry.get_untracked(), 0) {
            Some(at) => body.num("expires_at", at as f64),
            None => body.set("expires_at", &wasm_bindgen::JsValue::NULL),
        };
        add.send(Request::post(path.clone(), body.build()), move |_| {
            for field in [number, jurisdiction, classes, expiry] {
                field.set(String::new());
            }
            added.set(true);
            again.update(|n| *n += 1);
        });
    };
    let field = |id: &str, label: Key, input: H| {
        hc("div", "field")
            .child(ht("label", tr(label)).attr("for", id))
            .child(input)
    };
    let kinds = hc("select", "select").id("right-kind");
    for k in RIGHT_KINDS {
        kinds.add(
            &h("option")
                .attr("value", k)
                .text(tr(kind_key(k).unwrap_or(Key::RkTrademark))),
        );
    }
    let text_input = |id: &str, class: &str, value: RwSignal<String>| {
        hc("input", class)
            .id(id)
            .attr("autocomplete", "off")
            .bind(value)
    };
    hc("section", "card")
        .id("add-right")
        .attr("aria-labelledby", "add-right-heading")
        .child(ht("h2", tr(Key::AddRight)).id("add-right-heading"))
        .child(hc("p", "muted").text(tr(Key::AddRightLead)))
        .child(
            hc("form", "form form-grid")
                .on_submit(submit)
                .child(field("right-kind", Key::RightKind, kinds.bind(kind)))
                .child(field(
                    "right-number",
                    Key::RegistrationNumber,
                    text_input("right-number", "input input-mono", number)
                        .attr("spellcheck", "false")
                        .flag("required", true)
                        .attr("maxlength", "100"),
                ))
                .child(field(
                    "right-jurisdiction",
                    Key::Jurisdiction,
                    text_input("right-jurisdiction", "input", jurisdiction)
                        .attr("autocapitalize", "characters")
                        .flag("required", true)
                        .attr("maxlength", "100")
                        .attr("placeholder", tr(Key::JurisdictionHint)),
                ))
                .child(field(
                    "right-classes",
                    Key::Classes,
                    text_input("right-classes", "input", classes)
                        .attr("inputmode", "numeric")
                        .attr("maxlength", "200")
                        .attr("placeholder", "18, 25"),
                ))
                .child(field(
                    "right-owner",
                    Key::Owner,
                    hc("input", "input")
                        .id("right-owner")
                        .attr("autocomplete", "organization")
                        .flag("required", true)
                        .attr("maxlength", "200")
                        .bind(owner),
                ))
                .child(field(
                    "right-expiry",
                    Key::ExpiryDate,
                    hc("input", "input")
                        .id("right-expiry")
                        .attr("type", "date")
                        .bind(expiry),
                ))
                .child(hc("div", "form-actions").child(add.submit(
                    "add-right-submit",
                    "btn btn-primary",
                    Key::AddRight,
                    Key::Working,
                ))),
        )
        // What the last attempt came to.
        .child(
            slot(Box::new(move || {
                add.error.with(Option::is_some) || added.get()
            }))
            .region(move |p| match add.error.get() {
                Some(e) => p.add(&error_text(&e)),
                None if added.get() => p.add(&success_text(Key::RightAdded)),
                None => {}
            }),
        )
}
