//! Pieces shared by the pages: the signed-in shell with its top bar, loading and error displays,
//! badges and labels.

use crate::fmt;
use crate::http::{self, ApiError, Payload};
use crate::i18n::{fill, pieces, t, use_tr, Key, Piece, Tr};
use crate::state::use_app;
use jf_core::access::KeyScope;
use jf_core::api::{
    AppealResponseRequest, ArbitrationRequest, CaseCommand, ConfirmRequest, IpRightList,
    IpRightView, NoteRequest, ReasonRequest, Reminders, ViewerCapacity,
};
use jf_core::case::Status;
use jf_core::cases::ReasonCode;
use jf_core::clock::Millis;
use jf_core::ids::{BrandId, CaseId};
use jf_core::types::{BrandRole, ProgrammeStatus, StaffRole};
use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect};
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

pub fn replace() -> NavigateOptions {
    NavigateOptions {
        replace: true,
        ..NavigateOptions::default()
    }
}

/// The brand id in the current address (`/brands/{id}/…`), if any.
pub fn brand_in_path(path: &str) -> Option<String> {
    let rest = path.strip_prefix("/brands/")?;
    let id = rest.split('/').next().unwrap_or_default();
    (!id.is_empty()).then(|| id.to_owned())
}

#[component]
pub fn Loading() -> impl IntoView {
    let tr = use_tr();
    view! {
        <div class="loading" role="status">
            <span class="spinner" aria-hidden="true"></span>
            <span>{tr.s(Key::Loading)}</span>
        </div>
    }
}

/// A fetched body, shown by `show` once it is here (the previous one stays up while it reloads).
/// Every loading view goes through this one component, so its machinery is in the wasm once.
#[component]
pub fn Load(res: LocalResource<http::Body>, show: Callback<http::Body, AnyView>) -> impl IntoView {
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            {move || res.get().map(|body| show.run(body))}
        </Transition>
    }
}

/// One error message (`.error`), in the current language.
#[component]
pub fn ErrorText(err: ApiError) -> impl IntoView {
    let tr = use_tr();
    view! {
        <p class="error" role="alert">
            {move || err.text(tr.lang())}
        </p>
    }
}

/// The error of the last attempt, if it failed (one shared view for every form).
#[component]
pub fn ErrorSlot(#[prop(into)] err: Signal<Option<ApiError>>) -> impl IntoView {
    move || err.get().map(|err| view! { <ErrorText err=err /> })
}

/// A problem found before asking the server (e.g. a password too short).
#[component]
pub fn KeyError(#[prop(into)] key: Signal<Option<Key>>) -> impl IntoView {
    let tr = use_tr();
    move || {
        key.get()
            .map(|key| view! { <p class="error" role="alert">{tr.s(key)}</p> })
    }
}

/// What the last attempt came to: a success notice, or the error.
#[component]
pub fn Outcome(
    #[prop(into)] result: Signal<Option<Result<(), ApiError>>>,
    ok: Key,
) -> impl IntoView {
    move || {
        result.get().map(|result| match result {
            Ok(()) => view! { <SuccessText key=ok /> }.into_any(),
            Err(err) => view! { <ErrorText err=err /> }.into_any(),
        })
    }
}

/// A page-level error: the message, plus a way on (sign in again, or home).
#[component]
pub fn ErrorPanel(
    err: ApiError,
    /// What a 404 means on this page (existence is never leaked, so "not found or not yours").
    #[prop(optional)]
    not_found: Option<Key>,
) -> impl IntoView {
    let tr = use_tr();
    let signed_out = err.is_signed_out();
    let message = match (err.is_not_found(), not_found) {
        (true, Some(key)) => Some(key),
        _ => None,
    };
    view! {
        <section class="card card-narrow error-panel">
            <h1>{tr.s(Key::SomethingWrong)}</h1>
            {match message {
                Some(key) => view! { <p class="error" role="alert">{tr.s(key)}</p> }.into_any(),
                None => view! { <ErrorText err=err /> }.into_any(),
            }}
            <p>
                {if signed_out {
                    view! { <a class="btn btn-primary" href="/login">{tr.s(Key::SignInAgain)}</a> }
                        .into_any()
                } else {
                    view! { <a class="btn btn-secondary" href="/">{tr.s(Key::BackHome)}</a> }.into_any()
                }}
            </p>
        </section>
    }
}

/// A notice that something worked (`.success`).
#[component]
pub fn SuccessText(key: Key) -> impl IntoView {
    let tr = use_tr();
    view! {
        <p class="success" role="status">
            {tr.s(key)}
        </p>
    }
}

/// An argument of a `Tpl`: people's data (kept as it is, in `<span translate="no">`), or words
/// of the interface.
#[derive(Clone)]
pub enum Arg {
    Data(String),
    Text(Key),
}

/// A sentence of the interface with data in it ("You are invited to join {Aurelia} as …"): the
/// words follow the language, each data argument sits in its own `<span translate="no">` so
/// translators leave it alone.
#[component]
pub fn Tpl(key: Key, args: Vec<Arg>, #[prop(optional)] data_class: &'static str) -> impl IntoView {
    let tr = use_tr();
    let class = (!data_class.is_empty()).then_some(data_class);
    move || {
        let lang = tr.lang();
        pieces(t(lang, key))
            .into_iter()
            .map(|piece| match piece {
                Piece::Text(text) => text.to_owned().into_any(),
                Piece::Arg(n) => match args.get(n) {
                    Some(Arg::Data(value)) => {
                        view! { <span class=class translate="no">{value.clone()}</span> }.into_any()
                    }
                    Some(Arg::Text(k)) => t(lang, *k).into_any(),
                    None => ().into_any(),
                },
            })
            .collect_view()
    }
}

pub fn role_key(role: BrandRole) -> Key {
    match role {
        BrandRole::BrandAdmin => Key::RoleBrandAdmin,
        BrandRole::BrandAgent => Key::RoleBrandAgent,
        BrandRole::BrandViewer => Key::RoleBrandViewer,
    }
}

pub fn staff_key(role: StaffRole) -> Key {
    match role {
        StaffRole::Operator => Key::StaffOperator,
        StaffRole::AccountManager => Key::StaffAccountManager,
    }
}

pub fn status_key(status: ProgrammeStatus) -> Key {
    match status {
        ProgrammeStatus::Applied => Key::StatusApplied,
        ProgrammeStatus::Enrolled => Key::StatusEnrolled,
        ProgrammeStatus::Suspended => Key::StatusSuspended,
    }
}

pub fn capacity_key(capacity: ViewerCapacity) -> Key {
    match capacity {
        ViewerCapacity::Member(role) => role_key(role),
        ViewerCapacity::AccountManager => Key::StaffAccountManager,
        ViewerCapacity::Operator => Key::StaffOperator,
        ViewerCapacity::Key(KeyScope::Read) => Key::ApiKeyRead,
        ViewerCapacity::Key(KeyScope::ReadWrite) => Key::ApiKeyReadWrite,
    }
}

#[component]
pub fn StatusBadge(status: ProgrammeStatus) -> impl IntoView {
    let tr = use_tr();
    let class = match status {
        ProgrammeStatus::Applied => "badge badge-neutral",
        ProgrammeStatus::Enrolled => "badge badge-good",
        ProgrammeStatus::Suspended => "badge badge-bad",
    };
    view! { <span class=class data-status=status.as_str()>{tr.s(status_key(status))}</span> }
}

#[component]
pub fn RoleBadge(key: Key) -> impl IntoView {
    let tr = use_tr();
    view! { <span class="badge badge-role">{tr.s(key)}</span> }
}

/// The English / 中文 switch: shows the other language's name, remembers the choice.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let app = use_app();
    let tr = use_tr();
    view! {
        <button
            type="button"
            id="lang-switch"
            class="btn btn-ghost btn-small"
            lang=move || tr.lang().other().code()
            title=tr.s(Key::SwitchLanguage)
            on:click=move |_| app.set_lang(app.lang.get_untracked().other())
        >
            {tr.s(Key::OtherLanguage)}
        </button>
    }
}

/// Whether the shell may show its page.
#[derive(Clone, PartialEq)]
enum Gate {
    Loading,
    SignedOut,
    Failed(ApiError),
    SignedIn,
}

/// Layout of every signed-in page: sends visitors to sign in, shows the top bar and the page.
#[component]
pub fn Shell() -> impl IntoView {
    let app = use_app();
    app.want_me();
    let tr = use_tr();
    let gate = Memo::new(move |_| match app.me.get() {
        None => Gate::Loading,
        Some(Ok(_)) => Gate::SignedIn,
        Some(Err(e)) if e.is_not_requested() => Gate::Loading,
        Some(Err(e)) if e.is_signed_out() => Gate::SignedOut,
        Some(Err(e)) => Gate::Failed(e),
    });
    move || match gate.get() {
        Gate::Loading => view! {
            <main class="content">
                <Loading />
            </main>
        }
        .into_any(),
        Gate::SignedOut => view! { <Redirect path="/login" options=replace() /> }.into_any(),
        Gate::Failed(err) => view! {
            <main class="content">
                <section class="card card-narrow">
                    <h1>{tr.s(Key::SomethingWrong)}</h1>
                    <ErrorText err=err />
                    <button type="button" class="btn btn-primary" on:click=move |_| app.reload_me()>
                        {tr.s(Key::TryAgain)}
                    </button>
                </section>
            </main>
        }
        .into_any(),
        Gate::SignedIn => view! {
            <TopBar />
            <main class="content" id="main">
                <Outlet />
            </main>
        }
        .into_any(),
    }
}

#[component]
fn NavLink(
    href: Signal<String>,
    key: Key,
    /// Also current on the pages beneath it (a case under the case list).
    #[prop(optional)]
    prefix: bool,
) -> impl IntoView {
    let tr = use_tr();
    let location = use_location();
    let current = move || {
        let (path, href) = (location.pathname.get(), href.get());
        let under = prefix && path.strip_prefix(&href).is_some_and(|r| r.starts_with('/'));
        (path == href || under).then_some("page")
    };
    view! {
        <a class="nav-link" href=href aria-current=current>
            {tr.s(key)}
        </a>
    }
}

#[component]
fn TopBar() -> impl IntoView {
    let app = use_app();
    let tr = use_tr();
    let location = use_location();
    let navigate = use_navigate();
    let brand = Memo::new(move |_| brand_in_path(&location.pathname.get()));
    let me = Memo::new(move |_| app.current());
    let is_staff =
        Memo::new(move |_| me.with(|m| m.as_ref().is_some_and(|m| m.user.staff_role.is_some())));

    let home = Signal::derive(move || match (brand.get(), is_staff.get()) {
        (Some(id), _) => format!("/brands/{id}"),
        (None, true) => "/staff".to_owned(),
        (None, false) => "/".to_owned(),
    });
    let under = move |tail: &'static str| {
        Signal::derive(move || {
            brand
                .get()
                .map(|id| format!("/brands/{id}/{tail}"))
                .unwrap_or_default()
        })
    };
    let (members, cases, confirm, report, rights) = (
        under("members"),
        under("cases"),
        under("confirm"),
        under("report"),
        under("rights"),
    );
    // Reports are filed by the brand's admins and agents (staff act on cases, not file them).
    let files = Memo::new(move |_| {
        let id = brand.get();
        me.with(|m| {
            m.as_ref().is_some_and(|m| {
                m.memberships
                    .iter()
                    .any(|x| Some(x.brand_id.to_string()) == id && x.role != BrandRole::BrandViewer)
            })
        })
    });
    let staff = Signal::derive(|| "/staff".to_owned());
    let account = Signal::derive(|| "/account".to_owned());

    let go = navigate.clone();
    let sign_out = Action::new_local(move |_: &()| {
        let navigate = navigate.clone();
        async move {
            match http::post_unit::<()>("/api/v1/auth/logout", None).await {
                Err(e) if !e.is_signed_out() => Err(e),
                _ => {
                    app.signed_out();
                    navigate("/login", replace());
                    Ok(())
                }
            }
        }
    });

    let switcher = move || {
        let memberships = me.get().map(|m| m.memberships).unwrap_or_default();
        if memberships.len() < 2 {
            return None;
        }
        let current = brand.get();
        let go = go.clone();
        Some(view! {
            <div class="topbar-switch">
            <select
                id="brand-switcher"
                class="select"
                aria-label=tr.s(Key::SwitchBrand)
                on:change=move |ev| {
                    let id = event_target_value(&ev);
                    if !id.is_empty() {
                        go(&format!("/brands/{id}"), NavigateOptions::default());
                    }
                }
            >
                {current
                    .is_none()
                    .then(|| view! { <option value="" selected=true>{tr.s(Key::ChooseBrand)}</option> })}
                {memberships
                    .into_iter()
                    .map(|m| {
                        let id = m.brand_id.to_string();
                        let selected = current.as_deref() == Some(id.as_str());
                        view! { <option value=id selected=selected translate="no">{m.brand_name}</option> }
                    })
                    .collect_view()}
            </select>
            </div>
        })
    };

    view! {
        <header class="topbar">
            <div class="topbar-inner">
                <a class="logo" href="/">
                    <span class="logo-mark" aria-hidden="true"></span>
                    {tr.s(Key::ProductName)}
                </a>
                {switcher}
                <div class="topbar-tools">
                    {move || brand.get().map(|id| view! { <Bell brand=id /> })}
                    <LangSwitch />
                    <button
                        type="button"
                        id="sign-out"
                        class="btn btn-ghost btn-small"
                        disabled=sign_out.pending()
                        on:click=move |_| {
                            sign_out.dispatch(());
                        }
                    >
                        {tr.s(Key::SignOut)}
                    </button>
                </div>
                <nav class="nav" aria-label=tr.s(Key::MainNavigation)>
                    <NavLink href=home key=Key::NavHome />
                    {move || {
                        brand
                            .get()
                            .is_some()
                            .then(|| {
                                view! {
                                    <NavLink href=cases key=Key::NavCases prefix=true />
                                    <NavLink href=confirm key=Key::NavConfirm />
                                    {move || files.get().then(|| view! { <NavLink href=report key=Key::NavReport prefix=true /> })}
                                    <NavLink href=rights key=Key::NavRights />
                                    <NavLink href=members key=Key::NavMembers />
                                }
                            })
                    }}
                    {move || {
                        (is_staff.get() && brand.get().is_some())
                            .then(|| view! { <NavLink href=staff key=Key::NavAllBrands /> })
                    }}
                    <NavLink href=account key=Key::NavAccount />
                </nav>
            </div>
            {move || {
                sign_out
                    .value()
                    .get()
                    .and_then(Result::err)
                    .map(|err| {
                        view! {
                            <div class="topbar-error">
                                <ErrorText err=err />
                            </div>
                        }
                    })
            }}
        </header>
    }
}

/// How often the reminders bell asks again.
const REMINDERS_POLL: Duration = Duration::from_secs(60);

fn reminder_key(kind: &str) -> Option<Key> {
    Some(match kind {
        "appeal_due" => Key::RmAppealDue,
        "confirmation_due" => Key::RmConfirmationDue,
        "right_expiring" => Key::RmRightExpiring,
        _ => return None,
    })
}

/// The reminders bell of a brand (`#bell`, its count `#bell-count` hidden at 0): opens the panel
/// `#reminders` of what is due soon, each linking to its case or to the rights page. Asks again
/// every minute.
#[component]
fn Bell(brand: String) -> impl IntoView {
    let tr = use_tr();
    let path = format!("/api/v1/brands/{}/reminders", http::segment(&brand));
    let res = http::resource(Signal::derive(move || path.clone()));
    if let Ok(handle) = set_interval_with_handle(move || res.refetch(), REMINDERS_POLL) {
        on_cleanup(move || handle.clear());
    }
    let list = Memo::new(move |_| {
        res.get()
            .map(|body| http::decode::<Reminders>(body).map(|r| r.reminders))
    });
    let count = Memo::new(move |_| {
        list.with(|l| l.as_ref().and_then(|r| r.as_ref().ok()).map_or(0, Vec::len))
    });
    let open = RwSignal::new(false);
    let button = NodeRef::<leptos::html::Button>::new();
    let close = move || {
        open.set(false);
        if let Some(b) = button.get_untracked() {
            let _ = b.focus();
        }
    };
    let base = format!("/brands/{brand}");
    let items = move || match list.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Err(err)) => view! { <ErrorText err=err /> }.into_any(),
        Some(Ok(items)) if items.is_empty() => {
            view! { <p class="muted" id="no-reminders">{tr.s(Key::NoReminders)}</p> }.into_any()
        }
        Some(Ok(items)) => {
            let now = js_sys::Date::now() as Millis;
            view! {
                <ul class="reminder-list">
                    {items
                        .into_iter()
                        .map(|r| {
                            let href = match r.case_id {
                                Some(case) => format!("{base}/cases/{case}"),
                                None => format!("{base}/rights"),
                            };
                            let kind = coded(tr, reminder_key(&r.kind), r.kind.clone());
                            view! {
                                <li class="reminder" data-kind=r.kind>
                                    <a class="reminder-link" href=href on:click=move |_| open.set(false)>
                                        <span class="reminder-kind">{kind}</span>
                                        <span class="reminder-title" translate="no">{r.title}</span>
                                        {due(r.due_at, r.due_at < now)}
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
            .into_any()
        }
    };
    view! {
        <div
            class="bell-wrap"
            on:keydown=move |ev: web_sys::KeyboardEvent| {
                if ev.key() == "Escape" && open.get_untracked() {
                    close();
                }
            }
        >
            <button
                type="button"
                id="bell"
                class="btn btn-ghost btn-small bell"
                node_ref=button
                aria-controls="reminders"
                aria-expanded=move || open.get().to_string()
                aria-label=move || tr.f(Key::RemindersCount, &[&count.get().to_string()])
                title=tr.s(Key::Reminders)
                on:click=move |_| open.update(|o| *o = !*o)
            >
                <svg class="bell-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                    <path d="M12 22a2.4 2.4 0 0 0 2.4-2.2H9.6A2.4 2.4 0 0 0 12 22Zm7.2-5.6V11a7.2 7.2 0 0 0-5.6-7V3.4a1.6 1.6 0 1 0-3.2 0V4a7.2 7.2 0 0 0-5.6 7v5.4L3 18.2v.8h18v-.8Z"></path>
                </svg>
                <span id="bell-count" class="bell-count" hidden=move || count.get() == 0>
                    {count}
                </span>
            </button>
            {move || {
                open.get()
                    .then(|| {
                        let items = items.clone();
                        view! {
                            <div id="reminders" class="reminders-panel" role="region" aria-labelledby="reminders-heading">
                                <div class="reminders-head">
                                    <h2 id="reminders-heading">{tr.s(Key::Reminders)}</h2>
                                    <button type="button" id="reminders-close" class="btn btn-ghost btn-small" on:click=move |_| close()>
                                        {tr.s(Key::Close)}
                                    </button>
                                </div>
                                {items}
                                <p class="hint">{tr.s(Key::RemindersHint)}</p>
                            </div>
                        }
                    })
            }}
        </div>
    }
}

/// The heading block of a page: an optional small line above, the title, an optional line below.
#[component]
pub fn PageHeader(
    #[prop(into)] title: Signal<String>,
    /// The title is people's data (a listing's title, a brand's or a seller's name), not words
    /// of the interface: marked `translate="no"`.
    #[prop(optional)]
    title_is_data: bool,
    /// The line above: whose page this is (a brand's name or reference), always data.
    #[prop(optional_no_strip, into)]
    eyebrow: Option<Signal<String>>,
    /// Words of the interface after the eyebrow's data ("Aurelia · Seller").
    #[prop(optional)]
    eyebrow_note: Option<Key>,
    #[prop(optional, into)] lead: Option<Signal<String>>,
    #[prop(optional)] title_id: Option<&'static str>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let tr = use_tr();
    let eyebrow = (eyebrow.is_some() || eyebrow_note.is_some()).then(|| {
        let sep = (eyebrow.is_some() && eyebrow_note.is_some()).then_some(" · ");
        view! {
            <p class="eyebrow">
                {eyebrow.map(|e| view! { <span translate="no">{e}</span> })}
                {sep}
                {eyebrow_note.map(|k| tr.s(k))}
            </p>
        }
    });
    view! {
        <header class="page-header">
            <div class="page-header-text">
                {eyebrow}
                <h1 id=title_id translate=title_is_data.then_some("no")>{title}</h1>
                {lead.map(|l| view! { <p class="lead">{l}</p> })}
            </div>
            {children.map(|c| view! { <div class="page-header-aside">{c()}</div> })}
        </header>
    }
}

/// Translated text as a signal (for props that take text).
pub fn text(tr: Tr, key: Key) -> Signal<String> {
    Signal::derive(move || tr.t(key).to_owned())
}

// ---------------------------------------------------------------- brand admin pages

/// Whether the viewer is one of the brand's admins (for the interface only: the server decides).
pub fn is_admin(v: ViewerCapacity) -> bool {
    v == ViewerCapacity::Member(BrandRole::BrandAdmin)
}

/// `/api/v1/brands/{id}/{tail}` when the signed-in person is an admin of the brand in the address,
/// else nothing to fetch: an admin page asks for its list alongside the brand, and others ask
/// for nothing they would be refused.
pub fn admin_path(brand_id: Memo<String>, tail: &'static str) -> Signal<String> {
    let app = use_app();
    Signal::derive(move || {
        let id = brand_id.get();
        let admin = app.me.with(|m| {
            m.as_ref().and_then(|r| r.as_ref().ok()).is_some_and(|me| {
                me.memberships
                    .iter()
                    .any(|x| x.brand_id.to_string() == id && x.role == BrandRole::BrandAdmin)
            })
        });
        if admin {
            format!("/api/v1/brands/{}/{tail}", http::segment(&id))
        } else {
            String::new()
        }
    })
}

/// The brand admin's pages, as compact links (`#admin-nav`; `current`: the page's tail).
#[component]
pub fn AdminNav(brand: BrandId, current: &'static str) -> impl IntoView {
    let tr = use_tr();
    view! {
        <nav class="chips admin-nav" id="admin-nav" aria-label=tr.s(Key::BrandSettings)>
            {[
                ("members", Key::NavMembers),
                ("api-keys", Key::NavApiKeys),
                ("webhooks", Key::NavWebhooks),
            ]
                .into_iter()
                .map(|(tail, key)| {
                    view! {
                        <a
                            class="chip"
                            id=format!("admin-link-{tail}")
                            href=format!("/brands/{brand}/{tail}")
                            aria-current=(tail == current).then_some("page")
                        >
                            {tr.s(key)}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}

/// What a page for brand admins shows everyone else (`#admin-only`).
#[component]
pub fn AdminOnly(brand: BrandId) -> impl IntoView {
    let tr = use_tr();
    view! {
        <section class="card empty-state" id="admin-only">
            <p>{tr.s(Key::AdminOnly)}</p>
            <a class="btn btn-secondary" href=format!("/brands/{brand}")>{tr.s(Key::BackToBrand)}</a>
        </section>
    }
}

/// A value to copy, shown once (an invitation link, a secret): a read-only input (`#id`) that
/// selects itself on focus, and a button (`#copy_id`) that copies it, or selects it where the
/// browser offers no clipboard.
#[component]
pub fn CopyField(
    id: &'static str,
    copy_id: &'static str,
    label: Key,
    value: String,
) -> impl IntoView {
    let tr = use_tr();
    let input = NodeRef::<leptos::html::Input>::new();
    let copy = Action::new_local(move |text: &String| {
        let navigator = window().navigator();
        let has_clipboard =
            js_sys::Reflect::get(&navigator, &"clipboard".into()).is_ok_and(|c| !c.is_undefined());
        let promise = has_clipboard.then(|| navigator.clipboard().write_text(text));
        async move {
            let done = match promise {
                Some(p) => JsFuture::from(p).await.is_ok(),
                None => false,
            };
            // Without a clipboard, select the text so the person can copy it themselves.
            if !done {
                if let Some(el) = input.get_untracked() {
                    let _ = el.focus();
                    el.select();
                }
            }
            done
        }
    });
    let copied = move || copy.value().get() == Some(true);
    let for_copy = value.clone();
    view! {
        <label class="visually-hidden" for=id>
            {tr.s(label)}
        </label>
        <div class="copy-row">
            <input
                id=id
                node_ref=input
                class="input input-mono"
                type="text"
                readonly
                autocomplete="off"
                spellcheck="false"
                value=value
                on:focus=move |ev| {
                    if let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                        el.select();
                    }
                }
            />
            <button
                type="button"
                id=copy_id
                class="btn btn-secondary"
                on:click=move |_| {
                    copy.dispatch(for_copy.clone());
                }
            >
                {tr.pick(move || if copied() { Key::Copied } else { Key::Copy })}
            </button>
        </div>
    }
}

// ---------------------------------------------------------------- cases, rights, reasons

/// What the viewer may do on a brand (for the interface only: the server decides).
pub fn can_file(v: ViewerCapacity) -> bool {
    matches!(
        v,
        ViewerCapacity::Member(BrandRole::BrandAdmin | BrandRole::BrandAgent)
            | ViewerCapacity::Key(KeyScope::ReadWrite)
    )
}

pub fn is_staff(v: ViewerCapacity) -> bool {
    matches!(v, ViewerCapacity::AccountManager | ViewerCapacity::Operator)
}

pub fn can_decide(v: ViewerCapacity) -> bool {
    can_file(v) || is_staff(v)
}

pub fn case_status_key(status: Status) -> Key {
    match status {
        Status::UnderReview => Key::CsUnderReview,
        Status::AwaitingBrand => Key::CsAwaitingBrand,
        Status::TakedownRequested => Key::CsTakedownRequested,
        Status::TakedownFailed => Key::CsTakedownFailed,
        Status::TakenDown => Key::CsTakenDown,
        Status::Appealed => Key::CsAppealed,
        Status::InArbitration => Key::CsInArbitration,
        Status::Declined => Key::CsDeclined,
        Status::Cleared => Key::CsCleared,
        Status::Expired => Key::CsExpired,
        Status::Withdrawn => Key::CsWithdrawn,
        Status::Upheld => Key::CsUpheld,
        Status::Reinstated => Key::CsReinstated,
        Status::ListingGone => Key::CsListingGone,
    }
}

/// A case status as a badge (`.badge[data-case-status]`).
pub fn case_badge(status: Status) -> impl IntoView {
    let tr = use_tr();
    let class = match status {
        Status::UnderReview | Status::AwaitingBrand | Status::Appealed | Status::InArbitration => {
            "badge badge-warn"
        }
        Status::TakedownRequested | Status::TakenDown | Status::Upheld => "badge badge-good",
        Status::TakedownFailed | Status::Reinstated => "badge badge-bad",
        _ => "badge badge-neutral",
    };
    view! { <span class=class data-case-status=status.as_str()>{tr.s(case_status_key(status))}</span> }
}

/// The "overdue" badge (`.badge-overdue`).
pub fn overdue_badge() -> impl IntoView {
    let tr = use_tr();
    view! { <span class="badge badge-bad badge-overdue">{tr.s(Key::Overdue)}</span> }
}

pub fn reason_key(code: &str) -> Option<Key> {
    Some(match code {
        "counterfeit" => Key::RcCounterfeit,
        "trademark_misuse" => Key::RcTrademarkMisuse,
        "copyright" => Key::RcCopyright,
        "design_right" => Key::RcDesignRight,
        "patent" => Key::RcPatent,
        _ => return None,
    })
}

pub fn kind_key(kind: &str) -> Option<Key> {
    Some(match kind {
        "trademark" => Key::RkTrademark,
        "copyright" => Key::RkCopyright,
        "design_right" => Key::RkDesignRight,
        "patent" => Key::RkPatent,
        _ => return None,
    })
}

pub fn signal_key(signal: &str) -> Option<Key> {
    Some(match signal {
        "logo_mismatch" => Key::SgLogoMismatch,
        "price_anomaly" => Key::SgPriceAnomaly,
        "image_reuse" => Key::SgImageReuse,
        "new_seller" => Key::SgNewSeller,
        "keyword_stuffing" => Key::SgKeywordStuffing,
        "seller_history" => Key::SgSellerHistory,
        _ => return None,
    })
}

/// A detection score (0..1) as a whole percentage, e.g. "91%" (no float formatting in the wasm).
pub fn percent_of(score: f64) -> String {
    format!("{}%", (score * 100.0).round() as i64)
}

/// A code shown translated when the table knows it, as sent otherwise.
pub fn coded(tr: Tr, key: Option<Key>, raw: String) -> Signal<String> {
    Signal::derive(move || key.map_or_else(|| raw.clone(), |k| tr.t(k).to_owned()))
}

/// A right in one line: "Trademark 018234567 · EU".
pub fn right_label(tr: Tr, kind: String, number: String, jurisdiction: String) -> Signal<String> {
    let key = kind_key(&kind);
    Signal::derive(move || {
        let kind = key.map_or(kind.as_str(), |k| tr.t(k));
        format!("{kind} {number} · {jurisdiction}")
    })
}

/// A right in one line, its number and jurisdiction kept as data: "Trademark 018234567 · EU".
pub fn right_view(tr: Tr, kind: String, number: String, jurisdiction: String) -> impl IntoView {
    let kind = coded(tr, kind_key(&kind), kind);
    view! { {kind} " " <span translate="no">{format!("{number} · {jurisdiction}")}</span> }
}

/// When something is due, relative to now ("Due in 3 days"), or how long it is overdue.
pub fn due(at: Millis, overdue: bool) -> impl IntoView {
    let tr = use_tr();
    let class = if overdue { "due due-overdue" } else { "due" };
    let text = Signal::derive(move || {
        let lang = tr.lang();
        let key = if overdue {
            Key::OverdueSince
        } else {
            Key::DueIn
        };
        fill(t(lang, key), &[&fmt::relative(lang, at)])
    });
    let title = tr.dated(Key::DueOn, at, true);
    view! { <span class=class title=title>{text}</span> }
}

/// A listing's picture, or a plain tile when there is none.
pub fn thumb(src: Option<String>, large: bool) -> impl IntoView {
    let class = if large { "thumb thumb-large" } else { "thumb" };
    match src.filter(|s| !s.is_empty()) {
        Some(src) => {
            view! { <img class=class src=src alt="" loading="lazy" decoding="async" /> }.into_any()
        }
        None => view! { <span class=format!("{class} thumb-none") aria-hidden="true"></span> }
            .into_any(),
    }
}

/// A problem found before asking the server, with one argument (a file name, a count…).
#[component]
pub fn Problem(#[prop(into)] problem: Signal<Option<(Key, String)>>) -> impl IntoView {
    let tr = use_tr();
    move || {
        problem
            .get()
            .map(|(key, arg)| view! { <p class="error" role="alert">{tr.f(key, &[&arg])}</p> })
    }
}

/// One request of a shared action, and what to do with the answer's body once it succeeds.
#[derive(Clone)]
pub struct Call {
    pub path: String,
    pub payload: Payload,
    pub then: Option<Callback<String>>,
}

impl Call {
    pub fn new(path: impl Into<String>, payload: Payload) -> Self {
        Call {
            path: path.into(),
            payload,
            then: None,
        }
    }

    /// Runs `f` with the answer's body after a success.
    pub fn then(mut self, f: impl Fn(String) + Send + Sync + 'static) -> Self {
        self.then = Some(Callback::new(f));
        self
    }
}

/// An action that sends `Call`s: every form and button of the app that writes shares this one
/// type, so the async machinery is in the wasm once instead of once per form.
pub type Act = Action<Call, http::Body>;

pub fn act() -> Act {
    Action::new_local(|call: &Call| {
        let call = call.clone();
        async move {
            let body = call.payload.send(&call.path).await?;
            if let Some(then) = call.then {
                then.run(body.clone());
            }
            Ok(body)
        }
    })
}

/// The error of an action's last attempt, if it failed.
pub fn act_error(a: Act) -> Signal<Option<ApiError>> {
    Signal::derive(move || a.value().get().and_then(Result::err))
}

/// One decision on a case, as the case file and the queues send it.
#[derive(Clone)]
pub struct Decision {
    pub brand: BrandId,
    pub case: CaseId,
    pub command: CaseCommand,
    /// The note (reject, approve) or the reason (withdraw, decline).
    pub text: String,
    pub ip_right_id: String,
    pub reason_code: String,
}

impl Decision {
    pub fn new(brand: BrandId, case: CaseId, command: CaseCommand) -> Self {
        Decision {
            brand,
            case,
            command,
            text: String::new(),
            ip_right_id: String::new(),
            reason_code: String::new(),
        }
    }

    /// As a request; the answer is the case file as it now stands.
    pub fn call(self) -> Call {
        use CaseCommand::*;
        let (verb, decision) = match self.command {
            Confirm => ("confirm", ""),
            Reject => ("reject", ""),
            Withdraw => ("withdraw", ""),
            Approve => ("approve", ""),
            Decline => ("decline", ""),
            RetryTakedown => ("retry", ""),
            Retract => ("retract", ""),
            UpholdAppeal => ("appeal-response", "uphold"),
            RetractOnAppeal => ("appeal-response", "retract"),
            Escalate => ("appeal-response", "escalate"),
            ArbitrateUphold => ("arbitrate", "uphold"),
            ArbitrateReinstate => ("arbitrate", "reinstate"),
        };
        let path = format!("/api/v1/brands/{}/cases/{}/{verb}", self.brand, self.case);
        let text = self.text.trim().to_owned();
        let optional = (!text.is_empty()).then(|| text.clone());
        let payload = match self.command {
            Confirm => Payload::json(&ConfirmRequest {
                ip_right_id: self.ip_right_id,
                reason_code: self.reason_code,
                note: None,
            }),
            Withdraw | Decline => Payload::json(&ReasonRequest { reason: text }),
            UpholdAppeal | RetractOnAppeal | Escalate => Payload::json(&AppealResponseRequest {
                decision: decision.to_owned(),
                reason: optional,
            }),
            ArbitrateUphold | ArbitrateReinstate => Payload::json(&ArbitrationRequest {
                decision: decision.to_owned(),
                reason: text,
            }),
            Reject | Approve | RetryTakedown | Retract => {
                Payload::json(&NoteRequest { note: optional })
            }
        };
        // Encoding these shapes cannot fail; an empty body would be refused by the server.
        Call::new(path, payload.unwrap_or(Payload::Empty))
    }
}

/// The brand's usable rights (verified, unexpired) and the one picked for a report or a
/// confirmation: the first usable one until another is picked.
#[derive(Clone, Copy)]
pub struct UsableRights {
    pub list: Memo<Option<Result<Vec<IpRightView>, ApiError>>>,
    picked: RwSignal<String>,
}

impl UsableRights {
    pub fn new(brand_id: Signal<String>) -> Self {
        // No brand: nothing to ask (the viewer cannot confirm there).
        let res = http::resource(Signal::derive(move || {
            let id = brand_id.get();
            if id.is_empty() {
                id
            } else {
                format!("/api/v1/brands/{}/ip-rights", http::segment(&id))
            }
        }));
        let list = Memo::new(move |_| {
            res.get().map(|body| {
                http::decode::<IpRightList>(body)
                    .map(|l| l.rights.into_iter().filter(|r| r.usable).collect())
            })
        });
        UsableRights {
            list,
            picked: RwSignal::new(String::new()),
        }
    }

    /// The id of the right chosen (empty when there is none to choose).
    pub fn chosen(self) -> String {
        let picked = self.picked.get();
        self.list.with(|l| match l {
            Some(Ok(rights)) => rights
                .iter()
                .find(|r| r.id.to_string() == picked)
                .or(rights.first())
                .map(|r| r.id.to_string())
                .unwrap_or_default(),
            _ => String::new(),
        })
    }
}

/// Choosing the right to invoke; explains (and links to the rights page) when none is usable.
#[component]
pub fn RightField(rights: UsableRights, id: &'static str, brand: String) -> impl IntoView {
    let tr = use_tr();
    let href = format!("/brands/{brand}/rights");
    let picker = move || match rights.list.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Err(err)) => view! { <ErrorText err=err /> }.into_any(),
        Some(Ok(list)) if list.is_empty() => view! {
            <p class="notice notice-warn no-usable-right" role="status">
                {tr.s(Key::NoUsableRight)} " "
                <a href=href.clone()>{tr.s(Key::NavRights)}</a>
            </p>
        }
        .into_any(),
        Some(Ok(list)) => view! {
            <select
                id=id
                class="select"
                required
                on:change=move |ev| rights.picked.set(event_target_value(&ev))
            >
                {list
                    .into_iter()
                    .map(|r| {
                        let value = r.id.to_string();
                        let selected = move || rights.chosen() == value;
                        let label = right_label(tr, r.kind, r.registration_number, r.jurisdiction);
                        view! { <option value=r.id.to_string() selected=selected>{label}</option> }
                    })
                    .collect_view()}
            </select>
        }
        .into_any(),
    };
    view! {
        <div class="field">
            <label for=id>{tr.s(Key::RightInvoked)}</label>
            {picker}
        </div>
    }
}

/// Choosing the reason code (`value` holds it; start it at "counterfeit").
#[component]
pub fn ReasonField(id: &'static str, value: RwSignal<String>) -> impl IntoView {
    let tr = use_tr();
    view! {
        <div class="field">
            <label for=id>{tr.s(Key::Reason)}</label>
            <select id=id class="select" on:change=move |ev| value.set(event_target_value(&ev))>
                {ReasonCode::ALL
                    .into_iter()
                    .map(|r| {
                        let code = r.as_str();
                        view! {
                            <option value=code selected=move || value.get() == code>
                                {tr.s(reason_key(code).unwrap_or(Key::RcCounterfeit))}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
