//! JointForce portal: a client-side-rendered app on Leptos's reactive system, built by Trunk and
//! served by the Worker. Pages are built with `dom` (see there why not `view!`).

mod app;
mod components;
mod dom;
mod fmt;
mod http;
mod i18n;
mod json;
mod pages;
mod router;
mod state;

fn main() {
    console_error_panic_hook::set_once();
    register_service_worker_soon();
    // Signals schedule their effects on Leptos's executor.
    let _ = any_spawner::Executor::init_wasm_bindgen();
    app::start();
}

/// Registers the service worker a few seconds after start: installing it downloads the shell
/// again into its cache, which should not compete with the first screen on a slow network.
fn register_service_worker_soon() {
    if let Some(window) = web_sys::window() {
        let later = wasm_bindgen::closure::Closure::once_into_js(register_service_worker);
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            wasm_bindgen::JsCast::unchecked_ref(&later),
            3_000,
        );
    }
}

/// Installs `/sw.js` (written by `cargo xtask build`), which keeps the app shell for fast and
/// offline starts. Without it (an old browser, plain http) the app works the same.
fn register_service_worker() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator = window.navigator();
    if !js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false) {
        return;
    }
    let registration = navigator.service_worker().register("/sw.js");
    // Awaiting the promise handles a refusal, which only means no offline shell.
    wasm_bindgen_futures::spawn_local(async move {
        let _ = wasm_bindgen_futures::JsFuture::from(registration).await;
    });
}
