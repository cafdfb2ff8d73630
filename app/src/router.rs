//! The address bar: which page a path shows, and moving between pages without reloading.

use crate::dom::document;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use web_sys::Event;

/// Every page of the app, with the ids its path carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Login,
    ForgotPassword,
    Invite(String),
    SetPassword(String),
    Home,
    Brand(String),
    Members(String),
    Cases(String),
    Case(String, String),
    Report(String),
    Bulk(String),
    Rights(String),
    Confirm(String),
    BrandSeller(String, String),
    ApiKeys(String),
    Webhooks(String),
    Staff,
    StaffSeller(String),
    Account,
    NotFound,
}

impl Route {
    pub fn parse(path: &str) -> Route {
        let parts: Vec<String> = path
            .split('/')
            .filter(|p| !p.is_empty())
            .map(decode)
            .collect();
        let p: Vec<&str> = parts.iter().map(String::as_str).collect();
        let id = |i: usize| parts[i].clone();
        match p.as_slice() {
            [] => Route::Home,
            ["login"] => Route::Login,
            ["forgot-password"] => Route::ForgotPassword,
            ["invite", _] => Route::Invite(id(1)),
            ["set-password", _] => Route::SetPassword(id(1)),
            ["brands", _] => Route::Brand(id(1)),
            ["brands", _, "members"] => Route::Members(id(1)),
            ["brands", _, "cases"] => Route::Cases(id(1)),
            ["brands", _, "cases", _] => Route::Case(id(1), id(3)),
            ["brands", _, "report"] => Route::Report(id(1)),
            ["brands", _, "report", "bulk"] => Route::Bulk(id(1)),
            ["brands", _, "rights"] => Route::Rights(id(1)),
            ["brands", _, "confirm"] => Route::Confirm(id(1)),
            ["brands", _, "sellers", _] => Route::BrandSeller(id(1), id(3)),
            ["brands", _, "api-keys"] => Route::ApiKeys(id(1)),
            ["brands", _, "webhooks"] => Route::Webhooks(id(1)),
            ["staff"] => Route::Staff,
            ["staff", "sellers", _] => Route::StaffSeller(id(2)),
            ["account"] => Route::Account,
            _ => Route::NotFound,
        }
    }

    /// Pages a visitor may see signed out.
    pub fn is_public(&self) -> bool {
        matches!(
            self,
            Route::Login
                | Route::ForgotPassword
                | Route::Invite(_)
                | Route::SetPassword(_)
                | Route::NotFound
        )
    }

    /// The brand whose page this is, if any.
    pub fn brand(&self) -> Option<&str> {
        match self {
            Route::Brand(b)
            | Route::Members(b)
            | Route::Cases(b)
            | Route::Case(b, _)
            | Route::Report(b)
            | Route::Bulk(b)
            | Route::Rights(b)
            | Route::Confirm(b)
            | Route::BrandSeller(b, _)
            | Route::ApiKeys(b)
            | Route::Webhooks(b) => Some(b),
            _ => None,
        }
    }
}

fn decode(segment: &str) -> String {
    js_sys::decode_uri_component(segment)
        .map(String::from)
        .unwrap_or_else(|_| segment.to_owned())
}

fn location() -> web_sys::Location {
    crate::dom::window().location()
}

/// The path of the address bar, e.g. `/brands/…/cases`.
pub fn path() -> String {
    location().pathname().unwrap_or_default()
}

/// A value of the address's query string (`?status=appealed`).
pub fn query(name: &str) -> Option<String> {
    let search = location().search().unwrap_or_default();
    search
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| decode(&v.replace('+', " ")))
        .filter(|v| !v.is_empty())
}

/// `raw` when it is a path of this site (`/invite/…`), for a page to go back to after signing in:
/// one leading `/`, not `//` or `/\` (which browsers read as another site), nothing that is not
/// plain printable text.
pub fn same_site_path(raw: &str) -> Option<&str> {
    let rest = raw.strip_prefix('/')?;
    let ok = !rest.starts_with('/') && raw.chars().all(|c| c.is_ascii_graphic() && c != '\\');
    ok.then_some(raw)
}

thread_local! {
    static RENDER: std::cell::Cell<fn()> = const { std::cell::Cell::new(|| {}) };
    /// How many times the person moved to another address (or back).
    static MOVES: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// The person moves to another address: what was fetched ahead for this one is dropped.
fn moving() {
    crate::http::forget_prefetched();
    MOVES.with(|m| m.set(m.get() + 1));
}

fn history() -> Option<web_sys::History> {
    web_sys::window().and_then(|w| w.history().ok())
}

/// Goes to `href` (a path of this app), adding a step to the browser's history.
pub fn navigate(href: &str) {
    moving();
    if let Some(h) = history() {
        let _ = h.push_state_with_url(&JsValue::NULL, "", Some(href));
    }
    if let Some(w) = web_sys::window() {
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
    rerender();
}

/// Goes to `href` in place of the current step (redirects, filters).
pub fn replace(href: &str) {
    moving();
    if let Some(h) = history() {
        let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(href));
    }
    rerender();
}

/// Shows the current address again (after the language or the signed-in person changed).
pub fn rerender() {
    // Later, not now: the click or answer that asked for it finishes on the page it began on.
    crate::dom::spawn(async { RENDER.with(std::cell::Cell::get)() });
}

/// `rerender`, keeping what was typed into the page's fields: put back at once, and into the
/// parts of the page that are fetched when they arrive (looked for during two seconds).
pub fn rerender_keeping_typed() {
    let mut typed = crate::dom::Typed::read();
    crate::dom::spawn(async move {
        RENDER.with(std::cell::Cell::get)();
        let at = MOVES.with(std::cell::Cell::get);
        for wait in [0, 300, 700, 1000] {
            crate::dom::sleep(wait).await;
            // Only into this page: the person may have moved on meanwhile.
            if MOVES.with(std::cell::Cell::get) != at || typed.restore() {
                break;
            }
        }
    });
}

/// Starts routing: `render` shows the current address, now and after every move.
pub fn start(render: fn()) {
    RENDER.with(|r| r.set(render));
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_pop = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
        moving();
        render()
    });
    let _ = window.add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
    on_pop.forget();
    // Links to the app's own paths move within the app; others (and new-tab clicks) are left
    // to the browser.
    let on_click = Closure::<dyn FnMut(Event)>::new(|ev: Event| {
        let Some(mouse) = ev.dyn_ref::<web_sys::MouseEvent>() else {
            return;
        };
        if ev.default_prevented()
            || mouse.button() != 0
            || mouse.ctrl_key()
            || mouse.meta_key()
            || mouse.shift_key()
            || mouse.alt_key()
        {
            return;
        }
        let link = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href]").ok().flatten());
        let Some(link) = link else {
            return;
        };
        let href = link.get_attribute("href").unwrap_or_default();
        if href.starts_with('/')
            && !href.starts_with("//")
            && !href.starts_with("/api/")
            && !link.has_attribute("download")
            && link.get_attribute("target").is_none()
        {
            ev.prevent_default();
            navigate(&href);
        }
    });
    let _ = document().add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    on_click.forget();
    render();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_of_this_site_are_gone_back_to() {
        for ok in ["/", "/invite/abc-123", "/brands/x/cases?status=appealed"] {
            assert_eq!(same_site_path(ok), Some(ok), "{ok}");
        }
        for bad in [
            "",
            "invite/abc",
            "//evil.example/x",
            "/\\evil.example",
            "/\\/evil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            "/a b",
            "/a\nb",
            "/caf\u{e9}",
        ] {
            assert_eq!(same_site_path(bad), None, "{bad:?}");
        }
    }
}
