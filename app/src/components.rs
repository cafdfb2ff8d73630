//! Pieces shared by the pages: the signed-in frame with its top bar, loading and error displays,
//! the one way pages fetch and send, badges and labels.

use crate::dom::reactive::*;
use crate::dom::{data, h, hc, ht, spawn, Scope, H};
use crate::fmt;
use crate::http::{self, ApiError};
use crate::i18n::{dated, lang, pieces, tr, trf, Key, Lang, Piece};
use crate::json::{self, Json};
use crate::router::{self, Route};
use crate::state::{self, Me};
use jf_core::access::KeyScope;
use jf_core::api::{CaseCommand, ViewerCapacity};
use jf_core::case::Status;
use jf_core::cases::ReasonCode;
use jf_core::clock::Millis;
use jf_core::types::{BrandRole, ProgrammeStatus, StaffRole};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

// ---------------------------------------------------------------- loading, errors, notices

/// A spinner with "Loading…" (`.loading`).
pub fn loading() -> H {
    hc("div", "loading")
        .attr("role", "status")
        .child(hc("span", "spinner").attr("aria-hidden", "true"))
        .child(ht("span", tr(Key::Loading)))
}

/// One error message (`.error`); in Chinese, the data inside a server's reason (an email, a
/// column name) is marked as data.
pub fn error_text(err: &ApiError) -> H {
    let p = hc("p", "error").attr("role", "alert");
    match err.reason_zh_parts().filter(|_| lang() == Lang::Zh) {
        Some((field, template, args)) => {
            let p = match field {
                Some(field) => p.text(field).text("："),
                None => p,
            };
            with_data(p, template, args)
        }
        None => p.text(&err.text(lang())),
    }
}

/// `template`'s words as text and its `{0}`, `{1}`… as data spans of `args`.
pub fn with_data(el: H, template: &str, args: &[String]) -> H {
    let args: Vec<Arg> = args.iter().cloned().map(Arg::Data).collect();
    template_into(el, template, &args, "")
}

/// A problem found before asking the server (`.error`), e.g. a password too short.
pub fn key_error(key: Key, args: &[&str]) -> H {
    hc("p", "error").attr("role", "alert").text(&trf(key, args))
}

/// A notice that something worked (`.success`).
pub fn success_text(key: Key) -> H {
    hc("p", "success").attr("role", "status").text(tr(key))
}

/// A page-level error: the message, plus a way on (sign in again, or home). `not_found` says
/// what a 404 means on this page (existence is never leaked: "not found or not yours").
pub fn error_panel(err: &ApiError, not_found: Option<Key>) -> H {
    let message = match (err.is_not_found(), not_found) {
        (true, Some(key)) => hc("p", "error").attr("role", "alert").text(tr(key)),
        _ => error_text(err),
    };
    let way_on = if err.is_signed_out() {
        hc("a", "btn btn-primary")
            .attr("href", "/login")
            .text(tr(Key::SignInAgain))
    } else {
        hc("a", "btn btn-secondary")
            .attr("href", "/")
            .text(tr(Key::BackHome))
    };
    hc("section", "card card-narrow error-panel")
        .child(ht("h1", tr(Key::SomethingWrong)))
        .child(message)
        .child(h("p").child(way_on))
}

/// Shows `err` in `slot` while there is one (the error of a form's last attempt).
pub fn error_slot(err: RwSignal<Option<ApiError>>) -> H {
    h("div").class("error-slot").region(move |p| {
        if let Some(e) = err.get() {
            p.add(&error_text(&e));
        }
    })
}

/// A labelled form field: `<div class=…><label for=id>…</label>{input}</div>`.
pub fn form_field(class: &str, id: &str, label: Key, input: H) -> H {
    hc("div", class)
        .child(ht("label", tr(label)).attr("for", id))
        .child(input)
}

// ---------------------------------------------------------------- fetching

/// Fetches `path` into `parent`: a spinner, then `show` with the answer (in a scope of its
/// own, inside the current one), or the error panel. `not_found` as for `error_panel`.
pub fn load(parent: &H, path: String, not_found: Option<Key>, show: impl Fn(&H, &Json) + 'static) {
    parent.add(&loading());
    let parent = parent.clone();
    let page = Scope::current().downgrade();
    spawn(async move {
        let answer = http::get(&path).await;
        page.run(|| {
            parent.clear();
            match &answer {
                Ok(v) => show(&parent, v),
                Err(e) => parent.add(&error_panel(e, not_found)),
            }
        });
    });
}

/// What a request carries.
pub enum Request {
    Post(String, Option<String>),
    Patch(String, String),
    Put(String, String),
    Delete(String),
    Form(String, web_sys::FormData),
    Csv(String, web_sys::File),
}

impl Request {
    /// `POST path` with a JSON body (`json::obj()…build()`).
    pub fn post(path: impl Into<String>, body: String) -> Request {
        Request::Post(path.into(), Some(body))
    }

    /// Sends it; the answer's JSON.
    pub async fn send(self) -> Result<Json, ApiError> {
        match self {
            Request::Post(path, body) => http::send("POST", &path, body).await,
            Request::Patch(path, body) => http::send("PATCH", &path, Some(body)).await,
            Request::Put(path, body) => http::send("PUT", &path, Some(body)).await,
            Request::Delete(path) => http::send("DELETE", &path, None).await,
            Request::Form(path, form) => http::post_form(&path, &form).await,
            Request::Csv(path, file) => {
                let text = http::read_text(&file).await?;
                http::post_csv(&path, &text).await
            }
        }
    }
}

/// A write a page sends (a form, a button): whether it is under way, and its last error.
#[derive(Clone, Copy)]
pub struct Act {
    pub pending: RwSignal<bool>,
    pub error: RwSignal<Option<ApiError>>,
}

impl Act {
    pub fn new() -> Act {
        Act {
            pending: RwSignal::new(false),
            error: RwSignal::new(None),
        }
    }

    /// Sends `request` (unless one is under way); `done` gets the answer after a success.
    pub fn send(self, request: Request, done: impl FnOnce(Json) + 'static) {
        self.send_boxed(request, Box::new(done));
    }

    fn send_boxed(self, request: Request, done: Box<dyn FnOnce(Json)>) {
        if self.pending.get_untracked() {
            return;
        }
        self.pending.set(true);
        self.error.set(None);
        let scope = Scope::current().downgrade();
        spawn(async move {
            let answer = request.send().await;
            scope.run(move || {
                self.pending.set(false);
                match answer {
                    Ok(v) => done(v),
                    Err(e) => self.error.set(Some(e)),
                }
            });
        });
    }

    /// The last attempt's error, shown while there is one.
    pub fn error_view(self) -> H {
        error_slot(self.error)
    }

    /// A submit button that is disabled while the request is under way, its label `idle` or
    /// `busy` (e.g. "Save" / "Saving…").
    pub fn submit(self, id: &str, class: &str, idle: Key, busy: Key) -> H {
        let pending = self.pending;
        hc("button", class)
            .attr("type", "submit")
            .attr_opt("id", (!id.is_empty()).then_some(id))
            .dyn_flag("disabled", move || pending.get())
            .dyn_text(move || tr(if pending.get() { busy } else { idle }).to_owned())
    }
}

impl Default for Act {
    fn default() -> Self {
        Self::new()
    }
}

// ---------------------------------------------------------------- words and badges

/// An argument of `tpl`: people's data (kept as it is, in `<span translate="no">`), or words
/// of the interface.
#[derive(Clone)]
pub enum Arg {
    Data(String),
    Text(Key),
}

/// A sentence of the interface with data in it ("You are invited to join {Aurelia} as …"):
/// each data argument sits in its own `<span translate="no">` so translators leave it alone.
pub fn tpl(key: Key, args: &[Arg]) -> H {
    tpl_into(h("span"), key, args, "")
}

/// `tpl` into an element of your own; `data_class` is the class of the data spans.
pub fn tpl_into(el: H, key: Key, args: &[Arg], data_class: &str) -> H {
    template_into(el, tr(key), args, data_class)
}

fn template_into(el: H, template: &str, args: &[Arg], data_class: &str) -> H {
    let mut el = el;
    for piece in pieces(template) {
        el = match piece {
            Piece::Text(text) => el.text(text),
            Piece::Arg(n) => match args.get(n) {
                Some(Arg::Data(value)) => {
                    let span = data(value);
                    let span = if data_class.is_empty() {
                        span
                    } else {
                        span.class(data_class)
                    };
                    el.child(span)
                }
                Some(Arg::Text(k)) => el.text(tr(*k)),
                None => el,
            },
        };
    }
    el
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

/// A programme status read from the API (`applied`, `enrolled`, `suspended`).
pub fn programme_status(raw: &str) -> ProgrammeStatus {
    match raw {
        "enrolled" => ProgrammeStatus::Enrolled,
        "suspended" => ProgrammeStatus::Suspended,
        _ => ProgrammeStatus::Applied,
    }
}

/// The viewer's capacity on a brand, as the API writes it: `{"kind":"member","value":"brand_admin"}`.
pub fn viewer_capacity(v: &Json) -> ViewerCapacity {
    let value = json::s(v, "value");
    match json::s(v, "kind").as_str() {
        "account_manager" => ViewerCapacity::AccountManager,
        "operator" => ViewerCapacity::Operator,
        "key" if value == "read_write" => ViewerCapacity::Key(KeyScope::ReadWrite),
        "key" => ViewerCapacity::Key(KeyScope::Read),
        _ => ViewerCapacity::Member(BrandRole::parse(&value).unwrap_or(BrandRole::BrandViewer)),
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

pub fn status_badge(status: ProgrammeStatus) -> H {
    let class = match status {
        ProgrammeStatus::Applied => "badge badge-neutral",
        ProgrammeStatus::Enrolled => "badge badge-good",
        ProgrammeStatus::Suspended => "badge badge-bad",
    };
    hc("span", class)
        .attr("data-status", status.as_str())
        .text(tr(status_key(status)))
}

pub fn role_badge(key: Key) -> H {
    hc("span", "badge badge-role").text(tr(key))
}

/// The English / 中文 switch: shows the other language's name, remembers the choice.
pub fn lang_switch() -> H {
    let other = lang().other();
    hc("button", "btn btn-ghost btn-small")
        .attr("type", "button")
        .id("lang-switch")
        .attr("lang", other.code())
        .attr("title", tr(Key::SwitchLanguage))
        .text(tr(Key::OtherLanguage))
        .on_click(move || state::set_lang(other))
}

// ---------------------------------------------------------------- the signed-in frame

/// Every signed-in page: the top bar, then the page in `<main>`.
pub fn shell(route: &Route, me: &Me, page: H) -> H {
    h("div")
        .class("shell")
        .child(top_bar(route, me))
        .child(hc("main", "content").id("main").child(page))
}

fn nav_link(href: &str, key: Key, current_path: &str, prefix: bool) -> H {
    let under = prefix
        && current_path
            .strip_prefix(href)
            .is_some_and(|r| r.starts_with('/'));
    hc("a", "nav-link")
        .attr("href", href)
        .attr_opt(
            "aria-current",
            (current_path == href || under).then_some("page"),
        )
        .text(tr(key))
}

fn top_bar(route: &Route, me: &Me) -> H {
    let path = router::path();
    let brand = route.brand().map(str::to_owned);
    let home = match (&brand, me.is_staff()) {
        (Some(id), _) => format!("/brands/{id}"),
        (None, true) => "/staff".to_owned(),
        (None, false) => "/".to_owned(),
    };
    let mut nav = hc("nav", "nav")
        .attr("aria-label", tr(Key::MainNavigation))
        .child(nav_link(&home, Key::NavHome, &path, false));
    if let Some(id) = &brand {
        // Reports are filed by the brand's admins and agents (staff act on cases, not file them).
        let files = me.role_in(id).is_some_and(|r| r != BrandRole::BrandViewer);
        let under = |tail: &str| format!("/brands/{id}/{tail}");
        nav = nav
            .child(nav_link(&under("cases"), Key::NavCases, &path, true))
            .child(nav_link(&under("confirm"), Key::NavConfirm, &path, false))
            .child_opt(files.then(|| nav_link(&under("report"), Key::NavReport, &path, true)))
            .child(nav_link(&under("rights"), Key::NavRights, &path, false))
            .child(nav_link(&under("members"), Key::NavMembers, &path, false));
        if me.is_staff() {
            nav = nav.child(nav_link("/staff", Key::NavAllBrands, &path, false));
        }
    }
    nav = nav.child(nav_link("/account", Key::NavAccount, &path, false));

    let sign_out = Act::new();
    let pending = sign_out.pending;
    let tools = hc("div", "topbar-tools")
        .child_opt(brand.as_deref().map(bell))
        .child(lang_switch())
        .child(
            hc("button", "btn btn-ghost btn-small")
                .attr("type", "button")
                .id("sign-out")
                .dyn_flag("disabled", move || pending.get())
                .text(tr(Key::SignOut))
                .on_click(move || {
                    sign_out.send(Request::Post("/api/v1/auth/logout".into(), None), |_| {
                        state::set_session(state::Session::SignedOut);
                        router::replace("/login");
                    })
                }),
        );
    let error = sign_out.error;
    hc("header", "topbar")
        .child(
            hc("div", "topbar-inner")
                .child(
                    hc("a", "logo")
                        .attr("href", "/")
                        .child(hc("span", "logo-mark").attr("aria-hidden", "true"))
                        .text(tr(Key::ProductName)),
                )
                .child_opt(brand_switcher(me, brand.as_deref()))
                .child(tools)
                .child(nav),
        )
        .child(h("div").region(move |p| {
            // Signing out of a session that has already ended is still signing out.
            match error.get() {
                Some(e) if e.is_signed_out() => {
                    state::set_session(state::Session::SignedOut);
                    router::replace("/login");
                }
                Some(e) => p.add(&hc("div", "topbar-error").child(error_text(&e))),
                None => {}
            }
        }))
}

fn brand_switcher(me: &Me, current: Option<&str>) -> Option<H> {
    if me.memberships.len() < 2 {
        return None;
    }
    let mut select = hc("select", "select")
        .id("brand-switcher")
        .attr("aria-label", tr(Key::SwitchBrand));
    if current.is_none() {
        select = select.child(
            h("option")
                .attr("value", "")
                .flag("selected", true)
                .text(tr(Key::ChooseBrand)),
        );
    }
    for m in &me.memberships {
        select = select.child(
            h("option")
                .attr("value", &m.brand_id)
                .flag("selected", current == Some(m.brand_id.as_str()))
                .data()
                .text(&m.brand_name),
        );
    }
    let el = select.clone();
    Some(
        hc("div", "topbar-switch").child(select.on("change", move |_| {
            let id = crate::dom::input_value(&el);
            if !id.is_empty() {
                router::navigate(&format!("/brands/{id}"));
            }
        })),
    )
}

fn reminder_key(kind: &str) -> Option<Key> {
    Some(match kind {
        "appeal_due" => Key::RmAppealDue,
        "confirmation_due" => Key::RmConfirmationDue,
        "right_expiring" => Key::RmRightExpiring,
        _ => return None,
    })
}

/// How often the reminders bell asks again, in milliseconds.
const REMINDERS_POLL_MS: i32 = 60_000;

/// Calls `f` every `ms` milliseconds while the current scope lives.
pub fn every(ms: i32, f: impl Fn() + 'static) {
    let scope = Scope::current().downgrade();
    let closure = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || scope.run(&f));
    let window = crate::dom::window();
    let Ok(handle) = window.set_interval_with_callback_and_timeout_and_arguments_0(
        closure.as_ref().unchecked_ref(),
        ms,
    ) else {
        return;
    };
    let keep = send_wrapper::SendWrapper::new(closure);
    on_cleanup(move || {
        crate::dom::window().clear_interval_with_handle(handle);
        drop(keep);
    });
}

/// The reminders bell of a brand (`#bell`, its count `#bell-count` hidden at 0): opens the panel
/// `#reminders` of what is due soon, each linking to its case or to the rights page. Asks again
/// every minute.
fn bell(brand: &str) -> H {
    let path = format!("/api/v1/brands/{}/reminders", http::segment(brand));
    let list: RwSignal<Option<Result<Vec<Json>, ApiError>>> = RwSignal::new(None);
    let fetch = {
        let scope = Scope::current().downgrade();
        move || {
            let path = path.clone();
            let scope = scope.clone();
            spawn(async move {
                let answer = http::get(&path).await;
                scope.run(|| list.set(Some(answer.map(|v| json::list(&v, "reminders")))));
            });
        }
    };
    fetch();
    every(REMINDERS_POLL_MS, fetch);
    let count = move || list.with(|l| l.as_ref().and_then(|r| r.as_ref().ok()).map_or(0, Vec::len));
    let open = RwSignal::new(false);
    let base = format!("/brands/{brand}");
    let button = hc("button", "btn btn-ghost btn-small bell")
        .attr("type", "button")
        .id("bell")
        .attr("aria-controls", "reminders")
        .attr("title", tr(Key::Reminders))
        .dyn_attr("aria-expanded", move || Some(open.get().to_string()))
        .dyn_attr("aria-label", move || {
            Some(trf(Key::RemindersCount, &[&count().to_string()]))
        })
        .on_click(move || open.update(|o| *o = !*o));
    // The icon is markup, not data: parsed once by the browser.
    button.set_inner_html(
        r#"<svg class="bell-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M12 22a2.4 2.4 0 0 0 2.4-2.2H9.6A2.4 2.4 0 0 0 12 22Zm7.2-5.6V11a7.2 7.2 0 0 0-5.6-7V3.4a1.6 1.6 0 1 0-3.2 0V4a7.2 7.2 0 0 0-5.6 7v5.4L3 18.2v.8h18v-.8Z"></path></svg>"#,
    );
    let button = button.child(
        hc("span", "bell-count")
            .id("bell-count")
            .dyn_flag("hidden", move || count() == 0)
            .dyn_text(move || count().to_string()),
    );
    let focus_back = button.clone();
    let close = move || {
        open.set(false);
        focus_back.focus();
    };
    let close_on_escape = close.clone();
    let panel = h("div").region(move |p| {
        if !open.get() {
            return;
        }
        let items = h("div").region({
            let base = base.clone();
            move |p| match list.get() {
                None => p.add(&loading()),
                Some(Err(e)) => p.add(&error_text(&e)),
                Some(Ok(items)) if items.is_empty() => p.add(
                    &hc("p", "muted")
                        .id("no-reminders")
                        .text(tr(Key::NoReminders)),
                ),
                Some(Ok(items)) => {
                    let now = js_sys::Date::now() as Millis;
                    let ul = hc("ul", "reminder-list");
                    for r in &items {
                        let kind = json::s(r, "kind");
                        let href = match json::os(r, "case_id") {
                            Some(case) => format!("{base}/cases/{case}"),
                            None => format!("{base}/rights"),
                        };
                        let due_at = json::i(r, "due_at");
                        ul.add(
                            &hc("li", "reminder").attr("data-kind", &kind).child(
                                hc("a", "reminder-link")
                                    .attr("href", &href)
                                    .on_click(move || open.set(false))
                                    .child(
                                        hc("span", "reminder-kind")
                                            .text(&coded(reminder_key(&kind), &kind)),
                                    )
                                    .child(
                                        hc("span", "reminder-title")
                                            .data()
                                            .text(&json::s(r, "title")),
                                    )
                                    .child(due(due_at, due_at < now)),
                            ),
                        );
                    }
                    p.add(&ul);
                }
            }
        });
        let close = close.clone();
        p.add(
            &hc("div", "reminders-panel")
                .id("reminders")
                .attr("role", "region")
                .attr("aria-labelledby", "reminders-heading")
                .child(
                    hc("div", "reminders-head")
                        .child(ht("h2", tr(Key::Reminders)).id("reminders-heading"))
                        .child(
                            hc("button", "btn btn-ghost btn-small")
                                .attr("type", "button")
                                .id("reminders-close")
                                .text(tr(Key::Close))
                                .on_click(close),
                        ),
                )
                .child(items)
                .child(hc("p", "hint").text(tr(Key::RemindersHint))),
        );
    });
    hc("div", "bell-wrap")
        .on("keydown", move |ev| {
            let escape = ev
                .dyn_ref::<web_sys::KeyboardEvent>()
                .is_some_and(|k| k.key() == "Escape");
            if escape && open.get_untracked() {
                close_on_escape();
            }
        })
        .child(button)
        .child(panel)
}

/// The heading block of a page: an optional small line above, the title, an optional line
/// below, and an optional aside (buttons). Build with `PageHeader::new(title)…build()`.
pub struct PageHeader {
    title: String,
    title_is_data: bool,
    eyebrow: Option<String>,
    eyebrow_note: Option<Key>,
    lead: Option<String>,
    title_id: Option<&'static str>,
    aside: Option<H>,
}

impl PageHeader {
    pub fn new(title: &str) -> PageHeader {
        PageHeader {
            title: title.to_owned(),
            title_is_data: false,
            eyebrow: None,
            eyebrow_note: None,
            lead: None,
            title_id: None,
            aside: None,
        }
    }
    /// The title is people's data (a listing's title, a brand's or a seller's name).
    pub fn data_title(mut self) -> Self {
        self.title_is_data = true;
        self
    }
    /// The line above: whose page this is (a brand's name or reference), always data.
    pub fn eyebrow(mut self, text: &str) -> Self {
        self.eyebrow = Some(text.to_owned());
        self
    }
    /// Words of the interface after the eyebrow's data ("Aurelia · Seller").
    pub fn eyebrow_note(mut self, key: Key) -> Self {
        self.eyebrow_note = Some(key);
        self
    }
    pub fn lead(mut self, text: &str) -> Self {
        self.lead = Some(text.to_owned());
        self
    }
    pub fn title_id(mut self, id: &'static str) -> Self {
        self.title_id = Some(id);
        self
    }
    pub fn aside(mut self, aside: H) -> Self {
        self.aside = Some(aside);
        self
    }
    pub fn build(self) -> H {
        let eyebrow = (self.eyebrow.is_some() || self.eyebrow_note.is_some()).then(|| {
            let mut p = hc("p", "eyebrow");
            if let Some(e) = &self.eyebrow {
                p = p.child(data(e));
            }
            if self.eyebrow.is_some() && self.eyebrow_note.is_some() {
                p = p.text(" · ");
            }
            if let Some(k) = self.eyebrow_note {
                p = p.text(tr(k));
            }
            p
        });
        let mut title = ht("h1", &self.title);
        if let Some(id) = self.title_id {
            title = title.id(id);
        }
        if self.title_is_data {
            title = title.data();
        }
        hc("header", "page-header")
            .child(
                hc("div", "page-header-text")
                    .child_opt(eyebrow)
                    .child(title)
                    .child_opt(self.lead.map(|l| hc("p", "lead").text(&l))),
            )
            .child_opt(self.aside.map(|a| hc("div", "page-header-aside").child(a)))
    }
}

// ---------------------------------------------------------------- brand admin pages

/// Whether the viewer is one of the brand's admins (for the interface only: the server decides).
pub fn is_admin(v: ViewerCapacity) -> bool {
    v == ViewerCapacity::Member(BrandRole::BrandAdmin)
}

/// Whether the signed-in person is an admin of `brand` (an admin page asks for its list only
/// then, so others ask for nothing they would be refused).
pub fn admin_of(brand: &str) -> bool {
    state::me().is_some_and(|me| me.role_in(brand) == Some(BrandRole::BrandAdmin))
}

/// The brand admin's pages, as compact links (`#admin-nav`; `current`: the page's tail).
pub fn admin_nav(brand: &str, current: &str) -> H {
    let nav = hc("nav", "chips admin-nav")
        .id("admin-nav")
        .attr("aria-label", tr(Key::BrandSettings));
    nav.children(
        [
            ("members", Key::NavMembers),
            ("api-keys", Key::NavApiKeys),
            ("webhooks", Key::NavWebhooks),
        ]
        .into_iter()
        .map(|(tail, key)| {
            hc("a", "chip")
                .id(&format!("admin-link-{tail}"))
                .attr("href", &format!("/brands/{brand}/{tail}"))
                .attr_opt("aria-current", (tail == current).then_some("page"))
                .text(tr(key))
        }),
    )
}

/// What a page for brand admins shows everyone else (`#admin-only`).
pub fn admin_only(brand: &str) -> H {
    hc("section", "card empty-state")
        .id("admin-only")
        .child(ht("p", tr(Key::AdminOnly)))
        .child(
            hc("a", "btn btn-secondary")
                .attr("href", &format!("/brands/{brand}"))
                .text(tr(Key::BackToBrand)),
        )
}

/// A value to copy, shown once (an invitation link, a secret): a read-only input (`#id`) that
/// selects itself on focus, and a button (`#copy_id`) that copies it, or selects it where the
/// browser offers no clipboard.
pub fn copy_field(id: &str, copy_id: &str, label: Key, value: &str) -> H {
    let copied = RwSignal::new(false);
    let input = hc("input", "input input-mono")
        .id(id)
        .attr("type", "text")
        .flag("readonly", true)
        .attr("autocomplete", "off")
        .attr("spellcheck", "false")
        .attr("value", value);
    let select = |el: &H| {
        if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
            i.select();
        }
    };
    let on_focus = input.clone();
    let input = input.on("focus", move |_| select(&on_focus));
    let target = input.clone();
    let text = value.to_owned();
    let button = hc("button", "btn btn-secondary")
        .attr("type", "button")
        .id(copy_id)
        .dyn_text(move || tr(if copied.get() { Key::Copied } else { Key::Copy }).to_owned())
        .on_click(move || {
            let navigator = crate::dom::window().navigator();
            let has_clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into())
                .is_ok_and(|c| !c.is_undefined());
            let promise = has_clipboard.then(|| navigator.clipboard().write_text(&text));
            let target = target.clone();
            spawn(async move {
                let done = match promise {
                    Some(p) => JsFuture::from(p).await.is_ok(),
                    None => false,
                };
                // Without a clipboard, select the text so the person can copy it themselves.
                if !done {
                    target.focus();
                    select(&target);
                }
                copied.set(done);
            });
        });
    h("div")
        .child(
            hc("label", "visually-hidden")
                .attr("for", id)
                .text(tr(label)),
        )
        .child(hc("div", "copy-row").child(input).child(button))
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

/// A case status read from the API (`under_review`, …); unknown ones read as under review.
pub fn case_status(raw: &str) -> Status {
    Status::parse(raw).unwrap_or(Status::UnderReview)
}

/// A case status as a badge (`.badge[data-case-status]`).
pub fn case_badge(status: Status) -> H {
    let class = match status {
        Status::UnderReview | Status::AwaitingBrand | Status::Appealed | Status::InArbitration => {
            "badge badge-warn"
        }
        Status::TakedownRequested | Status::TakenDown | Status::Upheld => "badge badge-good",
        Status::TakedownFailed | Status::Reinstated => "badge badge-bad",
        _ => "badge badge-neutral",
    };
    hc("span", class)
        .attr("data-case-status", status.as_str())
        .text(tr(case_status_key(status)))
}

/// The "overdue" badge (`.badge-overdue`).
pub fn overdue_badge() -> H {
    hc("span", "badge badge-bad badge-overdue").text(tr(Key::Overdue))
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
pub fn coded(key: Option<Key>, raw: &str) -> String {
    key.map_or_else(|| raw.to_owned(), |k| tr(k).to_owned())
}

/// A right in one line: "Trademark 018234567 · EU".
pub fn right_label(kind: &str, number: &str, jurisdiction: &str) -> String {
    format!("{} {number} · {jurisdiction}", coded(kind_key(kind), kind))
}

/// A right in one line, its number and jurisdiction kept as data: "Trademark 018234567 · EU".
pub fn right_view(kind: &str, number: &str, jurisdiction: &str) -> H {
    h("span")
        .text(&coded(kind_key(kind), kind))
        .text(" ")
        .child(data(&format!("{number} · {jurisdiction}")))
}

/// When something is due, relative to now ("Due in 3 days"), or how long it is overdue.
pub fn due(at: Millis, overdue: bool) -> H {
    let key = if overdue {
        Key::OverdueSince
    } else {
        Key::DueIn
    };
    hc("span", if overdue { "due due-overdue" } else { "due" })
        .attr("title", &dated(Key::DueOn, at, true))
        .text(&trf(key, &[&fmt::relative(lang(), at)]))
}

/// A listing's picture, or a plain tile when there is none.
pub fn thumb(src: Option<&str>, large: bool) -> H {
    let class = if large { "thumb thumb-large" } else { "thumb" };
    match src.filter(|s| !s.is_empty()) {
        Some(src) => hc("img", class)
            .attr("src", src)
            .attr("alt", "")
            .attr("loading", "lazy")
            .attr("decoding", "async"),
        None => hc("span", &format!("{class} thumb-none")).attr("aria-hidden", "true"),
    }
}

/// The brand's usable rights (verified, unexpired), to choose the one a report or a
/// confirmation invokes: `#id`, a `<select>` bound to `chosen` (set to the first usable right
/// once they arrive), or a note linking to the rights page when none is usable.
pub fn right_field(brand: &str, id: &'static str, chosen: RwSignal<String>) -> H {
    let href = format!("/brands/{brand}/rights");
    let picker = h("div");
    load(
        &picker,
        format!("/api/v1/brands/{}/ip-rights", http::segment(brand)),
        None,
        move |p, v| {
            let usable: Vec<Json> = json::list(v, "rights")
                .into_iter()
                .filter(|r| json::b(r, "usable"))
                .collect();
            if usable.is_empty() {
                p.add(
                    &hc("p", "notice notice-warn no-usable-right")
                        .attr("role", "status")
                        .text(tr(Key::NoUsableRight))
                        .text(" ")
                        .child(ht("a", tr(Key::NavRights)).attr("href", &href)),
                );
                return;
            }
            let current = chosen.get_untracked();
            if !usable.iter().any(|r| json::s(r, "id") == current) {
                chosen.set(json::s(&usable[0], "id"));
            }
            let select = hc("select", "select").id(id).flag("required", true);
            for r in &usable {
                select.add(
                    &h("option")
                        .attr("value", &json::s(r, "id"))
                        .text(&right_label(
                            &json::s(r, "kind"),
                            &json::s(r, "registration_number"),
                            &json::s(r, "jurisdiction"),
                        )),
                );
            }
            p.add(&select.bind(chosen));
        },
    );
    hc("div", "field")
        .child(ht("label", tr(Key::RightInvoked)).attr("for", id))
        .child(picker)
}

/// Choosing the reason code (`value` holds it; start it at "counterfeit").
pub fn reason_field(id: &'static str, value: RwSignal<String>) -> H {
    let select = hc("select", "select").id(id);
    for r in ReasonCode::ALL {
        let code = r.as_str();
        select.add(
            &h("option")
                .attr("value", code)
                .text(tr(reason_key(code).unwrap_or(Key::RcCounterfeit))),
        );
    }
    hc("div", "field")
        .child(ht("label", tr(Key::Reason)).attr("for", id))
        .child(select.bind(value))
}

/// One decision on a case, as the case file and the queues send it.
#[derive(Clone)]
pub struct Decision {
    pub brand: String,
    pub case: String,
    pub command: CaseCommand,
    /// The note (reject, approve) or the reason (withdraw, decline).
    pub text: String,
    pub ip_right_id: String,
    pub reason_code: String,
}

impl Decision {
    pub fn new(brand: &str, case: &str, command: CaseCommand) -> Self {
        Decision {
            brand: brand.to_owned(),
            case: case.to_owned(),
            command,
            text: String::new(),
            ip_right_id: String::new(),
            reason_code: String::new(),
        }
    }

    /// As a request; the answer is the case file as it now stands.
    pub fn request(self) -> Request {
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
        let path = format!(
            "/api/v1/brands/{}/cases/{}/{verb}",
            http::segment(&self.brand),
            http::segment(&self.case)
        );
        let text = self.text.trim();
        let body = match self.command {
            Confirm => json::obj()
                .str("ip_right_id", &self.ip_right_id)
                .str("reason_code", &self.reason_code)
                .set("note", &wasm_bindgen::JsValue::NULL),
            Withdraw | Decline => json::obj().str("reason", text),
            UpholdAppeal | RetractOnAppeal | Escalate => {
                json::obj().str("decision", decision).opt("reason", text)
            }
            ArbitrateUphold | ArbitrateReinstate => {
                json::obj().str("decision", decision).str("reason", text)
            }
            Reject | Approve | RetryTakedown | Retract => json::obj().opt("note", text),
        };
        Request::post(path, body.build())
    }
}
