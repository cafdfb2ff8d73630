//! `/brands/:brand_id/rights`: the brand's IP rights. Brand admins record rights and attach
//! certificates; account managers and operators verify or reject pending ones (with a note the
//! brand sees).

use crate::components::{
    act, act_error, coded, is_staff, kind_key, text, Call, ErrorSlot, ErrorText, Load, Outcome,
    PageHeader, Problem,
};
use crate::http::{self, Payload};
use crate::i18n::{use_tr, Key};
use crate::pages::brand::BrandFrame;
use crate::pages::report::{picked_files, ACCEPT};
use jf_core::api::{
    BrandView, CreateIpRightRequest, IpRightList, IpRightView, ReviewIpRightRequest, ViewerCapacity,
};
use jf_core::cases::RIGHT_KINDS;
use jf_core::ids::{BrandId, IpRightId};
use jf_core::types::BrandRole;
use leptos::ev::SubmitEvent;
use leptos::html::Input;
use leptos::prelude::*;

type Rights = LocalResource<http::Body>;

#[component]
pub fn RightsPage() -> impl IntoView {
    let page = Callback::new(|brand| view! { <RightsContent brand=brand /> }.into_any());
    view! { <BrandFrame page=page /> }
}

#[component]
fn RightsContent(brand: BrandView) -> impl IntoView {
    let tr = use_tr();
    let admin = brand.viewer == ViewerCapacity::Member(BrandRole::BrandAdmin);
    let staff = is_staff(brand.viewer);
    let id = brand.id;
    let path = format!("/api/v1/brands/{id}/ip-rights");
    let list: Rights = http::resource(Signal::derive({
        let path = path.clone();
        move || path.clone()
    }));
    let name = brand.name.clone();
    view! {
        <PageHeader
            title=text(tr, Key::NavRights)
            eyebrow=Signal::derive(move || name.clone())
            lead=text(tr, Key::RightsLead)
        />
        <div class="stack">
            {admin.then(|| view! { <AddRight path=path list=list /> })}
            <section class="card" aria-labelledby="rights-heading">
                <h2 id="rights-heading">{tr.s(Key::NavRights)}</h2>
                <Load res=list show=Callback::new(move |result| match http::decode::<IpRightList>(result) {
                                Ok(l) if l.rights.is_empty() => {
                                    view! { <p class="muted" id="no-rights">{tr.s(Key::NoRights)}</p> }.into_any()
                                }
                                Ok(l) => view! {
                                    <ul class="rows" id="right-list">
                                        {l
                                            .rights
                                            .into_iter()
                                            .map(|r| view! { <RightRow right=r brand=id admin=admin staff=staff list=list /> })
                                            .collect_view()}
                                    </ul>
                                }
                                .into_any(),
                                Err(err) => view! { <ErrorText err=err /> }.into_any(),
                            }) />
            </section>
        </div>
    }
}

/// A right's status as a badge: verified, expired (verified but no longer usable), pending,
/// rejected.
pub fn right_badge(status: String, usable: bool) -> impl IntoView {
    let tr = use_tr();
    let (class, key) = match (status.as_str(), usable) {
        ("verified", true) => ("badge badge-good", Key::RsVerified),
        ("verified", false) => ("badge badge-bad", Key::CsExpired),
        ("rejected", _) => ("badge badge-bad", Key::RsRejected),
        _ => ("badge badge-warn", Key::RsPending),
    };
    view! { <span class=class data-right-status=status>{tr.s(key)}</span> }
}

/// What a right is, in a row: kind and number, jurisdiction, classes, owner, expiry, note and
/// certificate (shared with the staff page).
#[component]
pub fn RightText(right: IpRightView) -> impl IntoView {
    let tr = use_tr();
    let kind = coded(tr, kind_key(&right.kind), right.kind.clone());
    let classes = (!right.classes.trim().is_empty()).then(|| {
        let c = right.classes.clone();
        view! { " · " {tr.fs(Key::ClassesOf, vec![c])} }
    });
    view! {
        <div class="row-text">
            <p class="row-title">
                <span class="right-kind">{kind}</span>
                <span class="mono right-number" translate="no">{right.registration_number}</span>
            </p>
            <p class="row-sub">
                <span class="right-jurisdiction" translate="no">{right.jurisdiction}</span>
                {classes}
                " · "
                <span class="right-owner" translate="no">{right.owner}</span>
            </p>
            <p class="row-sub small">
                {match right.expires_at {
                    Some(at) => tr.dated(Key::ExpiresOn, at, false).into_any(),
                    None => tr.s(Key::NoExpiry).into_any(),
                }}
            </p>
            {right.review_note.filter(|n| !n.trim().is_empty()).map(|n| view! {
                <p class="review-note">
                    <span class="muted">{tr.s(Key::ReviewNote)}</span> " " <span translate="no">{n}</span>
                </p>
            })}
            {right.certificate.map(|f| view! {
                <a class="certificate-link" href=f.url target="_blank" rel="noopener">
                    {tr.s(Key::Certificate)} ": " <span translate="no">{f.name}</span>
                </a>
            })}
        </div>
    }
}

#[component]
fn RightRow(
    right: IpRightView,
    brand: BrandId,
    admin: bool,
    staff: bool,
    list: Rights,
) -> impl IntoView {
    let id = right.id;
    let pending = right.status == "pending";
    let status = right.status.clone();
    let data_status = status.clone();
    let usable = right.usable;
    view! {
        <li class="row right-row" data-right-id=id.to_string() data-status=data_status>
            <RightText right=right />
            <div class="row-meta">
                {right_badge(status, usable)}
            </div>
            {admin.then(|| view! { <CertificateUpload brand=brand right=id list=list /> })}
            {(staff && pending).then(|| view! { <RightReview brand=brand right=id list=list /> })}
        </li>
    }
}

/// Verify, or reject with a note the brand sees (`.verify-right`, `.reject-right`,
/// `.review-note-input`); `list` is fetched again after.
#[component]
pub fn RightReview(brand: BrandId, right: IpRightId, list: Rights) -> impl IntoView {
    let tr = use_tr();
    let note = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<(Key, String)>);
    let path = format!("/api/v1/brands/{brand}/ip-rights/{right}/review");
    let review = act();
    let send = move |decision: &str| {
        let text = note.get_untracked().trim().to_owned();
        let body = ReviewIpRightRequest {
            decision: decision.to_owned(),
            note: (!text.is_empty()).then_some(text),
        };
        if let Ok(payload) = Payload::json(&body) {
            review.dispatch(Call::new(path.clone(), payload).then(move |_| list.refetch()));
        }
    };
    let send_reject = send.clone();
    let pending = review.pending();
    let input_id = format!("review-note-{right}");
    view! {
        <div class="row-actions review-actions">
            <label class="visually-hidden" for=input_id.clone()>{tr.s(Key::ReviewNote)}</label>
            <input
                id=input_id
                class="input review-note-input"
                type="text"
                autocomplete="off"
                maxlength="2000"
                placeholder=tr.s(Key::NoteForBrand)
                bind:value=note
            />
            <button
                type="button"
                class="btn btn-primary verify-right"
                disabled=pending
                on:click=move |_| {
                    problem.set(None);
                    send("verify");
                }
            >
                {tr.s(Key::Verify)}
            </button>
            <button
                type="button"
                class="btn btn-danger-quiet reject-right"
                disabled=pending
                on:click=move |_| {
                    if note.with_untracked(|n| n.trim().is_empty()) {
                        problem.set(Some((Key::NoteRequired, String::new())));
                    } else {
                        problem.set(None);
                        send_reject("reject");
                    }
                }
            >
                {tr.s(Key::RejectRight)}
            </button>
            <Problem problem=problem />
            <ErrorSlot err=act_error(review) />
        </div>
    }
}

/// Attach the right's certificate (`.certificate-file`, `.upload-certificate`).
#[component]
fn CertificateUpload(brand: BrandId, right: IpRightId, list: Rights) -> impl IntoView {
    let tr = use_tr();
    let input = NodeRef::<Input>::new();
    let problem = RwSignal::new(None::<(Key, String)>);
    let path = format!("/api/v1/brands/{brand}/ip-rights/{right}/certificate");
    let upload = act();
    let pending = upload.pending();
    let input_id = format!("certificate-{right}");
    let send = move |_| {
        let Some(el) = input.get_untracked() else {
            return;
        };
        match picked_files(&el, 1) {
            Ok(files) => match files.into_iter().next() {
                Some(file) => {
                    let Ok(form) = web_sys::FormData::new() else {
                        return;
                    };
                    let _ = form.append_with_blob_and_filename("file", &file, &file.name());
                    problem.set(None);
                    let call = Call::new(path.clone(), Payload::Form(form));
                    upload.dispatch(call.then(move |_| list.refetch()));
                }
                None => problem.set(Some((Key::ChooseFile, String::new()))),
            },
            Err(p) => problem.set(Some(p)),
        }
    };
    view! {
        <div class="row-actions upload-row">
            <label class="small" for=input_id.clone()>{tr.s(Key::Certificate)}</label>
            <input id=input_id class="input input-file certificate-file" type="file" accept=ACCEPT node_ref=input />
            <button type="button" class="btn btn-secondary upload-certificate" disabled=pending on:click=send>
                {tr.pick(move || if pending.get() { Key::Working } else { Key::Upload })}
            </button>
            <Problem problem=problem />
            <ErrorSlot err=act_error(upload) />
        </div>
    }
}

#[component]
fn AddRight(path: String, list: Rights) -> impl IntoView {
    let tr = use_tr();
    let kind = RwSignal::new(RIGHT_KINDS[0].to_owned());
    let number = RwSignal::new(String::new());
    let jurisdiction = RwSignal::new(String::new());
    let classes = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let expiry = RwSignal::new(String::new());
    let add = act();
    let pending = add.pending();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let trimmed = |s: RwSignal<String>| s.get_untracked().trim().to_owned();
        let classes_in = classes;
        let classes = trimmed(classes);
        let req = CreateIpRightRequest {
            kind: kind.get_untracked(),
            registration_number: trimmed(number),
            jurisdiction: trimmed(jurisdiction),
            classes: (!classes.is_empty()).then_some(classes),
            owner: trimmed(owner),
            expires_at: crate::fmt::day_start(&expiry.get_untracked(), 0),
        };
        if let Ok(payload) = Payload::json(&req) {
            add.dispatch(Call::new(path.clone(), payload).then(move |_| {
                for field in [number, jurisdiction, classes_in, expiry] {
                    field.set(String::new());
                }
                list.refetch();
            }));
        }
    };
    view! {
        <section class="card" id="add-right" aria-labelledby="add-right-heading">
            <h2 id="add-right-heading">{tr.s(Key::AddRight)}</h2>
            <p class="muted">{tr.s(Key::AddRightLead)}</p>
            <form class="form form-grid" on:submit=submit>
                <div class="field">
                    <label for="right-kind">{tr.s(Key::RightKind)}</label>
                    <select id="right-kind" class="select" on:change=move |ev| kind.set(event_target_value(&ev))>
                        {RIGHT_KINDS
                            .into_iter()
                            .map(|k| view! { <option value=k>{tr.s(kind_key(k).unwrap_or(Key::RkTrademark))}</option> })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="right-number">{tr.s(Key::RegistrationNumber)}</label>
                    <input id="right-number" class="input input-mono" autocomplete="off" spellcheck="false" required maxlength="100" bind:value=number />
                </div>
                <div class="field">
                    <label for="right-jurisdiction">{tr.s(Key::Jurisdiction)}</label>
                    <input
                        id="right-jurisdiction"
                        class="input"
                        autocomplete="off"
                        autocapitalize="characters"
                        required
                        maxlength="100"
                        placeholder=tr.s(Key::JurisdictionHint)
                        bind:value=jurisdiction
                    />
                </div>
                <div class="field">
                    <label for="right-classes">{tr.s(Key::Classes)}</label>
                    <input id="right-classes" class="input" autocomplete="off" inputmode="numeric" maxlength="200" placeholder="18, 25" bind:value=classes />
                </div>
                <div class="field">
                    <label for="right-owner">{tr.s(Key::Owner)}</label>
                    <input id="right-owner" class="input" autocomplete="organization" required maxlength="200" bind:value=owner />
                </div>
                <div class="field">
                    <label for="right-expiry">{tr.s(Key::ExpiryDate)}</label>
                    <input id="right-expiry" class="input" type="date" bind:value=expiry />
                </div>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" id="add-right-submit" disabled=pending>
                        {tr.pick(move || if pending.get() { Key::Working } else { Key::AddRight })}
                    </button>
                </div>
            </form>
            <Outcome result=Signal::derive(move || add.value().get().map(|r| r.map(drop))) ok=Key::RightAdded />
        </section>
    }
}
