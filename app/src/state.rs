//! App-wide state, provided as context: who is signed in (`me`) and the interface language.

use crate::http::{self, ApiError};
use crate::i18n::Lang;
use jf_core::api::{Me, SessionView};
use leptos::prelude::*;

const LANG_KEY: &str = "jf.lang";

#[derive(Clone, Copy)]
pub struct AppState {
    /// `GET /api/v1/auth/session` as fetched (or as answered by sign-in): never a 401, so a
    /// signed-out visitor costs no failed request.
    me_body: LocalResource<http::Body>,
    /// Who is signed in; `Err` with status 401 means signed out (a normal state).
    pub me: Memo<Option<Result<Me, ApiError>>>,
    /// Whether `me` should be asked of the server. Pages a visitor reaches signed out (sign-in,
    /// invitation) don't need it, so opening them costs no request.
    wanted: RwSignal<bool>,
    pub lang: RwSignal<Lang>,
}

impl AppState {
    pub fn new() -> Self {
        let path = window().location().pathname().unwrap_or_default();
        let wanted = RwSignal::new(!(path.starts_with("/login") || path.starts_with("/invite/")));
        let me_body = http::resource(Signal::derive(move || {
            if wanted.get() {
                "/api/v1/auth/session".to_owned()
            } else {
                String::new()
            }
        }));
        let me = Memo::new(move |_| {
            me_body.get().map(|body| {
                http::decode::<SessionView>(body)
                    .and_then(|s| s.me.ok_or_else(ApiError::signed_out))
            })
        });
        let lang = RwSignal::new(initial_lang());
        // Keep `<html lang>` in step with the chosen language (a DOM side effect, not state).
        Effect::new(move |_| {
            let code = lang.get().code();
            if let Some(root) = document().document_element() {
                let _ = root.set_attribute("lang", code);
            }
        });
        AppState {
            me_body,
            me,
            wanted,
            lang,
        }
    }

    /// Makes sure `me` comes from the server (a signed-in page is showing).
    pub fn want_me(&self) {
        if !self.wanted.get_untracked() {
            self.wanted.set(true);
        }
    }

    /// Records who signed in, from the answer (a `Me`) of sign-in or invitation acceptance.
    pub fn signed_in(&self, me: String) {
        self.wanted.update_untracked(|w| *w = true);
        self.me_body.set(Some(Ok(format!("{{\"me\":{me}}}"))));
    }

    pub fn signed_out(&self) {
        self.me_body.set(Some(Err(ApiError::signed_out())));
    }

    /// Asks the server again who is signed in.
    pub fn reload_me(&self) {
        self.me_body.refetch();
    }

    /// The signed-in person, if known (reactive).
    pub fn current(&self) -> Option<Me> {
        self.me.get().and_then(Result::ok)
    }

    pub fn set_lang(&self, lang: Lang) {
        self.lang.set(lang);
        if let Ok(Some(storage)) = window().local_storage() {
            let _ = storage.set_item(LANG_KEY, lang.code());
        }
    }
}

fn initial_lang() -> Lang {
    let stored = window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(LANG_KEY).ok().flatten());
    stored
        .as_deref()
        .and_then(Lang::from_tag)
        .or_else(|| {
            window()
                .navigator()
                .language()
                .as_deref()
                .and_then(Lang::from_tag)
        })
        .unwrap_or(Lang::En)
}

pub fn use_app() -> AppState {
    expect_context::<AppState>()
}
