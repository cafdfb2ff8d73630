//! App-wide state in context: who is signed in (asked once at start) and the interface language
//! remembered in the browser.

use crate::i18n::{self, Lang};
use jf_core::api::{CaseList, Me};
use jf_core::types::{BrandRole, ProgrammeStatus};
use leptos::prelude::*;

const LANG_KEY: &str = "jf.lang";

/// Who is signed in: `None` inside means nobody. Provided by `App` once the session is known
/// (no page renders before that).
#[derive(Debug, Clone, Copy)]
pub struct Session(pub RwSignal<Option<Me>>);

thread_local! {
    /// The same signal, for code that runs outside any component (an answer arriving after the
    /// action that asked for it): there is one app per page, so one session.
    static SESSION: std::cell::Cell<Option<Session>> = const { std::cell::Cell::new(None) };
}

/// Makes the session signal and provides it to every page (called once, by `App`).
pub fn provide_session() -> Session {
    let session = Session(RwSignal::new(None));
    provide_context(session);
    SESSION.with(|s| s.set(Some(session)));
    session
}

fn session() -> Option<Session> {
    use_context::<Session>().or_else(|| SESSION.with(std::cell::Cell::get))
}

/// The signed-in person, if any (a tracked read).
pub fn me() -> Option<Me> {
    session().and_then(|s| s.0.get())
}

/// Records who is signed in now (after signing in, accepting an invitation, signing out).
pub fn set_me(me: Option<Me>) {
    if let Some(session) = session() {
        session.0.set(me);
    }
}

/// The case list as it was left, kept above the routes: going back to it from a case shows the
/// pages already loaded ("Load more") at the same scroll, instead of the first page at the top.
#[derive(Clone)]
pub struct KeptList {
    /// The first page's API path: the brand and the filters (the list's query).
    pub path: String,
    /// Every row loaded, the next page's cursor, and the first page's counts.
    pub list: CaseList,
    pub scroll_y: f64,
}

/// The kept list, and where the last back (or forward) move of the browser went.
#[derive(Clone, Copy)]
pub struct ListMemory {
    kept: StoredValue<Option<KeptList>>,
    popped_to: StoredValue<Option<String>>,
}

/// The address shown now, path and query (`/brands/…/cases?status=…`).
pub fn here() -> String {
    web_sys::window()
        .map(|w| {
            let l = w.location();
            format!(
                "{}{}",
                l.pathname().unwrap_or_default(),
                l.search().unwrap_or_default()
            )
        })
        .unwrap_or_default()
}

/// Makes the list memory and provides it to every page (called once, by `App`, above the
/// routes, so that it outlives them). It listens to the browser's back and forward moves: only
/// such a move may bring a kept list back; any other visit starts afresh.
pub fn provide_list_memory() {
    let memory = ListMemory {
        kept: StoredValue::new(None),
        popped_to: StoredValue::new(None),
    };
    // One listener for the app's life: `App` is never unmounted.
    let _ = window_event_listener(leptos::ev::popstate, move |_| {
        memory.popped_to.set_value(Some(here()));
    });
    provide_context(memory);
}

impl ListMemory {
    /// The list kept for `path`, if the browser came back to this very address (once: a later
    /// visit of the same address by a link starts afresh).
    pub fn restore(self, path: &str) -> Option<KeptList> {
        let came_back = self
            .popped_to
            .try_update_value(|p| p.take())
            .flatten()
            .is_some_and(|to| to == here());
        if !came_back {
            return None;
        }
        self.kept
            .try_with_value(|k| k.clone())
            .flatten()
            .filter(|k| k.path == path)
    }

    /// Keeps a list as it is left (one list at a time: the latest).
    pub fn keep(self, list: KeptList) {
        self.kept.try_set_value(Some(list));
    }
}

/// The app's list memory (provided by `App`).
pub fn list_memory() -> ListMemory {
    expect_context::<ListMemory>()
}

/// The person's role in `brand` (its id as the path writes it), if a member.
pub fn role_in(me: &Me, brand: &str) -> Option<BrandRole> {
    me.role_in(brand)
}

/// Where `brand` (its id as the path writes it) stands in the programme, if the person is one of
/// its members (staff are not: their pages say it instead).
pub fn programme_in(me: &Me, brand: &str) -> Option<ProgrammeStatus> {
    me.memberships
        .iter()
        .find(|m| m.brand_id.to_string().eq_ignore_ascii_case(brand))
        .map(|m| m.programme_status)
}

pub fn is_staff(me: &Me) -> bool {
    me.is_staff()
}

/// Chooses the interface language: remembered, written on `<html lang>`.
pub fn set_lang(lang: Lang) {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(LANG_KEY, lang.code());
    }
    apply_lang(lang);
}

fn apply_lang(lang: Lang) {
    i18n::set_lang(lang);
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", lang.code());
    }
}

/// The language remembered, else the browser's, else English.
pub fn init_lang() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let stored = window
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(LANG_KEY).ok().flatten());
    let lang = stored
        .as_deref()
        .and_then(Lang::from_tag)
        .or_else(|| {
            window
                .navigator()
                .language()
                .as_deref()
                .and_then(Lang::from_tag)
        })
        .unwrap_or(Lang::En);
    apply_lang(lang);
}
