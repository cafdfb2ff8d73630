//! The dashboard's charts, drawn as SVG by Leptos components: bars and lines over 12 weeks, a week's figures on tap or by the buttons beside them, and a data table screen readers read.

use crate::fmt;
use crate::i18n::{lang, tr, trf, Key};
use jf_core::api::DashboardWeek;
use jf_core::clock::{Millis, HOUR};
use leptos::prelude::*;

// The drawing's own units (the SVG scales to its box): sized for a phone's card, so text drawn
// at 12 units reads at about 12 px there.
const WIDTH: f64 = 300.0;
const HEIGHT: f64 = 170.0;
const LEFT: f64 = 46.0;
const RIGHT: f64 = 4.0;
const TOP: f64 = 8.0;
const BOTTOM: f64 = 22.0;
const PLOT_HEIGHT: f64 = HEIGHT - TOP - BOTTOM;
/// Weeks labelled under the axis (three fit at 360 px in either language).
const LABELLED: [usize; 3] = [1, 5, 9];

fn slot(weeks: usize) -> f64 {
    (WIDTH - LEFT - RIGHT) / weeks.max(1) as f64
}

fn slot_left(i: usize, weeks: usize) -> f64 {
    LEFT + i as f64 * slot(weeks)
}

fn slot_centre(i: usize, weeks: usize) -> f64 {
    slot_left(i, weeks) + slot(weeks) / 2.0
}

/// The y of `value` on a scale from 0 to `top`.
fn y_of(value: f64, top: f64) -> f64 {
    TOP + PLOT_HEIGHT * (1.0 - value / top)
}

/// The smallest of 1, 2, 5, 10, 20, 50… at or above `value`: the top of a scale.
pub fn nice_top(value: f64) -> f64 {
    let mut step = 1.0;
    loop {
        for m in [1.0, 2.0, 5.0] {
            if step * m >= value {
                return step * m;
            }
        }
        step *= 10.0;
    }
}

fn total(w: &DashboardWeek) -> i64 {
    w.from_reports + w.from_flags
}

fn week_label(w: &DashboardWeek) -> String {
    fmt::week_day(lang(), w.starts_at)
}

/// One week's takedowns in words.
fn takedowns_words(w: &DashboardWeek) -> String {
    let (r, f, t) = (w.from_reports, w.from_flags, total(w));
    trf(
        Key::DashWeekTakedowns,
        &[
            &week_label(w),
            &t.to_string(),
            &r.to_string(),
            &f.to_string(),
        ],
    )
}

fn duration_or_none(ms: Option<Millis>) -> String {
    ms.map_or_else(
        || tr(Key::DashNone).to_owned(),
        |ms| fmt::duration(lang(), ms),
    )
}

/// One week's times to takedown in words.
fn times_words(w: &DashboardWeek) -> String {
    match (w.p50_ms, w.p90_ms) {
        (Some(p50), Some(p90)) => trf(
            Key::DashWeekTime,
            &[
                &week_label(w),
                &fmt::duration(lang(), p50),
                &fmt::duration(lang(), p90),
            ],
        ),
        _ => trf(Key::DashWeekNoTakedowns, &[&week_label(w)]),
    }
}

/// The frame both charts share: caption, the drawing, the chosen week in words (with buttons to
/// step through the weeks), and the figures as a table for screen readers. The drawing itself
/// is hidden from them: the table says the same.
#[component]
fn WeekFigure(
    id: &'static str,
    caption: Key,
    chosen: RwSignal<usize>,
    weeks: usize,
    #[prop(into)] detail: Signal<String>,
    drawing: AnyView,
    legend: AnyView,
    table: AnyView,
) -> impl IntoView {
    let last = weeks.saturating_sub(1);
    let at_last = move || chosen.get() >= last;
    let step_on = move |_| chosen.update(|i| *i = (*i + 1).min(last));
    let caption_id = format!("{id}-caption");
    let labelled_by = caption_id.clone();
    view! {
        <figure class="chart" id=id aria-labelledby=labelled_by>
            <figcaption class="chart-caption" id=caption_id>{move || tr(caption)}</figcaption>
            {drawing}
            {legend}
            <p class="hint chart-hint">{move || tr(Key::DashChartHint)}</p>
            <div class="chart-detail-row">
                <button
                    type="button"
                    class="btn btn-secondary chart-step"
                    aria-label=move || tr(Key::DashPrevWeek)
                    disabled=move || chosen.get() == 0
                    on:click=move |_| chosen.update(|i| *i = i.saturating_sub(1))
                >
                    "‹"
                </button>
                <p class="chart-detail" aria-live="polite" id=format!("{id}-detail")>
                    {detail}
                </p>
                <button
                    type="button"
                    class="btn btn-secondary chart-step"
                    aria-label=move || tr(Key::DashNextWeek)
                    disabled=at_last
                    on:click=step_on
                >
                    "›"
                </button>
            </div>
            {table}
        </figure>
    }
}

/// The y axis: lines at 0, half and the top, labelled by `label`.
fn y_axis(top: f64, label: impl Fn(f64) -> String + Copy + Send + Sync + 'static) -> AnyView {
    [0.0, top / 2.0, top]
        .into_iter()
        .map(|v| {
            let y = y_of(v, top);
            view! {
                <line class="chart-grid" x1=LEFT x2=WIDTH - RIGHT y1=y y2=y></line>
                <text class="chart-axis" x=LEFT - 4.0 y=y + 4.0 text-anchor="end">
                    {move || label(v)}
                </text>
            }
        })
        .collect_view()
        .into_any()
}

/// The dates under the axis.
fn x_labels(weeks: &[DashboardWeek]) -> AnyView {
    let n = weeks.len();
    LABELLED
        .iter()
        .filter_map(|&i| weeks.get(i).map(|w| (i, w.clone())))
        .map(|(i, w)| {
            view! {
                <text class="chart-axis" x=slot_centre(i, n) y=HEIGHT - 6.0 text-anchor="middle">
                    {move || week_label(&w)}
                </text>
            }
        })
        .collect_view()
        .into_any()
}

/// A week's whole column: hovering shows its figures (`<title>`), tapping chooses it.
fn hit_area(i: usize, n: usize, chosen: RwSignal<usize>, words: Signal<String>) -> impl IntoView {
    view! {
        <rect
            class="chart-hit"
            class:chosen=move || chosen.get() == i
            x=slot_left(i, n)
            y=TOP
            width=slot(n)
            height=PLOT_HEIGHT
            on:click=move |_| chosen.set(i)
        >
            <title>{words}</title>
        </rect>
    }
}

fn legend(items: [(&'static str, Key); 2]) -> AnyView {
    let items = items
        .into_iter()
        .map(|(class, key)| {
            view! {
                <li>
                    <span class=format!("chart-swatch {class}") aria-hidden="true"></span>
                    {move || tr(key)}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="chart-legend">{items}</ul> }.into_any()
}

/// Takedowns per week, stacked: the brand's reports below, confirmed flags above.
#[component]
pub fn TakedownsChart(weeks: Vec<DashboardWeek>) -> impl IntoView {
    let n = weeks.len();
    let chosen = RwSignal::new(n.saturating_sub(1));
    let top = nice_top(weeks.iter().map(total).max().unwrap_or(0).max(1) as f64);
    let bar_width = slot(n) * 0.6;
    let bars = weeks
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let x = slot_left(i, n) + (slot(n) - bar_width) / 2.0;
            let (r, f) = (w.from_reports as f64, w.from_flags as f64);
            let week = w.clone();
            let words = Signal::derive(move || takedowns_words(&week));
            view! {
                <g class="chart-bar">
                    // Under the bars, which let taps through to it.
                    {hit_area(i, n, chosen, words)}
                    <rect class="chart-reports" x=x width=bar_width y=y_of(r, top) height=PLOT_HEIGHT * r / top></rect>
                    <rect class="chart-flags" x=x width=bar_width y=y_of(r + f, top) height=PLOT_HEIGHT * f / top></rect>
                </g>
            }
        })
        .collect_view();
    let drawing = view! {
        <svg class="chart-svg" viewBox=format!("0 0 {WIDTH} {HEIGHT}") aria-hidden="true" focusable="false">
            // Counts are whole: a scale of 1 has no half line label worth showing.
            {y_axis(top, move |v| if v.fract() == 0.0 { (v as i64).to_string() } else { String::new() })}
            {bars}
            {x_labels(&weeks)}
        </svg>
    }
    .into_any();
    let rows = weeks
        .iter()
        .map(|w| {
            let week = w.clone();
            view! {
                <tr>
                    <th scope="row">{move || week_label(&week)}</th>
                    <td>{w.from_reports}</td>
                    <td>{w.from_flags}</td>
                    <td>{total(w)}</td>
                </tr>
            }
        })
        .collect_view();
    let table = view! {
        // A table is as wide as its cells, whatever its own width: the box that hides it is a div.
        <div class="visually-hidden">
        <table>
            <caption>{move || tr(Key::DashTakedowns)}</caption>
            <thead>
                <tr>
                    <th scope="col">{move || tr(Key::DashWeek)}</th>
                    <th scope="col">{move || tr(Key::DashFromReports)}</th>
                    <th scope="col">{move || tr(Key::DashFromFlags)}</th>
                    <th scope="col">{move || tr(Key::DashTotal)}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        </div>
    }
    .into_any();
    let detail = Signal::derive(move || {
        weeks
            .get(chosen.get())
            .map(takedowns_words)
            .unwrap_or_default()
    });
    view! {
        <WeekFigure
            id="takedowns-chart"
            caption=Key::DashTakedowns
            chosen
            weeks=n
            detail
            drawing
            legend=legend([("chart-reports", Key::DashFromReports), ("chart-flags", Key::DashFromFlags)])
            table
        />
    }
}

/// A line through the weeks that have a value, broken where a week has none.
fn line_path(points: &[Option<(f64, f64)>]) -> String {
    let mut d = String::new();
    let mut drawing = false;
    for point in points {
        match point {
            Some((x, y)) => {
                d.push_str(&format!(
                    "{}{x:.1} {y:.1} ",
                    if drawing { "L" } else { "M" }
                ));
                drawing = true;
            }
            None => drawing = false,
        }
    }
    d.trim_end().to_owned()
}

/// One percentile's line and dots.
fn percentile_line(
    weeks: &[DashboardWeek],
    top: f64,
    pick: fn(&DashboardWeek) -> Option<Millis>,
    class: &'static str,
) -> AnyView {
    let n = weeks.len();
    let points: Vec<Option<(f64, f64)>> = weeks
        .iter()
        .enumerate()
        .map(|(i, w)| pick(w).map(|ms| (slot_centre(i, n), y_of(ms as f64 / HOUR as f64, top))))
        .collect();
    let dots = points
        .iter()
        .flatten()
        .map(|&(x, y)| view! { <circle class=format!("chart-dot {class}") cx=x cy=y r=3.5></circle> })
        .collect_view();
    view! {
        <path class=format!("chart-line {class}") d=line_path(&points)></path>
        {dots}
    }
    .into_any()
}

/// Median and 90th percentile time from report or flag to takedown, per week.
#[component]
pub fn TimesChart(weeks: Vec<DashboardWeek>) -> impl IntoView {
    let n = weeks.len();
    let chosen = RwSignal::new(n.saturating_sub(1));
    let slowest = weeks
        .iter()
        .filter_map(|w| w.p90_ms.max(w.p50_ms))
        .max()
        .unwrap_or(HOUR);
    let top = nice_top((slowest as f64 / HOUR as f64).max(1.0));
    let hits = weeks
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let week = w.clone();
            hit_area(i, n, chosen, Signal::derive(move || times_words(&week)))
        })
        .collect_view();
    let drawing = view! {
        <svg class="chart-svg" viewBox=format!("0 0 {WIDTH} {HEIGHT}") aria-hidden="true" focusable="false">
            {y_axis(top, |hours| fmt::duration(lang(), (hours * HOUR as f64) as Millis))}
            {hits}
            {percentile_line(&weeks, top, |w| w.p90_ms, "chart-p90")}
            {percentile_line(&weeks, top, |w| w.p50_ms, "chart-p50")}
            {x_labels(&weeks)}
        </svg>
    }
    .into_any();
    let rows = weeks
        .iter()
        .map(|w| {
            let week = w.clone();
            let (p50, p90) = (w.p50_ms, w.p90_ms);
            view! {
                <tr>
                    <th scope="row">{move || week_label(&week)}</th>
                    <td>{move || duration_or_none(p50)}</td>
                    <td>{move || duration_or_none(p90)}</td>
                </tr>
            }
        })
        .collect_view();
    let table = view! {
        // A table is as wide as its cells, whatever its own width: the box that hides it is a div.
        <div class="visually-hidden">
        <table>
            <caption>{move || tr(Key::DashTime)}</caption>
            <thead>
                <tr>
                    <th scope="col">{move || tr(Key::DashWeek)}</th>
                    <th scope="col">{move || tr(Key::DashMedian)}</th>
                    <th scope="col">{move || tr(Key::DashP90)}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        </div>
    }
    .into_any();
    let detail =
        Signal::derive(move || weeks.get(chosen.get()).map(times_words).unwrap_or_default());
    view! {
        <WeekFigure
            id="times-chart"
            caption=Key::DashTime
            chosen
            weeks=n
            detail
            drawing
            legend=legend([("chart-p50", Key::DashMedian), ("chart-p90", Key::DashP90)])
            table
        />
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_end_at_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(nice_top(1.0), 1.0);
        assert_eq!(nice_top(3.0), 5.0);
        assert_eq!(nice_top(7.0), 10.0);
        assert_eq!(nice_top(34.0), 50.0);
        assert_eq!(nice_top(101.0), 200.0);
    }

    #[test]
    fn lines_break_at_weeks_without_a_value() {
        let points = [Some((1.0, 2.0)), Some((3.0, 4.0)), None, Some((5.0, 6.0))];
        assert_eq!(line_path(&points), "M1.0 2.0 L3.0 4.0 M5.0 6.0");
        assert_eq!(line_path(&[None, None]), "");
    }
}
