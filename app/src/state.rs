//! App-wide state: who is signed in, and the interface language (both change rarely; when they
//! do, the page is shown again).

use crate::i18n::{self, Lang};
use crate::json::{self, Json};
use crate::router;
use jf_core::types::{BrandRole, StaffRole};
use std::cell::RefCell;

const LANG_KEY: &str = "jf.lang";

/// One brand the person belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct Membership {
    pub brand_id: String,
    pub brand_name: String,
    pub role: Option<BrandRole>,
}

/// The signed-in person (`Me` of the API).
#[derive(Debug, Clone, PartialEq)]
pub struct Me {
    pub user_id: String,
    pub email: String,
    pub display_name: String,
    pub staff_role: Option<StaffRole>,
    pub memberships: Vec<Membership>,
}

impl Me {
    pub fn from_json(v: &Json) -> Me {
        let user = json::get(v, "user");
        Me {
            user_id: json::s(&user, "id"),
            email: json::s(&user, "email"),
            display_name: json::s(&user, "display_name"),
            staff_role: json::os(&user, "staff_role").and_then(|r| StaffRole::parse(&r).ok()),
            memberships: json::list(v, "memberships")
                .iter()
                .map(|m| Membership {
                    brand_id: json::s(m, "brand_id"),
                    brand_name: json::s(m, "brand_name"),
                    role: BrandRole::parse(&json::s(m, "role")).ok(),
                })
                .collect(),
        }
    }

    pub fn is_staff(&self) -> bool {
        self.staff_role.is_some()
    }

    /// The person's role in `brand`, if they are a member.
    pub fn role_in(&self, brand: &str) -> Option<BrandRole> {
        self.memberships
            .iter()
            .find(|m| m.brand_id == brand)
            .and_then(|m| m.role)
    }
}

/// Who is signed in: not asked yet, nobody, or someone.
#[derive(Debug, Clone, PartialEq)]
pub enum Session {
    Unknown,
    SignedOut,
    SignedIn(Me),
}

thread_local! {
    static SESSION: RefCell<Session> = const { RefCell::new(Session::Unknown) };
}

pub fn session() -> Session {
    SESSION.with(|s| s.borrow().clone())
}

/// The signed-in person, if known.
pub fn me() -> Option<Me> {
    match session() {
        Session::SignedIn(me) => Some(me),
        _ => None,
    }
}

pub fn set_session(session: Session) {
    SESSION.with(|s| *s.borrow_mut() = session);
}

/// Records who signed in (the `Me` that sign-in and invitation acceptance answer).
pub fn signed_in(me: &Json) {
    set_session(Session::SignedIn(Me::from_json(me)));
}

/// Chooses the interface language: remembered, written on `<html lang>`, the page shown again
/// with what was typed into it.
pub fn set_lang(lang: Lang) {
    if let Ok(Some(storage)) = crate::dom::window().local_storage() {
        let _ = storage.set_item(LANG_KEY, lang.code());
    }
    apply_lang(lang);
    router::rerender_keeping_typed();
}

fn apply_lang(lang: Lang) {
    i18n::set_lang(lang);
    if let Some(root) = crate::dom::document().document_element() {
        let _ = root.set_attribute("lang", lang.code());
    }
}

/// The language remembered, else the browser's, else English.
pub fn init_lang() {
    let window = crate::dom::window();
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
