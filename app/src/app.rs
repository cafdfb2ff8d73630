//! Showing the address: the page for each route, framed for signed-in people, and the session
//! asked of the server once, when a signed-in page is first opened.

use crate::components::{error_panel, loading, shell};
use crate::dom::{document, Scope, H};
use crate::http;
use crate::json;
use crate::pages;
use crate::router::{self, Route};
use crate::state::{self, Session};
use std::cell::RefCell;
use wasm_bindgen::JsCast;

thread_local! {
    /// The page showing now: dropping it stops its listeners, effects and timers.
    static PAGE: RefCell<Option<Scope>> = const { RefCell::new(None) };
}

/// Starts the app: the language, then the page of the address.
pub fn start() {
    state::init_lang();
    router::start(render);
}

/// Shows the current address (called at start, after every move, and when the language or the
/// signed-in person changes).
fn render() {
    let route = Route::parse(&router::path());
    if route.is_public() {
        return mount(|| public_page(&route));
    }
    match state::session() {
        Session::SignedIn(me) => mount(|| shell(&route, &me, signed_in_page(&route))),
        Session::SignedOut => router::replace("/login"),
        Session::Unknown if take_session_answer() => render(),
        Session::Unknown => {
            mount(|| {
                crate::dom::hc("main", "content")
                    .id("main")
                    .child(loading())
            });
            ask_session();
        }
    }
}

/// Takes the answer `session.js` already has, if it has one: the page is then built at once.
fn take_session_answer() -> bool {
    let window = crate::dom::window();
    let Ok(answer) = js_sys::Reflect::get(&window, &"jfSessionAnswer".into()) else {
        return false;
    };
    if answer.is_undefined() || answer.is_null() {
        return false;
    }
    let _ = js_sys::Reflect::delete_property(&window, &"jfSessionAnswer".into());
    let _ = js_sys::Reflect::delete_property(&window, &"jfSession".into());
    set_session_from(&answer);
    true
}

fn set_session_from(answer: &json::Json) {
    let me = json::get(answer, "me");
    state::set_session(if me.is_null() || me.is_undefined() {
        Session::SignedOut
    } else {
        Session::SignedIn(state::Me::from_json(&me))
    });
}

/// The answer `session.js` started fetching while the app downloaded, taken once.
async fn early_session() -> Option<json::Json> {
    let window = crate::dom::window();
    let promise = js_sys::Reflect::get(&window, &"jfSession".into()).ok()?;
    let _ = js_sys::Reflect::delete_property(&window, &"jfSession".into());
    let promise = promise.dyn_into::<js_sys::Promise>().ok()?;
    let answer = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
    let _ = js_sys::Reflect::delete_property(&window, &"jfSessionAnswer".into());
    (!answer.is_null()).then_some(answer)
}

/// Who is signed in, for a page anyone may open that shows more to the right person (an
/// invitation): known already, or the answer `session.js` asked for, or asked now.
pub async fn session_now() -> Result<Session, http::ApiError> {
    if state::session() == Session::Unknown && !take_session_answer() {
        let answer = match early_session().await {
            Some(v) => v,
            None => http::get("/api/v1/auth/session").await?,
        };
        set_session_from(&answer);
    }
    Ok(state::session())
}

/// `GET /api/v1/auth/session` (never a 401: a visitor costs no failed request), then the page.
fn ask_session() {
    crate::dom::spawn(async {
        let answer = match early_session().await {
            Some(v) => Ok(v),
            None => http::get("/api/v1/auth/session").await,
        };
        match answer {
            Ok(v) => {
                set_session_from(&v);
                render();
            }
            Err(e) => mount(|| {
                crate::dom::hc("main", "content")
                    .id("main")
                    .child(error_panel(&e, None))
            }),
        }
    });
}

/// Replaces the body with what `build` makes, in a fresh scope; the previous page's scope goes.
fn mount(build: impl FnOnce() -> H) {
    let scope = Scope::new();
    let page = scope.run(build);
    if let Some(body) = document().body() {
        body.set_text_content(None);
        let _ = body.append_child(&page);
    }
    PAGE.with(|p| p.replace(Some(scope)));
}

fn public_page(route: &Route) -> H {
    match route {
        Route::Login => pages::login::page(),
        Route::ForgotPassword => pages::forgot_password::page(),
        Route::Invite(token) => pages::invite::page(token),
        Route::SetPassword(token) => pages::set_password::page(token),
        _ => pages::not_found::page(),
    }
}

fn signed_in_page(route: &Route) -> H {
    use pages::*;
    match route {
        Route::Home => home::page(),
        Route::Brand(b) => brand::page(b),
        Route::Members(b) => members::page(b),
        Route::Cases(b) => cases::page(b),
        Route::Case(b, c) => case::page(b, c),
        Route::Report(b) => report::page(b),
        Route::Bulk(b) => bulk::page(b),
        Route::Rights(b) => rights::page(b),
        Route::Confirm(b) => confirm::page(b),
        Route::BrandSeller(b, s) => seller::brand_page(b, s),
        Route::ApiKeys(b) => api_keys::page(b),
        Route::Webhooks(b) => webhooks::page(b),
        Route::Staff => staff::page(),
        Route::StaffSeller(s) => seller::staff_page(s),
        Route::Account => account::page(),
        Route::Login
        | Route::ForgotPassword
        | Route::Invite(_)
        | Route::SetPassword(_)
        | Route::NotFound => not_found::page(),
    }
}
