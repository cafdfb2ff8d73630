//! The brand home's dashboard (`GET …/dashboard`): takedowns and their times, the backlog, appeals beside the standing, and repeat sellers.

use crate::charts::{TakedownsChart, TimesChart};
use crate::components::part;
use crate::http;
use crate::i18n::{dated, tr, trf, Key};
use jf_core::api::{BrandDashboard, RepeatSeller};
use jf_core::routes::RouteId;
use leptos::prelude::*;

/// The dashboard of brand `id`, asked for on its own so the rest of the home shows meanwhile.
#[component]
pub fn Dashboard(id: String) -> impl IntoView {
    let path = http::api(RouteId::BrandDashboard, &[&id]);
    let answer = LocalResource::new(move || {
        let path = path.clone();
        async move { http::get::<BrandDashboard>(&path).await }
    });
    let base = format!("/brands/{id}");
    view! {
        <section class="dashboard" id="dashboard" aria-labelledby="dashboard-heading">
            <h2 id="dashboard-heading">{move || tr(Key::Dashboard)}</h2>
            {part(answer, move |d| view! { <Figures d base=base.clone()/> })}
        </section>
    }
}

#[component]
fn Figures(d: BrandDashboard, base: String) -> impl IntoView {
    view! {
        <div class="grid grid-2 dashboard-grid">
            <section class="card" aria-label=move || tr(Key::DashTakedowns)>
                <TakedownsChart weeks=d.weeks.clone()/>
            </section>
            <section class="card" aria-label=move || tr(Key::DashTime)>
                <TimesChart weeks=d.weeks/>
            </section>
            <Backlog d=d.backlog/>
            <Appeals appeals=d.appeals standing=d.standing/>
            <RepeatSellers sellers=d.repeat_sellers base/>
        </div>
    }
}

#[component]
fn Backlog(d: jf_core::api::ConfirmationBacklog) -> impl IntoView {
    let hours = d.due_soon_hours.to_string();
    let next = d.next_deadline_at.map(|at| {
        view! { <p class="muted" id="backlog-next">{move || dated(Key::DashNextDeadline, at, true)}</p> }
    });
    view! {
        <section class="card" aria-labelledby="backlog-heading" id="backlog">
            <h3 id="backlog-heading">{move || tr(Key::DashBacklog)}</h3>
            <dl class="facts">
                <div class="fact">
                    <dt>{move || tr(Key::DashAwaiting)}</dt>
                    <dd id="backlog-awaiting">{d.awaiting}</dd>
                </div>
                <div class="fact" data-warn=(d.due_soon > 0).to_string()>
                    <dt>{move || trf(Key::DashDueSoon, &[&hours])}</dt>
                    <dd id="backlog-due-soon">{d.due_soon}</dd>
                </div>
            </dl>
            {next}
        </section>
    }
}

/// `<div class="fact">` with a figure.
#[component]
fn Figure(key: Key, id: &'static str, value: i64) -> impl IntoView {
    view! {
        <div class="fact">
            <dt>{move || tr(key)}</dt>
            <dd id=id>{value}</dd>
        </div>
    }
}

/// Appeals over the 12 weeks beside the standing's own figures over its window.
#[component]
fn Appeals(
    appeals: jf_core::api::AppealFigures,
    standing: jf_core::programme::Standing,
) -> impl IntoView {
    let days = standing.window_days.to_string();
    view! {
        <section class="card" aria-labelledby="appeals-heading" id="appeals">
            <h3 id="appeals-heading">{move || tr(Key::DashAppeals)}</h3>
            <div class="side-by-side">
                <div>
                    <h4>{move || tr(Key::DashAppealsWeeks)}</h4>
                    <dl class="facts">
                        <Figure key=Key::DashReceived id="appeals-received" value=appeals.received/>
                        <Figure key=Key::DashUpheld id="appeals-upheld" value=appeals.upheld/>
                        <Figure key=Key::DashReinstated id="appeals-reinstated" value=appeals.reinstated/>
                    </dl>
                </div>
                <div>
                    <h4>{move || trf(Key::DashStandingDays, &[&days])}</h4>
                    <dl class="facts">
                        <Figure key=Key::DashDecided id="standing-decided" value=standing.decided/>
                        <Figure key=Key::DashReinstated id="standing-reinstated" value=standing.reinstated/>
                    </dl>
                </div>
            </div>
            <p class="hint">{move || tr(Key::DashStandingNote)}</p>
        </section>
    }
}

#[component]
fn RepeatSellers(sellers: Vec<RepeatSeller>, base: String) -> impl IntoView {
    let body = if sellers.is_empty() {
        view! { <p class="muted" id="no-repeat-sellers">{move || tr(Key::DashNoRepeatSellers)}</p> }
            .into_any()
    } else {
        let rows = sellers
            .into_iter()
            .map(|s| seller_row(s, &base))
            .collect_view();
        view! { <ol class="seller-ranking" id="repeat-sellers">{rows}</ol> }.into_any()
    };
    view! {
        <section class="card" aria-labelledby="sellers-heading">
            <h3 id="sellers-heading">{move || tr(Key::DashRepeatSellers)}</h3>
            {body}
        </section>
    }
}

fn seller_row(s: RepeatSeller, base: &str) -> impl IntoView {
    let href = format!("{base}/sellers/{}", http::encode(&s.seller_id));
    let count = s.takedowns.to_string();
    let flagged = s.flagged.then(|| {
        view! { <span class="badge badge-bad">{move || tr(Key::RepeatInfringer)}</span> }
    });
    view! {
        <li>
            <a href=href translate="no">{s.name}</a>
            " "
            {flagged}
            <span class="seller-count">{move || trf(Key::DashSellerTakedowns, &[&count])}</span>
        </li>
    }
}
