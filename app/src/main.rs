//! JointForce portal: a client-side-rendered Leptos app, built by Trunk and served by the Worker.

mod app;
mod components;
mod fmt;
mod http;
mod i18n;
mod pages;
mod state;

fn main() {
    leptos::mount::mount_to_body(app::App);
}
