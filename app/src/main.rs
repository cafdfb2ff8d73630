//! JointForce portal: a client-side-rendered Leptos app, built by Trunk and served by the Worker.

mod app;
mod charts;
mod components;
mod filters;
mod fmt;
mod held;
mod http;
mod i18n;
mod pages;
mod reason;
mod state;

fn main() {
    console_error_panic_hook::set_once();
    state::init_lang();
    register_service_worker_soon();
    leptos::mount::mount_to_body(app::App);
}

/// Registers the service worker a few seconds after start: installing it downloads the shell
/// again into its cache, which should not compete with the first screen on a slow network.
fn register_service_worker_soon() {
    leptos::prelude::set_timeout(register_service_worker, std::time::Duration::from_secs(3));
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
