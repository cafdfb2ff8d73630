//! `/brands/:brand_id/rights`: the brand's IP rights. Brand admins record rights and attach
//! certificates; account managers and operators verify or reject pending ones (with a note the
//! brand sees).

use crate::components::{
    coded, is_admin, is_staff, kind_key, ErrorText, KeyError, Loading, PageHeader, Submit,
    SuccessText,
};
use crate::http::{self, ApiError, Ignored};
use crate::i18n::{dated, tr, trf, Key};
use crate::pages::report::{picked_files, ACCEPT};
use jf_core::api::{
    BrandView, CreateIpRightRequest, IpRightList, IpRightView, ReviewIpRightRequest,
};
use jf_core::cases::RIGHT_KINDS;
use jf_core::routes::RouteId;
use leptos::html;
use leptos::prelude::*;

type Rights = LocalResource<Result<IpRightList, ApiError>>;

#[component]
pub fn Rights() -> impl IntoView {
    let brand = expect_context::<BrandView>();
    let id = brand.id.to_string();
    let (admin, staff) = (is_admin(brand.viewer), is_staff(brand.viewer));
    let path = http::api(RouteId::ListIpRights, &[&id]);
    let rights: Rights = LocalResource::new(move || {
        let path = path.clone();
        async move { http::get::<IpRightList>(&path).await }
    });
    let brand_id = StoredValue::new(id.clone());
    view! {
        <PageHeader title=move || tr(Key::NavRights) eyebrow=brand.name.clone() lead=move || tr(Key::RightsLead)/>
        <div class="stack">
            {admin.then(|| view! { <AddRight brand=id.clone() rights/> })}
            <section class="card" aria-labelledby="rights-heading">
                <h2 id="rights-heading">{move || tr(Key::NavRights)}</h2>
                // Shown again as it is fetched again: the list stays up meanwhile.
                <div>
                    {move || match rights.get() {
                        None => view! { <Loading/> }.into_any(),
                        Some(Err(e)) => view! { <ErrorText err=e/> }.into_any(),
                        Some(Ok(list)) if list.rights.is_empty() => {
                            view! { <p class="muted" id="no-rights">{move || tr(Key::NoRights)}</p> }
                                .into_any()
                        }
                        Some(Ok(list)) => {
                            let rows = list
                                .rights
                                .into_iter()
                                .map(|right| {
                                    view! {
                                        <RightRow right brand=brand_id.get_value() admin staff rights/>
                                    }
                                })
                                .collect_view();
                            view! { <ul class="rows" id="right-list">{rows}</ul> }.into_any()
                        }
                    }}
                </div>
            </section>
        </div>
    }
    .into_any()
}

#[component]
fn RightRow(
    right: IpRightView,
    brand: String,
    admin: bool,
    staff: bool,
    rights: Rights,
) -> impl IntoView {
    let id = right.id.to_string();
    let status = right.status.clone();
    let review = (staff && status == "pending").then(|| {
        let done = Callback::new(move |()| rights.refetch());
        view! { <RightReview brand=brand.clone() right=id.clone() done/> }
    });
    let upload = admin.then(|| view! { <CertificateUpload brand right=id.clone() rights/> });
    let badge = view! { <RightBadge status=status.clone() usable=right.usable/> };
    view! {
        <li class="row right-row" data-right-id=id data-status=status>
            <RightText right/>
            <div class="row-meta">{badge}</div>
            {upload}
            {review}
        </li>
    }
}

/// The file picked in `input`, checked as a report's evidence is (type and size). None when
/// none is picked.
fn picked_file(input: &web_sys::HtmlInputElement) -> Result<Option<web_sys::File>, (Key, String)> {
    picked_files(input, 1).map(|files| files.into_iter().next())
}

/// A problem found before sending (a key with one argument), or the last attempt's error; the
/// slot hidden while there is neither.
#[component]
fn ProblemSlot(
    problem: RwSignal<Option<(Key, String)>>,
    #[prop(into)] error: Signal<Option<ApiError>>,
) -> impl IntoView {
    view! {
        <div
            class="error-slot"
            hidden=move || problem.with(Option::is_none) && error.with(Option::is_none)
        >
            {move || problem.get().map(|(key, arg)| view! { <KeyError key args=vec![arg]/> })}
            {move || error.get().map(|e| view! { <ErrorText err=e/> })}
        </div>
    }
}

/// Attach the right's certificate (`.certificate-file`, `.upload-certificate`).
#[component]
fn CertificateUpload(brand: String, right: String, rights: Rights) -> impl IntoView {
    let problem = RwSignal::new(None::<(Key, String)>);
    let path = http::api(RouteId::UploadCertificate, &[&brand, &right]);
    let upload = Action::new_local(move |form: &web_sys::FormData| {
        let (path, form) = (path.clone(), form.clone());
        async move {
            let done = http::post_form::<Ignored>(&path, &form).await;
            if done.is_ok() {
                rights.refetch();
            }
            done
        }
    });
    let pending = upload.pending();
    let error = Signal::derive(move || {
        if pending.get() {
            return None;
        }
        upload.value().get().and_then(Result::err)
    });
    let input = NodeRef::<html::Input>::new();
    let send = move |_| {
        let Some(el) = input.get_untracked() else {
            return;
        };
        if pending.get_untracked() {
            return;
        }
        match picked_file(&el) {
            Ok(Some(file)) => {
                let Ok(form) = web_sys::FormData::new() else {
                    return;
                };
                let _ = form.append_with_blob_and_filename("file", &file, &file.name());
                problem.set(None);
                upload.dispatch(form);
            }
            Ok(None) => problem.set(Some((Key::ChooseFile, String::new()))),
            Err(p) => problem.set(Some(p)),
        }
    };
    let input_id = format!("certificate-{right}");
    view! {
        <div class="row-actions upload-row">
            <label class="small" for=input_id.clone()>
                {move || tr(Key::Certificate)}
            </label>
            <input
                class="input input-file certificate-file"
                id=input_id
                type="file"
                accept=ACCEPT
                node_ref=input
            />
            <button
                class="btn btn-secondary upload-certificate"
                type="button"
                disabled=move || pending.get()
                on:click=send
            >
                {move || tr(if pending.get() { Key::Working } else { Key::Upload })}
            </button>
            <ProblemSlot problem error/>
        </div>
    }
}

/// A labelled field of the form (`div.field`).
#[component]
fn Field(id: &'static str, label: Key, children: Children) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{move || tr(label)}</label>
            {children()}
        </div>
    }
}

/// Record a right (`#add-right`): it waits for verification by the brand's account manager.
#[component]
fn AddRight(brand: String, rights: Rights) -> impl IntoView {
    let kind = RwSignal::new(RIGHT_KINDS[0].to_owned());
    let number = RwSignal::new(String::new());
    let jurisdiction = RwSignal::new(String::new());
    let classes = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let expiry = RwSignal::new(String::new());
    let added = RwSignal::new(false);
    let path = http::api(RouteId::CreateIpRight, &[&brand]);
    let add = Action::new_local(move |body: &CreateIpRightRequest| {
        let (path, body) = (path.clone(), body.clone());
        async move {
            let done = http::post::<_, Ignored>(&path, &body).await;
            if done.is_ok() {
                for field in [number, jurisdiction, classes, expiry] {
                    field.set(String::new());
                }
                added.set(true);
                rights.refetch();
            }
            done
        }
    });
    let pending = add.pending();
    let error = move || {
        if pending.get() {
            return None;
        }
        add.value().get().and_then(Result::err)
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let trimmed = |s: RwSignal<String>| s.get_untracked().trim().to_owned();
        let classes = trimmed(classes);
        add.dispatch(CreateIpRightRequest {
            kind: kind.get_untracked(),
            registration_number: trimmed(number),
            jurisdiction: trimmed(jurisdiction),
            classes: (!classes.is_empty()).then_some(classes),
            owner: trimmed(owner),
            expires_at: crate::fmt::day_start(&expiry.get_untracked(), 0),
        });
    };
    let kinds = RIGHT_KINDS
        .into_iter()
        .map(|k| {
            let key = kind_key(k).unwrap_or(Key::RkTrademark);
            view! { <option value=k>{move || tr(key)}</option> }
        })
        .collect_view();
    view! {
        <section class="card" id="add-right" aria-labelledby="add-right-heading">
            <h2 id="add-right-heading">{move || tr(Key::AddRight)}</h2>
            <p class="muted">{move || tr(Key::AddRightLead)}</p>
            <form class="form form-grid" on:submit=submit>
                <Field id="right-kind" label=Key::RightKind>
                    <select class="select" id="right-kind" bind:value=kind>
                        {kinds}
                    </select>
                </Field>
                <Field id="right-number" label=Key::RegistrationNumber>
                    <input
                        class="input input-mono"
                        id="right-number"
                        autocomplete="off"
                        spellcheck="false"
                        required
                        maxlength="100"
                        bind:value=number
                    />
                </Field>
                <Field id="right-jurisdiction" label=Key::Jurisdiction>
                    <input
                        class="input"
                        id="right-jurisdiction"
                        autocomplete="off"
                        autocapitalize="characters"
                        required
                        maxlength="100"
                        placeholder=move || tr(Key::JurisdictionHint)
                        bind:value=jurisdiction
                    />
                </Field>
                <Field id="right-classes" label=Key::Classes>
                    <input
                        class="input"
                        id="right-classes"
                        autocomplete="off"
                        inputmode="numeric"
                        maxlength="200"
                        placeholder="18, 25"
                        bind:value=classes
                    />
                </Field>
                <Field id="right-owner" label=Key::Owner>
                    <input
                        class="input"
                        id="right-owner"
                        autocomplete="organization"
                        required
                        maxlength="200"
                        bind:value=owner
                    />
                </Field>
                <Field id="right-expiry" label=Key::ExpiryDate>
                    <input class="input" id="right-expiry" type="date" bind:value=expiry/>
                </Field>
                <div class="form-actions">
                    <Submit
                        id="add-right-submit"
                        class="btn btn-primary"
                        idle=Key::AddRight
                        busy=Key::Working
                        pending
                    />
                </div>
            </form>
            // What the last attempt came to.
            <div class="error-slot" hidden=move || error().is_none() && !added.get()>
                {move || match error() {
                    Some(e) => view! { <ErrorText err=e/> }.into_any(),
                    None if added.get() => view! { <SuccessText key=Key::RightAdded/> }.into_any(),
                    None => ().into_any(),
                }}
            </div>
        </section>
    }
}

/// A right's status as a badge: verified, expired (verified but no longer usable), pending,
/// rejected.
#[component]
pub fn RightBadge(#[prop(into)] status: String, usable: bool) -> impl IntoView {
    let (class, key) = match (status.as_str(), usable) {
        ("verified", true) => ("badge badge-good", Key::RsVerified),
        ("verified", false) => ("badge badge-bad", Key::CsExpired),
        ("rejected", _) => ("badge badge-bad", Key::RsRejected),
        _ => ("badge badge-warn", Key::RsPending),
    };
    view! { <span class=class data-right-status=status>{move || tr(key)}</span> }
}

/// What a right is, in a row: kind and number, jurisdiction, classes, owner, expiry, note and
/// certificate.
#[component]
pub fn RightText(right: IpRightView) -> impl IntoView {
    let kind = right.kind;
    let classes = (!right.classes.trim().is_empty()).then(|| {
        let classes = right.classes;
        view! { " · " {move || trf(Key::ClassesOf, &[&classes])} }
    });
    let expires = right.expires_at;
    let expiry = move || match expires {
        Some(at) => dated(Key::ExpiresOn, at, false),
        None => tr(Key::NoExpiry).to_owned(),
    };
    let note = right
        .review_note
        .filter(|n| !n.trim().is_empty())
        .map(|note| {
            view! {
                <p class="review-note">
                    <span class="muted">{move || tr(Key::ReviewNote)}</span>
                    " "
                    <span translate="no">{note}</span>
                </p>
            }
        });
    let certificate = right.certificate.map(|file| {
        view! {
            <a class="certificate-link" href=file.url target="_blank" rel="noopener">
                {move || tr(Key::Certificate)}
                ": "
                <span translate="no">{file.name}</span>
            </a>
        }
    });
    view! {
        <div class="row-text">
            <p class="row-title">
                <span class="right-kind">{move || coded(kind_key(&kind), &kind)}</span>
                <span class="mono right-number" translate="no">{right.registration_number}</span>
            </p>
            <p class="row-sub">
                <span class="right-jurisdiction" translate="no">{right.jurisdiction}</span>
                {classes}
                " · "
                <span class="right-owner" translate="no">{right.owner}</span>
            </p>
            <p class="row-sub small">{expiry}</p>
            {note}
            {certificate}
        </div>
    }
}

/// Verify, or reject with a note the brand sees (`.verify-right`, `.reject-right`,
/// `.review-note-input`); `done` runs after either succeeds (to fetch the list again).
#[component]
pub fn RightReview(
    #[prop(into)] brand: String,
    #[prop(into)] right: String,
    done: Callback<()>,
) -> impl IntoView {
    let note = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Key>);
    let path = http::api(RouteId::ReviewIpRight, &[&brand, &right]);
    let review = Action::new_local(move |body: &ReviewIpRightRequest| {
        let (path, body) = (path.clone(), body.clone());
        async move {
            let answer = http::post::<_, Ignored>(&path, &body).await;
            if answer.is_ok() {
                done.run(());
            }
            answer
        }
    });
    let pending = review.pending();
    let error = move || {
        if pending.get() {
            return None;
        }
        review.value().get().and_then(Result::err)
    };
    let send = move |decision: &str| {
        if pending.get_untracked() {
            return;
        }
        let text = note.get_untracked().trim().to_owned();
        review.dispatch(ReviewIpRightRequest {
            decision: decision.to_owned(),
            note: (!text.is_empty()).then_some(text),
        });
    };
    let verify = move |_| {
        problem.set(None);
        send("verify");
    };
    let reject = move |_| {
        if note.with_untracked(|n| n.trim().is_empty()) {
            problem.set(Some(Key::NoteRequired));
        } else {
            problem.set(None);
            send("reject");
        }
    };
    let input_id = format!("review-note-{right}");
    view! {
        <div class="row-actions review-actions">
            <label class="visually-hidden" for=input_id.clone()>
                {move || tr(Key::ReviewNote)}
            </label>
            <input
                class="input review-note-input"
                id=input_id
                type="text"
                autocomplete="off"
                maxlength="2000"
                placeholder=move || tr(Key::NoteForBrand)
                bind:value=note
            />
            <button
                class="btn btn-primary verify-right"
                type="button"
                disabled=move || pending.get()
                on:click=verify
            >
                {move || tr(Key::Verify)}
            </button>
            <button
                class="btn btn-danger-quiet reject-right"
                type="button"
                disabled=move || pending.get()
                on:click=reject
            >
                {move || tr(Key::RejectRight)}
            </button>
            // A problem found before asking, or the server's refusal.
            <div class="error-slot">
                {move || problem.get().map(|key| view! { <KeyError key/> })}
                {move || error().map(|e| view! { <ErrorText err=e/> })}
            </div>
        </div>
    }
}
