//! Pieces shared by the pages: the signed-in shell with its top bar, loading and error displays,
//! badges and labels.

use crate::http::{self, ApiError};
use crate::i18n::{use_tr, Key, Tr};
use crate::state::use_app;
use jf_core::access::KeyScope;
use jf_core::api::ViewerCapacity;
use jf_core::types::{BrandRole, ProgrammeStatus, StaffRole};
use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect};
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;

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
fn NavLink(href: Signal<String>, key: Key) -> impl IntoView {
    let tr = use_tr();
    let location = use_location();
    let current = move || (location.pathname.get() == href.get()).then_some("page");
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
    let members = Signal::derive(move || {
        brand
            .get()
            .map(|id| format!("/brands/{id}/members"))
            .unwrap_or_default()
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
                        view! { <option value=id selected=selected>{m.brand_name}</option> }
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
                    {move || brand.get().is_some().then(|| view! { <NavLink href=members key=Key::NavMembers /> })}
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

/// The heading block of a page: an optional small line above, the title, an optional line below.
#[component]
pub fn PageHeader(
    #[prop(into)] title: Signal<String>,
    #[prop(optional, into)] eyebrow: Option<Signal<String>>,
    #[prop(optional, into)] lead: Option<Signal<String>>,
    #[prop(optional)] title_id: Option<&'static str>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <header class="page-header">
            <div class="page-header-text">
                {eyebrow.map(|e| view! { <p class="eyebrow">{e}</p> })}
                <h1 id=title_id>{title}</h1>
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
