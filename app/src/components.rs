//! Pieces shared by the pages: the signed-in frame with its top bar, loading and error displays,
//! a fetched value with its error panel, case decisions, badges and labels.

use crate::fmt;
use crate::http::{self, ApiError};
use crate::i18n::{dated, lang, pieces, tr, trf, Key, Lang, Piece};
use crate::state;
use jf_core::access::KeyScope;
use jf_core::api::LanguageRequest;
use jf_core::api::{
    AppealResponseRequest, ArbitrationRequest, BrandView, CaseCommand, CaseView, ConfirmRequest,
    IpRightList, IpRightView, MarkReadRequest, Me, NoteRequest, NotificationList, NotificationView,
    ReasonRequest, Reminder, Reminders, ViewerCapacity,
};
use jf_core::case::Status;
use jf_core::cases::{ReasonCode, MIN_STATEMENT_CHARS};
use jf_core::clock::Millis;
use jf_core::notifications::{Language, Notice};
use jf_core::routes::RouteId;
use jf_core::types::{BrandRole, ProgrammeStatus, StaffRole};
use leptos::either::Either;
use leptos::prelude::*;
use leptos::text_prop::TextProp;
use leptos_router::components::Outlet;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use std::sync::Arc;
use wasm_bindgen_futures::JsFuture;

// ---------------------------------------------------------------- loading, errors, notices

/// A spinner with "Loading…" (`.loading`).
#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <div class="loading" role="status">
            <span class="spinner" aria-hidden="true"></span>
            <span>{move || tr(Key::Loading)}</span>
        </div>
    }
}

/// One error message (`.error`); in Chinese, the data inside a server's reason (an email, a
/// column name) is marked as data.
#[component]
pub fn ErrorText(err: ApiError) -> impl IntoView {
    view! { <p class="error" role="alert">{move || error_words(&err)}</p> }
}

fn error_words(err: &ApiError) -> AnyView {
    let lang = lang();
    match err.reason_zh_parts().filter(|_| lang == Lang::Zh) {
        Some((field, template, args)) => {
            let field = field.map(|f| format!("{f}："));
            view! { {field}{with_data(template, &args)} }.into_any()
        }
        None => err.text(lang).into_any(),
    }
}

/// `template`'s words as text and its `{0}`, `{1}`… as data spans of `args` (not reactive:
/// call it inside a closure that reads the language).
pub fn with_data(template: &str, args: &[String]) -> AnyView {
    let args: Vec<Arg> = args.iter().cloned().map(Arg::Data).collect();
    templated(template, &args, "")
}

/// A problem found before asking the server (`.error`), e.g. a password too short.
#[component]
pub fn KeyError(key: Key, #[prop(optional)] args: Vec<String>) -> impl IntoView {
    let words = move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        trf(key, &args)
    };
    view! { <p class="error" role="alert">{words}</p> }
}

/// A notice that something worked (`.success`).
#[component]
pub fn SuccessText(key: Key) -> impl IntoView {
    view! { <p class="success" role="status">{move || tr(key)}</p> }
}

/// A page-level error: the message, plus a way on (sign in again, or home). `not_found` says
/// what a 404 means on this page (existence is never leaked: "not found or not yours").
#[component]
pub fn ErrorPanel(
    err: ApiError,
    #[prop(default = None, into)] not_found: Option<Key>,
) -> impl IntoView {
    let message = match (err.is_not_found(), not_found) {
        (true, Some(key)) => {
            Either::Left(view! { <p class="error" role="alert">{move || tr(key)}</p> })
        }
        _ => Either::Right(view! { <ErrorText err=err.clone()/> }),
    };
    let way_on = if err.is_signed_out() {
        Either::Left(
            view! { <a class="btn btn-primary" href="/login">{move || tr(Key::SignInAgain)}</a> },
        )
    } else {
        Either::Right(
            view! { <a class="btn btn-secondary" href="/">{move || tr(Key::BackHome)}</a> },
        )
    };
    view! {
        <section class="card card-narrow error-panel">
            <h1>{move || tr(Key::SomethingWrong)}</h1>
            {message}
            <p>{way_on}</p>
        </section>
    }
}

/// The error of a form's last attempt, shown while there is one (`.error-slot`, hidden when
/// there is none).
#[component]
pub fn ErrorSlot(#[prop(into)] err: Signal<Option<ApiError>>) -> impl IntoView {
    view! {
        <div class="error-slot" hidden=move || err.with(Option::is_none)>
            {move || err.get().map(|err| view! { <ErrorText err/> })}
        </div>
    }
}

/// The error of an action's last answer (for `ErrorSlot`), gone while it is sent again: a new
/// attempt starts afresh.
pub fn error_of<I, O>(action: Action<I, Result<O, ApiError>>) -> Signal<Option<ApiError>>
where
    I: Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    let pending = action.pending();
    Signal::derive(move || {
        if pending.get() {
            return None;
        }
        action.value().get().and_then(Result::err)
    })
}

/// A labelled form field: `<div class=…><label for=id>…</label>{children}</div>`.
#[component]
pub fn FormField(
    #[prop(into)] class: String,
    #[prop(into)] id: String,
    label: Key,
    children: Children,
) -> impl IntoView {
    view! {
        <div class=class>
            <label for=id>{move || tr(label)}</label>
            {children()}
        </div>
    }
}

/// A submit button that is disabled while `pending`, its label `idle` or `busy` (e.g. "Save" /
/// "Saving…").
#[component]
pub fn Submit(
    #[prop(into)] pending: Signal<bool>,
    idle: Key,
    busy: Key,
    #[prop(optional)] id: &'static str,
    #[prop(into)] class: String,
) -> impl IntoView {
    view! {
        <button
            type="submit"
            class=class
            id=(!id.is_empty()).then_some(id)
            disabled=move || pending.get()
        >
            {move || tr(if pending.get() { busy } else { idle })}
        </button>
    }
}

// ---------------------------------------------------------------- fetching

/// A fetched value: a spinner the first time, then `show` with the answer, or the error panel
/// (`not_found` as for `ErrorPanel`). A refetch keeps the shown value until the new one arrives.
#[component]
pub fn Loaded<T, F>(
    resource: LocalResource<Result<T, ApiError>>,
    #[prop(default = None, into)] not_found: Option<Key>,
    show: F,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    F: Fn(T) -> AnyView + Send + Sync + 'static,
{
    let show = Arc::new(show);
    let value = move || {
        let show = show.clone();
        Suspend::new(async move { resource.await.map(|v| show(v)) })
    };
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            <ErrorBoundary fallback=move |errors| failed(errors, not_found)>{value}</ErrorBoundary>
        </Transition>
    }
}

/// The error panel of the first error a `Loaded` caught.
fn failed(errors: ArcRwSignal<Errors>, not_found: Option<Key>) -> impl IntoView {
    move || {
        errors
            .read()
            .iter()
            .next()
            .map(|(_, e)| {
                // Only `ApiError`s are thrown here; anything else reads as an internal error.
                e.downcast_ref::<ApiError>()
                    .cloned()
                    .unwrap_or_else(|| ApiError::local(0, "internal_error"))
            })
            .map(|err| view! { <ErrorPanel err not_found/> })
    }
}

/// A part of a page fetched on its own (`<div>`): a spinner at first, then `show` with the answer
/// (the last one kept while it is asked for again), or the error as a line (the rest of the
/// page stays usable).
pub fn part<T, V>(
    answer: LocalResource<Result<T, ApiError>>,
    show: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <div>
            <Transition fallback=|| view! { <Loading/> }>
                {move || {
                    answer
                        .get()
                        .map(|got| match got {
                            Ok(v) => show(v).into_any(),
                            Err(e) => view! { <ErrorText err=e/> }.into_any(),
                        })
                }}
            </Transition>
        </div>
    }
}

/// A list read a page at a time by keyset cursor ("Load more"): the rows so far, the next
/// page's cursor, the last failure, and `load_more` asking for the next page (one at a time).
pub struct Paged<T: Send + Sync + 'static> {
    pub rows: RwSignal<Vec<T>>,
    pub next: RwSignal<Option<String>>,
    pub error: RwSignal<Option<ApiError>>,
    more: Action<String, ()>,
}

impl<T: Send + Sync + 'static> Clone for Paged<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Paged<T> {}

impl<T: Send + Sync + 'static> Paged<T> {
    /// From the first page (`rows`, `next`); later pages are `path&cursor=…`, answering `A`,
    /// whose rows and cursor `page` takes out.
    pub fn new<A: serde::de::DeserializeOwned + 'static>(
        path: String,
        rows: Vec<T>,
        next: Option<String>,
        page: fn(A) -> (Vec<T>, Option<String>),
    ) -> Self {
        let rows = RwSignal::new(rows);
        let next = RwSignal::new(next);
        let error = RwSignal::new(None::<ApiError>);
        // Applied by the request itself: a page left meanwhile ignores the answer (its signals
        // are gone).
        let more = Action::new_local(move |cursor: &String| {
            let path = format!("{path}&cursor={}", http::encode(cursor));
            async move {
                match http::get::<A>(&path).await {
                    Ok(answer) => {
                        let (more_rows, cursor) = page(answer);
                        rows.try_update(|rows| rows.extend(more_rows));
                        next.try_set(cursor);
                    }
                    Err(e) => {
                        error.try_set(Some(e));
                    }
                }
            }
        });
        Paged {
            rows,
            next,
            error,
            more,
        }
    }

    pub fn pending(&self) -> Memo<bool> {
        self.more.pending()
    }

    /// Asks for the next page, unless one is on its way or there is none.
    pub fn load_more(&self) {
        if self.more.pending().get_untracked() {
            return;
        }
        if let Some(cursor) = self.next.get_untracked() {
            self.error.set(None);
            self.more.dispatch(cursor);
        }
    }
}

/// Calls `f` every `ms` milliseconds while the current owner (the component) lives.
pub fn every(ms: i32, f: impl Fn() + 'static) {
    let period = std::time::Duration::from_millis(u64::try_from(ms).unwrap_or(0));
    if let Ok(handle) = set_interval_with_handle(f, period) {
        on_cleanup(move || handle.clear());
    }
}

// ---------------------------------------------------------------- words and badges

/// An argument of `Tpl`: people's data (kept as it is, in `<span translate="no">`), or words
/// of the interface.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    Data(String),
    Text(Key),
}

/// A sentence of the interface with data in it ("You are invited to join {Aurelia} as …") in a
/// `<span>`: each data argument sits in its own `<span translate="no">` so translators leave it
/// alone; `data_class` is the class of those spans.
#[component]
pub fn Tpl(
    key: Key,
    #[prop(optional)] args: Vec<Arg>,
    #[prop(optional)] data_class: &'static str,
) -> impl IntoView {
    view! { <span>{tpl_into(key, args, data_class)}</span> }
}

/// `Tpl`'s content, to put into an element of your own (`<p class="x">{tpl_into(…)}</p>`);
/// follows the language.
pub fn tpl_into(key: Key, args: Vec<Arg>, data_class: &'static str) -> impl IntoView {
    move || templated(tr(key), &args, data_class)
}

fn templated(template: &str, args: &[Arg], data_class: &'static str) -> AnyView {
    pieces(template)
        .into_iter()
        .map(|piece| match piece {
            Piece::Text(text) => text.to_owned().into_any(),
            Piece::Arg(n) => match args.get(n) {
                Some(Arg::Data(value)) if data_class.is_empty() => data(value.clone()).into_any(),
                Some(Arg::Data(value)) => {
                    view! { <span translate="no" class=data_class>{value.clone()}</span> }
                        .into_any()
                }
                Some(Arg::Text(k)) => tr(*k).into_any(),
                None => ().into_any(),
            },
        })
        .collect::<Vec<_>>()
        .into_any()
}

/// `<span translate="no">` holding people's data (a name, a title): never translated.
pub fn data(text: impl Into<String>) -> impl IntoView {
    view! { <span translate="no">{text.into()}</span> }
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

/// A programme status as a badge (`.badge[data-status]`).
#[component]
pub fn StatusBadge(status: ProgrammeStatus) -> impl IntoView {
    let class = match status {
        ProgrammeStatus::Applied => "badge badge-neutral",
        ProgrammeStatus::Enrolled => "badge badge-good",
        ProgrammeStatus::Suspended => "badge badge-bad",
    };
    view! { <span class=class data-status=status.as_str().to_owned()>{move || tr(status_key(status))}</span> }
}

#[component]
pub fn RoleBadge(key: Key) -> impl IntoView {
    view! { <span class="badge badge-role">{move || tr(key)}</span> }
}

/// The English / 中文 switch (`#lang-switch`): shows the other language's name, remembers the
/// choice.
#[component]
pub fn LangSwitch() -> impl IntoView {
    view! {
        <button
            type="button"
            class="btn btn-ghost btn-small"
            id="lang-switch"
            lang=move || lang().other().code()
            title=move || tr(Key::SwitchLanguage)
            on:click=move |_| {
                let chosen = lang().other();
                state::set_lang(chosen);
                // One's emails are written in the language one reads in.
                if state::me().is_some() {
                    let language = match chosen {
                        Lang::En => Language::En,
                        Lang::Zh => Language::Zh,
                    };
                    leptos::task::spawn_local(async move {
                        let path = http::api(RouteId::SetMyLanguage, &[]);
                        let _ = http::put::<_, http::Ignored>(&path, &LanguageRequest { language }).await;
                    });
                }
            }
        >
            {move || tr(Key::OtherLanguage)}
        </button>
    }
}

// ---------------------------------------------------------------- the signed-in frame

/// How often the reminders bell asks again, in milliseconds.
const REMINDERS_POLL_MS: i32 = 60_000;

/// Every signed-in page: the top bar, then the page (the matched child route) in `<main>`.
#[component]
pub fn Shell() -> impl IntoView {
    // Deduplicated: a session refetch with the same answer does not rebuild the top bar.
    let me = Memo::new(move |_| state::me());
    let path = use_location().pathname;
    let brand = Memo::new(move |_| brand_in(&path.get()));
    let top_bar = move || {
        me.get()
            .map(|me| view! { <TopBar me brand=brand.get() path/> })
    };
    view! {
        <div class="shell">
            {top_bar}
            <main class="content" id="main">
                <Outlet/>
            </main>
        </div>
    }
}

/// The brand whose page `path` is (`/brands/{id}/…`), if any.
fn brand_in(path: &str) -> Option<String> {
    let id = path.strip_prefix("/brands/")?.split('/').next()?;
    (!id.is_empty()).then(|| id.to_owned())
}

fn nav_link(href: String, key: Key, path: Memo<String>, prefix: bool) -> impl IntoView {
    let current = {
        let href = href.clone();
        move || {
            path.with(|p| {
                let under = prefix
                    && p.strip_prefix(href.as_str())
                        .is_some_and(|rest| rest.starts_with('/'));
                (*p == href || under).then_some("page")
            })
        }
    };
    view! { <a class="nav-link" href=href aria-current=current>{move || tr(key)}</a> }
}

#[component]
fn TopBar(me: Me, brand: Option<String>, path: Memo<String>) -> impl IntoView {
    let home = match (&brand, me.is_staff()) {
        (Some(id), _) => format!("/brands/{id}"),
        (None, true) => "/staff".to_owned(),
        (None, false) => "/".to_owned(),
    };
    let mut links = vec![nav_link(home, Key::NavHome, path, false).into_any()];
    if let Some(id) = &brand {
        // Reports are filed by the brand's admins and agents (staff act on cases, not file them),
        // and only while the brand is enrolled, as the queue of flags is kept for then. Staff
        // are not told a brand's status here: the pages themselves explain.
        let enrolled = state::programme_in(&me, id).is_none_or(|s| s == ProgrammeStatus::Enrolled);
        let files =
            enrolled && state::role_in(&me, id).is_some_and(|r| r != BrandRole::BrandViewer);
        let under = |tail: &str| format!("/brands/{id}/{tail}");
        links.push(nav_link(under("cases"), Key::NavCases, path, true).into_any());
        if enrolled {
            links.push(nav_link(under("confirm"), Key::NavConfirm, path, false).into_any());
        }
        if files {
            links.push(nav_link(under("report"), Key::NavReport, path, true).into_any());
            links.push(nav_link(under("find"), Key::NavFind, path, false).into_any());
        }
        links.push(nav_link(under("rights"), Key::NavRights, path, false).into_any());
        links.push(nav_link(under("members"), Key::NavMembers, path, false).into_any());
        if me.is_staff() {
            links.push(nav_link("/staff".into(), Key::NavAllBrands, path, false).into_any());
        }
    }
    links.push(nav_link("/account".into(), Key::NavAccount, path, false).into_any());

    // Signing out of a session that has already ended is still signing out. The answer arrives
    // outside any owner: the session is cleared within this one (it holds the context).
    let owner = Owner::current();
    let navigate = use_navigate();
    let sign_out = Action::new_local(move |_: &()| {
        let owner = owner.clone();
        let navigate = navigate.clone();
        async move {
            let path = http::api(RouteId::Logout, &[]);
            match http::post_empty::<http::Ignored>(&path).await {
                Err(e) if !e.is_signed_out() => Err(e),
                _ => {
                    match &owner {
                        Some(owner) => owner.with(|| state::set_me(None)),
                        None => state::set_me(None),
                    }
                    let replace = NavigateOptions {
                        replace: true,
                        ..Default::default()
                    };
                    navigate("/login", replace);
                    Ok(())
                }
            }
        }
    });
    let pending = sign_out.pending();
    let error = move || {
        sign_out.value().get().and_then(Result::err).map(|err| {
            view! {
                <div class="topbar-error">
                    <ErrorText err/>
                </div>
            }
        })
    };

    view! {
        <header class="topbar">
            <div class="topbar-inner">
                <a class="logo" href="/">
                    <span class="logo-mark" aria-hidden="true"></span>
                    {move || tr(Key::ProductName)}
                </a>
                {brand_switcher(&me, brand.clone())}
                <div class="topbar-tools">
                    {(brand.is_some() || !me.memberships.is_empty()).then(|| {
                        let has_brands = !me.memberships.is_empty();
                        view! { <Bell brand=brand.clone() has_brands/> }
                    })}
                    <LangSwitch/>
                    <button
                        type="button"
                        class="btn btn-ghost btn-small"
                        id="sign-out"
                        disabled=move || pending.get()
                        on:click=move |_| {
                            sign_out.dispatch_local(());
                        }
                    >
                        {move || tr(Key::SignOut)}
                    </button>
                </div>
                <nav class="nav" aria-label=move || tr(Key::MainNavigation)>
                    {links}
                </nav>
            </div>
            <div>{error}</div>
        </header>
    }
}

/// `#brand-switcher`, for people with two brands or more.
fn brand_switcher(me: &Me, current: Option<String>) -> Option<impl IntoView> {
    if me.memberships.len() < 2 {
        return None;
    }
    let navigate = use_navigate();
    let choose = current.is_none().then(|| {
        view! {
            <option value="" selected>
                {move || tr(Key::ChooseBrand)}
            </option>
        }
    });
    let options = me
        .memberships
        .iter()
        .map(|m| {
            let id = m.brand_id.to_string();
            let selected = current.as_deref() == Some(id.as_str());
            view! {
                <option value=id selected=selected translate="no">
                    {m.brand_name.clone()}
                </option>
            }
        })
        .collect_view();
    Some(view! {
        <div class="topbar-switch">
            <select
                class="select"
                id="brand-switcher"
                aria-label=move || tr(Key::SwitchBrand)
                on:change=move |ev| {
                    let id = event_target_value(&ev);
                    if !id.is_empty() {
                        navigate(&format!("/brands/{id}"), Default::default());
                    }
                }
            >
                {choose}
                {options}
            </select>
        </div>
    })
}

fn reminder_key(kind: &str) -> Option<Key> {
    Some(match kind {
        "appeal_due" => Key::RmAppealDue,
        "confirmation_due" => Key::RmConfirmationDue,
        "right_expiring" => Key::RmRightExpiring,
        _ => return None,
    })
}

/// The bell (`#bell`): one's notifications across all one's brands (`#notifications`, each
/// labelled with its brand and linking to its case or rights, unread ones marked), a badge of the
/// unread ones (`#bell-count`, hidden at 0), "Mark all read" (`#mark-all-read`); and on a brand's
/// pages, what is due soon there (`#reminders`). Opening a notification marks it read. Asks again
/// every minute.
#[component]
fn Bell(brand: Option<String>, has_brands: bool) -> impl IntoView {
    let notices = LocalResource::new(move || async move {
        if has_brands {
            http::get::<NotificationList>(&http::api(RouteId::MyNotifications, &[]))
                .await
                .map(Some)
        } else {
            Ok(None)
        }
    });
    let reminders_path = brand.as_ref().map(|b| http::api(RouteId::Reminders, &[b]));
    let reminders = LocalResource::new(move || {
        let path = reminders_path.clone();
        async move {
            match path {
                Some(path) => http::get::<Reminders>(&path)
                    .await
                    .map(|r| Some(r.reminders)),
                None => Ok(None),
            }
        }
    });
    every(REMINDERS_POLL_MS, move || {
        notices.refetch();
        reminders.refetch();
    });
    let unread = move || {
        notices.with(|l| {
            l.as_ref()
                .and_then(|r| r.as_ref().ok())
                .and_then(|l| l.as_ref())
                .map_or(0, |l| l.unread)
        })
    };
    let mark = Action::new_local(move |req: &MarkReadRequest| {
        let req = req.clone();
        async move {
            http::post::<_, http::Ignored>(&http::api(RouteId::MarkNotificationsRead, &[]), &req)
                .await?;
            notices.refetch();
            Ok::<_, ApiError>(())
        }
    });
    let mark_error = error_of(mark);
    let open = RwSignal::new(false);
    let button = NodeRef::<leptos::html::Button>::new();
    let close = move || {
        open.set(false);
        if let Some(b) = button.get_untracked() {
            let _ = b.focus();
        }
    };

    let notice_items = move || match notices.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(err)) => view! { <ErrorText err/> }.into_any(),
        Some(Ok(None)) => ().into_any(),
        Some(Ok(Some(list))) if list.notifications.is_empty() => view! {
            <p class="muted" id="no-notifications">{move || tr(Key::NoNotifications)}</p>
        }
        .into_any(),
        Some(Ok(Some(list))) => {
            let newest = list.notifications.first().map(|n| n.at);
            let any_unread = list.unread > 0;
            let rows = list
                .notifications
                .into_iter()
                .map(|n| notification_row(n, open, mark))
                .collect_view();
            let mark_all = (any_unread && newest.is_some()).then(|| {
                view! {
                    <button
                        type="button"
                        class="btn btn-secondary btn-small"
                        id="mark-all-read"
                        disabled=move || mark.pending().get()
                        on:click=move |_| {
                            mark.dispatch_local(MarkReadRequest { up_to: newest, ids: None });
                        }
                    >
                        {move || tr(Key::MarkAllRead)}
                    </button>
                }
            });
            view! {
                <ul class="reminder-list" id="notification-list">{rows}</ul>
                {mark_all}
            }
            .into_any()
        }
    };
    let notice_items = StoredValue::new(notice_items);
    let base = brand
        .as_ref()
        .map(|b| format!("/brands/{b}"))
        .unwrap_or_default();
    let reminder_items = move || match reminders.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(err)) => view! { <ErrorText err/> }.into_any(),
        Some(Ok(None)) => ().into_any(),
        Some(Ok(Some(items))) if items.is_empty() => view! {
            <p class="muted" id="no-reminders">{move || tr(Key::NoReminders)}</p>
        }
        .into_any(),
        Some(Ok(Some(items))) => {
            let now = js_sys::Date::now() as Millis;
            let rows = items
                .into_iter()
                .map(|r| reminder_row(r, &base, now, open))
                .collect_view();
            view! { <ul class="reminder-list">{rows}</ul> }.into_any()
        }
    };
    let reminder_items = StoredValue::new(reminder_items);
    let on_brand = brand.is_some();
    let panel = move || {
        open.get().then(|| {
            let notifications = has_brands.then(|| {
                view! {
                    <section id="notifications" aria-labelledby="notifications-heading">
                        <h3 id="notifications-heading">{move || tr(Key::Notifications)}</h3>
                        <ErrorSlot err=mark_error/>
                        <div>{move || notice_items.with_value(|f| f())}</div>
                    </section>
                }
            });
            let due = on_brand.then(|| {
                view! {
                    <section id="reminders" aria-labelledby="reminders-heading">
                        <h3 id="reminders-heading">{move || tr(Key::Reminders)}</h3>
                        <div>{move || reminder_items.with_value(|f| f())}</div>
                        <p class="hint">{move || tr(Key::RemindersHint)}</p>
                    </section>
                }
            });
            view! {
                <div class="reminders-panel" id="bell-panel" role="region" aria-labelledby="bell-heading">
                    <div class="reminders-head">
                        <h2 id="bell-heading">{move || tr(Key::Notifications)}</h2>
                        <button
                            type="button"
                            class="btn btn-ghost btn-small"
                            id="reminders-close"
                            on:click=move |_| close()
                        >
                            {move || tr(Key::Close)}
                        </button>
                    </div>
                    {notifications}
                    {due}
                </div>
            }
        })
    };

    view! {
        <div
            class="bell-wrap"
            on:keydown=move |ev| {
                if ev.key() == "Escape" && open.get_untracked() {
                    close();
                }
            }
        >
            <button
                type="button"
                class="btn btn-ghost btn-small bell"
                id="bell"
                aria-controls="bell-panel"
                title=move || tr(Key::Notifications)
                aria-expanded=move || open.get().to_string()
                aria-label=move || trf(Key::NotificationsCount, &[&unread().to_string()])
                node_ref=button
                on:click=move |_| {
                    open.update(|o| *o = !*o);
                    // Opened: what it lists is asked for again, not a minute old.
                    if open.get_untracked() {
                        notices.refetch();
                    }
                }
            >
                // The icon is markup, not data: written once as static HTML.
                <svg class="bell-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                    <path d="M12 22a2.4 2.4 0 0 0 2.4-2.2H9.6A2.4 2.4 0 0 0 12 22Zm7.2-5.6V11a7.2 7.2 0 0 0-5.6-7V3.4a1.6 1.6 0 1 0-3.2 0V4a7.2 7.2 0 0 0-5.6 7v5.4L3 18.2v.8h18v-.8Z"></path>
                </svg>
                <span class="bell-count" id="bell-count" hidden=move || unread() == 0>
                    {move || unread().to_string()}
                </span>
            </button>
            <div>{panel}</div>
        </div>
    }
}

fn notice_key(kind: Notice) -> Key {
    match kind {
        Notice::ReportDecided => Key::NkReportDecided,
        Notice::AppealFiled => Key::NkAppealFiled,
        Notice::ArbitrationDecided => Key::NkArbitrationDecided,
        Notice::RightReviewed => Key::NkRightReviewed,
        Notice::ProgrammeChanged => Key::NkProgrammeChanged,
    }
}

/// What came of it, by its code (a code the app does not know is shown as sent).
fn outcome_key(outcome: &str) -> Option<Key> {
    Some(match outcome {
        "takedown_requested" => Key::NoApproved,
        "declined" => Key::NoDeclined,
        "appealed" => Key::NoAppealed,
        "upheld" => Key::NoUpheld,
        "reinstated" => Key::NoReinstated,
        "verified" => Key::NoVerified,
        "rejected" => Key::NoRejected,
        "enrolled" => Key::NoEnrolled,
        "suspended" => Key::NoSuspended,
        "applied" => Key::NoApplied,
        _ => return None,
    })
}

/// One notification (`li.notification`, `data-kind`, `data-read`): its brand, what happened and
/// to what, when; a link to its case, or the brand's rights or page.
fn notification_row(
    n: NotificationView,
    open: RwSignal<bool>,
    mark: Action<MarkReadRequest, Result<(), ApiError>>,
) -> impl IntoView {
    let href = match (n.subject_kind.as_deref(), &n.subject_id) {
        (Some("case"), Some(case)) => format!("/brands/{}/cases/{case}", n.brand_id),
        (Some("ip_right"), _) => format!("/brands/{}/rights", n.brand_id),
        _ => format!("/brands/{}", n.brand_id),
    };
    let kind = n.kind;
    let outcome = n.outcome.clone().filter(|o| !o.is_empty());
    let read = n.read;
    let id = n.id.clone();
    let at = n.at;
    view! {
        <li
            class=if read { "reminder notification" } else { "reminder notification unread" }
            data-kind=kind.as_str()
            data-read=read.to_string()
        >
            <a
                class="reminder-link"
                href=href
                on:click=move |_| {
                    open.set(false);
                    if !read {
                        mark.dispatch_local(MarkReadRequest { up_to: None, ids: Some(vec![id.clone()]) });
                    }
                }
            >
                <span class="notification-brand" translate="no">{n.brand_name}</span>
                <span class="reminder-kind">
                    {move || tr(notice_key(kind))}
                    {(!read).then(|| view! { <span class="visually-hidden">{move || format!(" ({})", tr(Key::Unread))}</span> })}
                </span>
                {n.subject_name.map(|name| view! { <span class="reminder-title" translate="no">{name}</span> })}
                {outcome.map(|o| view! { <span class="notification-outcome">{move || coded(outcome_key(&o), &o)}</span> })}
                <span class="due" title=move || fmt::date_time(lang(), at)>{move || fmt::relative(lang(), at)}</span>
            </a>
        </li>
    }
}

fn reminder_row(r: Reminder, base: &str, now: Millis, open: RwSignal<bool>) -> impl IntoView {
    let href = match r.case_id {
        Some(case) => format!("{base}/cases/{case}"),
        None => format!("{base}/rights"),
    };
    let kind = r.kind;
    let data_kind = kind.clone();
    let overdue = r.due_at < now;
    view! {
        <li class="reminder" data-kind=data_kind>
            <a class="reminder-link" href=href on:click=move |_| open.set(false)>
                <span class="reminder-kind">{move || coded(reminder_key(&kind), &kind)}</span>
                <span class="reminder-title" translate="no">{r.title}</span>
                <Due at=r.due_at overdue/>
            </a>
        </li>
    }
}

/// The heading block of a page: an optional small line above (`eyebrow`, people's data, then
/// `eyebrow_note`, words of the interface), the title (`data_title`: it is people's data), an
/// optional line below (`lead`), and an optional aside (buttons).
#[component]
pub fn PageHeader(
    #[prop(into)] title: TextProp,
    #[prop(optional)] data_title: bool,
    #[prop(optional, into)] eyebrow: Option<TextProp>,
    #[prop(default = None, into)] eyebrow_note: Option<Key>,
    #[prop(optional, into)] lead: Option<TextProp>,
    #[prop(default = None, into)] title_id: Option<&'static str>,
    #[prop(optional, into)] aside: Option<ViewFn>,
) -> impl IntoView {
    let both = eyebrow.is_some() && eyebrow_note.is_some();
    let eyebrow = (eyebrow.is_some() || eyebrow_note.is_some()).then(|| {
        view! {
            <p class="eyebrow">
                {eyebrow.map(|e| view! { <span translate="no">{move || e.get()}</span> })}
                {both.then_some(" · ")}
                {eyebrow_note.map(|k| move || tr(k))}
            </p>
        }
    });
    view! {
        <header class="page-header">
            <div class="page-header-text">
                {eyebrow}
                <h1 id=title_id translate=data_title.then_some("no")>
                    {move || title.get()}
                </h1>
                {lead.map(|l| view! { <p class="lead">{move || l.get()}</p> })}
            </div>
            {aside.map(|a| view! { <div class="page-header-aside">{a.run()}</div> })}
        </header>
    }
}

// ---------------------------------------------------------------- brand admin pages

/// Whether the viewer is one of the brand's admins (for the interface only: the server decides).
pub fn is_admin(v: ViewerCapacity) -> bool {
    v == ViewerCapacity::Member(BrandRole::BrandAdmin)
}

/// The brand admin's pages, as compact links (`#admin-nav`; `current`: the page's tail).
#[component]
pub fn AdminNav(#[prop(into)] brand: String, current: &'static str) -> impl IntoView {
    let links = [
        ("members", Key::NavMembers),
        ("api-keys", Key::NavApiKeys),
        ("webhooks", Key::NavWebhooks),
        ("audit", Key::NavAudit),
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
                {move || tr(key)}
            </a>
        }
    })
    .collect_view();
    view! {
        <nav class="chips admin-nav" id="admin-nav" aria-label=move || tr(Key::BrandSettings)>
            {links}
        </nav>
    }
}

/// What a page for brand admins shows everyone else (`#admin-only`).
#[component]
pub fn AdminOnly(
    #[prop(into)] brand: String,
    /// Who the page is for, said to everyone else.
    #[prop(default = Key::AdminOnly)]
    key: Key,
) -> impl IntoView {
    view! {
        <section class="card empty-state" id="admin-only">
            <p>{move || tr(key)}</p>
            <a class="btn btn-secondary" href=format!("/brands/{brand}")>
                {move || tr(Key::BackToBrand)}
            </a>
        </section>
    }
}

/// What a page the brand may use only while enrolled (filing, the confirmation queue) shows a
/// brand that is not (`#not-enrolled`): why, and the way back to its home, where a brand that
/// has applied finds its checklist and a suspended one its reason.
#[component]
pub fn OutOfProgramme(brand: BrandView) -> impl IntoView {
    let (why, back) = match brand.programme_status {
        ProgrammeStatus::Suspended => (Key::ClosedSuspended, Key::BackToBrand),
        _ => (Key::ClosedNotEnrolled, Key::SeeChecklist),
    };
    view! {
        <section
            class="card empty-state"
            id="not-enrolled"
            data-status=brand.programme_status.as_str()
        >
            <p>{move || tr(why)}</p>
            <a class="btn btn-secondary" id="back-to-checklist" href=format!("/brands/{}", brand.id)>
                {move || tr(back)}
            </a>
        </section>
    }
}

/// A value to copy, shown once (an invitation link, a secret): a read-only input (`#id`) that
/// selects itself on focus, and a button (`#copy_id`) that copies it, or selects it where the
/// browser offers no clipboard.
#[component]
pub fn CopyField(
    #[prop(into)] id: String,
    #[prop(into)] copy_id: String,
    label: Key,
    #[prop(into)] value: String,
) -> impl IntoView {
    let copied = RwSignal::new(false);
    let input = NodeRef::<leptos::html::Input>::new();
    let text = StoredValue::new(value.clone());
    let copy = move |_| {
        let navigator = window().navigator();
        let has_clipboard =
            js_sys::Reflect::get(&navigator, &"clipboard".into()).is_ok_and(|c| !c.is_undefined());
        let promise = has_clipboard.then(|| navigator.clipboard().write_text(&text.get_value()));
        leptos::task::spawn_local(async move {
            let done = match promise {
                Some(p) => JsFuture::from(p).await.is_ok(),
                None => false,
            };
            // Without a clipboard, select the text so the person can copy it themselves.
            if !done {
                if let Some(i) = input.get_untracked() {
                    let _ = i.focus();
                    i.select();
                }
            }
            copied.set(done);
        });
    };
    view! {
        <div>
            <label class="visually-hidden" for=id.clone()>
                {move || tr(label)}
            </label>
            <div class="copy-row">
                <input
                    class="input input-mono"
                    id=id
                    type="text"
                    readonly
                    autocomplete="off"
                    spellcheck="false"
                    value=value
                    node_ref=input
                    on:focus=move |_| {
                        if let Some(i) = input.get_untracked() {
                            i.select();
                        }
                    }
                />
                <button type="button" class="btn btn-secondary" id=copy_id on:click=copy>
                    {move || tr(if copied.get() { Key::Copied } else { Key::Copy })}
                </button>
            </div>
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
#[component]
pub fn CaseBadge(status: Status) -> impl IntoView {
    let class = match status {
        Status::UnderReview | Status::AwaitingBrand | Status::Appealed | Status::InArbitration => {
            "badge badge-warn"
        }
        Status::TakedownRequested | Status::TakenDown | Status::Upheld => "badge badge-good",
        Status::TakedownFailed | Status::Reinstated => "badge badge-bad",
        _ => "badge badge-neutral",
    };
    view! {
        <span class=class data-case-status=status.as_str()>
            {move || tr(case_status_key(status))}
        </span>
    }
}

/// The "overdue" badge (`.badge-overdue`).
#[component]
pub fn OverdueBadge() -> impl IntoView {
    view! { <span class="badge badge-bad badge-overdue">{move || tr(Key::Overdue)}</span> }
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

/// A detection signal in words: translated when the table knows it, else its code read as words
/// (`counterfeit_packaging` → "Counterfeit packaging"; a tracked read of the language).
pub fn signal_words(code: &str) -> String {
    signal_key(code).map_or_else(|| code_as_words(code), |k| tr(k).to_owned())
}

/// Whether the table knows the signal (else its words are the code's own, shown beside it).
pub fn known_signal(code: &str) -> bool {
    signal_key(code).is_some()
}

/// A code read as words: underscores (and hyphens) spaced, the first letter capitalised.
pub fn code_as_words(code: &str) -> String {
    let spaced = code.trim().replace(['_', '-'], " ");
    let mut letters = spaced.chars();
    match letters.next() {
        Some(first) => first.to_uppercase().chain(letters).collect(),
        None => String::new(),
    }
}

/// Detection signals as tags (`.signal[data-signal]`): a known one in the reader's language, an
/// unknown one in its code's words with the code beside (`.signal-code`), so a signal the
/// marketplace added since still reads (as data: there is no Chinese for it).
#[component]
pub fn SignalTags(signals: Vec<String>) -> impl IntoView {
    let tags = signals
        .into_iter()
        .map(|code| {
            let shown = if known_signal(&code) {
                let key = code.clone();
                Either::Left(move || signal_words(&key))
            } else {
                // The marketplace's own word, not the interface's: data in either language.
                Either::Right(view! {
                    <span translate="no">
                        {code_as_words(&code)}
                        " "
                        <code class="signal-code">{code.clone()}</code>
                    </span>
                })
            };
            view! {
                <li class="tag signal" data-signal=code.clone()>
                    {shown}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="tags signals">{tags}</ul> }
}

/// A detection score (0..1) as a whole percentage, e.g. "91%" (no float formatting in the wasm).
pub fn percent_of(score: f64) -> String {
    format!("{}%", (score * 100.0).round() as i64)
}

/// A code shown translated when the table knows it, as sent otherwise (a tracked read of the
/// language).
pub fn coded(key: Option<Key>, raw: &str) -> String {
    key.map_or_else(|| raw.to_owned(), |k| tr(k).to_owned())
}

/// A right in one line: "Trademark 018234567 · EU".
pub fn right_label(kind: &str, number: &str, jurisdiction: &str) -> String {
    format!("{} {number} · {jurisdiction}", coded(kind_key(kind), kind))
}

/// A right in one line, its number and jurisdiction kept as data: "Trademark 018234567 · EU".
#[component]
pub fn RightView(
    #[prop(into)] kind: String,
    #[prop(into)] number: String,
    #[prop(into)] jurisdiction: String,
) -> impl IntoView {
    let words = move || coded(kind_key(&kind), &kind);
    view! { <span>{words}" "{data(format!("{number} · {jurisdiction}"))}</span> }
}

/// When something is due, relative to now ("Due in 3 days"), or how long it is overdue. Given
/// the case's `status`, it says what the deadline is for ("Appeal window: closes in 14 days").
#[component]
pub fn Due(
    at: Millis,
    overdue: bool,
    #[prop(optional, into)] status: Option<Status>,
) -> impl IntoView {
    let key = deadline_key(status, overdue);
    view! {
        <span
            class=if overdue { "due due-overdue" } else { "due" }
            data-deadline=status.map(|s| s.as_str())
            title=move || dated(Key::DueOn, at, true)
        >
            {move || trf(key, &[&fmt::relative(lang(), at)])}
        </span>
    }
}

/// The words of a deadline by what it is for: the status that set it (`cases::deadline_for`).
fn deadline_key(status: Option<Status>, overdue: bool) -> Key {
    match (status, overdue) {
        (Some(Status::AwaitingBrand), false) => Key::DueConfirm,
        (Some(Status::AwaitingBrand), true) => Key::OverdueConfirm,
        (Some(Status::UnderReview), false) => Key::DueReview,
        (Some(Status::UnderReview), true) => Key::OverdueReview,
        (Some(Status::TakenDown), _) => Key::DueAppealWindow,
        (Some(Status::Appealed), false) => Key::DueAppealAnswer,
        (Some(Status::Appealed), true) => Key::OverdueAppealAnswer,
        (Some(Status::InArbitration), false) => Key::DueArbitration,
        (Some(Status::InArbitration), true) => Key::OverdueArbitration,
        (_, false) => Key::DueIn,
        (_, true) => Key::OverdueSince,
    }
}

/// A listing's picture, or a placeholder tile when there is none or it fails to load (a
/// marketplace's picture may be gone, or not an image at all).
#[component]
pub fn Thumb(
    #[prop(default = None, into)] src: Option<String>,
    #[prop(optional)] large: bool,
) -> impl IntoView {
    let class = if large { "thumb thumb-large" } else { "thumb" };
    let src = src.filter(|s| !s.trim().is_empty());
    let broken = RwSignal::new(false);
    move || match src.clone().filter(|_| !broken.get()) {
        Some(src) => Either::Left(view! {
            <img
                class=class
                src=src
                alt=""
                loading="lazy"
                decoding="async"
                on:error=move |_| broken.set(true)
            />
        }),
        None => Either::Right(view! {
            <span class=format!("{class} thumb-none") aria-hidden="true"></span>
        }),
    }
}

/// The brand's usable rights (verified, unexpired), as `RightField` offers them.
pub type UsableRights = LocalResource<Result<Vec<IpRightView>, ApiError>>;

/// Asks for the brand's usable rights; `chosen` becomes the first of them once they arrive,
/// unless it holds one of them.
pub fn usable_rights(brand: &str, chosen: RwSignal<String>) -> UsableRights {
    let path = http::api(RouteId::ListIpRights, &[brand]);
    LocalResource::new(move || {
        let path = path.clone();
        async move {
            let usable: Vec<IpRightView> = http::get::<IpRightList>(&path)
                .await?
                .rights
                .into_iter()
                .filter(|r| r.usable)
                .collect();
            let current = chosen.try_get_untracked().unwrap_or_default();
            if let Some(first) = usable.first() {
                if !usable.iter().any(|r| r.id.to_string() == current) {
                    chosen.try_set(first.id.to_string());
                }
            }
            Ok(usable)
        }
    })
}

/// Choosing the right a report or a confirmation invokes: `#id`, a `<select>` bound to
/// `chosen`, or a note linking to the rights page when none is usable. The rights are asked for
/// here unless the page asked for them already (`rights`, e.g. once for a form opened often).
#[component]
pub fn RightField(
    #[prop(into)] brand: String,
    id: &'static str,
    chosen: RwSignal<String>,
    #[prop(optional)] rights: Option<UsableRights>,
) -> impl IntoView {
    let rights = rights.unwrap_or_else(|| usable_rights(&brand, chosen));
    let href = format!("/brands/{brand}/rights");
    let show = move |usable: Vec<IpRightView>| {
        if usable.is_empty() {
            return view! {
                <p class="notice notice-warn no-usable-right" role="status">
                    {move || tr(Key::NoUsableRight)}
                    " "
                    <a href=href.clone()>{move || tr(Key::NavRights)}</a>
                </p>
            }
            .into_any();
        }
        let options = usable
            .into_iter()
            .map(|r| {
                let value = r.id.to_string();
                let mine = value.clone();
                let label = move || right_label(&r.kind, &r.registration_number, &r.jurisdiction);
                view! {
                    <option value=value prop:selected=move || chosen.with(|c| *c == mine)>
                        {label}
                    </option>
                }
            })
            .collect_view();
        view! {
            <select
                class="select"
                id=id
                required
                on:change=move |ev| chosen.set(event_target_value(&ev))
            >
                {options}
            </select>
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id>{move || tr(Key::RightInvoked)}</label>
            <div>
                <Loaded resource=rights show/>
            </div>
        </div>
    }
}

/// A report's statement, with its count of characters against the least a statement needs.
#[component]
pub fn StatementField(
    id: &'static str,
    count_id: &'static str,
    rows: u32,
    statement: RwSignal<String>,
) -> impl IntoView {
    let chars = move || statement.with(|s| s.trim().chars().count());
    view! {
        <div class="field">
            <label for=id>{move || tr(Key::Statement)}</label>
            <textarea
                class="input textarea"
                id=id
                name="statement"
                rows=rows
                required
                minlength="20"
                maxlength="5000"
                aria-describedby=count_id
                bind:value=statement
            ></textarea>
            <p
                class="hint"
                id=count_id
                aria-live="polite"
                data-ok=move || (chars() >= MIN_STATEMENT_CHARS).to_string()
            >
                {move || {
                    trf(
                        Key::StatementCount,
                        &[&chars().to_string(), &MIN_STATEMENT_CHARS.to_string()],
                    )
                }}
            </p>
        </div>
    }
}

/// Choosing the reason code (`value` holds it; start it at "counterfeit").
#[component]
pub fn ReasonField(id: &'static str, value: RwSignal<String>) -> impl IntoView {
    let options = ReasonCode::ALL
        .into_iter()
        .map(|r| {
            let code = r.as_str();
            view! {
                <option value=code prop:selected=move || value.with(|v| v == code)>
                    {move || tr(reason_key(code).unwrap_or(Key::RcCounterfeit))}
                </option>
            }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for=id>{move || tr(Key::Reason)}</label>
            <select class="select" id=id on:change=move |ev| value.set(event_target_value(&ev))>
                {options}
            </select>
        </div>
    }
}

/// One decision on a case, as the case file and the queues send it.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    pub brand: String,
    pub case: String,
    pub command: CaseCommand,
    /// The note (reject, approve, retry, retract) or the reason (withdraw, decline, appeals,
    /// arbitration).
    pub text: String,
    /// Confirm: the right invoked and the reason code.
    pub ip_right_id: String,
    pub reason_code: String,
}

impl Decision {
    /// `brand` and `case`: their ids (`BrandId`, `CaseId`, or as the path writes them).
    pub fn new(
        brand: impl std::fmt::Display,
        case: impl std::fmt::Display,
        command: CaseCommand,
    ) -> Self {
        Decision {
            brand: brand.to_string(),
            case: case.to_string(),
            command,
            text: String::new(),
            ip_right_id: String::new(),
            reason_code: String::new(),
        }
    }

    /// Sends it; the answer is the case file as it now stands.
    pub async fn send(self) -> Result<CaseView, ApiError> {
        use CaseCommand::*;
        let path = |route: RouteId| http::api(route, &[&self.brand, &self.case]);
        let text = self.text.trim().to_owned();
        let note = NoteRequest {
            note: (!text.is_empty()).then(|| text.clone()),
        };
        let appeal = |decision: &str| AppealResponseRequest {
            decision: decision.to_owned(),
            reason: (!text.is_empty()).then(|| text.clone()),
        };
        let arbitration = |decision: &str| ArbitrationRequest {
            decision: decision.to_owned(),
            reason: text.clone(),
        };
        let reason = ReasonRequest {
            reason: text.clone(),
        };
        match self.command {
            Confirm => {
                let body = ConfirmRequest {
                    ip_right_id: self.ip_right_id.clone(),
                    reason_code: self.reason_code.clone(),
                    note: None,
                };
                http::post(&path(RouteId::ConfirmCase), &body).await
            }
            Reject => http::post(&path(RouteId::RejectCase), &note).await,
            Approve => http::post(&path(RouteId::ApproveCase), &note).await,
            RetryTakedown => http::post(&path(RouteId::RetryTakedown), &note).await,
            Retract => http::post(&path(RouteId::RetractCase), &note).await,
            Withdraw => http::post(&path(RouteId::WithdrawCase), &reason).await,
            Decline => http::post(&path(RouteId::DeclineCase), &reason).await,
            UpholdAppeal => http::post(&path(RouteId::AnswerAppeal), &appeal("uphold")).await,
            RetractOnAppeal => http::post(&path(RouteId::AnswerAppeal), &appeal("retract")).await,
            Escalate => http::post(&path(RouteId::AnswerAppeal), &appeal("escalate")).await,
            ArbitrateUphold => {
                http::post(&path(RouteId::ArbitrateCase), &arbitration("uphold")).await
            }
            ArbitrateReinstate => {
                http::post(&path(RouteId::ArbitrateCase), &arbitration("reinstate")).await
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::code_as_words;

    #[test]
    fn an_unknown_code_reads_as_words() {
        assert_eq!(
            code_as_words("counterfeit_packaging"),
            "Counterfeit packaging"
        );
        assert_eq!(code_as_words("vpn-seller"), "Vpn seller");
        assert_eq!(code_as_words("x"), "X");
        assert_eq!(code_as_words(""), "");
    }
}
